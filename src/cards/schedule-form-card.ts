import { BusinessHours, utcToZonedTime, Weekday } from '../domain/business-hours';
import { DEFAULT_WINDOW_MINUTES, deploymentTitle, MAX_WINDOW_MINUTES, MIN_WINDOW_MINUTES } from '../domain/deployment';
import { DeploymentDirectory, DeploymentState, Directory, EnvironmentRef } from '../domain/types';
import { CardChoice, ScheduleFormData, ScheduleFormValueData, ScheduleSubmitData } from './card-data';
import { deploymentRef, listOf, plannedMinutes } from './deployment-view';

// The scheduling form (runbook 3.1): `schedule deploy` alone in chat, the message extension's
// dialog, and reschedule. One template for all three; the data says which button it gets, because
// a dialog only submits with Action.Submit while a chat card acts with Action.Execute.


/** A release the form offers: promoted, and whether its RC was cut as a hotfix. */
export interface PromotedRelease {
  readonly version: string;
  readonly hotfix: boolean;
}

/** What the inputs show when the form opens: a reschedule's current window, or what was typed before a refusal. */
export interface ScheduleFormValues {
  readonly version?: string;
  /** Environment key. */
  readonly environment?: string;
  /** "2026-04-14", in the configured zone. */
  readonly date?: string;
  /** "22:00", in the configured zone. */
  readonly time?: string;
  readonly durationMinutes?: number;
  readonly engineer?: string;
  readonly validators?: readonly string[];
}

interface FormCommon {
  readonly timeZone: string;
  readonly businessHours: BusinessHours;
  readonly values?: ScheduleFormValues;
  /** Why the last submit was refused, shown at the top. */
  readonly error?: string;
  /** What the typed command left out ("Pick the engineer and the validators, then Schedule."), under the title. */
  readonly note?: string;
  /** 'dialog' for a task module (message-extension action): Action.Submit instead of Action.Execute. */
  readonly surface?: 'chat' | 'dialog';
}

export interface ScheduleFormOptions extends FormCommon {
  /** Its validator pool fills the validators' multi-select. */
  readonly directory: DeploymentDirectory;
  /** The promoted releases to choose from, newest first as the caller likes. */
  readonly releases: readonly PromotedRelease[];
  /** From config. */
  readonly environments: readonly EnvironmentRef[];
  /** Person ids who may be picked as the deployment engineer. */
  readonly people: readonly string[];
}

export interface RescheduleFormOptions extends FormCommon {
  readonly directory: Directory;
}

/** A new deployment: every field is an input. */
export function scheduleFormData(options: ScheduleFormOptions): ScheduleFormData {
  const { directory, values = {} } = options;
  const releases = options.releases.map((r) => ({ title: r.hotfix ? `${r.version} (hotfix)` : r.version, value: r.version }));
  const blockers = [
    options.releases.length === 0 ? 'No release is promoted yet; only a promoted release is scheduled.' : '',
    options.environments.length === 0 ? 'No environments are configured; add them to the config (environments).' : '',
    options.people.length === 0 ? 'No people are configured to pick a deployment engineer from (people).' : '',
    directory.validatorPool.length === 0 ? 'The validator pool is empty; add validators to the config (roles.validators).' : '',
  ].filter(Boolean);
  const hotfixes = options.releases.filter((r) => r.hotfix).map((r) => r.version);
  return {
    ...common(options, { verb: 'scheduleDeploy' }),
    title: 'Schedule a deployment',
    reschedule: false,
    submitTitle: 'Schedule',
    facts: [],
    releases,
    environments: options.environments.map((e) => ({ title: e.name, value: e.key })),
    engineers: choicesOf(directory, options.people),
    validatorPool: choicesOf(directory, directory.validatorPool),
    values: valueData(values, options.releases.length === 1 ? { version: options.releases[0]!.version } : {}),
    windowRule: windowRule(options, undefined),
    hotfixNote: hotfixNote(hotfixes),
    canSubmit: blockers.length === 0,
    blockers,
    fallbackText: 'Schedule a deployment',
  };
}

/** An existing deployment: only its window can move (the domain's `reschedule`), so the rest is shown as facts. */
export function rescheduleFormData(state: DeploymentState, options: RescheduleFormOptions): ScheduleFormData {
  const { directory } = options;
  const title = deploymentTitle(state);
  const current = scheduleFormValuesOf(state, options.timeZone);
  const blockers =
    state.phase === 'scheduled'
      ? []
      : [`${title} has ${state.phase === 'cancelled' ? 'been cancelled' : 'started'}; only a deployment that hasn't started can be moved.`];
  return {
    ...common(options, { verb: 'rescheduleDeploy', ...deploymentRef(state) }),
    title: `Reschedule ${title}`,
    reschedule: true,
    submitTitle: 'Reschedule',
    facts: [
      { title: 'Release', value: state.hotfix ? `${state.version} (hotfix)` : state.version },
      { title: 'Environment', value: state.environment.name },
      { title: 'Engineer', value: directory.nameOf(state.engineer) },
      { title: 'Validators', value: listOf(state.validators.map((id) => directory.nameOf(id)), 'and') },
    ],
    releases: [],
    environments: [],
    engineers: [],
    validatorPool: [],
    values: valueData({ ...current, ...options.values }, {}),
    windowRule: windowRule(options, state.hotfix),
    hotfixNote: state.hotfix ? hotfixNote([state.version]) : '',
    canSubmit: blockers.length === 0,
    blockers,
    fallbackText: `Reschedule ${title}`,
  };
}

/** The form's values for a deployment as scheduled: its window as local date, time and length. */
export function scheduleFormValuesOf(state: DeploymentState, timeZone: string): ScheduleFormValues {
  const start = utcToZonedTime(new Date(state.window.start), timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    version: state.version,
    environment: state.environment.key,
    date: `${start.year}-${pad(start.month)}-${pad(start.day)}`,
    time: `${pad(start.hour)}:${pad(start.minute)}`,
    durationMinutes: plannedMinutes(state),
    engineer: state.engineer,
    validators: state.validators,
  };
}

function common(options: FormCommon, submitData: ScheduleSubmitData) {
  return {
    error: options.error ?? '',
    note: options.note ?? '',
    inDialog: options.surface === 'dialog',
    verb: submitData.verb,
    submitData,
    timeLabel: `Start time (${options.timeZone})`,
    minMinutes: MIN_WINDOW_MINUTES,
    maxMinutes: MAX_WINDOW_MINUTES,
  };
}

function valueData(values: ScheduleFormValues, defaults: ScheduleFormValues): ScheduleFormValueData {
  return {
    version: values.version ?? defaults.version ?? '',
    environment: values.environment ?? '',
    date: values.date ?? '',
    time: values.time ?? '',
    durationMinutes: values.durationMinutes ?? DEFAULT_WINDOW_MINUTES,
    engineer: values.engineer ?? '',
    validators: (values.validators ?? []).join(','),
  };
}

function choicesOf(directory: Directory, ids: readonly string[]): CardChoice[] {
  return [...new Set(ids)].map((id) => ({ title: directory.nameOf(id), value: id }));
}

function hotfixNote(versions: readonly string[]): string {
  if (versions.length === 0) return '';
  return versions.length === 1
    ? `${versions[0]} is a hotfix: it may be deployed during business hours.`
    : `${listOf(versions, 'and')} are hotfixes: they may be deployed during business hours.`;
}

/** The business-hours rule as it applies: to every non-hotfix (new deployment), or to this deployment. */
function windowRule(options: FormCommon, hotfix: boolean | undefined): string {
  const hours = options.businessHours;
  if (hours.days.length === 0 || hotfix === true) return '';
  const when = `${daysText(hours.days)} ${hours.start}–${hours.end}, ${options.timeZone}`;
  return hotfix === false
    ? `The window may not overlap business hours (${when}).`
    : `Unless the release is a hotfix, the window may not overlap business hours (${when}).`;
}

const WEEK: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const DAY_NAMES: Readonly<Record<Weekday, string>> = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };

/** "Mon–Fri", or "Mon, Wed, Fri" when the days are not one run. */
function daysText(days: readonly Weekday[]): string {
  const indexes = [...new Set(days)].map((d) => WEEK.indexOf(d)).sort((a, b) => a - b);
  const run = indexes.every((day, i) => i === 0 || day === indexes[i - 1]! + 1);
  if (run && indexes.length >= 3) return `${DAY_NAMES[WEEK[indexes[0]!]!]}–${DAY_NAMES[WEEK[indexes[indexes.length - 1]!]!]}`;
  return indexes.map((i) => DAY_NAMES[WEEK[i]!]).join(', ');
}
