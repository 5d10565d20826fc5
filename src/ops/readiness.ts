import { CHANNELS_ID, SETTINGS_PARTITION } from '../app/documents';
import { Logger, errorFields } from '../logger';
import { DocumentStore } from '../store/document-store';
import { delay } from './turns';

// GET /readyz: can this instance serve? It can when the store answers a point read of the settings
// document (one read; absent is fine). The reason is a category; the store's own error goes to the
// log only, since /readyz is reachable by anyone who can reach /api/messages.

export type Readiness = { readonly ready: true } | { readonly ready: false; readonly reason: string };

export interface ReadinessOptions {
  readonly timeoutMs?: number;
  /** A success is reused this long, so probes (or anyone else) cannot turn into store load. */
  readonly cacheMs?: number;
}

export function createReadinessCheck(store: DocumentStore, logger: Logger, options: ReadinessOptions = {}): () => Promise<Readiness> {
  const timeoutMs = options.timeoutMs ?? 2_000;
  const cacheMs = options.cacheMs ?? 1_000;
  let readyUntil = 0;
  let running: Promise<Readiness> | undefined;

  const check = async (): Promise<Readiness> => {
    const read = store.read(SETTINGS_PARTITION, CHANNELS_ID).then(
      () => ({ ready: true }) as const,
      (error: unknown) => {
        logger.warn(errorFields(error), 'readiness: the store read failed');
        return { ready: false, reason: 'store unreachable' } as const;
      },
    );
    const result = await Promise.race([read, delay(timeoutMs).then(() => ({ ready: false, reason: `store did not answer within ${timeoutMs} ms` }) as const)]);
    if (result.ready) readyUntil = Date.now() + cacheMs;
    else if (result.reason !== 'store unreachable') logger.warn({ timeoutMs }, 'readiness: the store did not answer in time');
    return result;
  };

  return () => {
    if (Date.now() < readyUntil) return Promise.resolve({ ready: true });
    running ??= check().finally(() => {
      running = undefined;
    });
    return running;
  };
}
