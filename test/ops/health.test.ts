import { createReadinessCheck } from '../../src/ops/readiness';
import { DocumentStore } from '../../src/store/document-store';
import { HttpBot, collectingLogger, startHttpBot } from '../helpers/http-bot';
import { UnreachableSettingsStore } from './store-faults';

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
    expect(response).toEqual({ status: 200, body: { status: 'ok' } });
    expect(performance.now() - started).toBeLessThan(500);
    expect(h.store.stats.reads).toBe(readsBefore);
  });

  test('/readyz answers 200 when the store answers: one point read', async () => {
    const readsBefore = h.store.stats.reads;
    expect(await h.get('/readyz')).toEqual({ status: 200, body: { status: 'ready' } });
    expect(h.store.stats.reads).toBe(readsBefore + 1);
  });

  test('/readyz answers 503 with the reason when the store read fails; the error itself goes to the log only; /healthz stays 200', async () => {
    store.failing = true;
    const response = await h.get('/readyz');
    expect(response).toEqual({ status: 503, body: { status: 'unavailable', reason: 'store unreachable' } });
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
