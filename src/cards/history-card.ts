import { DeploymentEvent, Directory, ReleaseEvent } from '../domain/types';
import { rcLabel } from '../domain/version';
import { HistoryCardData } from './card-data';
import { windowText } from './deployment-view';
import { formatInstant } from './format-time';
import { CardView, areaName } from './release-view';

// `history <version>`: the audit trail as plain English lines, oldest first.

/** A card must stay well under Teams' ~28 KB; older events beyond this are summarised in a note. */
const DEFAULT_MAX_EVENTS = 50;

export function historyCardData(
  version: string,
  events: readonly ReleaseEvent[],
  view: CardView,
  options: { readonly maxEvents?: number; readonly deployments?: readonly DeploymentHistory[] } = {},
): HistoryCardData {
  const max = options.maxEvents ?? DEFAULT_MAX_EVENTS;
  const lines = [
    ...events.map((event) => ({ at: event.at, by: event.by, what: describeEvent(event, version, view.directory) })),
    ...(options.deployments ?? []).flatMap(({ title, events: deploymentEvents }) =>
      deploymentEvents.map((event) => ({ at: event.at, by: event.by, what: describeDeploymentEvent(event, title, view) })),
    ),
  ].sort((a, b) => a.at.localeCompare(b.at));
  const shown = lines.length > max ? lines.slice(lines.length - max) : lines;
  return {
    version,
    title: `History of ${version}`,
    events: shown.map((line) => ({
      time: formatInstant(line.at, view.timeZone),
      who: view.directory.nameOf(line.by),
      what: line.what,
    })),
    note: shown.length < lines.length ? `Showing the last ${shown.length} of ${lines.length} events.` : '',
  };
}

/** A deployment's events for the release's audit trail. */
export interface DeploymentHistory {
  readonly title: string; // "Deploy 2026.4.0 to BXCI Production"
  readonly events: readonly DeploymentEvent[];
}

/** "Steven Inouye scheduled Deploy 2026.4.0 to BXCI Production". */
export function describeDeploymentEvent(event: DeploymentEvent, title: string, view: CardView): string {
  const { directory } = view;
  const who = directory.nameOf(event.by);
  switch (event.type) {
    case 'deploymentScheduled':
      return `${who} scheduled ${title} for ${windowText(event.window, view.timeZone)} (engineer ${directory.nameOf(event.engineer)}; validators ${event.validators.map((v) => directory.nameOf(v)).join(', ')})`;
    case 'deploymentRescheduled':
      return `${who} rescheduled ${title} to ${windowText(event.window, view.timeZone)}`;
    case 'deploymentCancelled':
      return `${who} cancelled ${title}: ${event.reason}`;
    case 'onCallConfirmed':
      return `${who} confirmed ${directory.nameOf(event.person)} on call for ${title}`;
    case 'onCallOverridden':
      return `${who} put ${directory.nameOf(event.person)} on call for ${title}: ${event.reason}`;
    case 'deploymentStarted':
      return `${who} started ${title}`;
    case 'deploymentReady':
      return `${who} signalled ${title} ready`;
    case 'deploymentStable':
      return `${who} confirmed the environment stable (${title})`;
    case 'smokeRecorded':
      return `${who} recorded smoke ${event.result}${event.notes ? `: ${event.notes}` : ''} (${title})`;
    case 'deploymentLive':
      return `${who} took ${title} live${event.override ? ` with an override: ${event.override.reason}` : ''}`;
    case 'deploymentAborted':
      return `${who} aborted ${title}: ${event.reason}`;
    case 'meetingRecorded':
      return `The meeting for ${title} was created`;
    case 'bugRecorded':
      return `${who} reported a bug after ${title}: ${event.title}`;
  }
}

/** "Luis Garcia approved rc.3 for Product". */
export function describeEvent(event: ReleaseEvent, version: string, directory: Directory): string {
  const who = directory.nameOf(event.by);
  const rc = rcLabel(event.rc);
  switch (event.type) {
    case 'rcCut':
      return `${who} cut ${rc}${event.hotfix ? ' (hotfix)' : ''}${event.contents.source ? ` from GitHub (published by @${event.contents.source.login})` : ''}`;
    case 'rcSuperseded': {
      const voided = event.voidedAreas.map((key) => areaName(directory, key));
      const tail = voided.length > 0 ? `; its ${voided.join(', ')} decisions are void` : '';
      return `${who} superseded ${rc} with ${rcLabel(event.supersededBy)}${tail}`;
    }
    case 'qaRecorded':
      return `${who} recorded QA ${event.result} on ${rc}${event.summary ? `: ${event.summary}` : ''}`;
    case 'approved':
      return `${who} approved ${rc} for ${areaName(directory, event.area)}`;
    case 'rejected':
      return `${who} rejected ${rc} for ${areaName(directory, event.area)}: ${event.reason}`;
    case 'revoked':
      return `${who} revoked their ${event.revokedDecision === 'approved' ? 'approval' : 'rejection'} of ${rc} for ${areaName(directory, event.area)}`;
    case 'promoted':
      return `${who} promoted ${rc} to ${version}`;
  }
}
