import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

// The benchmark's Bot Connector on loopback. Both bots post here (the activities name it as their
// serviceUrl). It answers the four REST calls botbuilder makes, and instead of recording every
// call it keeps counters per conversation, so it stays cheap at thousands of calls a second.

export interface ConversationCounts {
  /** Text messages posted (outbox thread replies, acknowledgements, echo replies). */
  texts: number;
  /** Messages posted with a card attachment (in a thread: the bot's refusal card). */
  cards: number;
  /** "Something went wrong…" apologies from the bot's turn error handler. */
  errors: number;
  /** PUT …/activities/{id}: a card update. */
  updates: number;
  /** `revision` carried by the newest card update's buttons (the release state it shows). */
  cardRevision: number;
  /** performance.now() of each text message, kept only while arrival tracking is on. */
  textTimes?: number[];
  /** The first few cards and apologies posted, for diagnostics. */
  refusalSamples: string[];
}

export interface ThreadPost {
  readonly conversationId: string;
  readonly activityId: string;
  readonly revision: number;
}

export interface Totals {
  creates: number;
  texts: number;
  cards: number;
  errors: number;
  updates: number;
  malformed: number;
}

interface Waiter {
  readonly check: () => boolean;
  readonly resolve: (at: number) => void;
}

export class CountingConnector {
  readonly totals: Totals = { creates: 0, texts: 0, cards: 0, errors: 0, updates: 0, malformed: 0 };
  /** RC threads the bots started, by RC version ("2026.1.0-rc.1"). */
  readonly threads = new Map<string, ThreadPost>();
  readonly malformedSamples: string[] = [];
  /** performance.now() of the newest call. */
  lastCallAt = 0;
  private readonly conversations = new Map<string, ConversationCounts>();
  private readonly waiters = new Set<Waiter>();
  private trackArrivals = false;
  private nextId = 1000;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<CountingConnector> {
    let connector: CountingConnector | undefined;
    const server = createServer((req, res) => connector!.handle(req, res));
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    connector = new CountingConnector(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return connector;
  }

  counts(conversationId: string): ConversationCounts {
    let counts = this.conversations.get(conversationId);
    if (!counts) {
      counts = { texts: 0, cards: 0, errors: 0, updates: 0, cardRevision: -1, refusalSamples: [] };
      if (this.trackArrivals) counts.textTimes = [];
      this.conversations.set(conversationId, counts);
    }
    return counts;
  }

  /** Record the arrival time of every text message from now on (for delivery latencies). */
  trackTextArrivals(on: boolean): void {
    this.trackArrivals = on;
    for (const counts of this.conversations.values()) counts.textTimes = on ? [] : undefined;
  }

  /**
   * Resolves with the performance.now() at which `check` first held, evaluated after every call
   * (or at once, with the newest call's time, if it holds already). Rejects after `timeoutMs`.
   */
  until(check: () => boolean, what: string, timeoutMs: number): Promise<number> {
    if (check()) return Promise.resolve(this.lastCallAt || performance.now());
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
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
      const raw = Buffer.concat(chunks).toString('utf8');
      this.route(req.method ?? '', req.url ?? '', raw, res);
      this.lastCallAt = performance.now();
      for (const waiter of this.waiters) if (waiter.check()) waiter.resolve(this.lastCallAt);
    });
  }

  private route(method: string, url: string, raw: string, res: ServerResponse): void {
    let body: any;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = undefined;
    }
    const path = url.split('?')[0]!;
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (method === 'POST' && parts.length === 2 && parts[0] === 'v3' && parts[1] === 'conversations') {
      const channelId = body?.channelData?.channel?.id;
      if (!body?.isGroup || typeof channelId !== 'string' || !body.activity) return this.malformed(res, `createConversation without a channel: ${raw.slice(0, 200)}`);
      const activityId = String((this.nextId += 1));
      const conversationId = `${channelId};messageid=${activityId}`;
      this.totals.creates += 1;
      const title = /Release (\d{4}\.\d{1,2}\.\d{1,3}-rc\.\d+)/.exec(raw);
      const revision = revisionIn(raw);
      if (title) this.threads.set(title[1]!, { conversationId, activityId, revision });
      this.counts(conversationId).cardRevision = revision;
      return reply(res, 201, { id: conversationId, activityId });
    }
    if (parts.length >= 4 && parts[0] === 'v3' && parts[1] === 'conversations' && parts[3] === 'activities') {
      const conversationId = parts[2]!;
      if (!body || typeof body.type !== 'string') return this.malformed(res, `${method} ${path} without an activity type`);
      const counts = this.counts(conversationId);
      if (method === 'POST') {
        // botbuilder posts proactive messages as replies to the continuation activity too, so a
        // message is classified by what it carries, not by its path.
        const activityId = String((this.nextId += 1));
        const text = typeof body.text === 'string' ? body.text : '';
        if (Array.isArray(body.attachments) && body.attachments.length > 0) {
          counts.cards += 1;
          this.totals.cards += 1;
          if (counts.refusalSamples.length < 3) counts.refusalSamples.push(JSON.stringify(body.attachments[0]?.content ?? {}).slice(0, 400));
        } else if (text.startsWith('Something went wrong')) {
          counts.errors += 1;
          this.totals.errors += 1;
          if (counts.refusalSamples.length < 3) counts.refusalSamples.push(text.slice(0, 200));
        } else {
          counts.texts += 1;
          this.totals.texts += 1;
          counts.textTimes?.push(performance.now());
        }
        return reply(res, 200, { id: activityId });
      }
      if (method === 'PUT' && parts[4]) {
        counts.updates += 1;
        this.totals.updates += 1;
        counts.cardRevision = Math.max(counts.cardRevision, revisionIn(raw));
        return reply(res, 200, { id: parts[4] });
      }
    }
    return this.malformed(res, `${method} ${path}`);
  }

  private malformed(res: ServerResponse, what: string): void {
    this.totals.malformed += 1;
    if (this.malformedSamples.length < 5) this.malformedSamples.push(what);
    reply(res, 400, { error: { code: 'BadArgument', message: what } });
  }
}

/** The `revision` an RC card's buttons carry; -1 when the card has none (no buttons). */
function revisionIn(raw: string): number {
  const match = /\\?"revision\\?":\s*\\?"?(\d+)/.exec(raw);
  return match ? Number(match[1]) : -1;
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
