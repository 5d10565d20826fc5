import { CONFLICT_RETRY, RetryEnvironment, conflictDelay } from '../../src/app/conflict-retry';
import { DocumentRepository } from '../../src/app/document-repository';
import { isBotError } from '../../src/errors';
import { DocumentStore, StoredDocument } from '../../src/store/document-store';
import { openEmbeddedStore } from '../../src/store/embedded-store';

// A command whose conditional write loses to another instance is re-run on the fresh document after
// a random wait under a doubling ceiling, for up to 40 attempts or 8 s. Time is a fake clock here:
// a wait advances it and is recorded, nothing sleeps.

interface Counter extends StoredDocument {
  readonly count: number;
  readonly by: readonly string[];
}

const KEY = { pk: 'counter', id: 'counter' };

/** Time that moves only when the code under test waits; `random` replays the given values. */
function fakeTime(randoms: readonly number[] = [0.999]): RetryEnvironment & { waits: number[]; elapsed: () => number } {
  let now = 0;
  let next = 0;
  const waits: number[] = [];
  return {
    waits,
    elapsed: () => now,
    now: () => now,
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
    random: () => randoms[next++ % randoms.length]!,
  };
}

/**
 * The store as one instance sees it while another writes the same document first, `wins` times:
 * right before each of our replaces the rival's replace lands, so ours carries a replaced ETag (412).
 */
function withRival(store: DocumentStore, wins: number): DocumentStore & { ourReplaces: () => number } {
  let left = wins;
  let ours = 0;
  return Object.assign(Object.create(store) as DocumentStore, {
    ourReplaces: () => ours,
    async replace<T extends StoredDocument>(doc: T, etag: string) {
      ours += 1;
      if (left > 0) {
        left -= 1;
        const current = (await store.read<Counter>(KEY.pk, KEY.id))!;
        await store.replace<Counter>({ ...current.doc, count: current.doc.count + 1, by: [...current.doc.by, 'rival'] }, current.etag);
      }
      return store.replace(doc, etag);
    },
  });
}

describe('conflict retry: a write that lost to another instance', () => {
  let store: DocumentStore;
  beforeEach(async () => {
    store = openEmbeddedStore(':memory:');
    await store.create<Counter>({ ...KEY, count: 0, by: [] });
  });
  afterEach(() => store.close());

  const increment = (repository: DocumentRepository<Counter>) =>
    repository.mutate('counter', (current) => ({ write: { ...current!, count: current!.count + 1, by: [...current!.by, 'us'] }, result: undefined }));

  it('still counts after losing six races in a row — where the old limit of 6 attempts answered "try again" — once, on the fresh document', async () => {
    const rival = withRival(store, 6);
    const time = fakeTime();
    const repository = new DocumentRepository<Counter>(rival, () => KEY, { time });
    await increment(repository);

    const stored = (await store.read<Counter>(KEY.pk, KEY.id))!.doc;
    expect(stored.by).toEqual(['rival', 'rival', 'rival', 'rival', 'rival', 'rival', 'us']);
    expect(stored.count).toBe(7);
    expect(rival.ourReplaces()).toBe(7);
    // one wait per loss, each under its doubling ceiling: 5, 10, 20, 40, 80, 160 ms
    expect(time.waits).toEqual([4, 9, 19, 39, 79, 159]);
  });

  it('waits before no first attempt and after no win', async () => {
    const time = fakeTime();
    const repository = new DocumentRepository<Counter>(withRival(store, 0), () => KEY, { time });
    await increment(repository);
    await increment(repository);
    expect(time.waits).toEqual([]);
    expect((await store.read<Counter>(KEY.pk, KEY.id))!.doc.count).toBe(2);
  });

  it('gives up with "busy" after 40 attempts on a document that never stops changing, and writes nothing of its own', async () => {
    const rival = withRival(store, Number.POSITIVE_INFINITY);
    const time = fakeTime([0.5]);
    const repository = new DocumentRepository<Counter>(rival, () => KEY, { time });
    const error = await increment(repository).catch((e: unknown) => e);

    expect(isBotError(error, 'busy')).toBe(true);
    expect((error as Error).message).toMatch(/gave up after 40 attempts/);
    expect(rival.ourReplaces()).toBe(40);
    expect(time.waits).toHaveLength(39);
    expect(time.elapsed()).toBeLessThanOrEqual(CONFLICT_RETRY.budgetMs);
    expect((await store.read<Counter>(KEY.pk, KEY.id))!.doc.by).not.toContain('us');
  });

  it('stops at the 8 s budget when the waits are long: no wait is started that would end past it', async () => {
    const rival = withRival(store, Number.POSITIVE_INFINITY);
    const time = fakeTime([0.999]); // every wait near its ceiling: 250 ms once the ceiling is reached
    const repository = new DocumentRepository<Counter>(rival, () => KEY, { time });
    const error = await increment(repository).catch((e: unknown) => e);

    expect(isBotError(error, 'busy')).toBe(true);
    expect(time.elapsed()).toBeLessThanOrEqual(8_000);
    expect(time.elapsed()).toBeGreaterThan(8_000 - 250);
    expect(rival.ourReplaces()).toBeLessThan(40);
    expect(rival.ourReplaces()).toBe(time.waits.length + 1);
  });

  it('spreads writers that collided: the wait is uniform under a ceiling that doubles from 5 ms up to 250 ms', () => {
    const ceilings = Array.from({ length: 9 }, (_, i) => conflictDelay(CONFLICT_RETRY, i + 1, () => 0.999999));
    expect(ceilings).toEqual([4, 9, 19, 39, 79, 159, 249, 249, 249]);
    expect(Array.from({ length: 9 }, (_, i) => conflictDelay(CONFLICT_RETRY, i + 1, () => 0))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    // two instances that lost the same race draw different waits, so the next attempts do not collide again
    expect(conflictDelay(CONFLICT_RETRY, 5, () => 0.2)).not.toBe(conflictDelay(CONFLICT_RETRY, 5, () => 0.7));
  });
});

describe('a change waiting for the next write (an outbox acknowledgement)', () => {
  let store: DocumentStore;
  beforeEach(async () => {
    store = openEmbeddedStore(':memory:');
    await store.create<Counter>({ ...KEY, count: 0, by: ['delivered'] });
  });
  afterEach(() => store.close());

  const acknowledge = (doc: Counter): Counter => ({ ...doc, by: doc.by.filter((who) => who !== 'delivered') });

  it('rides on the next write, is re-applied to the fresh copy when that write loses, and is then done', async () => {
    const rival = withRival(store, 2);
    const repository = new DocumentRepository<Counter>(rival, () => KEY, { time: fakeTime() });
    await repository.get('counter');
    repository.fold('counter', acknowledge, true);
    expect(repository.waiting('counter', true)).toBe(true);
    expect((await repository.get('counter'))!.by).toEqual([]); // this instance sees it done already

    await repository.mutate('counter', (current) => ({ write: { ...current!, count: current!.count + 1, by: [...current!.by, 'us'] }, result: undefined }));
    // the rivals' writes kept 'delivered' (they knew nothing of it); ours, re-run on their copy, removed it
    expect((await store.read<Counter>(KEY.pk, KEY.id))!.doc.by).toEqual(['rival', 'rival', 'us']);
    expect(repository.waiting('counter')).toBe(false);
    await repository.flush('counter');
    expect(rival.ourReplaces()).toBe(3); // nothing left to flush: no further write
  });

  it('waits through a command that writes nothing, and flush() writes it alone', async () => {
    const repository = new DocumentRepository<Counter>(withRival(store, 0), () => KEY, { time: fakeTime() });
    repository.fold('counter', acknowledge, false);
    await repository.mutate('counter', () => ({ result: 'refused' })); // a refusal: no write
    expect((await store.read<Counter>(KEY.pk, KEY.id))!.doc.by).toEqual(['delivered']);
    expect(repository.waiting('counter')).toBe(true);
    await repository.flush('counter');
    expect((await store.read<Counter>(KEY.pk, KEY.id))!.doc.by).toEqual([]);
    expect(repository.waiting('counter')).toBe(false);
  });
});
