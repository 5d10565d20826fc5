import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ROOT } from './activities';

// Where a V8 CPU profile (node --cpu-prof) spends its time: self time by function and by module
// (package, or file of this repo), and inclusive time of the heaviest frames.
//   node dist/bench/profile-summary.js <file.cpuprofile> [top]

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: number[];
}

interface CpuProfile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
  readonly startTime: number;
  readonly endTime: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly idleMs: number;
  readonly gcMs: number;
  readonly selfByFunction: Array<{ name: string; ms: number; pct: number }>;
  readonly selfByModule: Array<{ name: string; ms: number; pct: number }>;
  readonly inclusiveByFunction: Array<{ name: string; ms: number; pct: number }>;
  readonly inclusiveByModule: Array<{ name: string; ms: number; pct: number }>;
}

export function summarizeProfile(file: string, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const totalMs = (profile.endTime - profile.startTime) / 1000;

  const fnName = (frame: CallFrame) => `${frame.functionName || '(anonymous)'} ${where(frame.url)}:${frame.lineNumber + 1}`;
  const selfFn = new Map<string, number>();
  const selfMod = new Map<string, number>();
  const inclFn = new Map<string, number>();
  const inclMod = new Map<string, number>();
  let idleMs = 0;
  let gcMs = 0;
  for (const [id, ms] of self) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') idleMs += ms;
    if (frame.functionName === '(garbage collector)') gcMs += ms;
    add(selfFn, fnName(frame), ms);
    add(selfMod, moduleOf(frame), ms);
    // Inclusive: every distinct function / module on this node's stack gets the sample once.
    const fns = new Set<string>();
    const mods = new Set<string>();
    for (let at: number | undefined = id, depth = 0; at !== undefined && depth < 500; at = parent.get(at), depth += 1) {
      const f = byId.get(at)!.callFrame;
      if (f.functionName === '(root)') continue;
      fns.add(fnName(f));
      mods.add(moduleOf(f));
    }
    for (const f of fns) add(inclFn, f, ms);
    for (const m of mods) add(inclMod, m, ms);
  }
  const busy = totalMs - idleMs;
  const rank = (map: Map<string, number>) =>
    [...map]
      .filter(([name]) => name !== '(idle)' && !name.startsWith('(idle)') && !name.startsWith('(program)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms: Math.round(ms), pct: Math.round((1000 * ms) / busy) / 10 }));
  return {
    totalMs: Math.round(totalMs),
    idleMs: Math.round(idleMs),
    gcMs: Math.round(gcMs),
    selfByFunction: rank(selfFn),
    selfByModule: rank(selfMod),
    inclusiveByFunction: rank(inclFn),
    inclusiveByModule: rank(inclMod),
  };
}

export function formatProfileSummary(summary: ProfileSummary): string {
  const lines: string[] = [];
  const busy = summary.totalMs - summary.idleMs;
  lines.push(`profile: ${summary.totalMs} ms wall, ${busy} ms busy (${Math.round((100 * busy) / summary.totalMs)}%), GC ${summary.gcMs} ms; % below are of busy time`);
  const section = (title: string, rows: ProfileSummary['selfByFunction']) => {
    lines.push('', title);
    for (const row of rows) lines.push(`  ${String(row.pct).padStart(5)}%  ${String(row.ms).padStart(7)} ms  ${row.name}`);
  };
  section('self time by module', summary.selfByModule);
  section('inclusive time by module', summary.inclusiveByModule);
  section('self time by function', summary.selfByFunction);
  section('inclusive time by function', summary.inclusiveByFunction);
  return lines.join('\n');
}

function add(map: Map<string, number>, key: string, ms: number): void {
  map.set(key, (map.get(key) ?? 0) + ms);
}

function where(url: string): string {
  if (!url) return '';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) return path.slice(nm + 'node_modules/'.length);
  return path.startsWith('/') ? relative(ROOT, path) : path;
}

/** A package (node_modules/<pkg>), a file of this repo (dist/src/…), node internals, or a V8 bucket. */
function moduleOf(frame: CallFrame): string {
  const url = frame.url;
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (path.startsWith('node:')) return path.split('/')[0]!.replace(/^node:internal.*/, 'node:internal');
  return path.startsWith('/') ? relative(ROOT, path) : path;
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node dist/bench/profile-summary.js <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  process.stdout.write(`${formatProfileSummary(summarizeProfile(file, Number(process.argv[3] ?? 25)))}\n`);
}
