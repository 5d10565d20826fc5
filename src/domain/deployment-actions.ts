import { isActiveDeployment, smokeProgress } from './deployment';
import { DeploymentDirectory, DeploymentState, Directory } from './types';

// What one person may do on a deployment's window right now, by role and phase: the tracker's and
// the on-call card's buttons. The rules in deployment.ts decide every click; this says which
// clicks they would take (test/domain/deployment-actions.test.ts checks the two agree). Checks that
// depend on the clock or on other deployments — the window not open yet, a freeze, a lock — are
// left to the click, whose refusal says when it can happen.

export const DEPLOYMENT_ACTIONS = [
  'confirmOnCall',
  'overrideOnCall',
  'start',
  'ready',
  'stable',
  'smokePass',
  'smokeFail',
  'live',
  'liveOverride',
  'abort',
] as const;
export type DeploymentAction = (typeof DEPLOYMENT_ACTIONS)[number];

const STARTED: readonly DeploymentState['phase'][] = ['in-progress', 'ready', 'stable'];

/** What `personId` may do on this deployment now, in DEPLOYMENT_ACTIONS order; empty once it is over. */
export function deploymentActionsFor(state: DeploymentState, personId: string, directory: Directory): readonly DeploymentAction[] {
  if (!isActiveDeployment(state)) return [];
  const irc = directory.isIrc(personId);
  const platform = directory.isPlatform(personId);
  const engineerOrPlatform = platform || state.engineer === personId;
  const validator = state.validators.includes(personId);
  const allPassed = smokeProgress(state).passed.length === state.validators.length;
  const phase = state.phase;
  const may: Record<DeploymentAction, boolean> = {
    confirmOnCall: irc && phase === 'scheduled',
    overrideOnCall: irc && phase === 'scheduled',
    start: irc && phase === 'scheduled' && state.onCall !== undefined,
    ready: engineerOrPlatform && phase === 'in-progress',
    stable: engineerOrPlatform && phase === 'ready',
    smokePass: validator && phase === 'stable',
    smokeFail: validator && phase === 'stable',
    live: platform && phase === 'stable' && allPassed,
    liveOverride: irc && phase === 'stable' && !allPassed,
    abort: irc && STARTED.includes(phase),
  };
  return DEPLOYMENT_ACTIONS.filter((action) => may[action]);
}

/** Actions that belong on the tracker (the on-call card has the other two). */
export const TRACKER_ACTIONS: readonly DeploymentAction[] = ['start', 'ready', 'stable', 'smokePass', 'smokeFail', 'live', 'liveOverride', 'abort'];
export const ON_CALL_ACTIONS: readonly DeploymentAction[] = ['confirmOnCall', 'overrideOnCall'];

/**
 * Of `candidates`, those who may do one of `among` on this deployment now, in the candidates'
 * order; the deployment's own people (engineer, validators) are asked too.
 */
export function whoCanActOn(
  state: DeploymentState,
  candidates: readonly string[],
  directory: DeploymentDirectory | Directory,
  among: readonly DeploymentAction[] = TRACKER_ACTIONS,
): readonly string[] {
  const people = [...new Set([...candidates, state.engineer, ...state.validators])];
  return people.filter((id) => deploymentActionsFor(state, id, directory).some((action) => among.includes(action)));
}
