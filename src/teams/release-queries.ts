import { historyPageData, historyPageRange } from '../cards/history-card';
import { deploymentTitle } from '../domain/deployment';
import { statusCardData } from '../cards/status-card';
import { HISTORY_CHUNK } from '../app/documents';
import { holdEventsDuring, releaseSpan } from '../app/environment-holds';
import { Inbound } from './inbound';
import { liveThreadFor, redirectToLiveThread } from './orphan-threads';
import type { RouteDependencies } from './route-dependencies';

// `status [version]` and `history [version] [page n]`: read-only, answered in place.

interface QueryCommand {
  readonly release?: string;
  /** `status rc.3`: an RC without its release, which only a release thread can supply. */
  readonly rc?: number;
  /** `history … page 2`: the page of the trail, 1 (the newest events) by default. */
  readonly page?: number;
}

export async function statusReply(inbound: Inbound, command: QueryCommand, deps: RouteDependencies): Promise<object> {
  if (command.rc !== undefined && !command.release && !(await deps.threads.releaseOf(inbound.origin.conversationId))) {
    // Elsewhere `rc.3` names no release; guessing the latest one could show the wrong release.
    const live = await liveThreadFor(inbound.origin.conversationId, command.rc, deps);
    if (live) {
      const { problem, hint } = redirectToLiveThread(live, 'status');
      return deps.render('refusal', { title: "Can't do that", reason: problem, hint });
    }
    return deps.render('refusal', {
      title: "Can't do that",
      reason: `\`rc.${command.rc}\` alone only works inside a release thread, and this isn't one.`,
      hint: `Name the full version, for example \`status 2026.4.0-rc.${command.rc}\`.`,
    });
  }
  const version = await whichRelease(inbound, command, deps);
  if (!version) return noRelease(deps, 'status');
  const state = await deps.service.state(version);
  if (!state) return unknownRelease(deps, version);
  const { records, holds } = await deps.deployments.overview(deps.now());
  const deployments = records.filter((d) => d.state.version === version).map((d) => d.state);
  // Whoever stands in for an away lead is who the release waits for.
  const now = deps.now();
  const directory = await deps.deputies.directoryAt(deps.directory, now);
  return deps.render('status', statusCardData(state, { directory, timeZone: deps.config.timeZone, deployments, holds, now }));
}

/**
 * One page of the audit trail. Reads the release document and only the archived chunks the page's
 * events are in (at most three for a page of 40), so a page costs the same on a release with 40
 * events as on one with 40,000.
 */
export async function historyReply(inbound: Inbound, command: QueryCommand, deps: RouteDependencies): Promise<object> {
  const version = await whichRelease(inbound, command, deps);
  if (!version) return noRelease(deps, 'history');
  const doc = await deps.service.document(version);
  if (!doc) return unknownRelease(deps, version);
  const page = command.page ?? 1;
  const total = (doc.archivedChunks ?? 0) * HISTORY_CHUNK + doc.events.length;
  const { from, to, pages } = historyPageRange(total, page);
  if (page > pages) {
    return deps.render('refusal', {
      title: "Can't do that",
      reason: `The history of ${version} has ${pages === 1 ? 'one page' : `${pages} pages`}, so there is no page ${page}.`,
      hint: `Type \`history ${version}\` for the newest events${pages > 1 ? `, or \`history ${version} page ${pages}\` for the oldest` : ''}.`,
    });
  }
  // The page's events and the one after it, which bounds the page's deployment events in time.
  const events = await deps.service.eventsBetween(doc, from, Math.min(total, to + 1));
  const { records, holds } = await deps.deployments.allWithHolds();
  const ofRelease = records.filter((d) => d.state.version === version);
  const deployments = ofRelease.map((d) => ({ title: deploymentTitle(d.state), events: d.events }));
  const states = ofRelease.map((d) => d.state);
  const environments = holdEventsDuring(holds, states, releaseSpan(doc.state.rcs[0]?.cutAt ?? deps.now().toISOString(), states));
  const view = { directory: deps.directory, timeZone: deps.config.timeZone };
  return deps.render('history', historyPageData({ version, page, total, events: events.slice(0, to - from), newer: events[to - from], deployments, environments }, view));
}

/** The named release; else the thread's; else the most recently active one. */
export async function whichRelease(inbound: Inbound, command: QueryCommand, deps: RouteDependencies): Promise<string | undefined> {
  if (command.release) return command.release;
  const thread = await deps.threads.releaseOf(inbound.origin.conversationId);
  if (thread) return thread.release;
  return (await deps.service.releaseIndex())[0]?.version;
}

export function noRelease(deps: RouteDependencies, what: string): object {
  return deps.render('refusal', {
    title: 'No releases yet',
    reason: 'No RC has been cut yet, so there is nothing to show.',
    hint: `Cut one with \`rc 2026.4.0-rc.1\`, or name a release: \`${what} 2026.4.0\`.`,
  });
}

export function unknownRelease(deps: RouteDependencies, version: string): object {
  return deps.render('refusal', {
    title: `No record of ${version}`,
    reason: `No RC of ${version} has been cut.`,
    hint: `Check the version, or cut its first RC with \`rc ${version}-rc.1\`.`,
  });
}
