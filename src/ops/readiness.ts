import { CHANNELS_ID, SETTINGS_PARTITION } from '../app/documents';
import { Logger, errorFields } from '../logger';
import { DocumentStore, StoredDocument } from '../store/document-store';
import { delay } from './turns';
import { WriteHealth } from './write-health';

// GET /readyz: can this instance serve? It can when the store answers a point read of the settings
// document (one read; absent is fine) and its writes are not failing (see write-health). While they
// are, each check writes a small probe document, so the instance comes back once the store takes
// writes again even with no traffic. The reason is a category; the store's own error goes to the
// log only, since /readyz is reachable by anyone who can reach /api/messages.

export type Readiness = { readonly ready: true } | { readonly ready: false; readonly reason: string };

export interface ReadinessOptions {
  readonly timeoutMs?: number;
  /** A success is reused this long, so probes (or anyone else) cannot turn into store load. */
  readonly cacheMs?: number;
  /** Outcomes of the store's writes, recorded by trackWrites; without it only reads are checked. */
  readonly writes?: WriteHealth;
}

/** Written only while writes are failing, to find out when they work again; expires by itself. */
export const READINESS_PROBE_ID = 'readiness-probe';
interface ProbeDocument extends StoredDocument {
  readonly probedAt: string;
}

export function createReadinessCheck(store: DocumentStore, logger: Logger, options: ReadinessOptions = {}): () => Promise<Readiness> {
  const timeoutMs = options.timeoutMs ?? 2_000;
  const cacheMs = options.cacheMs ?? 1_000;
  let readyUntil = 0;
  let running: Promise<Readiness> | undefined;

  const writes = options.writes;
  const probeWrite = async (): Promise<Readiness> => {
    const doc: ProbeDocument = { pk: SETTINGS_PARTITION, id: READINESS_PROBE_ID, probedAt: new Date().toISOString(), ttl: 3600 };
    try {
      const current = await store.read<ProbeDocument>(SETTINGS_PARTITION, READINESS_PROBE_ID);
      await (current ? store.replace(doc, current.etag) : store.create(doc));
    } catch {
      // recorded by the write tracker, which decides below
    }
    return writes?.failing ? { ready: false, reason: 'store writes failing' } : { ready: true };
  };

  const check = async (): Promise<Readiness> => {
    const read = store.read(SETTINGS_PARTITION, CHANNELS_ID).then(
      (): Promise<Readiness> | Readiness => (writes?.failing ? probeWrite() : { ready: true }),
      (error: unknown) => {
        logger.warn(errorFields(error), 'readiness: the store read failed');
        return { ready: false, reason: 'store unreachable' } as const;
      },
    );
    const result = await Promise.race([read, delay(timeoutMs).then(() => ({ ready: false, reason: `store did not answer within ${timeoutMs} ms` }) as const)]);
    if (result.ready) readyUntil = Date.now() + cacheMs;
    else if (result.reason.startsWith('store did not answer')) logger.warn({ timeoutMs }, 'readiness: the store did not answer in time');
    return result;
  };

  return () => {
    if (Date.now() < readyUntil && !writes?.failing) return Promise.resolve({ ready: true });
    running ??= check().finally(() => {
      running = undefined;
    });
    return running;
  };
}
