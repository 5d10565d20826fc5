import { createHttpsServer } from '@vercel/cosmosdb-server';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

// A Cosmos DB protocol server (@vercel/cosmosdb-server) on loopback for the benchmark, counting
// the requests it serves by kind, so "store requests per command" is what a Cosmos account would
// bill, not what the bot believes it did. Created with keepAlive, as real Cosmos keeps connections
// open (without it the server answers `connection: close` and every request pays a TLS handshake).

export interface CosmosCounts {
  /** GET …/docs/{id}: point reads. */
  reads: number;
  /** PUT …/docs/{id}: replaces (the bot's are all conditional, If-Match). */
  replaces: number;
  /** POST …/docs: creates (upserts included). */
  creates: number;
  /** POST …/docs with x-ms-documentdb-isquery: queries (the outbox sweep's). */
  queries: number;
  deletes: number;
  /** Everything else: account, database, container and partition-range metadata. */
  metadata: number;
}

export interface BenchCosmos {
  readonly endpoint: string;
  readonly key: string;
  readonly counts: CosmosCounts;
  /** performance.now() of the newest request. */
  readonly lastRequestAt: number;
  /** Resolves once no request has arrived for `quietMs` (bounded by `timeoutMs`). */
  quiet(quietMs: number, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export function zeroCounts(): CosmosCounts {
  return { reads: 0, replaces: 0, creates: 0, queries: 0, deletes: 0, metadata: 0 };
}

export function countsSince(now: CosmosCounts, before: CosmosCounts): CosmosCounts {
  const out = zeroCounts();
  for (const key of Object.keys(out) as Array<keyof CosmosCounts>) out[key] = now[key] - before[key];
  return out;
}

/** Document requests (everything but metadata). */
export function documentRequests(counts: CosmosCounts): number {
  return counts.reads + counts.replaces + counts.creates + counts.queries + counts.deletes;
}

export async function startBenchCosmos(): Promise<BenchCosmos> {
  const server = createHttpsServer({ keepAlive: true } as never);
  const counts = zeroCounts();
  let lastRequestAt = 0;
  const serve = server.listeners('request')[0] as (req: IncomingMessage, res: ServerResponse) => void;
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    lastRequestAt = performance.now();
    const path = (req.url ?? '').split('?')[0]!;
    const doc = /\/docs\/[^/]+$/.test(path);
    const docs = /\/docs\/?$/.test(path);
    if (req.method === 'GET' && doc) counts.reads += 1;
    else if (req.method === 'PUT' && doc) counts.replaces += 1;
    else if (req.method === 'DELETE' && doc) counts.deletes += 1;
    else if (req.method === 'POST' && docs) {
      if (String(req.headers['x-ms-documentdb-isquery'] ?? '').toLowerCase() === 'true' || String(req.headers['content-type']).includes('query+json')) counts.queries += 1;
      else counts.creates += 1;
    } else counts.metadata += 1;
    serve(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `https://127.0.0.1:${port}/`,
    key: randomBytes(64).toString('base64'),
    counts,
    get lastRequestAt() {
      return lastRequestAt;
    },
    async quiet(quietMs, timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      while (performance.now() < deadline) {
        const since = performance.now() - lastRequestAt;
        if (since >= quietMs) return;
        await new Promise((resolve) => setTimeout(resolve, quietMs - since + 1));
      }
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
