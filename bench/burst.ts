import { performance } from 'node:perf_hooks';
import { channelMessage } from './activities';
import { LimitedRequest, earliestCompletion } from '../src/dev/teams-rate-limits';
import { FreshRcs, LEADS, UnitContext } from './units';

// Teams' rate limits under a burst: 10 releases × 5 leads approving within one second, against a
// connector that enforces the limits (429 with Retry-After, src/dev/teams-rate-limits.ts). The
// figures: requests Teams would have refused (429s), messages never delivered, and when the last
// card arrived compared with the earliest a perfectly paced sender could have delivered everything
// that had to be delivered (each thread's 5 replies and its final card; intermediate card updates
// may be coalesced).

export interface BurstResult {
  readonly releases: number;
  readonly commands: number;
  readonly withinMs: number;
  /** Sends (posts, updates, new threads) the connector accepted during the burst. */
  readonly accepted: number;
  /** Answered 429: over Teams' limits. */
  readonly overLimit: number;
  /** The limits broken, with how many requests broke each. */
  readonly windows: Record<string, number>;
  readonly repliesDelivered: number;
  readonly repliesExpected: number;
  readonly cardsFinal: number;
  readonly messagesLost: number;
  /** Burst start → last card showing 5 of 5, ms (undefined when one never arrived). */
  readonly lastCardMs?: number;
  /** Burst start → when a sender pacing perfectly within the limits could have finished, ms. */
  readonly minimumMs: number;
  readonly lastCardOverMinimum?: number;
  readonly gaveUpAfterMs?: number;
}

export async function measureBurst(options: { readonly ctx: UnitContext; readonly releases: number; readonly withinMs: number; readonly waitMs: number }): Promise<BurstResult> {
  const { ctx } = options;
  const rcs = new FreshRcs(ctx, 2060);
  // The RCs are cut beforehand, with the limits off: only the approvals are the burst.
  await rcs.cut(options.releases);
  const threads = Array.from({ length: options.releases }, () => rcs.take());
  await ctx.connector.quiet(300, 10_000);
  const leads = LEADS.map((key) => ctx.example.person(key));
  const logs = threads.map((t) => ctx.connector.conversation(t.conversationId));
  const base = logs.map((l) => l.texts.length);

  ctx.connector.enforceTeamsLimits(true);
  ctx.connector.sendTimes = [];
  const throttledBefore = ctx.connector.totals.throttled;
  const windowsBefore = ctx.connector.throttledWindows.length;
  const commands = threads.length * leads.length;
  const answeredAt: number[] = new Array(commands);
  const start = performance.now();
  try {
    // Command k: lead ⌊k / releases⌋ on release k mod releases, spread evenly over the second.
    await Promise.all(
      Array.from({ length: commands }, async (_, k) => {
        const thread = threads[k % threads.length]!;
        const lead = leads[Math.floor(k / threads.length)]!;
        const at = start + (k * options.withinMs) / commands;
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - performance.now())));
        const body = channelMessage({ person: lead, conversationId: thread.conversationId, serviceUrl: ctx.connector.url, tenantId: ctx.example.tenantId, text: 'approve rc.1' });
        const answer = await ctx.poster.post('/api/messages', body);
        if (answer.status >= 300) throw new Error(`burst: the bot answered ${answer.status} ${answer.body.slice(0, 200)}`);
        answeredAt[k] = performance.now();
      }),
    );
    const allDelivered = () => threads.every((t, i) => logs[i]!.texts.length >= base[i]! + leads.length && ctx.connector.cards.get(t.activityId)?.approvals === leads.length);
    let gaveUpAfterMs: number | undefined;
    let lastCardAt: number | undefined;
    try {
      await ctx.connector.until(allDelivered, 'every reply and final card of the burst', options.waitMs);
      lastCardAt = ctx.connector.lastCallAt;
    } catch {
      gaveUpAfterMs = options.waitMs;
    }
    // What had to be sent, each from the moment it existed: a reply per command, a final card per thread.
    const required: Array<LimitedRequest & { at: number }> = [];
    answeredAt.forEach((at, k) => required.push({ tenantId: ctx.example.tenantId, operation: 'send', conversationId: threads[k % threads.length]!.conversationId, at }));
    threads.forEach((t, i) => {
      const last = Math.max(...answeredAt.filter((_, k) => k % threads.length === i));
      required.push({ tenantId: ctx.example.tenantId, operation: 'send', conversationId: t.conversationId, at: last });
    });
    const minimumMs = earliestCompletion(required) - start;
    const windows: Record<string, number> = {};
    for (const w of ctx.connector.throttledWindows.slice(windowsBefore)) windows[w] = (windows[w] ?? 0) + 1;
    const repliesDelivered = logs.reduce((sum, l, i) => sum + Math.min(leads.length, l.texts.length - base[i]!), 0);
    const cardsFinal = threads.filter((t) => ctx.connector.cards.get(t.activityId)?.approvals === leads.length).length;
    const lastCardMs = lastCardAt === undefined ? undefined : lastCardAt - start;
    return {
      releases: threads.length,
      commands,
      withinMs: options.withinMs,
      accepted: ctx.connector.sendTimes.length,
      overLimit: ctx.connector.totals.throttled - throttledBefore,
      windows,
      repliesDelivered,
      repliesExpected: commands,
      cardsFinal,
      messagesLost: commands - repliesDelivered + (threads.length - cardsFinal),
      lastCardMs,
      minimumMs,
      lastCardOverMinimum: lastCardMs === undefined ? undefined : lastCardMs / minimumMs,
      gaveUpAfterMs,
    };
  } finally {
    ctx.connector.enforceTeamsLimits(false);
    ctx.connector.sendTimes = undefined;
  }
}
