import { TurnContext, CardFactory } from 'botbuilder';
import { ParseOptions, parseTeamsMessage } from '../commands/parse-command';
import { LruCache } from '../app/lru-cache';
import type { AnswerClaim } from '../app/answered-activities';
import { Inbound, readInbound } from './inbound';
import { routeCommand } from './routes/all-routes';
import type { CommandTurn } from './routes/route-table';
import type { RouteDependencies } from './route-dependencies';
import { addressesBot } from './addressed';

/** Every typed command: parse, then the route of its kind (src/teams/routes/all-routes.ts) runs it. */
export function createMessageHandler(deps: RouteDependencies) {
  const replyCard = (context: TurnContext, card: object) => context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
  const refuse = (context: TurnContext, reason: string, hint = '') =>
    replyCard(context, deps.render('refusal', { title: "Can't do that", reason, hint }));
  const parseOptions: ParseOptions = {
    areas: deps.directory.areas.map((area) => area.key),
    environments: deps.config.environments,
    people: deps.config.people.map((person) => ({ key: person.key, name: person.name })),
    timeZone: deps.config.timeZone,
  };

  // State changes are deduplicated durably in their documents. An answer that changes nothing (a
  // refusal, help, status) is sent only by the instance that claims it in the shared record of
  // answered activities, so Teams redelivering it — to this instance or another — is answered once.
  // The claim is made when the first reply is about to go out, not before handling: a redelivery
  // that reaches another instance while the first is still working is handled there too (a state
  // change is applied once by its document), and only one of them speaks.
  const answeredHere = new LruCache<true>(2_000);

  return async (context: TurnContext): Promise<void> => {
    const id = context.activity.id;
    const key = id ? `${context.activity.conversation?.id ?? ''}\u0000${id}` : undefined;
    if (key && answeredHere.get(key)) {
      deps.logger.info({ activityId: id }, 'duplicate delivery ignored');
      return;
    }
    if (id) answerOnce(context, id);
    await handle(context);
    if (key) answeredHere.set(key, true);
  };

  /**
   * Lets the turn's replies out only once this instance has claimed the answer to the activity, and
   * marks the claim sent when the first of them went out (until then another instance holding a copy
   * waits, and answers itself if this one never does).
   */
  function answerOnce(context: TurnContext, activityId: string): void {
    let claim: Promise<AnswerClaim> | undefined;
    let marked = false;
    context.onSendActivities(async (_context, activities, next) => {
      claim ??= deps.answered.claim(context.activity.conversation?.id ?? '', activityId, deps.now());
      const answer = await claim;
      if (!answer.mine) {
        deps.logger.info({ activityId }, 'redelivered activity already answered by another instance; not answering again');
        return activities.map(() => ({ id: '' }));
      }
      const sent = await next();
      if (!marked) {
        marked = true;
        await answer.sent();
      }
      return sent;
    });
  }

  async function handle(context: TurnContext): Promise<void> {
    const read = readInbound(context.activity, deps.directory);
    if (!read.ok) {
      deps.logger.warn({ activityId: context.activity.id, problem: read.problem }, 'unreadable activity');
      await context.sendActivity("I couldn't read that message (it was missing who sent it or where). Please try again.");
      return;
    }
    const inbound = read.inbound;
    const parsed = parseTeamsMessage(context.activity.text ?? '', parseOptions);
    // With the RSC permission ChannelMessage.Read.Group Teams hands the bot every channel message. One
    // that does not mention the bot is read only when it is a command; anything else (people talking,
    // or addressing someone else: "@Luis approve rc.3") gets no reply and leaves nothing of what they
    // wrote in the log.
    const text = context.activity.text ?? '';
    if (!inbound.isPersonal && !addressesBot(context.activity) && (!parsed.ok || MENTION_FIRST.test(text))) {
      deps.logger.debug?.({ activityId: inbound.activityId }, 'ignored a message without a mention that is not a command');
      return;
    }
    if (!parsed.ok) {
      await refuse(context, parsed.error, await usageHere(deps, inbound, parsed.command, parsed.usage));
      return;
    }
    const command = parsed.command;
    const turn: CommandTurn = {
      context,
      inbound,
      deps,
      refuse: (reason, hint) => refuse(context, reason, hint),
      replyCard: (card) => replyCard(context, card),
    };
    await routeCommand(turn, command);
  }
}

/** Commands whose usage example names an RC (`approve rc.3 …`). */
const RC_EXAMPLES: ReadonlySet<string> = new Set(['qa', 'approve', 'reject', 'revoke', 'promote']);

/**
 * A usage whose example names an RC, typed in a release thread: the example names that release's
 * current RC, so it works as shown (`approve rc.1 looks good 👍`, not a made-up rc.3).
 */
async function usageHere(deps: RouteDependencies, inbound: Inbound, command: string | undefined, usage: string): Promise<string> {
  if (!command || !RC_EXAMPLES.has(command)) return usage;
  const thread = await deps.threads.releaseOf(inbound.origin.conversationId, { wait: false });
  const state = thread ? await deps.service.state(thread.release) : undefined;
  const current = state && !state.promotion ? state.rcs[state.rcs.length - 1] : undefined;
  if (!thread || !state || !current) return usage;
  const label = current.number === thread.rc ? `rc.${current.number}` : `${state.version}-rc.${current.number}`;
  return usage
    .split('\n')
    .map((line) => (line.startsWith('Example: ') ? line.replace(/(?<![\w.-])rc\.3\b/g, label) : line))
    .join('\n');
}

/** A message that opens with an @mention (of whoever: the bot's own is checked apart). */
const MENTION_FIRST = /^\s*(?:<p>\s*)?<at>/i;
