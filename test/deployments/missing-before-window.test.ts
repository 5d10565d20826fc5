import { Harness, people, startHarness } from '../helpers/bot-harness';
import { refusalsIn } from '../teams/teams-view';
import { promoteRelease, scheduleText } from './deployment-view';

// Before a scheduled deployment the Platform team hears who it still waits for, once, in the last
// business hours before the window (example config: 24 hours before, Mon–Fri 09:00–18:00 New York).
// The window is Tue 14 Apr 2026, 22:00 EDT; on-call is not confirmed.

const MONDAY_10_00 = new Date('2026-04-13T14:00:00Z');
const TUESDAY_08_00 = new Date('2026-04-14T12:00:00Z'); // within 24 h, before business hours
const TUESDAY_09_00 = new Date('2026-04-14T13:00:00Z');
const TUESDAY_12_00 = new Date('2026-04-14T16:00:00Z');

describe('who a scheduled deployment still waits for', () => {
  let h: Harness;
  let clock = MONDAY_10_00;
  let thread: { conversationId: string };

  beforeAll(async () => {
    h = await startHarness({ now: () => clock, server: { leadReminderIntervalMs: 3_600_000 } });
    thread = { conversationId: (await promoteRelease(h, '2026.4.0')).conversationId };
    const scheduled = await h.say(people.steven, scheduleText('2026.4.0', 'BXCI Production', '2026-04-14 22:00'), thread);
    expect(refusalsIn(scheduled.calls)).toEqual([]);
  });
  afterAll(() => h?.close());
  afterEach(() => expect(h.connector.malformed).toEqual([]));

  async function checkAt(at: Date): Promise<string[]> {
    clock = at;
    const before = h.connector.calls.length;
    await h.bot.checkLeadReminders();
    await h.settle();
    return h.connector.calls.slice(before).filter((call) => call.conversationId === thread.conversationId).map((call) => call.activity.text ?? '');
  }

  test('not more than 24 hours ahead, not before business hours open', async () => {
    expect(await checkAt(MONDAY_10_00)).toEqual([]);
    expect(await checkAt(TUESDAY_08_00)).toEqual([]);
  });

  test('Tuesday 09:00: Platform is @mentioned in the release thread with what is missing; once', async () => {
    const before = h.connector.calls.length;
    expect(await checkAt(TUESDAY_09_00)).toEqual([
      '<at>Jake Edgington</at> ⏳ Deploy 2026.4.0 to BXCI Production starts Tue 14 Apr 2026, 22:00 EDT and still waits for ' +
        'on-call coverage, confirmed by an IRC (Steven Inouye) with `confirm on-call`.',
    ]);
    const posted = h.connector.calls.slice(before).find((call) => call.activity.text?.includes('⏳'))!;
    expect(posted.activity.entities).toEqual([{ type: 'mention', text: '<at>Jake Edgington</at>', mentioned: { id: people.jake.aadObjectId, name: 'Jake Edgington' } }]);
    expect(await checkAt(TUESDAY_12_00)).toEqual([]);
    await h.restart();
    expect(await checkAt(TUESDAY_12_00)).toEqual([]);
  });
});

describe('a deployment with on-call confirmed', () => {
  test('waits for nobody: no notice', async () => {
    let clock = MONDAY_10_00;
    const h = await startHarness({ now: () => clock, server: { leadReminderIntervalMs: 3_600_000 } });
    try {
      const thread = { conversationId: (await promoteRelease(h, '2026.4.0')).conversationId };
      expect(refusalsIn((await h.say(people.steven, scheduleText('2026.4.0', 'BXCI Production', '2026-04-14 22:00'), thread)).calls)).toEqual([]);
      expect(refusalsIn((await h.say(people.steven, 'confirm on-call', thread)).calls)).toEqual([]);
      clock = TUESDAY_09_00;
      const before = h.connector.calls.length;
      await h.bot.checkLeadReminders();
      await h.settle();
      expect(h.connector.calls.slice(before)).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
