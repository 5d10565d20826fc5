import { Container, ContainerDefinition, CosmosClient, ErrorResponse } from '@azure/cosmos';
import type { TokenCredential } from '@azure/identity';
import { DefaultAzureCredential } from '@azure/identity';
import type { Agent } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { BotError } from '../errors';
import { DocumentStore, StoredDocument, StoreStats, Versioned, newStoreStats } from './document-store';

// The production store: one Cosmos DB container partitioned by /pk. A command is a point read plus
// one conditional replace (If-Match on the ETag) of a single document, which Cosmos applies
// atomically; nothing here relies on transactional batch, stored procedures or the change feed.

export interface CosmosStoreOptions {
  /** Account endpoint, e.g. https://lendos.documents.azure.com:443/ */
  readonly endpoint: string;
  /** Account key. Without it the store signs in with Entra ID (`credential`, else DefaultAzureCredential). */
  readonly key?: string;
  /** Entra ID credential used when there is no key; defaults to DefaultAzureCredential. */
  readonly credential?: TokenCredential;
  readonly databaseId?: string;
  readonly containerId?: string;
  /** HTTPS agent. Tests pass one that accepts the local server's self-signed certificate; production never does. */
  readonly agent?: Agent;
  readonly retry?: Partial<RetryPolicy>;
}

/**
 * How 429 (throttled) and 503 (unavailable) answers are retried. The SDK's own throttling retry
 * (default: up to 9 retries over 30 s) is turned off so that this is the one policy for both codes:
 * bounded (default 5 tries, at most ~4 s of waiting), visible in `stats.retries`, and short enough
 * that a command still answers within Teams' time limits. The SDK's region-failover policy stays
 * on: it may itself repeat a 503 *read* once (against the next region) before we see the 503.
 */
export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly attempts: number;
  /** First backoff when the server gives no retry-after; doubles each try, with jitter. */
  readonly baseDelayMs: number;
  /** Upper bound of any single wait, retry-after included. */
  readonly maxDelayMs: number;
}

export const DEFAULT_DATABASE_ID = 'lendos';
export const DEFAULT_CONTAINER_ID = 'releases';
const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };
const PARTITION_KEY_PATH = '/pk';
const SYSTEM_PROPERTIES = ['_rid', '_self', '_etag', '_attachments', '_ts', '_lsn'] as const;
const PENDING_OUTBOX_QUERY = 'SELECT c.pk, c.id FROM c WHERE IS_DEFINED(c.outbox) AND ARRAY_LENGTH(c.outbox) > 0';

/**
 * Connects, creates the database and the container if missing (partition key /pk, default TTL -1
 * so documents with a `ttl` expire and the others never do) and checks an existing container has
 * that shape. With Entra ID the identity needs a data-plane role; creating a missing database or
 * container is a control-plane operation, so in that setup infrastructure must create them.
 */
export async function openCosmosStore(options: CosmosStoreOptions): Promise<DocumentStore> {
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const client = new CosmosClient({
    endpoint: options.endpoint,
    ...(options.key ? { key: options.key } : { aadCredentials: options.credential ?? new DefaultAzureCredential() }),
    ...(options.agent ? { agent: options.agent } : {}),
    connectionPolicy: { retryOptions: { maxRetryAttemptCount: 0 } },
  });
  try {
    const container = await ensureContainer(client, options.databaseId ?? DEFAULT_DATABASE_ID, options.containerId ?? DEFAULT_CONTAINER_ID, retry);
    return cosmosDocumentStore(client, container, retry);
  } catch (error) {
    client.dispose();
    throw error;
  }
}

async function ensureContainer(client: CosmosClient, databaseId: string, containerId: string, retry: RetryPolicy): Promise<Container> {
  const where = `Cosmos container ${databaseId}/${containerId}`;
  // Start-up requests are not part of any command, so they stay out of the store's stats.
  const startupStats = newStoreStats();
  try {
    const { database } = await withRetry(retry, startupStats, `open database ${databaseId}`, () =>
      evenIfCreatedMeanwhile(() => client.databases.createIfNotExists({ id: databaseId })),
    );
    const { container, resource } = await withRetry(retry, startupStats, `open container ${containerId}`, () =>
      evenIfCreatedMeanwhile(() =>
        database.containers.createIfNotExists({ id: containerId, partitionKey: { paths: [PARTITION_KEY_PATH] }, defaultTtl: -1 }),
      ),
    );
    checkContainerShape(where, resource);
    return container;
  } catch (error) {
    const status = statusOf(error);
    if (status === 401 || status === 403) {
      throw new BotError(
        'invalid',
        `${where}: Cosmos DB answered ${status}. Check COSMOS_KEY, or with Entra ID give the identity a data-plane role ` +
          '(Cosmos DB Built-in Data Contributor) and create the database and container in infrastructure.',
        error,
      );
    }
    throw error;
  }
}

/**
 * The SDK's createIfNotExists is a read and then a create: instances starting together (a scale-out)
 * all read "missing" and all but one get 409 on the create. The resource exists by then; read it.
 */
async function evenIfCreatedMeanwhile<R>(createIfNotExists: () => Promise<R>): Promise<R> {
  try {
    return await createIfNotExists();
  } catch (error) {
    if (statusOf(error) !== 409) throw error;
    return createIfNotExists();
  }
}

function checkContainerShape(where: string, resource: ContainerDefinition | undefined): void {
  const paths = resource?.partitionKey?.paths ?? [];
  if (paths.length !== 1 || paths[0] !== PARTITION_KEY_PATH) {
    throw new BotError('invalid', `${where} is partitioned by ${JSON.stringify(paths)}; lendos needs ["${PARTITION_KEY_PATH}"]`);
  }
  if (typeof resource?.defaultTtl !== 'number') {
    throw new BotError('invalid', `${where} has time-to-live off; set its default TTL to -1 ("on, no default") so documents with a ttl expire`);
  }
}

function cosmosDocumentStore(client: CosmosClient, container: Container, retry: RetryPolicy): DocumentStore {
  const stats: StoreStats = newStoreStats();
  const charge = (amount: number | undefined) => {
    if (typeof amount === 'number' && Number.isFinite(amount)) stats.requestCharge += amount;
  };
  /** Runs one request with the retry policy, adding its request charge whether it succeeds or not. */
  const send = async <R extends { requestCharge?: number }>(what: string, call: () => Promise<R>): Promise<R> => {
    try {
      const response = await withRetry(retry, stats, what, call);
      charge(response.requestCharge);
      return response;
    } catch (error) {
      charge(requestChargeOf(error));
      throw error;
    }
  };

  return {
    stats,
    async read<T extends StoredDocument>(pk: string, id: string): Promise<Versioned<T> | undefined> {
      stats.reads += 1;
      try {
        const response = await send(`read ${pk}/${id}`, () => container.item(id, pk).read<T>());
        if (response.statusCode === 404 || !response.resource) return undefined;
        return { doc: withoutSystemProperties(response.resource), etag: response.etag };
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        throw error;
      }
    },
    async create<T extends StoredDocument>(doc: T): Promise<Versioned<T>> {
      stats.writes += 1;
      try {
        const response = await send(`create ${doc.pk}/${doc.id}`, () => container.items.create(doc));
        return { doc, etag: response.etag };
      } catch (error) {
        if (statusOf(error) === 409) throw new BotError('conflict', `document ${doc.pk}/${doc.id} already exists`, error);
        throw error;
      }
    },
    async replace<T extends StoredDocument>(doc: T, etag: string): Promise<Versioned<T>> {
      stats.writes += 1;
      try {
        const response = await send(`replace ${doc.pk}/${doc.id}`, () =>
          container.item(doc.id, doc.pk).replace(doc, { accessCondition: { type: 'IfMatch', condition: etag } }),
        );
        return { doc, etag: response.etag };
      } catch (error) {
        // 404: the document is gone (expired or deleted) since it was read — stale all the same.
        const status = statusOf(error);
        if (status === 412 || status === 404) {
          throw new BotError('stale', `document ${doc.pk}/${doc.id} changed since it was read`, error);
        }
        throw error;
      }
    },
    async listPendingOutbox() {
      stats.queries += 1;
      const response = await send('list pending outbox', () =>
        container.items.query<{ pk: string; id: string }>(PENDING_OUTBOX_QUERY).fetchAll(),
      );
      return response.resources.map(({ pk, id }) => ({ pk, id }));
    },
    async close() {
      client.dispose();
    },
  };
}

async function withRetry<R>(policy: RetryPolicy, stats: StoreStats, what: string, call: () => Promise<R>): Promise<R> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      const status = statusOf(error);
      if (status !== 429 && status !== 503) throw error;
      if (attempt >= policy.attempts) {
        throw new BotError('busy', `Cosmos DB answered ${status} to "${what}" ${attempt} times; giving up`, error);
      }
      stats.retries += 1;
      await sleep(backoffMs(policy, attempt, retryAfterOf(error)));
    }
  }
}

function backoffMs(policy: RetryPolicy, attempt: number, retryAfterMs: number | undefined): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxDelayMs);
  const exponential = Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
  return Math.round(exponential * (0.5 + Math.random() / 2));
}

function statusOf(error: unknown): number | undefined {
  const code = (error as Partial<ErrorResponse> | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

function retryAfterOf(error: unknown): number | undefined {
  const value = (error as Partial<ErrorResponse> | undefined)?.retryAfterInMs;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** An error's charge: the SDK fills `requestCharge` only for some operations; the header is always there. */
function requestChargeOf(error: unknown): number | undefined {
  const cause = (error instanceof BotError ? error.cause : error) as Partial<ErrorResponse> | undefined;
  if (typeof cause?.requestCharge === 'number') return cause.requestCharge;
  const header = cause?.headers?.['x-ms-request-charge'];
  return header === undefined ? undefined : Number(header);
}

function withoutSystemProperties<T>(resource: T): T {
  const doc: Record<string, unknown> = { ...(resource as Record<string, unknown>) };
  for (const key of SYSTEM_PROPERTIES) delete doc[key];
  return doc as T;
}
