import { formatWindow } from '../domain/business-hours';
import { DeploymentState, Directory, DirectoryRole } from '../domain/types';
import { DeploymentCardRef } from './card-data';

// What the deployment cards share: how a window reads, whom a role names, and the reference every
// button carries. Pure functions of the state, the directory and the zone.

/** How a deployment card shows times and people. */
export interface DeploymentCardView {
  readonly directory: Directory;
  /** IANA zone the times are shown in, e.g. "America/New_York". */
  readonly timeZone: string;
}

export function deploymentRef(state: DeploymentState): DeploymentCardRef {
  return { deploymentId: state.id, revision: state.revision };
}

/** "Tue 14 Apr 2026, 22:00–23:30 EDT (02:00–03:30 UTC)". */
export function windowText(window: DeploymentState['window'], timeZone: string): string {
  return formatWindow(new Date(window.start), new Date(window.end), timeZone);
}

/** The planned length, which is also the ~90 min estimate the tracker's clock runs against. */
export function plannedMinutes(state: DeploymentState): number {
  return Math.round((Date.parse(state.window.end) - Date.parse(state.window.start)) / 60_000);
}

/** "an IRC (Steven Inouye)", or "an IRC" when the directory can't say who. */
export function roleHolders(directory: Directory, role: DirectoryRole, title: string): string {
  const people = (directory.peopleWith?.(role) ?? []).map((id) => directory.nameOf(id));
  return people.length > 0 ? `${title} (${listOf(people, 'or')})` : title;
}

export function listOf(items: readonly string[], conjunction: 'and' | 'or'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}
