import type { Agent } from 'node:https';
import { join } from 'node:path';
import { BotError, isBotError } from '../errors';
import { DocumentStore } from './document-store';
import { openEmbeddedStore } from './embedded-store';

// Picks the store from the environment, once at start:
//   COSMOS_ENDPOINT    Cosmos DB account endpoint; when set, the bot uses Cosmos DB
//   COSMOS_KEY         account key; without it, Entra ID via DefaultAzureCredential (managed identity in Azure)
//   COSMOS_DATABASE    database id (default lendos)
//   COSMOS_CONTAINER   container id (default releases)
//   LENDOS_STORE_PATH  embedded store file when COSMOS_ENDPOINT is not set (default data/lendos.db)

export interface OpenedStore {
  readonly store: DocumentStore;
  /** One line for the start-up log; never contains the key. */
  readonly description: string;
}

export async function openStoreFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  /** Only for tests against the local Cosmos server, whose certificate is self-signed. */
  testing: { readonly agent?: Agent } = {},
): Promise<OpenedStore> {
  const endpoint = env.COSMOS_ENDPOINT?.trim();
  if (!endpoint) {
    const path = env.LENDOS_STORE_PATH?.trim() || join('data', 'lendos.db');
    try {
      return { store: openEmbeddedStore(path), description: `embedded store at ${path}` };
    } catch (error) {
      // Say which setting chose the path, so the fix is obvious.
      if (isBotError(error, 'invalid')) throw new BotError('invalid', `LENDOS_STORE_PATH: ${error.message}`, error.cause);
      throw error;
    }
  }
  if (!isHttpsUrl(endpoint)) {
    throw new BotError('invalid', `COSMOS_ENDPOINT must be an https:// URL, got "${endpoint}"`);
  }
  // Loaded only when Cosmos is configured: the SDK costs ~20 MB of memory the embedded store doesn't need.
  const { DEFAULT_CONTAINER_ID, DEFAULT_DATABASE_ID, openCosmosStore } = await import('./cosmos-store');
  const key = env.COSMOS_KEY?.trim() || undefined;
  const databaseId = env.COSMOS_DATABASE?.trim() || DEFAULT_DATABASE_ID;
  const containerId = env.COSMOS_CONTAINER?.trim() || DEFAULT_CONTAINER_ID;
  const store = await openCosmosStore({ endpoint, key, databaseId, containerId, agent: testing.agent });
  const auth = key ? 'account key' : 'Entra ID (DefaultAzureCredential)';
  return { store, description: `Cosmos DB ${endpoint} database ${databaseId} container ${containerId}, signed in with ${auth}` };
}

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}
