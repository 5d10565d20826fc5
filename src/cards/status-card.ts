import { deploymentTitle, waitingOn as deploymentWaitingOn } from '../domain/deployment';
import { DeploymentState, ReleaseState, RcState } from '../domain/types';
import { windowText } from './deployment-view';
import { formatRc, rcLabel } from '../domain/version';
import { StatusCardData, StatusDeployment, WaitingItem } from './card-data';
import { CardView, rcStatusLine } from './release-view';
import { waitingOn } from '../domain/release';
import { decidedBy } from '../domain/deputies';

// `status [version]`: where a release stands and what it waits for, on whom.

export interface StatusCardView extends CardView {
  /** Link to the current RC's thread, when known. */
  readonly threadUrl?: string;
  /** The release's deployments, newest last. */
  readonly deployments?: readonly DeploymentState[];
  /** Lines for the locks and freezes in force now. */
  readonly holds?: readonly string[];
  /** When `status` was asked: a deputy is named for an area only if the rules let them decide it then. */
  readonly now?: Date;
}

export function statusCardData(state: ReleaseState, view: StatusCardView): StatusCardData {
  const { directory } = view;
  const current = state.rcs.reduce<RcState | undefined>((latest, rc) => (!latest || rc.number > latest.number ? rc : latest), undefined);
  const base = {
    version: state.version,
    title: `Release ${state.version}`,
    threadUrl: view.threadUrl ?? '',
    deployments: (view.deployments ?? []).map((d) => deploymentLine(d, view)),
    holds: (view.holds ?? []).map((text) => ({ text })),
  };
  if (!current) {
    return {
      ...base,
      currentRc: 'none yet',
      state: 'No RC cut yet',
      stateIcon: '⏳',
      stateStyle: 'emphasis',
      waiting: waitingItems(state, view),
    };
  }
  const status = rcStatusLine(state, current, directory);
  return {
    ...base,
    currentRc: `${formatRc(state.version, current.number)}${current.hotfix ? ' (hotfix)' : ''}`,
    state: status.text,
    stateIcon: status.icon,
    stateStyle: status.style,
    waiting: waitingItems(state, view),
  };
}

/** The domain's `waitingOn`, one row each: what, and who can do it (a deputy named as one). */
function waitingItems(state: ReleaseState, view: StatusCardView): WaitingItem[] {
  const { directory } = view;
  const people = (who: readonly string[], roleName: string) => (who.length > 0 ? who.map((id) => directory.nameOf(id)).join(' or ') : roleName);
  return waitingOn(state, { directory, ...(view.now ? { now: view.now } : {}) }).map((item): WaitingItem => {
    switch (item.kind) {
      case 'firstRc':
        return { what: 'An RC to be cut', who: people(item.who, 'Platform team') };
      case 'newRc':
        return { what: 'A new RC to be cut', who: people(item.who, 'Platform team') };
      case 'qa':
        return { what: `QA regression results on ${rcLabel(item.rc)}`, who: people(item.who, 'QA lead') };
      case 'revoke':
        return { what: `${item.area.name} rejection${item.reason ? ` (${item.reason})` : ''} to be revoked, or a new RC`, who: directory.nameOf(item.by) };
      case 'approval':
        return { what: `${item.area.name} approval`, who: item.deputyFor ? decidedBy(directory, item.decider, item.deputyFor, item.area.name) : directory.nameOf(item.decider) };
      case 'promotion':
        return { what: `Promotion of ${rcLabel(item.rc)}`, who: people(item.who, 'Platform team') };
    }
  });
}

const PHASE_NAMES: Readonly<Record<DeploymentState['phase'], string>> = {
  scheduled: 'Scheduled',
  'in-progress': 'In progress',
  ready: 'Ready for validators',
  stable: 'Stable, smoke testing',
  live: 'Live',
  aborted: 'Aborted',
  cancelled: 'Cancelled',
};

function deploymentLine(state: DeploymentState, view: CardView): StatusDeployment {
  const waiting = deploymentWaitingOn(state, view.directory, view.timeZone);
  return {
    title: deploymentTitle(state),
    window: windowText(state.window, view.timeZone),
    state: waiting.length > 0 ? `${PHASE_NAMES[state.phase]} — waiting for ${waiting.join('; ')}` : PHASE_NAMES[state.phase],
  };
}
