import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { join } from 'node:path';
import { loadConfigFile } from '../../src/config/config';
import { createLogger } from '../../src/logger';
import { startBotServer } from '../../src/server';
import { openStoreFromEnv } from '../../src/store/open-store';

// One bot instance as a real process, for the multi-instance and crash tests: what src/main.ts
// runs, plus the knobs a test needs. Started by test/helpers/bot-process.ts as
// `node -r ./test/helpers/ts-register.js test/instances/bot-entry.ts`.
//
//   LENDOS_CONFIG                       config file (required)
//   COSMOS_ENDPOINT, COSMOS_KEY, COSMOS_DATABASE, COSMOS_CONTAINER, LENDOS_STORE_PATH  as in main.ts
//   LENDOS_TEST_CLOCK_FILE              the bot's clock: the ISO time in that file, re-read on every
//                                       call, so a test moves the clock of every instance at once
//   LENDOS_TEST_OUTBOX_BASE_DELAY_MS, LENDOS_TEST_OUTBOX_LEASE_MS, LENDOS_TEST_OUTBOX_SWEEP_MS, LENDOS_TEST_OUTBOX_FOLD_MS,
//   LENDOS_TEST_REMINDER_INTERVAL_MS, LENDOS_TEST_LEAD_REMINDER_INTERVAL_MS,
//   LENDOS_TEST_CHANNEL_REFRESH_MS, LENDOS_TEST_THREAD_WAIT_MS   startBotServer timings
//   LOG_LEVEL                           as in main.ts (debug adds a line per lead-reminder check)
//   LENDOS_TEST_KILL_AFTER_DELIVERY     `<kinds>[#n]`: SIGKILL this process right after the n-th (default
//                                       1st) outbound message of one of these outbox kinds (comma-separated,
//                                       e.g. `replyInRcThread,postRcThread#3`, or `*` for any) was delivered
//                                       and before it is acknowledged: the post→acknowledge window
//
// Prints `LENDOS_TEST_READY <port>` once it listens; its logs are JSON lines on stdout.

const ROOT = join(__dirname, '..', '..');
const READY = 'LENDOS_TEST_READY';

function millis(name: string): number | undefined {
  const value = process.env[name];
  if (value === undefined || value === '') return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`${name} must be a number of milliseconds, got "${value}"`);
  return parsed;
}

function clockFrom(file: string | undefined): (() => Date) | undefined {
  if (!file) return undefined;
  return () => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8').trim();
    } catch {
      return new Date();
    }
    const at = new Date(text);
    if (Number.isNaN(at.getTime())) throw new Error(`${file} holds "${text}", not an ISO time`);
    return at;
  };
}

/** The LENDOS_TEST_KILL_AFTER_DELIVERY hook: counts matching deliveries and dies at the n-th. */
function killAfterDelivery(spec: string | undefined, kill: () => void): ((kind: string, message: { kind: string }) => void) | undefined {
  if (!spec) return undefined;
  const match = /^([A-Za-z*,]+)(?:#(\d+))?$/.exec(spec.trim());
  if (!match) throw new Error(`LENDOS_TEST_KILL_AFTER_DELIVERY must look like "replyInRcThread,refreshRcCard#2", got "${spec}"`);
  const kinds = new Set(match[1]!.split(',').filter(Boolean));
  const nth = match[2] === undefined ? 1 : Number(match[2]);
  if (nth < 1) throw new Error(`LENDOS_TEST_KILL_AFTER_DELIVERY counts from #1, got "${spec}"`);
  let seen = 0;
  return (_outbox, message) => {
    if (!kinds.has('*') && !kinds.has(message.kind)) return;
    seen += 1;
    if (seen === nth) kill();
  };
}

async function run(): Promise<void> {
  const configPath = process.env.LENDOS_CONFIG;
  if (!configPath) throw new Error('LENDOS_CONFIG is required');
  const logger = createLogger({ level: process.env.LOG_LEVEL === 'debug' ? 'debug' : 'info' });
  const config = loadConfigFile(configPath);
  // The local Cosmos server's certificate is self-signed. Accepting it is for this test entry only:
  // src/main.ts never passes an agent.
  const testing = process.env.COSMOS_ENDPOINT ? { agent: new Agent({ rejectUnauthorized: false, keepAlive: true }) } : {};
  const { store, description } = await openStoreFromEnv(process.env, testing);
  logger.info({ store: description }, 'store opened');
  const server = await startBotServer({
    config,
    store,
    logger,
    port: 0,
    cardsDir: join(ROOT, 'cards'),
    now: clockFrom(process.env.LENDOS_TEST_CLOCK_FILE),
    outboxBaseDelayMs: millis('LENDOS_TEST_OUTBOX_BASE_DELAY_MS'),
    outboxLeaseMs: millis('LENDOS_TEST_OUTBOX_LEASE_MS'),
    outboxSweepMs: millis('LENDOS_TEST_OUTBOX_SWEEP_MS'),
    outboxFoldMs: millis('LENDOS_TEST_OUTBOX_FOLD_MS'),
    reminderIntervalMs: millis('LENDOS_TEST_REMINDER_INTERVAL_MS'),
    leadReminderIntervalMs: millis('LENDOS_TEST_LEAD_REMINDER_INTERVAL_MS'),
    channelRefreshMs: millis('LENDOS_TEST_CHANNEL_REFRESH_MS'),
    threadWaitMs: millis('LENDOS_TEST_THREAD_WAIT_MS'),
    onOutboxDelivered: killAfterDelivery(process.env.LENDOS_TEST_KILL_AFTER_DELIVERY, () => {
      process.stdout.write(`LENDOS_TEST_KILLED_AFTER_DELIVERY\n`);
      process.kill(process.pid, 'SIGKILL');
    }),
  });
  // A test runner that stopped reading must not crash a bot that is being stopped anyway.
  process.stdout.on('error', () => undefined);
  // A test runner that stopped reading our output must not crash a bot that is stopping anyway.
  process.stdout.on('error', () => undefined);
  process.stdout.write(`${READY} ${server.port}\n`);

  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ why }, 'shutting down');
    await server.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  // The test process holds our stdin: if it dies without stopping us, stdin ends and so do we.
  process.stdin.on('end', () => void stop('parent gone'));
  process.stdin.resume();
}

run().catch((error) => {
  process.stderr.write(`bot-entry failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
