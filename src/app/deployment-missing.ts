import { atMention } from '../cards/mention-text';
import { formatZoned, isBusinessTime } from '../domain/business-hours';
import { listOf } from '../domain/rule-helpers';
import { Directory, EnvironmentRef } from '../domain/types';
import { DeploymentOutboxMessage, DeploymentRecord, EnvironmentDocument } from './documents';
import { DocumentRepository } from './document-repository';
import { ReminderPolicy } from '../domain/reminders';

// Before a scheduled deployment the Platform team hears who it still waits for (on-call coverage
// not confirmed: the IRCs), once, in the last business hours before the window — never at night.
// The "told" mark is written with the message in the environment document's conditional write,
// as the overrun reminder's is, so instances racing post it once.

export interface MissingBeforeDeploymentOptions {
  readonly environments: DocumentRepository<EnvironmentDocument>;
  readonly configuredEnvironments: readonly EnvironmentRef[];
  readonly directory: Directory;
  readonly policy: ReminderPolicy;
  /** How long before the window the Platform team is told; 0: never. */
  readonly beforeMs: number;
  readonly onOutboxWritten: (environment: string) => void;
}

/** Whether the record is due its notice at `now`, and who it waits for. */
export function missingBeforeWindow(record: DeploymentRecord, now: Date, options: Pick<MissingBeforeDeploymentOptions, 'directory' | 'policy' | 'beforeMs'>): string[] {
  const { state } = record;
  if (options.beforeMs <= 0 || record.missingNoticeSentAt || state.phase !== 'scheduled') return [];
  const start = Date.parse(state.window.start);
  if (!(now.getTime() < start && now.getTime() >= start - options.beforeMs)) return [];
  if (!isBusinessTime(now, options.policy.businessHours, options.policy.timeZone)) return [];
  if (state.onCall) return [];
  const ircs = (options.directory.peopleWith?.('irc') ?? []).map((id) => options.directory.nameOf(id));
  return [`on-call coverage, confirmed by ${ircs.length > 0 ? `an IRC (${listOf(ircs, 'or')})` : 'an IRC'} with \`confirm on-call\``];
}

/** Records and queues every notice due at `now`; resolves with how many. */
export async function tellPlatformWhoIsMissing(now: Date, options: MissingBeforeDeploymentOptions): Promise<number> {
  let told = 0;
  for (const environment of options.configuredEnvironments) {
    const doc = await options.environments.get(environment.key, true);
    if (!doc?.deployments.some((record) => missingBeforeWindow(record, now, options).length > 0)) continue;
    const count = await options.environments.mutate(environment.key, (current) => {
      if (!current) return { result: 0 };
      let seq = current.messageSeq;
      const messages: DeploymentOutboxMessage[] = [];
      const deployments = current.deployments.map((record) => {
        const missing = missingBeforeWindow(record, now, options);
        if (missing.length === 0) return record;
        messages.push(notice(record, missing, options, `m${(seq += 1)}`));
        return { ...record, missingNoticeSentAt: now.toISOString() };
      });
      if (messages.length === 0) return { result: 0 };
      return { write: { ...current, deployments, outbox: [...current.outbox, ...messages], messageSeq: seq }, result: messages.length };
    });
    if (count > 0) options.onOutboxWritten(environment.key);
    told += count;
  }
  return told;
}

function notice(record: DeploymentRecord, missing: readonly string[], options: MissingBeforeDeploymentOptions, id: string): DeploymentOutboxMessage {
  const { state } = record;
  const mentions = (options.directory.peopleWith?.('platform') ?? []).map((person) => ({ id: person, name: options.directory.nameOf(person) }));
  const title = `Deploy ${state.version} to ${state.environment.name}`;
  const text =
    `${mentions.map((m) => atMention(m.name)).join(' ')} ⏳ ${title} starts ${formatZoned(new Date(state.window.start), options.policy.timeZone)} ` +
    `and still waits for ${listOf([...missing], 'and')}.`;
  return { id, kind: 'sayInReleaseThread', deploymentId: state.id, text, mentions };
}
