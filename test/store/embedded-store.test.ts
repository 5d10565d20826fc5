import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DocumentStore } from '../../src/store/document-store';
import { openEmbeddedStore } from '../../src/store/embedded-store';
import { openStoreFromEnv } from '../../src/store/open-store';
import { ROOT } from '../helpers/bot-harness';
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

describe('a LENDOS_STORE_PATH that cannot work is refused at start, naming the path and what is wrong', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lendos-store-path-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const problemOf = async (path: string): Promise<string> => {
    try {
      const { store } = await openStoreFromEnv({ LENDOS_STORE_PATH: path });
      await store.close();
    } catch (error) {
      expect(error).toMatchObject({ name: 'BotError', code: 'invalid' });
      return (error as Error).message;
    }
    throw new Error(`${path} was opened`);
  };

  it('a directory', async () => {
    const folder = join(dir, 'data');
    mkdirSync(folder);
    expect(await problemOf(folder)).toBe(`LENDOS_STORE_PATH: the embedded store path ${folder} is a directory; name a file in it, for example ${join(folder, 'lendos.db')}.`);
  });

  it('a missing parent that cannot be created, because a file is in its way', async () => {
    writeFileSync(join(dir, 'data'), 'not a folder');
    const path = join(dir, 'data', 'lendos.db');
    expect(await problemOf(path)).toBe(`LENDOS_STORE_PATH: the embedded store path ${path} cannot be used: part of its folder ${join(dir, 'data')} is a file, not a directory.`);
  });

  it('a missing parent that can be created is created', async () => {
    const path = join(dir, 'a', 'b', 'lendos.db');
    const { store } = await openStoreFromEnv({ LENDOS_STORE_PATH: path });
    await store.close();
  });

  it('a place nobody may write (procfs, read-only even for root)', async () => {
    const path = `/proc/lendos-${process.pid}.db`;
    expect(await problemOf(path)).toBe(`LENDOS_STORE_PATH: the embedded store file ${path} cannot be opened for writing; check that /proc exists and is writable by the bot.`);
  });

  it('a file that is not a SQLite database', async () => {
    const path = join(dir, 'lendos.db');
    writeFileSync(path, 'this is a spreadsheet, not a database '.repeat(200));
    expect(await problemOf(path)).toBe(
      `LENDOS_STORE_PATH: the embedded store file ${path} is not a SQLite database (or is damaged). Restore it from a backup, or move it away to start with an empty store.`,
    );
  });
});

describe('instances started together on one fresh store file', () => {
  // Three processes open each of 30 fresh files at the same millisecond (open-at-once.ts), as
  // instances started at once by one deploy do. SQLite refuses the one that loses the race to set
  // the file up ("database is locked", without waiting); before the open was retried, 1 to 6 of 60 opens
  // here failed and the bot exited at start-up (seen on CI: two bots started together on Node 22).
  it('every one of them opens it and writes to it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lendos-store-'));
    const paths = Array.from({ length: 30 }, (_, index) => join(dir, `store-${index}.db`));
    const startAt = Date.now() + 4_000; // after every process has loaded, on a busy machine
    const run = (name: string) =>
      new Promise<string>((resolve, reject) =>
        execFile(
          process.execPath,
          ['-r', join(ROOT, 'test', 'helpers', 'ts-register.js'), join(ROOT, 'test', 'store', 'open-at-once.ts'), String(startAt), '50', name, ...paths],
          { cwd: ROOT, timeout: 60_000 },
          (error, stdout) => (error ? reject(error) : resolve(stdout)),
        ),
      );
    try {
      const outputs = await Promise.all(['a', 'b', 'c'].map(run));
      const lines = outputs.flatMap((output) => output.trim().split('\n'));
      expect(lines.filter((line) => !line.startsWith('opened '))).toEqual([]);
      expect(lines).toHaveLength(90);
      for (const path of paths) {
        const store = openEmbeddedStore(path);
        expect(await Promise.all(['a', 'b', 'c'].map(async (name) => (await store.read('opened', name))?.doc.id))).toEqual(['a', 'b', 'c']);
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
