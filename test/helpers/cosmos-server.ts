import { createHttpsServer } from '@vercel/cosmosdb-server';
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { Agent } from 'node:https';
import type { AddressInfo } from 'node:net';

// A Cosmos DB protocol server (@vercel/cosmosdb-server) in this process on 127.0.0.1 and an
// ephemeral port, so store tests speak real Cosmos REST over TLS through the real SDK.
//
// What it does like Cosmos: ETags, 409 on a duplicate (pk, id), 412 on a stale If-Match, 404 on a
// missing document, SQL queries, x-ms-request-charge (always 1). What it does not (checked):
//  - TTL: documents with `ttl` never expire (the field is stored; nothing reads it).
//  - queries ignore the partitionKey option: scope a partition with `c.pk = @pk` in the WHERE.
//  - transactional batch is not atomic; the change feed is a stub.
//  - authorization is not checked: any key (or Entra token) is accepted.
// The store relies on none of these.

/** A request the server saw, for asserting how many round trips an operation took. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}

const FAULT_CODES = { 401: 'Unauthorized', 403: 'Forbidden', 429: 'TooManyRequests', 503: 'ServiceUnavailable' } as const;

/** Answer the next `count` requests that match with `status`, as a throttled, unavailable or refusing Cosmos does. */
export interface Fault {
  readonly status: keyof typeof FAULT_CODES;
  readonly count: number;
  readonly retryAfterMs?: number;
  readonly match?: (request: SeenRequest) => boolean;
}

export interface LocalCosmosServer {
  readonly endpoint: string;
  /** Any well-formed base64 key: the SDK signs with it, the server does not check it. */
  readonly key: string;
  /** Accepts the server's self-signed (and expired) certificate. Tests only. */
  readonly agent: Agent;
  /** Every request received, faulted ones included, oldest first. */
  readonly requests: readonly SeenRequest[];
  injectFault(fault: Fault): void;
  /** Drops the faults not used up yet. */
  clearFaults(): void;
  close(): Promise<void>;
}

export interface CosmosServerOptions {
  /** Keep connections open between requests, as real Cosmos does (without it every request pays a TLS handshake). */
  readonly keepAlive?: boolean;
}

export async function startCosmosServer(options: CosmosServerOptions = {}): Promise<LocalCosmosServer> {
  // keepAlive is an option of the server's own, missing from its types
  const server = options.keepAlive ? createHttpsServer({ keepAlive: true } as never) : createHttpsServer();
  const requests: SeenRequest[] = [];
  const faults: Array<{ fault: Fault; left: number }> = [];

  // Faults are injected in front of the server's own handler rather than in a separate proxy: the
  // account metadata advertises the server's address, and the SDK would route around a proxy.
  const serve = server.listeners('request')[0] as (req: IncomingMessage, res: ServerResponse) => void;
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const seen: SeenRequest = { method: req.method ?? '', path: new URL(req.url ?? '/', 'https://local').pathname, headers: req.headers };
    requests.push(seen);
    const active = faults.find((f) => f.left > 0 && (f.fault.match?.(seen) ?? true));
    if (!active) return serve(req, res);
    active.left -= 1;
    req.resume();
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-ms-request-charge': '0' };
    if (active.fault.retryAfterMs !== undefined) headers['x-ms-retry-after-ms'] = String(active.fault.retryAfterMs);
    res.writeHead(active.fault.status, headers);
    res.end(JSON.stringify({ code: FAULT_CODES[active.fault.status], message: 'injected by test' }));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ rejectUnauthorized: false });

  return {
    endpoint: `https://127.0.0.1:${port}/`,
    key: randomBytes(64).toString('base64'),
    agent,
    requests,
    injectFault(fault) {
      faults.push({ fault, left: fault.count });
    },
    clearFaults() {
      faults.length = 0;
    },
    async close() {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
