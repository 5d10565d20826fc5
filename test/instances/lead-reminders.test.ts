import { ReleaseDocument, releaseKey } from '../../src/app/documents';
import { ENGINEERING, people } from '../helpers/bot-harness';
import { BotProcess } from '../helpers/bot-process';
import { rcCutText, refusalsIn } from '../teams/teams-view';
import { Fleet, eventually, startFleet } from './fleet';

// Lead reminders across bot processes on one store: every instance checks every 100 ms, on one
// clock (a file the test moves). Each nudge is recorded as an event in the release document's
// conditional write, so instances racing record it once and it is posted once — also after the
// instance that posted it is killed and another starts.

const RELEASE = '2026.4.0';
const RC = `${RELEASE}-rc.1`;
const FRIDAY_10_00 = new Date('2026-04-10T14:00:00Z'); // the cut
const MONDAY_09_00 = new Date('2026-04-13T13:00:00Z'); // 8 business hours later: thread nudges
const MONDAY_17_00 = new Date('2026-04-13T21:00:00Z'); // 8 more: personal chats

describe('lead reminders on two instances and a restart', () => {
  let fleet: Fleet;
  let a: BotProcess;
  let b: BotProcess;
  let thread: { conversationId: string };

  beforeAll(async () => {
    fleet = await startFleet({ store: 'embedded', env: { LENDOS_TEST_LEAD_REMINDER_INTERVAL_MS: '100', LOG_LEVEL: 'debug' } });
    fleet.setClock(FRIDAY_10_00);
    [a, b] = await Promise.all([fleet.start('A'), fleet.start('B')]);
  }, 60_000);
  afterAll(() => fleet?.close());
  afterEach(() => expect(fleet.connector.malformed).toEqual([]));

  const release = () => fleet.read<ReleaseDocument>(releaseKey(RELEASE).pk, releaseKey(RELEASE).id);
  const settled = async () => (await release())?.outbox.length === 0;
  const nudgesInThread = () => fleet.textsIn(thread.conversationId).filter((text) => text.startsWith('⏰'));
  const reminderEvents = async () => ((await release())?.events ?? []).filter((e) => e.type === 'leadReminded' || e.type === 'leadUnreachable');

  /** Waits until each bot has run `count` more reminder checks (debug lines) than it had when called. */
  async function checksBy(bots: readonly BotProcess[], count: number): Promise<void> {
    const checks = (bot: BotProcess) => bot.logs.filter((line) => line.includes('"lead reminders check"')).length;
    const start = bots.map(checks);
    await eventually(() => bots.every((bot, i) => checks(bot) >= start[i]! + count), `${count} reminder checks by ${bots.map((bot) => bot.name).join(', ')}`);
    await eventually(settled, 'the release outbox to be delivered');
  }

  test('the thread nudge is recorded and posted once although both instances find it due', async () => {
    const cut = await fleet.say(a, people.jake, rcCutText(RC), { conversationId: `${ENGINEERING};messageid=${Date.now()}` });
    expect(cut.status).toBe(200);
    const root = await eventually(() => fleet.thread(RC), `the thread "Release ${RC}"`);
    thread = { conversationId: root.conversationId };
    await eventually(async () => (await settled()) && (await release())!.threads['1'] !== undefined, 'the thread to be recorded');
    const approve = await fleet.say(b, people.luis, 'approve rc.1', thread);
    expect(approve.status).toBe(200);
    await eventually(settled, 'the approval to be posted');
    expect(refusalsIn(fleet.connector.calls)).toEqual([]);
    await checksBy([a, b], 3);
    expect(nudgesInThread()).toEqual([]); // Friday: not yet 8 business hours

    fleet.setClock(MONDAY_09_00);
    await eventually(() => nudgesInThread().length > 0, 'the thread nudge');
    await checksBy([a, b], 5);
    expect(nudgesInThread()).toHaveLength(1);
    expect(nudgesInThread()[0]).toContain('<at>Rafaella Barrocas</at> (QA), <at>Steven Inouye</at> (DAML), <at>Bosko Kocev</at> (Stream) and <at>Jake Edgington</at> (Platform)');
    expect((await reminderEvents()).map((e) => e.area)).toEqual(['qa', 'daml', 'stream', 'platform']);
  }, 60_000);

  test('after A is killed and C starts, nothing is sent again; the personal chats go out once, a refused one is reported to Platform once', async () => {
    await a.kill('SIGKILL');
    const c = await fleet.start('C');
    await checksBy([b, c], 5);
    expect(nudgesInThread()).toHaveLength(1);

    fleet.connector.blockPersonalChat(people.bosko.aadObjectId);
    fleet.setClock(MONDAY_17_00);
    const personalChats = () => fleet.connector.calls.filter((call) => call.kind === 'createPersonalChat');
    await eventually(() => personalChats().length >= 3 && fleet.textsIn(thread.conversationId).some((text) => text.includes("couldn't reach")), 'the personal chats');
    await checksBy([b, c], 5);
    const members = personalChats().map((call) => (call.activity.members as Array<{ id: string }>)[0]!.id);
    expect(members.sort()).toEqual([people.rafaella.aadObjectId, people.steven.aadObjectId, people.jake.aadObjectId].sort());
    for (const chat of personalChats()) expect(fleet.textsIn(chat.conversationId)).toHaveLength(1);
    expect(fleet.connector.refusedPersonal).toEqual([people.bosko.aadObjectId]);
    expect(fleet.textsIn(thread.conversationId).filter((text) => text.includes("couldn't reach Bosko Kocev"))).toHaveLength(1);
    expect(nudgesInThread()).toHaveLength(1);
    const events = await reminderEvents();
    expect(events.filter((e) => e.type === 'leadReminded' && e.step === 'personal').map((e) => e.area).sort()).toEqual(['daml', 'platform', 'qa', 'stream']);
    expect(events.filter((e) => e.type === 'leadUnreachable').map((e) => e.area)).toEqual(['stream']);
  }, 60_000);
});
