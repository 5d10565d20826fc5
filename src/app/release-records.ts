import { extendChain } from '../domain/event-chain';
import { ReleaseEvent, ReleaseState } from '../domain/types';
import { Recorded } from './command-runner';
import { EVENTS_KEPT, HISTORY_CHUNK, ReleaseDocument, ReleaseHistoryDocument, ThreadRef, releaseHistoryKey, releaseKey } from './documents';

// How a release's events land on its document (the runner's `record` step for releases): appended
// with the state folded from them, the oldest moved out in fixed chunks, the hash chain extended.

/** The release document with `events` appended and `state` beside them; past EVENTS_KEPT the oldest HISTORY_CHUNK move out. */
export function recordReleaseEvents(current: ReleaseDocument | undefined, version: string, state: ReleaseState, events: readonly ReleaseEvent[]): Recorded<ReleaseDocument> {
  const allEvents = [...(current?.events ?? []), ...events];
  const archivedChunks = current?.archivedChunks ?? 0;
  const archive = allEvents.length > EVENTS_KEPT;
  const doc: ReleaseDocument = {
    ...releaseKey(version),
    type: 'release',
    state,
    events: archive ? allEvents.slice(HISTORY_CHUNK) : allEvents,
    outbox: current?.outbox ?? [],
    // The roots as the events say (rcThreadPosted); a document written before they were events keeps its own.
    threads: { ...current?.threads, ...rootsOf(state) },
    recentActivityIds: current?.recentActivityIds ?? [],
    messageSeq: current?.messageSeq ?? 0,
    archivedChunks: archive ? archivedChunks + 1 : archivedChunks,
    // A document written before chains existed stays unanchored rather than anchored half-way.
    ...(current && !current.chain ? {} : { chain: extendChain(current?.chain, version, events) }),
  };
  if (!archive) return { doc };
  const archived: ReleaseHistoryDocument = {
    ...releaseHistoryKey(version, archivedChunks),
    type: 'releaseHistory',
    chunk: archivedChunks,
    events: allEvents.slice(0, HISTORY_CHUNK),
  };
  return { doc, archived };
}

/** The RC thread roots the state records, by RC number. */
export function rootsOf(state: ReleaseState): Record<string, ThreadRef> {
  return Object.fromEntries(state.rcs.flatMap((rc) => (rc.root ? [[String(rc.number), rc.root]] : [])));
}
