import { isActiveDeployment } from '../domain/deployment';
import { extendChain } from '../domain/event-chain';
import { DeploymentEvent, DeploymentState, EnvironmentRef } from '../domain/types';
import { DeploymentRecord, EnvironmentDocument, FINISHED_DEPLOYMENTS_KEPT, environmentKey } from './documents';

// How a deployment's events land on its environment's document (the runner's `record` step for
// deployments): appended to that deployment's record with the state folded from them and the hash
// chain extended; a new deployment gets a record and the next sequence number.

export function emptyEnvironment(environment: EnvironmentRef): EnvironmentDocument {
  return { ...environmentKey(environment.key), type: 'environment', environment, deployments: [], deploymentSeq: 0, outbox: [], recentActivityIds: [], messageSeq: 0 };
}

/** `created`: a new record's own fields (schedule); `updated`: fields an existing record takes along (a reschedule's on-call proposal). */
export function recordDeploymentEvents(
  doc: EnvironmentDocument,
  state: DeploymentState,
  events: readonly DeploymentEvent[],
  extra: { readonly created?: Omit<DeploymentRecord, 'state' | 'events' | 'chain'>; readonly updated?: Partial<DeploymentRecord> } = {},
): EnvironmentDocument {
  const existing = doc.deployments.find((d) => d.state.id === state.id);
  const record: DeploymentRecord = existing
    ? { ...existing, ...extra.updated, state, events: [...existing.events, ...events], ...(existing.chain ? { chain: extendChain(existing.chain, state.id, events) } : {}) }
    : { ...extra.created, posts: extra.created?.posts ?? {}, state, events, chain: extendChain(undefined, state.id, events) };
  const others = doc.deployments.filter((d) => d.state.id !== state.id);
  return { ...doc, deployments: keepRecent([...others, record]), deploymentSeq: existing ? doc.deploymentSeq : doc.deploymentSeq + 1 };
}

/** Active deployments always stay; of the finished ones only the most recent are kept. */
function keepRecent(deployments: readonly DeploymentRecord[]): DeploymentRecord[] {
  const finished = deployments.filter((d) => !isActiveDeployment(d.state));
  const drop = new Set(finished.slice(0, Math.max(0, finished.length - FINISHED_DEPLOYMENTS_KEPT)));
  return deployments.filter((d) => !drop.has(d));
}
