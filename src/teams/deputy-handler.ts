import { atMention } from '../cards/mention-text';
import { TurnContext } from 'botbuilder';
import { personIdResolver } from '../config/directory-from-config';
import { formatZoned } from '../domain/business-hours';
import { DeputyCommand, DeputyEvent } from '../domain/deputies';
import { listOf } from '../domain/rule-helpers';
import type { KnownInbound } from './routes/route-table';
import type { RouteDependencies } from './route-dependencies';

type DeputyTyped = { readonly name: 'away'; readonly lead?: string; readonly deputy: string; readonly until: Date } | { readonly name: 'back'; readonly lead?: string };

/** `away … deputy …` and `back`: names or ends a deputy, and says so with the deputy @mentioned. */
export async function runDeputyCommand(
  context: TurnContext,
  inbound: KnownInbound,
  typed: DeputyTyped,
  deps: RouteDependencies,
  refuse: (context: TurnContext, reason: string, hint?: string) => Promise<unknown>,
): Promise<void> {
  const actor = inbound.actor;
  const idOf = personIdResolver(deps.config);
  const lead = typed.lead ? idOf(typed.lead) : actor.id;
  const command: DeputyCommand =
    typed.name === 'away' ? { type: 'nameDeputy', lead, deputy: idOf(typed.deputy), until: typed.until } : { type: 'endDeputy', lead };
  const result = await deps.deputies.execute({ command, actor, activityId: inbound.activityId, now: deps.now() });
  if (result.kind === 'refused') {
    await refuse(context, result.refusal.reason, result.refusal.hint);
    return;
  }
  if (result.kind === 'duplicate') return;
  const { directory } = deps;
  const first = result.events[0] as DeputyEvent;
  const areas = listOf(result.events.map((event) => directory.areas.find((area) => area.key === event.area)?.name ?? event.area), 'and');
  const deputy = { id: first.deputy, name: directory.nameOf(first.deputy) };
  const leadName = directory.nameOf(first.lead);
  const text =
    first.type === 'deputyNamed'
      ? `🧭 ${atMention(deputy.name)} decides ${areas} as ${leadName}'s deputy until ${formatZoned(new Date(first.until), deps.config.timeZone)}: ` +
        `approve, reject or revoke it on any RC until then (one area per person per RC still; decisions read "${deputy.name} for ${areas} (deputy of ${leadName})"). ` +
        `\`back\` ends it early.`
      : `👋 ${leadName} is back: ${atMention(deputy.name)} no longer decides ${areas} for them.`;
  await context.sendActivity({
    text,
    textFormat: 'markdown',
    entities: [{ type: 'mention', text: atMention(deputy.name), mentioned: { id: deputy.id, name: deputy.name } }],
  });
}
