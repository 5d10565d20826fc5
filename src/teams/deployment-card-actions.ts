import { DeploymentRecord } from '../app/documents';
import { AdaptiveCardJson } from '../cards/render';
import { deploymentTitle, isActiveDeployment } from '../domain/deployment';
import { DeploymentCommand } from '../domain/types';
import { noticeOf } from './card-action-handler';
import { actionRequest } from './deployment-target';
import { DeploymentCardAction, deploymentCardActionSchema } from '../cards/card-actions';
import { Inbound } from './inbound';
import type { RouteDependencies } from './route-dependencies';
import { formWindow, scheduleFromForm } from './schedule-form';

/**
 * A click on the tracker, on-call card or schedule form: answered at once with the fresh card (the
 * clicker's own view); the posts for everyone go through the outbox.
 */
export async function onDeploymentCardAction(deps: RouteDependencies, inbound: Inbound, verb: string, data: Record<string, unknown>): Promise<AdaptiveCardJson> {
  if (verb === 'scheduleDeploy') return scheduleFromForm(deps, inbound, data, 'chat').then((r) => r.card);
  const parsed = deploymentCardActionSchema.safeParse(data);
  const deploymentId = parsed.success ? parsed.data.deploymentId : '';
  const environment = /@([a-z0-9][a-z0-9-]*)\.\d+$/.exec(deploymentId)?.[1];
  const record = environment ? await deps.deployments.record(environment, deploymentId) : undefined;
  if (!parsed.success || !record || !environment) {
    return deps.render('refusal', { title: "Can't do that", reason: 'This card is not about a deployment I know, so nothing happened.', hint: 'Type `status <version>` for a fresh card.' });
  }
  const onCallCard = verb === 'confirmOnCall' || verb === 'overrideOnCall';
  // The answer is the clicker's own view of the card (their buttons), shown to them alone.
  const fresh = (current: DeploymentRecord, notice?: string) =>
    onCallCard ? deps.deploymentCards.onCall(current, notice, inbound.actor?.id) : deps.deploymentCards.tracker(current, notice, inbound.actor?.id);
  if (!inbound.actor) return fresh(record, "Teams didn't tell me who clicked, so nothing was recorded.");
  if (!isActiveDeployment(record.state)) return fresh(record, `Nothing changed: ${deploymentTitle(record.state)} is already ${record.state.phase}.`);
  const command = cardCommand(deps, verb, parsed.data, record);
  if ('problem' in command) return fresh(record, command.problem);
  const result = await deps.deployments.act(actionRequest(deps, inbound, record, command.command));
  const after = (await deps.deployments.record(environment, deploymentId)) ?? record;
  if (result.kind === 'refused') return fresh(after, noticeOf(result.refusal));
  return fresh(after);
}

function cardCommand(deps: RouteDependencies, verb: string, data: DeploymentCardAction, record: DeploymentRecord): { command: Exclude<DeploymentCommand, { type: 'schedule' }> } | { problem: string } {
  const text = (key: Exclude<keyof DeploymentCardAction, 'deploymentId' | 'revision'>) => data[key];
  switch (verb) {
    case 'confirmOnCall': {
      const person = text('confirmPerson') || record.proposedOnCall;
      return person ? { command: { type: 'confirmOnCall', person } } : { problem: 'Pick who is on call, then confirm.' };
    }
    case 'overrideOnCall':
      return text('overridePerson') ? { command: { type: 'overrideOnCall', person: text('overridePerson'), reason: text('overrideReason') } } : { problem: 'Pick who is on call instead.' };
    case 'startDeploy':
      return { command: { type: 'start' } };
    case 'readyDeploy':
      return { command: { type: 'ready' } };
    case 'stableDeploy':
      return { command: { type: 'stable' } };
    case 'smokePass':
      return { command: { type: 'smoke', result: 'pass', notes: text('smokePassNotes') } };
    case 'smokeFail':
      return { command: { type: 'smoke', result: 'fail', notes: text('smokeFailNotes') } };
    case 'goLive':
      return { command: { type: 'live' } };
    case 'goLiveOverride':
      return { command: { type: 'live', overrideReason: text('liveOverrideReason') } };
    case 'abortDeploy':
      return { command: { type: 'abort', reason: text('abortReason') } };
    case 'rescheduleDeploy': {
      const window = formWindow(deps, data, Math.round((Date.parse(record.state.window.end) - Date.parse(record.state.window.start)) / 60_000));
      return 'problem' in window ? window : { command: { type: 'reschedule', window: window.window } };
    }
    default:
      return { problem: `This button ("${verb}") isn't one I know, so nothing happened.` };
  }
}
