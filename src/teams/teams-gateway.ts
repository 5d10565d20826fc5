import { Activity, ActivityTypes, CardFactory, CloudAdapter, ConversationParameters, ConversationReference, TurnContext } from 'botbuilder';
import { ChannelTarget, ConversationTarget, ThreadRef } from '../app/documents';
import { OutboundMessage, TeamsGateway } from '../app/outbox';

/**
 * The outbox's view of Teams: proactive posts, replies and card updates through the Bot Connector.
 * botbuilder hands an error thrown inside a proactive turn to onTurnError and resolves, so each
 * call carries its failure out of the turn itself: the outbox must see it to retry.
 */
export function createTeamsGateway(adapter: CloudAdapter, botAppId: string): TeamsGateway {
  const continueIn = async (to: ConversationTarget, logic: (context: TurnContext) => Promise<void>) => {
    const reference: Partial<ConversationReference> = {
      channelId: 'msteams',
      serviceUrl: to.serviceUrl,
      conversation: { id: to.conversationId, isGroup: true, conversationType: 'channel', name: '', tenantId: to.tenantId },
      bot: { id: botAppId, name: 'lendos' },
    };
    await proactively((turn) => adapter.continueConversationAsync(botAppId, reference, turn), logic);
  };

  return {
    async startThread(channel: ChannelTarget, message: OutboundMessage): Promise<ThreadRef> {
      const parameters = {
        isGroup: true,
        bot: { id: botAppId, name: 'lendos' },
        channelData: { channel: { id: channel.channelId }, ...(channel.teamId ? { team: { id: channel.teamId } } : {}) },
        activity: toActivity(message) as Activity,
        tenantId: channel.tenantId,
      } as ConversationParameters;
      let conversationId: string | undefined;
      await proactively(
        (turn) => adapter.createConversationAsync(botAppId, 'msteams', channel.serviceUrl, '', parameters, turn),
        async (context) => {
          conversationId = context.activity.conversation.id;
        },
      );
      const activityId = conversationId ? messageIdOf(conversationId) : undefined;
      if (!conversationId || !activityId) {
        throw new Error(`Teams created conversation "${conversationId}" without a message id; cannot thread replies under it`);
      }
      return { conversationId, activityId, serviceUrl: channel.serviceUrl, tenantId: channel.tenantId };
    },

    async send(to: ConversationTarget, message: OutboundMessage): Promise<string> {
      let activityId: string | undefined;
      await continueIn(to, async (context) => {
        activityId = (await context.sendActivity(toActivity(message)))?.id;
      });
      if (!activityId) throw new Error('Teams accepted the post but returned no activity id');
      return activityId;
    },

    async update(thread: ThreadRef, message: OutboundMessage): Promise<void> {
      await continueIn(thread, async (context) => {
        await context.updateActivity({ ...toActivity(message), id: thread.activityId });
      });
    },
  };
}

/** Runs turn logic through `start` and throws what the logic threw, instead of letting onTurnError eat it. */
async function proactively(
  start: (logic: (context: TurnContext) => Promise<void>) => Promise<void>,
  logic: (context: TurnContext) => Promise<void>,
): Promise<void> {
  let failure: { error: unknown } | undefined;
  await start(async (context) => {
    try {
      await logic(context);
    } catch (error) {
      failure = { error };
    }
  });
  if (failure) throw failure.error;
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
