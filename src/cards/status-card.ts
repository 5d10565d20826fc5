import { deploymentTitle, waitingOn as deploymentWaitingOn } from '../domain/deployment';
import { DeploymentState, Directory, DirectoryRole, ReleaseState, RcState } from '../domain/types';
import { windowText } from './deployment-view';
import { formatRc, rcLabel } from '../domain/version';
import { StatusCardData, StatusDeployment, WaitingItem } from './card-data';
import { CardView, isOpen, rcStatusLine } from './release-view';
import { canPromote } from '../domain/release';

// `status [version]`: where a release stands and what it waits for, on whom.

export interface StatusCardView extends CardView {
  /** Link to the current RC's thread, when known. */
  readonly threadUrl?: string;
  /** The release's deployments, newest last. */
  readonly deployments?: readonly DeploymentState[];
  /** Lines for the locks and freezes in force now. */
  readonly holds?: readonly string[];
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
      waiting: [{ what: 'An RC to be cut', who: holders(directory, 'platform', 'Platform team') }],
    };
  }
  const status = rcStatusLine(state, current, directory);
  return {
    ...base,
    currentRc: `${formatRc(state.version, current.number)}${current.hotfix ? ' (hotfix)' : ''}`,
    state: status.text,
    stateIcon: status.icon,
    stateStyle: status.style,
    waiting: waitingOn(state, current, directory),
  };
}

function waitingOn(state: ReleaseState, rc: RcState, directory: Directory): WaitingItem[] {
  if (!isOpen(state, rc)) {
    return rc.status === 'superseded' ? [{ what: 'A new RC to be cut', who: holders(directory, 'platform', 'Platform team') }] : [];
  }
  const label = rcLabel(rc.number);
  const waiting: WaitingItem[] = [];
  if (!rc.qa) waiting.push({ what: `QA regression results on ${label}`, who: holders(directory, 'qaLead', 'QA lead') });
  for (const area of directory.areas) {
    const decision = rc.decisions[area.key];
    if (!decision) {
      waiting.push({ what: `${area.name} approval`, who: directory.nameOf(area.leadId) });
    } else if (decision.decision === 'rejected') {
      const reason = decision.reason ? ` (${decision.reason})` : '';
      waiting.push({
        what: `${area.name} rejection${reason} to be revoked, or a new RC`,
        who: directory.nameOf(decision.by),
      });
    }
  }
  if (canPromote(state, directory)) {
    waiting.push({ what: `Promotion of ${label}`, who: holders(directory, 'platform', 'Platform team') });
  }
  return waiting;
}

/** "Jake Edgington", "Jake Edgington or Ana Lopes", or the role's name when the directory can't say. */
function holders(directory: Directory, role: DirectoryRole, roleName: string): string {
  const people = directory.peopleWith?.(role) ?? [];
  return people.length > 0 ? people.map((id) => directory.nameOf(id)).join(' or ') : roleName;
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
