import { ParsedCommand } from '../commands/parse-command';
import type { KnownInbound } from './routes/route-table';
import type { RouteDependencies } from './route-dependencies';

// `lock` / `unlock`: one write of the environment's document; the confirmation goes out through its
// outbox, a refusal is answered in place.

export async function changeLock(
  inbound: KnownInbound,
  command: Extract<ParsedCommand, { name: 'lock' | 'unlock' }>,
  deps: RouteDependencies,
  refuse: (reason: string, hint?: string) => Promise<unknown>,
): Promise<void> {
  const now = deps.now();
  const until = command.name === 'lock' ? (command.until instanceof Date ? command.until : new Date(now.getTime() + command.until.minutes * 60_000)) : undefined;
  const result = await deps.deployments.changeLock({
    environment: command.environment.key,
    command: command.name === 'lock' ? { type: 'lock', reason: command.reason, until: until! } : { type: 'unlock' },
    actor: inbound.actor,
    activityId: inbound.activityId,
    origin: inbound.origin,
    now,
  });
  if (result.kind === 'refused') await refuse(result.refusal.reason, result.refusal.hint);
  if (result.kind === 'duplicate') deps.logger.info({ activityId: inbound.activityId, environment: command.environment.key }, 'duplicate delivery ignored');
}
