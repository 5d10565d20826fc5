import { isActiveDeployment } from '../domain/deployment';
import { DeploymentState, EnvironmentRef } from '../domain/types';
import { isBotError } from '../errors';
import { DocumentStore, StoredDocument } from '../store/document-store';
import { DeploymentRecord, ReleaseDocument, releaseKey } from './documents';

/** What the lead-time figures need from the release, read once when the deployment is logged. */
export interface ReleaseTimes {
  /** Cut of the RC that was promoted. */
  readonly rcCutAt?: string;
  /** Oldest commit since the previous release tag, for RCs cut from GitHub. */
  readonly firstCommitAt?: string;
}

export type LoggedDeployment = DeploymentRecord & { readonly releaseTimes?: ReleaseTimes };

/** The promoted RC's cut and first commit, from the release's state. */
export function releaseTimesOf(release: ReleaseDocument | undefined): ReleaseTimes {
  const promotion = release?.state.promotion;
  const rc = promotion ? release?.state.rcs.find((r) => r.number === promotion.rc) : undefined;
  if (!rc) return {};
  return { rcCutAt: rc.cutAt, ...(rc.contents.source?.firstCommitAt ? { firstCommitAt: rc.contents.source.firstCommitAt } : {}) };
}

// Every finished deployment, kept for good. An environment's document keeps only its active and
// last FINISHED_DEPLOYMENTS_KEPT finished deployments (so each command's write stays small), which
// is too little for DORA metrics or an old release's evidence. So once a deployment has finished
// (live, aborted, cancelled), the outbox copies its record into an append-only log: one document
// per environment per month of finishing. That is one more write per finished deployment (and per
// bug filed on one), delivered after the command's answer; commands themselves write nothing more.

export interface DeploymentLogDocument extends StoredDocument {
  readonly type: 'deploymentLog';
  readonly environment: EnvironmentRef;
  /** "2026-04": the UTC month the deployments in it finished. */
  readonly month: string;
  readonly deployments: readonly LoggedDeployment[];
}

export function deploymentLogKey(environment: string, month: string): { pk: string; id: string } {
  return { pk: `deployment-log:${environment}`, id: `${environment}~${month}` };
}

/** When a deployment finished (went live, was aborted or cancelled); undefined while it is active. */
export function finishedAt(state: DeploymentState): string | undefined {
  if (isActiveDeployment(state)) return undefined;
  return state.phaseAt.live ?? state.phaseAt.aborted ?? state.phaseAt.cancelled;
}

/** "2026-01" … "2026-04": every UTC month from `from` to `to`, both included. */
export function monthsBetween(from: Date, to: Date): string[] {
  const months: string[] = [];
  let year = from.getUTCFullYear();
  let month = from.getUTCMonth();
  const last = to.getUTCFullYear() * 12 + to.getUTCMonth();
  while (year * 12 + month <= last) {
    months.push(`${year}-${String(month + 1).padStart(2, '0')}`);
    month += 1;
    if (month === 12) [year, month] = [year + 1, 0];
  }
  return months;
}

const ATTEMPTS = 6;

export class DeploymentLog {
  constructor(private readonly store: DocumentStore) {}

  /** Writes (or rewrites) a finished deployment's record in its month; the same record twice changes nothing. */
  async record(record: DeploymentRecord): Promise<void> {
    const finished = finishedAt(record.state);
    if (!finished) return;
    const environment = record.state.environment;
    const month = finished.slice(0, 7);
    const { pk, id } = deploymentLogKey(environment.key, month);
    const release = await this.store.read<ReleaseDocument>(releaseKey(record.state.version).pk, releaseKey(record.state.version).id);
    const logged: LoggedDeployment = { ...record, releaseTimes: releaseTimesOf(release?.doc) };
    for (let attempt = 1; ; attempt++) {
      const existing = await this.store.read<DeploymentLogDocument>(pk, id);
      const others = (existing?.doc.deployments ?? []).filter((d) => d.state.id !== record.state.id);
      const deployments = [...others, logged].sort((a, b) => (finishedAt(a.state) ?? '').localeCompare(finishedAt(b.state) ?? ''));
      const doc: DeploymentLogDocument = { pk, id, type: 'deploymentLog', environment, month, deployments };
      try {
        if (existing) await this.store.replace(doc, existing.etag);
        else await this.store.create(doc);
        return;
      } catch (error) {
        const lost = isBotError(error, 'stale') || isBotError(error, 'conflict');
        if (!lost || attempt >= ATTEMPTS) throw error;
      }
    }
  }

  /** The logged deployments of these months, oldest first. */
  async read(environment: string, months: readonly string[]): Promise<LoggedDeployment[]> {
    const docs = await Promise.all(months.map((month) => this.store.read<DeploymentLogDocument>(...pair(deploymentLogKey(environment, month)))));
    return docs.flatMap((doc) => doc?.doc.deployments ?? []);
  }
}

function pair(key: { pk: string; id: string }): [string, string] {
  return [key.pk, key.id];
}

/** Log and environment document together, each deployment once: the environment's copy is the fresher. */
export function mergeDeployments(logged: readonly DeploymentRecord[], current: readonly DeploymentRecord[]): DeploymentRecord[] {
  const byId = new Map<string, DeploymentRecord>();
  for (const record of logged) byId.set(record.state.id, record);
  for (const record of current) byId.set(record.state.id, record);
  return [...byId.values()];
}
