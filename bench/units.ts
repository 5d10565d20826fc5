import { performance } from 'node:perf_hooks';
import { ECHO_CHANNEL, ENGINEERING, ExampleConfig, Person, benchEnvironment, cardClick, channelMessage } from './activities';
import { BenchConnector, ConversationLog, summarize } from './connector';
import { Poster } from './load';

// The benchmark's units of work, each closed over delivery: a unit is done only when everything
// it makes the bot post has reached the connector, not when the HTTP requests were answered.
//   typed round   a fresh RC; each of the 5 leads types `approve rc.1` in its thread, one after the
//                 other; done when the 5 thread replies and the card showing 5 of 5 arrived
//   click round   the same by Action.Execute clicks on the RC card; done when the 5 invokes were
//                 answered with the card and the 5 replies and the 5-of-5 card update arrived
//   status        the 5 leads each type `status` in an RC thread; done when the 5 cards arrived
//   lifecycle     RC cut (hotfix) → QA → 5 approvals → promote → schedule → on-call → start →
//                 ready → stable → 2 smoke passes → live; done when the live line, the promoted RC
//                 card, the tracker showing Live and the #general notice arrived
//   echo          the bare echo bot: as many messages as the unit it is compared with, one after
//                 the other in one conversation; done when every echo arrived

export interface UnitOutcome {
  readonly startedAt: number;
  /** When the last delivery the unit waits for reached the connector (or the last answer, if later). */
  readonly doneAt: number;
  /** Activities the unit sent the bot. */
  readonly inbound: number;
  /** Card updates (PUT) the unit's conversation received. */
  readonly cardUpdates: number;
}

export interface UnitContext {
  readonly poster: Poster;
  readonly connector: BenchConnector;
  readonly example: ExampleConfig;
  readonly timeoutMs: number;
}

export interface Workload {
  readonly name: string;
  /** Activities one unit sends; the echo unit it is compared with sends as many. */
  readonly inboundPerUnit: number;
  /** Untimed preparation of `units` units (e.g. cutting their fresh RCs). */
  prepare(units: number): Promise<void>;
  unit(worker: number): Promise<UnitOutcome>;
}

export const LEADS = ['luis', 'rafaella', 'steven', 'bosko', 'jake'] as const;

/** Posts one activity and checks the bot took it (2xx); resolves with the answer's body. */
async function send(ctx: UnitContext, body: string, what: string): Promise<string> {
  const answer = await ctx.poster.post('/api/messages', body);
  if (answer.status >= 300) throw new Error(`${what}: the bot answered ${answer.status} ${answer.body.slice(0, 200)}`);
  return answer.body;
}

function say(ctx: UnitContext, person: Person, conversationId: string, text: string): Promise<string> {
  return send(ctx, channelMessage({ person, conversationId, serviceUrl: ctx.connector.url, tenantId: ctx.example.tenantId, text }), `"${text}"`);
}

function refusalIn(log: ConversationLog, before: number): string | undefined {
  return log.refusals > before ? log.refusalSamples[log.refusalSamples.length - 1] ?? '(a refusal)' : undefined;
}

/** Waits for `done`, failing at once if the bot refused something in the conversation instead. */
async function delivered(ctx: UnitContext, log: ConversationLog, refusalsBefore: number, done: () => boolean, what: () => string): Promise<number> {
  let refusal: string | undefined;
  const at = await ctx.connector.until(() => (refusal = refusalIn(log, refusalsBefore)) !== undefined || done(), what, ctx.timeoutMs);
  if (refusal) throw new Error(`the bot refused: ${refusal}`);
  return at;
}

/** Unique release versions per workload: `<year>.<1–12>.<n>`. */
class Versions {
  private next = 0;
  constructor(private readonly year: number) {}
  take(): string {
    const n = this.next;
    this.next += 1;
    return `${this.year}.${1 + (n % 12)}.${Math.floor(n / 12)}`;
  }
}

interface FreshRc {
  readonly version: string;
  readonly conversationId: string;
  readonly activityId: string;
}

/**
 * Fresh RCs, cut before a round so the round times only the approvals: each a new release's rc.1
 * in its own #engineering thread, its cut acknowledged and its thread indexed.
 */
export class FreshRcs {
  private readonly ready: FreshRc[] = [];
  private readonly versions: Versions;

  constructor(
    private readonly ctx: UnitContext,
    year: number,
  ) {
    this.versions = new Versions(year);
  }

  get available(): number {
    return this.ready.length;
  }

  async cut(count: number, options: { hotfix?: boolean } = {}): Promise<void> {
    const jake = this.ctx.example.person('jake');
    const versions = Array.from({ length: count }, () => this.versions.take());
    let next = 0;
    const worker = async () => {
      while (next < versions.length) {
        const version = versions[next]!;
        next += 1;
        this.ready.push(await cutRc(this.ctx, jake, version, options.hotfix ?? false));
      }
    };
    await Promise.all(Array.from({ length: Math.min(4, count) }, worker));
  }

  take(): FreshRc {
    const rc = this.ready.shift();
    if (!rc) throw new Error('no fresh RC left: prepare() cut too few');
    return rc;
  }
}

/** Jake cuts `<version>-rc.1` in a new root post of #engineering; resolves once its thread exists. */
async function cutRc(ctx: UnitContext, jake: Person, version: string, hotfix: boolean): Promise<FreshRc> {
  const origin = `${ENGINEERING};messageid=cut-${version}`;
  const log = ctx.connector.conversation(origin);
  await say(ctx, jake, origin, `rc ${version}-rc.1${hotfix ? ' hotfix' : ''} features: bench feature; fixes: bench fix notes: https://notes.example/${version}`);
  await delivered(ctx, log, 0, () => ctx.connector.threads.has(`${version}-rc.1`) && log.texts.length > 0, () => `the thread of ${version}-rc.1 and the cut's acknowledgement`);
  ctx.connector.forget(origin);
  const thread = ctx.connector.threads.get(`${version}-rc.1`)!;
  return { version, ...thread };
}

/** (a) Five leads type `approve rc.1` in a fresh RC's thread. */
export function typedRound(ctx: UnitContext, rcs: FreshRcs): Workload {
  const leads = LEADS.map((key) => ctx.example.person(key));
  return {
    name: 'approval round, typed',
    inboundPerUnit: leads.length,
    prepare: (units) => rcs.cut(units - rcs.available),
    async unit() {
      const rc = rcs.take();
      const log = ctx.connector.conversation(rc.conversationId);
      const base = { texts: log.texts.length, updates: log.updates, refusals: log.refusals };
      const startedAt = performance.now();
      for (const lead of leads) await say(ctx, lead, rc.conversationId, 'approve rc.1');
      const answeredAt = performance.now();
      const doneAt = await delivered(
        ctx,
        log,
        base.refusals,
        () => log.texts.length >= base.texts + leads.length && ctx.connector.cards.get(rc.activityId)?.approvals === leads.length,
        () => `${rc.version}: ${log.texts.length - base.texts} of 5 replies, card at ${ctx.connector.cards.get(rc.activityId)?.approvals} of 5`,
      );
      ctx.connector.forget(rc.conversationId);
      ctx.connector.cards.delete(rc.activityId);
      return { startedAt, doneAt: Math.max(doneAt, answeredAt), inbound: leads.length, cardUpdates: log.updates - base.updates };
    },
  };
}

/** (b) Five leads click Approve on a fresh RC's card. */
export function clickRound(ctx: UnitContext, rcs: FreshRcs): Workload {
  const leads = LEADS.map((key) => ctx.example.person(key));
  return {
    name: 'approval round, clicks',
    inboundPerUnit: leads.length,
    prepare: (units) => rcs.cut(units - rcs.available),
    async unit() {
      const rc = rcs.take();
      const log = ctx.connector.conversation(rc.conversationId);
      const base = { texts: log.texts.length, updates: log.updates, refusals: log.refusals };
      const startedAt = performance.now();
      let revision = ctx.connector.cards.get(rc.activityId)?.revision ?? 1;
      for (const [i, lead] of leads.entries()) {
        const body = cardClick({
          person: lead,
          conversationId: rc.conversationId,
          serviceUrl: ctx.connector.url,
          tenantId: ctx.example.tenantId,
          replyToId: rc.activityId,
          verb: 'approve',
          data: { release: rc.version, rc: 1, revision },
        });
        const answer = JSON.parse(await send(ctx, body, `${lead.key}'s click`));
        // The invoke is answered with the fresh card, the clicker's approval on it.
        const card = summarize(answer?.value);
        if (card.approvals !== i + 1) throw new Error(`${lead.key}'s click was answered with ${JSON.stringify(answer).slice(0, 300)}`);
        revision = card.revision ?? revision;
      }
      const answeredAt = performance.now();
      const doneAt = await delivered(
        ctx,
        log,
        base.refusals,
        () => log.texts.length >= base.texts + leads.length && ctx.connector.cards.get(rc.activityId)?.approvals === leads.length,
        () => `${rc.version}: ${log.texts.length - base.texts} of 5 replies, card at ${ctx.connector.cards.get(rc.activityId)?.approvals} of 5`,
      );
      ctx.connector.forget(rc.conversationId);
      ctx.connector.cards.delete(rc.activityId);
      return { startedAt, doneAt: Math.max(doneAt, answeredAt), inbound: leads.length, cardUpdates: log.updates - base.updates };
    },
  };
}

/** (c) The five leads each type `status` in an RC thread (one thread per worker). */
export function statusRound(ctx: UnitContext, rcs: FreshRcs): Workload {
  const leads = LEADS.map((key) => ctx.example.person(key));
  const threads: FreshRc[] = [];
  return {
    name: 'status',
    inboundPerUnit: leads.length,
    async prepare() {
      if (threads.length === 0) {
        await rcs.cut(16);
        for (let i = 0; i < 16; i += 1) threads.push(rcs.take());
      }
    },
    async unit(worker) {
      const rc = threads[worker % threads.length]!;
      const log = ctx.connector.conversation(rc.conversationId);
      const base = { cards: log.cardPosts, refusals: log.refusals, updates: log.updates };
      const startedAt = performance.now();
      for (const lead of leads) await say(ctx, lead, rc.conversationId, 'status');
      const answeredAt = performance.now();
      const doneAt = await delivered(ctx, log, base.refusals, () => log.cardPosts >= base.cards + leads.length, () => `${log.cardPosts - base.cards} of 5 status cards`);
      return { startedAt, doneAt: Math.max(doneAt, answeredAt), inbound: leads.length, cardUpdates: log.updates - base.updates };
    },
  };
}

/** What the bench knows of the bot's clock, and how it moves it (over IPC to bench/bot-entry). */
export interface BotClock {
  now(): number;
  /** Moves the bot's clock forward to at least `at` (ms since the epoch). */
  advanceTo(at: number): Promise<void>;
}

/** (d) A hotfix from RC cut to live, in one environment per worker. */
export function lifecycle(ctx: UnitContext, clock: BotClock, year: number): Workload {
  const versions = new Versions(year);
  const p = (key: string) => ctx.example.person(key);
  const [jake, rafaella, steven, luis, bosko] = [p('jake'), p('rafaella'), p('steven'), p('luis'), p('bosko')];
  const leads = LEADS.map(p);
  const steps = 1 + 1 + leads.length + 1 + 1 + 1 + 1 + 1 + 1 + 2 + 1;
  // Scheduling and moving the clock take turns: a window must start in the future when it is
  // scheduled, so no worker may move the clock between another's choice of window and its schedule.
  let turn: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = turn.then(fn, fn);
    turn = run.catch(() => undefined);
    return run;
  };
  return {
    name: 'lifecycle, RC cut to live',
    inboundPerUnit: steps,
    prepare: async () => undefined,
    async unit(worker) {
      const version = versions.take();
      const environment = benchEnvironment(ctx.example, worker);
      const startedAt = performance.now();
      const rc = await cutRc(ctx, jake, version, true);
      const log = ctx.connector.conversation(rc.conversationId);
      const base = { refusals: log.refusals, updates: log.updates };
      const inThread = (person: Person, text: string) => say(ctx, person, rc.conversationId, text);
      const refused = () => refusalIn(log, base.refusals);
      const step = async (person: Person, text: string) => {
        await inThread(person, text);
        const refusal = refused();
        if (refusal) throw new Error(`"${text}" was refused: ${refusal}`);
      };
      let scheduled = false;
      try {
        await step(rafaella, `qa pass rc.1 https://qa.example/${version}`);
        for (const lead of leads) await step(lead, 'approve rc.1');
        await step(jake, 'promote rc.1');
        // A window starting at the next whole minute plus two; the clock then steps into it.
        let opens = 0;
        await exclusive(async () => {
          opens = Math.ceil(clock.now() / 60_000) * 60_000 + 120_000;
          scheduled = true;
          await step(steven, `schedule deploy ${version} to "${environment.name}" at ${utcMinute(opens)} UTC for 4h engineer jake validators luis, bosko`);
        });
        await step(steven, 'confirm on-call');
        await exclusive(() => clock.advanceTo(opens + 1_000));
        await step(steven, 'start');
        await step(jake, 'ready');
        await step(jake, 'stable');
        await step(luis, 'smoke pass');
        await step(bosko, 'smoke pass');
        await step(jake, 'live');
      } catch (error) {
        // A deployment left active would block every later window in this environment.
        if (scheduled) {
          await inThread(steven, `cancel deploy ${version} to "${environment.name}" bench unit failed`).catch(() => undefined);
          await inThread(steven, 'abort bench unit failed').catch(() => undefined);
        }
        throw error;
      }
      const answeredAt = performance.now();
      const liveLine = `${version} live in ${environment.name}.`;
      const doneAt = await delivered(
        ctx,
        log,
        base.refusals,
        () => log.texts.some((t) => t.text.includes(liveLine)) && ctx.connector.cards.get(rc.activityId)?.promoted === true && trackerLive(ctx, version),
        () => `${version}: live line ${log.texts.some((t) => t.text.includes(liveLine))}, RC card promoted ${ctx.connector.cards.get(rc.activityId)?.promoted}, tracker live ${trackerLive(ctx, version)}; texts: ${log.texts.map((t) => t.text.slice(0, 60)).join(' | ')}`,
      );
      const updates = log.updates - base.updates;
      ctx.connector.forget(rc.conversationId);
      return { startedAt, doneAt: Math.max(doneAt, answeredAt), inbound: steps, cardUpdates: updates };
    },
  };
}

function trackerLive(ctx: UnitContext, version: string): boolean {
  for (const card of ctx.connector.cards.values()) if (card.live && card.fallback.startsWith(`Deploy ${version} to`)) return true;
  return false;
}

/** "2026-12-02 13:05" in UTC. */
function utcMinute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

/** The bare echo bot's unit: `messages` messages one after the other, done when all were echoed. */
export function echoUnits(ctx: UnitContext, messages: number): Workload {
  const jake = ctx.example.person('jake');
  let seq = 0;
  return {
    name: `echo ×${messages}`,
    inboundPerUnit: messages,
    prepare: async () => undefined,
    async unit(worker) {
      const conversationId = `${ECHO_CHANNEL};messageid=w${worker}`;
      const log = ctx.connector.conversation(conversationId);
      const base = log.texts.length;
      const startedAt = performance.now();
      for (let i = 0; i < messages; i += 1) {
        seq += 1;
        await say(ctx, jake, conversationId, `echo ${seq}`);
      }
      const answeredAt = performance.now();
      const doneAt = await ctx.connector.until(() => log.texts.length >= base + messages, `${messages} echoes`, ctx.timeoutMs);
      log.texts.length = 0;
      return { startedAt, doneAt: Math.max(doneAt, answeredAt), inbound: messages, cardUpdates: 0 };
    },
  };
}
