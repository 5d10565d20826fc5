import { changeLock } from '../lock-handler';
import { CommandOf, CommandRoutes, CommandTurn } from './route-table';

// Runbook 3.4: an environment locked for a while, and unlocked.

const typed = (turn: CommandTurn, command: CommandOf<'lock' | 'unlock'>): Promise<void> => changeLock(turn.inbound, command, turn.deps, turn.refuse);

export const lockCommandRoutes: CommandRoutes<'lock' | 'unlock'> = { lock: typed, unlock: typed };
