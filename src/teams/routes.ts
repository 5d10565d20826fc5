import { ActivityTypes, TurnContext } from 'botbuilder';
// First: teams-ai's Application below then loads without its unused AI and sign-in stacks.
import './deferred-modules';
// Deep imports: the package index also loads its AI stack (OpenAI clients, tokenizers), which this bot never uses.
import { Application } from '@microsoft/teams-ai/lib/Application';
import { TurnState } from '@microsoft/teams-ai/lib/TurnState';
import { AdaptiveCardJson, cardAttachment } from '../cards/render';
import { errorFields } from '../logger';
import { createMessageHandler } from './message-handler';
import { createUnhandledInvokeHandler } from './unhandled-invoke';
import { cardRoute, dialogRoutes, unknownButton } from './routes/all-routes';
import type { RouteDependencies } from './route-dependencies';

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/**
 * Every route the bot answers, in one place: the typed commands, card buttons and dialogs by the
 * feature tables of src/teams/routes/, and the activities around them. Handlers live beside this file.
 */
export function createBotApplication(deps: RouteDependencies): Application<TurnState> {
  const app = new Application<TurnState>({
    adapter: deps.adapter,
    botAppId: deps.appId,
    startTypingTimer: false,
    removeRecipientMention: false, // the command parser strips mentions itself, keeping line breaks
    longRunningMessages: false,
  });

  // Teams names the tenant on every activity; one that names none is not taken to be ours.
  const tenantOf = (context: TurnContext): string | undefined =>
    context.activity.channelData?.tenant?.id ?? context.activity.conversation?.tenantId;
  app.turn('beforeTurn', async (context) => {
    const tenant = tenantOf(context);
    if (tenant === deps.config.tenantId) return true;
    deps.logger.warn({ activityId: context.activity.id, tenant: tenant ?? '(none)' }, 'refused an activity from another tenant');
    if (context.activity.type === ActivityTypes.Invoke) {
      await context.sendActivity({ type: 'invokeResponse', value: { status: 403, body: { statusCode: 403, type: 'application/vnd.microsoft.error', value: { code: 'Forbidden', message: 'This bot serves another tenant.' } } } });
    }
    return false;
  });

  // A button's verb picks its feature's route (src/teams/routes/*-routes.ts); a verb none routes is refused.
  const cardFor = async (context: TurnContext, data: Record<string, unknown>): Promise<AdaptiveCardJson> => {
    try {
      const verb = String(context.activity.value?.action?.verb ?? '');
      const route = cardRoute(verb);
      if (!route) return unknownButton(deps, verb);
      return await route({ context, deps, verb }, data);
    } catch (error) {
      deps.logger.error({ activityId: context.activity.id, ...errorFields(error) }, 'card action failed');
      return deps.render('refusal', {
        title: "That didn't go through",
        reason: 'Something went wrong on my side and nothing was changed.',
        hint: 'Click the button again in a moment.',
      });
    }
  };
  app.adaptiveCards.actionExecute(/.*/, async (context, _state, data) => {
    const card = await cardFor(context, data);
    // Answered here, not by teams-ai: given a card that carries `refresh`, teams-ai 1.7 also puts it
    // in place of the message for everyone (updateActivity). A person's own view must reach them
    // alone; everyone else's card is updated with the base card through the outbox.
    await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body: { statusCode: 200, type: ADAPTIVE_CARD, value: card } } });
    return card;
  });

  // teams-ai answers a throwing handler with 501; the person gets a sentence instead.
  const dialogFailed = (context: TurnContext, error: unknown) => {
    deps.logger.error({ activityId: context.activity.id, ...errorFields(error) }, 'schedule dialog failed');
    return 'Something went wrong on my side and nothing was scheduled. Try again in a moment, or type `schedule deploy`.';
  };
  for (const [commandId, dialog] of dialogRoutes()) {
    app.messageExtensions.fetchTask(commandId, async (context) => {
      try {
        const shown = await dialog.fetch(context, deps);
        return typeof shown === 'string' ? shown : { title: shown.title, width: 'medium', height: 'large', card: cardAttachment(shown.card) };
      } catch (error) {
        return dialogFailed(context, error);
      }
    });
    app.messageExtensions.submitAction<Record<string, unknown>>(commandId, async (context, _state, data) => {
      try {
        const answer = await dialog.submit(context, deps, data ?? {});
        return answer && typeof answer === 'object' ? { title: answer.title, card: cardAttachment(answer.card) } : answer;
      } catch (error) {
        return dialogFailed(context, error);
      }
    });
  }

  // Added to a team, a group chat or a personal chat: Teams says so both ways; one welcome per conversation.
  app.conversationUpdate('membersAdded', async (context) => {
    const bot = context.activity.recipient?.id;
    if ((context.activity.membersAdded ?? []).some((member) => member.id === bot)) await deps.welcomes.welcome(context);
  });
  app.activity(ActivityTypes.InstallationUpdate, async (context) => {
    if (context.activity.action === 'add') await deps.welcomes.welcome(context);
  });

  app.activity(ActivityTypes.Message, createMessageHandler(deps));
  // Last: invokes no route above took (teams-ai would leave them to botbuilder's 501).
  app.activity(ActivityTypes.Invoke, createUnhandledInvokeHandler(deps));
  return app;
}
