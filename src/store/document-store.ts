// One interface for durable documents, shaped like Cosmos DB: a document lives in a partition,
// is read by (partition, id) and replaced only if its ETag still matches. Both implementations
// (embedded SQLite and Cosmos) honour exactly this contract; see test/store/contract.ts.

export interface StoredDocument {
  readonly id: string;
  readonly pk: string;
  /** Seconds until the store may delete the document (Cosmos TTL); absent = keep forever. */
  readonly ttl?: number;
  /** Messages waiting to be delivered; a non-empty outbox makes the document show in listPendingOutbox. */
  readonly outbox?: readonly unknown[];
  /** Which instance delivers the outbox, until when (ISO); see DocumentRepository. */
  readonly outboxLease?: OutboxLease;
}

export interface OutboxLease {
  readonly owner: string;
  readonly until: string;
}

export interface Versioned<T> {
  readonly doc: T;
  readonly etag: string;
}

export interface DocumentStore {
  /** Point read; undefined when the document does not exist. */
  read<T extends StoredDocument>(pk: string, id: string): Promise<Versioned<T> | undefined>;
  /** Creates the document; BotError 'conflict' if (pk, id) exists. */
  create<T extends StoredDocument>(doc: T): Promise<Versioned<T>>;
  /** Replaces the document if its ETag is still `etag`; BotError 'stale' otherwise. */
  replace<T extends StoredDocument>(doc: T, etag: string): Promise<Versioned<T>>;
  /**
   * Ids of documents whose outbox is not empty. Used at start-up and by the periodic
   * outbox sweep only — never on a command's path (it is a cross-partition query on Cosmos).
   */
  listPendingOutbox(): Promise<Array<{ pk: string; id: string }>>;
  /** Requests made so far, for per-command accounting in logs and tests. */
  readonly stats: StoreStats;
  close(): Promise<void>;
}

/**
 * Per-store counters. reads/writes/queries count calls of read, create + replace, and
 * listPendingOutbox (successful or not); retries counts requests repeated after a 429/503;
 * requestCharge adds up the request units the server reported (Cosmos only; 0 when embedded).
 */
export interface StoreStats {
  reads: number;
  writes: number;
  queries: number;
  retries: number;
  requestCharge: number;
}

export function newStoreStats(): StoreStats {
  return { reads: 0, writes: 0, queries: 0, retries: 0, requestCharge: 0 };
}
