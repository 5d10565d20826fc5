import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkStartup, startFromEnv, stopOnSignals } from '../../src/startup';
import { silentLogger } from '../../src/logger';
import { startCosmosServer } from '../helpers/cosmos-server';
import { collectingLogger } from '../helpers/http-bot';

// main.ts checks the environment with checkStartup and starts with startFromEnv: the same code runs
// here. Production without an app id never starts; secrets given to the process never reach a log.

const APP_ID = '11111111-2222-3333-4444-555555555555';

describe('checkStartup', () => {
  const problemsOf = (env: Record<string, string>) => {
    const check = checkStartup(env);
    return check.ok ? [] : check.problems;
  };

  test('NODE_ENV=production without MICROSOFT_APP_ID refuses to start, saying why', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('Refusing to start: NODE_ENV=production needs MICROSOFT_APP_ID');
    expect(problemsOf({ NODE_ENV: 'production', MICROSOFT_APP_ID: '   ' })[0]).toContain('Refusing to start');
  });

  test('NODE_ENV is read in any case, and every value but development or test counts as production', () => {
    for (const value of ['Production', 'PRODUCTION', ' production ', 'prod', 'PROD', 'Prod', 'staging', 'prodution', 'live']) {
      const problems = problemsOf({ NODE_ENV: value });
      expect({ value, problems }).toEqual({ value, problems: [expect.stringContaining(`Refusing to start: NODE_ENV=${value.trim()} needs MICROSOFT_APP_ID`)] });
      if (value.trim() !== 'production') expect(problems[0]).toContain('every NODE_ENV other than development or test, in any case, counts as production');
    }
    for (const value of ['development', 'Development', 'TEST', ' test ', '', '   ']) {
      expect({ value, ok: checkStartup({ NODE_ENV: value }).ok }).toEqual({ value, ok: true });
    }
    expect(checkStartup({ NODE_ENV: 'PROD', MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 's3cret' }).ok).toBe(true);
  });

  test('production with an app id and its secret starts, listening on every interface', () => {
    const check = checkStartup({ NODE_ENV: 'production', MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 's3cret' });
    expect(check).toMatchObject({ ok: true, settings: { MICROSOFT_APP_ID: APP_ID, HOST: '0.0.0.0', PORT: 3978, LOG_LEVEL: 'info' } });
  });

  test('without an app id (local) it starts unauthenticated, on loopback unless HOST says otherwise', () => {
    expect(checkStartup({})).toMatchObject({ ok: true, settings: { MICROSOFT_APP_ID: '', HOST: '127.0.0.1' } });
    expect(checkStartup({ HOST: '0.0.0.0' })).toMatchObject({ ok: true, settings: { HOST: '0.0.0.0' } });
  });

  test('half-configured credentials are refused instead of silently running open or unable to reply', () => {
    expect(problemsOf({ MICROSOFT_APP_PASSWORD: 's3cret' })[0]).toContain('MICROSOFT_APP_PASSWORD is set but MICROSOFT_APP_ID is not');
    expect(problemsOf({ MICROSOFT_APP_ID: APP_ID })[0]).toContain('MICROSOFT_APP_ID is set without MICROSOFT_APP_PASSWORD');
    expect(problemsOf({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_TYPE: 'UserAssignedMSI', MICROSOFT_APP_PASSWORD: 'x' })[0]).toContain('unset MICROSOFT_APP_PASSWORD');
    expect(checkStartup({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_TYPE: 'UserAssignedMSI' }).ok).toBe(true);
  });

  test('a Key Vault reference App Service could not resolve counts as unset, never as the secret', () => {
    const reference = '@Microsoft.KeyVault(SecretUri=https://kv-example.vault.azure.net/secrets/evidence-link-key/)';
    expect(reference.length).toBeGreaterThanOrEqual(32);
    const check = checkStartup({ NODE_ENV: 'production', MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_TYPE: 'UserAssignedMSI', EVIDENCE_LINK_KEY: reference });
    expect(check).toMatchObject({ ok: true });
    expect(check.ok && check.settings.EVIDENCE_LINK_KEY).toBeUndefined();
    const resolved = 'k'.repeat(40);
    expect(checkStartup({ NODE_ENV: 'test', EVIDENCE_LINK_KEY: resolved })).toMatchObject({ ok: true, settings: { EVIDENCE_LINK_KEY: resolved } });
  });

  test('malformed values are named', () => {
    expect(problemsOf({ PORT: 'eighty' })[0]).toMatch(/^PORT: /);
    expect(problemsOf({ MICROSOFT_APP_TYPE: 'Anyone' })[0]).toMatch(/^MICROSOFT_APP_TYPE: /);
    expect(problemsOf({ LOG_LEVEL: 'chatty' })[0]).toMatch(/^LOG_LEVEL: /);
  });
});

describe('startFromEnv', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lendos-startup-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('a start with every secret set (app password, Cosmos key, Graph secret, GitHub token) logs none of them', async () => {
    const cosmos = await startCosmosServer();
    const secrets = {
      MICROSOFT_APP_PASSWORD: 'app-password-Zq81-never-logged',
      COSMOS_KEY: cosmos.key,
      GRAPH_CLIENT_SECRET: 'graph-secret-Kp02-never-logged',
      GITHUB_TOKEN: 'ghp_never_logged_0123456789abcdef',
      GITHUB_WEBHOOK_SECRET: 'webhook-secret-Hn55-never-logged',
      EVIDENCE_LINK_KEY: 'evidence-link-key-Wd73-never-logged-0123456789',
    };
    const env = {
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      MICROSOFT_APP_ID: APP_ID,
      COSMOS_ENDPOINT: cosmos.endpoint,
      COSMOS_DATABASE: 'startup-test',
      GRAPH_TENANT_ID: '00000000-0000-0000-0000-0000000000aa',
      GRAPH_CLIENT_ID: '22222222-0000-0000-0000-000000000002',
      GITHUB_REPOSITORY: 'lendos/platform',
      ...secrets,
    };
    const logs = collectingLogger();
    const printed: string[] = [];
    const capture = (...args: unknown[]) => void printed.push(args.map(String).join(' '));
    const spies = [jest.spyOn(console, 'log').mockImplementation(capture), jest.spyOn(console, 'warn').mockImplementation(capture), jest.spyOn(console, 'error').mockImplementation(capture)];
    try {
      const check = checkStartup(env);
      if (!check.ok) throw new Error(check.problems.join('\n'));
      const running = await startFromEnv(check.settings, env, { logger: logs.logger, cosmosAgent: cosmos.agent });
      const health = await fetch(`${running.server.url}/readyz`);
      expect(health.status).toBe(200);
      await running.stop('test');
    } finally {
      spies.forEach((spy) => spy.mockRestore());
      await cosmos.close();
    }

    const messages = logs.entries().map((entry) => entry.msg);
    expect(messages).toEqual(expect.arrayContaining(['config loaded', 'store opened', 'integrations', 'bot listening', 'shutting down', 'stopped']));
    expect(logs.entries().find((entry) => entry.msg === 'bot listening')).toMatchObject({ level: 'info', authenticated: true });
    const everything = [...logs.lines, ...printed].join('\n');
    for (const [name, value] of Object.entries(secrets)) {
      expect({ name, leaked: everything.includes(value) }).toEqual({ name, leaked: false });
    }
  });

  test('without an app id the start says, as a warning, that requests are not authenticated', async () => {
    const env = { PORT: '0', LENDOS_STORE_PATH: join(dir, 'store.db') };
    const check = checkStartup(env);
    if (!check.ok) throw new Error(check.problems.join('\n'));
    const logs = collectingLogger();
    const running = await startFromEnv(check.settings, env, { logger: logs.logger });
    await running.stop('test');
    expect(logs.entries()).toContainEqual(
      expect.objectContaining({ level: 'warn', authenticated: false, msg: 'bot listening WITHOUT authentication (no app id configured; local use only)' }),
    );
  });
});

describe('stopOnSignals', () => {
  test('SIGTERM stops the bot once, then exits 0; a second signal does not start a second stop', async () => {
    const target = new EventEmitter();
    const stops: string[] = [];
    let release!: () => void;
    const exited = new Promise<number>((resolve) => {
      stopOnSignals(
        target,
        (reason) => {
          stops.push(reason);
          return new Promise<void>((done) => (release = done));
        },
        { logger: silentLogger, exit: resolve },
      );
    });
    target.emit('SIGTERM');
    target.emit('SIGINT');
    expect(stops).toEqual(['SIGTERM']);
    release();
    expect(await exited).toBe(0);
  });

  test('a stop that hangs past the deadline exits 1', async () => {
    const target = new EventEmitter();
    const code = await new Promise<number>((resolve) => {
      stopOnSignals(target, () => new Promise<void>(() => undefined), { logger: silentLogger, exit: resolve, timeoutMs: 50 });
      target.emit('SIGTERM');
    });
    expect(code).toBe(1);
  });
});
