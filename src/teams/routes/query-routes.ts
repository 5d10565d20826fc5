import { helpCardData } from '../../cards/help-card';
import { metricsCardData } from '../../cards/metrics-card';
import { evidenceReply } from '../evidence-reply';
import { historyReply, statusReply } from '../release-queries';
import { CommandRoutes } from './route-table';

// Read-only answers, in place: help, a release's status, history and evidence, delivery metrics.

const ANYONE = { id: '', name: 'there' };

export const queryCommandRoutes: CommandRoutes<'help' | 'status' | 'history' | 'evidence' | 'metrics'> = {
  help: async (turn) => {
    await turn.replyCard(turn.deps.render('help', helpCardData(turn.inbound.actor ?? ANYONE, turn.deps.directory)));
  },
  status: async (turn, command) => {
    await turn.replyCard(await statusReply(turn.inbound, command, turn.deps));
  },
  history: async (turn, command) => {
    await turn.replyCard(await historyReply(turn.inbound, command, turn.deps));
  },
  evidence: async (turn, command) => {
    await turn.replyCard(await evidenceReply(turn.inbound, command, turn.deps));
  },
  metrics: async (turn, command) => {
    const { deps } = turn;
    await turn.replyCard(deps.render('metrics', metricsCardData(await deps.metrics.metrics(command), deps.config.timeZone)));
  },
};
