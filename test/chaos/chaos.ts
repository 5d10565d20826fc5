import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Counted, targets } from './figures';
import { ChaosOptions, ChaosResult, runChaos } from './scenario';

// `npm run chaos [-- --store cosmos|embedded] [--seed N] [--releases N] [--kills N]`
//
// Runs the chaos scenario (test/chaos/scenario.ts) on the Cosmos store with three instances, then
// on the embedded store with one, and prints the figures. Exit code 1 when a target is missed:
// 0 lost approvals, 0 lost posts, at most 1 repeated post per kill, 0 stranded threads, 0 wrong
// refusals, 0 5xx answers. Not part of `npm test`: it takes a few minutes and kills processes.

const USAGE = `usage: npm run chaos -- [--store cosmos|embedded|both] [--seed N] [--releases N] [--kills N]

  --store     which store to run on (default both: Cosmos with 3 instances, then embedded with 1)
  --seed      seeds every choice: routing, redeliveries, double clicks, failures, kills (default 1)
  --releases  releases per run, each an RC cut, 5 approvals, QA, promotion (default 4 Cosmos, 3 embedded)
  --kills     SIGKILLs per run (default 6 Cosmos, 4 embedded)

Writes each run's details (every connector call, every answer) to ${join(tmpdir(), 'lendos-chaos-<store>.json')}.`;

interface Args {
  readonly stores: Array<'cosmos' | 'embedded'>;
  readonly seed: number;
  readonly releases?: number;
  readonly kills?: number;
}

function parseArgs(argv: readonly string[]): Args {
  let stores: Args['stores'] = ['cosmos', 'embedded'];
  let seed = 1;
  let releases: number | undefined;
  let kills: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    const count = (name: string, min: number) => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < min) fail(`${name} wants a whole number of at least ${min}, got "${value ?? ''}"`);
      i += 1;
      return n;
    };
    switch (flag) {
      case '--store':
        if (value !== 'cosmos' && value !== 'embedded' && value !== 'both') fail(`--store wants cosmos, embedded or both, got "${value ?? ''}"`);
        stores = value === 'both' ? ['cosmos', 'embedded'] : [value];
        i += 1;
        break;
      case '--seed':
        seed = count('--seed', 0);
        break;
      case '--releases':
        releases = count('--releases', 1);
        break;
      case '--kills':
        kills = count('--kills', 0);
        break;
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
      default:
        fail(`unknown option "${flag}"`);
    }
  }
  return { stores, seed, releases, kills };
}

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function optionsFor(store: 'cosmos' | 'embedded', args: Args): ChaosOptions {
  const cosmos = store === 'cosmos';
  return {
    store,
    seed: args.seed,
    instances: cosmos ? 3 : 1,
    releases: args.releases ?? (cosmos ? 4 : 3),
    kills: args.kills ?? (cosmos ? 6 : 4),
    failureRate: 0.3,
    redeliveryRate: 0.2,
    workloadMs: 60_000,
    progress: (line) => process.stdout.write(`${line}\n`),
  };
}

function report(options: ChaosOptions, result: ChaosResult): boolean {
  const { figures: f, journal: j } = result;
  const out = (line = '') => process.stdout.write(`${line}\n`);
  const typed = j.activities.filter((a) => a.kind === 'typed' && a.purpose !== 'probe').length;
  const clicks = j.activities.filter((a) => a.kind === 'click').length;
  const failed = Object.values(j.faults).reduce((sum, n) => sum + n, 0);
  const faultList = Object.entries(j.faults).map(([status, n]) => `${n}×${status}`).join(', ');
  const windowKills = j.kills.filter((k) => k.how === 'window');
  const kills = `${j.kills.length} SIGKILLs (${j.kills.length - windowKills.length} at random moments, ${windowKills.length} between a post and its acknowledgement${windowKills.length ? `: ${windowKills.map((k) => k.kind).join(', ')}` : ''}), ${j.restarts} restarts`;
  out();
  out(`chaos: ${options.store} store, ${options.instances} instance(s), seed ${options.seed}, ${(result.elapsedMs / 1000).toFixed(0)} s`);
  out(`  workload   ${j.releases.length} releases: ${typed} typed activities, ${clicks} clicks (${j.doubleClicks} double clicks); ${j.redeliveries} redelivered (${j.redeliveredElsewhere} to another instance)`);
  out(`  faults     ${failed} of ${failed + f.connectorCalls} connector calls failed (${faultList || 'none'}); ${kills}; ${j.retriedAfterKill} deliveries retried after an instance died${j.unanswered ? `, ${j.unanswered} never answered` : ''}`);
  out(`  approvals  expected ${f.approvals.expected}, recorded ${f.approvals.recorded} (${f.approvals.events} approval events)`);
  out(`  posts      expected ${f.posts.expected}, delivered ${f.posts.delivered}, lost ${f.posts.lost.length}${j.pendingAtEnd ? ` (${j.pendingAtEnd} still pending in an outbox)` : ''}; ${f.cardUpdates} card updates`);
  list(out, 'lost', f.posts.lost.map((what) => ({ what, count: 1 })));
  out(`  repeated   ${f.repeatedPosts} repeated posts, ${f.kills ? (f.repeatedPosts / f.kills).toFixed(2) : '—'} per kill`);
  list(out, 'repeated', f.posts.repeated);
  out(`  forked     ${f.forkedThreads.length} RCs with more than one thread${f.forkedThreads.length ? `: ${f.forkedThreads.map((t) => `${t.what} ×${t.count}`).join(', ')}` : ''}`);
  out(`  stranded   ${f.strandedThreads.length} threads where a typed command is refused as not a release thread`);
  out(`  refusals   ${count(f.wrongRefusals)} wrong refusals`);
  list(out, 'refused', f.wrongRefusals);
  out(`  5xx        ${count(f.serverErrors)} answers`);
  list(out, '5xx', f.serverErrors);
  if (f.posts.unexpected.length) {
    out(`  other      ${count(f.posts.unexpected)} posts no command asked for`);
    list(out, 'other', f.posts.unexpected);
  }
  const verdicts = targets(f);
  out(`  targets    ${verdicts.map((t) => `${t.what}: ${t.met ? 'met' : 'MISSED'}`).join('; ')}`);
  const details = join(tmpdir(), `lendos-chaos-${options.store}.json`);
  writeFileSync(details, JSON.stringify({ options: { ...options, progress: undefined }, figures: f, journal: j, calls: result.calls }, null, 1));
  out(`  details    ${details}`);
  return verdicts.every((t) => t.met);
}

function count(items: readonly Counted[]): number {
  return items.reduce((sum, item) => sum + item.count, 0);
}

function list(out: (line: string) => void, label: string, items: readonly Counted[], most = 8): void {
  for (const item of items.slice(0, most)) out(`    ${label}: ${item.what}${item.count > 1 ? ` ×${item.count}` : ''}`);
  if (items.length > most) out(`    … and ${items.length - most} more`);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  let met = true;
  for (const store of args.stores) {
    const options = optionsFor(store, args);
    process.stdout.write(`chaos run on the ${store} store (seed ${args.seed})\n`);
    const result = await runChaos(options);
    met = report(options, result) && met;
  }
  process.stdout.write(`\n${met ? 'every target met' : 'targets missed'}\n`);
  process.exit(met ? 0 : 1);
}

main().catch((error) => {
  process.stderr.write(`chaos run failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(2);
});
