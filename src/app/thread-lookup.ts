import { ThreadIndexDocument, threadKey } from './documents';
import { LruCache } from './lru-cache';
import { ThreadStart, ThreadStarts, channelOfThread } from './thread-starts';
import { DocumentStore } from '../store/document-store';

export interface ThreadRelease {
  readonly release: string;
  readonly rc: number;
}

export interface ThreadLookupOptions {
  /**
   * How long a message in a thread the bot doesn't know waits when a root is being posted in that
   * channel right now (it may be this thread's): 3 s by default.
   */
  readonly waitMs?: number;
  /** Real time, in ms (the wait is operational, like a lease). */
  readonly clock?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** A post tried this recently without its root recorded is taken to be in flight. */
const IN_FLIGHT_MS = 60_000;
const MISS_CACHE_MS = 5_000;

/**
 * Which release an RC thread belongs to, so `approve rc.3` typed in it resolves. A thread never
 * changes release, so answers (and known misses for a short while) are cached. A thread whose root
 * is still being recorded — a reply typed the instant the root appeared — is found through the
 * channel's thread starts (src/app/thread-starts.ts), waiting for the root's record when needed.
 */
export class ThreadLookup {
  private readonly known = new LruCache<ThreadRelease>(2_000);
  private readonly misses = new LruCache<number>(2_000);
  private readonly starts: ThreadStarts;
  private readonly waitMs: number;
  private readonly clock: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly store: DocumentStore,
    options: ThreadLookupOptions = {},
  ) {
    this.waitMs = options.waitMs ?? 3_000;
    this.clock = options.clock ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.starts = new ThreadStarts(store, this.clock);
  }

  /** `wait: false` (a card click, which names its release itself) answers from what is recorded now. */
  async releaseOf(conversationId: string, options: { wait?: boolean } = {}): Promise<ThreadRelease | undefined> {
    const channelId = channelOfThread(conversationId);
    if (!channelId) return undefined;
    const hit = this.known.get(conversationId);
    if (hit) return hit;
    const missedAt = this.misses.get(conversationId);
    if (missedAt !== undefined && this.clock() - missedAt < MISS_CACHE_MS) return undefined;
    const { pk, id } = threadKey(conversationId);
    const found = await this.store.read<ThreadIndexDocument>(pk, id);
    if (found) return this.remember(conversationId, { release: found.doc.release, rc: found.doc.rc });

    // Not indexed (yet): the root may be recorded among the channel's starts, or being posted.
    const deadline = this.clock() + (options.wait === false ? 0 : this.waitMs);
    for (let pause = 25; ; pause = Math.min(pause * 2, 400)) {
      const starts = await this.starts.read(channelId);
      const mine = starts.find((start) => start.posted?.conversationId === conversationId);
      if (mine) return this.remember(conversationId, { release: mine.release, rc: mine.rc });
      const inFlight = starts.some((start) => this.inFlight(start));
      // A known miss is remembered only when no root was in flight: one may still turn out to be this thread.
      if (!inFlight) this.misses.set(conversationId, this.clock());
      const left = deadline - this.clock();
      if (!inFlight || left <= 0) return undefined;
      await this.sleep(Math.min(pause, left));
    }
  }

  private inFlight(start: ThreadStart): boolean {
    return !start.posted && this.clock() - Date.parse(start.attemptedAt) < IN_FLIGHT_MS;
  }

  /** A thread whose index entry this instance wrote itself (a thread never changes release). */
  remember(conversationId: string, value: ThreadRelease): ThreadRelease {
    this.known.set(conversationId, value);
    return value;
  }
}
