import { TurnContext } from 'botbuilder';
import { DeploymentActionRequest, DeploymentResult } from '../app/deployment-service';
import { DeploymentRecord, RELEASE_INDEX_ID, ReleaseIndexDocument, SETTINGS_PARTITION } from '../app/documents';
import { AdaptiveCardJson } from '../cards/render';
import { scheduleFormData, ScheduleFormValues } from '../cards/schedule-form-card';
import { DeploymentRefArg, ParsedCommand, SchedulePrefill, toWindowInput } from '../commands/parse-command';
import { personIdResolver } from '../config/directory-from-config';
import { utcToZonedTime, zonedTimeToUtc } from '../domain/business-hours';
import { listOf } from '../domain/rule-helpers';
import { DEFAULT_WINDOW_MINUTES, deploymentTitle, isActiveDeployment } from '../domain/deployment';
import { DeploymentCommand, Refusal } from '../domain/types';
import { noticeOf } from './card-action-handler';
import { DeploymentCardAction, Inbound, ScheduleFormInput, deploymentCardActionSchema, scheduleFormSchema } from './inbound';
import type { RouteDependencies } from './routes';

// Runbook 3.1–5 in Teams: typed deployment commands, the deployment cards' buttons, and the
// "Schedule deploy" message-extension dialog. Parse → find the deployment → domain → one write.

type DeploymentCommandName = 'schedule' | 'reschedule' | 'cancel' | 'confirmOnCall' | 'overrideOnCall' | 'start' | 'ready' | 'stable' | 'smoke' | 'live' | 'abort' | 'bug';
export type TypedDeploymentCommand = Extract<ParsedCommand, { name: DeploymentCommandName }>;

type Found = { readonly record: DeploymentRecord } | { readonly problem: Refusal };

export function createDeploymentHandlers(deps: RouteDependencies) {
  const personId = personIdResolver(deps.config);
  const service = deps.deployments;

  /** The deployment a command means: the one it names, else the release thread's, else the only active one. */
  async function findDeployment(inbound: Inbound, ref: DeploymentRefArg | undefined, what: string): Promise<Found> {
    const all = await service.all();
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

  function toDomain(command: TypedDeploymentCommand, record: DeploymentRecord): Exclude<DeploymentCommand, { type: 'schedule' }> | undefined {
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

  async function scheduleTyped(inbound: Inbound, command: Extract<ParsedCommand, { name: 'schedule' }>): Promise<DeploymentResult> {
    return service.schedule({
      version: command.deployment.version,
      environment: command.deployment.environment.key,
      window: toWindowInput(command.window),
      engineer: command.engineer ? personId(command.engineer) : '',
      validators: (command.validators ?? []).map(personId),
      ...(command.freezeOverride ? { freezeOverride: command.freezeOverride } : {}),
      general: deps.channels.get('general'),
      actor: inbound.actor!,
      activityId: inbound.activityId,
      origin: inbound.origin,
      now: deps.now(),
    });
  }

  async function fileBug(inbound: Inbound, command: Extract<ParsedCommand, { name: 'bug' }>): Promise<DeploymentResult> {
    const all = await service.all();
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
    return service.act({
      environment: target.state.environment.key,
      deploymentId: target.state.id,
      command: { type: 'recordBug', title: command.title },
      bugDetails: command.details,
      actor: inbound.actor!,
      activityId: inbound.activityId,
      origin: inbound.origin,
      now: deps.now(),
    });
  }

  return {
    /** A typed deployment command; answers refusals in place, everything else arrives through the outbox. */
    async onTyped(
      context: TurnContext,
      inbound: Inbound,
      command: TypedDeploymentCommand | Extract<ParsedCommand, { name: 'scheduleForm' }>,
      refuse: (r: Refusal) => Promise<unknown>,
    ): Promise<void> {
      const sendForm = async (values?: ScheduleFormValues) =>
        context.sendActivity({
          attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: await scheduleForm('chat', values, undefined, values && missingNote(values)) }],
        });
      if (command.name === 'scheduleForm') {
        await sendForm(command.prefill && prefillValues(command.prefill));
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
            prefillValues({
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
      if (!inbound.actor) {
        await refuse(refusal('not-allowed', "Teams didn't tell me who you are, so I can't record this.", 'Send the command from your own Teams account.'));
        return;
      }
      let result: DeploymentResult;
      if (command.name === 'schedule') {
        result = await scheduleTyped(inbound, command);
      } else if (command.name === 'bug') {
        result = await fileBug(inbound, command);
      } else {
        const found = await findDeployment(inbound, command.deployment, commandWord(command.name));
        if ('problem' in found) {
          await refuse(found.problem);
          return;
        }
        const domainCommand = toDomain(command, found.record);
        if (!domainCommand) {
          await refuse(refusal('missing-input', 'Nobody is on call for that window in the rota, so name who is.', 'Type `confirm on-call <person>`.'));
          return;
        }
        result = await service.act(actionRequest(inbound, found.record, domainCommand));
      }
      if (result.kind === 'refused') await refuse(result.refusal);
    },

    /** A click on the tracker, on-call card or schedule form. Answered with the fresh card at once. */
    async onCardAction(context: TurnContext, inbound: Inbound, verb: string, data: Record<string, unknown>): Promise<AdaptiveCardJson> {
      if (verb === 'scheduleDeploy') return scheduleFromForm(inbound, data, 'chat').then((r) => r.card);
      const parsed = deploymentCardActionSchema.safeParse(data);
      const deploymentId = parsed.success ? parsed.data.deploymentId : '';
      const environment = /@([a-z0-9][a-z0-9-]*)\.\d+$/.exec(deploymentId)?.[1];
      const record = environment ? await service.record(environment, deploymentId) : undefined;
      if (!parsed.success || !record || !environment) {
        return deps.render('refusal', { title: "Can't do that", reason: 'This card is not about a deployment I know, so nothing happened.', hint: 'Type `status <version>` for a fresh card.' });
      }
      const onCallCard = verb === 'confirmOnCall' || verb === 'overrideOnCall';
      // The answer is the clicker's own view of the card (their buttons), shown to them alone.
      const fresh = (current: DeploymentRecord, notice?: string) =>
        onCallCard ? deps.deploymentCards.onCall(current, notice, inbound.actor?.id) : deps.deploymentCards.tracker(current, notice, inbound.actor?.id);
      if (!inbound.actor) return fresh(record, "Teams didn't tell me who clicked, so nothing was recorded.");
      if (!isActiveDeployment(record.state)) return fresh(record, `Nothing changed: ${deploymentTitle(record.state)} is already ${record.state.phase}.`);
      const command = cardCommand(verb, parsed.data, record);
      if ('problem' in command) return fresh(record, command.problem);
      const result = await service.act(actionRequest(inbound, record, command.command));
      const after = (await service.record(environment, deploymentId)) ?? record;
      if (result.kind === 'refused') return fresh(after, noticeOf(result.refusal));
      return fresh(after);
    },

    scheduleForm,

    /** The message extension's submit: schedule, then close the dialog (or show the form again with the reason). */
    async onDialogSubmit(inbound: Inbound, data: Record<string, unknown>): Promise<{ card?: AdaptiveCardJson; message?: string }> {
      const { result, card } = await scheduleFromForm(inbound, data, 'dialog');
      if (result?.kind === 'accepted') return { message: `Scheduled ${deploymentTitle(result.deployment)}. The meeting, the #general notice and the tracker are on their way.` };
      return { card };
    },
  };

  function cardCommand(verb: string, data: DeploymentCardAction, record: DeploymentRecord): { command: Exclude<DeploymentCommand, { type: 'schedule' }> } | { problem: string } {
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
        const window = formWindow(data, Math.round((Date.parse(record.state.window.end) - Date.parse(record.state.window.start)) / 60_000));
        return 'problem' in window ? window : { command: { type: 'reschedule', window: window.window } };
      }
      default:
        return { problem: `This button ("${verb}") isn't one I know, so nothing happened.` };
    }
  }

  function actionRequest(inbound: Inbound, record: DeploymentRecord, command: Exclude<DeploymentCommand, { type: 'schedule' }>): DeploymentActionRequest {
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

  /** A typed `schedule deploy`'s parts as the form's values: the start in the configured zone, people by id. */
  function prefillValues(prefill: SchedulePrefill): ScheduleFormValues {
    const start = prefill.start && utcToZonedTime(prefill.start, deps.config.timeZone);
    const pad = (n: number) => String(n).padStart(2, '0');
    return {
      ...(prefill.version ? { version: prefill.version } : {}),
      ...(prefill.environment ? { environment: prefill.environment.key } : {}),
      ...(start ? { date: `${start.year}-${pad(start.month)}-${pad(start.day)}`, time: `${pad(start.hour)}:${pad(start.minute)}` } : {}),
      ...(prefill.minutes ? { durationMinutes: prefill.minutes } : {}),
      ...(prefill.engineer ? { engineer: personId(prefill.engineer) } : {}),
      ...(prefill.validators?.length ? { validators: prefill.validators.map(personId) } : {}),
    };
  }

  /** What the typed command left out, to pick in the form. */
  function missingNote(values: ScheduleFormValues): string {
    const missing = [
      values.version ? '' : 'the release',
      values.environment ? '' : 'the environment',
      values.date ? '' : 'the start date and time',
      values.engineer ? '' : 'the deployment engineer',
      values.validators?.length ? '' : 'the validators',
    ].filter(Boolean);
    if (missing.length === 0) return '';
    return `Your command left out ${listOf(missing, 'and')}: pick ${missing.length === 1 && missing[0] !== 'the validators' ? 'it' : 'them'} here, then Schedule. The rest is filled in from what you typed.`;
  }

  async function scheduleForm(surface: 'chat' | 'dialog', values?: ScheduleFormValues, error?: string, note?: string): Promise<AdaptiveCardJson> {
    const index = await deps.store.read<ReleaseIndexDocument>(SETTINGS_PARTITION, RELEASE_INDEX_ID);
    const releases = (index?.doc.releases ?? []).filter((r) => r.promoted).map((r) => ({ version: r.version, hotfix: r.hotfix }));
    // A typed release that is not promoted can't be picked: say so rather than show it blank.
    const unpromoted = values?.version && !releases.some((r) => r.version === values.version) ? ` ${values.version} isn't promoted, so it can't be picked: only a promoted release is scheduled.` : '';
    return deps.render(
      'schedule-form',
      scheduleFormData({
        directory: deps.directory,
        timeZone: deps.config.timeZone,
        businessHours: deps.config.businessHours,
        releases,
        environments: deps.config.environments,
        people: deps.config.people.map((p) => personId(p.key)),
        values,
        error,
        ...(note || unpromoted ? { note: `${note ?? ''}${unpromoted}`.trim() } : {}),
        surface,
      }),
    );
  }

  async function scheduleFromForm(inbound: Inbound, raw: Record<string, unknown>, surface: 'chat' | 'dialog'): Promise<{ result?: DeploymentResult; card: AdaptiveCardJson }> {
    const parsed = scheduleFormSchema.safeParse(raw);
    if (!parsed.success) return { card: await scheduleForm(surface, {}, 'The form came back in a shape I could not read, so nothing was scheduled. Fill it in again.') };
    const data = parsed.data;
    const text = (key: keyof ScheduleFormInput) => data[key];
    const values: ScheduleFormValues = {
      version: text('version'),
      environment: text('environment'),
      date: text('date'),
      time: text('time'),
      durationMinutes: Number(text('durationMinutes')) || DEFAULT_WINDOW_MINUTES,
      engineer: text('engineer'),
      validators: text('validators').split(',').map((v) => v.trim()).filter(Boolean),
    };
    if (!inbound.actor) return { card: await scheduleForm(surface, values, "Teams didn't tell me who you are, so nothing was scheduled.") };
    const window = formWindow(data, DEFAULT_WINDOW_MINUTES);
    if ('problem' in window) return { card: await scheduleForm(surface, values, window.problem) };
    const result = await service.schedule({
      version: values.version ?? '',
      environment: values.environment ?? '',
      window: window.window,
      engineer: values.engineer ?? '',
      validators: values.validators ?? [],
      general: deps.channels.get('general'),
      acknowledge: false, // the submitted form (or dialog) itself answers with the result
      actor: inbound.actor,
      activityId: inbound.activityId,
      origin: inbound.origin,
      now: deps.now(),
    });
    if (result.kind === 'refused') return { result, card: await scheduleForm(surface, values, noticeOf(result.refusal)) };
    const record = result.kind === 'accepted' ? await service.record(result.deployment.environment.key, result.deployment.id) : undefined;
    return { result, card: record ? deps.deploymentCards.tracker(record, undefined, inbound.actor?.id) : await scheduleForm(surface, values) };
  }

  /** The form's date, time (in the configured zone) and duration as a window. */
  function formWindow(
    data: { readonly date: string; readonly time: string; readonly durationMinutes: string },
    defaultMinutes: number,
  ): { window: { start: Date; end: Date } } | { problem: string } {
    const { date, time } = data;
    const dateMatch = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
    const timeMatch = /^(\d{2}):(\d{2})/.exec(time);
    if (!dateMatch || !timeMatch) return { problem: 'Pick the date and the start time of the window.' };
    const [, y, mo, d] = dateMatch.map(Number) as number[];
    const [, h, mi] = timeMatch.map(Number) as number[];
    const resolved = zonedTimeToUtc({ year: y!, month: mo!, day: d!, hour: h!, minute: mi! }, deps.config.timeZone);
    if (resolved.kind === 'gap') return { problem: `${date} ${time} does not exist in ${deps.config.timeZone} (the clocks go forward then). Pick another time.` };
    const start = resolved.kind === 'exact' ? resolved.instant : resolved.earlier;
    const minutes = Number(data.durationMinutes) || defaultMinutes;
    return { window: { start, end: new Date(start.getTime() + minutes * 60_000) } };
  }
}

function commandWord(name: string): string {
  return name === 'confirmOnCall' ? 'confirm on-call' : name === 'overrideOnCall' ? 'override on-call' : name;
}

function refusal(code: Refusal['code'], reason: string, hint: string): Refusal {
  return { kind: 'refusal', code, reason, hint };
}

