import { BotError } from '../errors';
import { Directory, ReleaseState, RcState } from '../domain/types';
import { rcLabel } from '../domain/version';
import { canPromote } from '../domain/release';
import { CardStyle } from './card-data';

// What the RC card and the status card both say about an RC: the one status line, and the counts
// behind it. Pure functions of the state and the directory.

/** How a card shows times and people. */
export interface CardView {
  readonly directory: Directory;
  /** IANA zone the times are shown in, e.g. "America/New_York". */
  readonly timeZone: string;
}

/** A state in words, with an icon and the container style that mark it (never a text colour). */
export interface StatusLine {
  readonly text: string;
  readonly icon: string;
  readonly style: CardStyle;
}

export function findRc(state: ReleaseState, rcNumber: number): RcState {
  const rc = state.rcs.find((r) => r.number === rcNumber);
  if (!rc) throw new BotError('not-found', `${state.version} has no ${rcLabel(rcNumber)}`);
  return rc;
}

export function areaName(directory: Directory, key: string): string {
  return directory.areas.find((a) => a.key === key)?.name ?? key;
}

/** Open, and its release not promoted (from this RC or any other). */
export function isOpen(state: ReleaseState, rc: RcState): boolean {
  return rc.status === 'open' && state.promotion === undefined;
}

export function approvedAreas(rc: RcState, directory: Directory): readonly string[] {
  return directory.areas.filter((a) => rc.decisions[a.key]?.decision === 'approved').map((a) => a.key);
}

/** "Awaiting approvals — 3 of 5", "Blocked — rejected by QA (Rafaella Barrocas)", "Ready to promote", … */
export function rcStatusLine(state: ReleaseState, rc: RcState, directory: Directory): StatusLine {
  const promotion = state.promotion;
  if (rc.status === 'promoted' || promotion?.rc === rc.number) {
    return { text: `Promoted to ${state.version}`, icon: '🚀', style: 'good' };
  }
  if (rc.status === 'superseded') {
    const by = rc.supersededBy === undefined ? '' : ` by ${rcLabel(rc.supersededBy)}`;
    return { text: `Superseded${by} — approvals void`, icon: '⏸️', style: 'warning' };
  }
  if (promotion) {
    return { text: `Closed — ${state.version} was promoted from ${rcLabel(promotion.rc)}`, icon: '⏸️', style: 'warning' };
  }
  const rejections = directory.areas.filter((a) => rc.decisions[a.key]?.decision === 'rejected');
  if (rejections.length > 0) {
    const by = rejections.map((a) => `${a.name} (${directory.nameOf(rc.decisions[a.key]!.by)})`).join(', ');
    return { text: `Blocked — rejected by ${by}`, icon: '⛔', style: 'attention' };
  }
  // The open RC here is the current one (rejections were handled above): promotable is the domain's word.
  if (canPromote(state, directory)) return { text: 'Ready to promote', icon: '✅', style: 'good' };
  return {
    text: `Awaiting approvals — ${approvedAreas(rc, directory).length} of ${directory.areas.length}`,
    icon: '⏳',
    style: 'emphasis',
  };
}
