import { utcToZonedTime } from './business-hours';

// The four DORA figures, from the bot's own records of deployments. Pure: the caller passes the
// deployments, the period and the zone; nothing is read or timed here. Definitions (also on the
// card and in the README):
//
// - Deployment frequency: deployments that went live in the period, per week.
// - Lead time for changes: for each of those, from the cut of the RC that was promoted to the
//   moment it went live (and from the oldest commit since the previous release tag, when the RC
//   came from GitHub); the median.
// - Change failure rate: of the deployments that finished in the period (went live or were
//   aborted; cancelled ones never started), the share that were aborted or had a bug reported
//   within `failureWindowDays` of going live.
// - Time to restore: from each such failure (the abort, or the first bug report) to the next
//   deployment that went live in the same environment; the median. Failures not yet followed by
//   one are counted as open.

export interface MetricDeployment {
  readonly id: string;
  /** Environment key. */
  readonly environment: string;
  readonly outcome: 'live' | 'aborted' | 'cancelled' | 'active';
  readonly liveAt?: string;
  readonly abortedAt?: string;
  /** When each bug was reported against it. */
  readonly bugsAt: readonly string[];
  /** Cut of the RC that was promoted into the deployed release. */
  readonly rcCutAt?: string;
  /** Oldest commit since the previous release tag (RCs cut from GitHub). */
  readonly firstCommitAt?: string;
}

export interface MetricsPeriod {
  readonly from: Date;
  readonly to: Date;
  /** Only this environment; all when absent. */
  readonly environment?: string;
  /** A bug reported this many days after going live still counts against the deployment. */
  readonly failureWindowDays: number;
  /** IANA zone the months of the chart are counted in. */
  readonly timeZone: string;
}

/** Milliseconds, summarised. */
export interface DurationSummary {
  readonly count: number;
  readonly medianMs: number;
}

export interface MonthBar {
  /** "2026-04" */
  readonly month: string;
  /** Deployments that finished (live or aborted) that month. */
  readonly finished: number;
  /** Of those, change failures. */
  readonly failed: number;
}

export interface DeliveryMetrics {
  readonly days: number;
  readonly live: number;
  readonly perWeek: number;
  readonly rcToLive?: DurationSummary;
  readonly commitToLive?: DurationSummary;
  readonly finished: number;
  readonly failed: number;
  /** failed ÷ finished; undefined when nothing finished. */
  readonly changeFailureRate?: number;
  readonly timeToRestore?: DurationSummary;
  /** Failures in the period not yet followed by a live deployment in their environment. */
  readonly unrestored: number;
  readonly months: readonly MonthBar[];
}

const DAY_MS = 86_400_000;

export function computeMetrics(all: readonly MetricDeployment[], period: MetricsPeriod): DeliveryMetrics {
  const [from, to] = [period.from.getTime(), period.to.getTime()];
  const windowMs = period.failureWindowDays * DAY_MS;
  const scoped = all.filter((d) => !period.environment || d.environment === period.environment);
  const inPeriod = (iso: string | undefined) => iso !== undefined && Date.parse(iso) >= from && Date.parse(iso) <= to;

  const live = scoped.filter((d) => d.outcome === 'live' && inPeriod(d.liveAt));
  const finished = scoped.filter((d) => (d.outcome === 'live' && inPeriod(d.liveAt)) || (d.outcome === 'aborted' && inPeriod(d.abortedAt)));
  const failures = finished.flatMap((d) => {
    const at = failureMoment(d, windowMs);
    return at === undefined ? [] : [{ deployment: d, at }];
  });

  // Each environment's go-lives, in time order, so each failure finds the next one by binary search: n log n in all.
  const livesByEnvironment = new Map<string, number[]>();
  for (const d of scoped) {
    if (d.outcome !== 'live' || !d.liveAt) continue;
    const list = livesByEnvironment.get(d.environment) ?? [];
    list.push(Date.parse(d.liveAt));
    livesByEnvironment.set(d.environment, list);
  }
  for (const list of livesByEnvironment.values()) list.sort((a, b) => a - b);
  const restores: number[] = [];
  let unrestored = 0;
  for (const failure of failures) {
    const next = firstAfter(livesByEnvironment.get(failure.deployment.environment) ?? [], failure.at);
    if (next === undefined) unrestored += 1;
    else restores.push(next - failure.at);
  }

  const days = Math.max(1, (to - from) / DAY_MS);
  const durations = (start: (d: MetricDeployment) => string | undefined) =>
    summarise(live.flatMap((d) => {
      const began = start(d);
      return began ? [Date.parse(d.liveAt!) - Date.parse(began)] : [];
    }));
  const failedIds = new Set(failures.map((f) => f.deployment.id));
  return {
    days: Math.round(days),
    live: live.length,
    perWeek: (live.length / days) * 7,
    rcToLive: durations((d) => d.rcCutAt),
    commitToLive: durations((d) => d.firstCommitAt),
    finished: finished.length,
    failed: failures.length,
    changeFailureRate: finished.length > 0 ? failures.length / finished.length : undefined,
    timeToRestore: summarise(restores),
    unrestored,
    months: monthBars(finished, failedIds, period),
  };
}

/** When a finished deployment counts as failed: its abort, or the first bug within the window after it went live. */
export function failureMoment(d: MetricDeployment, windowMs: number): number | undefined {
  if (d.outcome === 'aborted') return d.abortedAt ? Date.parse(d.abortedAt) : undefined;
  if (d.outcome !== 'live' || !d.liveAt) return undefined;
  const liveAt = Date.parse(d.liveAt);
  const bugs = d.bugsAt.map((at) => Date.parse(at)).filter((at) => at >= liveAt && at - liveAt <= windowMs);
  return bugs.length > 0 ? Math.min(...bugs) : undefined;
}

/** The median of the values, or undefined for none. */
export function summarise(values: readonly number[]): DurationSummary | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const medianMs = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { count: sorted.length, medianMs };
}

function firstAfter(sorted: readonly number[], at: number): number | undefined {
  let [low, high] = [0, sorted.length];
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid]! > at) high = mid;
    else low = mid + 1;
  }
  return sorted[low];
}

function monthBars(finished: readonly MetricDeployment[], failedIds: ReadonlySet<string>, period: MetricsPeriod): MonthBar[] {
  const monthOf = (date: Date) => {
    const local = utcToZonedTime(date, period.timeZone);
    return `${local.year}-${String(local.month).padStart(2, '0')}`;
  };
  const bars = new Map<string, { finished: number; failed: number }>();
  const first = utcToZonedTime(period.from, period.timeZone);
  const last = monthOf(period.to);
  let [year, month] = [first.year, first.month];
  for (;;) {
    const key = `${year}-${String(month).padStart(2, '0')}`;
    bars.set(key, { finished: 0, failed: 0 });
    if (key >= last) break;
    [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
  }
  for (const d of finished) {
    const bar = bars.get(monthOf(new Date((d.outcome === 'live' ? d.liveAt : d.abortedAt)!)));
    if (!bar) continue;
    bar.finished += 1;
    if (failedIds.has(d.id)) bar.failed += 1;
  }
  return [...bars.entries()].map(([month, bar]) => ({ month, ...bar }));
}
