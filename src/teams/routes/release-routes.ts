import { RC_CARD_VERBS, RC_REFRESH_VERB, RcCardVerb } from '../../cards/card-data';
import { addressesBot } from '../addressed';
import { createCardActionHandler } from '../card-action-handler';
import { createRcRefreshHandler } from '../card-refresh';
import { decisionHintText, hintWanted } from '../decision-hint';
import { ReleaseCommandName, runReleaseCommand } from '../release-commands';
import { CardHandler, CardRoutes, CommandRoutes, recording } from './route-table';

// Runbook 1–2: cutting an RC, QA, the leads' decisions and promotion — typed in the thread or
// clicked on the RC card.

const typed = recording<ReleaseCommandName>((turn, command) => runReleaseCommand(turn.inbound, command, turn.deps, turn.refuse));

export const releaseCommandRoutes: CommandRoutes<ReleaseCommandName | 'decisionHint'> = {
  rc: typed,
  qa: typed,
  approve: typed,
  reject: typed,
  revoke: typed,
  promote: typed,
  // `lgtm`, `+1`: answered with the command to type, nothing recorded. Without the mention (RSC) only a
  // decider in a release thread is answered; anyone else's "+1" is talk.
  decisionHint: async ({ context, inbound, deps }, command) => {
    if (!inbound.isPersonal && !addressesBot(context.activity) && !(await hintWanted(inbound, deps))) return;
    await context.sendActivity(await decisionHintText(inbound, command, deps));
  },
};

const click: CardHandler = (turn, data) => createCardActionHandler(turn.deps)(turn.context, data);

export const releaseCardRoutes: CardRoutes<RcCardVerb | typeof RC_REFRESH_VERB> = {
  ...(Object.fromEntries(RC_CARD_VERBS.map((verb) => [verb, click])) as CardRoutes<RcCardVerb>),
  // The person's own view of the RC card (Universal Actions refresh, or "Show my actions"); changes nothing.
  [RC_REFRESH_VERB]: (turn, data) => createRcRefreshHandler(turn.deps)(turn.context, data),
};
