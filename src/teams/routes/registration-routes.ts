import { registerChannel } from '../register-channel';
import { CommandRoutes } from './route-table';

// `register engineering|general|production-support`, typed in the channel it names.

export const registrationCommandRoutes: CommandRoutes<'register'> = {
  register: (turn, command) => registerChannel(turn.context, turn.inbound, command.channel, turn.deps, (_context, reason, hint) => turn.refuse(reason, hint)),
};
