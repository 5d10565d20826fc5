import { changeFreeze } from '../freeze-handler';
import { CommandRoutes, recording } from './route-table';

// Change freezes declared in Teams, on one environment or several, and lifted.

const typed = recording<'freeze' | 'unfreeze'>((turn, command) => changeFreeze(turn.inbound, command, turn.deps, turn.refuse));

export const freezeCommandRoutes: CommandRoutes<'freeze' | 'unfreeze'> = { freeze: typed, unfreeze: typed };
