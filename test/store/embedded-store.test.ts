import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DocumentStore } from '../../src/store/document-store';
import { openEmbeddedStore } from '../../src/store/embedded-store';
import { openStoreFromEnv } from '../../src/store/open-store';
import { describeDocumentStoreContract } from './contract';

// The embedded store on a temporary SQLite file, as `npm start` runs it.

describeDocumentStoreContract(
  'embedded (SQLite file)',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lendos-store-'));
    const path = join(dir, 'nested', 'lendos.db');
    let store: DocumentStore = openEmbeddedStore(path);
    return {
      store,
      async reopen() {
        await store.close();
        store = openEmbeddedStore(path);
        return store;
      },
      async cleanup() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  { honoursTtl: true },
);

describe('openStoreFromEnv without COSMOS_ENDPOINT', () => {
  it('opens the embedded store at LENDOS_STORE_PATH and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lendos-store-'));
    const path = join(dir, 'bot.db');
    try {
      const { store, description } = await openStoreFromEnv({ LENDOS_STORE_PATH: path, COSMOS_KEY: 'ignored without an endpoint' });
      expect(description).toBe(`embedded store at ${path}`);
      await store.create({ pk: 'settings', id: 'channels' });
      await store.close();
      const again = openEmbeddedStore(path);
      expect(await again.read('settings', 'channels')).toBeDefined();
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
