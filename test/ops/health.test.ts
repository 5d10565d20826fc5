import { BotError } from '../../src/errors';
import { createReadinessCheck } from '../../src/ops/readiness';
import { WriteHealth, trackWrites } from '../../src/ops/write-health';
import { DocumentStore } from '../../src/store/document-store';
import { openEmbeddedStore } from '../../src/store/embedded-store';
import { people } from '../helpers/bot-harness';
import { HttpBot, HttpResponse, collectingLogger, startHttpBot } from '../helpers/http-bot';
import { FailingWritesStore, UnreachableSettingsStore } from './store-faults';

const statusAndBody = ({ status, body }: HttpResponse) => ({ status, body });

// /healthz: the process is alive (no dependency). /readyz: the store answers a point read of the
// settings document; otherwise 503 with a reason an operator can act on, and no internals.

describe('/healthz and /readyz', () => {
  let h: HttpBot;
  let store: UnreachableSettingsStore;
  const logs = collectingLogger();

  beforeAll(async () => {
    h = await startHttpBot({
      logger: logs.logger,
      server: { readinessCacheMs: 0 },
      wrapStore: (inner) => (store = new UnreachableSettingsStore(inner)),
    });
  });
  afterAll(() => h?.close());
  afterEach(() => {
    store.failing = false;
  });

  test('/healthz answers 200 at once, and touches no store', async () => {
    const readsBefore = h.store.stats.reads;
    const started = performance.now();
    const response = await h.get('/healthz');
    expect(statusAndBody(response)).toEqual({ status: 200, body: { status: 'ok' } });
    expect(performance.now() - started).toBeLessThan(500);
    expect(h.store.stats.reads).toBe(readsBefore);
  });

  test('/readyz answers 200 when the store answers: one point read', async () => {
    const readsBefore = h.store.stats.reads;
    expect(statusAndBody(await h.get('/readyz'))).toEqual({ status: 200, body: { status: 'ready' } });
    expect(h.store.stats.reads).toBe(readsBefore + 1);
  });

  test('/readyz answers 503 with the reason when the store read fails; the error itself goes to the log only; /healthz stays 200', async () => {
    store.failing = true;
    const response = await h.get('/readyz');
    expect(statusAndBody(response)).toEqual({ status: 503, body: { status: 'unavailable', reason: 'store unreachable' } });
    expect(JSON.stringify(response.body)).not.toContain('ECONNREFUSED');
    expect(logs.entries()).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'readiness: the store read failed', error: expect.stringContaining('ECONNREFUSED') }));
    expect((await h.get('/healthz')).status).toBe(200);

    store.failing = false;
    expect((await h.get('/readyz')).status).toBe(200);
  });
});

describe('the readiness check', () => {
  const settingsReads = (read: DocumentStore['read']) => ({ read }) as unknown as DocumentStore;
  const logger = collectingLogger().logger;

  test('a store that does not answer in time is not ready, with the time in the reason', async () => {
    const check = createReadinessCheck(settingsReads(() => new Promise(() => undefined)), logger, { timeoutMs: 30 });
    expect(await check()).toEqual({ ready: false, reason: 'store did not answer within 30 ms' });
  });

  test('a success is reused for a moment and concurrent probes share one read, so /readyz cannot be turned into store load', async () => {
    let reads = 0;
    const check = createReadinessCheck(
      settingsReads(async () => {
        reads += 1;
        await new Promise((resolve) => setTimeout(resolve, 10));
        return undefined;
      }),
      logger,
      { cacheMs: 60_000 },
    );
    await Promise.all([check(), check(), check()]);
    await check();
    expect(reads).toBe(1);
  });

  test('failures are not reused: the next probe reads again', async () => {
    let reads = 0;
    const check = createReadinessCheck(settingsReads(async () => {
      reads += 1;
      throw new Error('down');
    }), logger, { cacheMs: 60_000 });
    expect((await check()).ready).toBe(false);
    expect((await check()).ready).toBe(false);
    expect(reads).toBe(2);
  });
});

describe('/readyz when the store stops taking writes', () => {
  let h: HttpBot;
  let store: FailingWritesStore;
  const logs = collectingLogger();
  let patch = 0;
  const cutRc = () => h.post(h.message(people.jake, `rc 2032.1.${(patch += 1)}-rc.1\nnotes: https://notes.example/x`));

  beforeAll(async () => {
    h = await startHttpBot({
      logger: logs.logger,
      server: { readinessCacheMs: 60_000 },
      wrapStore: (inner) => (store = new FailingWritesStore(inner)),
    });
  });
  afterAll(() => h?.close());

  test('three failed writes in a row make it unready (reads still work), until a write succeeds again', async () => {
    expect(statusAndBody(await h.get('/readyz'))).toEqual({ status: 200, body: { status: 'ready' } });
    store.failing = true;
    for (let i = 0; i < 3; i++) expect((await cutRc()).status).toBe(200); // each answered "nothing was changed"
    expect(store.refused).toBeGreaterThanOrEqual(3);

    // Not the cached success: the failures are news.
    const unready = await h.get('/readyz');
    expect(statusAndBody(unready)).toEqual({ status: 503, body: { status: 'unavailable', reason: 'store writes failing' } });
    expect(JSON.stringify(unready.body)).not.toContain('SQLITE_FULL');
    expect(logs.entries()).toContainEqual(
      expect.objectContaining({ level: 'error', msg: 'store writes failing: reporting unready', error: expect.stringContaining('disk is full') }),
    );
    // Still failing: the probe write fails too.
    const refusedBefore = store.refused;
    expect((await h.get('/readyz')).status).toBe(503);
    expect(store.refused).toBe(refusedBefore + 1);
    expect((await h.get('/healthz')).status).toBe(200);

    // With no traffic at all, the probe write finds the store writable again.
    store.failing = false;
    expect(statusAndBody(await h.get('/readyz'))).toEqual({ status: 200, body: { status: 'ready' } });
    expect(logs.entries()).toContainEqual(expect.objectContaining({ level: 'info', msg: 'store writes succeed again' }));
    expect((await cutRc()).status).toBe(200);
    expect(await h.release(`2032.1.${patch}`)).toBeDefined();
  });
});

describe('the write tracker', () => {
  test('conflicts and lost ETag races are the store working; other errors count, and one success clears them', async () => {
    const health = new WriteHealth(collectingLogger().logger, { unreadyAfter: 2 });
    const inner = openEmbeddedStore(':memory:');
    const store = trackWrites(inner, health);
    try {
      const created = await store.create({ pk: 'p', id: 'a' });
      await expect(store.create({ pk: 'p', id: 'a' })).rejects.toMatchObject({ code: 'conflict' });
      await expect(store.replace({ pk: 'p', id: 'a' }, '"old"')).rejects.toMatchObject({ code: 'stale' });
      expect(health.failing).toBe(false);

      health.failed(new BotError('busy', 'throttled'));
      expect(health.failing).toBe(false);
      health.failed(new Error('disk full'));
      expect(health.failing).toBe(true);
      await store.replace({ pk: 'p', id: 'a' }, created.etag);
      expect(health.failing).toBe(false);
    } finally {
      await inner.close();
    }
  });
});
