import { TurnContext } from 'botbuilder';
import { ChannelKey } from '../app/documents';
import { errorFields } from '../logger';
import { Inbound } from './inbound';
import type { RouteDependencies } from './route-dependencies';

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
  // The binding is stored: from here on a failure must not reach the turn's error handler, whose
  // apology says nothing was changed. The confirmation is tried twice, then the log tells the truth.
  const confirmation = `This channel is now ${LABEL[channel]} for release posts. Registered by ${actor.name}.`;
  for (let attempt = 1; attempt <= 2; attempt += 1) {
    try {
      await context.sendActivity(confirmation);
      return;
    } catch (error) {
      const fields = { activityId: inbound.activityId, channel, attempt, ...errorFields(error) };
      if (attempt === 2) deps.logger.error(fields, 'register: the channel is bound, but the confirmation could not be posted');
      else deps.logger.warn(fields, 'register: the confirmation failed; trying once more');
    }
  }
}

function commandWord(channel: ChannelKey): string {
  return channel === 'productionSupport' ? 'production-support' : channel;
}
