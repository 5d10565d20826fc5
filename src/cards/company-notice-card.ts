import { DeploymentState, DeploymentWindow } from '../domain/types';
import { CardStyle, CompanyNoticeData, NoticeState } from './card-data';
import { DeploymentCardView, windowText } from './deployment-view';
import { formatClock } from './format-time';

// The company notification in #general (runbook 3.2): what is deployed where, when, and "avoid
// changes". The same root post is updated as the deployment moves: rescheduled, under way,
// finished, aborted or cancelled.

export interface CompanyNoticeView extends DeploymentCardView {
  /** The window before the last reschedule (the `deploymentRescheduled` event's `from`): shows "Rescheduled" while not started. */
  readonly rescheduledFrom?: DeploymentWindow;
}

export function companyNoticeData(state: DeploymentState, view: CompanyNoticeView): CompanyNoticeData {
  const { directory, timeZone } = view;
  const title = `Deployment: ${state.version} to ${state.environment.name}`;
  const rescheduled = state.phase === 'scheduled' && view.rescheduledFrom !== undefined;
  const line = stateLine(state, timeZone, rescheduled);
  const window = windowText(state.window, timeZone);
  const over = state.phase === 'live' || state.phase === 'aborted' || state.phase === 'cancelled';
  const reason = state.cancelled?.reason ?? state.aborted?.reason ?? '';
  return {
    title,
    hotfix: state.hotfix,
    state: line.state,
    stateText: line.text,
    stateIcon: line.icon,
    stateStyle: line.style,
    windowText: window,
    previousWindow: rescheduled ? `Previously ${windowText(view.rescheduledFrom!, timeZone)}` : '',
    avoidText: over ? '' : `Please avoid making changes to ${state.environment.name} during the window.`,
    reason,
    ircLine: `IRC: ${directory.nameOf(state.scheduledBy)}`,
    fallbackText: `${title}${state.hotfix ? ' (hotfix)' : ''} — ${line.text}: ${window}${reason ? ` — ${reason}` : ''}`,
  };
}

interface NoticeLine {
  readonly state: NoticeState;
  readonly text: string;
  readonly icon: string;
  readonly style: CardStyle;
}

function stateLine(state: DeploymentState, timeZone: string, rescheduled: boolean): NoticeLine {
  const clock = (iso: string | undefined) => (iso ? formatClock(iso, timeZone) : '');
  switch (state.phase) {
    case 'scheduled':
      return rescheduled
        ? { state: 'rescheduled', text: 'Rescheduled', icon: '🔁', style: 'warning' }
        : { state: 'scheduled', text: 'Scheduled', icon: '📅', style: 'emphasis' };
    case 'in-progress':
    case 'ready':
    case 'stable':
      return { state: 'in-progress', text: `In progress · started ${clock(state.phaseAt['in-progress'])}`, icon: '🚧', style: 'warning' };
    case 'live':
      return {
        state: 'live',
        text: `Finished · ${state.version} is live in ${state.environment.name} since ${clock(state.phaseAt.live)}`,
        icon: '✅',
        style: 'good',
      };
    case 'aborted':
      return { state: 'aborted', text: `Aborted · ${clock(state.aborted?.at ?? state.phaseAt.aborted)}`, icon: '⛔', style: 'attention' };
    case 'cancelled':
      return { state: 'cancelled', text: 'Cancelled', icon: '🚫', style: 'attention' };
  }
}
