import { changeLock } from '../lock-handler';
import { CommandRoutes, recording } from './route-table';

// Runbook 3.4: an environment locked for a while, and unlocked.

const typed = recording<'lock' | 'unlock'>((turn, command) => changeLock(turn.inbound, command, turn.deps, turn.refuse));

export const lockCommandRoutes: CommandRoutes<'lock' | 'unlock'> = { lock: typed, unlock: typed };
