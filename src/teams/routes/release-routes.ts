import { RC_CARD_VERBS, RcCardVerb } from '../../cards/card-data';
import { createCardActionHandler } from '../card-action-handler';
import { ReleaseCommandName, runReleaseCommand } from '../release-commands';
import { CardHandler, CardRoutes, CommandOf, CommandRoutes, CommandTurn } from './route-table';

// Runbook 1–2: cutting an RC, QA, the leads' decisions and promotion — typed in the thread or
// clicked on the RC card.

const typed = (turn: CommandTurn, command: CommandOf<ReleaseCommandName>): Promise<void> =>
  runReleaseCommand(turn.inbound, command, turn.deps, turn.refuse);

export const releaseCommandRoutes: CommandRoutes<ReleaseCommandName> = {
  rc: typed,
  qa: typed,
  approve: typed,
  reject: typed,
  revoke: typed,
  promote: typed,
};

const click: CardHandler = (turn, data) => createCardActionHandler(turn.deps)(turn.context, data);

export const releaseCardRoutes: CardRoutes<RcCardVerb> = Object.fromEntries(RC_CARD_VERBS.map((verb) => [verb, click])) as CardRoutes<RcCardVerb>;
