import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { ENVIRONMENT_HELP, packageApp } from './package-app';

// `npm run validate`: the Teams app packages `npm run package` builds (without and with the RSC
// permission) checked by the Microsoft 365 Agents Toolkit CLI, `atk validate --manifest-file`:
// the manifest schema and the toolkit's app validation rules, offline. The CLI is not a
// dependency of this project (it is large and installs only with --ignore-scripts): it is
// installed on first use into a cache directory, at a pinned version, and reused after that.

/** The CLI version installed on demand; the one whose validation this project was checked with. */
export const ATK_CLI_VERSION = '1.1.17';
export const ATK_CLI_PACKAGE = '@microsoft/m365agentstoolkit-cli';

/** Exit codes, so CI can tell "the app is invalid" from "the CLI could not be had". */
export const EXIT = { ok: 0, invalid: 1, cannotPackage: 2, cliUnavailable: 3 } as const;

/** Values for the manifest when the environment names no bot: any well-formed ones do for validation. */
export const SAMPLE_VALUES = {
  MICROSOFT_APP_ID: '00000000-0000-4000-8000-00000000b07d',
  BOT_DOMAIN: 'lendos-bot.azurewebsites.net',
} as const;

type Env = Readonly<Record<string, string | undefined>>;

/** Where the CLI is installed: LENDOS_ATK_CLI_DIR, else the user's cache directory, one folder per version. */
export function atkCliDir(env: Env): string {
  if (env.LENDOS_ATK_CLI_DIR) return path.resolve(env.LENDOS_ATK_CLI_DIR);
  const cache = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cache, 'lendos', `m365agentstoolkit-cli-${ATK_CLI_VERSION}`);
}

export type CliLookup = { readonly ok: true; readonly cliScript: string } | { readonly ok: false; readonly reason: string };

/** The CLI's entry script in `dir`, installing it there first when it is missing (npm sees `env`). */
export function ensureAtkCli(dir: string, env: Env = process.env): CliLookup {
  const cliScript = path.join(dir, 'node_modules', ...ATK_CLI_PACKAGE.split('/'), 'cli.js');
  if (existsSync(cliScript)) return { ok: true, cliScript };
  mkdirSync(dir, { recursive: true });
  process.stdout.write(`Installing ${ATK_CLI_PACKAGE}@${ATK_CLI_VERSION} into ${dir} (once)…\n`);
  const install = spawnSync(
    npmCommand(),
    ['install', '--prefix', dir, '--ignore-scripts', '--no-audit', '--no-fund', '--no-save', '--fetch-retries=1', `${ATK_CLI_PACKAGE}@${ATK_CLI_VERSION}`],
    { env: { ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10 * 60_000, shell: process.platform === 'win32' },
  );
  if (install.status === 0 && existsSync(cliScript)) return { ok: true, cliScript };
  const said = `${install.stderr ?? ''}${install.error ? install.error.message : ''}`.trim().split('\n').slice(-5).join('\n');
  return { ok: false, reason: `npm install ${ATK_CLI_PACKAGE}@${ATK_CLI_VERSION} failed (exit ${install.status ?? install.signal})${said ? `:\n${said}` : ''}` };
}

function npmCommand(): string {
  return process.platform === 'win32' ? 'npm.cmd' : 'npm';
}

export interface StagedPackage {
  readonly name: string;
  /** Holds manifest.json and the icons, unzipped from the package. */
  readonly dir: string;
}

export type Staged = { readonly ok: true; readonly packages: readonly StagedPackage[] } | { readonly ok: false; readonly problems: readonly string[] };

/**
 * The two packages `npm run package` can build, each unzipped into its own folder under `workDir`.
 * The bot id and host come from the environment as for `npm run package`, else SAMPLE_VALUES.
 */
export function stagePackages(env: Env, workDir: string, root?: string): Staged {
  const named = env.MICROSOFT_APP_ID?.trim() || env.BOT_DOMAIN?.trim();
  const values = named ? env : { ...env, ...SAMPLE_VALUES };
  const packages: StagedPackage[] = [];
  for (const [name, channelMessages] of [['package', false], ['package with --rsc', true]] as const) {
    const outDir = path.join(workDir, channelMessages ? 'rsc' : 'plain');
    const built = packageApp({ env: values, root, outDir, channelMessages });
    if (!built.ok) return built;
    const dir = path.join(outDir, 'unzipped');
    new AdmZip(built.value.zipPath).extractAllTo(dir, true);
    packages.push({ name, dir });
  }
  return { ok: true, packages };
}

export interface ValidationRun {
  readonly name: string;
  readonly passed: boolean;
  readonly output: string;
}

/** `atk validate --manifest-file <dir>/manifest.json` for each package. */
export function validateWithAtk(cliScript: string, packages: readonly StagedPackage[]): ValidationRun[] {
  return packages.map(({ name, dir }) => {
    const run = spawnSync(process.execPath, [cliScript, 'validate', '--manifest-file', path.join(dir, 'manifest.json'), '--folder', dir, '--telemetry', 'false'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 5 * 60_000,
    });
    return { name, passed: run.status === 0, output: `${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? run.error.message : ''}`.trim() };
  });
}

function main(): number {
  const env = process.env;
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'lendos-validate-'));
  try {
    const staged = stagePackages(env, workDir);
    if (!staged.ok) {
      process.stderr.write(
        `Can't build the Teams app package to validate:\n${staged.problems.map((p) => `  - ${p}`).join('\n')}\n\n` +
          `Environment (all optional here):\n${ENVIRONMENT_HELP.map((line) => `  ${line}`).join('\n')}\n`,
      );
      return EXIT.cannotPackage;
    }
    const cli = env.LENDOS_ATK_CLI ? { ok: true as const, cliScript: path.resolve(env.LENDOS_ATK_CLI) } : ensureAtkCli(atkCliDir(env), env);
    if (!cli.ok) {
      process.stderr.write(`The Microsoft 365 Agents Toolkit CLI is not available, so nothing was validated.\n${cli.reason}\n`);
      return EXIT.cliUnavailable;
    }
    const runs = validateWithAtk(cli.cliScript, staged.packages);
    for (const run of runs) {
      process.stdout.write(`--- atk validate: ${run.name}: ${run.passed ? 'passed' : 'FAILED'}\n${run.output}\n`);
    }
    return runs.every((run) => run.passed) ? EXIT.ok : EXIT.invalid;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  try {
    process.exitCode = main();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = EXIT.invalid;
  }
}
