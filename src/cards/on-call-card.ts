import { deploymentTitle } from '../domain/deployment';
import { DeploymentState, OnCallCoverage } from '../domain/types';
import { DeploymentAction, ON_CALL_ACTIONS, whoCanActOn } from '../domain/deployment-actions';
import { OnCallCardData } from './card-data';
import { cardRefresh } from './refresh';
import { DeploymentCardView, deploymentRef, roleHolders, windowText } from './deployment-view';
import { formatInstant } from './format-time';

// On-call coverage (runbook 3.3): who covers the window, and whether an IRC confirmed it. The
// deployment can't start without it, so the buttons stay while it is awaited and the deployment
// hasn't started; a reschedule voids the coverage and brings them back.

export interface OnCallCardView extends DeploymentCardView {
  /** Whom the on-call rota names for the window, when the caller knows: Confirm then names them in one click. */
  readonly rotaOnCall?: string;
  /** Person ids an IRC may pick to confirm or to override with, e.g. every configured person. */
  readonly people: readonly string[];
  /** Why the on-call source (PagerDuty) couldn't name anyone; the card says so and offers the override. */
  readonly onCallProblem?: string;
  /** Shown in a banner at the top, e.g. to the clicker of a stale button. */
  readonly notice?: string;
  /** Whom the card is for: absent for the card everyone sees; a person's actions for their own view. */
  readonly viewer?: { readonly actions: readonly DeploymentAction[] };
}

export function onCallData(state: DeploymentState, view: OnCallCardView): OnCallCardData {
  const { directory } = view;
  const title = deploymentTitle(state);
  const coverage = state.onCall;
  const awaiting = coverage === undefined && state.phase === 'scheduled';
  const rota = view.rotaOnCall && view.rotaOnCall.trim() !== '' ? view.rotaOnCall : undefined;
  const status = statusOf(state, coverage, view);
  const named = coverage?.person ?? rota;
  const problem = awaiting && rota === undefined ? (view.onCallProblem ?? '') : '';
  const personLine = named
    ? `On call: ${directory.nameOf(named)}`
    : problem
      ? "On call: unknown — the on-call source couldn't say"
      : awaiting
        ? 'On call: not named yet — pick who covers when you confirm'
        : 'On call: nobody was confirmed';
  const people = [...new Set(view.people)];
  const overrideChoices = people.filter((id) => id !== rota).map((id) => ({ title: directory.nameOf(id), value: id }));
  const actions = view.viewer?.actions ?? [];
  const mayConfirm = awaiting && actions.includes('confirmOnCall');
  // Only while coverage is awaited: once confirmed the card has nothing left for anyone to click.
  const refresh = cardRefresh(awaiting ? whoCanActOn(state, people, directory, ON_CALL_ACTIONS) : []);
  return {
    ...deploymentRef(state),
    title: `On-call coverage · ${title}`,
    windowText: windowText(state.window, view.timeZone),
    personLine,
    statusIcon: status.icon,
    statusText: status.text,
    reason: coverage?.kind === 'overridden' ? coverage.reason : '',
    problem: problem ? `⚠️ ${problem} Confirm who covers the window, or override with the person who does.` : '',
    note: noteOf(state, awaiting),
    canConfirm: mayConfirm && rota !== undefined,
    canConfirmPicked: mayConfirm && rota === undefined && people.length > 0,
    canOverride: awaiting && actions.includes('overrideOnCall') && overrideChoices.length > 0,
    showMyActions: refresh.enabled && (view.viewer === undefined || actions.length === 0),
    viewerNote: view.viewer && actions.length === 0 && awaiting ? `Only ${roleHolders(directory, 'irc', 'an IRC')} confirms on-call coverage.` : '',
    refresh,
    confirmPerson: rota ?? '',
    // The person is on the card ("On call: …"); a name in the button would not fit a phone's width.
    confirmTitle: rota ? 'Confirm' : 'Confirm…',
    people: overrideChoices,
    notice: view.notice ?? '',
    fallbackText: `On-call coverage for ${title}: ${status.text}`,
  };
}

function statusOf(
  state: DeploymentState,
  coverage: OnCallCoverage | undefined,
  view: OnCallCardView,
): { icon: string; text: string } {
  const { directory, timeZone } = view;
  if (coverage?.kind === 'confirmed') {
    return { icon: '✅', text: `Confirmed by ${directory.nameOf(coverage.by)} · ${formatInstant(coverage.at, timeZone)}` };
  }
  if (coverage?.kind === 'overridden') {
    return {
      icon: '🔁',
      text: `Overridden by ${directory.nameOf(coverage.by)} · ${formatInstant(coverage.at, timeZone)}: ${directory.nameOf(coverage.person)} covers`,
    };
  }
  if (state.phase === 'scheduled') {
    return { icon: '⏳', text: `Awaiting confirmation by ${roleHolders(directory, 'irc', 'an IRC')}` };
  }
  return { icon: '—', text: 'Not confirmed' };
}

function noteOf(state: DeploymentState, awaiting: boolean): string {
  if (awaiting) return `${deploymentTitle(state)} can't start until on-call coverage is confirmed, or overridden with another person.`;
  if (state.phase === 'cancelled') return 'The deployment was cancelled.';
  if (state.phase === 'aborted') return 'The deployment was aborted.';
  return '';
}
