import { ParsedCommand } from '../commands/parse-command';
import { FreezeResult } from '../app/freeze-service';
import type { KnownInbound } from './routes/route-table';
import type { RouteDependencies } from './route-dependencies';

// `freeze` / `unfreeze`: one write of each environment's document named; each confirmation goes out
// through that document's outbox, a refusal is answered in place.

export async function changeFreeze(
  inbound: KnownInbound,
  command: Extract<ParsedCommand, { name: 'freeze' | 'unfreeze' }>,
  deps: RouteDependencies,
  refuse: (reason: string, hint?: string) => Promise<unknown>,
): Promise<void> {
  if (command.environments.length === 0) {
    await refuse('I have no environments configured, so there is nothing to freeze.', 'status');
    return;
  }
  const now = deps.now();
  const results = await deps.freezes.change({
    environments: command.environments.map((e) => e.key),
    command:
      command.name === 'freeze'
        ? {
            type: 'freeze',
            name: command.reason,
            from: command.from ?? now,
            to: command.until instanceof Date ? command.until : new Date(now.getTime() + command.until.minutes * 60_000),
            hotfixes: command.hotfixes,
          }
        : { type: 'unfreeze', ...(command.freeze ? { name: command.freeze } : {}) },
    actor: inbound.actor,
    activityId: inbound.activityId,
    origin: inbound.origin,
    now,
  });
  const refusal = refusalToShow(command, results);
  if (refusal) await refuse(refusal.reason, refusal.hint);
  if (results.every((r) => r.kind === 'duplicate')) deps.logger.info({ activityId: inbound.activityId }, 'duplicate delivery ignored');
}

/**
 * What to answer in place. Naming one environment: its refusal. Naming several (`all`, or a freeze
 * by name): an environment with nothing to lift says nothing when another one lifted it; otherwise
 * each refusal, one line per environment.
 */
function refusalToShow(command: Extract<ParsedCommand, { name: 'freeze' | 'unfreeze' }>, results: readonly FreezeResult[]): { reason: string; hint?: string } | undefined {
  const refused = results.filter((r): r is Extract<FreezeResult, { kind: 'refused' }> => r.kind === 'refused');
  if (refused.length === 0) return undefined;
  if (results.length === 1) return refused[0]!.refusal;
  const accepted = results.some((r) => r.kind !== 'refused');
  const shown = command.name === 'unfreeze' ? refused.filter((r) => r.refusal.code !== 'invalid-input') : refused;
  if (command.name === 'unfreeze' && shown.length === 0) {
    if (accepted) return undefined;
    const what = command.freeze ? `No environment has a freeze “${command.freeze}” declared in Teams that is in force or ahead` : 'No environment has a freeze declared in Teams that is in force or ahead';
    return { reason: `${what}, so there is nothing to unfreeze.`, hint: 'Type `status` to see the freezes in force, or `unfreeze "<environment>"`.' };
  }
  if (shown.length === 0) return undefined;
  return { reason: [...new Set(shown.map((r) => r.refusal.reason))].join('\n\n'), hint: shown[0]!.refusal.hint };
}
