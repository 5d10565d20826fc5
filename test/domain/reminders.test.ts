import { decideRelease, evolve, replay } from '../../src/domain/release';
import { BOT_ACTOR, ReminderPolicy, dueReminders, reminderEvents, unreachableEvent } from '../../src/domain/reminders';
import { ReleaseState } from '../../src/domain/types';
import { withDeputies } from '../../src/domain/deputies';
import { VERSION, bosko, cut, given, jake, leads, luis, rafaella, steven } from './fixtures';

// The ladder on the example business hours (Mon–Fri 09:00–18:00 New York). The fixtures cut rc.1
// on Fri 10 Apr 2026 at 10:00 EDT (14:00 UTC), so 8 business hours run out at Friday's close.

const HOUR = 3_600_000;
const policy: ReminderPolicy = {
  threadAfterMs: 8 * HOUR,
  personalAfterMs: 8 * HOUR,
  businessHours: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '18:00' },
  timeZone: 'America/New_York',
};
const at = (iso: string) => new Date(iso);
const FRIDAY_17_59 = at('2026-04-10T21:59:00Z');
const SATURDAY_NOON = at('2026-04-11T16:00:00Z');
const MONDAY_09_00 = at('2026-04-13T13:00:00Z');
const MONDAY_16_59 = at('2026-04-13T20:59:00Z');
const MONDAY_17_00 = at('2026-04-13T21:00:00Z');
const MONDAY_19_00 = at('2026-04-13T23:00:00Z');
const TUESDAY_09_00 = at('2026-04-14T13:00:00Z');

/** The state once the reminders due at `now` are recorded, as the service records them. */
function remind(state: ReleaseState, now: Date): ReleaseState {
  return reminderEvents(dueReminders(state, leads, policy, now), now).reduce(evolve, state);
}

const cutOnly = () => given([[jake, cut(1)]]);
const steps = (state: ReleaseState, now: Date) => dueReminders(state, leads, policy, now).map((r) => `${r.step} ${r.area} ${r.person}`);

describe('when a pending lead is nudged', () => {
  test('not before N business hours, not at the weekend: the reminder that came due at Friday close goes out Monday 09:00', () => {
    const state = cutOnly();
    expect(steps(state, FRIDAY_17_59)).toEqual([]);
    expect(steps(state, SATURDAY_NOON)).toEqual([]);
    expect(steps(state, MONDAY_09_00)).toEqual([
      'thread product id-luis',
      'thread qa id-rafaella',
      'thread daml id-steven',
      'thread stream id-bosko',
      'thread platform id-jake',
    ]);
  });

  test('each step fires once; the personal chat follows M business hours after the thread, never after hours', () => {
    const reminded = remind(cutOnly(), MONDAY_09_00);
    expect(steps(reminded, MONDAY_09_00)).toEqual([]);
    expect(steps(reminded, MONDAY_16_59)).toEqual([]);
    expect(steps(reminded, MONDAY_17_00)).toHaveLength(5);
    expect(steps(reminded, MONDAY_17_00).every((step) => step.startsWith('personal '))).toBe(true);
    const personal = remind(reminded, MONDAY_17_00);
    expect(steps(personal, MONDAY_19_00)).toEqual([]);
    expect(steps(personal, TUESDAY_09_00)).toEqual([]);
  });

  test('a lead who decided is not nudged; the others still are', () => {
    let state = cutOnly();
    state = accepted(decideRelease({ type: 'approve', rc: 1 }, state, { actor: luis, now: at('2026-04-10T15:00:00Z'), directory: leads, version: VERSION }));
    state = accepted(decideRelease({ type: 'reject', rc: 1, reason: 'DAML upgrade fails' }, state, { actor: steven, now: at('2026-04-10T15:05:00Z'), directory: leads, version: VERSION }));
    expect(steps(state, MONDAY_09_00)).toEqual(['thread qa id-rafaella', 'thread stream id-bosko', 'thread platform id-jake']);
    const reminded = remind(state, MONDAY_09_00);
    const decided = accepted(decideRelease({ type: 'approve', rc: 1 }, reminded, { actor: rafaella, now: at('2026-04-13T14:00:00Z'), directory: leads, version: VERSION }));
    expect(steps(decided, MONDAY_17_00)).toEqual(['personal stream id-bosko', 'personal platform id-jake']);
  });

  test('a superseded RC is not nudged for; its successor starts its own ladder from its own cut', () => {
    const reminded = remind(cutOnly(), MONDAY_09_00);
    const recut = accepted(decideRelease(cut(2), reminded, { actor: jake, now: at('2026-04-13T14:00:00Z'), directory: leads, version: VERSION })); // Mon 10:00
    expect(steps(recut, MONDAY_17_00)).toEqual([]); // rc.2 is 7 business hours old
    expect(steps(recut, TUESDAY_09_00)).toHaveLength(5);
    expect(dueReminders(recut, leads, policy, TUESDAY_09_00).every((r) => r.rc === 2 && r.step === 'thread')).toBe(true);
  });

  test('a promoted release is not nudged for', () => {
    const approvals = [luis, rafaella, steven, bosko, jake].map((lead) => [lead, { type: 'approve', rc: 1 }] as const);
    const promoted = given([[jake, cut(1)], ...approvals, [jake, { type: 'promote', rc: 1 }]]);
    expect(steps(promoted, MONDAY_09_00)).toEqual([]);
  });

  test('personalAfter 0 turns the personal step off', () => {
    const reminded = remind(cutOnly(), MONDAY_09_00);
    expect(dueReminders(reminded, leads, { ...policy, personalAfterMs: 0 }, TUESDAY_09_00)).toEqual([]);
  });

  test('an unreachable lead is recorded once per RC and area, and their personal step is over', () => {
    const personal = remind(remind(cutOnly(), MONDAY_09_00), MONDAY_17_00);
    const first = unreachableEvent(personal, { rc: 1, area: 'product', person: luis.id }, 'MessageWritesBlocked', MONDAY_17_00)!;
    expect(first).toMatchObject({ type: 'leadUnreachable', by: BOT_ACTOR, rc: 1, area: 'product', person: luis.id });
    const recorded = evolve(personal, first);
    expect(unreachableEvent(recorded, { rc: 1, area: 'product', person: luis.id }, 'MessageWritesBlocked', MONDAY_19_00)).toBeUndefined();
    expect(steps(recorded, TUESDAY_09_00)).toEqual([]);
  });

  test('the reminders are part of the state folded from the events: a rebuilt release remembers what was sent', () => {
    const start = cutOnly();
    const thread = reminderEvents(dueReminders(start, leads, policy, MONDAY_09_00), MONDAY_09_00);
    const afterThread = thread.reduce(evolve, start);
    const personal = reminderEvents(dueReminders(afterThread, leads, policy, MONDAY_17_00), MONDAY_17_00);
    const cutOutcome = decideRelease(cut(1), undefined, { actor: jake, now: at('2026-04-10T14:00:00Z'), directory: leads, version: VERSION });
    if (cutOutcome.kind !== 'accepted') throw new Error(cutOutcome.reason);
    const rebuilt = replay(VERSION, [...cutOutcome.events, ...thread, ...personal]);
    expect(rebuilt.rcs[0]!.reminders).toEqual(personal.reduce(evolve, afterThread).rcs[0]!.reminders);
    expect(steps(rebuilt, TUESDAY_09_00)).toEqual([]);
  });
});

function accepted(outcome: ReturnType<typeof decideRelease>): ReleaseState {
  if (outcome.kind !== 'accepted') throw new Error(`refused: ${outcome.reason}`);
  return outcome.state;
}

describe('who is nudged while a lead is away', () => {
  const away = withDeputies(leads, [{ area: 'daml', lead: steven.id, deputy: bosko.id, until: '2026-04-21T04:00:00Z', source: 'config' }]);
  const areaSteps = (state: ReleaseState, area: string) =>
    dueReminders(state, away, policy, MONDAY_09_00).filter((r) => r.area === area).map((r) => `${r.step} ${r.area} ${r.person}`);

  test('the deputy standing in is nudged for the away lead\'s area, not the lead', () => {
    expect(areaSteps(cutOnly(), 'daml')).toEqual([`thread daml ${bosko.id}`]);
  });

  test('once the deputy filled their own area on this RC, nobody is chased for DAML (the lead is away)', () => {
    const own = accepted(decideRelease({ type: 'approve', rc: 1, area: 'stream' }, cutOnly(), { actor: bosko, now: at('2026-04-10T15:00:00Z'), directory: away, version: VERSION }));
    expect(areaSteps(own, 'daml')).toEqual([]);
    expect(areaSteps(own, 'stream')).toEqual([]);
  });
});
