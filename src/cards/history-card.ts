import { formatZoned } from '../domain/business-hours';
import { FreezeEvent } from '../domain/declared-freezes';
import { LockEvent } from '../domain/locks';
import { DeploymentEvent, Directory, EnvironmentRef, ReleaseEvent } from '../domain/types';
import { rcLabel } from '../domain/version';
import { HistoryCardData } from './card-data';
import { windowText } from './deployment-view';
import { formatInstant } from './format-time';
import { CardView, areaName } from './release-view';

// `history <version> [page <n>]`: the audit trail as plain English lines, oldest first, a page at
// a time: page 1 is the newest events, page 2 the ones before, and so on. A page is a fixed run of
// the release's own events plus the deployment events that happened between them, so a page is
// built from the events it shows and the one after, whatever the length of the whole trail.

/** Release events per page: the card stays well under Teams' ~28 KB. */
export const HISTORY_PAGE_SIZE = 40;

/** The release events (indexes, oldest 0) page `page` shows; pages count from the newest. */
export function historyPageRange(total: number, page: number, size = HISTORY_PAGE_SIZE): { readonly from: number; readonly to: number; readonly pages: number } {
  const pages = Math.max(1, Math.ceil(total / size));
  const to = Math.max(0, total - (page - 1) * size);
  return { from: Math.max(0, to - size), to, pages };
}

/** One page of a release's trail, as read from the store. */
export interface HistoryPageInput {
  readonly version: string;
  readonly page: number;
  /** The release's own events in all. */
  readonly total: number;
  /** Its events `from` … `to` − 1 (historyPageRange), oldest first. */
  readonly events: readonly ReleaseEvent[];
  /** Its event at `to`, the oldest of the next newer page (absent on page 1). */
  readonly newer?: ReleaseEvent;
  /** Every deployment of the release, with its events (a few per deployment, a few deployments). */
  readonly deployments?: readonly DeploymentHistory[];
  /** Locks and freezes of the release's environments during it (src/app/environment-holds.ts). */
  readonly environments?: readonly EnvironmentHistory[];
}

export interface EnvironmentHistory {
  readonly environment: EnvironmentRef;
  readonly events: readonly (LockEvent | FreezeEvent)[];
}

export function historyPageData(input: HistoryPageInput, view: CardView): HistoryCardData {
  const { version, page, total } = input;
  const { from, pages } = historyPageRange(total, page);
  // A deployment event goes after the release events at or before its time (ties: release first),
  // so it belongs to the page holding the last such release event.
  const first = from > 0 ? input.events[0]?.at : undefined;
  const last = input.newer?.at;
  let deploymentsEarlier = 0;
  const onThisPage = <E extends { at: string; by: string }>(event: E, describe: (event: E) => string) => {
    if (first !== undefined && event.at < first) {
      deploymentsEarlier += 1;
      return [];
    }
    if (last !== undefined && event.at >= last) return [];
    return [{ at: event.at, by: event.by, what: describe(event) }];
  };
  const deploymentLines = [
    ...(input.deployments ?? []).flatMap(({ title, events }) => {
      const bugs = events.flatMap((e) => (e.type === 'bugRecorded' ? [e.title] : []));
      return events.flatMap((event) => onThisPage(event, (e) => describeDeploymentEvent(e, title, view, bugs)));
    }),
    ...(input.environments ?? []).flatMap(({ environment, events }) => events.flatMap((event) => onThisPage(event, (e) => describeHoldEvent(e, environment, view)))),
  ];
  const lines = [...input.events.map((event) => ({ at: event.at, by: event.by, what: describeEvent(event, version, view.directory) })), ...deploymentLines].sort((a, b) =>
    a.at < b.at ? -1 : a.at > b.at ? 1 : 0,
  );
  const earlier = from + deploymentsEarlier;
  const older = earlier > 0 ? `${earlier} earlier ${earlier === 1 ? 'event' : 'events'}: type \`history ${version} page ${page + 1}\`.` : '';
  const note = page === 1 ? older : `Page ${page} of ${pages}${earlier > 0 ? '' : ', the oldest events'}.${older ? ` ${older}` : ''}`;
  return {
    version,
    title: `History of ${version}`,
    events: lines.map((line) => ({ time: formatInstant(line.at, view.timeZone), who: view.directory.nameOf(line.by), what: line.what })),
    note,
  };
}

/** A page of a trail held whole in memory (tests, small trails): the same card as the paged read. */
export function historyCardData(
  version: string,
  events: readonly ReleaseEvent[],
  view: CardView,
  options: { readonly page?: number; readonly deployments?: readonly DeploymentHistory[] } = {},
): HistoryCardData {
  const page = options.page ?? 1;
  const { from, to } = historyPageRange(events.length, page);
  return historyPageData({ version, page, total: events.length, events: events.slice(from, to), newer: events[to], deployments: options.deployments }, view);
}

/** A deployment's events for the release's audit trail. */
export interface DeploymentHistory {
  readonly title: string; // "Deploy 2026.4.0 to BXCI Production"
  readonly events: readonly DeploymentEvent[];
}

/** "Steven Inouye scheduled Deploy 2026.4.0 to BXCI Production". */
/** `bugs`: the titles of the deployment's bugs in the order recorded, which a filed issue names. */
export function describeDeploymentEvent(event: DeploymentEvent, title: string, view: CardView, bugs: readonly string[] = []): string {
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
      return `The meeting for ${title} was created: ${event.joinUrl}`;
    case 'bugRecorded':
      return `${who} reported a bug after ${title}: ${event.title}${event.url ? ` (${event.url})` : ''}`;
    case 'bugFiled':
      return `Filed GitHub issue #${event.issue} for the bug “${bugs[event.bug] ?? `number ${event.bug + 1}`}” after ${title}: ${event.url}`;
    case 'freezeOverridden':
      return `${who} overrode the freeze “${event.freeze}” to ${event.during} ${title}: ${event.reason}`;
  }
}

/** "Jake Edgington locked BXCI Staging until Wed 15 Apr 2026, 00:00 EDT: “database migration dry run”". */
export function describeHoldEvent(event: LockEvent | FreezeEvent, environment: EnvironmentRef, view: CardView): string {
  const { directory, timeZone } = view;
  const who = directory.nameOf(event.by);
  const time = (iso: string) => formatZoned(new Date(iso), timeZone);
  switch (event.type) {
    case 'environmentLocked':
      return `${who} locked ${environment.name} until ${time(event.until)}: “${event.reason}”`;
    case 'environmentUnlocked':
      return `${who} unlocked ${environment.name}${event.holder === event.by ? '' : ` (held by ${directory.nameOf(event.holder)}: “${event.reason}”)`}`;
    case 'freezeDeclared':
      return `${who} froze ${environment.name} from ${time(event.from)} until ${time(event.to)}: “${event.name}” (${event.hotfixes ? 'hotfixes may pass' : 'hotfixes too'})`;
    case 'freezeLifted':
      return `${who} lifted the freeze “${event.name}” on ${environment.name}`;
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
      return `${who} approved ${rc} for ${areaName(directory, event.area)}${deputyNote(directory, event.deputyFor)}${commentNote(event.comment)}`;
    case 'rejected':
      return `${who} rejected ${rc} for ${areaName(directory, event.area)}${deputyNote(directory, event.deputyFor)}: ${event.reason}`;
    case 'revoked':
      return `${who} revoked ${event.deputyFor ? 'the' : 'their'} ${event.revokedDecision === 'approved' ? 'approval' : 'rejection'} of ${rc} for ${areaName(directory, event.area)}${deputyNote(directory, event.deputyFor)}${commentNote(event.comment)}`;
    case 'promoted':
      return `${who} promoted ${rc} to ${version}`;
    case 'leadReminded':
      return event.step === 'thread'
        ? `Reminded ${directory.nameOf(event.person)} in the thread that ${rc} waits for ${areaName(directory, event.area)}`
        : `Reminded ${directory.nameOf(event.person)} in a personal chat that ${rc} waits for ${areaName(directory, event.area)}`;
    case 'leadUnreachable':
      return `Could not reach ${directory.nameOf(event.person)} in a personal chat (${event.reason}); told the Platform team`;
    case 'rcThreadPosted':
      return `Posted the thread of ${rc} in #engineering`;
  }
}

/** `: “looks good 👍 / thanks!”` after a decision written with a comment. */
function commentNote(comment: string | undefined): string {
  const line = commentLine(comment);
  return line ? `: “${line}”` : '';
}

/** A comment written with a decision on one line, its lines joined by " / "; undefined for none. */
export function commentLine(comment: string | undefined): string | undefined {
  const line = (comment ?? '')
    .split('\n')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .join(' / ');
  return line === '' ? undefined : line;
}

/** " (deputy of Steven Inouye)" after a decision a deputy made: "Bosko Kocev approved rc.1 for DAML (deputy of Steven Inouye)". */
function deputyNote(directory: Directory, deputyFor: string | undefined): string {
  return deputyFor ? ` (deputy of ${directory.nameOf(deputyFor)})` : '';
}
