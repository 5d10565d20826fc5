import { DeploymentActionRequest } from '../app/deployment-service';
import { DeploymentRecord } from '../app/documents';
import { DeploymentRefArg } from '../commands/parse-command';
import { deploymentTitle, isActiveDeployment } from '../domain/deployment';
import { DeploymentCommand, Refusal } from '../domain/types';
import { Inbound } from './inbound';
import type { RouteDependencies } from './route-dependencies';

// Which deployment a typed command or a click is about, and the request that acts on it.

export type Found = { readonly record: DeploymentRecord } | { readonly problem: Refusal };

/** The deployment a command means: the one it names, else the release thread's, else the only active one. */
export async function findDeployment(deps: RouteDependencies, inbound: Inbound, ref: DeploymentRefArg | undefined, what: string): Promise<Found> {
  const all = await deps.deployments.all();
  const matching = (version?: string) =>
    all.filter((d) => (!version || d.state.version === version) && (!ref || d.state.environment.key === ref.environment.key));
  let candidates: DeploymentRecord[];
  if (ref) {
    candidates = matching(ref.version);
  } else {
    const thread = await deps.threads.releaseOf(inbound.origin.conversationId);
    candidates = thread ? matching(thread.release) : all;
  }
  const active = candidates.filter((d) => isActiveDeployment(d.state));
  const pick = active.length > 0 ? active : ref ? candidates.slice(-1) : [];
  if (pick.length === 1) return { record: pick[0]! };
  const like = pick[0] ?? candidates[candidates.length - 1] ?? all[all.length - 1];
  const example = like
    ? `${what} ${like.state.version} to "${like.state.environment.name}"`
    : `${what} <version> to "${deps.config.environments[0]?.name ?? '<environment>'}"`;
  if (pick.length === 0) {
    const finished = !ref ? candidates[candidates.length - 1] : undefined;
    return {
      problem: refusal(
        'unknown-deployment',
        ref
          ? `There is no deployment of ${ref.version} to ${ref.environment.name}.`
          : finished
            ? `${deploymentTitle(finished.state)} is ${finished.state.phase}, and no other deployment of ${finished.state.version} is active.`
            : 'I found no active deployment here to apply that to.',
        ref ? 'Schedule it first: `schedule deploy` shows the form.' : `Name the deployment: \`${example}\`.`,
      ),
    };
  }
  return {
    problem: refusal(
      'unknown-deployment',
      `More than one deployment is active: ${pick.map((d) => deploymentTitle(d.state)).join('; ')}.`,
      `Name the one you mean: \`${example}\`.`,
    ),
  };
}

export function actionRequest(deps: Pick<RouteDependencies, 'now'>, inbound: Inbound, record: DeploymentRecord, command: Exclude<DeploymentCommand, { type: 'schedule' }>): DeploymentActionRequest {
  return {
    environment: record.state.environment.key,
    deploymentId: record.state.id,
    command,
    actor: inbound.actor!,
    activityId: inbound.activityId,
    origin: inbound.origin,
    now: deps.now(),
  };
}

export function commandWord(name: string): string {
  return name === 'confirmOnCall' ? 'confirm on-call' : name === 'overrideOnCall' ? 'override on-call' : name;
}

export function refusal(code: Refusal['code'], reason: string, hint: string): Refusal {
  return { kind: 'refusal', code, reason, hint };
}

