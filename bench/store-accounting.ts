import { join } from 'node:path';
import { defaultCardsDir } from '../src/cards/render';
import { parseConfig } from '../src/config/config';
import { silentLogger } from '../src/logger';
import { startBotServer } from '../src/server';
import { DocumentStore, StoreStats, StoredDocument, Versioned } from '../src/store/document-store';
import { openEmbeddedStore } from '../src/store/embedded-store';
import { ExampleConfig, configBoundTo } from './activities';
import { CountingConnector } from './connector';
import { Poster } from './load';
import { ApprovalWorkload, BenchRelease } from './workloads';

// Store requests per warm command, counted inside the bot: the bot runs in this process on an
// embedded store whose `stats` we read before and after a batch of warm approvals. A thin wrapper
// also tells the command's own write apart from the outbox's acknowledgement write (the dispatcher
// removes delivered messages with one more conditional write per delivery batch).

export interface WriteKinds {
  /** Release document replaced with new events: the command itself. */
  command: number;
  /** Release document replaced with fewer outbox messages and no new events: the outbox's ack. */
  outboxAck: number;
  /** Any other replace or create (thread index, release index, channel bindings, new release). */
  other: number;
}

export interface AccountingBatch {
  readonly label: string;
  readonly commands: number;
  readonly concurrency: number;
  readonly readsPerCommand: number;
  readonly writesPerCommand: number;
  readonly queriesPerCommand: number;
  readonly commandWritesPerCommand: number;
  readonly outboxAckWritesPerCommand: number;
  readonly otherWritesPerCommand: number;
  readonly refused: number;
}

/** Counts the kind of every write it passes on; `stats` stays the real store's own counters. */
function classifyingStore(inner: DocumentStore): DocumentStore & { readonly kinds: WriteKinds } {
  const kinds: WriteKinds = { command: 0, outboxAck: 0, other: 0 };
  const seen = new Map<string, { events: number; outbox: number }>();
  const shape = (doc: any) => ({ events: Array.isArray(doc?.events) ? doc.events.length : -1, outbox: Array.isArray(doc?.outbox) ? doc.outbox.length : -1 });
  const key = (doc: StoredDocument) => `${doc.pk}\u0000${doc.id}`;
  return {
    kinds,
    get stats(): StoreStats {
      return inner.stats;
    },
    async read<T extends StoredDocument>(pk: string, id: string): Promise<Versioned<T> | undefined> {
      const read = await inner.read<T>(pk, id);
      if (read) seen.set(key(read.doc), shape(read.doc));
      return read;
    },
    async create<T extends StoredDocument>(doc: T): Promise<Versioned<T>> {
      kinds.other += 1;
      const created = await inner.create(doc);
      seen.set(key(doc), shape(doc));
      return created;
    },
    async replace<T extends StoredDocument>(doc: T, etag: string): Promise<Versioned<T>> {
      const before = seen.get(key(doc));
      const after = shape(doc);
      if ((doc as any).type === 'release' && before && after.events > before.events) kinds.command += 1;
      else if ((doc as any).type === 'release' && before && after.events === before.events && after.outbox < before.outbox) kinds.outboxAck += 1;
      else kinds.other += 1;
      const replaced = await inner.replace(doc, etag);
      seen.set(key(doc), after);
      return replaced;
    },
    listPendingOutbox: () => inner.listPendingOutbox(),
    close: () => inner.close(),
  };
}

export async function measureStoreAccounting(options: {
  readonly connector: CountingConnector;
  readonly example: ExampleConfig;
  readonly dir: string;
  readonly concurrency: number;
  readonly sequentialCommands: number;
  readonly concurrentCommands: number;
  /** First release index, so these releases' threads do not collide with earlier runs'. */
  readonly firstReleaseIndex: number;
  readonly timeoutMs: number;
}): Promise<AccountingBatch[]> {
  const { connector, example } = options;
  const store = classifyingStore(openEmbeddedStore(join(options.dir, 'lendos.db')));
  const bot = await startBotServer({
    config: parseConfig(configBoundTo(example, connector.url)),
    store,
    logger: silentLogger,
    port: 0,
    host: '127.0.0.1',
    cardsDir: defaultCardsDir(),
  });
  const poster = new Poster(bot.url, options.concurrency);
  try {
    const workload = new ApprovalWorkload(poster, connector, example);
    const releases = await workload.cutReleases(options.concurrency, options.firstReleaseIndex, options.timeoutMs);
    // Warm: every release's document cached by the cut; every thread looked up once.
    await workload.run(releases, { label: 'warm-up', total: releases.length * 2, concurrency: options.concurrency, timeoutMs: options.timeoutMs });
    await bot.outbox.idle();

    const batches: AccountingBatch[] = [];
    const measure = async (label: string, commands: number, concurrency: number, body: () => Promise<number>) => {
      const stats = { ...store.stats };
      const kinds = { ...store.kinds };
      const refused = await body();
      await bot.outbox.idle();
      const per = (n: number) => n / commands;
      batches.push({
        label,
        commands,
        concurrency,
        readsPerCommand: per(store.stats.reads - stats.reads),
        writesPerCommand: per(store.stats.writes - stats.writes),
        queriesPerCommand: per(store.stats.queries - stats.queries),
        commandWritesPerCommand: per(store.kinds.command - kinds.command),
        outboxAckWritesPerCommand: per(store.kinds.outboxAck - kinds.outboxAck),
        otherWritesPerCommand: per(store.kinds.other - kinds.other),
        refused,
      });
    };
    // One command at a time, each delivered before the next: what a person clicking sees.
    await measure('one at a time', options.sequentialCommands, 1, async () => {
      let refused = 0;
      for (let i = 0; i < options.sequentialCommands; i += 1) {
        const one = await workload.run(releases, { label: 'sequential', total: 1, concurrency: 1, timeoutMs: options.timeoutMs });
        await bot.outbox.idle();
        refused += one.refused ?? 0;
      }
      return refused;
    });
    // Under load, where the outbox delivers (and acknowledges) several commands per batch.
    await measure(`${options.concurrency} concurrent`, options.concurrentCommands, options.concurrency, async () => {
      const run = await workload.run(releases as BenchRelease[], {
        label: 'concurrent',
        total: options.concurrentCommands,
        concurrency: options.concurrency,
        timeoutMs: options.timeoutMs,
      });
      return run.refused ?? 0;
    });
    return batches;
  } finally {
    poster.close();
    await bot.close();
    await store.close();
  }
}
