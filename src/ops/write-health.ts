import { isBotError } from '../errors';
import { Logger, errorFields } from '../logger';
import { DocumentStore, StoredDocument, Versioned } from '../store/document-store';

// Whether the store still takes writes. A store can answer reads while refusing every write (a full
// disk, a read-only file, a Cosmos account throttled or locked), and a bot that cannot write can
// only refuse; /readyz must say so. The decorator records each write's outcome; a run of failures
// makes the instance unready until a write succeeds again (readiness probes one itself, since an
// instance taken out of rotation gets no writes of its own).

export interface WriteHealthOptions {
  /** Consecutive failed writes that make the instance unready (default 3). */
  readonly unreadyAfter?: number;
}

export class WriteHealth {
  private consecutiveFailures = 0;
  private readonly unreadyAfter: number;

  constructor(
    private readonly logger: Logger,
    options: WriteHealthOptions = {},
  ) {
    this.unreadyAfter = options.unreadyAfter ?? 3;
  }

  /** True while the last `unreadyAfter` writes or more all failed. */
  get failing(): boolean {
    return this.consecutiveFailures >= this.unreadyAfter;
  }

  succeeded(): void {
    if (this.failing) this.logger.info({ failedWrites: this.consecutiveFailures }, 'store writes succeed again');
    this.consecutiveFailures = 0;
  }

  failed(error: unknown): void {
    this.consecutiveFailures += 1;
    if (this.consecutiveFailures === this.unreadyAfter) {
      this.logger.error({ failedWrites: this.consecutiveFailures, ...errorFields(error) }, 'store writes failing: reporting unready');
    }
  }

  /** Records the outcome of a write. A conflict or a lost ETag race is the store working as it should. */
  track<T>(write: Promise<T>): Promise<T> {
    return write.then(
      (result) => {
        this.succeeded();
        return result;
      },
      (error: unknown) => {
        if (isBotError(error, 'conflict') || isBotError(error, 'stale')) this.succeeded();
        else this.failed(error);
        throw error;
      },
    );
  }
}

/** The store, with every write's outcome recorded in `health`. */
export function trackWrites(store: DocumentStore, health: WriteHealth): DocumentStore {
  return {
    get stats() {
      return store.stats;
    },
    read: <T extends StoredDocument>(pk: string, id: string) => store.read<T>(pk, id),
    create: <T extends StoredDocument>(doc: T): Promise<Versioned<T>> => health.track(store.create(doc)),
    replace: <T extends StoredDocument>(doc: T, etag: string): Promise<Versioned<T>> => health.track(store.replace(doc, etag)),
    listPendingOutbox: () => store.listPendingOutbox(),
    close: () => store.close(),
  };
}
