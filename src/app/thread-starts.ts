import { createHash } from 'node:crypto';
import { isBotError } from '../errors';
import { DocumentStore, StoredDocument, Versioned } from '../store/document-store';
import { ThreadRef } from './documents';

// The thread roots the bot is posting in a channel, written before each post: the intent that makes
// a root post independent of luck. See "Release threads: posted once, never stranded" in the README.
//
//   1. before posting, an entry (release, rc) with its attempt count goes into the channel's document;
//   2. the root is posted;
//   3. the posted root is written into the entry (one conditional write) — from here on no retry,
//      restart or other instance posts it again: whoever delivers next finds it here;
//   4. the thread index is written (a failure there is retried without posting anything);
//   5. the outbox acknowledges the message, recording the thread on the release.
//
// A crash between 2 and 3 is the one window a second root can come from: the retry finds the entry
// without a posted root and an attempt already made, and posts again. The earlier post, if Teams
// took it, is an orphan the bot answers in with a link to the live thread (src/teams/orphan-threads.ts).
// The entries also tell an instance that a reply in a thread it does not know may be in a thread
// whose root is being recorded right now, so it waits for it instead of refusing.

export interface ThreadStart {
  readonly release: string;
  readonly rc: number;
  /** Posts tried so far; more than one means an earlier one may have gone out (an orphan). */
  readonly attempts: number;
  /** When the latest post was tried (the instance's own clock, not the release's). */
  readonly attemptedAt: string;
  /** The root, once Teams took it. */
  readonly posted?: ThreadRef;
}

export interface ThreadStartsDocument extends StoredDocument {
  readonly type: 'threadStarts';
  readonly channelId: string;
  readonly starts: readonly ThreadStart[];
}

/** Entries older than this are dropped at the next start in the channel: by then every one is indexed. */
const KEEP_MS = 24 * 60 * 60 * 1000;
const MAX_TRIES = 10;

export function threadStartsKey(channelId: string): { pk: string; id: string } {
  const hash = createHash('sha256').update(channelId).digest('hex').slice(0, 40);
  return { pk: `thread-starts:${hash}`, id: hash };
}

/** The channel part of a thread's conversation id ("19:…@thread.tacv2;messageid=…"). */
export function channelOfThread(conversationId: string): string | undefined {
  const at = conversationId.indexOf(';messageid=');
  return at > 0 ? conversationId.slice(0, at) : undefined;
}

export class ThreadStarts {
  constructor(
    private readonly store: DocumentStore,
    private readonly clock: () => number = Date.now,
  ) {}

  async read(channelId: string): Promise<readonly ThreadStart[]> {
    const { pk, id } = threadStartsKey(channelId);
    return (await this.store.read<ThreadStartsDocument>(pk, id))?.doc.starts ?? [];
  }

  /** The entry for (release, rc), as the store holds it now. */
  async find(channelId: string, release: string, rc: number): Promise<ThreadStart | undefined> {
    return (await this.read(channelId)).find((start) => start.release === release && start.rc === rc);
  }

  /** Step 1: records that a post is about to be tried; resolves with the entry as it was before. */
  async intend(channelId: string, release: string, rc: number): Promise<ThreadStart | undefined> {
    let before: ThreadStart | undefined;
    const now = this.clock();
    await this.update(channelId, (starts) => {
      before = starts.find((s) => s.release === release && s.rc === rc);
      const kept = starts.filter((s) => !(s.release === release && s.rc === rc) && now - Date.parse(s.attemptedAt) < KEEP_MS);
      return [...kept, { release, rc, attempts: (before?.attempts ?? 0) + 1, attemptedAt: new Date(now).toISOString() }];
    });
    return before;
  }

  /** Step 3: the root Teams took. */
  async posted(channelId: string, release: string, rc: number, thread: ThreadRef): Promise<void> {
    await this.update(channelId, (starts) => {
      const entry = starts.find((s) => s.release === release && s.rc === rc);
      const rest = starts.filter((s) => s !== entry);
      return [...rest, { release, rc, attempts: entry?.attempts ?? 1, attemptedAt: entry?.attemptedAt ?? new Date(this.clock()).toISOString(), posted: thread }];
    });
  }

  private async update(channelId: string, change: (starts: readonly ThreadStart[]) => ThreadStart[]): Promise<void> {
    const key = threadStartsKey(channelId);
    for (let attempt = 1; ; attempt += 1) {
      const current: Versioned<ThreadStartsDocument> | undefined = await this.store.read<ThreadStartsDocument>(key.pk, key.id);
      const next: ThreadStartsDocument = { ...key, type: 'threadStarts', channelId, starts: change(current?.doc.starts ?? []) };
      try {
        if (current) await this.store.replace(next, current.etag);
        else await this.store.create(next);
        return;
      } catch (error) {
        if (!(isBotError(error, 'stale') || isBotError(error, 'conflict')) || attempt >= MAX_TRIES) throw error;
      }
    }
  }
}
