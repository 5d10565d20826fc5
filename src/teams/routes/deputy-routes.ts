import { runDeputyCommand } from '../deputy-handler';
import { CommandRoutes, recording } from './route-table';

// A lead away names a deputy for their area until a date; `back` ends it.

const typed = recording<'away' | 'back'>((turn, command) =>
  runDeputyCommand(turn.context, turn.inbound, command, turn.deps, (_context, reason, hint) => turn.refuse(reason, hint)),
);

export const deputyCommandRoutes: CommandRoutes<'away' | 'back'> = { away: typed, back: typed };
