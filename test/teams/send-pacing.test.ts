import { LimitedRequest, TEAMS_RATE_LIMITS, earliestCompletion } from '../../src/dev/teams-rate-limits';
import { SendPacer } from '../../src/teams/send-pacer';
import { cardText, Harness, people, Person, startHarness } from '../helpers/bot-harness';
import { InjectedFault } from '../helpers/loopback-connector';
import { VirtualClock } from '../helpers/virtual-clock';
import { latestCardOf, phaseRows, scheduleText, trackerPost, updatesOf } from '../deployments/deployment-view';

// The bot within Teams' rate limits, over real HTTP: the loopback connector plays Teams' limits
// (src/dev/teams-rate-limits.ts: 429 with Retry-After over them) on the same virtual clock as the
// bot's pacer, so seconds of throttled traffic play in moments and the same on every run.

const LEADS: readonly Person[] = [people.luis, people.rafaella, people.steven, people.bosko, people.jake];

interface Timed {
  readonly at: number;
  readonly kind: string;
  readonly conversationId: string;
  readonly text?: string;
  readonly card?: unknown;
}

describe('sends paced within Teams’ rate limits', () => {
  let h: Harness;
  let clock: VirtualClock;
  let pacer: SendPacer;
  let arrived: Timed[];
  let fault: ((request: { method: string; path: string }) => InjectedFault | undefined) | undefined;

  /** The bot and a connector enforcing Teams' limits, both on the virtual clock. */
  async function startBot(options: { outboxLeaseMs?: number; outboxSweepMs?: number; maxWaitMs?: number; now?: () => Date } = {}): Promise<void> {
    const lease = { outboxLeaseMs: options.outboxLeaseMs ?? 30_000, outboxSweepMs: options.outboxSweepMs ?? 60_000 };
    clock = new VirtualClock();
    pacer = new SendPacer({ clock, maxWaitMs: options.maxWaitMs });
    arrived = [];
    fault = undefined;
    h = await startHarness({
      now: options.now,
      connector: {
        limits: TEAMS_RATE_LIMITS,
        now: () => clock.now(),
        fault: (request) => fault?.(request),
        onCall: (call) => {
          arrived.push({ at: clock.now(), kind: call.kind, conversationId: call.conversationId, text: call.activity.text, card: call.activity.attachments?.[0]?.content });
        },
      },
      // By default a production lease: paced waits stay in the pacer (on the virtual clock), and no
      // sweep runs in between. The restart test shortens it, so the next bot takes over at once.
      server: { pacer, outboxLeaseMs: lease.outboxLeaseMs },
      outboxSweepMs: lease.outboxSweepMs,
    });
  }
  afterEach(async () => {
    await h.close();
  });

  /**
   * Waits (in real time, briefly) until every outbox delivery is either finished or waiting in the
   * pacer for the virtual clock: nothing else can happen until the clock moves.
   */
  async function quiescent(): Promise<void> {
    const deadline = Date.now() + 10_000;
    let calm = 0;
    while (calm < 3) {
      if (Date.now() > deadline) throw new Error(`the bot did not come to rest: ${h.bot.outbox.delivering} deliveries, ${pacer.waiting} waiting`);
      await new Promise((resolve) => setTimeout(resolve, 2));
      calm = h.bot.outbox.delivering <= pacer.waiting ? calm + 1 : 0;
    }
  }

  /**
   * Plays `commands` at their virtual times, then moves the clock from wake-up to wake-up until
   * `done` holds and nothing waits any more.
   */
  async function play(
    commands: ReadonlyArray<{ at: number; person: Person; text: string; conversationId?: string }>,
    done: () => boolean,
    /** Stop (at rest) rather than move the clock past this. */
    stopAt = Infinity,
  ): Promise<void> {
    const queue = [...commands].sort((a, b) => a.at - b.at);
    const deadline = Date.now() + 20_000;
    for (;;) {
      await quiescent();
      const next = Math.min(queue[0]?.at ?? Infinity, clock.nextWake ?? Infinity);
      if (next > stopAt) return;
      if (next === Infinity) {
        if (done() && h.bot.outbox.delivering === 0) return;
        if (Date.now() > deadline) throw new Error('the bot stopped delivering before everything arrived');
        await new Promise((resolve) => setTimeout(resolve, 5)); // an outbox retry on its own (real) timer
        continue;
      }
      clock.advanceTo(next);
      while (queue.length > 0 && queue[0]!.at <= clock.now()) {
        const command = queue.shift()!;
        const { status } = await h.post(command.person, command.text, command.conversationId ? { conversationId: command.conversationId } : {});
        expect(status).toBe(200);
        await quiescent();
      }
    }
  }

  const rootOf = (version: string) => h.thread(version);
  const approvalsShown = (version: string) => /Approvals — (\d) of 5/.exec(cardText(h.latestCard(version)))?.[1];

  /** 10 releases × 5 leads approving within one second; what arrived, and the minimum the limits allow. */
  async function burst(): Promise<{ lastCardMs: number; minimumMs: number; updates: number }> {
    const versions = Array.from({ length: 10 }, (_, i) => `2026.${i + 1}.0`);
    // The RCs are cut first, a second apart.
    await play(
      versions.map((v, i) => ({ at: i * 1_000, person: people.jake, text: `rc ${v}-rc.1 features: burst ${i} notes: https://notes.example/${v}` })),
      () => versions.every((v) => h.connector.calls.some((c) => c.kind === 'createConversation' && JSON.stringify(c.activity).includes(`Release ${v}-rc.1`))),
    );
    const threads = versions.map((v) => rootOf(`${v}-rc.1`));

    // The burst, well after the cuts left every window: command k is lead ⌊k/10⌋ on release k mod 10,
    // one every 20 ms, so all 50 come within one second.
    const start = 100_000;
    const commands = Array.from({ length: 50 }, (_, k) => ({
      at: start + k * 20,
      person: LEADS[Math.floor(k / 10)]!,
      text: 'approve rc.1',
      conversationId: threads[k % 10]!.conversationId,
    }));
    const before = arrived.length;
    await play(commands, () => versions.every((v) => approvalsShown(`${v}-rc.1`) === '5'));
    const burst = arrived.slice(before);

    // 0 requests over the limits: Teams (the connector) refused none.
    expect(h.connector.throttled).toEqual([]);
    // 0 messages lost, each thread's replies in the order the leads approved, each once.
    threads.forEach((thread, i) => {
      const replies = burst.filter((c) => c.conversationId === thread.conversationId && c.text).map((c) => c.text!);
      expect(replies).toHaveLength(5);
      LEADS.forEach((lead, n) => expect(replies[n]).toContain(`${lead.name} approved rc.1`));
      expect(approvalsShown(`${versions[i]}-rc.1`)).toBe('5');
    });

    // The minimum the limits allow: every reply sent the moment its approval was answered, and each
    // thread's final card the moment its last approval was; intermediate card updates may be skipped.
    const required: Array<LimitedRequest & { at: number }> = [
      ...commands.map((c) => ({ tenantId: h.config.tenantId, operation: 'send' as const, conversationId: c.conversationId, at: c.at })),
      ...threads.map((thread) => ({
        tenantId: h.config.tenantId,
        operation: 'send' as const,
        conversationId: thread.conversationId,
        at: Math.max(...commands.filter((c) => c.conversationId === thread.conversationId).map((c) => c.at)),
      })),
    ];
    const minimumMs = earliestCompletion(required, TEAMS_RATE_LIMITS) - start;
    const lastCardMs = Math.max(...burst.filter((c) => c.kind === 'update').map((c) => c.at)) - start;
    return { lastCardMs, minimumMs, updates: burst.filter((c) => c.kind === 'update').length };
  }

  it('delivers a burst of 10 releases × 5 leads approving within one second: nothing lost, nothing over the limits, the last card within 1.2× the minimum', async () => {
    await startBot();
    const { lastCardMs, minimumMs, updates } = await burst();
    expect(minimumMs).toBeGreaterThan(1_000); // 60 sends within a second: the tenant's 50 per second binds
    expect(lastCardMs / minimumMs).toBeLessThanOrEqual(1.2);
    // Successive updates of a card were coalesced: fewer updates than approvals.
    expect(updates).toBeLessThan(50);
  });

  it('keeps order and limits when a wait is longer than the pacer may hold one (handed back to the outbox)', async () => {
    await startBot({ maxWaitMs: 50 });
    const { lastCardMs, minimumMs } = await burst(); // asserts nothing lost, nothing over, replies in order
    expect(lastCardMs / minimumMs).toBeLessThanOrEqual(1.2);
  });

  it('never loses what the limits held back: a reply waiting for its second survives a restart, once, after the newest card', async () => {
    await startBot({ outboxLeaseMs: 300, outboxSweepMs: 100 });
    await play([{ at: 0, person: people.jake, text: 'rc 2026.5.0-rc.1 features: coalesce notes: https://notes.example/2026.5.0' }], () => h.connector.calls.some((c) => c.kind === 'createConversation'));
    const thread = rootOf('2026.5.0-rc.1');
    // Four approvals 10 ms apart: card, reply, card, reply … (a decision's card update goes first,
    // README "Store cost"); the thread's second is full at the 4th card, so the 4th reply waits for
    // the second to pass.
    const approvals = LEADS.slice(0, 4).map((person, n) => ({ at: 10_000 + n * 10, person, text: 'approve rc.1', conversationId: thread.conversationId }));
    await play(approvals, () => true, 10_500);
    // The cut's reply mentioning whom the RC waits for, then three of the four approvals.
    expect(h.textsIn(thread.conversationId)).toHaveLength(4);
    expect(approvalsShown('2026.5.0-rc.1')).toBe('4');

    // The bot stops with the reply still waiting in the pacer and in the release's outbox: the
    // stopped bot does not post it once its turn comes; the next one does, once.
    await h.restart();
    await play([], () => h.textsIn(thread.conversationId).length >= 5);
    const replies = arrived.filter((c) => c.conversationId === thread.conversationId && c.text?.includes('approved rc.1'));
    expect(replies.map((c) => /— (\d) of 5/.exec(c.text!)?.[1])).toEqual(['1', '2', '3', '4']);
    expect(replies[3]!.at).toBeGreaterThanOrEqual(11_000); // a second after the thread's first send of the burst
    expect(h.textsIn(thread.conversationId)).toHaveLength(5); // no reply repeated
    expect(approvalsShown('2026.5.0-rc.1')).toBe('4');
    expect(h.connector.throttled).toEqual([]);
  });

  it('honours Retry-After on a 429 from Teams and still delivers the reply once', async () => {
    await startBot();
    await play([{ at: 0, person: people.jake, text: 'rc 2026.4.0-rc.1 features: retry notes: https://notes.example/2026.4.0' }], () => h.connector.calls.some((c) => c.kind === 'createConversation'));
    const thread = rootOf('2026.4.0-rc.1');
    const repliesPath = `/v3/conversations/${encodeURIComponent(thread.conversationId)}/activities`;
    let refusedAt: number | undefined;
    fault = (request) => {
      if (refusedAt !== undefined || request.method !== 'POST' || request.path !== repliesPath) return undefined;
      refusedAt = clock.now();
      return { status: 429, retryAfterSeconds: 3 };
    };
    await play([{ at: 10_000, person: people.luis, text: 'approve rc.1', conversationId: thread.conversationId }], () => approvalsShown('2026.4.0-rc.1') === '1' && h.textsIn(thread.conversationId).some((t) => t.includes(`${people.luis.name} approved rc.1`)));

    expect(refusedAt).toBe(10_000);
    const replies = arrived.filter((c) => c.conversationId === thread.conversationId && c.text?.includes(`${people.luis.name} approved rc.1`));
    expect(replies).toHaveLength(1);
    // The card update went first (10 s); after Teams refused the reply, nothing reached that thread
    // before its Retry-After had passed, and the reply came then.
    const inThread = arrived.filter((c) => c.conversationId === thread.conversationId && c.at >= 10_000);
    expect(inThread.filter((c) => c.kind === 'update').map((c) => c.at)).toEqual([10_000]);
    expect(inThread.filter((c) => c.at > 10_000 && c.at < 13_000)).toEqual([]);
    expect(replies[0]!.at).toBeGreaterThanOrEqual(13_000);
  });

  describe('a deployment’s tracker', () => {
    // The domain's time (the deployment window) apart from the pacer's virtual clock.
    let domainNow = new Date('2026-04-13T12:00:00Z'); // Mon 13 Apr 2026, 08:00 EDT
    const RELEASE = '2026.6.0';
    const ENVIRONMENT = 'BXCI Production';

    /** Cut, five approvals, promotion, a deployment scheduled with Luis and Bosko validating, on-call confirmed: each a few seconds apart, no pressure. */
    async function scheduledDeployment(): Promise<string> {
      domainNow = new Date('2026-04-13T12:00:00Z');
      await play([{ at: 0, person: people.jake, text: `rc ${RELEASE}-rc.1 features: deploy notes: https://notes.example/${RELEASE}` }], () => h.connector.calls.some((c) => c.kind === 'createConversation'));
      const { conversationId } = rootOf(`${RELEASE}-rc.1`);
      const setup = [
        ...LEADS.map((person) => ({ person, text: 'approve rc.1' })),
        { person: people.jake, text: 'promote rc.1' },
        { person: people.steven, text: scheduleText(RELEASE, ENVIRONMENT, '2026-04-21 22:00') },
        { person: people.steven, text: 'confirm on-call' },
      ].map((command, n) => ({ ...command, at: 10_000 + n * 5_000, conversationId }));
      await play(setup, () => h.connector.calls.some((c) => JSON.stringify(c.activity).includes(`Deploy ${RELEASE} to ${ENVIRONMENT}`)));
      domainNow = new Date('2026-04-22T02:00:00Z'); // the window has opened
      return conversationId;
    }

    /** The whole deployment typed in the release thread, one command every 10 ms. */
    const BURST = [
      { person: people.steven, text: 'start' },
      { person: people.jake, text: 'ready' },
      { person: people.jake, text: 'stable' },
      { person: people.luis, text: 'smoke pass' },
      { person: people.bosko, text: 'smoke pass' },
      { person: people.jake, text: 'live' },
    ];
    const burstAt = (conversationId: string, at: number) => BURST.map((command, n) => ({ ...command, at: at + n * 10, conversationId }));

    /** The thread's text posts in these calls, in the order they reached Teams. */
    const repliesIn = (calls: readonly { kind: string; conversationId: string; activity: { text?: string } }[], conversationId: string) =>
      calls.filter((c) => (c.kind === 'send' || c.kind === 'reply') && c.conversationId === conversationId && c.activity.text).map((c) => c.activity.text!);
    const cardOf = (call: { activity: { attachments?: Array<{ content?: unknown }> } }) => call.activity.attachments?.[0]?.content;
    const FINAL_ROWS = [
      '✅ Scheduled by Steven Inouye, Mon 13 Apr 2026, 08:00 EDT',
      '✅ On-call confirmed Jake Edgington · by Steven Inouye, Mon 13 Apr 2026, 08:00 EDT',
      '✅ Started 22:00 EDT',
      '✅ Ready 22:00 EDT',
      '✅ Stable 22:00 EDT',
      '✅ Smoke tests (2 of 2 passed)',
      '✅ Live 22:00 EDT',
    ];

    it('a burst of deployment commands in one thread: every reply in order, ahead of a tracker update held back; fewer tracker updates than changes, the last the final state', async () => {
      await startBot({ now: () => domainNow });
      const conversationId = await scheduledDeployment();
      const tracker = trackerPost(h, RELEASE, ENVIRONMENT);
      const before = h.connector.calls.length;
      const arrivedBefore = arrived.length;
      // Six commands 10 ms apart: six replies and six changes of the tracker for a thread that takes
      // 7 sends a second and 8 in two.
      await play(burstAt(conversationId, 100_000), () => phaseRows(latestCardOf(h, tracker)).includes('✅ Live 22:00 EDT') && repliesIn(h.connector.calls.slice(before), conversationId).length === BURST.length);
      const calls = h.connector.calls.slice(before);

      expect(h.connector.throttled).toEqual([]);
      const replies = repliesIn(calls, conversationId);
      expect(replies).toHaveLength(BURST.length);
      ['▶️ Steven Inouye started', '🟢 Deploy 2026.6.0 to BXCI Production is ready', '🧪 Jake Edgington confirmed BXCI Production is stable', '✅ Luis Garcia: smoke pass (1 of 2', '✅ Bosko Kocev: smoke pass (2 of 2', '2026.6.0 live in BXCI Production'].forEach((start, n) =>
        expect(replies[n]).toContain(start),
      );
      // The replies behind a held update go first: the first three commands' sends (3 tracker
      // updates, the on-call card, 3 replies) fill the thread's second, and Luis's reply goes out at
      // 101,000, the moment 7/s allows, ahead of the tracker changed less than a second before;
      // Bosko's and the live reply at 102,000, when 8 in 2 s allows.
      const replyTimes = arrived.slice(arrivedBefore).filter((c) => c.conversationId === conversationId && c.text).map((c) => c.at);
      expect(replyTimes).toEqual([100_000, 100_010, 100_020, 101_000, 102_000, 102_000]);

      const updates = updatesOf(calls, tracker);
      expect(updates.length).toBeLessThan(BURST.length);
      // Coalesced: the tracker held back under pressure goes out once with its newest state, so
      // Teams never re-renders a card people already see.
      updates.slice(1).forEach((update, n) => expect(JSON.stringify(cardOf(update))).not.toBe(JSON.stringify(cardOf(updates[n]!))));
      expect(phaseRows(cardOf(updates[updates.length - 1]!))).toEqual(FINAL_ROWS);
    });

    it('never skips the last tracker update: one held back to coalesce survives a restart and shows the newest state', async () => {
      await startBot({ now: () => domainNow, outboxLeaseMs: 300, outboxSweepMs: 100 });
      const conversationId = await scheduledDeployment();
      const tracker = trackerPost(h, RELEASE, ENVIRONMENT);
      const before = h.connector.calls.length;
      // start, ready, stable, Luis's smoke pass, 10 ms apart: the first three fill the thread's
      // second (3 updates and 3 replies, and the on-call card), so Luis's tracker update waits for
      // the tracker's second to pass while his reply goes first, at 101,000.
      await play(burstAt(conversationId, 100_000).slice(0, 4), () => true, 101_010);
      expect(repliesIn(h.connector.calls.slice(before), conversationId)).toHaveLength(4);
      expect(phaseRows(latestCardOf(h, tracker))).toContain('⏳ Smoke tests (0 of 2 passed)');

      // The bot stops with the update still in the environment's outbox; the next one delivers it.
      await h.restart();
      await play([], () => phaseRows(latestCardOf(h, tracker)).some((row) => row.startsWith('⏳ Smoke tests (1 of 2')));
      const calls = h.connector.calls.slice(before);
      const updates = updatesOf(calls, tracker);
      expect(updates).toHaveLength(4);
      expect(repliesIn(calls, conversationId)).toHaveLength(4); // no reply repeated
      expect(h.connector.throttled).toEqual([]);
    });
  });
});
