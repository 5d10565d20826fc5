import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { TEAMS_RATE_LIMITS, TeamsRateLimiter, retryAfterSeconds } from '../src/dev/teams-rate-limits';

// The benchmark's Bot Connector on loopback: both bots post here (the activities name it as their
// serviceUrl). It answers the REST calls botbuilder makes and, instead of keeping every call,
// keeps what the units' "done" conditions read, per conversation: texts with their arrival times,
// card posts, card updates and what the newest card on each post shows. With limits on it also
// plays Teams' rate limits (src/dev/teams-rate-limits.ts): 429 with Retry-After over them.

/** What a card says, as far as the benchmark's units care. */
export interface CardSummary {
  /** RC card: "Approvals — N of 5". */
  readonly approvals?: number;
  /** RC card: the `revision` its buttons carry. */
  readonly revision?: number;
  /** RC card: "Promoted by …" shows. */
  readonly promoted: boolean;
  /** Tracker card: its Live row shows a time (the deployment went live). */
  readonly live: boolean;
  /** `fallbackText`, for diagnostics and for telling cards apart. */
  readonly fallback: string;
}

export interface TimedText {
  readonly at: number;
  readonly text: string;
}

export interface ConversationLog {
  readonly texts: TimedText[];
  /** Cards posted (not updates): in-turn answers (status, refusals) and posts the outbox makes. */
  cardPosts: number;
  /** Refusal cards and "Something went wrong" apologies among the posts. */
  refusals: number;
  readonly refusalSamples: string[];
  /** PUT …/activities/{id}: card updates. */
  updates: number;
  lastAt: number;
}

export interface Totals {
  creates: number;
  posts: number;
  updates: number;
  malformed: number;
  /** Answered 429 for being over Teams' limits (limits on only). */
  throttled: number;
}

interface Waiter {
  readonly check: () => boolean;
  readonly resolve: (at: number) => void;
}

export class BenchConnector {
  readonly totals: Totals = { creates: 0, posts: 0, updates: 0, malformed: 0, throttled: 0 };
  /** Thread root posts by the RC they announce ("2026.1.0-rc.1"). */
  readonly threads = new Map<string, { readonly conversationId: string; readonly activityId: string }>();
  /** The newest card shown on each post, by activity id. */
  readonly cards = new Map<string, CardSummary>();
  readonly malformedSamples: string[] = [];
  /** Every throttled request's window, while limits are on. */
  readonly throttledWindows: string[] = [];
  /** Arrival time of every accepted send and create while `recordSends` is on (for the burst figure). */
  sendTimes?: Array<{ at: number; operation: 'send' | 'create'; conversationId: string; update: boolean }>;
  lastCallAt = 0;
  private readonly conversations = new Map<string, ConversationLog>();
  private readonly waiters = new Set<Waiter>();
  private limiter?: TeamsRateLimiter;
  private nextId = 1000;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<BenchConnector> {
    let connector: BenchConnector | undefined;
    const server = createServer((req, res) => connector!.handle(req, res));
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    connector = new BenchConnector(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return connector;
  }

  /** Teams' limits on (429 with Retry-After over them) or off (everything accepted). */
  enforceTeamsLimits(on: boolean): void {
    this.limiter = on ? new TeamsRateLimiter(TEAMS_RATE_LIMITS) : undefined;
  }

  conversation(conversationId: string): ConversationLog {
    let log = this.conversations.get(conversationId);
    if (!log) {
      log = { texts: [], cardPosts: 0, refusals: 0, refusalSamples: [], updates: 0, lastAt: 0 };
      this.conversations.set(conversationId, log);
    }
    return log;
  }

  /** Forgets a conversation a unit is done with, so thousands of units keep memory flat. */
  forget(conversationId: string): void {
    this.conversations.delete(conversationId);
  }

  /**
   * Resolves with the performance.now() at which `check` first held, evaluated after every call
   * (or at once, with the newest call's time, if it holds already). Rejects after `timeoutMs`.
   */
  until(check: () => boolean, what: string | (() => string), timeoutMs: number): Promise<number> {
    if (check()) return Promise.resolve(this.lastCallAt || performance.now());
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`));
      }, timeoutMs);
      const waiter: Waiter = {
        check,
        resolve: (at) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(at);
        },
      };
      this.waiters.add(waiter);
    });
  }

  /** Resolves once no call has arrived for `quietMs` (bounded by `timeoutMs`): the bots are idle. */
  async quiet(quietMs: number, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      const since = performance.now() - this.lastCallAt;
      if (since >= quietMs) return;
      await new Promise((resolve) => setTimeout(resolve, quietMs - since + 1));
    }
  }

  close(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const at = performance.now();
      this.route(req.method ?? '', req.url ?? '', Buffer.concat(chunks).toString('utf8'), res, at);
      this.lastCallAt = at;
      for (const waiter of this.waiters) if (waiter.check()) waiter.resolve(at);
    });
  }

  private route(method: string, url: string, raw: string, res: ServerResponse, at: number): void {
    let body: any;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = undefined;
    }
    const path = url.split('?')[0]!;
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    const create = method === 'POST' && parts.length === 2 && parts[0] === 'v3' && parts[1] === 'conversations';
    const activities = parts.length >= 4 && parts[0] === 'v3' && parts[1] === 'conversations' && parts[3] === 'activities';
    if (!create && !activities) return this.malformed(res, `${method} ${path}`);
    if (!body || (create ? !body.activity : typeof body.type !== 'string')) return this.malformed(res, `${method} ${path} without an activity`);
    const conversationId = create ? String(body.channelData?.channel?.id ?? '') : parts[2]!;
    if (create && (!body.isGroup || !conversationId)) return this.malformed(res, `createConversation without a channel: ${raw.slice(0, 200)}`);
    if (this.limiter) {
      const tenantId = String(body.tenantId ?? body.conversation?.tenantId ?? body.channelData?.tenant?.id ?? '');
      const admission = this.limiter.admit({ tenantId, operation: create ? 'create' : 'send', conversationId }, at);
      if (!admission.allowed) {
        this.totals.throttled += 1;
        if (this.throttledWindows.length < 10_000) this.throttledWindows.push(admission.window);
        res.setHeader('retry-after', String(retryAfterSeconds(admission.retryAfterMs)));
        return reply(res, 429, { error: { code: 'TooManyRequests', message: `over the limit (${admission.window})` } });
      }
    }
    this.sendTimes?.push({ at, operation: create ? 'create' : 'send', conversationId, update: method === 'PUT' });

    if (create) {
      const activityId = String((this.nextId += 1));
      const threadId = `${conversationId};messageid=${activityId}`;
      this.totals.creates += 1;
      const card = body.activity.attachments?.[0]?.content;
      if (card) this.cards.set(activityId, summarize(card));
      const title = /^Release (\d{4}\.\d{1,2}\.\d{1,3}-rc\.\d+)/.exec(String(card?.fallbackText ?? ''));
      if (title) this.threads.set(title[1]!, { conversationId: threadId, activityId });
      this.conversation(conversationId).lastAt = at;
      return reply(res, 201, { id: threadId, activityId });
    }
    const log = this.conversation(conversationId);
    log.lastAt = at;
    if (method === 'POST') {
      const activityId = String((this.nextId += 1));
      this.totals.posts += 1;
      const card = body.attachments?.[0]?.content;
      const text = typeof body.text === 'string' ? body.text : '';
      if (card) {
        log.cardPosts += 1;
        this.cards.set(activityId, summarize(card));
        if (isRefusal(card)) this.refused(log, JSON.stringify(card.body?.slice(0, 3) ?? card).slice(0, 400));
      } else if (text.startsWith('Something went wrong')) {
        this.refused(log, text.slice(0, 200));
      } else {
        log.texts.push({ at, text });
      }
      return reply(res, 200, { id: activityId });
    }
    if (method === 'PUT' && parts[4]) {
      this.totals.updates += 1;
      log.updates += 1;
      const card = body.attachments?.[0]?.content;
      if (card) this.cards.set(parts[4], summarize(card));
      return reply(res, 200, { id: parts[4] });
    }
    return this.malformed(res, `${method} ${path}`);
  }

  private refused(log: ConversationLog, sample: string): void {
    log.refusals += 1;
    if (log.refusalSamples.length < 3) log.refusalSamples.push(sample);
  }

  private malformed(res: ServerResponse, what: string): void {
    this.totals.malformed += 1;
    if (this.malformedSamples.length < 5) this.malformedSamples.push(what);
    reply(res, 400, { error: { code: 'BadArgument', message: what } });
  }
}

/** What the units read off a card; the RC and tracker templates' own wording, nothing else. */
export function summarize(card: any): CardSummary {
  const fallback = String(card?.fallbackText ?? '');
  const raw = JSON.stringify(card);
  const approvals = /Approvals — (\d+) of \d+/.exec(raw);
  const revision = /"revision":"?(\d+)/.exec(raw);
  return {
    approvals: approvals ? Number(approvals[1]) : undefined,
    revision: revision ? Number(revision[1]) : undefined,
    promoted: raw.includes('"Promoted by '),
    // The tracker's Live row carries a time once the deployment is live ("✅" then the clock).
    live: /"id":"phase-live"[^}]*?✅/.test(raw) || /^Deploy .*: .*\blive\b/i.test(fallback),
    fallback,
  };
}

/** The refusal card (cards/refusal.json): a red title, then the reason. */
function isRefusal(card: any): boolean {
  const body = Array.isArray(card?.body) ? card.body : [];
  return body[0]?.id === 'title' && body[0]?.color === 'Attention' && body[1]?.id === 'reason';
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
