import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT } from '../helpers/bot-harness';

// `npm run serve` for real: src/main.ts in its own process, run from the TypeScript sources through
// test/helpers/ts-register.js (no build). What only a process shows: the exit code and message of a
// refused start, and SIGTERM ending in a graceful stop and exit 0.

const REGISTER = join(ROOT, 'test', 'helpers', 'ts-register.js');
const MAIN = join(ROOT, 'src', 'main.ts');

interface Run {
  readonly child: ChildProcess;
  readonly lines: string[];
  readonly exited: Promise<number | null>;
  waitForLine(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
}

/** Starts main with only `env` (plus PATH): nothing from the developer's shell leaks in. */
function runMain(env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['-r', REGISTER, MAIN], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: Array<{ match: (line: string) => boolean; resolve: (line: string) => void }> = [];
  const keep = (line: string) => {
    lines.push(line);
    for (const waiter of waiters.filter((w) => w.match(line))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  };
  createInterface({ input: child.stdout! }).on('line', keep);
  createInterface({ input: child.stderr! }).on('line', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    lines,
    exited,
    waitForLine(match, timeoutMs = 30_000) {
      const seen = lines.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no such line within ${timeoutMs} ms; got:\n${lines.join('\n')}`)), timeoutMs);
        waiters.push({ match, resolve: (line) => (clearTimeout(timer), resolve(line)) });
        void exited.then(() => reject(new Error(`exited before the line; got:\n${lines.join('\n')}`)));
      });
    },
  };
}

describe('main as a process', () => {
  jest.setTimeout(60_000);

  test('NODE_ENV=production without MICROSOFT_APP_ID: exit code 2 and the reason on stderr, nothing listening', async () => {
    const run = runMain({ NODE_ENV: 'production', PORT: '0' });
    expect(await run.exited).toBe(2);
    expect(run.lines.join('\n')).toContain('Refusing to start: NODE_ENV=production needs MICROSOFT_APP_ID');
    expect(run.lines.some((line) => line.includes('bot listening'))).toBe(false);
  });

  test('a store path that is a directory: exit 1 with one line naming the path and what is wrong, no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lendos-main-'));
    try {
      const run = runMain({ NODE_ENV: 'development', PORT: '0', LENDOS_CONFIG: 'config/lendos.example.json', LENDOS_STORE_PATH: dir });
      expect(await run.exited).toBe(1);
      // What the process printed that is not a log line: that one line, and no deprecation notice
      // (restify's spdy printed DEP0111 at every start until src/teams/deferred-modules.ts deferred it).
      const errors = run.lines.filter((line) => !line.startsWith('{'));
      expect(errors).toEqual([`Failed to start: LENDOS_STORE_PATH: the embedded store path ${dir} is a directory; name a file in it, for example ${join(dir, 'lendos.db')}.`]);
      expect(run.lines.some((line) => line.includes('bot listening'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('secrets App Service could not resolve from Key Vault: a warning naming each, and the bot starts with those integrations off', async () => {
    // What App Service passes when the secret is not in the vault yet: the reference text itself.
    const reference = (secret: string) => `@Microsoft.KeyVault(SecretUri=https://kv-example.vault.azure.net/secrets/${secret}/)`;
    const dir = mkdtempSync(join(tmpdir(), 'lendos-main-'));
    const run = runMain({
      NODE_ENV: 'development',
      PORT: '0',
      LENDOS_CONFIG: 'config/lendos.example.json',
      LENDOS_STORE_PATH: join(dir, 'store.db'),
      GRAPH_TENANT_ID: '',
      GRAPH_CLIENT_ID: '',
      GRAPH_CLIENT_SECRET: reference('graph-client-secret'),
      EVIDENCE_LINK_KEY: reference('evidence-link-key'),
    });
    try {
      await run.waitForLine((line) => line.includes('bot listening'));
      const messages = run.lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
      const unresolved = messages.filter((message) => /Key Vault reference App Service could not resolve/.test(message.msg));
      expect(unresolved.map((message) => [message.level, message.setting])).toEqual([
        ['warn', 'GRAPH_CLIENT_SECRET'],
        ['warn', 'EVIDENCE_LINK_KEY'],
      ]);
      expect(messages).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ msg: 'integrations', meetings: expect.stringMatching(/^meetings as prefilled Teams links/) }),
          expect.objectContaining({ level: 'warn', msg: expect.stringMatching(/^EVIDENCE_LINK_KEY is unset/) }),
        ]),
      );
      expect(run.lines.join('\n')).not.toContain('kv-example.vault.azure.net');
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('SIGTERM: a graceful stop (server, outbox, store) and exit 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lendos-main-'));
    const run = runMain({ NODE_ENV: 'development', PORT: '0', LENDOS_CONFIG: 'config/lendos.example.json', LENDOS_STORE_PATH: join(dir, 'store.db') });
    try {
      const listening = JSON.parse(await run.waitForLine((line) => line.includes('bot listening')));
      expect(listening).toMatchObject({ level: 'warn', authenticated: false });
      const url = `http://127.0.0.1:${listening.port}`;
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect((await fetch(`${url}/readyz`)).status).toBe(200);

      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      expect(run.lines.filter((line) => !line.startsWith('{'))).toEqual([]);
      const messages = run.lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
      expect(messages).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ msg: 'shutting down', reason: 'SIGTERM' }),
          expect.objectContaining({ msg: 'bot stopped' }),
          expect.objectContaining({ msg: 'stopped', reason: 'SIGTERM' }),
        ]),
      );
    } finally {
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
      await run.exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
