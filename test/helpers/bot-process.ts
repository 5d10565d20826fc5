import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ENGINEERING, GENERAL, ROOT, TEAM } from './bot-harness';

// The bot as a real operating-system process, started from the TypeScript sources (no build):
// `node -r test/helpers/ts-register.js test/instances/bot-entry.ts`. For what one process cannot
// show: several instances on one store, and a process killed between a write and a post.
// The child's stdin is a pipe held by the test process, so a crashed test run never leaves a bot
// behind: the entry exits when its stdin ends.

export const BOT_ENTRY = join(ROOT, 'test', 'instances', 'bot-entry.ts');
const REGISTER = join(ROOT, 'test', 'helpers', 'ts-register.js');
const READY = /^LENDOS_TEST_READY (\d+)$/;
/** Variables of the developer's own shell that would point a test bot at a real store or app. */
const INHERITED_BUT_DROPPED = /^(COSMOS_|LENDOS_|MICROSOFT_APP_|GRAPH_|GITHUB_)/;

export interface BotProcessOptions {
  /** Shown in errors and log dumps ("A", "B", "after-crash"). */
  readonly name: string;
  /** LENDOS_CONFIG, the store (COSMOS_* or LENDOS_STORE_PATH), LENDOS_TEST_* timings and clock. */
  readonly env: Readonly<Record<string, string>>;
  /** Default: test/instances/bot-entry.ts. */
  readonly entry?: string;
  /** How long start-up may take before the process is killed and the start fails. */
  readonly startTimeoutMs?: number;
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface BotProcess {
  readonly name: string;
  readonly pid: number;
  readonly port: number;
  /** Base URL: POST `${url}/api/messages`. */
  readonly url: string;
  /** Every line the process wrote, stdout (JSON logs) and stderr, oldest first. */
  readonly logs: readonly string[];
  /** Settles when the process has exited. */
  readonly exited: Promise<Exit>;
  readonly running: boolean;
  /** Sends `signal` (SIGKILL: a crash; SIGTERM: a graceful stop) and waits for the exit. */
  kill(signal: NodeJS.Signals): Promise<Exit>;
  /** Graceful stop; SIGKILL if it takes longer than `timeoutMs`. Idempotent. */
  stop(timeoutMs?: number): Promise<Exit>;
}

export async function startBotProcess(options: BotProcessOptions): Promise<BotProcess> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !INHERITED_BUT_DROPPED.test(key)) env[key] = value;
  }
  Object.assign(env, { NODE_ENV: 'test' }, options.env);
  const child = spawn(process.execPath, ['--enable-source-maps', '-r', REGISTER, options.entry ?? BOT_ENTRY], {
    cwd: ROOT,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  let exit: Exit | undefined;
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
  });
  const echo = process.env.LENDOS_TEST_BOT_LOGS === '1';
  const collect = (stream: NodeJS.ReadableStream, onLine?: (line: string) => void) =>
    createInterface({ input: stream }).on('line', (line) => {
      logs.push(line);
      if (echo) process.stderr.write(`[bot ${options.name}] ${line}\n`);
      onLine?.(line);
    });

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bot ${options.name} did not start within ${options.startTimeoutMs ?? 60_000} ms:\n${logs.join('\n')}`));
    }, options.startTimeoutMs ?? 60_000);
    collect(child.stdout!, (line) => {
      const ready = READY.exec(line);
      if (!ready) return;
      clearTimeout(timer);
      resolve(Number(ready[1]));
    });
    collect(child.stderr!);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`bot ${options.name} exited during start-up (code ${code}, signal ${signal}):\n${logs.join('\n')}`));
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });

  const kill = (signal: NodeJS.Signals): Promise<Exit> => {
    if (!exit) child.kill(signal);
    return exited;
  };
  return {
    name: options.name,
    pid: child.pid!,
    port,
    url: `http://127.0.0.1:${port}`,
    logs,
    exited,
    get running() {
      return exit === undefined;
    },
    kill,
    async stop(timeoutMs = 5_000) {
      if (exit) return exit;
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await kill('SIGTERM');
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/**
 * A copy of config/lendos.example.json in `dir` with #engineering and #general bound to `serviceUrl`
 * (a loopback Bot Connector), as LENDOS_CONFIG for bot processes. Returns its path.
 */
export function writeBotConfig(dir: string, serviceUrl: string): string {
  const raw = JSON.parse(readFileSync(join(ROOT, 'config', 'lendos.example.json'), 'utf8'));
  raw.channels = {
    engineering: { id: ENGINEERING, teamId: TEAM, serviceUrl },
    general: { id: GENERAL, teamId: TEAM, serviceUrl },
  };
  const path = join(dir, 'lendos.json');
  writeFileSync(path, JSON.stringify(raw, null, 2));
  return path;
}

/** Outbox and reminder pacing for tests: retries, sweeps and lease hand-overs within a second or two. */
export const FAST_TIMINGS: Readonly<Record<string, string>> = {
  LENDOS_TEST_OUTBOX_BASE_DELAY_MS: '20',
  LENDOS_TEST_OUTBOX_SWEEP_MS: '200',
  LENDOS_TEST_OUTBOX_LEASE_MS: '1500',
  LENDOS_TEST_CHANNEL_REFRESH_MS: '1000',
};
