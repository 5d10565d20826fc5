import { ActivityTypes, TurnContext } from 'botbuilder';
import { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import { ReleaseService } from '../app/release-service';
import { AdaptiveCardJson, CardRenderer } from '../cards/render';
import { BotConfig } from '../config/config';
import { Directory, ReleaseState } from '../domain/types';
import { Logger, errorFields } from '../logger';
import { ChannelDirectory } from './channel-directory';
import { createCardActionHandler } from './card-action-handler';
import { createMessageHandler } from './message-handler';
import { ThreadLookup } from './thread-lookup';
import { DocumentStore } from '../store/document-store';

export interface RouteDependencies {
  readonly adapter: TeamsAdapter;
  readonly appId: string;
  readonly config: BotConfig;
  readonly directory: Directory;
  readonly service: ReleaseService;
  readonly channels: ChannelDirectory;
  readonly threads: ThreadLookup;
  readonly store: DocumentStore;
  readonly render: CardRenderer;
  readonly renderRcCard: (state: ReleaseState, rc: number, notice?: string) => AdaptiveCardJson;
  readonly logger: Logger;
  readonly now: () => Date;
}

/** Every route the bot answers, in one place. Handlers live beside this file. */
export function createBotApplication(deps: RouteDependencies): Application<TurnState> {
  const app = new Application<TurnState>({
    adapter: deps.adapter,
    botAppId: deps.appId,
    startTypingTimer: false,
    removeRecipientMention: false, // the command parser strips mentions itself, keeping line breaks
    longRunningMessages: false,
  });

  const fromOtherTenant = (context: TurnContext) => {
    const tenant = context.activity.channelData?.tenant?.id ?? context.activity.conversation?.tenantId;
    return Boolean(tenant) && tenant !== deps.config.tenantId;
  };
  app.turn('beforeTurn', async (context) => {
    if (!fromOtherTenant(context)) return true;
    deps.logger.warn({ activityId: context.activity.id, tenant: context.activity.channelData?.tenant?.id }, 'refused an activity from another tenant');
    if (context.activity.type === ActivityTypes.Invoke) {
      await context.sendActivity({ type: 'invokeResponse', value: { status: 403, body: { statusCode: 403, type: 'application/vnd.microsoft.error', value: { code: 'Forbidden', message: 'This bot serves another tenant.' } } } });
    }
    return false;
  });

  const onCardAction = createCardActionHandler(deps);
  app.adaptiveCards.actionExecute(/.*/, async (context, _state, data) => {
    try {
      return await onCardAction(context, data);
    } catch (error) {
      deps.logger.error({ activityId: context.activity.id, ...errorFields(error) }, 'card action failed');
      return deps.render('refusal', {
        title: "That didn't go through",
        reason: 'Something went wrong on my side and nothing was changed.',
        hint: 'Click the button again in a moment.',
      });
    }
  });

  app.activity(ActivityTypes.Message, createMessageHandler(deps));
  return app;
}
