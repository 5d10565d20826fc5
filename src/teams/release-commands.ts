import { ParsedCommand } from '../commands/parse-command';
import { ReleaseCommand } from '../domain/types';
import { Inbound } from './inbound';
import type { KnownInbound } from './routes/route-table';
import { liveThreadFor, redirectToLiveThread } from './orphan-threads';
import type { RouteDependencies } from './route-dependencies';

// `rc`, `qa`, `approve`, `reject`, `revoke`, `promote` typed: which release it is about, then the
// release use case; a refusal is answered in place, the rest arrives through the outbox.

export type ReleaseCommandName = 'rc' | 'qa' | 'approve' | 'reject' | 'revoke' | 'promote';

export async function runReleaseCommand(
  inbound: KnownInbound,
  command: Extract<ParsedCommand, { name: ReleaseCommandName }>,
  deps: RouteDependencies,
  refuse: (reason: string, hint?: string) => Promise<unknown>,
): Promise<void> {
  const target = await resolveTarget(inbound, command, deps);
  if ('problem' in target) {
    await refuse(target.problem, target.hint);
    return;
  }
  const result = await deps.service.execute({
    version: target.release,
    command: target.command,
    actor: inbound.actor,
    activityId: inbound.activityId,
    origin: inbound.origin,
    engineering: deps.channels.get('engineering'),
    now: deps.now(),
  });
  if (result.kind === 'refused') await refuse(result.refusal.reason, result.refusal.hint);
  if (result.kind === 'duplicate') deps.logger.info({ activityId: inbound.activityId, release: target.release }, 'duplicate delivery ignored');
}

type Target = { release: string; command: ReleaseCommand } | { problem: string; hint: string };

/** Which release a command is about: its full version, or the RC thread it was typed in. */
async function resolveTarget(
  inbound: Inbound,
  command: Extract<ParsedCommand, { name: ReleaseCommandName }>,
  deps: RouteDependencies,
): Promise<Target> {
  if (command.name === 'rc') {
    return { release: command.release, command: { type: 'cutRc', rc: command.rc, hotfix: command.hotfix, contents: command.contents } };
  }
  let release: string;
  if (command.ref.kind === 'full') {
    release = command.ref.release;
  } else {
    const thread = await deps.threads.releaseOf(inbound.origin.conversationId);
    if (!thread) {
      const live = await liveThreadFor(inbound.origin.conversationId, command.ref.rc, deps);
      if (live) return redirectToLiveThread(live, command.name);
      return {
        problem: `\`rc.${command.ref.rc}\` alone only works inside a release thread, and this isn't one.`,
        hint: `Name the full version, for example \`${command.name} 2026.4.0-rc.${command.ref.rc}\`.`,
      };
    }
    release = thread.release;
  }
  const rc = command.ref.rc;
  switch (command.name) {
    case 'qa':
      return { release, command: { type: 'recordQa', rc, result: command.result, summary: command.summary } };
    case 'approve':
      return { release, command: { type: 'approve', rc, area: command.area, ...(command.comment ? { comment: command.comment } : {}) } };
    case 'reject':
      return { release, command: { type: 'reject', rc, reason: command.reason, area: command.area } };
    case 'revoke':
      return { release, command: { type: 'revoke', rc, area: command.area, ...(command.comment ? { comment: command.comment } : {}) } };
    case 'promote':
      return { release, command: { type: 'promote', rc, notesUrl: command.notesUrl } };
  }
}
