import { Directory, EnvironmentRef } from '../domain/types';
import { DeploymentLog, mergeDeployments, monthsBetween } from './deployment-log';
import { DeploymentService } from './deployment-service';
import { EvidencePack, buildEvidence } from './evidence';
import { ReleaseService } from './release-service';

// Reads what an evidence pack is built from: the release document (one fresh read) with its
// archived history, the environments' deployments, and the deployment log of every month since the
// release's first RC (finished deployments no longer on their environment's document).

export interface EvidenceServiceOptions {
  readonly releases: ReleaseService;
  readonly deployments: DeploymentService;
  readonly log: DeploymentLog;
  readonly environments: readonly EnvironmentRef[];
  readonly directory: Directory;
  readonly timeZone: string;
  readonly now: () => Date;
}

export class EvidenceService {
  constructor(private readonly options: EvidenceServiceOptions) {}

  /** The pack of `version`; undefined when no RC of it was ever cut. */
  async pack(version: string): Promise<EvidencePack | undefined> {
    const { releases, deployments, log, environments, directory, timeZone } = this.options;
    const doc = await releases.document(version);
    if (!doc) return undefined;
    const now = this.options.now();
    // The chain head and the events come from the same read, so a command landing meanwhile can't look like an edit.
    const events = await releases.historyOf(doc);
    const firstCut = doc.state.rcs[0]?.cutAt ?? now.toISOString();
    const months = monthsBetween(new Date(firstCut), now);
    const [logged, current] = await Promise.all([
      Promise.all(environments.map((environment) => log.read(environment.key, months))).then((lists) => lists.flat()),
      deployments.allWithHolds(),
    ]);
    const records = mergeDeployments(logged, current.records).filter((record) => record.state.version === version);
    return buildEvidence({ version, state: doc.state, events, chain: doc.chain, deployments: records, holds: current.holds, directory, timeZone, generatedAt: now });
  }
}
