import { MetricsAnswer } from '../app/metrics-service';
import { utcToZonedTime } from '../domain/business-hours';
import { DurationSummary } from '../domain/metrics';
import { CardStyle, MetricsBarSegment, MetricsCardData, MetricsMonthRow } from './card-data';

// `metrics`: the four DORA figures, a bar per month (weighted ColumnSet columns: Teams' Chart.*
// elements are not in the 1.5 schema the cards are validated against) and, on the card itself,
// how each figure is counted.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function metricsDefinitions(failureWindowDays: number): string[] {
  return [
    'Deployment frequency: deployments that went live in the period, per week.',
    'Lead time for changes: median time from the cut of the RC that was promoted to the moment it went live; and from the oldest commit since the previous release tag, for RCs cut from GitHub.',
    `Change failure rate: of the deployments that went live or were aborted in the period, the share aborted or with a bug reported within ${failureWindowDays} days of going live.`,
    'Time to restore: median time from a failure (the abort, or the first such bug) to the next deployment that went live in the same environment.',
  ];
}

export function metricsCardData(answer: MetricsAnswer, timeZone: string): MetricsCardData {
  const { metrics: m, failureWindowDays } = answer;
  const scope = answer.environment?.name ?? 'all environments';
  const rate = m.changeFailureRate;
  const commit = m.commitToLive ? `; from the first commit ${duration(m.commitToLive)} (${m.commitToLive.count})` : '; from the first commit: not known (no RC came from GitHub)';
  const max = Math.max(0, ...m.months.map((month) => month.finished));
  return {
    title: `Delivery metrics · ${scope}`,
    periodText: `${dateText(answer.from, timeZone)} – ${dateText(answer.to, timeZone)} (${m.days} days)`,
    figures: [
      {
        id: 'frequency',
        name: 'Deployment frequency',
        value: `${m.perWeek.toFixed(1)} a week`,
        detail: `${m.live} deployment${m.live === 1 ? '' : 's'} went live in ${m.days} days`,
        style: 'default',
      },
      {
        id: 'lead-time',
        name: 'Lead time for changes',
        value: m.rcToLive ? duration(m.rcToLive) : '—',
        detail: m.rcToLive ? `median from RC cut to live over ${m.rcToLive.count} deployment${m.rcToLive.count === 1 ? '' : 's'}${commit}` : 'nothing went live in the period',
        style: 'default',
      },
      {
        id: 'change-failure-rate',
        name: 'Change failure rate',
        value: rate === undefined ? '—' : `${Math.round(rate * 100)}%`,
        detail:
          rate === undefined
            ? 'no deployment went live or was aborted in the period'
            : `${m.failed} of ${m.finished} aborted or with a bug within ${failureWindowDays} days`,
        style: rateStyle(rate),
      },
      {
        id: 'time-to-restore',
        name: 'Time to restore',
        value: m.timeToRestore ? duration(m.timeToRestore) : '—',
        detail:
          (m.timeToRestore ? `median over ${m.timeToRestore.count} restored failure${m.timeToRestore.count === 1 ? '' : 's'}` : 'no failure was restored in the period') +
          (m.unrestored > 0 ? `; ${m.unrestored} not yet followed by a live deployment` : ''),
        style: m.unrestored > 0 ? 'warning' : 'default',
      },
    ],
    chartTitle: 'Deployments finished per month',
    months: m.months.map((month): MetricsMonthRow => ({
      label: monthLabel(month.month),
      bars: bars(month.finished - month.failed, month.failed, max),
      count: `${month.finished}${month.failed > 0 ? ` · ${month.failed} failed` : ''}`,
    })),
    legend: 'Green: went live without a failure. Red: aborted, or a bug within the window.',
    definitions: metricsDefinitions(failureWindowDays),
    fallbackText:
      `Delivery metrics (${scope}): ${m.perWeek.toFixed(1)} deployments a week, lead time ${m.rcToLive ? duration(m.rcToLive) : '—'}, ` +
      `change failure rate ${rate === undefined ? '—' : `${Math.round(rate * 100)}%`}, time to restore ${m.timeToRestore ? duration(m.timeToRestore) : '—'}`,
  };
}

/** "45 min", "5 h 20 min", "3 d 4 h": the median, to the precision a person reads. */
export function duration(summary: DurationSummary): string {
  const minutes = Math.round(summary.medianMs / 60_000);
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) {
    const [h, min] = [Math.floor(minutes / 60), minutes % 60];
    return min === 0 ? `${h} h` : `${h} h ${min} min`;
  }
  const hours = Math.round(minutes / 60);
  const [d, h] = [Math.floor(hours / 24), hours % 24];
  return h === 0 ? `${d} d` : `${d} d ${h} h`;
}

function bars(ok: number, failed: number, max: number): MetricsBarSegment[] {
  const segments: MetricsBarSegment[] = [
    { weight: String(ok), style: 'good' as const },
    { weight: String(failed), style: 'attention' as const },
    { weight: String(max - ok - failed), style: 'default' as const },
  ].filter((segment) => segment.weight !== '0');
  return segments.length > 0 ? segments : [{ weight: '1', style: 'default' }];
}

/** The value's background, so a rising rate stands out: green up to 15%, amber up to 30%, red above. */
function rateStyle(rate: number | undefined): CardStyle {
  if (rate === undefined) return 'default';
  return rate <= 0.15 ? 'good' : rate <= 0.3 ? 'warning' : 'attention';
}

function monthLabel(month: string): string {
  const [year, number] = month.split('-');
  return `${MONTHS[Number(number) - 1]} ${year}`;
}

function dateText(date: Date, timeZone: string): string {
  const local = utcToZonedTime(date, timeZone);
  return `${local.day} ${MONTHS[local.month - 1]} ${local.year}`;
}
