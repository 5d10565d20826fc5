import { ReleaseDocument, releaseKey } from '../../src/app/documents';
import { Harness, people, startHarness } from '../helpers/bot-harness';
import { RecordedCall } from '../helpers/loopback-connector';
import { waitForAsync } from '../helpers/wait-for';
import { RcThread, cutRc, refusalsIn } from '../teams/teams-view';

// The bot over HTTP with an injected clock: Jake cuts rc.1 on Friday 10 Apr 2026 at 10:00 EDT, Luis
// approves at once, the others do not. With the example config (8 business hours to the thread
// nudge, 8 more to the personal chat, Mon–Fri 09:00–18:00 New York) the thread nudge comes due at
// Friday's close and goes out Monday 09:00; the personal chats at Monday 17:00. The reminder check
// is the one each instance's timer runs, called here at chosen times instead of waiting for it.

const RELEASE = '2026.4.0';
const RC = `${RELEASE}-rc.1`;
const FRIDAY_10_00 = new Date('2026-04-10T14:00:00Z');
const FRIDAY_17_59 = new Date('2026-04-10T21:59:00Z');
const SATURDAY_NOON = new Date('2026-04-11T16:00:00Z');
const MONDAY_09_00 = new Date('2026-04-13T13:00:00Z');
const MONDAY_10_00 = new Date('2026-04-13T14:00:00Z');
const MONDAY_17_00 = new Date('2026-04-13T21:00:00Z');
const TUESDAY_09_00 = new Date('2026-04-14T13:00:00Z');

describe('nudges for pending leads', () => {
  let h: Harness;
  let clock = FRIDAY_10_00;
  let thread: RcThread;

  beforeAll(async () => {
    // The timer never fires on its own here: every check is called at a chosen clock.
    h = await startHarness({ now: () => clock, server: { leadReminderIntervalMs: 3_600_000 } });
    thread = await cutRc(h, RC);
    const { calls } = await h.say(people.luis, 'approve rc.1', { conversationId: thread.conversationId });
    expect(refusalsIn(calls)).toEqual([]);
  });
  afterAll(() => h?.close());
  afterEach(() => expect(h.connector.malformed).toEqual([]));

  /** Runs the reminder check at `at`; resolves with what it posted. */
  async function checkAt(at: Date): Promise<{ recorded: number; calls: RecordedCall[] }> {
    clock = at;
    const before = h.connector.calls.length;
    const recorded = await h.bot.checkLeadReminders();
    await h.settle();
    return { recorded, calls: h.connector.calls.slice(before) };
  }
  const release = async () => (await h.store.read<ReleaseDocument>(releaseKey(RELEASE).pk, releaseKey(RELEASE).id))!.doc;

  test('nothing before 8 business hours, nothing at the weekend', async () => {
    expect(await checkAt(FRIDAY_17_59)).toEqual({ recorded: 0, calls: [] });
    expect(await checkAt(SATURDAY_NOON)).toEqual({ recorded: 0, calls: [] });
  });

  test('Monday 09:00: one reply in the RC thread @mentions the four leads still pending (not Luis), with what to type', async () => {
    const { recorded, calls } = await checkAt(MONDAY_09_00);
    expect(recorded).toBe(4);
    expect(calls).toHaveLength(1);
    const [nudge] = calls;
    expect(nudge!.conversationId).toBe(thread.conversationId);
    expect(nudge!.activity.text).toBe(
      '⏰ <at>Rafaella Barrocas</at> (QA), <at>Steven Inouye</at> (DAML), <at>Bosko Kocev</at> (Stream) and <at>Jake Edgington</at> (Platform): ' +
        'rc.1 still waits for your decision. Reply here with `approve rc.1` or `reject rc.1 <reason>`, or use the buttons on the card above.',
    );
    expect(nudge!.activity.entities).toEqual(
      [people.rafaella, people.steven, people.bosko, people.jake].map((person) => ({
        type: 'mention',
        text: `<at>${person.name}</at>`,
        mentioned: { id: person.aadObjectId, name: person.name },
      })),
    );
  });

  test('the thread nudge fires once: checked again, and after a restart, nothing more is posted', async () => {
    expect(await checkAt(MONDAY_09_00)).toEqual({ recorded: 0, calls: [] });
    await h.restart();
    expect(await checkAt(MONDAY_10_00)).toEqual({ recorded: 0, calls: [] });
  });

  test('Monday 17:00: a personal chat for each lead still pending; a lead Teams refuses (403 MessageWritesBlocked) is reported to Platform once', async () => {
    clock = MONDAY_10_00;
    expect(refusalsIn((await h.say(people.rafaella, 'approve rc.1', { conversationId: thread.conversationId })).calls)).toEqual([]);
    h.connector.blockPersonalChat(people.bosko.aadObjectId);

    const { recorded, calls } = await checkAt(MONDAY_17_00);
    expect(recorded).toBe(3); // Steven, Bosko, Jake
    const chats = calls.filter((call) => call.kind === 'createPersonalChat');
    expect(chats.map((call) => call.activity.members)).toEqual([[{ id: people.steven.aadObjectId }], [{ id: people.jake.aadObjectId }]]);
    for (const [person, area] of [[people.steven, 'DAML'], [people.jake, 'Platform']] as const) {
      const chat = chats.find((call) => (call.activity.members as Array<{ id: string }>)[0]!.id === person.aadObjectId)!;
      expect(h.textsIn(chat.conversationId)).toEqual([
        `⏰ ${RC} still waits for your ${area} decision. Approve or reject it in its thread "Release ${RC}" in #engineering, ` +
          `or here: \`approve ${RC}\` or \`reject ${RC} <reason>\`.`,
      ]);
    }
    expect(h.connector.refusedPersonal).toEqual([people.bosko.aadObjectId]);
    const toPlatform = calls.filter((call) => call.conversationId === thread.conversationId);
    expect(toPlatform).toHaveLength(1);
    expect(toPlatform[0]!.activity.text).toMatch(/^<at>Jake Edgington<\/at> I couldn't reach Bosko Kocev in a personal chat \(Teams: .*\), so they have had only the reminder in this thread that rc\.1 waits for their Stream decision/);
    expect(toPlatform[0]!.activity.entities).toEqual([{ type: 'mention', text: '<at>Jake Edgington</at>', mentioned: { id: people.jake.aadObjectId, name: 'Jake Edgington' } }]);

    // Not retried, not repeated: the next checks post nothing, Bosko's refusal stays the only one.
    expect(await checkAt(MONDAY_17_00)).toEqual({ recorded: 0, calls: [] });
    expect(await checkAt(TUESDAY_09_00)).toEqual({ recorded: 0, calls: [] });
    expect(h.connector.refusedPersonal).toEqual([people.bosko.aadObjectId]);
  });

  test('every nudge is an event of the release, in its history', async () => {
    // everything posted is acknowledged (the last acknowledgement may wait a moment for a next write)
    const doc = await waitForAsync(async () => {
      const current = await release();
      return current.outbox.length === 0 && current;
    }, 'the outbox to be acknowledged');
    const nudges = doc.events.filter((event) => event.type === 'leadReminded' || event.type === 'leadUnreachable');
    expect(nudges.map((event) => `${event.type} ${'step' in event ? event.step : ''} ${'area' in event ? event.area : ''}`.trim())).toEqual([
      'leadReminded thread qa',
      'leadReminded thread daml',
      'leadReminded thread stream',
      'leadReminded thread platform',
      'leadReminded personal daml',
      'leadReminded personal stream',
      'leadReminded personal platform',
      'leadUnreachable  stream',
    ]);
    const { calls } = await h.say(people.luis, 'history', { conversationId: thread.conversationId });
    const history = JSON.stringify(calls.map((call) => call.activity));
    expect(history).toContain('Reminded Steven Inouye in a personal chat that rc.1 waits for DAML');
    expect(history).toContain('Could not reach Bosko Kocev in a personal chat');
  });
});

describe('reminders turned off', () => {
  test('with reminders.enabled false nothing is ever recorded or posted', async () => {
    let clock = FRIDAY_10_00;
    const h = await startHarness({ now: () => clock, configure: (raw) => (raw.reminders = { enabled: false }) });
    try {
      await cutRc(h, RC);
      clock = TUESDAY_09_00;
      const before = h.connector.calls.length;
      expect(await h.bot.checkLeadReminders()).toBe(0);
      await h.settle();
      expect(h.connector.calls.slice(before)).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
