import { performance } from 'node:perf_hooks';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { normalizeTeamsText } from '../src/commands/normalize-text';
import { MAX_MESSAGE_LENGTH, ParseOptions, parseCommand, parseTeamsMessage } from '../src/commands/parse-command';
import { loadConfigFile } from '../src/config/config';
import { directoryFromConfig } from '../src/config/directory-from-config';
import { ROOT } from './activities';

// `npm run bench:parse`: how long hostile message text takes to parse, per input family and size.
//   node dist/bench/parse-adversarial.js [--quick]
// Three entry points: parseTeamsMessage (what the bot runs on every message: text over
// MAX_MESSAGE_LENGTH is refused unread), and the two stages behind it on their own, without the
// limit — normalizeTeamsText (HTML to lines) and parseCommand (lines to a command). The baseline is
// JSON.parse of a request body carrying the same text, which botbuilder does for every activity
// anyway. Each time is the CPU time (the process's, GC threads included), median of RUNS runs from a
// collected heap; a family's time is its worst over the commands it is typed after.
// Exits 1 when a ceiling is broken:
//   - parseTeamsMessage, any input up to the body limit (256 KB): CEILING_MS of CPU;
//   - any stage, growth per doubling of the input fitted over 25–200 KB: GROWTH_CEILING (linear is 2,
//     quadratic 4; 3.5 leaves room for the machine's noise and V8's large-object space).

const QUICK = process.argv.includes('--quick');
/** Present when node runs with --expose-gc (the npm script passes it). */
const collectGarbage = (globalThis as { gc?: () => void }).gc;
const RUNS = QUICK ? 3 : 7;
const SIZES_KB = [25, 50, 100, 200];
const BODY_LIMIT_KB = 256;
const CEILING_MS = 50;
/** Quadratic is 4. Linear code measures 2–3 here: past 128 KB V8 puts strings in its large-object space, which costs JSON.parse alike. */
const GROWTH_CEILING = 3.5;

const config = loadConfigFile(join(ROOT, 'config', 'lendos.example.json'));
/** What the message handler passes the parser. */
const OPTIONS: ParseOptions = {
  areas: directoryFromConfig(config).areas.map((area) => area.key),
  environments: config.environments,
  people: config.people.map((person) => ({ key: person.key, name: person.name })),
  timeZone: config.timeZone,
};
const environment = config.environments[0]?.name ?? 'BXCI Production';

/** `unit` repeated whole, to at most `size` characters (so a message sized at the limit stays within it). */
const run = (unit: string, size: number) => unit.repeat(Math.max(1, Math.floor(size / unit.length)));

/** Filler text by family; each is typed after every command below. */
const FAMILIES: Readonly<Record<string, (size: number) => string>> = {
  'dots in a word': (n) => `a${run('.', n)}b`,
  'mixed punctuation': (n) => `a${run(',;:!?', n)}b`,
  'spaces and tabs': (n) => `a${run(' \t', n)}b`,
  'line breaks': (n) => `a${run('\n', n)}b`,
  quotes: (n) => `${run('"', n)}x`,
  'closing parentheses after a link': (n) => `https://notes.example/x${run(')', n)}`,
  colons: (n) => `${run(':', n)}x`,
  'one long word': (n) => run('abcdefgh', n),
  'short words': (n) => run('ab ', n),
  'commas and "and"': (n) => run('x, and ', n),
  'single dashes': (n) => run(' -', n),
  'clause words': (n) => run('for at ', n),
  'in <version>': (n) => run(' in 2026.4.0', n),
  '<at> mentions': (n) => run('<at>lendos</at> ', n),
  'unclosed <at>': (n) => run('<at>', n),
  '&nbsp; entities': (n) => run('&nbsp;', n),
  'bogus entities': (n) => run('&abcdefghijklmnopqrstuvwxyzabcdef', n),
  '<p> tags': (n) => run('<p>', n),
  'nested tags': (n) => `${run('<span><b>', n / 2)}x${run('</b></span>', n / 2)}`,
  'a long attribute name': (n) => `<span ${run('a', n)}>`,
  'an unclosed tag': (n) => `<a ${run('x', n)}`,
  'runs of <': (n) => run('<', n),
  unicode: (n) => run('\u00a0\u200b\u2028é😀 ', n),
};

const COMMANDS = [
  '',
  'help ',
  'approve ',
  'reject rc.3 ',
  'promote rc.3 ',
  'status ',
  'register ',
  'rc 2026.4.0-rc.3 features: ',
  `schedule deploy 2026.4.0 to "${environment}" at 2026-04-14 22:00 validators `,
  `schedule deploy 2026.4.0 to ${environment} at `,
  'schedule deploy 2026.4.0 to "',
  'confirm on-call ',
  'override on-call ',
  'smoke fail ',
  'abort ',
  'bug ',
];

type Stage = 'parseTeamsMessage' | 'normalizeTeamsText' | 'parseCommand' | 'JSON.parse (baseline)';
const FRAME_LENGTH = '<p><at>lendos</at> </p>'.length;
const STAGES: Readonly<Record<Stage, (text: string) => unknown>> = {
  parseTeamsMessage: (text) => parseTeamsMessage(`<p><at>lendos</at> ${text}</p>`, OPTIONS),
  normalizeTeamsText: (text) => normalizeTeamsText(text),
  parseCommand: (text) => parseCommand(text, OPTIONS),
  // Its input is the request body (see inputFor).
  'JSON.parse (baseline)': (body) => JSON.parse(body),
};

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** One input's RUNS parses. CPU time is what the ceilings judge: wall time on a shared machine is mostly the others' work. */
interface Timing {
  readonly cpuMedian: number;
  /** The least disturbed run: what growth is fitted on. */
  readonly cpuMin: number;
  readonly wallMedian: number;
}

/** The baseline parses the request body carrying the text, built outside the clock. */
function inputFor(stage: Stage, text: string): string {
  return stage === 'JSON.parse (baseline)' ? JSON.stringify({ type: 'message', text }) : text;
}

function measure(stage: Stage, text: string): Timing {
  const input = inputFor(stage, text);
  const parse = STAGES[stage];
  const walls: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    // Each run starts from a collected heap, so one run's garbage is not charged to the next.
    collectGarbage?.();
    const [t0, c0] = [performance.now(), process.cpuUsage()];
    parse(input);
    const c = process.cpuUsage(c0);
    walls.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { cpuMedian: median(cpu), cpuMin: Math.min(...cpu), wallMedian: median(walls) };
}

/**
 * How much the time grows when the input doubles, fitted (least squares on log time against log size)
 * over every size: 2 is linear, 4 quadratic. One noisy size moves a fit less than a ratio of two.
 */
function growthPerDoubling(points: readonly { kb: number; ms: number }[]): number {
  const xs = points.map((p) => Math.log2(p.kb));
  const ys = points.map((p) => Math.log2(Math.max(p.ms, 0.001)));
  const [mx, my] = [xs.reduce((a, b) => a + b) / xs.length, ys.reduce((a, b) => a + b) / ys.length];
  const slope = xs.reduce((sum, x, i) => sum + (x - mx) * (ys[i] - my), 0) / xs.reduce((sum, x) => sum + (x - mx) ** 2, 0);
  return 2 ** slope;
}

interface FamilyRow {
  /** Per size: the worst median CPU ms over the commands, and that command. */
  readonly cells: ReadonlyMap<number, { cpu: number; wall: number; command: string }>;
  /** The worst growth over the commands whose 200 KB parse takes over a millisecond (below that it is timer noise). */
  readonly growth: number;
  readonly growthCommand: string;
}

function measureFamily(stage: Stage, filler: (size: number) => string, sizesKb: readonly number[]): FamilyRow {
  const cells = new Map<number, { cpu: number; wall: number; command: string }>();
  let growth = 0;
  let growthCommand = '';
  for (const command of COMMANDS) {
    const points: { kb: number; ms: number }[] = [];
    for (const kb of sizesKb) {
      // parseTeamsMessage's frame (<p><at>lendos</at> …</p>) counts towards the size too
      const frame = stage === 'parseTeamsMessage' ? FRAME_LENGTH : 0;
      const timing = measure(stage, command + filler(Math.round(kb * 1024) - command.length - frame));
      const shown = command.trim() || '(none)';
      const cell = cells.get(kb);
      if (!cell || timing.cpuMedian > cell.cpu) cells.set(kb, { cpu: timing.cpuMedian, wall: timing.wallMedian, command: shown });
      if (SIZES_KB.includes(kb)) points.push({ kb, ms: timing.cpuMin });
    }
    const fitted = growthPerDoubling(points);
    if ((points[points.length - 1]?.ms ?? 0) > 1 && fitted > growth) [growth, growthCommand] = [fitted, command.trim() || '(none)'];
  }
  return { cells, growth, growthCommand };
}

const pad = (text: string, width: number) => text.padEnd(width);
const num = (value: number, width = 9) => value.toFixed(value < 10 ? 2 : 1).padStart(width);

function main(): void {
  console.log(`bench:parse on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; CPU ms, median of ${RUNS} runs, worst over ${COMMANDS.length} commands`);
  console.log(`message limit ${MAX_MESSAGE_LENGTH.toLocaleString('en-US')} characters; body limit ${BODY_LIMIT_KB} KB\n`);
  const broken: string[] = [];
  const summary: string[] = [];

  for (const stage of Object.keys(STAGES) as Stage[]) {
    // The bot's entry point also at its message limit (the longest text it parses) and just under the body limit.
    const sizes = stage === 'parseTeamsMessage' ? [...SIZES_KB, MAX_MESSAGE_LENGTH / 1024, BODY_LIMIT_KB - 1].sort((a, b) => a - b) : SIZES_KB;
    // Warm up first, so the first family measured is not charged for compiling the parser.
    for (const filler of Object.values(FAMILIES)) for (const command of COMMANDS) STAGES[stage](inputFor(stage, command + filler(25 * 1024)));
    console.log(`${stage}: worst CPU ms per family`);
    console.log(`${pad('family', 34)}${sizes.map((kb) => `${Number(kb.toFixed(2))} KB`.padStart(9)).join('')}   growth ×/doubling   slowest at 200 KB after`);
    const at200: number[] = [];
    const wallAt200: number[] = [];
    let worstGrowth = { growth: 0, family: '' };
    for (const [family, filler] of Object.entries(FAMILIES)) {
      const row = measureFamily(stage, filler, sizes);
      const cell200 = row.cells.get(200)!;
      at200.push(cell200.cpu);
      wallAt200.push(cell200.wall);
      if (row.growth > worstGrowth.growth) worstGrowth = { growth: row.growth, family };
      const growth = row.growth > 0 ? num(row.growth, 8) : '       –';
      console.log(`${pad(family, 34)}${sizes.map((kb) => num(row.cells.get(kb)!.cpu)).join('')}   ${growth}            ${cell200.command}`);
      if (stage !== 'JSON.parse (baseline)' && row.growth > GROWTH_CEILING) {
        broken.push(`${stage}, ${family} after ${row.growthCommand}: grows ${row.growth.toFixed(2)}× per doubling (ceiling ${GROWTH_CEILING})`);
      }
      if (stage === 'parseTeamsMessage') {
        for (const [kb, cell] of row.cells) {
          if (cell.cpu > CEILING_MS) broken.push(`parseTeamsMessage, ${family} after ${cell.command}, ${kb} KB: ${cell.cpu.toFixed(1)} CPU ms (ceiling ${CEILING_MS} ms)`);
        }
      }
    }
    const sorted = [...at200].sort((a, b) => a - b);
    summary.push(
      `${pad(stage, 22)} 200 KB: CPU min ${num(sorted[0], 6)}  median ${num(median(sorted), 6)}  max ${num(sorted[sorted.length - 1], 6)} ms` +
        ` (${num(median(sorted) / 200, 5)} ms/KB); wall median ${num(median(wallAt200), 6)} ms; worst growth ${worstGrowth.growth ? worstGrowth.growth.toFixed(2) : '–'} (${worstGrowth.family || 'all under 1 ms'})`,
    );
    console.log('');
  }

  console.log(summary.join('\n'));
  if (broken.length > 0) {
    console.log(`\nCEILING BROKEN:\n${broken.map((line) => `  ${line}`).join('\n')}`);
    process.exitCode = 1;
  } else {
    console.log(`\nAll within the ceilings: parseTeamsMessage ≤ ${CEILING_MS} CPU ms for every input up to ${BODY_LIMIT_KB} KB; every stage grows ≤ ${GROWTH_CEILING}× per doubling.`);
  }
}

main();
