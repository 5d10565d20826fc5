import { ReleaseDocument, releaseKey } from '../../src/app/documents';
import { ENGINEERING, cardText, people } from '../helpers/bot-harness';
import { ADAPTIVE_CARD, approvalRows, ownButtonData, findById, rcCutText, textOf } from '../teams/teams-view';
import { Fleet, StoreKind, eventually, pause, startFleet } from './fleet';

// The bot process is killed (SIGKILL: no shutdown hook runs) after it recorded an approval and
// while Teams has not yet answered the post announcing it. Nothing is lost and nothing is doubled:
// the next process posts the message once, after the dead one's outbox lease has run out. Then
// Teams delivers one card click twice to that process: one state change, one post, one card update.

const RELEASE = '2026.5.0';
const RC = `${RELEASE}-rc.1`;
const LEASE_MS = 3_000;

describe.each<StoreKind>(['cosmos', 'embedded'])('a bot process killed between the write and the post (%s store)', (store) => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet({ store, holdingProxy: true, env: { LENDOS_TEST_OUTBOX_LEASE_MS: String(LEASE_MS) } });
    fleet.setClock(new Date('2026-04-14T14:05:00Z'));
  });
  afterAll(() => fleet?.close());
  afterEach(() => expect(fleet.connector.malformed).toEqual([]));

  const release = () => fleet.read<ReleaseDocument>(releaseKey(RELEASE).pk, releaseKey(RELEASE).id);
  const luisPosts = () => fleet.textsIn(thread.conversationId).filter((text) => text.includes('Luis Garcia approved rc.1'));
  let thread: { conversationId: string; activityId: string };

  test('the approval recorded before the crash is posted once, by the next process, after the lease', async () => {
    const first = await fleet.start('before-crash');
    expect((await fleet.say(first, people.jake, rcCutText(RC), { conversationId: `${ENGINEERING};messageid=${Date.now()}` })).status).toBe(200);
    const root = await eventually(() => fleet.thread(RC), `the thread "Release ${RC}"`);
    thread = { conversationId: root.conversationId, activityId: root.activityId };
    await eventually(async () => (await release())?.outbox.length === 0, 'the RC thread to be recorded');

    // Teams is slow to answer the next post in the thread; meanwhile Luis approves.
    const hold = fleet.proxy!.holdNext((request) => request.method === 'POST' && request.parts[2] === thread.conversationId);
    expect((await fleet.say(first, people.luis, 'approve rc.1', { conversationId: thread.conversationId })).status).toBe(200);
    await hold.caught;
    const recorded = await eventually(async () => {
      const doc = await release();
      return doc?.state.rcs[0]?.decisions.product?.decision === 'approved' && doc.outbox.some((m) => m.kind === 'replyInRcThread') ? doc : undefined;
    }, 'the approval and its pending post in the store');
    const lease = recorded.outboxLease!;
    expect(lease).toBeDefined();

    const exit = await first.kill('SIGKILL');
    expect(exit.signal).toBe('SIGKILL');
    await eventually(() => hold.senderGone, 'the held post to lose its sender');
    hold.release('fail'); // too late for anyone: that process is gone
    expect(luisPosts()).toEqual([]);

    const second = await fleet.start('after-crash');
    // It finds the message pending at start, but the dead process's lease still stands …
    if (Date.now() < Date.parse(lease.until) - 500) {
      await pause(200);
      expect(luisPosts()).toEqual([]);
    }
    // … and once the lease has run out, its sweep takes over and posts.
    await eventually(() => luisPosts().length > 0, 'the approval post from the new process', LEASE_MS + 5_000);
    const postedAt = Date.now();
    expect(postedAt).toBeGreaterThanOrEqual(Date.parse(lease.until));
    await eventually(async () => (await release())?.outbox.length === 0, 'the outbox to be acknowledged');
    await pause(600); // three sweeps: nothing more
    expect(luisPosts()).toEqual(['✅ Luis Garcia approved rc.1 for Product — 1 of 5 approved.']);
    expect(textOf(fleet.latestCard(RC), 'approvals-title')).toBe('Approvals — 1 of 5');
    const doc = (await release())!;
    expect(doc.events.filter((event) => event.type === 'approved')).toHaveLength(1);
    expect(doc.outboxLease).toBeUndefined();
    expect(second.running).toBe(true);
  }, 30_000);

  test('the same card click delivered twice changes the state once, posts once and updates the card once', async () => {
    const [bot] = fleet.bots.filter((b) => b.running);
    const before = fleet.connector.calls.length;
    const eventsBefore = (await release())!.events.length;
    const click = () => fleet.click(bot!, people.bosko, thread, 'approve', ownButtonData(fleet.latestCard(RC), 'approve'), { activityId: 'bosko-click-redelivered' });
    const answers = await Promise.all([click(), click()]);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body.type).toBe(ADAPTIVE_CARD);
      expect(approvalRows(answer.body.value)[3]).toMatch(/^✅ Stream · Bosko Kocev: Approved · /);
      // Bosko clicked once: neither answer tells him he already approved.
      expect(findById(answer.body.value, 'notice')).toBeUndefined();
    }
    await eventually(async () => (await release())?.outbox.length === 0, 'the click to be posted');
    await pause(600);

    const doc = (await release())!;
    expect(doc.events.slice(eventsBefore).map((event) => `${event.type} ${event.by}`)).toEqual([`approved ${people.bosko.aadObjectId}`]);
    const calls = fleet.connector.calls.slice(before);
    expect(calls.filter((call) => call.kind === 'update' && call.activityId === thread.activityId)).toHaveLength(1);
    expect(calls.filter((call) => call.kind !== 'update').map((call) => call.activity.text)).toEqual([
      '✅ Bosko Kocev approved rc.1 for Stream — 2 of 5 approved.',
    ]);
    expect(cardText(fleet.latestCard(RC))).toContain('Approvals — 2 of 5');
  }, 20_000);
});
