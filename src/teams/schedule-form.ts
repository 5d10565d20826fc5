import { DeploymentResult } from '../app/deployment-service';
import { AdaptiveCardJson } from '../cards/render';
import { scheduleFormData, ScheduleFormValues } from '../cards/schedule-form-card';
import { SchedulePrefill } from '../commands/parse-command';
import { personIdResolver } from '../config/directory-from-config';
import { utcToZonedTime, zonedTimeToUtc } from '../domain/business-hours';
import { listOf } from '../domain/rule-helpers';
import { DEFAULT_WINDOW_MINUTES, deploymentTitle } from '../domain/deployment';
import { noticeOf } from './card-action-handler';
import { ScheduleFormInput, scheduleFormSchema } from '../cards/card-actions';
import { Inbound } from './inbound';
import type { RouteDependencies } from './route-dependencies';

// The scheduling form: `schedule deploy` with parts left out (prefilled with what was typed), the
// "Schedule deploy" dialog, and reschedule; its submit schedules, or shows the form again saying why.

/** A typed `schedule deploy`'s parts as the form's values: the start in the configured zone, people by id. */
export function prefillValues(deps: RouteDependencies, prefill: SchedulePrefill): ScheduleFormValues {
  const personId = personIdResolver(deps.config);
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
export function missingNote(values: ScheduleFormValues): string {
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

export async function scheduleForm(deps: RouteDependencies, surface: 'chat' | 'dialog', values?: ScheduleFormValues, error?: string, note?: string): Promise<AdaptiveCardJson> {
  const personId = personIdResolver(deps.config);
  const releases = (await deps.service.releaseIndex()).filter((r) => r.promoted).map((r) => ({ version: r.version, hotfix: r.hotfix }));
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

export async function scheduleFromForm(deps: RouteDependencies, inbound: Inbound, raw: Record<string, unknown>, surface: 'chat' | 'dialog'): Promise<{ result?: DeploymentResult; card: AdaptiveCardJson }> {
  const parsed = scheduleFormSchema.safeParse(raw);
  if (!parsed.success) return { card: await scheduleForm(deps, surface, {}, 'The form came back in a shape I could not read, so nothing was scheduled. Fill it in again.') };
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
  if (!inbound.actor) return { card: await scheduleForm(deps, surface, values, "Teams didn't tell me who you are, so nothing was scheduled.") };
  const window = formWindow(deps, data, DEFAULT_WINDOW_MINUTES);
  if ('problem' in window) return { card: await scheduleForm(deps, surface, values, window.problem) };
  const result = await deps.deployments.schedule({
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
  if (result.kind === 'refused') return { result, card: await scheduleForm(deps, surface, values, noticeOf(result.refusal)) };
  const record = result.kind === 'accepted' ? await deps.deployments.record(result.deployment.environment.key, result.deployment.id) : undefined;
  return { result, card: record ? deps.deploymentCards.tracker(record, undefined, inbound.actor?.id) : await scheduleForm(deps, surface, values) };
}

/** The form's date, time (in the configured zone) and duration as a window. */
export function formWindow(
  deps: Pick<RouteDependencies, 'config'>,
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

/** The message extension's submit: schedule, then close the dialog (or show the form again with the reason). */
export async function submitScheduleDialog(deps: RouteDependencies, inbound: Inbound, data: Record<string, unknown>): Promise<{ card?: AdaptiveCardJson; message?: string }> {
  const { result, card } = await scheduleFromForm(deps, inbound, data, 'dialog');
  if (result?.kind === 'accepted') return { message: `Scheduled ${deploymentTitle(result.deployment)}. The meeting, the #general notice and the tracker are on their way.` };
  return { card };
}
