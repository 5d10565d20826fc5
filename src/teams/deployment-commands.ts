import { DeploymentResult } from '../app/deployment-service';
import { DeploymentRecord } from '../app/documents';
import { ScheduleFormValues } from '../cards/schedule-form-card';
import { ParsedCommand, toWindowInput } from '../commands/parse-command';
import { personIdResolver } from '../config/directory-from-config';
import { DeploymentCommand, Refusal } from '../domain/types';
import { actionRequest, commandWord, findDeployment, refusal } from './deployment-target';
import type { RouteDependencies } from './route-dependencies';
import type { KnownInbound, RecordingTurn } from './routes/route-table';
import { missingNote, prefillValues, scheduleForm } from './schedule-form';

// Runbook 3.1–5 typed: parse → find the deployment → domain → one write. A refusal is answered in
// place; everything else arrives through the outbox.

type DeploymentCommandName = 'schedule' | 'reschedule' | 'cancel' | 'confirmOnCall' | 'overrideOnCall' | 'start' | 'ready' | 'stable' | 'smoke' | 'live' | 'abort' | 'bug';
export type TypedDeploymentCommand = Extract<ParsedCommand, { name: DeploymentCommandName }>;

/** A typed deployment command; answers refusals in place, everything else arrives through the outbox. */
export async function runDeploymentCommand(turn: RecordingTurn, command: TypedDeploymentCommand | Extract<ParsedCommand, { name: 'scheduleForm' }>): Promise<void> {
  const { deps, inbound } = turn;
  const refuse = (r: Refusal) => turn.refuse(r.reason, r.hint);
  const sendForm = async (values?: ScheduleFormValues) => turn.replyCard(await scheduleForm(deps, 'chat', values, undefined, values && missingNote(values)));
  if (command.name === 'scheduleForm') {
    await sendForm(command.prefill && prefillValues(deps, command.prefill));
    return;
  }
  if (command.name === 'schedule' && (!command.engineer || !command.validators?.length)) {
    // Who runs and who validates left out: the configured defaults fill them in, else the form,
    // with everything typed (and any default) filled in, asks for them.
    const defaults = deps.config.scheduling;
    const engineer = command.engineer ?? defaults.engineer;
    const validators = command.validators?.length ? command.validators : defaults.validators;
    if (!engineer || !validators?.length) {
      await sendForm(
        prefillValues(deps, {
          version: command.deployment.version,
          environment: command.deployment.environment,
          start: command.window.start,
          ...(command.window.minutes ? { minutes: command.window.minutes } : {}),
          ...(engineer ? { engineer } : {}),
          ...(validators ? { validators } : {}),
        }),
      );
      return;
    }
    command = { ...command, engineer, validators };
  }
  let result: DeploymentResult;
  if (command.name === 'schedule') {
    result = await scheduleTyped(deps, inbound, command);
  } else if (command.name === 'bug') {
    result = await fileBug(deps, inbound, command);
  } else {
    const found = await findDeployment(deps, inbound, command.deployment, commandWord(command.name));
    if ('problem' in found) {
      await refuse(found.problem);
      return;
    }
    const domainCommand = toDomain(deps, command, found.record);
    if (!domainCommand) {
      await refuse(refusal('missing-input', 'Nobody is on call for that window in the rota, so name who is.', 'Type `confirm on-call <person>`.'));
      return;
    }
    result = await deps.deployments.act(actionRequest(deps, inbound, found.record, domainCommand));
  }
  if (result.kind === 'refused') await refuse(result.refusal);
}

function toDomain(deps: RouteDependencies, command: TypedDeploymentCommand, record: DeploymentRecord): Exclude<DeploymentCommand, { type: 'schedule' }> | undefined {
  const personId = personIdResolver(deps.config);
  switch (command.name) {
    case 'reschedule': {
      const minutes = (Date.parse(record.state.window.end) - Date.parse(record.state.window.start)) / 60_000;
      return { type: 'reschedule', window: toWindowInput(command.window, minutes), ...(command.freezeOverride ? { freezeOverride: command.freezeOverride } : {}) };
    }
    case 'cancel':
      return { type: 'cancel', reason: command.reason };
    case 'confirmOnCall': {
      const person = command.person ? personId(command.person) : record.proposedOnCall;
      return person ? { type: 'confirmOnCall', person } : undefined;
    }
    case 'overrideOnCall':
      return { type: 'overrideOnCall', person: personId(command.person), reason: command.reason };
    case 'start':
      return { type: 'start', ...(command.freezeOverride ? { freezeOverride: command.freezeOverride } : {}) };
    case 'ready':
    case 'stable':
      return { type: command.name };
    case 'smoke':
      return { type: 'smoke', result: command.result, notes: command.notes };
    case 'live':
      return { type: 'live', overrideReason: command.overrideReason };
    case 'abort':
      return { type: 'abort', reason: command.reason };
    default:
      return undefined;
  }
}

async function scheduleTyped(deps: RouteDependencies, inbound: KnownInbound, command: Extract<ParsedCommand, { name: 'schedule' }>): Promise<DeploymentResult> {
  const personId = personIdResolver(deps.config);
  return deps.deployments.schedule({
    version: command.deployment.version,
    environment: command.deployment.environment.key,
    window: toWindowInput(command.window),
    engineer: command.engineer ? personId(command.engineer) : '',
    validators: (command.validators ?? []).map(personId),
    ...(command.freezeOverride ? { freezeOverride: command.freezeOverride } : {}),
    general: deps.channels.get('general'),
    actor: inbound.actor,
    activityId: inbound.activityId,
    origin: inbound.origin,
    now: deps.now(),
  });
}

async function fileBug(deps: RouteDependencies, inbound: KnownInbound, command: Extract<ParsedCommand, { name: 'bug' }>): Promise<DeploymentResult> {
  const all = await deps.deployments.all();
  const live = all
    .filter((d) => d.state.phaseAt.live || d.state.phaseAt['in-progress'])
    .filter((d) => (!command.release || d.state.version === command.release) && (!command.environment || d.state.environment.key === command.environment.key))
    .sort((a, b) => (a.state.phaseAt.live ?? a.state.phaseAt['in-progress'] ?? '').localeCompare(b.state.phaseAt.live ?? b.state.phaseAt['in-progress'] ?? ''));
  const target = live[live.length - 1];
  if (!target) {
    const which = command.release ? `${command.release}${command.environment ? ` on ${command.environment.name}` : ''}` : 'any release';
    return {
      kind: 'refused',
      refusal: refusal('unknown-deployment', `No deployment of ${which} has started yet, so there is nothing to file this against.`, 'Name the release: `bug <title> in 2026.4.0 on BXCI Production`.'),
    };
  }
  return deps.deployments.act({
    environment: target.state.environment.key,
    deploymentId: target.state.id,
    command: { type: 'recordBug', title: command.title },
    bugDetails: command.details,
    actor: inbound.actor,
    activityId: inbound.activityId,
    origin: inbound.origin,
    now: deps.now(),
  });
}
