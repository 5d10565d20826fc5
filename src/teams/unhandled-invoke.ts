import { ActivityTypes, TurnContext } from 'botbuilder';
import { clip } from '../logger';
import type { RouteDependencies } from './route-dependencies';

// The answer to an invoke no route took. teams-ai leaves it unanswered and botbuilder then says 501,
// which Teams shows as a broken card or dialog. Instead: a card click we could not read (no action,
// not Action.Execute, no verb) gets the refusal card; a message-extension command we do not have
// gets a dialog saying so; any other invoke gets 400 naming it.

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

export function createUnhandledInvokeHandler(deps: Pick<RouteDependencies, 'render' | 'logger'>) {
  return async (context: TurnContext): Promise<void> => {
    const name = typeof context.activity.name === 'string' ? context.activity.name : '';
    const value: unknown = context.activity.value;
    deps.logger.warn({ activityId: context.activity.id, name: clip(name, 60) }, 'invoke no route handles');
    const answer = (status: number, body: unknown) => context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status, body } });

    if (name === 'adaptiveCard/action') {
      const card = deps.render('refusal', {
        title: "Can't do that",
        reason: "This button sent something I can't read, so nothing happened.",
        hint: 'Type `status <version>` to get a fresh card.',
      });
      await answer(200, { statusCode: 200, type: ADAPTIVE_CARD, value: card });
      return;
    }
    if (name === 'composeExtension/fetchTask' || name === 'composeExtension/submitAction') {
      const commandId = (value as { commandId?: unknown } | undefined)?.commandId;
      const shown = typeof commandId === 'string' && commandId !== '' ? `"${clip(commandId, 40)}"` : 'by that name';
      await answer(200, { task: { type: 'message', value: `I have no command ${shown}. The one I offer here is Schedule deploy.` } });
      return;
    }
    await answer(400, { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: `I don't handle "${clip(name, 60)}" invokes.` } });
  };
}
