import { runDeputyCommand } from '../deputy-handler';
import { CommandOf, CommandRoutes, CommandTurn } from './route-table';

// A lead away names a deputy for their area until a date; `back` ends it.

const typed = (turn: CommandTurn, command: CommandOf<'away' | 'back'>): Promise<void> =>
  runDeputyCommand(turn.context, turn.inbound, command, turn.deps, (_context, reason, hint) => turn.refuse(reason, hint));

export const deputyCommandRoutes: CommandRoutes<'away' | 'back'> = { away: typed, back: typed };
