import { ReleaseDocument, releaseKey } from '../../src/app/documents';
import { ENGINEERING, people } from '../helpers/bot-harness';
import { textOf } from '../teams/teams-view';
import { Fleet, StoreKind, eventually, startFleet } from './fleet';

// The bot process dies (SIGKILL, via LENDOS_TEST_KILL_AFTER_DELIVERY) right after Teams accepted
// one of several messages a command queued, before that message was acknowledged. A post's
// acknowledgement is written before another post is delivered — alone, or riding on the next
// command's write of the release — so the next process repeats at most the one post in flight.

const RELEASE = '2026.6.0';
const RC = `${RELEASE}-rc.1`;
const LEASE_MS = 2_000;

describe.each<StoreKind>(['cosmos', 'embedded'])('a process killed after a delivery, before its acknowledgement (%s store)', (store) => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet({ store, env: { LENDOS_TEST_OUTBOX_LEASE_MS: String(LEASE_MS) } });
    fleet.setClock(new Date('2026-04-14T14:05:00Z'));
  });
  afterAll(() => fleet?.close());
  afterEach(() => expect(fleet.connector.malformed).toEqual([]));

  const release = () => fleet.read<ReleaseDocument>(releaseKey(RELEASE).pk, releaseKey(RELEASE).id);

  test('the restarted process repeats at most the message in flight', async () => {
    const cutter = await fleet.start('cutter');
    expect((await fleet.say(cutter, people.jake, `rc ${RC}`, { conversationId: `${ENGINEERING};messageid=${Date.now()}` })).status).toBe(200);
    const root = await eventually(() => fleet.thread(RC), `the thread "Release ${RC}"`);
    await eventually(async () => (await release())?.outbox.length === 0, 'the RC thread to be recorded');
    await cutter.stop();

    // This process dies right after the card update of Luis's approval reached Teams: the reply
    // before it was delivered (and acknowledged), the update was delivered but not acknowledged.
    const doomed = await fleet.start('doomed', { LENDOS_TEST_KILL_AFTER_DELIVERY: 'refreshRcCard' });
    const before = fleet.connector.calls.length;
    expect((await fleet.say(doomed, people.luis, 'approve rc.1', { conversationId: root.conversationId })).status).toBe(200);
    const exit = await doomed.exited;
    expect(exit.signal).toBe('SIGKILL');
    expect(doomed.logs).toContain('LENDOS_TEST_KILLED_AFTER_DELIVERY');
    const updatesOf = () => fleet.connector.calls.slice(before).filter((call) => call.kind === 'update' && call.activityId === root.activityId);
    expect(updatesOf()).toHaveLength(1);

    const successor = await fleet.start('successor');
    await eventually(async () => (await release())?.outbox.length === 0, 'the successor to finish the outbox', LEASE_MS + 10_000);
    await successor.stop(); // nothing more can be posted once it has stopped

    const replies = fleet.textsIn(root.conversationId).filter((text) => text.includes('Luis Garcia approved rc.1'));
    expect(replies).toEqual(['✅ Luis Garcia approved rc.1 for Product — 1 of 5 approved.']);
    // The update in flight may go out once more (it shows the same card), never more than that.
    expect(updatesOf().length).toBeLessThanOrEqual(2);
    expect(textOf(fleet.latestCard(RC), 'approvals-title')).toBe('Approvals — 1 of 5');
  }, 40_000);

  test("killed after the second approval's reply, its acknowledgement still waiting for a write: the first's was written before it went out, so only the second may be posted again", async () => {
    const doomed = await fleet.start('doomed-2', { LENDOS_TEST_KILL_AFTER_DELIVERY: 'replyInRcThread#2', LENDOS_TEST_OUTBOX_FOLD_MS: String(LEASE_MS) });
    const root = fleet.thread(RC)!;
    const replyOf = (name: string) => fleet.textsIn(root.conversationId).filter((text) => text.includes(`${name} approved rc.1`));
    expect((await fleet.say(doomed, people.bosko, 'approve rc.1', { conversationId: root.conversationId })).status).toBe(200);
    await eventually(() => replyOf('Bosko Kocev').length === 1, "Bosko's reply");
    expect((await fleet.say(doomed, people.steven, 'approve rc.1', { conversationId: root.conversationId })).status).toBe(200);
    expect((await doomed.exited).signal).toBe('SIGKILL');
    expect(replyOf('Steven Inouye')).toHaveLength(1);

    const successor = await fleet.start('successor-2');
    await eventually(async () => (await release())?.outbox.length === 0, 'the successor to finish the outbox', LEASE_MS + 10_000);
    await successor.stop();

    expect(replyOf('Bosko Kocev')).toEqual(['✅ Bosko Kocev approved rc.1 for Stream — 2 of 5 approved.']);
    expect(replyOf('Steven Inouye').length).toBeLessThanOrEqual(2);
    expect(replyOf('Steven Inouye')[0]).toBe('✅ Steven Inouye approved rc.1 for DAML — 3 of 5 approved.');
    expect(textOf(fleet.latestCard(RC), 'approvals-title')).toBe('Approvals — 3 of 5');
  }, 40_000);
});
