import { Directory, ReleaseEvent } from '../domain/types';
import { rcLabel } from '../domain/version';
import { HistoryCardData } from './card-data';
import { formatInstant } from './format-time';
import { CardView, areaName } from './release-view';

// `history <version>`: the audit trail as plain English lines, oldest first.

/** A card must stay well under Teams' ~28 KB; older events beyond this are summarised in a note. */
const DEFAULT_MAX_EVENTS = 50;

export function historyCardData(
  version: string,
  events: readonly ReleaseEvent[],
  view: CardView,
  options: { readonly maxEvents?: number } = {},
): HistoryCardData {
  const max = options.maxEvents ?? DEFAULT_MAX_EVENTS;
  const shown = events.length > max ? events.slice(events.length - max) : events;
  return {
    version,
    title: `History of ${version}`,
    events: shown.map((event) => ({
      time: formatInstant(event.at, view.timeZone),
      who: view.directory.nameOf(event.by),
      what: describeEvent(event, version, view.directory),
    })),
    note: shown.length < events.length ? `Showing the last ${shown.length} of ${events.length} events.` : '',
  };
}

/** "Luis Garcia approved rc.3 for Product". */
export function describeEvent(event: ReleaseEvent, version: string, directory: Directory): string {
  const who = directory.nameOf(event.by);
  const rc = rcLabel(event.rc);
  switch (event.type) {
    case 'rcCut':
      return `${who} cut ${rc}${event.hotfix ? ' (hotfix)' : ''}`;
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
