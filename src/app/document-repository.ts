import { BotError, isBotError } from '../errors';
import { DocumentStore, OutboxLease, StoredDocument, Versioned } from '../store/document-store';
import { CONFLICT_RETRY, ConflictRetry, ConflictRetryPolicy, REAL_TIME, RetryEnvironment } from './conflict-retry';
import { KeyedQueue } from './keyed-queue';
import { LruCache } from './lru-cache';

/** Store requests one mutation made: a warm command is 0 reads and 1 write. */
export interface MutationCost {
  readonly reads: number;
  readonly writes: number;
}

/** What a mutation decided: a new document to write (conditionally), or nothing to write. */
export type MutationStep<D, R> =
  | {
      readonly write: D;
      readonly result: R;
      /**
       * A document created just before `write`, in the same partition (e.g. older history moved out
       * of `write`). Its content must be fixed by its id: if it exists already (a retried command
       * created it), that copy stands.
       */
      readonly createFirst?: StoredDocument;
    }
  | { readonly write?: undefined; readonly result: R; readonly createFirst?: undefined };

/**
 * A change that waits for this instance's next write of a document instead of costing a write of its
 * own: the outbox's acknowledgement of a message it delivered. `post`: the message was a post (a
 * reply) that a crash before the write would repeat — at most one such change may wait at a time.
 */
interface Fold<D> {
  readonly change: (doc: D) => D;
  readonly post: boolean;
}

export interface RepositoryOptions {
  /** This instance's outbox lease: taken by every write that leaves messages pending. */
  readonly lease?: { readonly owner: string; readonly ttlMs: number };
  readonly cacheSize?: number;
  /** How a write that lost to another writer is tried again (src/app/conflict-retry.ts). */
  readonly retry?: ConflictRetryPolicy;
  readonly time?: RetryEnvironment;
  /**
   * Resolves once this instance's delivery of the document's outbox now in flight has ended (bounded):
   * a command asking for it (`afterDelivery`) then writes that delivery's acknowledgements too.
   */
  readonly deliveries?: (name: string) => Promise<void>;
}

/**
 * Documents of one kind (releases, environments) with a warm cache, named by a short key such as
 * a release version. Once warm a command costs one conditional write and no read; when another
 * instance wrote first the write fails with 'stale', and the command is re-run on the fresh
 * document (one read) after a short random wait, so concurrent approvals all count.
 */
export class DocumentRepository<D extends StoredDocument> {
  private readonly cache: LruCache<Versioned<D>>;
  private readonly queue = new KeyedQueue();
  private readonly folds = new Map<string, Array<Fold<D>>>();
  private readonly lease?: { readonly owner: string; readonly ttlMs: number };
  private readonly retry: ConflictRetryPolicy;
  private readonly time: RetryEnvironment;
  private readonly deliveries?: (name: string) => Promise<void>;

  constructor(
    private readonly store: DocumentStore,
    private readonly keyOf: (name: string) => { pk: string; id: string },
    options: RepositoryOptions = {},
  ) {
    this.cache = new LruCache(options.cacheSize ?? 256);
    this.lease = options.lease;
    this.retry = options.retry ?? CONFLICT_RETRY;
    this.time = options.time ?? REAL_TIME;
    this.deliveries = options.deliveries;
  }

  /**
   * The current document, from cache when warm, or read from the store when `fresh`; with the changes
   * waiting for the next write applied (delivered messages are not pending any more).
   */
  async get(name: string, fresh = false): Promise<D | undefined> {
    const loaded = await this.load(name, fresh);
    return loaded && this.folded(loaded.doc, this.folds.get(name) ?? []);
  }

  /**
   * Lets `change` ride on the next write of `name` this instance makes — a command's, or flush()'s —
   * rather than costing a write now. Every write of the document applies the waiting changes to the
   * document it read before deciding, so a command's write carries them, and a write that loses
   * re-applies them to the fresh copy. Changes must be idempotent (removing messages by id).
   */
  fold(name: string, change: (doc: D) => D, post: boolean): void {
    this.folds.set(name, [...(this.folds.get(name) ?? []), { change, post }]);
  }

  /** Whether a change waits for the next write; `post`: one that acknowledges a post. */
  waiting(name: string, post = false): boolean {
    return (this.folds.get(name) ?? []).some((fold) => !post || fold.post);
  }

  /** Names of documents with changes waiting. */
  waitingNames(): string[] {
    return [...this.folds.keys()];
  }

  /** Writes the waiting changes now, in one conditional write (none when nothing waits). */
  async flush(name: string): Promise<void> {
    if (!this.waiting(name)) return;
    // Nothing waiting any more (a command's write carried it meanwhile): nothing to confirm either.
    await this.mutateCounted(name, (current) => (current && this.waiting(name) ? { write: current, result: undefined } : { result: undefined }), { confirmUnchanged: false });
  }

  /**
   * Runs `step` on the current document and writes what it returns, retrying on fresh state when the
   * conditional write loses. Serialised per release within this instance.
   */
  mutate<R>(name: string, step: (current: D | undefined) => MutationStep<D, R>): Promise<R> {
    return this.mutateCounted(name, step).then(({ result }) => result);
  }

  /**
   * As mutate, also saying how many store requests it took (for per-command accounting).
   * `afterDelivery` (a command, never the outbox itself): first let the delivery in flight end.
   */
  async mutateCounted<R>(
    name: string,
    step: (current: D | undefined) => MutationStep<D, R>,
    options: {
      readonly afterDelivery?: boolean;
      /** Whether "nothing to write" is decided once more on a fresh read (a refusal must not rest on a stale copy). */
      readonly confirmUnchanged?: boolean;
    } = {},
  ): Promise<{ result: R; cost: MutationCost }> {
    if (options.afterDelivery && this.deliveries) await this.deliveries(name);
    return this.queue.run(name, async () => {
      let fresh = false;
      const cost = { reads: 0, writes: 0 };
      const retry = new ConflictRetry(this.retry, this.time);
      for (;;) {
        const readsBefore = cost.reads;
        const current = await this.load(name, fresh, cost);
        const applied = this.folds.get(name) ?? [];
        const decided = step(current && this.folded(current.doc, applied));
        if (!decided.write) {
          // No write means no ETag check: a refusal decided on the cached copy ("not approved yet")
          // may be stale when another instance wrote since. Decide once more on the stored document.
          if (current && cost.reads === readsBefore && options.confirmUnchanged !== false) {
            fresh = true;
            continue;
          }
          return { result: decided.result, cost };
        }
        const write = this.withLease(decided.write, current?.doc);
        try {
          if (decided.createFirst) await this.createIfMissing(decided.createFirst, cost);
          cost.writes += 1;
          const written = current ? await this.store.replace(write, current.etag) : await this.store.create(write);
          this.cache.set(name, written);
          if (current) this.written(name, applied);
          return { result: decided.result, cost };
        } catch (error) {
          if (!(isBotError(error, 'stale') || isBotError(error, 'conflict'))) throw error;
          if (!(await retry.again())) {
            throw new BotError('busy', `${name} kept changing under us; gave up after ${retry.lost} attempts in ${Math.round(retry.elapsedMs())} ms`, error);
          }
          fresh = true;
        }
      }
    });
  }

  private folded(doc: D, folds: ReadonlyArray<Fold<D>>): D {
    return folds.reduce((folded, fold) => fold.change(folded), doc);
  }

  /** The waiting changes a successful write carried are done; any folded in since still wait. */
  private written(name: string, applied: ReadonlyArray<Fold<D>>): void {
    if (applied.length === 0) return;
    const left = (this.folds.get(name) ?? []).filter((fold) => !applied.includes(fold));
    if (left.length > 0) this.folds.set(name, left);
    else this.folds.delete(name);
  }

  private async createIfMissing(doc: StoredDocument, cost: { writes: number }): Promise<void> {
    cost.writes += 1;
    try {
      await this.store.create(doc);
    } catch (error) {
      if (!isBotError(error, 'conflict')) throw error;
    }
  }

  /**
   * The instance that writes pending messages delivers them: the same write takes the outbox lease,
   * so another instance's sweep leaves them alone until the lease runs out. Emptied outbox: no lease.
   * A live lease of another instance is kept: that instance may be posting the older messages right
   * now, and it delivers these too once its batch is acknowledged.
   */
  private withLease(doc: D, current: D | undefined): D {
    if (!this.lease) return doc;
    const { outboxLease: _previous, ...rest } = doc as D & { outboxLease?: OutboxLease };
    void _previous;
    if (!doc.outbox || doc.outbox.length === 0) return rest as D;
    const held = current?.outboxLease;
    if (held && held.owner !== this.lease.owner && Date.parse(held.until) > Date.now()) return { ...rest, outboxLease: held } as D;
    return { ...rest, outboxLease: { owner: this.lease.owner, until: new Date(Date.now() + this.lease.ttlMs).toISOString() } } as D;
  }

  private async load(name: string, fresh: boolean, cost?: { reads: number }): Promise<Versioned<D> | undefined> {
    if (!fresh) {
      const cached = this.cache.get(name);
      if (cached) return cached;
    }
    if (cost) cost.reads += 1;
    const { pk, id } = this.keyOf(name);
    const read = await this.store.read<D>(pk, id);
    if (read) this.cache.set(name, read);
    else this.cache.delete(name);
    return read;
  }
}
