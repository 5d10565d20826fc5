import { isBotError } from '../../src/errors';
import { DocumentStore, StoredDocument } from '../../src/store/document-store';

// The one behaviour both stores promise (src/store/document-store.ts). Each implementation's test
// file runs this suite against a fresh store; store-specific checks live in that file.

export interface StoreFixture {
  readonly store: DocumentStore;
  /** Closes `store` and opens the same data again, as a restarted bot would. */
  reopen(): Promise<DocumentStore>;
  /** Closes whatever is still open and removes the data. */
  cleanup(): Promise<void>;
}

export interface ContractOptions {
  /**
   * Whether the backend deletes documents whose `ttl` has passed. Cosmos DB and the embedded store
   * do; the local Cosmos test server does not, so there only the stored `ttl` field is checked.
   */
  readonly honoursTtl: boolean;
}

interface Note extends StoredDocument {
  readonly text: string;
  readonly nested?: { readonly list: readonly number[] };
}

const SYSTEM_PROPERTIES = ['_rid', '_self', '_etag', '_attachments', '_ts', '_lsn'];

function note(pk: string, id: string, text: string, extra: Partial<Note> = {}): Note {
  return { pk, id, text, ...extra };
}

async function expectCode(promise: Promise<unknown>, code: 'conflict' | 'stale'): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isBotError(error, code)).toBe(true);
}

export function describeDocumentStoreContract(name: string, open: () => Promise<StoreFixture>, options: ContractOptions): void {
  describe(`DocumentStore contract: ${name}`, () => {
    let fixture: StoreFixture;
    let store: DocumentStore;

    beforeEach(async () => {
      fixture = await open();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    it('reads a missing document as undefined', async () => {
      expect(await store.read('2026.4.0', 'nope')).toBeUndefined();
    });

    it('round-trips a created document without leaking system properties', async () => {
      const doc = note('2026.4.0', '2026.4.0', 'hello', { nested: { list: [1, 2, 3] }, outbox: [] });
      const created = await store.create(doc);
      expect(created.doc).toEqual(doc);
      expect(created.etag).toEqual(expect.any(String));

      const read = await store.read<Note>('2026.4.0', '2026.4.0');
      expect(read).toEqual({ doc, etag: created.etag });
      for (const key of SYSTEM_PROPERTIES) expect(read!.doc).not.toHaveProperty(key);
    });

    it("refuses to create the same (pk, id) twice with 'conflict'", async () => {
      await store.create(note('p', 'x', 'first'));
      await expectCode(store.create(note('p', 'x', 'second')), 'conflict');
      expect((await store.read<Note>('p', 'x'))!.doc.text).toBe('first');
    });

    it('replaces with the current etag and returns a new etag', async () => {
      const created = await store.create(note('p', 'x', 'v1'));
      const replaced = await store.replace(note('p', 'x', 'v2'), created.etag);
      expect(replaced.etag).not.toBe(created.etag);
      expect(await store.read<Note>('p', 'x')).toEqual({ doc: note('p', 'x', 'v2'), etag: replaced.etag });
    });

    it("refuses a replace with an old etag with 'stale' and leaves the document unchanged", async () => {
      const created = await store.create(note('p', 'x', 'v1'));
      const current = await store.replace(note('p', 'x', 'v2'), created.etag);
      await expectCode(store.replace(note('p', 'x', 'v3'), created.etag), 'stale');
      expect(await store.read<Note>('p', 'x')).toEqual({ doc: note('p', 'x', 'v2'), etag: current.etag });
    });

    it("refuses to replace a document that does not exist with 'stale'", async () => {
      const created = await store.create(note('p', 'x', 'v1'));
      await expectCode(store.replace(note('p', 'y', 'v1'), created.etag), 'stale');
      expect(await store.read('p', 'y')).toBeUndefined();
    });

    it('lets exactly one of two concurrent replaces from the same etag win', async () => {
      const created = await store.create(note('p', 'x', 'v1'));
      const results = await Promise.allSettled([
        store.replace(note('p', 'x', 'from A'), created.etag),
        store.replace(note('p', 'x', 'from B'), created.etag),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(isBotError(lost[0].reason, 'stale')).toBe(true);
      const winner = (won[0] as PromiseFulfilledResult<{ doc: Note; etag: string }>).value;
      expect(await store.read<Note>('p', 'x')).toEqual({ doc: winner.doc, etag: winner.etag });
    });

    it('keeps documents with the same id in different partitions apart', async () => {
      await store.create(note('2026.4.0', 'same', 'in 4.0'));
      await store.create(note('2026.5.0', 'same', 'in 5.0'));
      expect((await store.read<Note>('2026.4.0', 'same'))!.doc.text).toBe('in 4.0');
      expect((await store.read<Note>('2026.5.0', 'same'))!.doc.text).toBe('in 5.0');
      expect(await store.read('2026.6.0', 'same')).toBeUndefined();
    });

    it('lists exactly the documents with a non-empty outbox, across partitions', async () => {
      const drained = await store.create(note('2026.1.0', '2026.1.0', 'will drain', { outbox: [{ id: 'm1' }] }));
      await store.create(note('2026.2.0', '2026.2.0', 'pending', { outbox: [{ id: 'm1' }, { id: 'm2' }] }));
      await store.create(note('2026.3.0', '2026.2.0', 'same id, other partition, pending', { outbox: [{ id: 'm1' }] }));
      await store.create(note('2026.4.0', '2026.4.0', 'empty outbox', { outbox: [] }));
      await store.create(note('settings', 'channels', 'no outbox field'));
      await store.replace(note('2026.1.0', '2026.1.0', 'drained', { outbox: [] }), drained.etag);

      const pending = await store.listPendingOutbox();
      const sorted = [...pending].sort((a, b) => a.pk.localeCompare(b.pk));
      expect(sorted).toEqual([
        { pk: '2026.2.0', id: '2026.2.0' },
        { pk: '2026.3.0', id: '2026.2.0' },
      ]);
    });

    if (options.honoursTtl) {
      it('expires a document once its ttl has passed; documents without ttl stay', async () => {
        const short = await store.create(note('thread:abc', 'abc', 'short-lived', { ttl: 1, outbox: [{ id: 'm1' }] }));
        await store.create(note('thread:def', 'def', 'kept'));
        expect(await store.read('thread:abc', 'abc')).toBeDefined();

        await new Promise((resolve) => setTimeout(resolve, 1100));
        expect(await store.read('thread:abc', 'abc')).toBeUndefined();
        expect(await store.read('thread:def', 'def')).toBeDefined();
        expect(await store.listPendingOutbox()).toEqual([]);
        await expectCode(store.replace(note('thread:abc', 'abc', 'too late'), short.etag), 'stale');
        await store.create(note('thread:abc', 'abc', 'created again after expiry'));
      });
    } else {
      it('stores the ttl field as given (this backend never expires documents; the Cosmos tests check the container has TTL on)', async () => {
        await store.create(note('thread:abc', 'abc', 'short-lived', { ttl: 1 }));
        expect((await store.read<Note>('thread:abc', 'abc'))!.doc.ttl).toBe(1);
      });
    }

    it('counts one read per read, one write per create or replace, one query per listing', async () => {
      const before = { ...store.stats };
      await store.read('p', 'x');
      const created = await store.create(note('p', 'x', 'v1'));
      await store.read('p', 'x');
      await store.replace(note('p', 'x', 'v2'), created.etag);
      await expectCode(store.replace(note('p', 'x', 'v3'), created.etag), 'stale');
      await store.listPendingOutbox();
      expect(store.stats.reads - before.reads).toBe(2);
      expect(store.stats.writes - before.writes).toBe(3);
      expect(store.stats.queries - before.queries).toBe(1);
      expect(store.stats.retries - before.retries).toBe(0);
      expect(store.stats.requestCharge).toBeGreaterThanOrEqual(before.requestCharge);
    });

    it('keeps its stats per store: a reopened store counts from zero', async () => {
      const first = store;
      await first.read('p', 'x');
      store = await fixture.reopen();
      expect(store.stats).toEqual({ reads: 0, writes: 0, queries: 0, retries: 0, requestCharge: 0 });
      await store.read('p', 'x');
      expect(store.stats.reads).toBe(1);
      expect(first.stats.reads).toBe(1);
    });

    it('keeps documents across close and reopen', async () => {
      const created = await store.create(note('2026.4.0', '2026.4.0', 'durable', { outbox: [{ id: 'm1' }] }));
      store = await fixture.reopen();
      expect(await store.read<Note>('2026.4.0', '2026.4.0')).toEqual({ doc: note('2026.4.0', '2026.4.0', 'durable', { outbox: [{ id: 'm1' }] }), etag: created.etag });
      expect(await store.listPendingOutbox()).toEqual([{ pk: '2026.4.0', id: '2026.4.0' }]);
      await store.replace(note('2026.4.0', '2026.4.0', 'after reopen'), created.etag);
    });
  });
}
