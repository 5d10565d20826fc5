import { ChainAnchor, chainGenesis, extendChain } from './event-chain';

// A hash chain over a stream whose oldest events are dropped from the record as it grows (an
// environment's lock and freeze events: only the newest are kept on its document). The anchor
// remembers the digest the kept events start from (`base`, after the `dropped` events no longer
// stored) beside the head, so the kept events can still be checked: recomputed from `base` they must
// reach `head`, and an edit of any kept event shows. Pure.

export interface TrimmedChain extends ChainAnchor {
  /** The digest after the dropped events: the genesis while none were dropped. */
  readonly base: string;
  readonly dropped: number;
}

/**
 * `added` appended to the `kept` events of `stream`, then the oldest `dropCount(all)` of them dropped.
 * Without an anchor yet, the chain starts at the genesis over the events kept so far.
 */
export function appendTrimmed<E>(
  stream: string,
  chain: TrimmedChain | undefined,
  kept: readonly E[],
  added: readonly E[],
  dropCount: (all: readonly E[]) => number,
): { readonly events: E[]; readonly chain: TrimmedChain } {
  const start: TrimmedChain = chain ?? { ...extendChain(undefined, stream, kept), base: chainGenesis(stream), dropped: 0 };
  const head = extendChain(start, stream, added);
  const all = [...kept, ...added];
  const drop = Math.max(0, Math.min(all.length, dropCount(all)));
  const base = extendChain({ head: start.base, length: start.dropped }, stream, all.slice(0, drop));
  return { events: all.slice(drop), chain: { head: head.head, length: head.length, base: base.head, dropped: base.length } };
}
