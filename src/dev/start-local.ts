import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';

// `npm start`: the bot and the Microsoft 365 Agents Playground (a local Teams client in the
// browser) side by side, so a newcomer can chat with @lendos without a Teams tenant. The process
// helpers are exported for the browser test (test/browser/helpers/playground.ts), which starts
// the same pair on ephemeral ports.

/** The Agents Playground's default port; it picks a random one when this is taken. */
export const PLAYGROUND_DEFAULT_PORT = 56150;
const BOT_PREFERRED_PORT = 3978;
const LOG_LINES_KEPT = 40;

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * A child process in its own process group, so stopping it also stops anything it started, and
 * a Ctrl-C in the terminal reaches only us (we forward it) instead of racing us to the children.
 */
export class ManagedProcess {
  readonly exited: Promise<ExitInfo>;
  private readonly recent: string[] = [];
  private exitInfo?: ExitInfo;

  constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    onLine: (line: string) => void,
  ) {
    const keep = (line: string) => {
      this.recent.push(line);
      if (this.recent.length > LOG_LINES_KEPT) this.recent.shift();
      onLine(line);
    };
    if (child.stdout) createInterface({ input: child.stdout }).on('line', keep);
    if (child.stderr) createInterface({ input: child.stderr }).on('line', keep);
    this.exited = new Promise((resolve) => {
      child.once('error', (error) => {
        keep(`failed to start: ${error.message}`);
        this.exitInfo = { code: -1, signal: null };
        resolve(this.exitInfo);
      });
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.exitInfo !== undefined;
  }

  /** The last lines it printed (stdout and stderr interleaved). */
  recentLines(): readonly string[] {
    return [...this.recent];
  }

  /** Sends `signal` to the whole process group. */
  signal(signal: NodeJS.Signals): void {
    if (this.hasExited || this.child.pid === undefined) return;
    try {
      if (process.platform === 'win32') this.child.kill(signal);
      else process.kill(-this.child.pid, signal);
    } catch {
      // Already gone.
    }
  }

  /** Asks politely (SIGINT, like Ctrl-C), then insists (SIGKILL) after `graceMs`. */
  async stop(graceMs = 5_000): Promise<ExitInfo> {
    this.signal('SIGINT');
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
    if ((await Promise.race([this.exited, timer])) === 'timeout') this.signal('SIGKILL');
    return this.exited;
  }
}

export function spawnManaged(
  name: string,
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; onLine?: (line: string) => void },
): ManagedProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
  });
  return new ManagedProcess(name, child, options.onLine ?? (() => undefined));
}

/** The directory holding package.json: dist/src/dev/ when built, src/dev/ under ts-jest. */
export function findProjectRoot(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** `preferred` when it is free, otherwise a port the OS hands out. */
export async function pickPort(preferred?: number, host = '127.0.0.1'): Promise<number> {
  if (preferred !== undefined && (await isPortFree(preferred, host))) return preferred;
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 2xx; gives up early if `child` exits. Returns the last response body. */
export async function waitForHttp(url: string, child: ManagedProcess, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.hasExited) throw new StartError(child, `exited before ${url} answered`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      const body = await response.text();
      if (response.ok) return body;
      lastProblem = `HTTP ${response.status}`;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new StartError(child, `${url} did not answer within ${timeoutMs} ms (${lastProblem})`);
}

/** A child that failed to come up; the message carries its last lines so the cause is visible. */
export class StartError extends Error {
  constructor(
    child: ManagedProcess,
    readonly problem: string,
    extraLines: readonly string[] = [],
  ) {
    const lines = [...child.recentLines(), ...extraLines];
    super(`${child.name} ${problem}${lines.length ? `\n--- last lines of ${child.name} ---\n${lines.join('\n')}` : ''}`);
    this.name = 'StartError';
  }
}

// ---------------------------------------------------------------------------------------------
// The Agents Playground

/** The part of the playground's `GET /_internal/v1/testConfig` answer we use. */
export interface PlaygroundConfig {
  readonly tenantId: string;
  readonly bot: { readonly id: string; readonly name: string };
  readonly currentUser: PlaygroundUser;
  readonly users: readonly PlaygroundUser[];
  readonly personalChat: { readonly id: string };
  readonly groupChats: readonly { readonly id: string; readonly name: string }[];
  readonly teams: readonly {
    readonly id: string;
    readonly name: string;
    readonly aadGroupId: string;
    /** General first; its id is the team id. */
    readonly channels: readonly { readonly id: string; readonly name: string }[];
  }[];
}

export interface PlaygroundUser {
  readonly id: string;
  readonly name: string;
  readonly aadObjectId: string;
  readonly email: string;
}

export interface RunningPlayground {
  readonly process: ManagedProcess;
  readonly port: number;
  /** What to open in a browser. */
  readonly url: string;
  /** The Bot Connector the playground mocks; every activity it sends carries this serviceUrl. */
  readonly serviceUrl: string;
  readonly config: PlaygroundConfig;
  readonly logFile: string;
}

export interface PlaygroundOptions {
  readonly root: string;
  readonly botPort: number;
  /** 0 for any free port; default 56150 (the playground falls back to a random port if taken). */
  readonly port?: number;
  /** Default: <root>/.m365agentsplayground.yml. */
  readonly configFile?: string;
  /** Default: <root>/devTools/m365agentsplayground.log. The playground empties it at start. */
  readonly logFile?: string;
  /** Whether the playground may open a browser window itself. */
  readonly openBrowser: boolean;
  readonly env?: NodeJS.ProcessEnv;
  readonly onLine?: (line: string) => void;
  /** Called as soon as the process exists, so a caller can stop it even while it starts. */
  readonly onSpawn?: (child: ManagedProcess) => void;
  readonly timeoutMs?: number;
}

/**
 * Starts `agentsplayground -e <bot> -c msteams` and waits until it has loaded its config. Its
 * console goes to the log file, not to stdout, when stdout is not a terminal; stdout only
 * carries "Listening on <port>", which is how we learn the port it settled on.
 */
export async function startPlayground(options: PlaygroundOptions): Promise<RunningPlayground> {
  const configFile = options.configFile ?? path.join(options.root, '.m365agentsplayground.yml');
  const logFile = options.logFile ?? path.join(options.root, 'devTools', 'm365agentsplayground.log');
  if (!existsSync(configFile)) throw new Error(`Agents Playground config ${configFile} is missing`);
  const bin = path.join(options.root, 'node_modules', '.bin', process.platform === 'win32' ? 'agentsplayground.cmd' : 'agentsplayground');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run npm install (devDependency @microsoft/m365agentsplayground)`);

  const args = ['-e', `http://127.0.0.1:${options.botPort}/api/messages`, '-c', 'msteams', '--disable-telemetry'];
  if (options.port !== undefined) args.push('-p', String(options.port));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    M365_AGENTS_PLAYGROUND_CONFIG_PATH: configFile,
    M365_AGENTS_PLAYGROUND_LOGFILE: logFile,
  };
  if (!options.openBrowser) env.TEAMSAPPTESTER_BROWSER = 'none';

  let resolvePort: (port: number) => void = () => undefined;
  const portAnnounced = new Promise<number>((resolve) => (resolvePort = resolve));
  const playground = spawnManaged('Agents Playground', bin, args, {
    cwd: options.root,
    env,
    onLine: (line) => {
      const match = /^Listening on (\d+)$/.exec(line.trim());
      if (match) resolvePort(Number(match[1]));
      options.onLine?.(line);
    },
  });
  options.onSpawn?.(playground);

  const timeoutMs = options.timeoutMs ?? 30_000;
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref());
  const port = await Promise.race([portAnnounced, playground.exited, timeout]);
  if (typeof port !== 'number') {
    await playground.stop();
    throw new StartError(playground, port === 'timeout' ? `did not say which port it listens on within ${timeoutMs} ms` : 'exited at start', logTail(logFile));
  }
  let body: string;
  try {
    // Answers only once the config file is loaded; an invalid config makes the playground exit.
    body = await waitForHttp(`http://127.0.0.1:${port}/_internal/v1/testConfig`, playground, timeoutMs);
  } catch (error) {
    await playground.stop();
    throw new StartError(playground, error instanceof StartError ? error.problem : String(error), logTail(logFile));
  }
  const config = (JSON.parse(body) as { config: PlaygroundConfig }).config;
  return { process: playground, port, url: `http://localhost:${port}`, serviceUrl: `http://localhost:${port}/_connector`, config, logFile };
}

/** The last lines of a log file, or nothing if it can't be read. */
export function logTail(file: string, lines = LOG_LINES_KEPT): string[] {
  try {
    return [`--- last lines of ${file} ---`, ...readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines)];
  } catch {
    return [];
  }
}

/**
 * The bot's config for a playground session: the given config with #engineering and #general
 * bound to the playground team's channels (a channel named "engineering", and General) on the
 * playground's serviceUrl. The playground forgets every conversation when it stops, so bindings
 * from a real tenant would point nowhere.
 */
export function bindPlaygroundChannels(baseConfig: Record<string, unknown>, playground: RunningPlayground): Record<string, unknown> {
  const team = playground.config.teams[0];
  if (!team) throw new Error('the Agents Playground config has no team');
  const general = team.channels.find((c) => c.id === team.id) ?? team.channels[0]!;
  const engineering = team.channels.find((c) => c.name.toLowerCase() === 'engineering') ?? team.channels.find((c) => c !== general);
  const bind = (channelId: string) => ({ id: channelId, teamId: team.id, serviceUrl: playground.serviceUrl });
  return {
    ...baseConfig,
    channels: { general: bind(general.id), ...(engineering ? { engineering: bind(engineering.id) } : {}) },
  };
}

// ---------------------------------------------------------------------------------------------
// The bot

export interface RunningBot {
  readonly process: ManagedProcess;
  readonly port: number;
  readonly url: string;
}

export interface BotOptions {
  readonly root: string;
  /** The bot's entry script, relative to root or absolute. */
  readonly entry: string;
  readonly port: number;
  /** Added to (and overriding) this process's environment. */
  readonly env?: NodeJS.ProcessEnv;
  readonly onLine?: (line: string) => void;
  readonly onSpawn?: (child: ManagedProcess) => void;
  readonly timeoutMs?: number;
}

/** Starts `node <entry>` with PORT set and waits for `GET /healthz`. */
export async function startBot(options: BotOptions): Promise<RunningBot> {
  const entry = path.resolve(options.root, options.entry);
  if (!existsSync(entry)) throw new Error(`bot entry ${entry} is missing: run npm run build first`);
  const bot = spawnManaged('bot', process.execPath, [entry], {
    cwd: options.root,
    env: { ...process.env, ...options.env, PORT: String(options.port) },
    onLine: options.onLine,
  });
  options.onSpawn?.(bot);
  const url = `http://127.0.0.1:${options.port}`;
  try {
    await waitForHttp(`${url}/healthz`, bot, options.timeoutMs ?? 30_000);
  } catch (error) {
    await bot.stop();
    throw error;
  }
  return { process: bot, port: options.port, url };
}

// ---------------------------------------------------------------------------------------------
// npm start

function shouldOpenBrowser(env: NodeJS.ProcessEnv): boolean {
  if (env.TEAMSAPPTESTER_BROWSER !== undefined) return env.TEAMSAPPTESTER_BROWSER !== 'none';
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  const noDisplay = process.platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY;
  return !ci && !noDisplay;
}

function prefixed(tag: string): (line: string) => void {
  return (line) => process.stdout.write(`${tag} ${line}\n`);
}

function readJson(file: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`cannot read ${file} as JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function welcome(bot: RunningBot, playground: RunningPlayground, storePath: string, baseConfigFile: string, root: string): string {
  const { currentUser: me, bot: botAccount, teams } = playground.config;
  const team = teams[0]!;
  const engineering = team.channels.find((c) => c.name.toLowerCase() === 'engineering')?.name ?? team.channels[0]!.name;
  const people = (readJson(baseConfigFile).people as { aadObjectId?: string }[] | undefined) ?? [];
  const known = people.some((p) => p.aadObjectId?.toLowerCase() === me.aadObjectId.toLowerCase());
  const rel = (file: string) => path.relative(root, file) || file;
  return [
    '',
    `  @${botAccount.name} is running locally.`,
    '',
    `  Open  ${playground.url}  in your browser (the Microsoft 365 Agents Playground).`,
    '',
    `  You are ${me.name}. Click the "${engineering}" channel under ${team.name}, type @${botAccount.name}, pick`,
    `  "${botAccount.name}" from the list, and post:`,
    '',
    '      help',
    '      rc 2026.4.0-rc.1 features: Loan export to CSV; Faster portfolio search fixes: Login loop on Safari notes: https://wiki.lendos.example/releases/2026.4.0 known issues: none',
    '',
    '  The RC cut starts a new post "Release 2026.4.0-rc.1" with its card in #engineering. To speak as',
    '  someone else (Luis Garcia approving, say): Mock an Activity > Custom activity, and set `from` to',
    '  their id, name and aadObjectId from .m365agentsplayground.yml.',
    '',
    `  Bot         ${bot.url}  (no app id: unauthenticated, local only)`,
    `  Config      ${rel(baseConfigFile)}, with #engineering and #general bound to the playground`,
    `  Store       ${rel(storePath)}`,
    `  Playground  log in ${rel(playground.logFile)}; people and channels in .m365agentsplayground.yml`,
    ...(known
      ? []
      : ['', `  Warning: ${me.name} (${me.aadObjectId}) is not among the people of ${rel(baseConfigFile)};`, '  the bot will treat everything you type as coming from a stranger.']),
    '',
    '  Ctrl-C stops both.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const root = findProjectRoot();
  const env = process.env;
  const entry = path.resolve(root, env.LENDOS_BOT_ENTRY ?? path.join('dist', 'src', 'main.js'));
  if (!existsSync(entry)) throw new Error(`bot entry ${entry} is missing: run npm run build first (npm start does)`);
  const sessionDir = path.join(root, 'data', 'playground');
  mkdirSync(sessionDir, { recursive: true });

  // The playground keeps its conversations in memory, so a store from an earlier session would
  // hold release threads that no longer exist: start from an empty one unless told otherwise.
  const storePath = env.LENDOS_STORE_PATH ? path.resolve(root, env.LENDOS_STORE_PATH) : path.join(sessionDir, 'lendos.db');
  if (!env.LENDOS_STORE_PATH) for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(storePath + suffix, { force: true });
  const baseConfigFile = env.LENDOS_CONFIG
    ? path.resolve(root, env.LENDOS_CONFIG)
    : [path.join(root, 'config', 'lendos.json'), path.join(root, 'config', 'lendos.example.json')].find((f) => existsSync(f));
  if (!baseConfigFile) throw new Error('no bot config: create config/lendos.json (see config/lendos.example.json) or set LENDOS_CONFIG');

  const botPort = await pickPort(BOT_PREFERRED_PORT);
  const children: ManagedProcess[] = [];
  let stopping = false;
  const stopAll = async () => {
    stopping = true;
    await Promise.all(children.map((child) => child.stop()));
  };
  // Last resort if we die without cleaning up (an exception, process.exit elsewhere).
  process.on('exit', () => children.forEach((child) => child.signal('SIGKILL')));
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      process.stdout.write(`\n${signal}: stopping the bot and the Agents Playground…\n`);
      void stopAll().then(() => process.exit(0));
    });
  }

  try {
    const playground = await startPlayground({
      root,
      botPort,
      openBrowser: shouldOpenBrowser(env),
      onLine: prefixed('[playground]'),
      onSpawn: (child) => children.push(child),
    });
    const sessionConfig = path.join(sessionDir, 'lendos.json');
    writeFileSync(sessionConfig, JSON.stringify(bindPlaygroundChannels(readJson(baseConfigFile), playground), null, 2) + '\n');
    const bot = await startBot({
      root,
      entry,
      port: botPort,
      env: { HOST: env.HOST ?? '127.0.0.1', LENDOS_CONFIG: sessionConfig, LENDOS_STORE_PATH: storePath },
      onLine: prefixed('[bot]'),
      onSpawn: (child) => children.push(child),
    });
    process.stdout.write(welcome(bot, playground, storePath, baseConfigFile, root) + '\n');

    const first = await Promise.race(children.map((child) => child.exited.then((exit) => ({ child, exit }))));
    if (stopping) return;
    const { child, exit } = first;
    const extra = child === playground.process ? logTail(playground.logFile) : [];
    process.stderr.write(
      `\n${child.name} stopped unexpectedly (${exit.signal ?? `exit code ${exit.code}`}); stopping the rest.\n` +
        `--- last lines of ${child.name} ---\n${[...child.recentLines(), ...extra].join('\n')}\n`,
    );
    await stopAll();
    process.exit(exit.code && exit.code > 0 ? exit.code : 1);
  } catch (error) {
    if (stopping) return; // Ctrl-C during start: the signal handler is already stopping us
    process.stderr.write(`\n${error instanceof Error ? error.message : String(error)}\n`);
    await stopAll();
    process.exit(1);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
