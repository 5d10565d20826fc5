import { Activity, ActivityTypes, CardFactory, ConversationParameters } from 'botbuilder';
import { AuthenticationConstants, BotFrameworkAuthentication, ClaimsIdentity, ConnectorClient } from 'botframework-connector';
import { ChannelTarget, ConversationTarget, ThreadRef } from '../app/documents';
import { OutboundMessage, TeamsGateway } from '../app/outbox';

/**
 * The outbox's view of Teams: new channel threads, posts and card updates as Bot Connector REST
 * calls. One ConnectorClient per service URL is kept (it caches its own access token), and calls
 * are made directly rather than through a proactive turn, so a failure reaches the outbox as an
 * error with the HTTP status it needs to decide between retrying and dropping.
 */
export function createTeamsGateway(auth: BotFrameworkAuthentication, botAppId: string): TeamsGateway {
  const clients = new Map<string, Promise<ConnectorClient>>();
  const bot = { id: botAppId, name: 'lendos' };

  const clientFor = (serviceUrl: string): Promise<ConnectorClient> => {
    let client = clients.get(serviceUrl);
    if (!client) {
      const identity = new ClaimsIdentity([
        { type: AuthenticationConstants.AudienceClaim, value: botAppId },
        { type: AuthenticationConstants.AppIdClaim, value: botAppId },
        { type: AuthenticationConstants.ServiceUrlClaim, value: serviceUrl },
      ]);
      client = auth.createConnectorFactory(identity).create(serviceUrl, undefined);
      client.catch(() => clients.delete(serviceUrl)); // a failed sign-in is tried again next time
      clients.set(serviceUrl, client);
    }
    return client;
  };

  const activityFor = (to: ConversationTarget, message: OutboundMessage): Partial<Activity> => ({
    ...toActivity(message),
    from: bot,
    channelId: 'msteams',
    serviceUrl: to.serviceUrl,
    conversation: { id: to.conversationId, isGroup: true, conversationType: 'channel', name: '', tenantId: to.tenantId },
  });

  return {
    async startThread(channel: ChannelTarget, message: OutboundMessage): Promise<ThreadRef> {
      const client = await clientFor(channel.serviceUrl);
      const parameters = {
        isGroup: true,
        bot,
        channelData: { channel: { id: channel.channelId }, ...(channel.teamId ? { team: { id: channel.teamId } } : {}) },
        activity: toActivity(message) as Activity,
        tenantId: channel.tenantId,
      } as ConversationParameters;
      const created = await client.conversations.createConversation(parameters);
      const activityId = created.activityId || (created.id ? messageIdOf(created.id) : undefined);
      if (!created.id || !activityId) {
        throw new Error(`Teams created conversation "${created.id}" without a message id; cannot thread replies under it`);
      }
      return { conversationId: created.id, activityId, serviceUrl: channel.serviceUrl, tenantId: channel.tenantId };
    },

    async send(to: ConversationTarget, message: OutboundMessage): Promise<string> {
      const client = await clientFor(to.serviceUrl);
      const sent = await client.conversations.sendToConversation(to.conversationId, activityFor(to, message) as Activity);
      if (!sent.id) throw new Error('Teams accepted the post but returned no activity id');
      return sent.id;
    },

    async update(post: ThreadRef, message: OutboundMessage): Promise<void> {
      const client = await clientFor(post.serviceUrl);
      await client.conversations.updateActivity(post.conversationId, post.activityId, { ...activityFor(post, message), id: post.activityId } as Activity);
    },
  };
}

/** "19:abc@thread.tacv2;messageid=1712345" → "1712345": a channel thread is named by its root post. */
export function messageIdOf(conversationId: string): string | undefined {
  return /;messageid=([^;]+)/.exec(conversationId)?.[1];
}

function toActivity(message: OutboundMessage): Partial<Activity> {
  return {
    type: ActivityTypes.Message,
    ...(message.text ? { text: message.text, textFormat: 'markdown' } : {}),
    ...(message.card ? { attachments: [CardFactory.adaptiveCard(message.card)] } : {}),
    ...(message.mentions?.length
      ? {
          entities: message.mentions.map((person) => ({
            type: 'mention',
            text: `<at>${person.name}</at>`,
            mentioned: { id: person.id, name: person.name },
          })),
        }
      : {}),
  };
}
