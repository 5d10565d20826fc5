import { CosmosClient } from '@azure/cosmos';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { randomUUID } from 'node:crypto';
import { BotError, isBotError } from '../../src/errors';
import { openCosmosStore, CosmosStoreOptions } from '../../src/store/cosmos-store';
import { DocumentStore, StoredDocument } from '../../src/store/document-store';
import { openStoreFromEnv } from '../../src/store/open-store';
import { LocalCosmosServer, SeenRequest, startCosmosServer } from '../helpers/cosmos-server';
import { describeDocumentStoreContract } from './contract';

// The Cosmos store through the real @azure/cosmos SDK, over TLS, against a Cosmos protocol server
// on loopback (test/helpers/cosmos-server.ts lists what that server does not do). Each test gets a
// database of its own, which the store creates.

let server: LocalCosmosServer;
beforeAll(async () => {
  server = await startCosmosServer();
});
afterAll(async () => {
  await server.close();
});

function options(overrides: Partial<CosmosStoreOptions> = {}): CosmosStoreOptions {
  return { endpoint: server.endpoint, key: server.key, agent: server.agent, databaseId: `db-${randomUUID()}`, ...overrides };
}

/** A raw SDK client, to look at the server's state other than through the store. */
function rawClient(): CosmosClient {
  return new CosmosClient({ endpoint: server.endpoint, key: server.key, agent: server.agent });
}

function requestsSince(mark: number): SeenRequest[] {
  return server.requests.slice(mark);
}

const docsPath = (request: SeenRequest) => /\/docs(\/|$)/.test(request.path);

describeDocumentStoreContract(
  'Cosmos DB (@azure/cosmos against a local Cosmos protocol server)',
  async () => {
    const opened = options();
    let store: DocumentStore = await openCosmosStore(opened);
    return {
      store,
      async reopen() {
        await store.close();
        store = await openCosmosStore(opened);
        return store;
      },
      async cleanup() {
        await store.close();
      },
    };
  },
  // The local server stores `ttl` but never expires documents; Cosmos DB does (the container is
  // created with default TTL -1, checked below).
  { honoursTtl: false },
);

describe('Cosmos store', () => {
  const stores: DocumentStore[] = [];
  async function open(overrides: Partial<CosmosStoreOptions> = {}): Promise<DocumentStore> {
    const store = await openCosmosStore(options(overrides));
    stores.push(store);
    return store;
  }
  afterEach(async () => {
    server.clearFaults();
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });

  describe('opening', () => {
    it('creates the database and the container (partition key /pk, TTL on) when missing, and reuses them after', async () => {
      const databaseId = `db-${randomUUID()}`;
      const first = await open({ databaseId, containerId: 'releases' });
      await first.create({ pk: 'settings', id: 'channels' });

      const client = rawClient();
      try {
        const { resource } = await client.database(databaseId).container('releases').read();
        expect(resource?.partitionKey?.paths).toEqual(['/pk']);
        expect(resource?.defaultTtl).toBe(-1);
      } finally {
        client.dispose();
      }

      const second = await open({ databaseId, containerId: 'releases' });
      expect(await second.read('settings', 'channels')).toBeDefined();
    });

    it("defaults to database 'lendos' and container 'releases'", async () => {
      await open({ databaseId: undefined });
      const client = rawClient();
      try {
        const { resource } = await client.database('lendos').container('releases').read();
        expect(resource?.id).toBe('releases');
      } finally {
        client.dispose();
      }
    });

    it.each([
      ['partitioned by another path', { partitionKey: { paths: ['/id'] }, defaultTtl: -1 }, /partitioned by \["\/id"\]/],
      ['with time-to-live off', { partitionKey: { paths: ['/pk'] } }, /time-to-live off/],
    ])("refuses an existing container %s with BotError 'invalid'", async (_, definition, message) => {
      const databaseId = `db-${randomUUID()}`;
      const client = rawClient();
      try {
        const { database } = await client.databases.createIfNotExists({ id: databaseId });
        await database.containers.create({ id: 'releases', ...definition });
      } finally {
        client.dispose();
      }
      const error = await openCosmosStore(options({ databaseId })).catch((e: unknown) => e);
      expect(isBotError(error, 'invalid')).toBe(true);
      expect((error as BotError).message).toMatch(message);
    });

    it("turns a refused sign-in at start (403) into BotError 'invalid' saying what to check", async () => {
      server.injectFault({ status: 403, count: 1, match: (r) => r.method === 'GET' && /^\/+dbs\/[^/]+$/.test(r.path) });
      const error = await openCosmosStore(options()).catch((e: unknown) => e);
      expect(isBotError(error, 'invalid')).toBe(true);
      expect((error as BotError).message).toMatch(/answered 403.*COSMOS_KEY.*data-plane role/);
    });

    it('signs in with an Entra ID credential when there is no key', async () => {
      const scopes: string[] = [];
      const credential: TokenCredential = {
        async getToken(scope): Promise<AccessToken> {
          scopes.push(...(Array.isArray(scope) ? scope : [scope]));
          return { token: 'entra-token-for-test', expiresOnTimestamp: Date.now() + 3_600_000 };
        },
      };
      const mark = server.requests.length;
      const store = await open({ key: undefined, credential });
      await store.create({ pk: 'settings', id: 'channels' });

      const create = requestsSince(mark).find((r) => r.method === 'POST' && docsPath(r))!;
      expect(decodeURIComponent(String(create.headers.authorization))).toBe('type=aad&ver=1.0&sig=entra-token-for-test');
      expect(scopes.length).toBeGreaterThan(0);
      expect(scopes.every((scope) => scope.endsWith('/.default'))).toBe(true);
    });
  });

  describe('request accounting', () => {
    it('costs exactly one read and one write for a point read plus a conditional replace, on the wire too', async () => {
      const store = await open();
      await store.create({ pk: '2026.4.0', id: '2026.4.0', outbox: [] });
      const before = { ...store.stats };
      const mark = server.requests.length;

      const current = await store.read<StoredDocument>('2026.4.0', '2026.4.0');
      await store.replace({ ...current!.doc, outbox: [{ id: 'm1' }] }, current!.etag);

      expect(store.stats.reads - before.reads).toBe(1);
      expect(store.stats.writes - before.writes).toBe(1);
      expect(store.stats.queries - before.queries).toBe(0);
      // The local server reports 1 RU per request; Cosmos DB reports the real charge.
      expect(store.stats.requestCharge - before.requestCharge).toBe(2);
      const wire = requestsSince(mark).map((r) => `${r.method} ${r.path.replace(/^\/+/, '/')}`);
      expect(wire).toEqual([expect.stringMatching(/^GET \/dbs\/.+\/colls\/releases\/docs\/2026\.4\.0$/), expect.stringMatching(/^PUT \/dbs\/.+\/docs\/2026\.4\.0$/)]);
      expect(requestsSince(mark)[1].headers['if-match']).toBe(current!.etag);
    });

    it("maps the server's 412 on a stale If-Match to BotError 'stale', and counts its charge", async () => {
      const store = await open();
      const created = await store.create({ pk: 'p', id: 'x', outbox: [] });
      await store.replace({ pk: 'p', id: 'x', outbox: [{ id: 'm1' }] }, created.etag);
      const charge = store.stats.requestCharge;

      const error = await store.replace({ pk: 'p', id: 'x', outbox: [] }, created.etag).catch((e: unknown) => e);
      expect(isBotError(error, 'stale')).toBe(true);
      expect((error as BotError).cause).toMatchObject({ code: 412 });
      expect(store.stats.requestCharge - charge).toBe(1);
    });

    it("maps the server's 409 on a duplicate create to BotError 'conflict'", async () => {
      const store = await open();
      await store.create({ pk: 'p', id: 'x' });
      const error = await store.create({ pk: 'p', id: 'x' }).catch((e: unknown) => e);
      expect(isBotError(error, 'conflict')).toBe(true);
      expect((error as BotError).cause).toMatchObject({ code: 409 });
    });
  });

  describe('throttling and unavailability', () => {
    it('retries a 429, waiting as long as x-ms-retry-after-ms says, then succeeds', async () => {
      const store = await open();
      const created = await store.create({ pk: 'p', id: 'x', outbox: [] });
      const mark = server.requests.length;
      server.injectFault({ status: 429, count: 2, retryAfterMs: 150, match: (r) => r.method === 'PUT' && docsPath(r) });

      const started = Date.now();
      const replaced = await store.replace({ pk: 'p', id: 'x', outbox: [{ id: 'm1' }] }, created.etag);
      const elapsed = Date.now() - started;

      expect(replaced.etag).not.toBe(created.etag);
      expect(elapsed).toBeGreaterThanOrEqual(290);
      expect(requestsSince(mark).filter((r) => r.method === 'PUT')).toHaveLength(3);
      expect(store.stats.retries).toBe(2);
      expect(store.stats.writes).toBe(2);
      expect(await store.listPendingOutbox()).toEqual([{ pk: 'p', id: 'x' }]);
    });

    it("gives up after 5 tries with BotError 'busy' when the server stays throttled", async () => {
      const store = await open();
      const mark = server.requests.length;
      server.injectFault({ status: 429, count: 100, retryAfterMs: 5, match: (r) => r.method === 'POST' && docsPath(r) });

      const error = await store.create({ pk: 'p', id: 'x' }).catch((e: unknown) => e);

      expect(isBotError(error, 'busy')).toBe(true);
      expect((error as BotError).message).toMatch(/429 .* 5 times/);
      expect(requestsSince(mark).filter((r) => r.method === 'POST')).toHaveLength(5);
      expect(store.stats.retries).toBe(4);
    });

    it('retries a 503 with its own backoff when the server gives no retry-after', async () => {
      const store = await open({ retry: { baseDelayMs: 40, maxDelayMs: 200 } });
      const mark = server.requests.length;
      server.injectFault({ status: 503, count: 2, match: (r) => r.method === 'POST' && docsPath(r) });

      const started = Date.now();
      await store.create({ pk: 'p', id: 'x' });
      // Jittered exponential backoff: 20–40 ms, then 40–80 ms.
      expect(Date.now() - started).toBeGreaterThanOrEqual(55);
      expect(requestsSince(mark).filter((r) => r.method === 'POST')).toHaveLength(3);
      expect(store.stats.retries).toBe(2);
    });

    it('caps a long retry-after at maxDelayMs and bounds the whole wait', async () => {
      const store = await open({ retry: { attempts: 3, maxDelayMs: 50 } });
      server.injectFault({ status: 429, count: 3, retryAfterMs: 60_000, match: (r) => r.method === 'GET' && docsPath(r) });

      const started = Date.now();
      const error = await store.read('p', 'x').catch((e: unknown) => e);
      expect(isBotError(error, 'busy')).toBe(true);
      expect(Date.now() - started).toBeLessThan(2_000);
    });

    it('retries the cross-partition outbox query too', async () => {
      const store = await open();
      await store.create({ pk: 'p', id: 'x', outbox: [{ id: 'm1' }] });
      server.injectFault({ status: 429, count: 1, retryAfterMs: 10, match: (r) => r.method === 'POST' && docsPath(r) && r.headers['x-ms-documentdb-isquery'] !== undefined });

      expect(await store.listPendingOutbox()).toEqual([{ pk: 'p', id: 'x' }]);
      expect(store.stats.queries).toBe(1);
      expect(store.stats.retries).toBe(1);
    });
  });

  describe('openStoreFromEnv', () => {
    it('opens Cosmos DB when COSMOS_ENDPOINT is set, and never logs the key', async () => {
      const databaseId = `db-${randomUUID()}`;
      const { store, description } = await openStoreFromEnv(
        { COSMOS_ENDPOINT: server.endpoint, COSMOS_KEY: server.key, COSMOS_DATABASE: databaseId, COSMOS_CONTAINER: 'state', LENDOS_STORE_PATH: '/nonexistent/never-used.db' },
        { agent: server.agent },
      );
      stores.push(store);
      expect(description).toBe(`Cosmos DB ${server.endpoint} database ${databaseId} container state, signed in with account key`);
      expect(description).not.toContain(server.key);
      await store.create({ pk: 'settings', id: 'channels' });

      const client = rawClient();
      try {
        const { resource } = await client.database(databaseId).container('state').item('channels', 'settings').read();
        expect(resource).toMatchObject({ pk: 'settings', id: 'channels' });
      } finally {
        client.dispose();
      }
    });

    it("refuses an endpoint that is not https with BotError 'invalid'", async () => {
      const error = await openStoreFromEnv({ COSMOS_ENDPOINT: 'http://localhost:8081' }).catch((e: unknown) => e);
      expect(isBotError(error, 'invalid')).toBe(true);
    });
  });
});
