import { KeyedQueue } from '../app/keyed-queue';
import { DeliveryDeferred } from '../app/outbox';

// Paces what the bot sends to Teams below Teams' published limits (learn.microsoft.com "Optimize
// your bot with rate limiting in Teams"): per bot per conversation at most 7 sends in 1 s, 8 in
// 2 s, 60 in 30 s and 1,800 in an hour (creating a conversation the same, counted per channel), and
// about 50 requests per second per app per tenant. Teams answers 429 with Retry-After beyond them.
//
// Each request is counted from the moment it is sent until Teams answers, and then at the time of
// the answer. Teams counts it when it arrives, which lies between the two, so a request this pacer
// lets through is never inside a window Teams sees as full, however the network delays requests.

export interface SendWindow {
  readonly ms: number;
  readonly max: number;
}

export interface SendLimits {
  /** Per bot per conversation: posts, replies and card updates (and new threads, per channel). */
  readonly perConversation: readonly SendWindow[];
  /** Per app per tenant, every request. */
  readonly perTenant: readonly SendWindow[];
}

export const TEAMS_SEND_LIMITS: SendLimits = {
  perConversation: [
    { ms: 1_000, max: 7 },
    { ms: 2_000, max: 8 },
    { ms: 30_000, max: 60 },
    { ms: 3_600_000, max: 1_800 },
  ],
  perTenant: [{ ms: 1_000, max: 50 }],
};

/** Time as the pacer sees it; tests drive a virtual one instead of sleeping. */
export interface PacingClock {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  /** Resolves `ms` later on this clock. */
  sleep(ms: number): Promise<void>;
}

export const realClock: PacingClock = {
  now: () => performance.now(),
  sleep: (ms) =>
    new Promise((resolve) => {
      setTimeout(resolve, ms).unref();
    }),
};

export interface SendPacerOptions {
  readonly limits?: SendLimits;
  readonly clock?: PacingClock;
  /**
   * A request that would have to wait longer than this fails with DeliveryDeferred instead (the
   * outbox stops there and tries again when the wait is over): an outbox delivery must not outwait
   * its lease (default 10 s).
   */
  readonly maxWaitMs?: number;
  /**
   * Successive updates of one card closer together than this are coalesced while sends are under
   * pressure (the tenant past half its budget, or the conversation full): the newest state goes
   * out once, when the interval has passed (default 1 s).
   */
  readonly cardIntervalMs?: number;
}

/** What a request counts against: its conversation (or the channel a thread is created in) and its tenant. */
export interface PacedRequest {
  readonly key: string;
  readonly tenantId: string;
  /** How many HTTP requests the call makes (default 1). */
  readonly requests?: number;
}

/** The times requests under one key were counted, oldest first, and how many are still unanswered. */
interface KeyLog {
  readonly answered: number[];
  inFlight: number;
  /** Retry-After: nothing goes out under this key before this time. */
  blockedUntil: number;
}

/**
 * Lets requests out in their order per key, each as soon as the windows of its key and its tenant
 * allow. Requests under one key go one at a time (so a conversation's messages keep their order).
 */
export class SendPacer {
  private readonly limits: SendLimits;
  private readonly clock: PacingClock;
  private readonly maxWaitMs: number;
  private readonly cardIntervalMs: number;
  private readonly logs = new Map<string, KeyLog>();
  private readonly cards = new Map<string, number>();
  private readonly queue = new KeyedQueue();
  private readonly answeredWaiters = new Set<() => void>();
  /** Requests under each key that have not finished yet. */
  private readonly pending = new Map<string, number>();
  private waitingNow = 0;
  private sinceCleanup = 0;

  constructor(options: SendPacerOptions = {}) {
    this.limits = options.limits ?? TEAMS_SEND_LIMITS;
    this.clock = options.clock ?? realClock;
    this.maxWaitMs = options.maxWaitMs ?? 10_000;
    this.cardIntervalMs = options.cardIntervalMs ?? 1_000;
  }

  /** Conversations, channels and tenants whose requests are still remembered (memory follows recent traffic). */
  get remembered(): number {
    return this.logs.size;
  }

  /** Requests waiting for their turn right now (queued behind their key, or for a window to open). */
  get waiting(): number {
    return this.waitingNow;
  }

  /**
   * Runs `send` once the limits allow it, after every earlier request under the same key. A 429 or
   * 503 with Retry-After holds back the key's later requests for that long (and fails as it came).
   */
  run<T>(request: PacedRequest, send: () => Promise<T>): Promise<T> {
    this.waitingNow += 1;
    this.pending.set(request.key, (this.pending.get(request.key) ?? 0) + 1);
    let admitted = false;
    const admit = () => {
      if (!admitted) this.waitingNow -= 1;
      admitted = true;
    };
    return this.queue
      .run(request.key, async () => {
        await this.admission(request); // counts it in flight as it admits it
        admit();
        const own = this.log(request.key);
        const tenant = this.log(tenantKey(request.tenantId));
        const weight = request.requests ?? 1;
        try {
          return await send();
        } catch (error) {
          const retryAfterMs = throttledFor(error);
          if (retryAfterMs !== undefined) own.blockedUntil = Math.max(own.blockedUntil, this.clock.now() + retryAfterMs);
          throw error;
        } finally {
          const at = this.clock.now();
          for (const log of [own, tenant]) {
            log.inFlight -= weight;
            for (let i = 0; i < weight; i += 1) log.answered.push(at);
          }
          this.cleanupNow();
          for (const wake of [...this.answeredWaiters]) wake();
        }
      })
      .finally(() => {
        admit();
        const left = (this.pending.get(request.key) ?? 1) - 1;
        if (left > 0) this.pending.set(request.key, left);
        else this.pending.delete(request.key);
      });
  }

  /**
   * When an update of this card should wait to be coalesced with the ones after it, how long (ms):
   * it was updated less than the card interval ago and sends are under pressure. Else undefined.
   */
  deferCardUpdate(request: PacedRequest, cardId: string): number | undefined {
    const last = this.cards.get(cardId);
    if (last === undefined) return undefined;
    const now = this.clock.now();
    const left = last + this.cardIntervalMs - now;
    if (left <= 0) return undefined;
    const tenant = this.log(tenantKey(request.tenantId));
    const busyTenant = this.limits.perTenant.some((w) => count(tenant, now, w.ms) * 2 >= w.max);
    const fullConversation = this.waitFor(this.log(request.key), this.limits.perConversation, now, 1) > 0 || this.queued(request.key);
    return busyTenant || fullConversation ? left : undefined;
  }

  /** Records that a card was updated now (for deferCardUpdate). */
  cardUpdated(cardId: string): void {
    this.cards.set(cardId, this.clock.now());
  }

  sleep(ms: number): Promise<void> {
    return this.clock.sleep(ms);
  }

  private async admission(request: PacedRequest): Promise<void> {
    const started = this.clock.now();
    for (;;) {
      const now = this.clock.now();
      const own = this.log(request.key);
      const tenant = this.log(tenantKey(request.tenantId));
      const weight = request.requests ?? 1;
      const wait = Math.max(own.blockedUntil - now, this.waitFor(own, this.limits.perConversation, now, weight), this.waitFor(tenant, this.limits.perTenant, now, weight));
      if (wait <= 0) {
        // Counted in the same step as the check, so requests admitted together never overfill a window.
        own.inFlight += weight;
        tenant.inFlight += weight;
        return;
      }
      if (!Number.isFinite(wait)) {
        await new Promise<void>((resolve) => this.onAnswer(resolve)); // full of unanswered requests
        continue;
      }
      if (now + wait - started > this.maxWaitMs) throw new DeliveryDeferred(this.clock.sleep(wait), wait);
      await this.clock.sleep(wait);
    }
  }

  /** How long until `weight` more requests fit every window (0: now; Infinity: once one in flight is answered). */
  private waitFor(log: KeyLog, windows: readonly SendWindow[], now: number, weight: number): number {
    let wait = 0;
    for (const w of windows) {
      const answered = count(log, now, w.ms);
      const used = answered + log.inFlight;
      if (used + weight <= w.max) continue;
      if (log.inFlight + weight > w.max) return Infinity;
      // The last answered request that must leave the window before `weight` more fit.
      const leaving = log.answered[log.answered.length - answered + (used + weight - 1 - w.max)]!;
      wait = Math.max(wait, leaving + w.ms - now);
    }
    return wait;
  }

  private queued(key: string): boolean {
    return (this.pending.get(key) ?? 0) > 0;
  }

  private onAnswer(resolve: () => void): void {
    const wake = () => {
      this.answeredWaiters.delete(wake);
      resolve();
    };
    this.answeredWaiters.add(wake);
  }

  private log(key: string): KeyLog {
    let log = this.logs.get(key);
    if (!log) {
      log = { answered: [], inFlight: 0, blockedUntil: 0 };
      this.logs.set(key, log);
    }
    return log;
  }

  /** Forgets what has left every window: amortised over the requests, so memory follows the traffic. */
  private cleanupNow(): void {
    this.sinceCleanup += 1;
    if (this.sinceCleanup < 1_000) return;
    this.sinceCleanup = 0;
    const now = this.clock.now();
    const longestOf = (windows: readonly SendWindow[]) => Math.max(...windows.map((w) => w.ms));
    const conversations = longestOf(this.limits.perConversation);
    const tenants = longestOf(this.limits.perTenant);
    for (const [key, log] of this.logs) {
      const longest = key.startsWith(TENANT_PREFIX) ? tenants : conversations;
      let drop = 0;
      while (drop < log.answered.length && log.answered[drop]! <= now - longest) drop += 1;
      if (drop > 0) log.answered.splice(0, drop);
      if (log.answered.length === 0 && log.inFlight === 0 && log.blockedUntil <= now) this.logs.delete(key);
    }
    for (const [card, at] of this.cards) if (at <= now - this.cardIntervalMs) this.cards.delete(card);
  }
}

// Conversation keys are the gateway's ("send …", "create …"), so they never start like this.
const TENANT_PREFIX = '\u0000tenant ';

function tenantKey(tenantId: string): string {
  return `${TENANT_PREFIX}${tenantId}`;
}

/** How many answered requests of the log lie in the window (now - ms, now]. */
function count(log: KeyLog, now: number, ms: number): number {
  const times = log.answered;
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! > now - ms) hi = mid;
    else lo = mid + 1;
  }
  return times.length - lo;
}

/** Retry-After of a 429 or 503 from Teams, ms. */
function throttledFor(error: unknown): number | undefined {
  const { statusCode, retryAfterMs } = error as { statusCode?: unknown; retryAfterMs?: unknown };
  if ((statusCode === 429 || statusCode === 503) && typeof retryAfterMs === 'number') return retryAfterMs;
  return undefined;
}
