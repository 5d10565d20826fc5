import fc from 'fast-check';
import { DeliveryMetrics, MetricDeployment, MetricsPeriod, computeMetrics } from '../../src/domain/metrics';
import { generateHistory } from '../helpers/deployment-history';

// The DORA figures on histories whose answers are known: a small one worked by hand, a seeded one of
// 60 deployments checked against a brute-force reading of the definitions, and random ones
// (fast-check) where the same oracle must agree.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const APRIL: MetricsPeriod = {
  from: new Date('2026-04-01T04:00:00Z'),
  to: new Date('2026-04-30T04:00:00Z'),
  failureWindowDays: 7,
  timeZone: 'America/New_York',
};

const d = (id: string, fields: Partial<MetricDeployment>): MetricDeployment => ({ id, environment: 'prod', outcome: 'live', bugsAt: [], ...fields });

describe('the DORA figures of a small history worked by hand', () => {
  const history = [
    d('a', { liveAt: '2026-04-01T06:00:00Z', rcCutAt: '2026-03-28T06:00:00Z' }),
    d('b', { outcome: 'aborted', abortedAt: '2026-04-05T03:00:00Z', rcCutAt: '2026-04-01T00:00:00Z' }),
    d('c', { liveAt: '2026-04-06T03:00:00Z', rcCutAt: '2026-04-04T03:00:00Z', bugsAt: ['2026-04-10T03:00:00Z'], firstCommitAt: '2026-03-27T03:00:00Z' }),
    d('d', { environment: 'staging', liveAt: '2026-04-08T03:00:00Z', rcCutAt: '2026-04-07T03:00:00Z', bugsAt: ['2026-04-20T03:00:00Z'] }),
    d('e', { liveAt: '2026-04-12T03:00:00Z', rcCutAt: '2026-04-11T03:00:00Z' }),
    d('f', { outcome: 'cancelled' }),
    d('g', { outcome: 'active' }),
    d('old', { liveAt: '2026-03-20T03:00:00Z', rcCutAt: '2026-03-01T03:00:00Z' }),
  ];
  const april = computeMetrics(history, APRIL);

  test('deployment frequency: live deployments in the period, per week', () => {
    expect(april.live).toBe(4);
    expect(april.days).toBe(29);
    expect(april.perWeek).toBeCloseTo((4 / 29) * 7, 10);
  });

  test('lead time: the median from RC cut to live (4 d, 2 d, 1 d, 1 d → 1.5 d), and from first commit where known', () => {
    expect(april.rcToLive).toEqual({ count: 4, medianMs: 1.5 * DAY });
    expect(april.commitToLive).toEqual({ count: 1, medianMs: 10 * DAY });
  });

  test('change failure rate: b aborted, c had a bug within 7 days, d only after 12; cancelled and active ones do not count', () => {
    expect([april.finished, april.failed, april.changeFailureRate]).toEqual([5, 2, 0.4]);
  });

  test('time to restore: b → c 24 h, c’s bug → e 48 h; median 36 h', () => {
    expect(april.timeToRestore).toEqual({ count: 2, medianMs: 36 * HOUR });
    expect(april.unrestored).toBe(0);
  });

  test('per environment, and a failure nothing has restored yet', () => {
    const staging = computeMetrics(history, { ...APRIL, environment: 'staging', failureWindowDays: 14 });
    expect([staging.live, staging.failed, staging.changeFailureRate, staging.timeToRestore, staging.unrestored]).toEqual([1, 1, 1, undefined, 1]);
  });

  test('the chart counts each month in the zone, failures apart', () => {
    const months = computeMetrics(history, { ...APRIL, from: new Date('2026-02-01T05:00:00Z') }).months;
    expect(months).toEqual([
      { month: '2026-02', finished: 0, failed: 0 },
      { month: '2026-03', finished: 1, failed: 0 },
      { month: '2026-04', finished: 5, failed: 2 },
    ]);
    // 2026-04-01T02:00Z is still 31 March in New York.
    const edge = computeMetrics([d('x', { liveAt: '2026-04-01T02:00:00Z' })], { ...APRIL, from: new Date('2026-03-01T05:00:00Z') }).months;
    expect(edge).toEqual([
      { month: '2026-03', finished: 1, failed: 0 },
      { month: '2026-04', finished: 0, failed: 0 },
    ]);
  });

  test('nothing in the period: no rates or medians, not zeros', () => {
    const empty = computeMetrics([], APRIL);
    expect([empty.live, empty.perWeek, empty.rcToLive, empty.changeFailureRate, empty.timeToRestore]).toEqual([0, 0, undefined, undefined, undefined]);
  });
});

/** The definitions read literally, in quadratic time: the oracle the module must agree with. */
function oracle(history: readonly MetricDeployment[], period: MetricsPeriod) {
  const [from, to] = [period.from.getTime(), period.to.getTime()];
  const within = (iso?: string) => iso !== undefined && Date.parse(iso) >= from && Date.parse(iso) <= to;
  const scoped = history.filter((x) => !period.environment || x.environment === period.environment);
  const live = scoped.filter((x) => x.outcome === 'live' && within(x.liveAt));
  const finished = scoped.filter((x) => (x.outcome === 'live' && within(x.liveAt)) || (x.outcome === 'aborted' && within(x.abortedAt)));
  const failureAt = (x: MetricDeployment): number | undefined => {
    if (x.outcome === 'aborted') return Date.parse(x.abortedAt!);
    const liveAt = Date.parse(x.liveAt!);
    const bugs = x.bugsAt.map(Date.parse).filter((b) => b >= liveAt && b <= liveAt + period.failureWindowDays * DAY);
    return bugs.length ? Math.min(...bugs) : undefined;
  };
  const failures = finished.map(failureAt).flatMap((at, i) => (at === undefined ? [] : [{ at, env: finished[i]!.environment }]));
  const restores: number[] = [];
  let unrestored = 0;
  for (const f of failures) {
    const next = scoped.filter((x) => x.outcome === 'live' && x.environment === f.env && Date.parse(x.liveAt!) > f.at).map((x) => Date.parse(x.liveAt!));
    if (next.length === 0) unrestored += 1;
    else restores.push(Math.min(...next) - f.at);
  }
  const median = (values: number[]) => {
    if (values.length === 0) return undefined;
    const s = [...values].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  };
  return {
    live: live.length,
    finished: finished.length,
    failed: failures.length,
    leadMedian: median(live.filter((x) => x.rcCutAt).map((x) => Date.parse(x.liveAt!) - Date.parse(x.rcCutAt!))),
    commitMedian: median(live.filter((x) => x.firstCommitAt).map((x) => Date.parse(x.liveAt!) - Date.parse(x.firstCommitAt!))),
    restoreMedian: median(restores),
    unrestored,
  };
}

function summaryOf(m: DeliveryMetrics) {
  return {
    live: m.live,
    finished: m.finished,
    failed: m.failed,
    leadMedian: m.rcToLive?.medianMs,
    commitMedian: m.commitToLive?.medianMs,
    restoreMedian: m.timeToRestore?.medianMs,
    unrestored: m.unrestored,
  };
}

describe('a generated history of 60 deployments (seeded)', () => {
  const history = generateHistory(60, 20260414);
  const period: MetricsPeriod = { from: new Date('2025-11-01T04:00:00Z'), to: new Date('2026-06-01T04:00:00Z'), failureWindowDays: 7, timeZone: 'America/New_York' };

  test('has what the figures need: live, aborted and cancelled deployments, bugs inside and outside the window, two environments', () => {
    expect(history).toHaveLength(60);
    const outcomes = new Set(history.map((x) => x.outcome));
    expect([...outcomes].sort()).toEqual(['aborted', 'cancelled', 'live']);
    expect(new Set(history.map((x) => x.environment)).size).toBe(2);
    const bugGaps = history.filter((x) => x.bugsAt.length).map((x) => (Date.parse(x.bugsAt[0]!) - Date.parse(x.liveAt!)) / DAY);
    expect(bugGaps.some((gap) => gap <= 7) && bugGaps.some((gap) => gap > 7)).toBe(true);
  });

  test('agrees with the definitions read literally, overall and per environment, for several failure windows', () => {
    for (const environment of [undefined, 'bxci-production', 'bxci-staging']) {
      for (const failureWindowDays of [1, 7, 14]) {
        const scoped = { ...period, environment, failureWindowDays };
        expect(summaryOf(computeMetrics(history, scoped))).toEqual(oracle(history, scoped));
      }
    }
  });

  test('every month of the period has a bar, and the bars add up to the finished deployments', () => {
    const metrics = computeMetrics(history, period);
    expect(metrics.months.map((m) => m.month)).toEqual(['2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06']);
    expect(metrics.months.reduce((n, m) => n + m.finished, 0)).toBe(metrics.finished);
    expect(metrics.months.reduce((n, m) => n + m.failed, 0)).toBe(metrics.failed);
    expect(metrics.finished).toBeGreaterThanOrEqual(50);
  });

  test('is the same for the same history, whatever its order', () => {
    const reversed = [...history].reverse();
    expect(computeMetrics(reversed, period)).toEqual(computeMetrics(history, period));
  });
});

describe('random histories (fast-check)', () => {
  const base = Date.parse('2026-01-01T00:00:00Z');
  const instant = fc.integer({ min: 0, max: 120 * 24 * 60 }).map((minutes) => new Date(base + minutes * 60_000).toISOString());
  const deployment = fc
    .record({
      environment: fc.constantFrom('prod', 'staging'),
      outcome: fc.constantFrom('live', 'live', 'aborted', 'cancelled', 'active'),
      at: instant,
      bugs: fc.array(fc.integer({ min: -2 * 24 * 60, max: 20 * 24 * 60 }), { maxLength: 3 }),
      leadMinutes: fc.option(fc.integer({ min: 0, max: 30 * 24 * 60 })),
      commitMinutes: fc.option(fc.integer({ min: 0, max: 60 * 24 * 60 })),
    })
    .map(({ environment, outcome, at, bugs, leadMinutes, commitMinutes }) => {
      const ms = Date.parse(at);
      const iso = (delta: number) => new Date(ms + delta * 60_000).toISOString();
      return {
        environment,
        outcome,
        ...(outcome === 'live' ? { liveAt: at } : {}),
        ...(outcome === 'aborted' ? { abortedAt: at } : {}),
        bugsAt: outcome === 'live' ? bugs.map(iso) : [],
        ...(leadMinutes === null ? {} : { rcCutAt: iso(-leadMinutes) }),
        ...(commitMinutes === null ? {} : { firstCommitAt: iso(-commitMinutes) }),
      } as Omit<MetricDeployment, 'id'>;
    });
  const history = fc.array(deployment, { maxLength: 80 }).map((list) => list.map((x, i) => ({ ...x, id: `d${i}` }) as MetricDeployment));

  test('agree with the definitions read literally', () => {
    fc.assert(
      fc.property(history, fc.integer({ min: 1, max: 30 }), fc.constantFrom(undefined, 'prod'), (list, failureWindowDays, environment) => {
        const period: MetricsPeriod = { from: new Date('2026-01-20T00:00:00Z'), to: new Date('2026-04-10T00:00:00Z'), failureWindowDays, environment, timeZone: 'UTC' };
        expect(summaryOf(computeMetrics(list, period))).toEqual(oracle(list, period));
      }),
      { seed: 1414, numRuns: 300 },
    );
  });

  test('a longer failure window never lowers the change failure rate', () => {
    fc.assert(
      fc.property(history, fc.integer({ min: 1, max: 20 }), (list, days) => {
        const period: MetricsPeriod = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-05-01T00:00:00Z'), failureWindowDays: days, timeZone: 'UTC' };
        expect(computeMetrics(list, { ...period, failureWindowDays: days + 5 }).failed).toBeGreaterThanOrEqual(computeMetrics(list, period).failed);
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});
