import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { bugTrackerFromEnv } from '../../src/integrations/bug-tracker';
import { gitHubRepositoryFromEnv } from '../../src/integrations/github-repository';
import { meetingSchedulerFromEnv } from '../../src/integrations/meetings';
import { checkStartup } from '../../src/startup';
import { collectingLogger } from '../helpers/http-bot';
import { loadTemplate } from '../infra/arm-template';
import {
  EnvFile,
  ROOT,
  SCHEMA_URL,
  SCHEMA_VERSION,
  ToolkitAction,
  ToolkitProject,
  fillPlaceholders,
  placeholdersIn,
  readEnvFile,
  readJsonc,
  readRepoFile,
  readToolkitYaml,
  toolkitYamlValidator,
  variablesTheBotReads,
} from './toolkit-project';

// The Microsoft 365 Agents Toolkit project (m365agents*.yml, env/, .vscode/) against what the
// toolkit itself would do with it: the published YAML schema, placeholders it must resolve
// before each action (it stops at the first it cannot), the Bicep outputs it writes back, and the
// environment the bot then starts with.

/** Each toolkit file and the environment it runs in. */
const PROJECTS = [
  { file: 'm365agents.yml', env: 'dev' },
  { file: 'm365agents.local.yml', env: 'local' },
  { file: 'm365agents.playground.yml', env: 'playground' },
] as const;

/** Variables whose value is a credential: never given a value in a committed env file. */
const SECRETS = [
  'MICROSOFT_APP_PASSWORD',
  'COSMOS_KEY',
  'GRAPH_CLIENT_SECRET',
  'GITHUB_TOKEN',
  'GITHUB_WEBHOOK_SECRET',
  'PAGERDUTY_TOKEN',
  'EVIDENCE_LINK_KEY',
];

/** Set by the toolkit itself: asked for when empty (Azure), or allowed empty (APP_NAME_SUFFIX). */
const TOOLKIT_BUILT_INS = ['AZURE_SUBSCRIPTION_ID', 'AZURE_RESOURCE_GROUP_NAME', 'APP_NAME_SUFFIX', 'TEAMSFX_ENV'];

interface VsCodeTask {
  readonly label: string;
  readonly type?: string;
  readonly command?: string;
  readonly dependsOn?: readonly string[];
  readonly args?: { env?: string; ports?: { portNumber: number; writeToEnvironmentFile?: Record<string, string> }[] };
}
interface LaunchConfig {
  readonly name: string;
  readonly type?: string;
  readonly program?: string;
  readonly envFile?: string;
  readonly preLaunchTask?: string;
  readonly autoAttachChildProcesses?: boolean;
  readonly configurations?: readonly string[];
}
const tasks = readJsonc<{ tasks: VsCodeTask[] }>('.vscode/tasks.json').tasks;
const launch = readJsonc<{ configurations: LaunchConfig[]; compounds: LaunchConfig[] }>('.vscode/launch.json');
const packageJson = JSON.parse(readRepoFile('package.json')) as { main: string; version: string; scripts: Record<string, string> };

/** The names an action writes into the environment for the actions after it. */
function outputsOf(action: ToolkitAction): string[] {
  const written = Object.values(action.writeToEnvironmentFile ?? {});
  if (action.uses === 'script' && String(action.with?.run).includes('set-teamsfx-env')) {
    written.push(...Object.keys(runValueScript(action)));
  }
  if (action.uses === 'arm/deploy') {
    // The toolkit writes each template output under its name upper-cased.
    for (const template of action.with!.templates as { path: string }[]) {
      expect(template.path).toBe('./infra/main.bicep');
      written.push(...Object.keys(loadTemplate().outputs).map((name) => name.toUpperCase()));
    }
  }
  return written;
}

/** The toolkit's reading of a script's output (teamsfx-core scriptDriver): `::set-teamsfx-env NAME=value` lines. */
const SET_ENV = /::(set-teamsfx-env|set-output)\s+(\w+)=((["'])(.*?)\4|[^"'\s]+)/g;

/**
 * Runs a script action that sets values, as the toolkit would (in a shell, from the project root),
 * with each placeholder filled with `<NAME>`; returns what it set.
 */
function runValueScript(action: ToolkitAction): Record<string, string> {
  const run = String(action.with!.run).replace(/\$\{\{\s*(\w+)\s*\}\}/g, (_written, name: string) => `<${name}>`);
  const result = spawnSync(run, { shell: true, cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' }, timeout: 30_000 });
  expect([run, result.status, result.stderr]).toEqual([run, 0, '']);
  return Object.fromEntries([...result.stdout.matchAll(SET_ENV)].map((match) => [match[2]!, match[5] ?? match[3]!]));
}

/** Files an action reads with placeholders filled in: the manifest template, ARM parameters. */
function filesReadBy(action: ToolkitAction): string[] {
  if (action.uses === 'teamsApp/zipAppPackage' || action.uses === 'teamsApp/validateManifest') return [String(action.with!.manifestPath)];
  if (action.uses === 'arm/deploy') return (action.with!.templates as { parameters?: string }[]).flatMap((t) => (t.parameters ? [t.parameters] : []));
  return [];
}

/** The names the toolkit has values for at the start of a run in `env`. */
function startingValues(env: string, envFile: EnvFile): Set<string> {
  const known = new Set(TOOLKIT_BUILT_INS);
  for (const [name, value] of envFile.assigned) if (value !== '') known.add(name);
  if (env === 'local') {
    // "Debug in Teams" starts the dev tunnel before provisioning; it writes its URL and host.
    const tunnel = tasks.find((task) => task.command === 'debug-start-local-tunnel' && task.args?.env === 'local');
    for (const port of tunnel?.args?.ports ?? []) for (const name of Object.values(port.writeToEnvironmentFile ?? {})) known.add(name);
  }
  return known;
}

/** Walks provision, deploy, publish in order; returns each placeholder used before anything set it. */
function unresolvedPlaceholders(project: ToolkitProject, env: string): string[] {
  const known = startingValues(env, readEnvFile(env));
  const missing: string[] = [];
  for (const stage of ['provision', 'deploy', 'publish'] as const) {
    for (const [index, action] of (project[stage] ?? []).entries()) {
      const where = `${stage}[${index}] ${action.uses}`;
      const used = [...placeholdersIn(action.with), ...filesReadBy(action).flatMap((file) => placeholdersIn(readRepoFile(file)).map((name) => `${name} (in ${file})`))];
      for (const name of used) if (!known.has(name.split(' ')[0]!)) missing.push(`${where}: ${name}`);
      for (const name of outputsOf(action)) known.add(name);
    }
  }
  return missing;
}

describe('the toolkit YAML files against the schema the toolkit publishes', () => {
  const validate = toolkitYamlValidator();

  test.each(PROJECTS)('$file is valid at the schema version it names', ({ file }) => {
    const text = readRepoFile(file);
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=${SCHEMA_URL}`);
    const project = readToolkitYaml(file);
    expect(project.version).toBe(SCHEMA_VERSION);
    const valid = validate(project);
    expect(valid ? [] : validate.errors).toEqual([]);
  });

  test('the schema refuses a misspelt action and a parameter the action does not take', () => {
    const project = readToolkitYaml('m365agents.yml');
    const misspelt = { ...project, provision: [{ ...project.provision![0]!, uses: 'teamsApp/creat' }, ...project.provision!.slice(1)] };
    expect(validate(misspelt)).toBe(false);
    const armDeploy = project.provision!.find((action) => action.uses === 'arm/deploy')!;
    const extra = { ...project, provision: [{ ...armDeploy, with: { ...armDeploy.with, template: './infra/main.bicep' } }] };
    expect(validate(extra)).toBe(false);
  });

  test('each file keeps its environment in env/, and each environment has its file there', () => {
    for (const { file, env } of PROJECTS) {
      expect([file, readToolkitYaml(file).environmentFolderPath]).toEqual([file, './env']);
      expect([env, existsSync(path.join(ROOT, 'env', `.env.${env}`))]).toEqual([env, true]);
      expect([env, readEnvFile(env).assigned.get('TEAMSFX_ENV')]).toEqual([env, env]);
    }
  });
});

describe('what the toolkit runs', () => {
  test.each(PROJECTS)('every placeholder in $file has a value by the time its action runs', ({ file, env }) => {
    expect(unresolvedPlaceholders(readToolkitYaml(file), env)).toEqual([]);
  });

  test('a placeholder nothing sets is found (the walk is not vacuous)', () => {
    const project = readToolkitYaml('m365agents.yml');
    const renamedOutput = {
      ...project,
      deploy: [{ uses: 'azureAppService/zipDeploy', with: { artifactFolder: './.deploy', resourceId: '${{WEB_APP_RESOURCE_ID}}' } }],
    };
    expect(unresolvedPlaceholders(renamedOutput, 'dev')).toEqual(['deploy[0] azureAppService/zipDeploy: WEB_APP_RESOURCE_ID']);
  });

  test.each([
    ['m365agents.yml', 'provision', { APP_ID: '<TEAMS_APP_ID>', BOT_ID: '<BOTAPPID>', BOT_DOMAIN: '<APPHOSTNAME>' }],
    ['m365agents.yml', 'publish', { APP_ID: '<TEAMS_APP_ID>', BOT_ID: '<BOTAPPID>', BOT_DOMAIN: '<APPHOSTNAME>' }],
    ['m365agents.local.yml', 'provision', { APP_ID: '<TEAMS_APP_ID>' }],
  ] as const)('%s %s gives the manifest its values: the Teams app id, the bot, its host, the version in package.json', (file, stage, expected) => {
    const project = readToolkitYaml(file);
    const script = project[stage]!.find((action) => action.uses === 'script')!;
    expect(runValueScript(script)).toEqual({ ...expected, APP_VERSION: packageJson.version });
    const manifestNames = new Set(placeholdersIn(readRepoFile('manifest/manifest.template.json')));
    expect([...manifestNames].sort()).toEqual(['APP_ID', 'APP_VERSION', 'BOT_DOMAIN', 'BOT_ID']);
  });

  test('dev provisions infra/main.bicep, and its parameters, filled from env/.env.dev, are ones the template declares with allowed values', () => {
    const project = readToolkitYaml('m365agents.yml');
    const armDeploy = project.provision!.find((action) => action.uses === 'arm/deploy')!;
    const [template] = armDeploy.with!.templates as { path: string; parameters: string }[];
    const values = new Map([...readEnvFile('dev').assigned]);
    const parameters = JSON.parse(fillPlaceholders(readRepoFile(template!.parameters), values)) as { parameters: Record<string, { value: unknown }> };
    const declared = loadTemplate().parameters;
    for (const [name, { value }] of Object.entries(parameters.parameters)) {
      const parameter = declared[name];
      expect([name, parameter === undefined]).toEqual([name, false]);
      expect([name, typeof value === 'string' && value.includes('${{')]).toEqual([name, false]);
      if (parameter!.allowedValues) expect(parameter!.allowedValues).toContain(value);
      if (parameter!.type === 'string') {
        expect((value as string).length).toBeGreaterThanOrEqual(parameter!.minLength ?? 0);
        expect((value as string).length).toBeLessThanOrEqual(parameter!.maxLength ?? Infinity);
      }
    }
    // The app settings the Bicep derives from them: the bot's database, container and config.
    expect(parameters.parameters.cosmosDatabaseName!.value).toBe(values.get('COSMOS_DATABASE'));
    expect(parameters.parameters.configPath!.value).toBe(values.get('LENDOS_CONFIG'));
  });

  test('dev deploys the zip infra/README.md describes, to the Web App the Bicep created', () => {
    const deploy = readToolkitYaml('m365agents.yml').deploy!;
    const zipDeploy = deploy.find((action) => action.uses === 'azureAppService/zipDeploy')!;
    expect(zipDeploy.with!.resourceId).toBe(
      '/subscriptions/${{AZURE_SUBSCRIPTION_ID}}/resourceGroups/${{AZURE_RESOURCE_GROUP_NAME}}/providers/Microsoft.Web/sites/${{WEBAPPNAME}}',
    );
    // WEBAPPNAME is the Bicep's output webAppName: the name of its Web App.
    const template = loadTemplate();
    const webApp = template.resources.find((resource) => resource.type === 'Microsoft.Web/sites')!;
    expect(template.outputs.webAppName?.value).toBe(webApp.name);
    const staging = String(zipDeploy.with!.artifactFolder).replace(/^\.\//, '');
    const script = String(deploy.find((action) => action.uses === 'script')!.with!.run);
    const copied = new RegExp(`cp -R ([^;]+) ${staging.replace('.', '\\.')}/;`).exec(script)![1]!.split(/\s+/).filter((item) => item !== 'package-lock.json');
    expect(script).toContain(`npm ci --omit=dev --no-audit --no-fund --prefix ${staging}`);
    const readmeZip = /^zip -qr \S+ (.+)$/m.exec(readRepoFile('infra/README.md'))![1]!.split(/\s+/);
    expect([...copied, 'node_modules'].sort()).toEqual([...readmeZip].sort());
  });

  test('local debug writes an environment the bot starts with, authenticated as the app registration', () => {
    const deploy = readToolkitYaml('m365agents.local.yml').deploy!;
    const writeEnv = deploy.find((action) => action.uses === 'file/createOrUpdateEnvironmentFile')!;
    const generated = new Map([
      ['BOT_ID', '3f2504e0-4f89-41d3-9a0c-0305e82c3301'],
      ['SECRET_BOT_PASSWORD', 'a client secret'],
      ['BOT_TENANT_ID', '72f988bf-86f1-41af-91ab-2d7cd011db47'],
      ['BOT_DOMAIN', 'abc123-3978.euw.devtunnels.ms'],
    ]);
    const values = new Map([...readEnvFile('local').assigned, ...generated]);
    const envs = Object.fromEntries(Object.entries(writeEnv.with!.envs as Record<string, string>).map(([name, value]) => [name, fillPlaceholders(String(value), values)]));
    const check = checkStartup(envs);
    expect(check.ok ? [] : check.problems).toEqual([]);
    if (!check.ok) return;
    expect(check.settings.MICROSOFT_APP_ID).toBe(generated.get('BOT_ID'));
    expect(check.settings.MICROSOFT_APP_PASSWORD).toBe(generated.get('SECRET_BOT_PASSWORD'));
    expect(check.settings.MICROSOFT_APP_TYPE).toBe('SingleTenant');
    expect(check.settings.MICROSOFT_APP_TENANT_ID).toBe(generated.get('BOT_TENANT_ID'));
    expect(check.settings.BOT_DOMAIN).toBe(generated.get('BOT_DOMAIN'));
    expect(check.settings.HOST).toBe('127.0.0.1');
    // The dev tunnel forwards to the port the bot listens on.
    const tunnel = tasks.find((task) => task.label === 'Start local tunnel')!;
    expect(tunnel.args!.ports![0]!.portNumber).toBe(check.settings.PORT);
    // The app registration is single tenant, like the bot.
    const aadApp = readToolkitYaml('m365agents.local.yml').provision!.find((action) => action.uses === 'aadApp/create')!;
    expect(aadApp.with!.signInAudience).toBe('AzureADMyOrg');
  });

  test('the playground environment starts the bot unauthenticated, as npm start does', () => {
    const env = Object.fromEntries(readEnvFile('playground').assigned);
    const check = checkStartup(env);
    expect(check.ok ? [] : check.problems).toEqual([]);
    if (!check.ok) return;
    expect(check.settings.MICROSOFT_APP_ID).toBe('');
    expect(check.settings.HOST).toBe('127.0.0.1');
  });
});

describe('the environment variables the bot reads', () => {
  const variables = variablesTheBotReads();

  test('the source scan finds every variable the start-up check and the integrations read', () => {
    const read = new Set<string>();
    const recording = new Proxy({} as Record<string, string | undefined>, {
      get: (_target, name) => {
        if (typeof name === 'string') read.add(name);
        return undefined;
      },
    });
    const { logger } = collectingLogger();
    checkStartup(recording);
    meetingSchedulerFromEnv(recording, { logger });
    bugTrackerFromEnv(recording, { logger });
    gitHubRepositoryFromEnv(recording, { logger });
    const names = [...read].filter((name) => /^[A-Z][A-Z0-9_]+$/.test(name));
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((name) => !variables.includes(name))).toEqual([]);
  });

  test.each(PROJECTS.map(({ env }) => env))('each appears in env/.env.%s, and no secret has a value there', (env) => {
    const file = readEnvFile(env);
    expect(variables.filter((name) => !file.assigned.has(name) && !file.commented.has(name))).toEqual([]);
    const secretsSet = [...file.assigned].filter(([name, value]) => value !== '' && (SECRETS.includes(name) || name.startsWith('SECRET_')));
    expect(secretsSet).toEqual([]);
  });

  test('each is described by `node dist/src/main.js --help`', () => {
    // The same program as dist/src/main.js, run from its TypeScript source so no build is needed.
    const result = spawnSync(process.execPath, ['-r', path.join(ROOT, 'test', 'helpers', 'ts-register.js'), path.join(ROOT, 'src', 'main.ts'), '--help'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(0);
    const help = result.stdout;
    expect(help).toContain('Environment:');
    const described = (name: string) => new RegExp(`(^|[^A-Z0-9_])${name}([^A-Z0-9_]|$)`, 'm').test(help);
    expect(variables.filter((name) => !described(name))).toEqual([]);
  });

  test('the list of secrets names only variables the bot reads', () => {
    expect(SECRETS.filter((name) => !variables.includes(name))).toEqual([]);
  });
});

describe('VS Code launch profiles', () => {
  const launchNames = [...launch.configurations, ...launch.compounds].map((entry) => entry.name);
  const taskLabels = tasks.map((task) => task.label);
  const byName = (name: string) => [...launch.configurations, ...launch.compounds].find((entry) => entry.name === name)!;

  test('"Debug in Microsoft 365 Agents Playground" and "Debug in Teams" exist', () => {
    expect(launchNames).toEqual(expect.arrayContaining(['Debug in Microsoft 365 Agents Playground', 'Debug in Teams']));
  });

  test('every task, dependency and configuration they name exists, and every toolkit task names an environment with its YAML file', () => {
    for (const entry of [...launch.configurations, ...launch.compounds]) {
      if (entry.preLaunchTask) expect([entry.name, taskLabels.includes(entry.preLaunchTask)]).toEqual([entry.name, true]);
      for (const configuration of entry.configurations ?? []) expect([entry.name, configuration, launchNames.includes(configuration)]).toEqual([entry.name, configuration, true]);
    }
    for (const task of tasks) {
      for (const dependency of task.dependsOn ?? []) expect([task.label, dependency, taskLabels.includes(dependency)]).toEqual([task.label, dependency, true]);
      if (task.type === 'teamsfx' && task.args?.env) {
        const env = task.args.env;
        expect([task.label, PROJECTS.some((project) => project.env === env)]).toEqual([task.label, true]);
      }
    }
  });

  test('the Playground profile runs what npm start runs, after the playground environment deployed (install, build)', () => {
    const profile = byName('Debug in Microsoft 365 Agents Playground');
    const started = /node (\S+)$/.exec(packageJson.scripts.start!)![1]!;
    expect(profile.program).toBe(`\${workspaceFolder}/${started}`);
    expect(profile.envFile).toBe('${workspaceFolder}/env/.env.playground');
    // The bot is a child process of start-local: the debugger follows it there.
    expect(profile.autoAttachChildProcesses).toBe(true);
    const steps = tasks.find((task) => task.label === profile.preLaunchTask)!.dependsOn!.map((label) => tasks.find((task) => task.label === label)!);
    expect(steps.some((task) => task.command === 'deploy' && task.args?.env === 'playground')).toBe(true);
    const deploy = readToolkitYaml('m365agents.playground.yml').deploy!.map((action) => String(action.with?.args));
    expect(deploy).toEqual(['install --no-audit --no-fund', 'run build']);
  });

  test('"Debug in Teams" tunnels, provisions and deploys locally, then runs the bot with the environment m365agents.local.yml wrote', () => {
    const compound = byName('Debug in Teams');
    const steps = tasks.find((task) => task.label === compound.preLaunchTask)!.dependsOn!.map((label) => tasks.find((task) => task.label === label)!);
    expect(steps.map((task) => [task.command, task.args?.env])).toEqual([
      ['debug-check-prerequisites', undefined],
      ['debug-start-local-tunnel', 'local'],
      ['provision', 'local'],
      ['deploy', 'local'],
    ]);
    const bot = compound.configurations!.map(byName).find((configuration) => configuration.type === 'node')!;
    expect(bot.program).toBe(`\${workspaceFolder}/${packageJson.main}`);
    const writeEnv = readToolkitYaml('m365agents.local.yml').deploy!.find((action) => action.uses === 'file/createOrUpdateEnvironmentFile')!;
    expect(bot.envFile).toBe(`\${workspaceFolder}/${String(writeEnv.with!.target).replace(/^\.\//, '')}`);
  });
});
