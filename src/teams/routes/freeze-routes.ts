import { changeFreeze } from '../freeze-handler';
import { CommandOf, CommandRoutes, CommandTurn } from './route-table';

// Change freezes declared in Teams, on one environment or several, and lifted.

const typed = (turn: CommandTurn, command: CommandOf<'freeze' | 'unfreeze'>): Promise<void> => changeFreeze(turn.inbound, command, turn.deps, turn.refuse);

export const freezeCommandRoutes: CommandRoutes<'freeze' | 'unfreeze'> = { freeze: typed, unfreeze: typed };
