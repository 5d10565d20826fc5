import { performance } from 'node:perf_hooks';
import { ENGINEERING, Person, channelMessage } from './activities';
import { BenchCosmos, CosmosCounts, countsSince, documentRequests } from './cosmos';
import { percentile } from './load';
import { cpuMs, readMemory } from './processes';
import { FreshRcs, LEADS, UnitContext } from './units';

// Where cost grows: the cost of one command (CPU of the bot process, latency to its delivery, and
// Cosmos requests as the server counts them) as the store fills along three axes — releases in
// the store, events on one release, RCs of one release. Each command is sent alone and waited for
// (its reply or card delivered) before the next, so a command's cost is its own.

export type GrowthDimension = 'releases in store' | 'events per release' | 'RCs per release';
export type GrowthCommand = 'approve/revoke' | 'status' | 'history';

export interface GrowthRow {
  readonly dimension: GrowthDimension;
  readonly size: number;
  readonly command: GrowthCommand;
  readonly commands: number;
  readonly cpuMsPerCommand: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly storeRequestsPerCommand: number;
  readonly readsPerCommand: number;
  readonly writesPerCommand: number;
  readonly rssMb: number;
}

export interface GrowthPoints {
  readonly releases: readonly number[];
  readonly events: readonly number[];
  readonly rcs: readonly number[];
  /** Commands measured per kind at each point. */
  readonly toggles: number;
  readonly queries: number;
}

interface Target {
  readonly version: string;
  readonly rc: number;
  readonly conversationId: string;
  /** Each lead's decision on the target RC as the bot last accepted it. */
  readonly approved: Map<string, boolean>;
}

export async function measureGrowth(options: {
  readonly ctx: UnitContext;
  readonly pid: number;
  readonly cosmos: BenchCosmos;
  readonly points: GrowthPoints;
  readonly log: (line: string) => void;
}): Promise<GrowthRow[]> {
  const { ctx, pid, cosmos, points, log } = options;
  const rows: GrowthRow[] = [];
  const jake = ctx.example.person('jake');
  const luis = ctx.example.person('luis');
  const leads = LEADS.map((key) => ctx.example.person(key));

  const measure = async (dimension: GrowthDimension, size: number, target: Target) => {
    for (const command of ['approve/revoke', 'status', 'history'] as const) {
      const count = command === 'approve/revoke' ? points.toggles : points.queries;
      await ctx.connector.quiet(50, 5_000);
      await cosmos.quiet(50, 5_000);
      const before: CosmosCounts = { ...cosmos.counts };
      const cpuBefore = cpuMs(pid);
      const latencies: number[] = [];
      for (let i = 0; i < count; i += 1) latencies.push(await oneCommand(ctx, target, command, luis));
      await cosmos.quiet(100, 5_000); // the outbox's acknowledgement follows the delivery
      const cpu = cpuMs(pid) - cpuBefore;
      const used = countsSince(cosmos.counts, before);
      latencies.sort((a, b) => a - b);
      const row: GrowthRow = {
        dimension,
        size,
        command,
        commands: count,
        cpuMsPerCommand: cpu / count,
        p50Ms: percentile(latencies, 50),
        p99Ms: percentile(latencies, 99),
        storeRequestsPerCommand: documentRequests(used) / count,
        readsPerCommand: used.reads / count,
        writesPerCommand: (used.replaces + used.creates + used.deletes) / count,
        rssMb: readMemory(pid).rssMb,
      };
      rows.push(row);
    }
    const at = rows.slice(-3);
    log(`growth, ${dimension} ${size}: ${at.map((r) => `${r.command} ${r.cpuMsPerCommand.toFixed(1)} ms CPU, ${r.storeRequestsPerCommand.toFixed(2)} store req`).join('; ')}`);
  };

  // Releases in the store: cut up to each size, measure on the newest (a release people work on).
  const releases = new FreshRcs(ctx, 2050);
  // Warm-up, unmeasured: each command once, so no template is compiled inside a measurement.
  await releases.cut(1);
  const first = releases.take();
  const warm: Target = { version: first.version, rc: 1, conversationId: first.conversationId, approved: new Map() };
  for (const command of ['approve/revoke', 'status', 'history'] as const) await oneCommand(ctx, warm, command, luis);
  let cut = 1;
  for (const size of points.releases) {
    const began = performance.now();
    await releases.cut(size - cut);
    cut = size;
    let newest = releases.take();
    while (releases.available > 0) newest = releases.take();
    log(`growth: ${size} releases in store (cut ${Math.round((performance.now() - began) / 100) / 10} s)`);
    await measure('releases in store', size, { version: newest.version, rc: 1, conversationId: newest.conversationId, approved: new Map() });
  }

  // Events on one release: the five leads approve and revoke in turn (one command at a time each).
  const eventful = new FreshRcs(ctx, 2051);
  await eventful.cut(1);
  const e = eventful.take();
  const eTarget: Target = { version: e.version, rc: 1, conversationId: e.conversationId, approved: new Map() };
  let events = 0;
  for (const size of points.events) {
    const began = performance.now();
    while (events < size) {
      const batch = leads.slice(0, Math.min(leads.length, size - events));
      await Promise.all(batch.map((lead) => toggle(ctx, eTarget, lead, false)));
      events += batch.length;
    }
    await ctx.connector.quiet(100, 30_000);
    log(`growth: a release with ${size} more events (added in ${Math.round((performance.now() - began) / 100) / 10} s)`);
    await measure('events per release', size, eTarget);
  }

  // RCs of one release: rc.2, rc.3, … each cut in its own thread, superseding the one before.
  const manyRcs = new FreshRcs(ctx, 2052);
  await manyRcs.cut(1);
  const r = manyRcs.take();
  let rcTarget: Target = { version: r.version, rc: 1, conversationId: r.conversationId, approved: new Map() };
  for (const size of points.rcs) {
    const began = performance.now();
    for (let rc = rcTarget.rc + 1; rc <= size; rc += 1) {
      const rcVersion = `${r.version}-rc.${rc}`;
      const origin = `${ENGINEERING};messageid=cut-${rcVersion}`;
      await post(ctx, jake, origin, `rc ${rcVersion} features: more; fixes: more notes: https://notes.example/${r.version}`);
      await ctx.connector.until(() => ctx.connector.threads.has(rcVersion), `the thread of ${rcVersion}`, ctx.timeoutMs);
      ctx.connector.forget(origin);
      rcTarget = { version: r.version, rc, conversationId: ctx.connector.threads.get(rcVersion)!.conversationId, approved: new Map() };
    }
    await ctx.connector.quiet(100, 30_000);
    log(`growth: a release with ${size} RCs (cut in ${Math.round((performance.now() - began) / 100) / 10} s)`);
    await measure('RCs per release', size, rcTarget);
  }
  return rows;
}

/** Sends one command and resolves with the time until what it causes was delivered, ms. */
async function oneCommand(ctx: UnitContext, target: Target, command: GrowthCommand, luis: Person): Promise<number> {
  const started = performance.now();
  if (command === 'approve/revoke') {
    await toggle(ctx, target, luis, true);
  } else {
    const log = ctx.connector.conversation(target.conversationId);
    const cards = log.cardPosts;
    await post(ctx, luis, target.conversationId, command);
    await ctx.connector.until(() => log.cardPosts > cards, `the ${command} card`, ctx.timeoutMs);
  }
  return performance.now() - started;
}

/** `approve` or `revoke` (whichever applies) by `lead` on the target RC; optionally waits for its reply. */
async function toggle(ctx: UnitContext, target: Target, lead: Person, waitForReply: boolean): Promise<void> {
  const log = ctx.connector.conversation(target.conversationId);
  const texts = log.texts.length;
  const refusals = log.refusals;
  const approved = target.approved.get(lead.key) ?? false;
  await post(ctx, lead, target.conversationId, `${approved ? 'revoke' : 'approve'} rc.${target.rc}`);
  if (log.refusals > refusals) throw new Error(`growth: the bot refused ${lead.key}'s command: ${log.refusalSamples.at(-1)}`);
  target.approved.set(lead.key, !approved);
  if (waitForReply) await ctx.connector.until(() => log.texts.length > texts, 'the reply', ctx.timeoutMs);
  if (log.texts.length > 200) log.texts.splice(0, log.texts.length - 100);
}

async function post(ctx: UnitContext, person: Person, conversationId: string, text: string): Promise<void> {
  const answer = await ctx.poster.post('/api/messages', channelMessage({ person, conversationId, serviceUrl: ctx.connector.url, tenantId: ctx.example.tenantId, text }));
  if (answer.status >= 300) throw new Error(`"${text}": the bot answered ${answer.status} ${answer.body.slice(0, 200)}`);
}
