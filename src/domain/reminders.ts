import { BusinessHours, businessTimeBetween, isBusinessTime } from './business-hours';
import { Directory, RcState, ReleaseEvent, ReleaseState, ReminderMark } from './types';
import { waitingOn } from './release';

// Nudges for leads who have not decided the current RC. Pure: the caller asks at `now` which are
// due, records them as events in the release document's one conditional write (so two instances
// asking at once produce one set of events, the loser's write re-reads and finds them done), and
// posts them through the outbox.
//
// The ladder, per pending area: `threadAfter` business time after the cut, its lead is @mentioned
// in the RC thread; `personalAfter` more business time after that, a personal chat. Nothing is
// ever due outside business hours, so a reminder whose moment fell in the night goes out the next
// business morning. Each step fires once per area and RC; an RC that is superseded or promoted has
// nothing due; a lead who decides has nothing due.

/** `by` of the events the bot records on its own. */
export const BOT_ACTOR = 'lendos';

export interface ReminderPolicy {
  readonly threadAfterMs: number;
  /** 0: no personal step. */
  readonly personalAfterMs: number;
  readonly businessHours: BusinessHours;
  readonly timeZone: string;
}

export interface DueReminder {
  readonly rc: number;
  readonly area: string;
  /** Who is nudged: whoever may decide the area now. */
  readonly person: string;
  readonly step: 'thread' | 'personal';
}

/**
 * The nudges due at `now` on the release's current RC, in area order, each to whoever domain
 * `waitingOn` says decides the area: with `directory` carrying the deputies in force
 * (deputies.ts `withDeputies`), the deputy standing in for an away lead.
 */
export function dueReminders(state: ReleaseState | undefined, directory: Directory, policy: ReminderPolicy, now: Date): DueReminder[] {
  const rc = state?.rcs[state.rcs.length - 1];
  if (!state || !rc || rc.status !== 'open' || state.promotion) return [];
  if (!isBusinessTime(now, policy.businessHours, policy.timeZone)) return [];
  const sinceCut = businessTimeBetween(new Date(rc.cutAt), now, policy.businessHours, policy.timeZone);
  if (sinceCut < policy.threadAfterMs) return [];
  const due: DueReminder[] = [];
  for (const item of waitingOn(state, { directory, now })) {
    if (item.kind !== 'approval' || item.rc !== rc.number) continue;
    // A lead who already decided another area of this RC cannot decide this one (`status` says so),
    // and an away lead whose deputy can't take this area is not chased while away.
    if (item.filledElsewhere || (!item.deputyFor && directory.deputyOfArea?.(item.area.key))) continue;
    const { area, decider: person } = item;
    const marks = marksFor(rc, area.key);
    const thread = marks.find((mark) => mark.step === 'thread');
    if (!thread) {
      due.push({ rc: rc.number, area: area.key, person, step: 'thread' });
      continue;
    }
    if (policy.personalAfterMs <= 0 || marks.some((mark) => mark.step !== 'thread')) continue;
    const sinceThread = businessTimeBetween(new Date(thread.at), now, policy.businessHours, policy.timeZone);
    if (sinceThread >= policy.personalAfterMs) due.push({ rc: rc.number, area: area.key, person, step: 'personal' });
  }
  return due;
}

/** The events that record `due` as sent at `now`. */
export function reminderEvents(due: readonly DueReminder[], now: Date): ReleaseEvent[] {
  return due.map((reminder) => ({
    type: 'leadReminded',
    at: now.toISOString(),
    by: BOT_ACTOR,
    rc: reminder.rc,
    area: reminder.area,
    person: reminder.person,
    step: reminder.step,
  }));
}

/**
 * The event saying Teams refused the personal chat with a lead, unless it is already recorded for
 * that area of that RC (the outbox may try the same message again after a crash): Platform is told once.
 */
export function unreachableEvent(
  state: ReleaseState | undefined,
  reminder: { readonly rc: number; readonly area: string; readonly person: string },
  reason: string,
  now: Date,
): ReleaseEvent | undefined {
  const rc = state?.rcs.find((r) => r.number === reminder.rc);
  if (!rc || marksFor(rc, reminder.area).some((mark) => mark.step === 'unreachable')) return undefined;
  return { type: 'leadUnreachable', at: now.toISOString(), by: BOT_ACTOR, rc: reminder.rc, area: reminder.area, person: reminder.person, reason };
}

function marksFor(rc: RcState, area: string): readonly ReminderMark[] {
  return (rc.reminders ?? []).filter((mark) => mark.area === area);
}
