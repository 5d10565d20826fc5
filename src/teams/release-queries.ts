import { historyCardData } from '../cards/history-card';
import { deploymentTitle } from '../domain/deployment';
import { statusCardData } from '../cards/status-card';
import { RELEASE_INDEX_ID, ReleaseIndexDocument, SETTINGS_PARTITION } from '../app/documents';
import { Inbound } from './inbound';
import type { RouteDependencies } from './routes';

// `status [version]` and `history [version]`: read-only, answered in place.

interface QueryCommand {
  readonly release?: string;
  /** `status rc.3`: an RC without its release, which only a release thread can supply. */
  readonly rc?: number;
}

export async function statusReply(inbound: Inbound, command: QueryCommand, deps: RouteDependencies): Promise<object> {
  if (command.rc !== undefined && !command.release && !(await deps.threads.releaseOf(inbound.origin.conversationId))) {
    // Elsewhere `rc.3` names no release; guessing the latest one could show the wrong release.
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
  const deployments = (await deps.deployments.all()).filter((d) => d.state.version === version).map((d) => d.state);
  return deps.render('status', statusCardData(state, { directory: deps.directory, timeZone: deps.config.timeZone, deployments }));
}

export async function historyReply(inbound: Inbound, command: QueryCommand, deps: RouteDependencies): Promise<object> {
  const version = await whichRelease(inbound, command, deps);
  if (!version) return noRelease(deps, 'history');
  const events = await deps.service.history(version);
  if (!events) return unknownRelease(deps, version);
  const deployments = (await deps.deployments.all())
    .filter((d) => d.state.version === version)
    .map((d) => ({ title: deploymentTitle(d.state), events: d.events }));
  return deps.render('history', historyCardData(version, events, { directory: deps.directory, timeZone: deps.config.timeZone }, { deployments }));
}

/** The named release; else the thread's; else the most recently active one. */
export async function whichRelease(inbound: Inbound, command: QueryCommand, deps: RouteDependencies): Promise<string | undefined> {
  if (command.release) return command.release;
  const thread = await deps.threads.releaseOf(inbound.origin.conversationId);
  if (thread) return thread.release;
  const index = await deps.store.read<ReleaseIndexDocument>(SETTINGS_PARTITION, RELEASE_INDEX_ID);
  return index?.doc.releases[0]?.version;
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
