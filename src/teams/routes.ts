import { ActivityTypes, TurnContext } from 'botbuilder';
// First: teams-ai's Application below then loads without its unused AI and sign-in stacks.
import './deferred-modules';
// Deep imports: the package index also loads its AI stack (OpenAI clients, tokenizers), which this bot never uses.
import { Application } from '@microsoft/teams-ai/lib/Application';
import { TeamsAdapter } from '@microsoft/teams-ai/lib/TeamsAdapter';
import { TurnState } from '@microsoft/teams-ai/lib/TurnState';
import { ReleaseService } from '../app/release-service';
import { DeploymentService } from '../app/deployment-service';
import { FreezeService } from '../app/freeze-service';
import { DeploymentRecord } from '../app/documents';
import { AdaptiveCardJson, CardRenderer, cardAttachment } from '../cards/render';
import { BotConfig } from '../config/config';
import { DeploymentDirectory, ReleaseState } from '../domain/types';
import { Logger, errorFields } from '../logger';
import { ChannelDirectory } from './channel-directory';
import { createCardActionHandler } from './card-action-handler';
import { createMessageHandler } from './message-handler';
import { createDeploymentHandlers } from './deployment-handler';
import { createUnhandledInvokeHandler } from './unhandled-invoke';
import { readInbound } from './inbound';
import { DEPLOYMENT_CARD_VERBS, ON_CALL_REFRESH_VERB, RC_REFRESH_VERB, TRACKER_REFRESH_VERB } from '../cards/card-data';
import { createDeploymentRefreshHandler, createRcRefreshHandler } from './card-refresh';
import { ThreadLookup } from './thread-lookup';
import { AnsweredActivities } from '../app/answered-activities';
import { DocumentStore } from '../store/document-store';
import { Welcomes } from './welcome';
import { EvidenceService } from '../app/evidence-service';
import { EvidenceLinks } from '../app/evidence-links';
import { MetricsService } from '../app/metrics-service';
import { DeputyService } from '../app/deputy-service';

export interface RouteDependencies {
  readonly adapter: TeamsAdapter;
  readonly appId: string;
  readonly config: BotConfig;
  readonly directory: DeploymentDirectory;
  readonly service: ReleaseService;
  readonly channels: ChannelDirectory;
  readonly threads: ThreadLookup;
  /** Which activities were answered, shared by every instance: a redelivery is answered once. */
  readonly answered: AnsweredActivities;
  readonly store: DocumentStore;
  readonly render: CardRenderer;
  /** The RC card: the base card everyone sees, or `viewer`'s own view (their buttons only). */
  readonly renderRcCard: (state: ReleaseState, rc: number, options?: { readonly notice?: string; readonly viewer?: string }) => Promise<AdaptiveCardJson>;
  readonly deployments: DeploymentService;
  readonly freezes: FreezeService;
  readonly deploymentCards: {
    /** The tracker: the base card everyone sees, or `viewer`'s own view (their buttons only). */
    tracker(record: DeploymentRecord, notice?: string, viewer?: string): AdaptiveCardJson;
    notice(record: DeploymentRecord): AdaptiveCardJson;
    /** The on-call card: the base card everyone sees, or `viewer`'s own view (an IRC's Confirm and Override). */
    onCall(record: DeploymentRecord, notice?: string, viewer?: string): AdaptiveCardJson;
  };
  readonly welcomes: Welcomes;
  readonly logger: Logger;
  readonly now: () => Date;
  readonly evidence: EvidenceService;
  readonly evidenceLinks: EvidenceLinks;
  readonly metrics: MetricsService;
  readonly deputies: DeputyService;
}

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/** Every route the bot answers, in one place. Handlers live beside this file. */
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

  const onRcCardAction = createCardActionHandler(deps);
  const onRcRefresh = createRcRefreshHandler(deps);
  const onTrackerRefresh = createDeploymentRefreshHandler(deps, 'tracker');
  const onOnCallRefresh = createDeploymentRefreshHandler(deps, 'onCall');
  const deployments = createDeploymentHandlers(deps);
  const cardFor = async (context: TurnContext, data: Record<string, unknown>): Promise<AdaptiveCardJson> => {
    try {
      const verb = String(context.activity.value?.action?.verb ?? '');
      if (verb === RC_REFRESH_VERB) return await onRcRefresh(context, data);
      if (verb === TRACKER_REFRESH_VERB) return await onTrackerRefresh(context, data);
      if (verb === ON_CALL_REFRESH_VERB) return await onOnCallRefresh(context, data);
      if (!(DEPLOYMENT_CARD_VERBS as readonly string[]).includes(verb)) return await onRcCardAction(context, data);
      const read = readInbound(context.activity, deps.directory);
      if (!read.ok) return deps.render('refusal', { title: "Can't do that", reason: "I couldn't read that click.", hint: 'Try again.' });
      return await deployments.onCardAction(context, read.inbound, verb, data);
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
  app.messageExtensions.fetchTask('scheduleDeploy', async (context) => {
    try {
      return { title: 'Schedule a deployment', width: 'medium', height: 'large', card: cardAttachment(await deployments.scheduleForm('dialog')) };
    } catch (error) {
      return dialogFailed(context, error);
    }
  });
  app.messageExtensions.submitAction<Record<string, unknown>>('scheduleDeploy', async (context, _state, data) => {
    try {
      const read = readInbound(context.activity, deps.directory);
      if (!read.ok) return "I couldn't read that request.";
      const answer = await deployments.onDialogSubmit(read.inbound, data ?? {});
      return answer.card ? { title: 'Schedule a deployment', card: cardAttachment(answer.card) } : answer.message ?? null;
    } catch (error) {
      return dialogFailed(context, error);
    }
  });

  // Added to a team, a group chat or a personal chat: Teams says so both ways; one welcome per conversation.
  app.conversationUpdate('membersAdded', async (context) => {
    const bot = context.activity.recipient?.id;
    if ((context.activity.membersAdded ?? []).some((member) => member.id === bot)) await deps.welcomes.welcome(context);
  });
  app.activity(ActivityTypes.InstallationUpdate, async (context) => {
    if (context.activity.action === 'add') await deps.welcomes.welcome(context);
  });

  app.activity(ActivityTypes.Message, createMessageHandler(deps, deployments));
  // Last: invokes no route above took (teams-ai would leave them to botbuilder's 501).
  app.activity(ActivityTypes.Invoke, createUnhandledInvokeHandler(deps));
  return app;
}
