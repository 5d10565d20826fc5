import { utcToZonedTime } from '../domain/business-hours';
import { deploymentTitle, isActiveDeployment, overrunBy, smokeProgress, waitingOn } from '../domain/deployment';
import { DeploymentAction, TRACKER_ACTIONS, whoCanActOn } from '../domain/deployment-actions';
import { cardRefresh } from './refresh';
import { DeploymentPhase, DeploymentState, SmokeResult } from '../domain/types';
import { CardStyle, TrackerBugRow, TrackerCardData, TrackerPhaseRow, TrackerSmokeRow } from './card-data';
import { liveText } from './deployment-text';
import { DeploymentCardView, deploymentRef, listOf, plannedMinutes, roleHolders, windowText } from './deployment-view';
import { formatClock, formatInstant } from './format-time';

// The live tracker in the #engineering release thread (runbook 4.1–4.5): the phases as a
// checklist, a clock against the ~90 minute estimate, each validator's smoke result, bugs filed,
// and only the buttons that move the deployment on from where it is.

export interface TrackerView extends DeploymentCardView {
  /** The clock's "now". */
  readonly now: Date;
  /** A prefilled Teams "new meeting" link, for when no meeting was created through Graph; ignored once one is recorded. */
  readonly newMeetingUrl?: string;
  /** Shown in a banner at the top, e.g. to the clicker of a stale or refused button. */
  readonly notice?: string;
  /** Whom the card is for: absent for the base card everyone sees; a person's actions for their own view. */
  readonly viewer?: { readonly actions: readonly DeploymentAction[] };
  /** Everyone who might act (configured people): those who can now get their own view (`refresh.userIds`). */
  readonly people?: readonly string[];
}

export const RECORDING_REMINDER = 'Then turn on recording: Meeting options → Record automatically.';

const MINUTE = 60_000;
const ORDER: readonly DeploymentPhase[] = ['scheduled', 'in-progress', 'ready', 'stable', 'live'];

export function trackerData(state: DeploymentState, view: TrackerView): TrackerCardData {
  const { directory } = view;
  const title = deploymentTitle(state);
  const active = isActiveDeployment(state);
  const progress = smokeProgress(state);
  const clock = clockLine(state, view);
  const final = finalOf(state, view);
  const meetingUrl = state.meeting?.joinUrl ?? '';
  const actions = (view.viewer?.actions ?? []).filter((action) => TRACKER_ACTIONS.includes(action));
  const refresh = cardRefresh(whoCanActOn(state, view.people ?? [], directory, TRACKER_ACTIONS));
  return {
    ...deploymentRef(state),
    title,
    hotfix: state.hotfix,
    windowText: windowText(state.window, view.timeZone),
    peopleLine: `IRC ${directory.nameOf(state.scheduledBy)} · Engineer ${directory.nameOf(state.engineer)}`,
    meetingUrl,
    newMeetingUrl: meetingUrl ? '' : (view.newMeetingUrl ?? ''),
    showMeeting: active,
    recordingReminder: RECORDING_REMINDER,
    phases: phaseRows(state, view),
    clockText: clock.text,
    clockStyle: clock.style,
    smokeTitle: `Smoke tests · ${progress.passed.length} of ${state.validators.length} passed`,
    smoke: state.validators.map((id) => smokeRow(state, id, view)),
    bugs: state.bugs.map((bug): TrackerBugRow => {
      const what = bug.url ? `[${bug.title}](${bug.url})` : bug.title;
      return { text: `${what} · ${directory.nameOf(bug.by)} · ${formatInstant(bug.at, view.timeZone)}` };
    }),
    ...final,
    canStart: actions.includes('start'),
    canReady: actions.includes('ready'),
    canStable: actions.includes('stable'),
    canSmoke: actions.includes('smokePass') || actions.includes('smokeFail'),
    canGoLive: actions.includes('live'),
    canGoLiveOverride: actions.includes('liveOverride'),
    canAbort: actions.includes('abort'),
    showMyActions: refresh.enabled && (view.viewer === undefined || actions.length === 0),
    viewerNote: view.viewer && actions.length === 0 && active ? `Nothing in ${title} waits for you now.` : '',
    waiting: waitingOn(state, directory, view.timeZone).map((line) => `Waiting for ${line}`),
    refresh,
    notice: view.notice ?? '',
    fallbackText: `${title}: ${final.finalTitle || phaseSummary(state, progress.passed.length)}`,
  };
}

function phaseRows(state: DeploymentState, view: TrackerView): TrackerPhaseRow[] {
  const { directory, timeZone } = view;
  const active = isActiveDeployment(state);
  const clock = (iso: string) => formatClock(iso, timeZone);
  const at = ORDER.indexOf(state.phase);
  const row = (id: string, label: string, icon: string, detail = ''): TrackerPhaseRow => ({
    id: `phase-${id}`,
    icon,
    label,
    detail,
  });
  /** A window phase: done with its time, the next step while active, or not reached. */
  const step = (phase: DeploymentPhase, id: string, label: string, waitingDetail = ''): TrackerPhaseRow => {
    const reachedAt = state.phaseAt[phase];
    if (reachedAt) return row(id, label, '✅', clock(reachedAt));
    const next = active && ORDER.indexOf(phase) === at + 1;
    return row(id, label, next ? '⏳' : '⬜', active ? waitingDetail : '');
  };

  const onCall = state.onCall;
  const coverage = !onCall
    ? row('on-call', 'On-call confirmed', state.phase === 'scheduled' ? '⏳' : '⬜', state.phase === 'scheduled' ? 'Awaiting an IRC' : '')
    : onCall.kind === 'confirmed'
      ? row('on-call', 'On-call confirmed', '✅', `${directory.nameOf(onCall.person)} · by ${directory.nameOf(onCall.by)}, ${formatInstant(onCall.at, timeZone)}`)
      : row(
          'on-call',
          'On-call confirmed',
          '✅',
          `${directory.nameOf(onCall.person)} · override by ${directory.nameOf(onCall.by)}, ${formatInstant(onCall.at, timeZone)}: ${onCall.reason}`,
        );
  const started =
    state.phase === 'scheduled'
      ? row('started', 'Started', onCall ? '⏳' : '⬜', `Window opens ${formatInstant(state.window.start, timeZone)}`)
      : step('in-progress', 'started', 'Started');

  const progress = smokeProgress(state);
  const engineerOrPlatform = `Awaiting ${directory.nameOf(state.engineer)} or ${roleHolders(directory, 'platform', 'the Platform team')}`;
  const smokeLabel = `Smoke tests (${progress.passed.length} of ${state.validators.length} passed)`;
  const smokeIcon =
    progress.failed.length > 0
      ? '❌'
      : allPassedSmoke(state) && state.phaseAt.stable
        ? '✅'
        : state.phase === 'stable'
          ? '⏳'
          : '⬜';
  const allPassed = progress.passed.length === state.validators.length;
  const live = state.phaseAt.live
    ? row('live', 'Live', '✅', clock(state.phaseAt.live))
    : state.phase !== 'stable'
      ? row('live', 'Live', '⬜')
      : allPassed
        ? row('live', 'Live', '⏳', `Awaiting ${roleHolders(directory, 'platform', 'the Platform team')}`)
        : row('live', 'Live', '⬜', "Needs every validator's pass, or an IRC's override with a reason");

  return [
    row('scheduled', 'Scheduled', '✅', `by ${directory.nameOf(state.scheduledBy)}, ${formatInstant(state.phaseAt.scheduled ?? state.window.start, timeZone)}`),
    coverage,
    started,
    step('ready', 'ready', 'Ready', state.phase === 'in-progress' ? engineerOrPlatform : ''),
    step('stable', 'stable', 'Stable', state.phase === 'ready' ? engineerOrPlatform : ''),
    row('smoke', smokeLabel, smokeIcon),
    live,
  ];
}

/** "Started 22:02 EDT · 47 of ~90 min", "… · Running 12 min over the estimate", "… · Took 80 of ~90 min"; before the start, when it starts. */
function clockLine(state: DeploymentState, view: TrackerView): { text: string; style: CardStyle } {
  const planned = plannedMinutes(state);
  const startedAt = state.phaseAt['in-progress'];
  if (!startedAt) return state.phase === 'scheduled' ? beforeStartLine(state, view) : { text: '', style: 'default' };
  const started = `Started ${formatClock(startedAt, view.timeZone)}`;
  const over = Math.floor(overrunBy(state, view.now) / MINUTE);
  const stoppedAt = state.phaseAt.live ?? state.phaseAt.aborted;
  if (stoppedAt) {
    const took = Math.max(0, Math.floor((Date.parse(stoppedAt) - Date.parse(startedAt)) / MINUTE));
    if (state.phase === 'aborted') return { text: `⛔ ${started} · Aborted after ${took} min`, style: 'attention' };
    return over > 0
      ? { text: `⚠️ ${started} · Took ${took} min, ${over} over the ~${planned} min estimate`, style: 'warning' }
      : { text: `${started} · Took ${took} of ~${planned} min`, style: 'default' };
  }
  if (over > 0) return { text: `⚠️ ${started} · Running ${over} min over the estimate`, style: 'warning' };
  const elapsed = Math.max(0, Math.floor((view.now.getTime() - Date.parse(startedAt)) / MINUTE));
  return { text: `${started} · ${elapsed} of ~${planned} min`, style: 'default' };
}

/**
 * Before the start, when it will be: "Starts in 45 min (22:00 EDT)", "Starts in 2 h (22:00 EDT)",
 * "Starts tomorrow 22:00 EDT", "Starts Tue 14 Apr 2026, 22:00 EDT"; once the window is open and
 * nobody started it, what it waits for; once it closed, that it must be rescheduled.
 */
function beforeStartLine(state: DeploymentState, view: TrackerView): { text: string; style: CardStyle } {
  const { timeZone, now } = view;
  const start = new Date(state.window.start);
  const at = formatClock(state.window.start, timeZone);
  if (now.getTime() >= Date.parse(state.window.end)) {
    return { text: `⛔ The window closed at ${formatClock(state.window.end, timeZone)} without a start: reschedule it`, style: 'attention' };
  }
  if (now.getTime() >= start.getTime()) {
    const waiting = state.onCall ? 'waiting for an IRC to start it' : 'waiting for on-call coverage';
    return { text: `⚠️ The window opened at ${at} · ${waiting}`, style: 'warning' };
  }
  const minutes = Math.ceil((start.getTime() - now.getTime()) / MINUTE);
  const days = localDaysBetween(now, start, timeZone);
  if (days === 0 || minutes < 60) {
    const hours = Math.floor(minutes / 60);
    const rest = minutes % 60;
    const span = hours === 0 ? `${rest} min` : rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
    return { text: `🕒 Starts in ${span} (${at})`, style: 'default' };
  }
  return { text: days === 1 ? `🕒 Starts tomorrow ${at}` : `🕒 Starts ${formatInstant(state.window.start, timeZone)}`, style: 'default' };
}

/** Calendar days from `from` to `to` as the zone's clock reads them (0: the same day). */
function localDaysBetween(from: Date, to: Date, timeZone: string): number {
  const day = (instant: Date) => {
    const local = utcToZonedTime(instant, timeZone);
    return Date.UTC(local.year, local.month - 1, local.day) / (24 * 60 * MINUTE);
  };
  return day(to) - day(from);
}

function allPassedSmoke(state: DeploymentState): boolean {
  return smokeProgress(state).passed.length === state.validators.length;
}

function smokeRow(state: DeploymentState, validator: string, view: TrackerView): TrackerSmokeRow {
  const name = view.directory.nameOf(validator);
  const id = `smoke-${validator}`;
  const result: SmokeResult | undefined = state.smoke.find((s) => s.validator === validator);
  if (result) {
    const notes = result.notes ? ` — ${result.notes}` : '';
    const when = formatClock(result.at, view.timeZone);
    return result.result === 'pass'
      ? { id, icon: '✅', name, detail: `Passed · ${when}${notes}` }
      : { id, icon: '❌', name, detail: `Failed · ${when}${notes}` };
  }
  if (!isActiveDeployment(state)) return { id, icon: '—', name, detail: 'Did not report' };
  return state.phase === 'stable'
    ? { id, icon: '⏳', name, detail: 'Not reported yet' }
    : { id, icon: '⏳', name, detail: 'Smoke-tests once the environment is stable' };
}

type Final = Pick<TrackerCardData, 'final' | 'finalTitle' | 'finalText' | 'finalHint'>;

function finalOf(state: DeploymentState, view: TrackerView): Final {
  const { directory, timeZone } = view;
  const liveAt = state.phaseAt.live;
  if (state.phase === 'live' && liveAt) {
    const override = state.liveOverride;
    const without = override ? listOf(override.without.map((id) => directory.nameOf(id)), 'and') : '';
    return {
      final: 'live',
      finalTitle: liveText(state.version, state.environment.name),
      finalText: override
        ? `Taken live by ${directory.nameOf(override.by)} · ${formatClock(override.at, timeZone)}, without a pass from ${without}: ${override.reason}`
        : `Live since ${formatClock(liveAt, timeZone)}`,
      finalHint: '',
    };
  }
  const stop = state.aborted ?? state.cancelled;
  if (state.phase === 'aborted' && stop) {
    return {
      final: 'aborted',
      finalTitle: `Aborted: ${stop.reason}`,
      finalText: `By ${directory.nameOf(stop.by)} · ${formatClock(stop.at, timeZone)}, ${AFTER[stop.during]}`,
      finalHint: 'Follow the Incident Response runbook.',
    };
  }
  if (state.phase === 'cancelled' && stop) {
    return {
      final: 'cancelled',
      finalTitle: `Cancelled: ${stop.reason}`,
      finalText: `By ${directory.nameOf(stop.by)} · ${formatInstant(stop.at, timeZone)}`,
      finalHint: '',
    };
  }
  return { final: 'none', finalTitle: '', finalText: '', finalHint: '' };
}

const AFTER: Readonly<Record<DeploymentPhase, string>> = {
  scheduled: 'before the start',
  'in-progress': 'after the start',
  ready: 'after ready',
  stable: 'after stable',
  live: 'after live',
  aborted: 'after an abort',
  cancelled: 'after a cancel',
};

function phaseSummary(state: DeploymentState, passed: number): string {
  switch (state.phase) {
    case 'scheduled':
      return state.onCall ? 'Scheduled, on-call confirmed' : 'Scheduled, awaiting on-call confirmation';
    case 'in-progress':
      return 'In progress';
    case 'ready':
      return 'Ready, waiting for stable';
    case 'stable':
      return `Stable, smoke tests ${passed} of ${state.validators.length} passed`;
    default:
      return state.phase;
  }
}
