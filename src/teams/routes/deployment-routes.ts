import { DEPLOYMENT_CARD_VERBS, DeploymentCardVerb, ON_CALL_REFRESH_VERB, TRACKER_REFRESH_VERB } from '../../cards/card-data';
import { createDeploymentRefreshHandler } from '../card-refresh';
import { onDeploymentCardAction } from '../deployment-card-actions';
import { runDeploymentCommand } from '../deployment-commands';
import { scheduleForm, submitScheduleDialog } from '../schedule-form';
import { readInbound } from '../inbound';
import { CardHandler, CardRoutes, CommandRoutes, DialogRoutes, recording } from './route-table';

// Runbook 3.1–5: a deployment scheduled, its on-call confirmed, started, validated, live — typed,
// clicked on the tracker, on-call card or schedule form, or through the "Schedule deploy" dialog.

type DeploymentKind = 'schedule' | 'scheduleForm' | 'reschedule' | 'cancel' | 'confirmOnCall' | 'overrideOnCall' | 'start' | 'ready' | 'stable' | 'smoke' | 'live' | 'abort' | 'bug';

const typed = recording<DeploymentKind>((turn, command) => runDeploymentCommand(turn, command));

export const deploymentCommandRoutes: CommandRoutes<DeploymentKind> = {
  schedule: typed,
  scheduleForm: typed,
  reschedule: typed,
  cancel: typed,
  confirmOnCall: typed,
  overrideOnCall: typed,
  start: typed,
  ready: typed,
  stable: typed,
  smoke: typed,
  live: typed,
  abort: typed,
  bug: typed,
};

const click: CardHandler = async ({ context, deps, verb }, data) => {
  const read = readInbound(context.activity, deps.directory);
  if (!read.ok) return deps.render('refusal', { title: "Can't do that", reason: "I couldn't read that click.", hint: 'Try again.' });
  return onDeploymentCardAction(deps, read.inbound, verb, data);
};

export const deploymentCardRoutes: CardRoutes<DeploymentCardVerb | typeof TRACKER_REFRESH_VERB | typeof ON_CALL_REFRESH_VERB> = {
  ...(Object.fromEntries(DEPLOYMENT_CARD_VERBS.map((verb) => [verb, click])) as CardRoutes<DeploymentCardVerb>),
  // The person's own view of the tracker or on-call card (Universal Actions refresh); changes nothing.
  [TRACKER_REFRESH_VERB]: (turn, data) => createDeploymentRefreshHandler(turn.deps, 'tracker')(turn.context, data),
  [ON_CALL_REFRESH_VERB]: (turn, data) => createDeploymentRefreshHandler(turn.deps, 'onCall')(turn.context, data),
};

/** The message extension's commands (manifest `composeExtensions[].commands[].id`). */
export const deploymentDialogRoutes: DialogRoutes<'scheduleDeploy'> = {
  scheduleDeploy: {
    async fetch(_context, deps) {
      return { title: 'Schedule a deployment', card: await scheduleForm(deps, 'dialog') };
    },
    async submit(context, deps, data) {
      const read = readInbound(context.activity, deps.directory);
      if (!read.ok) return "I couldn't read that request.";
      const answer = await submitScheduleDialog(deps, read.inbound, data);
      return answer.card ? { title: 'Schedule a deployment', card: answer.card } : answer.message ?? null;
    },
  },
};

