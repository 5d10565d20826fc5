import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CHANNEL_MESSAGE_PERMISSION } from '../../src/dev/channel-messages';
import { ATK_CLI_PACKAGE, ATK_CLI_VERSION, EXIT, SAMPLE_VALUES, atkCliDir, ensureAtkCli, stagePackages } from '../../src/dev/validate-app';
import { ROOT } from './toolkit-project';

// `npm run validate` without the network: what it hands the Agents Toolkit CLI (the two packages
// `npm run package` builds), and what it says when the CLI cannot be installed, which CI reads as
// "skipped" (exit 3) rather than "invalid". The CLI's own verdict needs the CLI: `npm run validate`.

let workDir: string;
beforeEach(() => {
  workDir = mkdtempSync(path.join(os.tmpdir(), 'lendos-validate-test-'));
});
afterEach(() => rmSync(workDir, { recursive: true, force: true }));

/** A loopback port nothing listens on: npm's registry requests to it are refused at once. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function unreachableRegistryEnv(port: number): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    HOME: workDir,
    npm_config_registry: `http://127.0.0.1:${port}/`,
    npm_config_cache: path.join(workDir, 'npm-cache'),
    npm_config_fetch_retry_mintimeout: '100',
    npm_config_fetch_retry_maxtimeout: '200',
    npm_config_update_notifier: 'false',
  };
}

describe('the packages npm run validate checks', () => {
  test('without a bot named it validates both packages with sample values, the second with the RSC permission', () => {
    const staged = stagePackages({}, workDir, ROOT);
    expect(staged.ok ? [] : staged.problems).toEqual([]);
    if (!staged.ok) return;
    expect(staged.packages.map((p) => p.name)).toEqual(['package', 'package with --rsc']);
    const manifests = staged.packages.map(({ dir }) => {
      for (const file of ['manifest.json', 'color.png', 'outline.png']) expect([dir, file, existsSync(path.join(dir, file))]).toEqual([dir, file, true]);
      return JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    });
    for (const manifest of manifests) {
      expect(manifest.bots[0].botId).toBe(SAMPLE_VALUES.MICROSOFT_APP_ID);
      expect(manifest.validDomains).toContain(SAMPLE_VALUES.BOT_DOMAIN);
    }
    const permissions = (manifest: any) => (manifest.authorization?.permissions?.resourceSpecific ?? []).map((p: { name: string }) => p.name);
    expect(permissions(manifests[0])).toEqual([]);
    expect(permissions(manifests[1])).toEqual([CHANNEL_MESSAGE_PERMISSION]);
  });

  test('a bot named in the environment is the one validated, and a half-named one is refused as npm run package refuses it', () => {
    const staged = stagePackages({ MICROSOFT_APP_ID: '6f1c2a8e-3d4b-4c5a-9e7f-1a2b3c4d5e6f', BOT_DOMAIN: 'release-bot.contoso.net' }, workDir, ROOT);
    expect(staged.ok).toBe(true);
    if (staged.ok) expect(JSON.parse(readFileSync(path.join(staged.packages[0]!.dir, 'manifest.json'), 'utf8')).bots[0].botId).toBe('6f1c2a8e-3d4b-4c5a-9e7f-1a2b3c4d5e6f');
    const half = stagePackages({ MICROSOFT_APP_ID: '6f1c2a8e-3d4b-4c5a-9e7f-1a2b3c4d5e6f' }, path.join(workDir, 'half'), ROOT);
    expect(half.ok ? [] : half.problems).toEqual([expect.stringContaining('BOT_DOMAIN is not set')]);
  });
});

describe('the CLI, installed on demand', () => {
  test('is installed under the user cache, one folder per pinned version, unless LENDOS_ATK_CLI_DIR says where', () => {
    expect(atkCliDir({ XDG_CACHE_HOME: '/var/cache/ci' })).toBe(path.join('/var/cache/ci', 'lendos', `m365agentstoolkit-cli-${ATK_CLI_VERSION}`));
    expect(atkCliDir({ LENDOS_ATK_CLI_DIR: '/opt/atk' })).toBe(path.resolve('/opt/atk'));
  });

  test('an install that cannot reach the registry is reported, naming the package and version', async () => {
    const lookup = ensureAtkCli(path.join(workDir, 'cli'), unreachableRegistryEnv(await closedPort()));
    expect(lookup.ok).toBe(false);
    if (!lookup.ok) expect(lookup.reason).toContain(`npm install ${ATK_CLI_PACKAGE}@${ATK_CLI_VERSION} failed`);
  }, 120_000);

  test('npm run validate then exits 3 ("not validated"), not 1 ("invalid"), and says why', async () => {
    const env = { ...unreachableRegistryEnv(await closedPort()), LENDOS_ATK_CLI_DIR: path.join(workDir, 'cli') };
    const run = spawnSync(process.execPath, ['-r', path.join(ROOT, 'test', 'helpers', 'ts-register.js'), path.join(ROOT, 'src', 'dev', 'validate-app.ts')], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.status).toBe(EXIT.cliUnavailable);
    expect(run.stderr).toContain('The Microsoft 365 Agents Toolkit CLI is not available, so nothing was validated.');
  }, 150_000);
});
