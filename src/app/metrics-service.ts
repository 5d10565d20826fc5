import { zonedTimeToUtc, utcToZonedTime } from '../domain/business-hours';
import { DeliveryMetrics, MetricDeployment, computeMetrics } from '../domain/metrics';
import { EnvironmentRef } from '../domain/types';
import { DeploymentLog, LoggedDeployment, ReleaseTimes, monthsBetween, releaseTimesOf } from './deployment-log';
import { DeploymentService } from './deployment-service';
import { ReleaseService } from './release-service';

// `metrics [environment] [since <date>]`: the deployment log of each month in the period plus the
// environments' own documents (deployments that finished moments ago may not be logged yet), turned
// into the DORA figures by domain/metrics.ts. Reads: one per environment and month, plus one per
// release of a deployment the log has not caught up with.

export interface MetricsServiceOptions {
  readonly releases: ReleaseService;
  readonly deployments: DeploymentService;
  readonly log: DeploymentLog;
  readonly environments: readonly EnvironmentRef[];
  readonly failureWindowDays: number;
  /** Months shown when no `since` is given, this one included. */
  readonly defaultMonths: number;
  readonly timeZone: string;
  readonly now: () => Date;
}

export interface MetricsAnswer {
  readonly metrics: DeliveryMetrics;
  readonly from: Date;
  readonly to: Date;
  readonly environment?: EnvironmentRef;
  readonly failureWindowDays: number;
}

export class MetricsService {
  constructor(private readonly options: MetricsServiceOptions) {}

  async metrics(request: { readonly environment?: EnvironmentRef; readonly since?: Date }): Promise<MetricsAnswer> {
    const { environments, log, deployments, timeZone, failureWindowDays } = this.options;
    const to = this.options.now();
    const from = request.since ?? this.defaultStart(to);
    // The log is kept by UTC month; a day's margin catches the zone's month edges.
    const months = monthsBetween(new Date(from.getTime() - 86_400_000), to);
    const scope = request.environment ? [request.environment] : environments;
    const [logged, current] = await Promise.all([
      Promise.all(scope.map((environment) => log.read(environment.key, months))).then((lists) => lists.flat()),
      deployments.all(),
    ]);
    const times = new Map<string, ReleaseTimes>(logged.map((d) => [d.state.id, d.releaseTimes ?? {}]));
    const byId = new Map<string, LoggedDeployment>(logged.map((d) => [d.state.id, d]));
    for (const record of current) byId.set(record.state.id, { ...record, releaseTimes: times.get(record.state.id) });
    const records = [...byId.values()];
    const missing = [...new Set(records.filter((d) => !d.releaseTimes && d.state.phase === 'live').map((d) => d.state.version))];
    const fetched = new Map(await Promise.all(missing.map(async (version) => [version, releaseTimesOf(await this.options.releases.document(version))] as const)));
    const facts: MetricDeployment[] = records.map((record) => {
      const { state } = record;
      const release = record.releaseTimes ?? fetched.get(state.version) ?? {};
      return {
        id: state.id,
        environment: state.environment.key,
        outcome: state.phase === 'live' || state.phase === 'aborted' || state.phase === 'cancelled' ? state.phase : 'active',
        liveAt: state.phaseAt.live,
        abortedAt: state.phaseAt.aborted,
        bugsAt: state.bugs.map((bug) => bug.at),
        rcCutAt: release.rcCutAt,
        firstCommitAt: release.firstCommitAt,
      };
    });
    const metrics = computeMetrics(facts, { from, to, environment: request.environment?.key, failureWindowDays, timeZone });
    return { metrics, from, to, environment: request.environment, failureWindowDays };
  }

  /** Midnight on the first day of the month `defaultMonths - 1` months before this one, in the zone. */
  private defaultStart(now: Date): Date {
    const local = utcToZonedTime(now, this.options.timeZone);
    const index = local.year * 12 + (local.month - 1) - (this.options.defaultMonths - 1);
    const resolved = zonedTimeToUtc({ year: Math.floor(index / 12), month: (index % 12) + 1, day: 1, hour: 0, minute: 0 }, this.options.timeZone);
    return resolved.kind === 'exact' ? resolved.instant : resolved.kind === 'ambiguous' ? resolved.earlier : resolved.shifted;
  }
}
