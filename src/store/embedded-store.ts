import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BotError } from '../errors';
import { DocumentStore, StoredDocument, StoreStats, Versioned, newStoreStats } from './document-store';

// The default store: one SQLite file on local disk. Every write is one statement in SQLite's own
// transaction, so a document is replaced whole or not at all, and the ETag check is atomic with it.

/**
 * Opens (or creates) the store file. A path that cannot be used throws BotError 'invalid' naming the
 * path, what is wrong with it and what to do: a directory, a folder that cannot be created, a place
 * that cannot be written, a file that is not a SQLite database.
 */
export function openEmbeddedStore(path: string): DocumentStore {
  let db: Database.Database | undefined;
  try {
    if (path !== ':memory:') {
      if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      mkdirSync(dirname(path), { recursive: true });
    }
    for (let attempt = 1; ; attempt += 1) {
      try {
        db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
        return openOn(db);
      } catch (error) {
        db?.close();
        db = undefined;
        if (!isBusy(error) || attempt >= OPEN_ATTEMPTS) throw error;
        pause(attempt * 20);
      }
    }
  } catch (error) {
    throw new BotError('invalid', storePathProblem(path, error), error);
  }
}

const BUSY_TIMEOUT_MS = 5_000;
/**
 * Processes that open one fresh file at the same instant (instances started together) race to
 * switch it to WAL and create its table; SQLite answers the loser "database is locked" without
 * waiting (its busy handler is not called there, to avoid a deadlock). Opening is idempotent, so
 * the loser opens again: 40 attempts, 20 ms more apart each time, are 16 s at most.
 */
const OPEN_ATTEMPTS = 40;

function isBusy(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}

/** Start-up is synchronous (nothing is served yet), so a short blocking pause is fine here. */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function storePathProblem(path: string, error: unknown): string {
  const code = (error as { code?: string }).code ?? '';
  const folder = dirname(path);
  switch (code) {
    case 'EISDIR':
      return `the embedded store path ${path} is a directory; name a file in it, for example ${join(path, 'lendos.db')}.`;
    case 'ENOTDIR':
    case 'EEXIST':
      return `the embedded store path ${path} cannot be used: part of its folder ${folder} is a file, not a directory.`;
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return `the embedded store path ${path} cannot be used: the folder ${folder} cannot be created or written (${code}).`;
    case 'SQLITE_CANTOPEN':
      return `the embedded store file ${path} cannot be opened for writing; check that ${folder} exists and is writable by the bot.`;
    case 'SQLITE_READONLY':
      return `the embedded store file ${path} is read-only; the bot must be able to write it.`;
    case 'SQLITE_NOTADB':
    case 'SQLITE_CORRUPT':
      return `the embedded store file ${path} is not a SQLite database (or is damaged). Restore it from a backup, or move it away to start with an empty store.`;
    default:
      return `the embedded store at ${path} cannot be opened: ${error instanceof Error ? error.message : String(error)}.`;
  }
}

function openOn(db: Database.Database): DocumentStore {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // A rowid table: documents are kilobytes, and SQLite rewrites large rows of a WITHOUT ROWID
  // table more slowly than it updates a rowid table's overflow pages.
  db.exec(`CREATE TABLE IF NOT EXISTS documents (
    pk TEXT NOT NULL,
    id TEXT NOT NULL,
    etag TEXT NOT NULL,
    body TEXT NOT NULL,
    outbox_pending INTEGER NOT NULL DEFAULT 0,
    expires_at INTEGER,
    UNIQUE (pk, id)
  )`);
  db.exec('CREATE INDEX IF NOT EXISTS documents_outbox ON documents (outbox_pending) WHERE outbox_pending = 1');
  // Expired documents are invisible to every statement below; reclaim their space at each start.
  db.prepare('DELETE FROM documents WHERE expires_at IS NOT NULL AND expires_at <= ?').run(Date.now());

  const selectOne = db.prepare<[string, string, number], { etag: string; body: string }>(
    'SELECT etag, body FROM documents WHERE pk = ? AND id = ? AND (expires_at IS NULL OR expires_at > ?)',
  );
  const deleteExpired = db.prepare<[string, string, number]>(
    'DELETE FROM documents WHERE pk = ? AND id = ? AND expires_at IS NOT NULL AND expires_at <= ?',
  );
  const insert = db.prepare<[string, string, string, string, number, number | null]>(
    'INSERT INTO documents (pk, id, etag, body, outbox_pending, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  // An expired document is gone, as on Cosmos: replacing it is 'stale' even with its last ETag.
  const update = db.prepare<[string, string, number, number | null, string, string, string, number]>(
    `UPDATE documents SET etag = ?, body = ?, outbox_pending = ?, expires_at = ?
     WHERE pk = ? AND id = ? AND etag = ? AND (expires_at IS NULL OR expires_at > ?)`,
  );
  const pending = db.prepare<[number], { pk: string; id: string }>(
    'SELECT pk, id FROM documents WHERE outbox_pending = 1 AND (expires_at IS NULL OR expires_at > ?)',
  );
  const createTx = db.transaction((pk: string, id: string, etag: string, body: string, outbox: number, expires: number | null) => {
    deleteExpired.run(pk, id, Date.now());
    insert.run(pk, id, etag, body, outbox, expires);
  });

  const stats: StoreStats = newStoreStats();

  return {
    stats,
    async read<T extends StoredDocument>(pk: string, id: string): Promise<Versioned<T> | undefined> {
      stats.reads += 1;
      const row = selectOne.get(pk, id, Date.now());
      return row ? { doc: JSON.parse(row.body) as T, etag: row.etag } : undefined;
    },
    async create<T extends StoredDocument>(doc: T): Promise<Versioned<T>> {
      stats.writes += 1;
      const etag = newEtag();
      try {
        createTx(doc.pk, doc.id, etag, JSON.stringify(doc), outboxFlag(doc), expiry(doc));
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
          throw new BotError('conflict', `document ${doc.pk}/${doc.id} already exists`, error);
        }
        throw error;
      }
      return { doc, etag };
    },
    async replace<T extends StoredDocument>(doc: T, etag: string): Promise<Versioned<T>> {
      stats.writes += 1;
      const next = newEtag();
      const changed = update.run(next, JSON.stringify(doc), outboxFlag(doc), expiry(doc), doc.pk, doc.id, etag, Date.now()).changes;
      if (changed === 0) throw new BotError('stale', `document ${doc.pk}/${doc.id} changed since it was read`);
      return { doc, etag: next };
    },
    async listPendingOutbox() {
      stats.queries += 1;
      return pending.all(Date.now());
    },
    async close() {
      db.close();
    },
  };
}

function newEtag(): string {
  return `"${randomUUID()}"`;
}

function outboxFlag(doc: StoredDocument): number {
  return Array.isArray(doc.outbox) && doc.outbox.length > 0 ? 1 : 0;
}

function expiry(doc: StoredDocument): number | null {
  return typeof doc.ttl === 'number' && doc.ttl > 0 ? Date.now() + doc.ttl * 1000 : null;
}
