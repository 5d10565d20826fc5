import { performance } from 'node:perf_hooks';
import { BenchConnector } from './connector';
import { unitLoop, percentile } from './load';
import { cpuMs } from './processes';
import { UnitOutcome, Workload } from './units';

// Paired rounds: the bot's workload and the echo bot's matching unit, one after the other, with
// the order alternating from round to round, so machine noise and drift hit both sides alike. The
// figure is the per-round ratio (bot units/s ÷ echo units/s of the same round): its min, median
// and max, never a ratio of medians from different moments.

export interface Side {
  readonly workload: Workload;
  /** The process whose CPU time is charged to this side's units. */
  readonly pid: number;
}

export interface RoundSide {
  readonly units: number;
  readonly failed: number;
  readonly firstFailure?: string;
  readonly seconds: number;
  readonly unitsPerSecond: number;
  /** CPU time of the bot (or echo bot) process per unit, ms, from /proc/<pid>/stat. */
  readonly cpuMsPerUnit: number;
  /** CPU time of this benchmark process (load, connector) per unit, ms. */
  readonly benchCpuMsPerUnit: number;
  readonly cardUpdatesPerUnit: number;
  /** Unit start → its last delivery, ms, each unit. */
  readonly latenciesMs: number[];
}

export interface PairedRound {
  readonly round: number;
  readonly first: 'bot' | 'echo';
  readonly bot: RoundSide;
  readonly echo: RoundSide;
  readonly ratio: number;
  /** echo CPU ms/unit ÷ bot CPU ms/unit: what the ratio tends to when both are CPU-bound. */
  readonly cpuRatio: number;
}

export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

export interface PairedResult {
  readonly workload: string;
  readonly concurrency: number;
  readonly inboundPerUnit: number;
  readonly unitsPerRound: { readonly bot: number; readonly echo: number };
  readonly rounds: PairedRound[];
  readonly ratio: Spread;
  readonly cpuRatio: Spread;
  readonly bot: SideSummary;
  readonly echo: SideSummary;
}

export interface SideSummary {
  readonly unitsPerSecond: Spread;
  readonly cpuMsPerUnit: Spread;
  readonly benchCpuMsPerUnit: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly cardUpdatesPerUnit: number;
  readonly failed: number;
  readonly firstFailure?: string;
}

export interface PairedOptions {
  readonly bot: Side;
  readonly echo: Side;
  readonly connector: BenchConnector;
  readonly concurrency: number;
  readonly rounds: number;
  /** Each side's measured round is sized to last about this long (from a first, unmeasured round). */
  readonly roundSeconds: number;
  readonly timeoutMs: number;
  readonly log: (line: string) => void;
  /** Counts every activity sent to the bot (for "RSS after N commands"). */
  readonly onBotInbound: (count: number) => void;
}

export async function runPaired(options: PairedOptions): Promise<PairedResult> {
  const { bot, echo, concurrency } = options;
  const label = `${bot.workload.name}, c=${concurrency}`;
  // Sizing round, the same number of units on both sides: it is also both sides' warm-up.
  const sizing = Math.max(concurrency * 2, 4);
  // At least three units per worker, so a round is not decided by one straggler.
  const warmBot = await runSide(bot, sizing, options, true);
  const warmEcho = await runSide(echo, sizing, options, false);
  const size = (rate: number) => Math.max(concurrency * 3, 4, Math.min(5_000, Math.round(rate * options.roundSeconds)));
  const unitsPerRound = { bot: size(warmBot.unitsPerSecond), echo: size(warmEcho.unitsPerSecond) };
  options.log(`${label}: warm-up ${sizing} units each (bot ${warmBot.unitsPerSecond.toFixed(1)}/s, echo ${warmEcho.unitsPerSecond.toFixed(1)}/s); rounds of ${unitsPerRound.bot} vs ${unitsPerRound.echo} units`);

  const rounds: PairedRound[] = [];
  for (let round = 1; round <= options.rounds; round += 1) {
    const first = round % 2 === 1 ? 'echo' : 'bot';
    let botSide: RoundSide;
    let echoSide: RoundSide;
    if (first === 'echo') {
      echoSide = await runSide(echo, unitsPerRound.echo, options, false);
      botSide = await runSide(bot, unitsPerRound.bot, options, true);
    } else {
      botSide = await runSide(bot, unitsPerRound.bot, options, true);
      echoSide = await runSide(echo, unitsPerRound.echo, options, false);
    }
    const ratio = botSide.unitsPerSecond / echoSide.unitsPerSecond;
    rounds.push({ round, first, bot: botSide, echo: echoSide, ratio, cpuRatio: echoSide.cpuMsPerUnit / botSide.cpuMsPerUnit });
    options.log(
      `  round ${round} (${first} first): bot ${botSide.unitsPerSecond.toFixed(1)}/s ${botSide.cpuMsPerUnit.toFixed(1)} ms CPU/unit, ` +
        `echo ${echoSide.unitsPerSecond.toFixed(1)}/s ${echoSide.cpuMsPerUnit.toFixed(1)} ms CPU/unit → ${ratio.toFixed(2)}` +
        `${botSide.failed ? `; ${botSide.failed} bot units failed: ${botSide.firstFailure}` : ''}${echoSide.failed ? `; ${echoSide.failed} echo units failed: ${echoSide.firstFailure}` : ''}`,
    );
  }
  return {
    workload: bot.workload.name,
    concurrency,
    inboundPerUnit: bot.workload.inboundPerUnit,
    unitsPerRound,
    rounds,
    ratio: spread(rounds.map((r) => r.ratio)),
    cpuRatio: spread(rounds.map((r) => r.cpuRatio)),
    bot: summarizeSide(rounds.map((r) => r.bot)),
    echo: summarizeSide(rounds.map((r) => r.echo)),
  };
}

async function runSide(side: Side, units: number, options: PairedOptions, isBot: boolean): Promise<RoundSide> {
  await side.workload.prepare(units);
  // Start from quiet: nothing of the preparation (or the other side's round) still being delivered.
  await options.connector.quiet(30, 5_000);
  await Promise.all([settleCpu(options.bot.pid), settleCpu(options.echo.pid)]);
  const cpuBefore = cpuMs(side.pid);
  const ownBefore = process.cpuUsage();
  const round = await unitLoop<UnitOutcome>({ units, concurrency: options.concurrency, deadlineMs: options.timeoutMs * 4, unit: (worker) => side.workload.unit(worker) });
  const own = process.cpuUsage(ownBefore);
  const cpu = cpuMs(side.pid) - cpuBefore;
  const done = round.outcomes.length;
  if (isBot) options.onBotInbound(round.outcomes.reduce((sum, o) => sum + o.inbound, 0));
  const seconds = (round.doneAt - round.startedAt) / 1000;
  return {
    units: done,
    failed: round.failed,
    firstFailure: round.firstFailure,
    seconds,
    unitsPerSecond: done / seconds,
    cpuMsPerUnit: cpu / Math.max(1, done),
    benchCpuMsPerUnit: (own.user + own.system) / 1000 / Math.max(1, done),
    cardUpdatesPerUnit: round.outcomes.reduce((sum, o) => sum + o.cardUpdates, 0) / Math.max(1, done),
    latenciesMs: round.outcomes.map((o) => o.doneAt - o.startedAt),
  };
}

/** Waits (at most 1 s) until the process used no CPU for 50 ms: the previous work is over. */
export async function settleCpu(pid: number): Promise<void> {
  const deadline = performance.now() + 1_000;
  let last = cpuMs(pid);
  while (performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const now = cpuMs(pid);
    if (now - last <= 10) return;
    last = now;
  }
}

function summarizeSide(sides: RoundSide[]): SideSummary {
  const latencies = sides.flatMap((s) => s.latenciesMs).sort((a, b) => a - b);
  const units = sides.reduce((sum, s) => sum + s.units, 0);
  const failed = sides.reduce((sum, s) => sum + s.failed, 0);
  return {
    unitsPerSecond: spread(sides.map((s) => s.unitsPerSecond)),
    cpuMsPerUnit: spread(sides.map((s) => s.cpuMsPerUnit)),
    benchCpuMsPerUnit: median(sides.map((s) => s.benchCpuMsPerUnit)),
    latencyP50Ms: percentile(latencies, 50),
    latencyP99Ms: percentile(latencies, 99),
    cardUpdatesPerUnit: sides.reduce((sum, s) => sum + s.cardUpdatesPerUnit * s.units, 0) / Math.max(1, units),
    failed,
    firstFailure: sides.find((s) => s.firstFailure)?.firstFailure,
  };
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) return { min: NaN, median: NaN, max: NaN };
  return { min: Math.min(...values), median: median(values), max: Math.max(...values) };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
