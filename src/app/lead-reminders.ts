import { isBusinessTime } from '../domain/business-hours';
import { ReminderPolicy } from '../domain/reminders';
import { Directory } from '../domain/types';
import { Logger, errorFields } from '../logger';
import { DocumentStore } from '../store/document-store';
import { RELEASE_INDEX_ID, ReleaseIndexDocument, SETTINGS_PARTITION } from './documents';
import { ReleaseService } from './release-service';

// The periodic check every instance runs: for each release still being approved, record the
// reminders due now (ReleaseService.recordReminders: one conditional write, so instances racing
// record them once) and let the outbox post them. Outside business hours nothing is even read.

export interface LeadRemindersOptions {
  readonly store: DocumentStore;
  readonly releases: ReleaseService;
  readonly policy: ReminderPolicy;
  readonly logger: Logger;
  /** The directory with the deputies in force at a moment, so an away lead's deputy is nudged; default the service's. */
  readonly directoryAt?: (now: Date) => Promise<Directory>;
}

export class LeadReminders {
  constructor(private readonly options: LeadRemindersOptions) {}

  /** Records (and queues) every reminder due at `now`; resolves with how many. */
  async check(now: Date): Promise<number> {
    const { policy, store, releases, logger } = this.options;
    logger.debug?.({ at: now.toISOString() }, 'lead reminders check');
    if (!isBusinessTime(now, policy.businessHours, policy.timeZone)) return 0;
    const index = await store.read<ReleaseIndexDocument>(SETTINGS_PARTITION, RELEASE_INDEX_ID);
    const open = (index?.doc.releases ?? []).filter((entry) => !entry.promoted);
    if (open.length === 0) return 0;
    const directory = await this.options.directoryAt?.(now);
    let recorded = 0;
    for (const entry of open) {
      try {
        recorded += await releases.recordReminders(entry.version, now, policy, directory);
      } catch (error) {
        logger.warn({ release: entry.version, ...errorFields(error) }, 'lead reminders failed; tried again at the next check');
      }
    }
    if (recorded > 0) logger.info({ recorded }, 'lead reminders recorded');
    return recorded;
  }
}

/** The policy the config's `reminders` section describes, or undefined when reminders are off. */
export function reminderPolicy(
  reminders: { readonly enabled: boolean; readonly threadAfterBusinessHours: number; readonly personalAfterBusinessHours: number },
  businessHours: ReminderPolicy['businessHours'],
  timeZone: string,
): ReminderPolicy | undefined {
  if (!reminders.enabled) return undefined;
  const hour = 3_600_000;
  return {
    threadAfterMs: reminders.threadAfterBusinessHours * hour,
    personalAfterMs: reminders.personalAfterBusinessHours * hour,
    businessHours,
    timeZone,
  };
}
