// First, before botbuilder and teams-ai load: defers the modules of theirs this bot never runs.
import '../src/teams/deferred-modules';
import { Agent } from 'node:https';
import { createLogger } from '../src/logger';
import { checkStartup, startFromEnv, stopOnSignals } from '../src/startup';
import { SendPacer } from '../src/teams/send-pacer';

// @lendos as the benchmark runs it: what `npm run serve` runs (src/main.ts → src/startup.ts,
// checkStartup + startFromEnv, same environment variables), with two additions for the bench only:
//  - a clock the bench moves forward over IPC ({ type: 'clock', offsetMs }): a deployment window
//    must start in the future and `start` is refused before it opens, so a lifecycle unit steps
//    the clock past the window's start instead of waiting for it;
//  - BENCH_COSMOS_SELF_SIGNED=1 accepts the loopback Cosmos server's self-signed certificate
//    (with a keep-alive agent, as the Cosmos SDK's own default agent is);
//  - BENCH_UNPACED=1 paces sends to no limits: the paired cost rounds drive one thread far faster
//    than Teams allows anyone (the echo bot too, which paces nothing), so they compare what each
//    bot costs; pacing below Teams' limits is measured apart, in the burst section, paced as served.
// /healthz start-up is measured on dist/src/main.js itself, not on this file.

let offsetMs = 0;
const now = () => new Date(Date.now() + offsetMs);

process.on('message', (message: { id?: number; type?: string; offsetMs?: number }) => {
  if (message?.type === 'clock' && typeof message.offsetMs === 'number') {
    offsetMs = Math.max(offsetMs, message.offsetMs);
    process.send?.({ id: message.id, offsetMs });
  }
});

async function main(): Promise<void> {
  const check = checkStartup(process.env);
  if (!check.ok) throw new Error(check.problems.join('\n'));
  const logger = createLogger({ level: check.settings.LOG_LEVEL });
  const cosmosAgent = process.env.BENCH_COSMOS_SELF_SIGNED === '1' ? new Agent({ rejectUnauthorized: false, keepAlive: true }) : undefined;
  const unlimited = { perConversation: [{ ms: 1, max: Number.MAX_SAFE_INTEGER }], perTenant: [{ ms: 1, max: Number.MAX_SAFE_INTEGER }] };
  const pacer = process.env.BENCH_UNPACED === '1' ? new SendPacer({ limits: unlimited }) : undefined;
  const bot = await startFromEnv(check.settings, process.env, { logger, cosmosAgent, now, pacer });
  stopOnSignals(process, (reason) => bot.stop(reason), { logger, exit: (code) => process.exit(code) });
  // The IPC channel would keep the process alive after a stop; the bench ends us by signal.
  process.channel?.unref();
}

main().catch((error) => {
  process.stderr.write(`bench bot failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
