import { ParsedCommand } from '../commands/parse-command';
import { decidableAreas } from '../domain/deputies';
import { currentRc } from '../domain/release';
import { formatRc, rcLabel } from '../domain/version';
import { Inbound } from './inbound';
import type { RouteDependencies } from './route-dependencies';

// `lgtm`, `+1`, `approved`, a bare `approve` (or `-1`, a bare `reject`): someone meant to decide but
// typed no command. Nothing is recorded (an approval is the lead's explicit word on one RC); the
// answer is the exact command to type, with the thread's RC and the words they wrote.

type DecisionHint = Extract<ParsedCommand, { name: 'decisionHint' }>;

/** Words carried into the suggested command only while it stays one short line. */
const CARRIED_TEXT_MAX = 80;

export async function decisionHintText(inbound: Inbound, hint: DecisionHint, deps: RouteDependencies): Promise<string> {
  const mention = inbound.isPersonal ? '' : '@lendos ';
  const noun = hint.verb === 'approve' ? 'an approval' : 'a rejection';
  const carried = hint.text && hint.text.length <= CARRIED_TEXT_MAX && !hint.text.includes('\n') ? hint.text : undefined;
  const tail = hint.verb === 'approve' ? (carried ? ` ${carried}` : '') : ` ${carried ?? '<reason>'}`;
  const command = (rc: string) => `\`${mention}${hint.verb} ${rc}${tail}\``;
  const intro = `Nothing is recorded yet: I count ${noun} only from the command, for one RC.`;
  const comment = hint.verb === 'approve' ? ' Anything after the RC is kept as your comment.' : '';

  const thread = await deps.threads.releaseOf(inbound.origin.conversationId);
  const release = hint.ref?.kind === 'full' ? hint.ref.release : thread?.release;
  const state = release ? await deps.service.state(release) : undefined;
  if (release && state) {
    const current = currentRc(state)!;
    if (state.promotion) return `Nothing to ${hint.verb} here: ${release} was already promoted from ${rcLabel(state.promotion.rc)}.`;
    const meant = hint.ref?.rc ?? thread?.rc ?? current.number;
    const inThisThread = thread?.release === release && thread.rc === current.number;
    if (meant !== current.number) {
      return (
        `${intro} ${formatRc(release, meant)} is no longer the current RC of ${release}; ${formatRc(release, current.number)} is. ` +
        `To ${hint.verb} it, type ${command(inThisThread ? rcLabel(current.number) : formatRc(release, current.number))}.${comment}`
      );
    }
    return `${intro} To ${hint.verb} ${rcLabel(meant)}, type ${command(inThisThread ? rcLabel(meant) : formatRc(release, meant))}.${comment}`;
  }
  // Outside a release thread: the RC most recently cut and not yet promoted, else the usage's example.
  const open = (await deps.service.releaseIndex()).find((entry) => !entry.promoted);
  if (!open) return `Nothing is recorded: no RC waits for ${hint.verb === 'approve' ? 'approval' : 'a decision'} right now. \`${mention}status\` shows where the releases stand.`;
  const example = formatRc(open.version, open.currentRc);
  return `${intro} To ${hint.verb} ${example}, type ${command(example)} (or \`${hint.verb} rc.N\` in its thread in #engineering).${comment}`;
}

/**
 * Whether a message that did not @mention the bot (RSC: every channel message arrives) deserves the
 * hint: only in a release thread, from someone who decides an area now. Anyone else's "+1" is talk.
 */
export async function hintWanted(inbound: Inbound, deps: RouteDependencies): Promise<boolean> {
  if (!inbound.actor) return false;
  if (!(await deps.threads.releaseOf(inbound.origin.conversationId))) return false;
  const directory = await deps.deputies.directoryAt(deps.directory, deps.now());
  return decidableAreas(directory, inbound.actor.id).length > 0;
}
