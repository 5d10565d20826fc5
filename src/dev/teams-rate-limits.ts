// Teams' published limits on what a bot may send, as a sliding-window limiter, for the loopback
// Bot Connectors that stand in for Teams (test/helpers/loopback-connector.ts and bench/connector.ts
// both import this; the bench may not import test code). It plays Teams, not the bot: it decides
// which requests Teams would answer 429, and when the caller may try again.
//
// Limits (learn.microsoft.com "Optimize your bot with rate limiting in Teams"): per bot per
// conversation, sends (posts, replies, card updates) at most 7 in 1 s, 8 in 2 s, 60 in 30 s and
// 1,800 in an hour; creating a conversation (a new channel thread) the same, counted per channel;
// and about 50 requests per second per app per tenant, all operations together.

export interface RateWindow {
  readonly ms: number;
  readonly max: number;
}

export interface TeamsRateLimits {
  /** Per bot per conversation: POST and PUT of activities. */
  readonly perConversation: readonly RateWindow[];
  /** Per bot per channel: POST /v3/conversations (a new thread). */
  readonly createConversation: readonly RateWindow[];
  /** Per app per tenant, every request. */
  readonly perTenant: readonly RateWindow[];
}

const PER_THREAD: readonly RateWindow[] = [
  { ms: 1_000, max: 7 },
  { ms: 2_000, max: 8 },
  { ms: 30_000, max: 60 },
  { ms: 3_600_000, max: 1_800 },
];

export const TEAMS_RATE_LIMITS: TeamsRateLimits = {
  perConversation: PER_THREAD,
  createConversation: PER_THREAD,
  perTenant: [{ ms: 1_000, max: 50 }],
};

/** What a bot request is, as far as the limits care. */
export interface LimitedRequest {
  readonly tenantId: string;
  readonly operation: 'send' | 'create';
  /** The conversation sent to (its full id, thread included), or the channel a thread is created in. */
  readonly conversationId: string;
}

/** Refused: how long until the request would be admitted, and which limit it broke ("sends per conversation: 7 per 1 s"). */
export type Admission = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterMs: number; readonly window: string };

/**
 * Remembers the requests it admitted and answers, for each new one, whether Teams would take it
 * now. Refused requests are not counted against later ones (a retry after Retry-After succeeds).
 */
export class TeamsRateLimiter {
  private readonly admitted = new Map<string, number[]>();

  constructor(private readonly limits: TeamsRateLimits = TEAMS_RATE_LIMITS) {}

  /** Admits the request at `now` (ms, any monotonic clock) and records it, or says how long to wait. */
  admit(request: LimitedRequest, now: number): Admission {
    const checks = this.checksFor(request);
    let wait = 0;
    let window = '';
    for (const { key, scope, windows } of checks) {
      const times = this.prune(key, now, windows);
      for (const w of windows) {
        const inWindow = countSince(times, now - w.ms);
        if (inWindow < w.max) continue;
        // The oldest request that must leave the window before one more fits.
        const leaving = times[times.length - inWindow + (inWindow - w.max)]!;
        const until = leaving + w.ms - now;
        if (until > wait) {
          wait = until;
          window = `${scope}: ${w.max} per ${w.ms / 1000} s`;
        }
      }
    }
    if (wait > 0) return { allowed: false, retryAfterMs: wait, window };
    for (const { key } of checks) this.times(key).push(now);
    return { allowed: true };
  }

  private checksFor(request: LimitedRequest): Array<{ key: string; scope: string; windows: readonly RateWindow[] }> {
    const own =
      request.operation === 'create'
        ? { key: `create ${request.conversationId}`, scope: 'new threads per channel', windows: this.limits.createConversation }
        : { key: `send ${request.conversationId}`, scope: 'sends per conversation', windows: this.limits.perConversation };
    return [own, { key: `tenant ${request.tenantId}`, scope: 'requests per tenant', windows: this.limits.perTenant }];
  }

  private times(key: string): number[] {
    let times = this.admitted.get(key);
    if (!times) {
      times = [];
      this.admitted.set(key, times);
    }
    return times;
  }

  /** Drops what has left the longest window; returns the rest, oldest first. */
  private prune(key: string, now: number, windows: readonly RateWindow[]): number[] {
    const times = this.times(key);
    const longest = Math.max(...windows.map((w) => w.ms));
    let drop = 0;
    while (drop < times.length && times[drop]! <= now - longest) drop += 1;
    if (drop > 0) times.splice(0, drop);
    return times;
  }
}

/** How many of the ascending `times` are later than `since`. */
function countSince(times: readonly number[], since: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! > since) hi = mid;
    else lo = mid + 1;
  }
  return times.length - lo;
}

/** `Retry-After` as Teams sends it: whole seconds, at least 1. */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/**
 * When the last of `requests` could have been delivered by a sender that paces perfectly: each
 * conversation's requests go in their order, each as soon as it exists (`at`) and the limits admit
 * it, and no conversation waits behind another (a work-conserving schedule, stepped from event to
 * event). The benchmark compares the bot's last delivery with this.
 */
export function earliestCompletion(requests: ReadonlyArray<LimitedRequest & { readonly at: number }>, limits: TeamsRateLimits = TEAMS_RATE_LIMITS): number {
  if (requests.length === 0) return 0;
  const limiter = new TeamsRateLimiter(limits);
  const queues = new Map<string, Array<LimitedRequest & { readonly at: number }>>();
  for (const request of [...requests].sort((a, b) => a.at - b.at)) {
    const key = `${request.operation} ${request.conversationId}`;
    const queue = queues.get(key) ?? [];
    queue.push(request);
    queues.set(key, queue);
  }
  let now = Math.min(...requests.map((r) => r.at));
  let last = now;
  for (let step = 0; step < 1_000_000 && queues.size > 0; step += 1) {
    let next = Infinity;
    for (const [key, queue] of queues) {
      while (queue.length > 0 && queue[0]!.at <= now) {
        const admission = limiter.admit(queue[0]!, now);
        if (!admission.allowed) {
          next = Math.min(next, now + admission.retryAfterMs);
          break;
        }
        queue.shift();
        last = now;
      }
      if (queue.length === 0) queues.delete(key);
      else if (queue[0]!.at > now) next = Math.min(next, queue[0]!.at);
    }
    if (queues.size > 0) now = next;
  }
  return last;
}
