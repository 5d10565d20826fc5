import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ROOT, configBoundTo, readExampleConfig } from './activities';
import { CountingConnector } from './connector';
import { Poster } from './load';
import { Child, MemoryReading, cpuMs, freePort, killChildrenNow, readMemory, spawnNode, stopAllChildren, waitForHealthz } from './processes';
import { formatProfileSummary, summarizeProfile } from './profile-summary';
import { AccountingBatch, measureStoreAccounting } from './store-accounting';
import { ApprovalWorkload, BenchRelease, PhaseResult, runEcho } from './workloads';

// `npm run bench`: @lendos against a bare botbuilder echo bot on this machine, in one run.
//   node dist/bench/bench.js [--quick] [--cpu-prof]
//     --quick     a smaller run (about 15 s) to check the harness; its numbers are not the targets'
//     --cpu-prof  also profile both bots (node --cpu-prof) and print where their time goes
//   BENCH_BOT_NODE_OPTIONS="--max-semi-space-size=2"  extra node flags for the @lendos process only
//     (to try a setting; the echo baseline stays bare)
// Prints a table and writes bench/last-run.json. Exits 0 even when a target is missed.

const QUICK = process.argv.includes('--quick');
const CPU_PROF = process.argv.includes('--cpu-prof');
/** The bot runs with the same node flags as production (`npm run serve`), unless overridden. */
const BOT_NODE_OPTIONS = (process.env.BENCH_BOT_NODE_OPTIONS ?? serveFlags()).split(/\s+/).filter(Boolean);

function serveFlags(): string {
  const serve: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts?.serve ?? '';
  return serve.split(/\s+/).filter((word) => word.startsWith('--')).join(' ');
}

const SETTINGS = {
  concurrency: 32,
  /** Echo and approvals are measured alternately this many times; the medians are compared. */
  rounds: 3,
  echoWarmup: QUICK ? 300 : 1_000,
  echoMessages: QUICK ? 1_000 : 3_000,
  /** Releases the approvals are spread over; at least `concurrency`, so no release gets two at once. */
  releases: 40,
  warmupPerRelease: 4,
  approvalMessages: QUICK ? 1_000 : 3_000,
  /** Commands to the real bot in all (cuts, warm-up, measured, soak) before its RSS is read. */
  totalCommands: QUICK ? 3_200 : 10_000,
  soakChunk: 2_000,
  healthzStarts: 3,
  accountingSequential: QUICK ? 40 : 100,
  accountingConcurrent: QUICK ? 320 : 1_000,
  phaseTimeoutMs: 60_000,
  /** The whole run is abandoned (children stopped, temp dirs removed) after this. */
  watchdogMs: 300_000,
};

const TARGETS = {
  approvalToEcho: 0.45,
  readsPerCommand: 1,
  writesPerCommand: 1,
  rssMb: 150,
  healthzMs: 2_000,
};

interface Report {
  date: string;
  machine: { cpus: number; cpuModel: string; node: string; platform: string; release: string; totalMemMb: number };
  settings: typeof SETTINGS & { quick: boolean; cpuProf: boolean; botNodeOptions: string[] };
  echo: PhaseResult[];
  /** Median over the rounds. */
  echoPerSecond?: number;
  bot: {
    startup?: { listeningMs: number; healthzMs: number };
    cut?: { releases: number; seconds: number };
    warmup?: PhaseResult;
    measured: PhaseResult[];
    /** Median over the rounds. */
    approvalsPerSecond?: number;
    soak: PhaseResult[];
    commandsSent: number;
    memory: Array<{ afterCommands: number } & MemoryReading>;
  };
  approvalToEcho?: number;
  /** Medians of CPU per item: a noise-resistant view of the same comparison. */
  cpu?: { botMsPerCommand: number; echoMsPerMessage: number; echoOverBot: number };
  healthz: { startsMs: number[]; maxMs?: number };
  store?: AccountingBatch[];
  targets: Array<{ name: string; value: string; target: string; met: boolean | undefined; note?: string }>;
  profile?: { bot?: string; echo?: string };
  errors: string[];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lendos-bench-'));
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench: gave up after ${SETTINGS.watchdogMs / 1000} s; stopping children\n`);
    killChildrenNow();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }, SETTINGS.watchdogMs);
  watchdog.unref();
  const onSignal = () => {
    killChildrenNow();
    rmSync(dir, { recursive: true, force: true });
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
    },
    settings: { ...SETTINGS, quick: QUICK, cpuProf: CPU_PROF, botNodeOptions: BOT_NODE_OPTIONS },
    echo: [],
    bot: { measured: [], soak: [], commandsSent: 0, memory: [] },
    healthz: { startsMs: [] },
    targets: [],
    errors: [],
  };
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const began = performance.now();
  const connector = await CountingConnector.start();
  const example = readExampleConfig();
  const configPath = join(dir, 'lendos.json');
  writeFileSync(configPath, JSON.stringify(configBoundTo(example, connector.url), null, 2));
  const botEnv = (port: number, storeDir: string): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', LENDOS_CONFIG: configPath, LENDOS_STORE_PATH: join(storeDir, 'lendos.db'), NODE_ENV: 'development', MICROSOFT_APP_ID: '', MICROSOFT_APP_PASSWORD: '' };
    for (const key of Object.keys(env)) if (key.startsWith('COSMOS_')) delete env[key];
    return env;
  };
  const profileDir = (who: string) => join(dir, `profile-${who}`);
  const profiling = (who: string) => (CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${profileDir(who)}`] : []);
  const botArgs = [...BOT_NODE_OPTIONS, ...profiling('bot'), join(ROOT, 'dist', 'src', 'main.js')];
  const posters: Poster[] = [];

  try {
    // --- the two bots, as child processes on ephemeral ports --------------------------------------
    const echo = spawnNode('echo bot', [...profiling('echo'), join(ROOT, 'dist', 'bench', 'echo-bot.js')], { ...process.env, PORT: '0' });
    const echoPort = portOf(await echo.waitForLine((l) => l.includes('echo listening'), 10_000));
    const echoPoster = new Poster(`http://127.0.0.1:${echoPort}`, SETTINGS.concurrency);
    posters.push(echoPoster);

    const mainStore = join(dir, 'main-store');
    const bot = spawnNode('lendos bot', botArgs, botEnv(0, mainStore));
    const listeningLine = await bot.waitForLine((l) => l.includes('bot listening'), 15_000);
    const listeningAt = performance.now();
    const botPort = portOf(listeningLine);
    const healthyAt = await waitForHealthz(botPort, bot, 10_000);
    report.bot.startup = { listeningMs: Math.round(listeningAt - bot.spawnedAt), healthzMs: Math.round(healthyAt - bot.spawnedAt) };
    log(`bot up on port ${botPort}: "bot listening" after ${report.bot.startup.listeningMs} ms, /healthz 200 after ${report.bot.startup.healthzMs} ms`);
    const botPoster = new Poster(`http://127.0.0.1:${botPort}`, SETTINGS.concurrency);
    posters.push(botPoster);

    // --- warm both up ------------------------------------------------------------------------------
    const echoOptions = { poster: echoPoster, connector, example, concurrency: SETTINGS.concurrency, timeoutMs: SETTINGS.phaseTimeoutMs };
    await runEcho({ ...echoOptions, label: 'echo warm-up', total: SETTINGS.echoWarmup });
    const workload = new ApprovalWorkload(botPoster, connector, example);
    const cutStart = performance.now();
    const releases: BenchRelease[] = await workload.cutReleases(SETTINGS.releases, 0, SETTINGS.phaseTimeoutMs);
    report.bot.cut = { releases: releases.length, seconds: round((performance.now() - cutStart) / 1000, 2) };
    report.bot.commandsSent += releases.length;
    const approvalOptions = { concurrency: SETTINGS.concurrency, timeoutMs: SETTINGS.phaseTimeoutMs };
    report.bot.warmup = await workload.run(releases, { ...approvalOptions, label: 'approvals warm-up', total: releases.length * SETTINGS.warmupPerRelease });
    report.bot.commandsSent += report.bot.warmup.sent;
    report.bot.memory.push({ afterCommands: report.bot.commandsSent, ...readMemory(bot.pid) });

    // --- echo and approvals, alternately, so machine noise hits both ------------------------------
    for (let round = 1; round <= SETTINGS.rounds; round += 1) {
      const echoRun = await withCpu(echo.pid, () => runEcho({ ...echoOptions, label: `echo, round ${round}`, total: SETTINGS.echoMessages }));
      report.echo.push(echoRun);
      log(phaseLine(echoRun));
      const approvals = await withCpu(bot.pid, () => workload.run(releases, { ...approvalOptions, label: `approvals, round ${round}`, total: SETTINGS.approvalMessages }));
      report.bot.measured.push(approvals);
      report.bot.commandsSent += approvals.sent;
      log(phaseLine(approvals));
      report.bot.memory.push({ afterCommands: report.bot.commandsSent, ...readMemory(bot.pid) });
    }
    echoPoster.close(); // idle keep-alive sockets would hold the echo bot's server.close()
    await echo.stop();
    report.echoPerSecond = median(report.echo.map((e) => e.perSecond));
    report.bot.approvalsPerSecond = median(report.bot.measured.map((a) => a.perSecond));
    report.approvalToEcho = report.bot.approvalsPerSecond / report.echoPerSecond;
    const botMs = median(report.bot.measured.map((a) => a.botCpuMsPerItem!));
    const echoMs = median(report.echo.map((e) => e.botCpuMsPerItem!));
    report.cpu = { botMsPerCommand: round(botMs, 3), echoMsPerMessage: round(echoMs, 3), echoOverBot: round(echoMs / botMs, 3) };

    // --- soak: up to the total command count, then the bot's memory ---------------------------------
    for (let chunk = 0; chunk < 20 && report.bot.commandsSent < SETTINGS.totalCommands; chunk += 1) {
      const total = Math.min(SETTINGS.soakChunk, SETTINGS.totalCommands - report.bot.commandsSent);
      const from = report.bot.commandsSent;
      const soak = await withCpu(bot.pid, () => workload.run(releases, { ...approvalOptions, label: `soak ${from + 1}–${from + total}`, total }));
      report.bot.soak.push(soak);
      report.bot.commandsSent += soak.sent;
      log(phaseLine(soak));
    }
    const settled = readMemory(bot.pid);
    if (report.bot.memory[report.bot.memory.length - 1]?.afterCommands !== report.bot.commandsSent) {
      report.bot.memory.push({ afterCommands: report.bot.commandsSent, ...settled });
    }
    log(`bot memory after ${report.bot.commandsSent} commands: RSS ${settled.rssMb.toFixed(1)} MB (peak ${settled.hwmMb.toFixed(1)} MB)`);
    botPoster.close();
    await bot.stop();

    // --- /healthz after spawn: a fresh store, then restarts on the store the run filled -----------
    for (let i = 0; i < SETTINGS.healthzStarts; i += 1) {
      const port = await freePort();
      const storeDir = i === 0 ? join(dir, 'healthz-store') : mainStore;
      const child: Child = spawnNode(`lendos bot (start ${i + 1})`, [...BOT_NODE_OPTIONS, join(ROOT, 'dist', 'src', 'main.js')], botEnv(port, storeDir));
      try {
        const at = await waitForHealthz(port, child, 10_000);
        report.healthz.startsMs.push(Math.round(at - child.spawnedAt));
      } finally {
        await child.stop();
      }
    }
    report.healthz.maxMs = Math.max(...report.healthz.startsMs);
    log(`/healthz after spawn: ${report.healthz.startsMs.join(', ')} ms (fresh store, then restarts on the ${report.bot.commandsSent}-command store)`);

    // --- store requests per warm command, in-process --------------------------------------------
    const accountingDir = join(dir, 'in-process');
    mkdirSync(accountingDir);
    report.store = await measureStoreAccounting({
      connector,
      example,
      dir: accountingDir,
      concurrency: SETTINGS.concurrency,
      sequentialCommands: SETTINGS.accountingSequential,
      concurrentCommands: SETTINGS.accountingConcurrent,
      firstReleaseIndex: 600,
      timeoutMs: SETTINGS.phaseTimeoutMs,
    });

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
      }
    }
  } catch (error) {
    report.errors.push(error instanceof Error ? error.message : String(error));
  } finally {
    for (const poster of posters) poster.close();
    await stopAllChildren();
    if (connector.totals.malformed > 0) report.errors.push(`the connector saw ${connector.totals.malformed} malformed calls, e.g. ${connector.malformedSamples[0]}`);
    await connector.close();
    rmSync(dir, { recursive: true, force: true });
  }

  report.targets = judge(report);
  writeFileSync(join(ROOT, 'bench', 'last-run.json'), `${JSON.stringify(report, null, 2)}\n`);
  log('');
  log(formatReport(report));
  if (report.profile?.bot) log(`\n@lendos ${report.profile.bot}`);
  if (report.profile?.echo) log(`\necho bot ${report.profile.echo}`);
  log(`\n(${Math.round((performance.now() - began) / 1000)} s; results in bench/last-run.json)`);
  clearTimeout(watchdog);
}

/** Runs a phase and adds the CPU time the bot child and this process spent per item on it. */
async function withCpu(pid: number, phase: () => Promise<PhaseResult>): Promise<PhaseResult> {
  const child = cpuMs(pid);
  const own = process.cpuUsage();
  const result = await phase();
  const ownUsed = process.cpuUsage(own);
  const items = Math.max(1, result.sent - result.failed);
  return {
    ...result,
    botCpuMsPerItem: (cpuMs(pid) - child) / items,
    benchCpuMsPerItem: (ownUsed.user + ownUsed.system) / 1000 / items,
  };
}

function judge(report: Report): Report['targets'] {
  const targets: Report['targets'] = [];
  const ratio = report.approvalToEcho;
  targets.push({
    name: 'approval throughput ÷ echo throughput',
    value: ratio === undefined ? 'n/a' : `${ratio.toFixed(2)}  (median ${report.bot.approvalsPerSecond!.toFixed(0)} vs ${report.echoPerSecond!.toFixed(0)} /s)`,
    target: `≥ ${TARGETS.approvalToEcho}`,
    met: ratio === undefined ? undefined : ratio >= TARGETS.approvalToEcho,
  });
  const load = report.store?.find((b) => b.concurrency > 1);
  const single = report.store?.find((b) => b.concurrency === 1);
  if (single && load) {
    const reads = Math.max(single.readsPerCommand, load.readsPerCommand);
    targets.push({ name: 'store reads per warm command', value: `${fmt(single.readsPerCommand)} one at a time, ${fmt(load.readsPerCommand)} under load`, target: `≤ ${TARGETS.readsPerCommand}`, met: reads <= TARGETS.readsPerCommand });
    targets.push({
      name: "store writes per warm command: the command's own",
      value: `${fmt(single.commandWritesPerCommand)} one at a time, ${fmt(load.commandWritesPerCommand)} under load`,
      target: `≤ ${TARGETS.writesPerCommand}`,
      met: Math.max(single.commandWritesPerCommand, load.commandWritesPerCommand) <= TARGETS.writesPerCommand,
    });
    targets.push({
      name: 'store writes per warm command: all (+ outbox ack)',
      value: `${fmt(single.writesPerCommand)} one at a time, ${fmt(load.writesPerCommand)} under load`,
      target: `≤ ${TARGETS.writesPerCommand}`,
      met: Math.max(single.writesPerCommand, load.writesPerCommand) <= TARGETS.writesPerCommand,
      note: 'the outbox acknowledges each delivery batch with one more conditional write',
    });
  } else {
    targets.push({ name: 'store requests per warm command', value: 'n/a', target: '≤ 1 read, ≤ 1 write', met: undefined });
  }
  const last = report.bot.memory[report.bot.memory.length - 1];
  targets.push({
    name: `bot RSS after ${report.bot.commandsSent.toLocaleString('en-US')} commands`,
    value: last ? `${last.rssMb.toFixed(1)} MB (peak ${last.hwmMb.toFixed(1)} MB)` : 'n/a',
    target: `< ${TARGETS.rssMb} MB after ${SETTINGS.totalCommands.toLocaleString('en-US')}`,
    met: last && report.bot.commandsSent >= SETTINGS.totalCommands ? last.rssMb < TARGETS.rssMb : undefined,
  });
  const healthz = report.healthz.maxMs;
  targets.push({
    name: `/healthz 200 after spawn (max of ${report.healthz.startsMs.length})`,
    value: healthz === undefined ? 'n/a' : `${healthz} ms`,
    target: `≤ ${TARGETS.healthzMs} ms`,
    met: healthz === undefined ? undefined : healthz <= TARGETS.healthzMs,
  });
  return targets;
}

function formatReport(report: Report): string {
  const lines: string[] = [];
  const m = report.machine;
  lines.push(`LendOS bench ${report.date}${report.settings.quick ? " (QUICK: not the targets' sizes)" : ''}${report.settings.cpuProf ? ' (both bots under --cpu-prof: slower)' : ''}`);
  if (report.settings.botNodeOptions.length) lines.push(`@lendos ran with extra node flags: ${report.settings.botNodeOptions.join(' ')}`);
  lines.push(`machine: ${m.cpus} CPUs (${m.cpuModel}), node ${m.node}, ${m.platform} ${m.release}`);
  lines.push('');
  const rows = report.targets.map((t) => [t.name, t.value, t.target, t.met === undefined ? 'NOT MEASURED' : t.met ? 'ok' : 'MISSED']);
  lines.push(...table(['target', 'value', 'target', 'status'], rows));
  for (const t of report.targets) if (t.note && t.met === false) lines.push(`  note: ${t.note}`);
  if (report.cpu) {
    lines.push(
      `CPU per item (medians): @lendos ${report.cpu.botMsPerCommand.toFixed(2)} ms per approval, echo bot ${report.cpu.echoMsPerMessage.toFixed(2)} ms per message ` +
        `→ echo ÷ @lendos = ${report.cpu.echoOverBot.toFixed(2)} (what the throughput ratio tends to when both are CPU-bound)`,
    );
  }
  lines.push('');
  // Each round's approvals against the echo run just before it: the pair saw the same machine.
  const ratioOf = (p: PhaseResult) => {
    const i = report.bot.measured.indexOf(p);
    return i >= 0 && report.echo[i] ? (p.perSecond / report.echo[i]!.perSecond).toFixed(2) : '';
  };
  const phases = [...(report.bot.warmup ? [report.bot.warmup] : []), ...interleave(report.echo, report.bot.measured), ...report.bot.soak];
  lines.push(
    ...table(
      ['phase', 'sent', 'per s', 'answer p50/p99 ms', 'delivered p50/p99 ms', 'card updates', 'refused', 'failed', '÷ echo same round', 'bot CPU ms each', 'bench CPU ms each'],
      phases.map((p) => [
        p.label,
        String(p.sent),
        p.perSecond.toFixed(0),
        `${p.answerP50Ms.toFixed(1)} / ${p.answerP99Ms.toFixed(1)}`,
        p.deliveredP50Ms === undefined ? '' : `${p.deliveredP50Ms.toFixed(1)} / ${p.deliveredP99Ms!.toFixed(1)}`,
        p.cardUpdates === undefined ? '' : String(p.cardUpdates),
        p.refused === undefined ? '' : String(p.refused),
        p.failed ? `${p.failed} (${p.firstFailure})` : '0',
        ratioOf(p),
        p.botCpuMsPerItem === undefined ? '' : p.botCpuMsPerItem.toFixed(2),
        p.benchCpuMsPerItem === undefined ? '' : p.benchCpuMsPerItem.toFixed(2),
      ]),
    ),
  );
  if (report.bot.memory.length) {
    lines.push('', `bot RSS: ${report.bot.memory.map((r) => `${r.rssMb.toFixed(1)} MB after ${r.afterCommands}`).join(' · ')}`);
  }
  if (report.store) {
    lines.push('');
    lines.push(
      ...table(
        ['store per warm command', 'reads', 'writes', "command's write", 'outbox ack', 'other writes', 'queries'],
        report.store.map((b) => [`${b.label} (${b.commands})`, fmt(b.readsPerCommand), fmt(b.writesPerCommand), fmt(b.commandWritesPerCommand), fmt(b.outboxAckWritesPerCommand), fmt(b.otherWritesPerCommand), fmt(b.queriesPerCommand)]),
      ),
    );
  }
  for (const phase of phases) if (phase.refusalSample) lines.push(`refusal in "${phase.label}": ${phase.refusalSample}`);
  for (const error of report.errors) lines.push(`ERROR: ${error}`);
  return lines.join('\n');
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

function phaseLine(p: PhaseResult): string {
  const delivered = p.deliveredP50Ms === undefined ? '' : `, delivered p50 ${p.deliveredP50Ms.toFixed(1)} ms p99 ${p.deliveredP99Ms!.toFixed(1)} ms`;
  return `${p.label}: ${p.sent} in ${p.seconds.toFixed(2)} s = ${p.perSecond.toFixed(0)}/s (answer p50 ${p.answerP50Ms.toFixed(1)} ms${delivered})${p.refused ? `, ${p.refused} refused` : ''}${p.failed ? `, ${p.failed} failed: ${p.firstFailure}` : ''}`;
}

function portOf(line: string): number {
  const port = Number(JSON.parse(line).port);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`no port in "${line}"`);
  return port;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function interleave<T>(a: readonly T[], b: readonly T[]): T[] {
  return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => [a[i], b[i]]).flat().filter((x): x is T => x !== undefined);
}
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const fmt = (value: number) => value.toFixed(2);

process.on('exit', killChildrenNow);
// restify (imported for the in-process run) trips DEP0111 on every start; other warnings still show.
process.removeAllListeners('warning');
process.on('warning', (warning: Error & { code?: string }) => {
  if (warning.code !== 'DEP0111') process.stderr.write(`${warning.name}: ${warning.message}\n`);
});
main().catch((error) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  killChildrenNow();
  process.exitCode = 1;
});
