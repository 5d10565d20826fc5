import { LoggedDeployment } from '../../src/app/deployment-log';
import { MetricDeployment } from '../../src/domain/metrics';
import { DeploymentState } from '../../src/domain/types';

// A generated deployment history for the metrics: seeded, so every run sees the same one. Each
// deployment goes live (most), is aborted or cancelled; some live ones get a bug days later; some
// releases came from GitHub and know their first commit.

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const ENVIRONMENTS = [
  { key: 'bxci-production', name: 'BXCI Production' },
  { key: 'bxci-staging', name: 'BXCI Staging' },
];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface GeneratedDeployment extends MetricDeployment {
  readonly version: string;
  readonly scheduledAt: string;
  readonly windowStart: string;
}

export function generateHistory(count: number, seed: number, start = new Date('2025-11-03T03:00:00Z')): GeneratedDeployment[] {
  const random = seeded(seed);
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const iso = (ms: number) => new Date(ms).toISOString();
  const history: GeneratedDeployment[] = [];
  let at = start.getTime();
  for (let i = 0; i < count; i++) {
    at += between(1, 5) * DAY + between(0, 3) * HOUR;
    const environment = ENVIRONMENTS[random() < 0.6 ? 0 : 1]!.key;
    const roll = random();
    const outcome = roll < 0.12 ? 'aborted' : roll < 0.17 ? 'cancelled' : 'live';
    const rcCutAt = at - between(1, 12) * DAY - between(0, 23) * HOUR;
    const finishedAt = at + between(40, 150) * 60_000;
    const bugs = outcome === 'live' && random() < 0.25 ? [iso(finishedAt + between(1, 14 * 24) * HOUR)] : [];
    history.push({
      id: `2026.${1 + (i % 12)}.${i}@${environment}.1`,
      version: `2026.${1 + (i % 12)}.${i}`,
      environment,
      outcome,
      scheduledAt: iso(at - 2 * DAY),
      windowStart: iso(at),
      ...(outcome === 'live' ? { liveAt: iso(finishedAt) } : {}),
      ...(outcome === 'aborted' ? { abortedAt: iso(finishedAt) } : {}),
      bugsAt: bugs,
      rcCutAt: iso(rcCutAt),
      ...(random() < 0.5 ? { firstCommitAt: iso(rcCutAt - between(2, 20) * DAY) } : {}),
    });
  }
  return history;
}

/** The generated deployment as the deployment log stores it (state, events left out: metrics read the state). */
export function asLogged(d: GeneratedDeployment): LoggedDeployment {
  const environment = ENVIRONMENTS.find((e) => e.key === d.environment)!;
  const finished = d.liveAt ?? d.abortedAt ?? d.scheduledAt;
  const state: DeploymentState = {
    id: d.id,
    version: d.version,
    hotfix: false,
    environment,
    window: { start: d.windowStart, end: new Date(Date.parse(d.windowStart) + 90 * 60_000).toISOString() },
    scheduledBy: '00000000-0000-0000-0000-0000000000a3',
    engineer: '00000000-0000-0000-0000-0000000000a5',
    validators: ['00000000-0000-0000-0000-0000000000a1'],
    phase: d.outcome === 'active' ? 'scheduled' : d.outcome,
    phaseAt: {
      scheduled: d.scheduledAt,
      ...(d.outcome !== 'cancelled' ? { 'in-progress': d.windowStart } : {}),
      ...(d.liveAt ? { live: d.liveAt } : {}),
      ...(d.abortedAt ? { aborted: d.abortedAt } : {}),
      ...(d.outcome === 'cancelled' ? { cancelled: finished } : {}),
    },
    smoke: [],
    bugs: d.bugsAt.map((at) => ({ title: 'Generated bug', at, by: '00000000-0000-0000-0000-0000000000a2' })),
    revision: 5,
  };
  return { state, events: [], posts: {}, releaseTimes: { rcCutAt: d.rcCutAt, ...(d.firstCommitAt ? { firstCommitAt: d.firstCommitAt } : {}) } };
}
