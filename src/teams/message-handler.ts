import { TurnContext, CardFactory } from 'botbuilder';
import { ParseOptions, ParsedCommand, parseTeamsMessage } from '../commands/parse-command';
import { createDeploymentHandlers } from './deployment-handler';
import { ReleaseCommand } from '../domain/types';
import { Logger } from '../logger';
import { helpCardData } from '../cards/help-card';
import { LruCache } from '../app/lru-cache';
import type { AnswerClaim } from '../app/answered-activities';
import { Inbound, readInbound } from './inbound';
import { registerChannel } from './register-channel';
import { runDeputyCommand } from './deputy-handler';
import { liveThreadFor, redirectToLiveThread } from './orphan-threads';
import { historyReply, statusReply } from './release-queries';
import { evidenceReply } from './evidence-reply';
import { changeLock } from './lock-handler';
import { decisionHintText, hintWanted } from './decision-hint';
import { changeFreeze } from './freeze-handler';
import { metricsCardData } from '../cards/metrics-card';
import type { RouteDependencies } from './routes';

const ANYONE = { id: '', name: 'there' };

type ReleaseCommandName = 'rc' | 'qa' | 'approve' | 'reject' | 'revoke' | 'promote';

/** Every typed command: parse, check who is asking, run the use case, answer. */
export function createMessageHandler(deps: RouteDependencies, deployments: ReturnType<typeof createDeploymentHandlers>) {
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
    switch (command.name) {
      case 'decisionHint':
        // Without the mention (RSC) only a decider in a release thread is answered; anyone else's "+1" is talk.
        if (!inbound.isPersonal && !addressesBot(context.activity) && !(await hintWanted(inbound, deps))) return;
        await context.sendActivity(await decisionHintText(inbound, command, deps));
        return;
      case 'help':
        await replyCard(context, deps.render('help', helpCardData(inbound.actor ?? ANYONE, deps.directory)));
        return;
      case 'register':
        await registerChannel(context, inbound, command.channel, deps, refuse);
        return;
      case 'away':
      case 'back':
        await runDeputyCommand(context, inbound, command, deps, refuse);
        return;
      case 'status':
        await replyCard(context, await statusReply(inbound, command, deps));
        return;
      case 'history':
        await replyCard(context, await historyReply(inbound, command, deps));
        return;
      case 'evidence':
        await replyCard(context, await evidenceReply(inbound, command, deps));
        return;
      case 'metrics':
        await replyCard(context, deps.render('metrics', metricsCardData(await deps.metrics.metrics(command), deps.config.timeZone)));
        return;
      case 'rc':
      case 'qa':
      case 'approve':
      case 'reject':
      case 'revoke':
      case 'promote':
        await runReleaseCommand(context, inbound, command, deps, refuse, deps.logger);
        return;
      case 'lock':
      case 'unlock':
        await changeLock(inbound, command, deps, (reason, hint) => refuse(context, reason, hint));
        return;
      case 'freeze':
      case 'unfreeze':
        await changeFreeze(inbound, command, deps, (reason, hint) => refuse(context, reason, hint));
        return;
      default:
        await deployments.onTyped(context, inbound, command, (refusal) => refuse(context, refusal.reason, refusal.hint));
    }
  }
}

async function runReleaseCommand(
  context: TurnContext,
  inbound: Inbound,
  command: Extract<ParsedCommand, { name: ReleaseCommandName }>,
  deps: RouteDependencies,
  refuse: (context: TurnContext, reason: string, hint?: string) => Promise<unknown>,
  logger: Logger,
): Promise<void> {
  if (!inbound.actor) {
    await refuse(context, "Teams didn't tell me who you are, so I can't record this.", 'Send the command from your own Teams account.');
    return;
  }
  const target = await resolveTarget(inbound, command, deps);
  if ('problem' in target) {
    await refuse(context, target.problem, target.hint);
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
  if (result.kind === 'refused') await refuse(context, result.refusal.reason, result.refusal.hint);
  if (result.kind === 'duplicate') logger.info({ activityId: inbound.activityId, release: target.release }, 'duplicate delivery ignored');
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

/** Whether the message @mentions the bot (Teams' mention entity), or starts with "@lendos" typed out. */
function addressesBot(activity: TurnContext['activity']): boolean {
  const bot = activity.recipient?.id;
  const mentioned = (activity.entities ?? []).some((entity) => entity.type === 'mention' && (entity as { mentioned?: { id?: string } }).mentioned?.id === bot);
  return mentioned || /^\s*(?:<p>\s*)?@lendos\b/i.test(activity.text ?? '');
}
