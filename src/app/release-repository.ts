import { BotError, isBotError } from '../errors';
import { DocumentStore, Versioned } from '../store/document-store';
import { ReleaseDocument, releaseKey } from './documents';
import { KeyedQueue } from './keyed-queue';
import { LruCache } from './lru-cache';

/** What a mutation decided: a new document to write (conditionally), or nothing to write. */
/** Store requests one mutation made: a warm command is 0 reads and 1 write. */
export interface MutationCost {
  readonly reads: number;
  readonly writes: number;
}

export type MutationStep<R> = { readonly write: ReleaseDocument; readonly result: R } | { readonly write?: undefined; readonly result: R };

const MAX_ATTEMPTS = 6;

/**
 * Release documents with a warm cache. Once a release is warm a command costs one conditional
 * write and no read; when another instance wrote first the write fails with 'stale', and the
 * command is re-run on the fresh document (one read) so concurrent approvals all count.
 */
export class ReleaseRepository {
  private readonly cache: LruCache<Versioned<ReleaseDocument>>;
  private readonly queue = new KeyedQueue();

  constructor(
    private readonly store: DocumentStore,
    cacheSize = 256,
  ) {
    this.cache = new LruCache(cacheSize);
  }

  /** The current document, from cache when warm. */
  async get(version: string): Promise<ReleaseDocument | undefined> {
    return (await this.load(version, false))?.doc;
  }

  /**
   * Runs `step` on the current document and writes what it returns, retrying on fresh state when the
   * conditional write loses. Serialised per release within this instance.
   */
  mutate<R>(version: string, step: (current: ReleaseDocument | undefined) => MutationStep<R>): Promise<R> {
    return this.mutateCounted(version, step).then(({ result }) => result);
  }

  /** As mutate, also saying how many store requests it took (for per-command accounting). */
  mutateCounted<R>(version: string, step: (current: ReleaseDocument | undefined) => MutationStep<R>): Promise<{ result: R; cost: MutationCost }> {
    return this.queue.run(version, async () => {
      let fresh = false;
      const cost = { reads: 0, writes: 0 };
      for (let attempt = 1; ; attempt += 1) {
        const current = await this.load(version, fresh, cost);
        const decided = step(current?.doc);
        if (!decided.write) return { result: decided.result, cost };
        try {
          cost.writes += 1;
          const written = current
            ? await this.store.replace(decided.write, current.etag)
            : await this.store.create(decided.write);
          this.cache.set(version, written);
          return { result: decided.result, cost };
        } catch (error) {
          if (!(isBotError(error, 'stale') || isBotError(error, 'conflict'))) throw error;
          if (attempt >= MAX_ATTEMPTS) {
            throw new BotError('busy', `release ${version} kept changing under us; gave up after ${attempt} attempts`, error);
          }
          fresh = true;
        }
      }
    });
  }

  private async load(version: string, fresh: boolean, cost?: { reads: number }): Promise<Versioned<ReleaseDocument> | undefined> {
    if (!fresh) {
      const cached = this.cache.get(version);
      if (cached) return cached;
    }
    if (cost) cost.reads += 1;
    const { pk, id } = releaseKey(version);
    const read = await this.store.read<ReleaseDocument>(pk, id);
    if (read) this.cache.set(version, read);
    else this.cache.delete(version);
    return read;
  }
}
