import { createHash } from 'node:crypto';

// A hash chain over an event stream (a release's events, one deployment's events): each event's
// digest is SHA-256 over the previous digest and the event's canonical JSON, so changing, removing
// or reordering any event changes every digest after it. The head is written with the events, in
// the same document write (no extra request); the evidence pack recomputes the chain from the
// stored events and compares, which makes an edit made directly in the store evident. Pure: hashing
// is deterministic, no I/O.

/** The chain's head as recorded with the events: the last digest and how many events it covers. */
export interface ChainAnchor {
  readonly head: string;
  readonly length: number;
}

/** JSON with object keys sorted at every level and no whitespace; `undefined` members are left out, as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  const entries = Object.keys(value)
    .sort()
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The digest a stream starts from, so two streams with the same events still differ. */
export function chainGenesis(stream: string): string {
  return sha256Hex(`lendos-evidence-chain\n${stream}`);
}

export function linkDigest(previous: string, event: unknown): string {
  return sha256Hex(`${previous}\n${canonicalJson(event)}`);
}

/** Every event's digest, in order. */
export function chainDigests(stream: string, events: readonly unknown[]): string[] {
  const digests: string[] = [];
  let previous = chainGenesis(stream);
  for (const event of events) {
    previous = linkDigest(previous, event);
    digests.push(previous);
  }
  return digests;
}

/** The anchor after appending `events`; from the stream's genesis when there is no anchor yet. */
export function extendChain(anchor: ChainAnchor | undefined, stream: string, events: readonly unknown[]): ChainAnchor {
  let head = anchor?.head ?? chainGenesis(stream);
  for (const event of events) head = linkDigest(head, event);
  return { head, length: (anchor?.length ?? 0) + events.length };
}
