import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ROOT, configBoundTo, readExampleConfig } from './activities';
import { BurstResult, measureBurst } from './burst';
import { BenchConnector } from './connector';
import { FOLD_MS } from '../src/app/outbox';
import { BenchCosmos, CosmosCounts, countsSince, documentRequests, startBenchCosmos } from './cosmos';
import { GrowthPoints, GrowthRow, measureGrowth } from './growth';
import { Poster, unitLoop } from './load';
import { PairedResult, Spread, runPaired, settleCpu, spread } from './paired';
import { Child, MemoryReading, cpuMs, freePort, killChildrenNow, readMemory, spawnNode, stopAllChildren, waitForHealthz } from './processes';
import { formatProfileSummary, summarizeProfile } from './profile-summary';
import { BotClock, FreshRcs, UnitContext, UnitOutcome, Workload, clickRound, echoUnits, lifecycle, statusRound, typedRound } from './units';

// `npm run bench`: @lendos against a bare botbuilder echo bot on this machine, in one run.
//   node dist/bench/bench.js [--quick] [--cpu-prof]
//     --quick     a smaller run (under a minute) to check the harness; its numbers are not the targets'
//     --cpu-prof  also profile both bots (node --cpu-prof) and print where their time goes (bench/last-profile-*)
//     --only=paired,soak,healthz,cosmos,growth,burst   run only these sections (to try a lever)
//     --workloads=typed,click,status,lifecycle          only these workloads in the paired rounds
//   BENCH_NODE_OPTIONS="--max-semi-space-size=8"  node flags for BOTH bots (default: the `serve`
//     script's flags), to try a setting
// Prints tables and writes bench/last-run.json. Exits 0 even when a target is missed.
// bench/README.md explains every figure.

const QUICK = process.argv.includes('--quick');
const CPU_PROF = process.argv.includes('--cpu-prof');
const argList = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1]?.split(',');
const SECTIONS = new Set(argList('only') ?? ['paired', 'soak', 'healthz', 'cosmos', 'growth', 'burst']);
const WORKLOADS = new Set(argList('workloads') ?? ['typed', 'click', 'status', 'lifecycle']);
/** Both bots run with the node flags production runs with (`npm run serve`), unless overridden. */
const NODE_FLAGS = (process.env.BENCH_NODE_OPTIONS ?? serveFlags()).split(/\s+/).filter(Boolean);

function serveFlags(): string {
  const serve: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts?.serve ?? '';
  return serve.split(/\s+/).filter((word) => word.startsWith('--')).join(' ');
}

const SETTINGS = {
  rounds: QUICK ? 3 : 7,
  /** Each side of a paired round is sized to last about this long. */
  roundSeconds: QUICK ? 0.25 : 0.7,
  concurrencies: [10, 1],
  /** Activities sent to the main bot in all before its RSS is the figure. */
  totalCommands: QUICK ? 2_000 : 10_000,
  healthzPairs: QUICK ? 2 : 5,
  cosmosUnits: { c1: QUICK ? 4 : 12, c10: QUICK ? 20 : 60 },
  growth: (QUICK
    ? { releases: [40, 120], events: [0, 200], rcs: [1, 10], toggles: 10, queries: 5 }
    : { releases: [40, 400, 2_000], events: [0, 200, 2_000], rcs: [1, 10, 100], toggles: 30, queries: 10 }) satisfies GrowthPoints,
  burst: { releases: 10, withinMs: 1_000, waitMs: QUICK ? 20_000 : 60_000 },
  timeoutMs: 30_000,
  /** The whole run is abandoned (children stopped, temp dirs removed) after this. */
  watchdogMs: QUICK ? 180_000 : 900_000,
};

const TARGETS = {
  typedRatio: 0.45,
  clickRatio: 0.4,
  storeRequestsPerCommand: 1.2,
  rssMb: 150,
  healthzRatio: 1.5,
  burstOverMinimum: 1.2,
};

interface StoreFigure {
  readonly workload: string;
  readonly concurrency: number;
  readonly units: number;
  readonly commands: number;
  readonly counts: CosmosCounts;
  readonly requestsPerCommand: number;
  readonly unitsPerSecond: number;
  readonly cpuMsPerUnit: number;
}

interface Report {
  date: string;
  machine: { cpus: number; cpuModel: string; node: string; platform: string; release: string; totalMemMb: number; loadAverage: number[] };
  settings: typeof SETTINGS & { quick: boolean; cpuProf: boolean; nodeFlags: string[]; sections: string[]; workloads: string[] };
  paired: PairedResult[];
  botCommands: number;
  memory: Array<{ afterCommands: number } & MemoryReading>;
  /** The first reading at or after SETTINGS.totalCommands (the paired rounds may pass it before the soak). */
  atTarget?: { afterCommands: number } & MemoryReading;
  healthz: { pairs: Array<{ botMs: number; echoMs: number; ratio: number }>; ratio?: Spread; botMs?: Spread; echoMs?: Spread };
  store: StoreFigure[];
  growth: GrowthRow[];
  burst?: BurstResult;
  targets: Array<{ name: string; measured: string; target: string; met: boolean | undefined; note?: string }>;
  profile?: { bot?: string; echo?: string };
  errors: string[];
  seconds?: number;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lendos-bench-'));
  const cleanup = () => {
    killChildrenNow();
    rmSync(dir, { recursive: true, force: true });
  };
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench: gave up after ${SETTINGS.watchdogMs / 1000} s; stopping children\n`);
    cleanup();
    process.exit(0);
  }, SETTINGS.watchdogMs);
  watchdog.unref();
  const onSignal = () => {
    cleanup();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const report: Report = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      node: process.version,
      platform: platform(),
      release: release(),
      totalMemMb: Math.round(totalmem() / 2 ** 20),
      loadAverage: loadAverage(),
    },
    settings: { ...SETTINGS, quick: QUICK, cpuProf: CPU_PROF, nodeFlags: NODE_FLAGS, sections: [...SECTIONS], workloads: [...WORKLOADS] },
    paired: [],
    botCommands: 0,
    memory: [],
    healthz: { pairs: [] },
    store: [],
    growth: [],
    targets: [],
    errors: [],
  };
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const began = performance.now();
  log(`node flags for both bots: ${NODE_FLAGS.join(' ') || '(none)'}${QUICK ? ' — QUICK run' : ''}`);
  const connector = await BenchConnector.start();
  const example = readExampleConfig();
  const configPath = join(dir, 'lendos.json');
  writeFileSync(configPath, JSON.stringify(configBoundTo(example, connector.url), null, 2));
  const botEnv = (extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', LENDOS_CONFIG: configPath, NODE_ENV: 'development', MICROSOFT_APP_ID: '', MICROSOFT_APP_PASSWORD: '' };
    for (const key of Object.keys(env)) if (/^(COSMOS_|GRAPH_|GITHUB_)/.test(key)) delete env[key];
    return { ...env, ...extra };
  };
  const profileDir = (who: string) => join(dir, `profile-${who}`);
  const profiling = (who: string) => (CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${profileDir(who)}`] : []);
  const posters: Poster[] = [];
  let cosmos: BenchCosmos | undefined;

  /** Starts bench/bot-entry.js (the serve path plus a steppable clock); resolves with its context. */
  const startBot = async (name: string, env: NodeJS.ProcessEnv, extraArgs: string[] = []) => {
    const child = spawnNode(name, [...NODE_FLAGS, ...extraArgs, join(ROOT, 'dist', 'bench', 'bot-entry.js')], botEnv(env), { ipc: true });
    const port = portOf(await child.waitForLine((l) => l.includes('bot listening'), 20_000));
    const poster = new Poster(`http://127.0.0.1:${port}`, 16);
    posters.push(poster);
    let offset = 0;
    const clock: BotClock = {
      now: () => Date.now() + offset,
      async advanceTo(at) {
        if (at <= Date.now() + offset) return;
        offset = at - Date.now();
        await child.request({ type: 'clock', offsetMs: offset });
      },
    };
    const ctx: UnitContext = { poster, connector, example, timeoutMs: SETTINGS.timeoutMs };
    return { child, poster, clock, ctx };
  };

  try {
    // --- the two bots, as child processes on ephemeral ports, with the same node flags ---------------
    const echo = spawnNode('echo bot', [...NODE_FLAGS, ...profiling('echo'), join(ROOT, 'dist', 'bench', 'echo-bot.js')], { ...process.env, PORT: '0' });
    const echoPort = portOf(await echo.waitForLine((l) => l.includes('echo listening'), 10_000));
    const echoPoster = new Poster(`http://127.0.0.1:${echoPort}`, 16);
    posters.push(echoPoster);
    const echoCtx: UnitContext = { poster: echoPoster, connector, example, timeoutMs: SETTINGS.timeoutMs };
    const main = await startBot('lendos bot', { LENDOS_STORE_PATH: join(dir, 'main-store', 'lendos.db'), BENCH_UNPACED: '1' }, profiling('bot'));
    const rcs = new FreshRcs(main.ctx, 2030);
    const countCuts = (workload: Workload): Workload => ({
      ...workload,
      prepare: async (units) => {
        const before = rcs.available;
        await workload.prepare(units);
        report.botCommands += Math.max(0, rcs.available - before);
      },
    });
    const all = { typed: typedRound(main.ctx, rcs), click: clickRound(main.ctx, rcs), status: statusRound(main.ctx, rcs), lifecycle: lifecycle(main.ctx, main.clock, 2040) };
    const typed = countCuts(all.typed);
    const workloads = SECTIONS.has('paired') ? Object.entries(all).filter(([key]) => WORKLOADS.has(key)).map(([, w]) => countCuts(w)) : [];
    const onBotInbound = (count: number) => {
      const before = report.botCommands;
      report.botCommands += count;
      if (before < SETTINGS.totalCommands && report.botCommands >= SETTINGS.totalCommands) {
        report.atTarget = { afterCommands: report.botCommands, ...readMemory(main.child.pid) };
        report.memory.push(report.atTarget);
      }
    };

    // --- paired rounds: each workload at c=10 and c=1 against the echo bot's matching unit ------------
    for (const workload of workloads) {
      for (const concurrency of SETTINGS.concurrencies) {
        const result = await runPaired({
          bot: { workload, pid: main.child.pid },
          echo: { workload: echoUnits(echoCtx, workload.inboundPerUnit), pid: echo.pid },
          connector,
          concurrency,
          rounds: SETTINGS.rounds,
          roundSeconds: SETTINGS.roundSeconds,
          timeoutMs: SETTINGS.timeoutMs,
          log,
          onBotInbound,
        });
        report.paired.push(result);
        log(`${result.workload}, c=${concurrency}: ratio ${fmtSpread(result.ratio)}, CPU ratio ${fmtSpread(result.cpuRatio)} (min/median/max)`);
        report.memory.push({ afterCommands: report.botCommands, ...readMemory(main.child.pid) });
      }
    }

    // --- soak the main bot up to the command count, then its memory ---------------------------------
    for (let chunk = 0; SECTIONS.has('soak') && chunk < 100 && report.botCommands < SETTINGS.totalCommands; chunk += 1) {
      const units = Math.min(100, Math.ceil((SETTINGS.totalCommands - report.botCommands) / (typed.inboundPerUnit + 1)));
      await typed.prepare(units);
      const round = await unitLoop<UnitOutcome>({ units, concurrency: 10, deadlineMs: SETTINGS.timeoutMs * 4, unit: (w) => typed.unit(w) });
      if (round.failed) throw new Error(`soak: ${round.failed} units failed: ${round.firstFailure}`);
      onBotInbound(round.outcomes.reduce((sum, o) => sum + o.inbound, 0));
    }
    await connector.quiet(200, 10_000);
    await settleCpu(main.child.pid);
    const settled = readMemory(main.child.pid);
    report.memory.push({ afterCommands: report.botCommands, ...settled });
    log(`bot memory after ${report.botCommands} commands: RSS ${settled.rssMb.toFixed(1)} MB (peak ${settled.hwmMb.toFixed(1)} MB)`);
    await main.child.stop();
    await echo.stop();

    // --- /healthz after spawn: dist/src/main.js against the echo bot, same flags, alternating -------
    for (let i = 0; SECTIONS.has('healthz') && i < SETTINGS.healthzPairs; i += 1) {
      const startOne = async (who: 'bot' | 'echo') => {
        const port = await freePort();
        const child: Child =
          who === 'bot'
            ? spawnNode('lendos bot (start)', [...NODE_FLAGS, join(ROOT, 'dist', 'src', 'main.js')], botEnv({ PORT: String(port), LENDOS_STORE_PATH: join(dir, `healthz-${i}`, 'lendos.db') }))
            : spawnNode('echo bot (start)', [...NODE_FLAGS, join(ROOT, 'dist', 'bench', 'echo-bot.js')], { ...process.env, PORT: String(port) });
        try {
          return Math.round((await waitForHealthz(port, child, 15_000)) - child.spawnedAt);
        } finally {
          await child.stop();
        }
      };
      const order = i % 2 === 0 ? (['bot', 'echo'] as const) : (['echo', 'bot'] as const);
      const times: Record<string, number> = {};
      for (const who of order) times[who] = await startOne(who);
      report.healthz.pairs.push({ botMs: times.bot!, echoMs: times.echo!, ratio: times.bot! / times.echo! });
    }
    if (report.healthz.pairs.length) {
      report.healthz.ratio = spread(report.healthz.pairs.map((p) => p.ratio));
      report.healthz.botMs = spread(report.healthz.pairs.map((p) => p.botMs));
      report.healthz.echoMs = spread(report.healthz.pairs.map((p) => p.echoMs));
      log(`/healthz after spawn: bot ${fmtSpread(report.healthz.botMs, 0)} ms, echo ${fmtSpread(report.healthz.echoMs, 0)} ms, ratio ${fmtSpread(report.healthz.ratio)}`);
    }

    // --- store requests per command, counted by a Cosmos server on loopback ---------------------------
    if (SECTIONS.has('cosmos') || SECTIONS.has('growth')) cosmos = await startBenchCosmos();
    const cosmosEnv = (database: string) => ({ COSMOS_ENDPOINT: cosmos!.endpoint, COSMOS_KEY: cosmos!.key, COSMOS_DATABASE: database, BENCH_COSMOS_SELF_SIGNED: '1' });
    const onCosmos = SECTIONS.has('cosmos') ? await startBot('lendos bot on Cosmos', cosmosEnv('bench')) : undefined;
    const cosmosRcs = onCosmos && new FreshRcs(onCosmos.ctx, 2031);
    for (const workload of onCosmos && cosmosRcs ? [typedRound(onCosmos.ctx, cosmosRcs), clickRound(onCosmos.ctx, cosmosRcs), statusRound(onCosmos.ctx, cosmosRcs)] : []) {
      await workload.prepare(2);
      await unitLoop({ units: 2, concurrency: 1, deadlineMs: SETTINGS.timeoutMs, unit: (w) => workload.unit(w) }); // warm
      for (const concurrency of SETTINGS.concurrencies) {
        const units = concurrency === 1 ? SETTINGS.cosmosUnits.c1 : SETTINGS.cosmosUnits.c10;
        await workload.prepare(units);
        await connector.quiet(50, 5_000);
        // the acknowledgements still waiting for a write are written within FOLD_MS: count none of them twice
        await cosmos!.quiet(FOLD_MS + 300, 10_000);
        const before = { ...cosmos!.counts };
        const cpuBefore = cpuMs(onCosmos!.child.pid);
        const round = await unitLoop<UnitOutcome>({ units, concurrency, deadlineMs: SETTINGS.timeoutMs * 2, unit: (w) => workload.unit(w) });
        if (round.failed) report.errors.push(`Cosmos ${workload.name} c=${concurrency}: ${round.failed} units failed: ${round.firstFailure}`);
        await cosmos!.quiet(FOLD_MS + 300, 10_000); // acknowledgements follow the deliveries, the last ones FOLD_MS later
        const counts = countsSince(cosmos!.counts, before);
        const commands = round.outcomes.reduce((sum, o) => sum + o.inbound, 0);
        const figure: StoreFigure = {
          workload: workload.name,
          concurrency,
          units: round.outcomes.length,
          commands,
          counts,
          requestsPerCommand: documentRequests(counts) / Math.max(1, commands),
          unitsPerSecond: round.outcomes.length / ((round.doneAt - round.startedAt) / 1000),
          cpuMsPerUnit: (cpuMs(onCosmos!.child.pid) - cpuBefore) / Math.max(1, round.outcomes.length),
        };
        report.store.push(figure);
        log(`Cosmos, ${workload.name}, c=${concurrency}: ${figure.requestsPerCommand.toFixed(2)} document requests per command (${fmtCounts(counts)})`);
      }
    }
    await onCosmos?.child.stop();

    // --- growth: cost per command as the store fills (on Cosmos, so requests are counted) -------------
    if (SECTIONS.has('growth')) {
      const growthBot = await startBot('lendos bot (growth)', { ...cosmosEnv('growth'), BENCH_UNPACED: '1' });
      report.growth = await measureGrowth({ ctx: growthBot.ctx, pid: growthBot.child.pid, cosmos: cosmos!, points: SETTINGS.growth, log });
      await growthBot.child.stop();
    }

    // --- Teams' rate limits under a burst -------------------------------------------------------------
    if (SECTIONS.has('burst')) {
      const burstBot = await startBot('lendos bot (burst)', { LENDOS_STORE_PATH: join(dir, 'burst-store', 'lendos.db') });
      report.burst = await measureBurst({ ctx: burstBot.ctx, ...SETTINGS.burst });
      log(`burst: ${report.burst.overLimit} requests over Teams' limits, ${report.burst.messagesLost} messages not delivered, last card ${report.burst.lastCardMs?.toFixed(0) ?? 'never'} ms (minimum ${report.burst.minimumMs.toFixed(0)} ms)`);
      await burstBot.child.stop();
    }

    if (CPU_PROF) {
      report.profile = {};
      for (const who of ['bot', 'echo'] as const) {
        const file = readdirSync(profileDir(who)).find((f) => f.endsWith('.cpuprofile'));
        if (!file) {
          report.errors.push(`no CPU profile was written by the ${who} process`);
          continue;
        }
        report.profile[who] = formatProfileSummary(summarizeProfile(join(profileDir(who), file), 30));
        writeFileSync(join(ROOT, 'bench', `last-profile-${who}.txt`), `${report.profile[who]}\n`);
        // the raw profile too (not committed), for Chrome DevTools or a closer look
        copyFileSync(join(profileDir(who), file), join(ROOT, 'bench', `last-profile-${who}.cpuprofile`));
      }
    }
  } catch (error) {
    report.errors.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
  } finally {
    for (const poster of posters) poster.close();
    await stopAllChildren();
    if (connector.totals.malformed > 0) report.errors.push(`the connector saw ${connector.totals.malformed} malformed calls, e.g. ${connector.malformedSamples[0]}`);
    await connector.close();
    await cosmos?.close();
    rmSync(dir, { recursive: true, force: true });
  }

  report.targets = judge(report);
  report.seconds = Math.round((performance.now() - began) / 1000);
  // Only a whole, full-size run is "the last run"; a quick or partial one goes beside it.
  const whole = !QUICK && SECTIONS.size === 6 && WORKLOADS.size === 4;
  const resultFile = whole ? 'last-run.json' : 'last-run-partial.json';
  writeFileSync(join(ROOT, 'bench', resultFile), `${JSON.stringify(report, null, 2)}\n`);
  log('');
  log(formatReport(report));
  if (report.profile?.bot) log(`\n@lendos ${report.profile.bot}`);
  if (report.profile?.echo) log(`\necho bot ${report.profile.echo}`);
  log(`\n(${report.seconds} s; results in bench/${resultFile})`);
  clearTimeout(watchdog);
}

function judge(report: Report): Report['targets'] {
  const targets: Report['targets'] = [];
  const paired = (name: string, c: number) => report.paired.find((p) => p.workload === name && p.concurrency === c);
  const ratioTarget = (name: string, c: number, target: number) => {
    const p = paired(name, c);
    targets.push({
      name: `${name}, c=${c}: units/s ÷ echo's`,
      measured: p ? `${fmtSpread(p.ratio)}  (CPU: ${fmtSpread(p.cpuRatio)})` : 'n/a',
      target: `median ≥ ${target}`,
      met: p ? p.ratio.median >= target : undefined,
    });
  };
  for (const c of SETTINGS.concurrencies) ratioTarget('approval round, typed', c, TARGETS.typedRatio);
  for (const c of SETTINGS.concurrencies) ratioTarget('approval round, clicks', c, TARGETS.clickRatio);
  for (const c of SETTINGS.concurrencies) {
    const p = paired('status', c);
    if (p) targets.push({ name: `status, c=${c}: units/s ÷ echo's`, measured: `${fmtSpread(p.ratio)}  (CPU: ${fmtSpread(p.cpuRatio)})`, target: '(no target)', met: undefined });
  }
  for (const c of SETTINGS.concurrencies) {
    const p = paired('lifecycle, RC cut to live', c);
    if (p) targets.push({ name: `lifecycle, c=${c}: units/s ÷ echo's`, measured: `${fmtSpread(p.ratio)}  (CPU: ${fmtSpread(p.cpuRatio)})`, target: '(no target)', met: undefined });
  }
  const typedStore = report.store.filter((s) => s.workload === 'approval round, typed');
  targets.push({
    name: 'Cosmos document requests per warm typed command',
    measured: typedStore.length ? typedStore.map((s) => `${s.requestsPerCommand.toFixed(2)} (c=${s.concurrency})`).join(', ') : 'n/a',
    target: `≤ ${TARGETS.storeRequestsPerCommand}`,
    met: typedStore.length ? typedStore.every((s) => s.requestsPerCommand <= TARGETS.storeRequestsPerCommand) : undefined,
    note: "a command that came too late to carry the acknowledgements of the delivery before it, or a periodic sweep inside the batch (README 'Store cost')",
  });
  const clickStore = report.store.filter((s) => s.workload === 'approval round, clicks');
  if (clickStore.length) {
    targets.push({
      name: 'Cosmos document requests per card click',
      measured: clickStore.map((s) => `${s.requestsPerCommand.toFixed(2)} (c=${s.concurrency})`).join(', '),
      target: `≤ ${TARGETS.storeRequestsPerCommand}`,
      met: clickStore.every((s) => s.requestsPerCommand <= TARGETS.storeRequestsPerCommand),
      note: "the same as for typed commands (README 'Store cost')",
    });
  }
  // Read as the command count first reached the target (after the round that crossed it), not at
  // the end of a run that went on past it.
  const last = report.atTarget ?? report.memory[report.memory.length - 1];
  targets.push({
    name: `bot RSS after ${(last?.afterCommands ?? report.botCommands).toLocaleString('en-US')} commands`,
    measured: last ? `${last.rssMb.toFixed(1)} MB (peak ${last.hwmMb.toFixed(1)} MB)` : 'n/a',
    target: `≤ ${TARGETS.rssMb} MB after ${SETTINGS.totalCommands.toLocaleString('en-US')}`,
    met: last && last.afterCommands >= SETTINGS.totalCommands ? last.rssMb <= TARGETS.rssMb : undefined,
  });
  const h = report.healthz.ratio;
  targets.push({
    name: '/healthz after spawn ÷ echo bot\'s',
    measured: h ? `${fmtSpread(h)} (bot ${fmtSpread(report.healthz.botMs!, 0)} ms)` : 'n/a',
    target: `median ≤ ${TARGETS.healthzRatio}`,
    met: h ? h.median <= TARGETS.healthzRatio : undefined,
  });
  const b = report.burst;
  if (b) {
    targets.push({ name: 'burst 10 × 5 in 1 s: requests over Teams\' limits', measured: String(b.overLimit), target: '0', met: b.overLimit === 0 });
    targets.push({ name: 'burst: messages not delivered', measured: `${b.messagesLost}${b.gaveUpAfterMs ? ` (gave up after ${b.gaveUpAfterMs / 1000} s)` : ''}`, target: '0', met: b.messagesLost === 0 });
    targets.push({
      name: 'burst: last card ÷ the minimum the limits allow',
      measured: b.lastCardOverMinimum === undefined ? 'never' : `${b.lastCardOverMinimum.toFixed(2)} (${b.lastCardMs!.toFixed(0)} vs ${b.minimumMs.toFixed(0)} ms)`,
      target: `≤ ${TARGETS.burstOverMinimum}`,
      met: b.lastCardOverMinimum === undefined ? false : b.lastCardOverMinimum <= TARGETS.burstOverMinimum,
    });
  }
  return targets;
}

function formatReport(report: Report): string {
  const lines: string[] = [];
  const m = report.machine;
  lines.push(`LendOS bench ${report.date}${report.settings.quick ? " (QUICK: not the targets' sizes)" : ''}${report.settings.cpuProf ? ' (both bots under --cpu-prof: slower)' : ''}`);
  lines.push(`machine: ${m.cpus} CPUs (${m.cpuModel}), node ${m.node}, ${m.platform} ${m.release}, load average at start ${m.loadAverage.map((l) => l.toFixed(2)).join(' ')}`);
  lines.push(`node flags, both bots: ${report.settings.nodeFlags.join(' ') || '(none)'}`);
  lines.push('');
  lines.push(...table(['target', 'measured (min / median / max)', 'target', ''], report.targets.map((t) => [t.name, t.measured, t.target, t.met === undefined ? '' : t.met ? 'met' : 'MISSED'])));
  for (const t of report.targets) if (t.note && t.met === false) lines.push(`  ${t.name}: ${t.note}`);
  lines.push('');
  lines.push(
    ...table(
      ['workload', 'c', 'rounds', 'units/round bot · echo', 'ratio min/med/max', 'CPU ratio min/med/max', 'bot units/s', 'echo units/s', 'bot CPU ms/unit', 'echo CPU ms/unit', 'latency p50/p99 ms bot · echo', 'card updates/unit', 'failed'],
      report.paired.map((p) => [
        p.workload,
        String(p.concurrency),
        String(p.rounds.length),
        `${p.unitsPerRound.bot} · ${p.unitsPerRound.echo}`,
        fmtSpread(p.ratio),
        fmtSpread(p.cpuRatio),
        p.bot.unitsPerSecond.median.toFixed(1),
        p.echo.unitsPerSecond.median.toFixed(1),
        p.bot.cpuMsPerUnit.median.toFixed(1),
        p.echo.cpuMsPerUnit.median.toFixed(1),
        `${p.bot.latencyP50Ms.toFixed(0)}/${p.bot.latencyP99Ms.toFixed(0)} · ${p.echo.latencyP50Ms.toFixed(0)}/${p.echo.latencyP99Ms.toFixed(0)}`,
        p.bot.cardUpdatesPerUnit.toFixed(2),
        p.bot.failed + p.echo.failed ? `${p.bot.failed + p.echo.failed}: ${p.bot.firstFailure ?? p.echo.firstFailure}` : '0',
      ]),
    ),
  );
  lines.push('  a unit: typed/click round = 5 approvals on a fresh RC; status = 5 × `status`; lifecycle = 16 activities; echo = as many messages');
  lines.push("  CPU ratio: echo CPU ms/unit ÷ bot CPU ms/unit in the same round — what the ratio tends to when both are CPU-bound, and far steadier on a busy machine");
  if (report.memory.length) lines.push('', `bot RSS: ${report.memory.map((r) => `${r.rssMb.toFixed(0)} MB after ${r.afterCommands}`).join(' · ')}`);
  if (report.store.length) {
    lines.push('');
    lines.push(
      ...table(
        ['on Cosmos (loopback, keep-alive)', 'c', 'commands', 'document req/command', 'reads', 'replaces', 'creates', 'queries', 'units/s', 'bot CPU ms/unit'],
        report.store.map((s) => [
          s.workload,
          String(s.concurrency),
          String(s.commands),
          s.requestsPerCommand.toFixed(2),
          per(s.counts.reads, s.commands),
          per(s.counts.replaces, s.commands),
          per(s.counts.creates, s.commands),
          per(s.counts.queries, s.commands),
          s.unitsPerSecond.toFixed(1),
          s.cpuMsPerUnit.toFixed(1),
        ]),
      ),
    );
  }
  if (report.growth.length) {
    lines.push('');
    lines.push(
      ...table(
        ['growth (Cosmos)', 'size', 'command', 'bot CPU ms/command', 'p50 / p99 ms', 'document req/command', 'reads', 'writes', 'bot RSS MB'],
        report.growth.map((g) => [
          g.dimension,
          g.size.toLocaleString('en-US'),
          g.command,
          g.cpuMsPerCommand.toFixed(1),
          `${g.p50Ms.toFixed(1)} / ${g.p99Ms.toFixed(1)}`,
          g.storeRequestsPerCommand.toFixed(2),
          g.readsPerCommand.toFixed(2),
          g.writesPerCommand.toFixed(2),
          g.rssMb.toFixed(0),
        ]),
      ),
    );
  }
  const b = report.burst;
  if (b) {
    lines.push('');
    lines.push(
      `burst: ${b.releases} releases × 5 leads approving within ${b.withinMs} ms, Teams' limits enforced: ${b.accepted} requests accepted, ${b.overLimit} answered 429 ` +
        `(${Object.entries(b.windows).map(([w, n]) => `${n} × ${w}`).join(', ') || 'none'}); replies ${b.repliesDelivered}/${b.repliesExpected}, final cards ${b.cardsFinal}/${b.releases}; ` +
        `last card ${b.lastCardMs === undefined ? 'never' : `${b.lastCardMs.toFixed(0)} ms`} after the first command, minimum the limits allow ${b.minimumMs.toFixed(0)} ms`,
    );
  }
  for (const error of report.errors) lines.push(`ERROR: ${error}`);
  return lines.join('\n');
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

function fmtSpread(s: Spread, digits = 2): string {
  return `${s.min.toFixed(digits)} / ${s.median.toFixed(digits)} / ${s.max.toFixed(digits)}`;
}

function fmtCounts(c: CosmosCounts): string {
  return `reads ${c.reads}, replaces ${c.replaces}, creates ${c.creates}, queries ${c.queries}, metadata ${c.metadata}`;
}

const per = (n: number, d: number) => (n / Math.max(1, d)).toFixed(2);

function portOf(line: string): number {
  const port = Number(JSON.parse(line).port);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`no port in "${line}"`);
  return port;
}

function loadAverage(): number[] {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
  } catch {
    return [];
  }
}

process.on('exit', killChildrenNow);
main().catch((error) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  killChildrenNow();
  process.exitCode = 1;
});
