import { TurnContext } from 'botbuilder';
import { ChannelKey } from '../app/documents';
import { Inbound } from './inbound';
import type { RouteDependencies } from './routes';

const LABEL: Record<ChannelKey, string> = { engineering: '#engineering', general: '#general', productionSupport: '#production-support' };

/** `register engineering` typed in a channel makes it the bot's #engineering (Platform or IRC only). */
export async function registerChannel(
  context: TurnContext,
  inbound: Inbound,
  channel: ChannelKey,
  deps: RouteDependencies,
  refuse: (context: TurnContext, reason: string, hint?: string) => Promise<unknown>,
): Promise<void> {
  const actor = inbound.actor;
  if (!actor || !(deps.directory.isPlatform(actor.id) || deps.directory.isIrc(actor.id))) {
    await refuse(context, `Only the Platform team or an IRC can register ${LABEL[channel]}.`, 'Ask one of them to type the command in the channel.');
    return;
  }
  if (!inbound.channelId) {
    await refuse(context, `This isn't a channel, so I can't make it ${LABEL[channel]}.`, `Type \`@lendos register ${commandWord(channel)}\` in the ${LABEL[channel]} channel itself.`);
    return;
  }
  const target = { channelId: inbound.channelId, serviceUrl: inbound.origin.serviceUrl, teamId: inbound.teamId, tenantId: inbound.tenantId };
  await deps.channels.bind(channel, target, actor.id, deps.now());
  await context.sendActivity(`This channel is now ${LABEL[channel]} for release posts. Registered by ${actor.name}.`);
}

function commandWord(channel: ChannelKey): string {
  return channel === 'productionSupport' ? 'production-support' : channel;
}
