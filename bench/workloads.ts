import { performance } from 'node:perf_hooks';
import { ECHO_CHANNEL, ENGINEERING, ExampleConfig, channelMessage } from './activities';
import { CountingConnector, ThreadPost } from './connector';
import { LoopResult, Poster, closedLoop, percentile } from './load';

// The two workloads: echo messages to the bare echo bot, and approval commands to @lendos. Each
// phase is timed from its first request until the connector has received everything the bot was
// asked to post, so it measures delivered work, not accepted requests.

export interface PhaseResult {
  readonly label: string;
  readonly sent: number;
  readonly failed: number;
  readonly firstFailure?: string;
  readonly seconds: number;
  /** Delivered per second: sent and answered, every outbound post and card update received. */
  readonly perSecond: number;
  readonly answerP50Ms: number;
  readonly answerP99Ms: number;
  /** Command sent → its thread reply received by the connector (approvals only). */
  readonly deliveredP50Ms?: number;
  readonly deliveredP99Ms?: number;
  readonly refused?: number;
  readonly refusalSample?: string;
  /** Card updates received vs. accepted commands (the outbox coalesces refreshes). */
  readonly cardUpdates?: number;
  /** CPU time of the bot process per message or command in this phase, ms. */
  readonly botCpuMsPerItem?: number;
  /** CPU time of the benchmark process (load + connector) per message or command, ms. */
  readonly benchCpuMsPerItem?: number;
}

export async function runEcho(options: {
  readonly poster: Poster;
  readonly connector: CountingConnector;
  readonly example: ExampleConfig;
  readonly label: string;
  readonly total: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
}): Promise<PhaseResult> {
  const { poster, connector, example, total, concurrency } = options;
  const jake = example.person('jake');
  const base = connector.totals.texts;
  const loop = await closedLoop({
    total,
    concurrency,
    deadlineMs: options.timeoutMs,
    task: async (index) => {
      const body = channelMessage({
        person: jake,
        conversationId: `${ECHO_CHANNEL};messageid=${index % concurrency}`,
        serviceUrl: connector.url,
        tenantId: example.tenantId,
        text: `echo ${index}`,
      });
      const answer = await poster.post('/api/messages', body);
      if (answer.status >= 300) throw new Error(`echo bot answered ${answer.status}: ${answer.body.slice(0, 200)}`);
    },
  });
  const expected = base + loop.sent - loop.failed;
  const deliveredAt = await connector.until(() => connector.totals.texts >= expected, `${loop.sent} echo replies`, options.timeoutMs);
  return phase(options.label, loop, deliveredAt);
}

/** A release the benchmark cut, and Luis's decision on its rc.1 as the bot last accepted it. */
export interface BenchRelease {
  readonly version: string;
  readonly rcVersion: string;
  readonly thread: ThreadPost;
  approved: boolean;
}

export class ApprovalWorkload {
  private cursor = 0;

  constructor(
    private readonly poster: Poster,
    private readonly connector: CountingConnector,
    private readonly example: ExampleConfig,
  ) {}

  /**
   * Jake cuts `count` RCs (`rc 2026.<m>.<p>-rc.1` with a notes link), each in a new root post of
   * #engineering; resolves when every thread was created and every cut acknowledged (the ack is
   * posted after the thread is indexed, so `approve rc.1` in the thread resolves from then on).
   */
  async cutReleases(count: number, firstIndex: number, timeoutMs: number): Promise<BenchRelease[]> {
    const jake = this.example.person('jake');
    const versions = Array.from({ length: count }, (_, i) => {
      const n = firstIndex + i;
      return `2026.${1 + (n % 12)}.${Math.floor(n / 12)}`;
    });
    const origins = versions.map((version) => `${ENGINEERING};messageid=cut-${version}`);
    // Gentle on purpose: every cut also rewrites the shared release index document.
    const loop = await closedLoop({
      total: count,
      concurrency: 4,
      deadlineMs: timeoutMs,
      task: async (i) => {
        const version = versions[i]!;
        const body = channelMessage({
          person: jake,
          conversationId: origins[i]!,
          serviceUrl: this.connector.url,
          tenantId: this.example.tenantId,
          text: `rc ${version}-rc.1 features: bench feature ${i}; fixes: bench fix ${i} notes: https://notes.example/${version}`,
        });
        const answer = await this.poster.post('/api/messages', body);
        if (answer.status >= 300) throw new Error(`rc cut answered ${answer.status}: ${answer.body.slice(0, 200)}`);
      },
    });
    if (loop.failed > 0) throw new Error(`cutting RCs failed: ${loop.firstFailure}`);
    await this.connector.until(
      () => versions.every((v, i) => this.connector.threads.has(`${v}-rc.1`) && this.connector.counts(origins[i]!).texts + this.connector.counts(origins[i]!).cards > 0),
      `${count} RC threads and their acknowledgements`,
      timeoutMs,
    );
    const refusals = origins.map((o) => this.connector.counts(o).refusalSamples[0]).filter((sample) => sample !== undefined);
    if (refusals.length > 0) throw new Error(`the bot refused an RC cut: ${refusals[0]}`);
    return versions.map((version) => ({ version, rcVersion: `${version}-rc.1`, thread: this.connector.threads.get(`${version}-rc.1`)!, approved: false }));
  }

  /**
   * Luis alternately approves and revokes rc.1 in the releases' threads, `total` commands with
   * `concurrency` workers; a release is never sent a second command before the first was answered,
   * so each command applies to the state the previous one left (approve → revoke → approve …).
   * Done when every accepted command's thread reply arrived and every card shows the final state.
   */
  async run(releases: readonly BenchRelease[], options: { label: string; total: number; concurrency: number; timeoutMs: number }): Promise<PhaseResult> {
    if (releases.length < options.concurrency) throw new Error(`need at least as many releases (${releases.length}) as workers (${options.concurrency})`);
    const { connector, example } = this;
    const luis = example.person('luis');
    const start = this.cursor % releases.length;
    const idle = [...releases.slice(start), ...releases.slice(0, start)];
    this.cursor += options.total;
    const base = new Map(releases.map((r) => {
      const counts = connector.counts(r.thread.conversationId);
      return [r, { texts: counts.texts, revision: counts.cardRevision, updates: counts.updates }] as const;
    }));
    const acceptedAt = new Map<BenchRelease, number[]>(releases.map((r) => [r, []]));
    let refused = 0;
    let refusalSample: string | undefined;
    connector.trackTextArrivals(true);

    const loop = await closedLoop({
      total: options.total,
      concurrency: options.concurrency,
      deadlineMs: options.timeoutMs,
      task: async () => {
        const release = idle.shift()!;
        try {
          const counts = connector.counts(release.thread.conversationId);
          const refusalsBefore = counts.cards + counts.errors;
          const sentAt = performance.now();
          const body = channelMessage({
            person: luis,
            conversationId: release.thread.conversationId,
            serviceUrl: connector.url,
            tenantId: example.tenantId,
            text: `${release.approved ? 'revoke' : 'approve'} rc.1`,
          });
          const answer = await this.poster.post('/api/messages', body);
          if (answer.status >= 300) throw new Error(`bot answered ${answer.status}: ${answer.body.slice(0, 200)}`);
          // A refusal card (or an error apology) is posted in the turn, before the HTTP answer.
          if (counts.cards + counts.errors > refusalsBefore) {
            refused += 1;
            refusalSample ??= counts.refusalSamples[counts.refusalSamples.length - 1];
          } else {
            release.approved = !release.approved;
            acceptedAt.get(release)!.push(sentAt);
          }
        } finally {
          idle.push(release);
        }
      },
    });

    const expected = releases.map((r) => {
      const accepted = acceptedAt.get(r)!.length;
      const b = base.get(r)!;
      return { counts: connector.counts(r.thread.conversationId), texts: b.texts + accepted, revision: b.revision + accepted };
    });
    const deliveredAt = await connector.until(
      () => expected.every((e) => e.counts.texts >= e.texts && e.counts.cardRevision >= e.revision),
      `every thread reply and final card of "${options.label}"`,
      options.timeoutMs,
    );

    const delivered: number[] = [];
    let cardUpdates = 0;
    for (const r of releases) {
      const counts = connector.counts(r.thread.conversationId);
      const arrivals = counts.textTimes ?? [];
      acceptedAt.get(r)!.forEach((sentAt, i) => {
        if (arrivals[i] !== undefined) delivered.push(arrivals[i]! - sentAt);
      });
      cardUpdates += counts.updates - base.get(r)!.updates;
    }
    connector.trackTextArrivals(false);
    delivered.sort((a, b) => a - b);
    return {
      ...phase(options.label, loop, deliveredAt),
      deliveredP50Ms: percentile(delivered, 50),
      deliveredP99Ms: percentile(delivered, 99),
      refused,
      refusalSample,
      cardUpdates,
    };
  }
}

function phase(label: string, loop: LoopResult, deliveredAt: number): PhaseResult {
  // Done when the last answer came back and the last expected post arrived, whichever is later.
  const seconds = (Math.max(deliveredAt, loop.answeredAt) - loop.startedAt) / 1000;
  const done = loop.sent - loop.failed;
  return {
    label,
    sent: loop.sent,
    failed: loop.failed,
    firstFailure: loop.firstFailure,
    seconds,
    perSecond: done / seconds,
    answerP50Ms: percentile(loop.answerMs, 50),
    answerP99Ms: percentile(loop.answerMs, 99),
  };
}
