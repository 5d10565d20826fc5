import { ReleaseDocument, releaseKey } from '../../src/app/documents';
import { ENGINEERING, cardText, people } from '../helpers/bot-harness';
import { BotProcess } from '../helpers/bot-process';
import { SeenRequest } from '../helpers/cosmos-server';
import { ADAPTIVE_CARD, approvalRows, awaitedText, ownButtonData, rcCutText, textOf } from '../teams/teams-view';
import { Fleet, eventually, pause, startFleet } from './fleet';

// Cosmos DB throttles the release's partition (429) and keeps doing so past the store's bounded
// retries. The person is told plainly that nothing changed and to try again; the store holds no
// half-done command; once Cosmos recovers, the same approvals go through.

const RELEASE = '2026.6.0';
const RC = `${RELEASE}-rc.1`;
const TRY_AGAIN = 'Something went wrong on my side and nothing was changed. Please try again in a moment.';

describe('Cosmos DB failing the release document for good', () => {
  let fleet: Fleet;
  let bot: BotProcess;
  let thread: { conversationId: string; activityId: string };
  beforeAll(async () => {
    fleet = await startFleet({ store: 'cosmos' });
    fleet.setClock(new Date('2026-04-14T14:05:00Z'));
    bot = await fleet.start('only');
    expect((await fleet.say(bot, people.jake, rcCutText(RC), { conversationId: `${ENGINEERING};messageid=${Date.now()}` })).status).toBe(200);
    const root = await eventually(() => fleet.thread(RC), `the thread "Release ${RC}"`);
    thread = { conversationId: root.conversationId, activityId: root.activityId };
    await eventually(async () => (await release())?.outbox.length === 0, 'the RC thread to be recorded');
  }, 30_000);
  afterAll(() => fleet?.close());
  afterEach(() => {
    fleet.cosmos!.clearFaults();
    expect(fleet.connector.malformed).toEqual([]);
  });

  const release = () => fleet.read<ReleaseDocument>(releaseKey(RELEASE).pk, releaseKey(RELEASE).id);
  /** Every request for a document of the release's partition, and only those. */
  const releasePartition = (request: SeenRequest) => request.headers['x-ms-documentdb-partitionkey'] === JSON.stringify([RELEASE]);

  test('a typed approval and a card click are answered "nothing changed, try again", change nothing, and work once Cosmos recovers', async () => {
    const cardBefore = fleet.latestCard(RC);
    const docBefore = (await release())!;
    const approveData = ownButtonData(cardBefore, 'approve');
    fleet.cosmos!.injectFault({ status: 429, count: Number.POSITIVE_INFINITY, retryAfterMs: 10, match: releasePartition });
    const faultedFrom = fleet.cosmos!.requests.length;

    // Luis types his approval: one clear answer in the thread.
    const before = fleet.connector.calls.length;
    await fleet.say(bot, people.luis, 'approve rc.1', { conversationId: thread.conversationId });
    await eventually(() => fleet.textsIn(thread.conversationId).includes(TRY_AGAIN), 'the "try again" answer');

    // Bosko clicks Approve: the answer is a card saying it didn't go through.
    const click = await fleet.click(bot, people.bosko, thread, 'approve', approveData);
    expect(click.status).toBe(200);
    expect(click.body.type).toBe(ADAPTIVE_CARD);
    expect(cardText(click.body.value)).toContain("That didn't go through");
    expect(cardText(click.body.value)).toContain('Something went wrong on my side and nothing was changed.');
    expect(cardText(click.body.value)).toContain('Click the button again in a moment.');

    // The store was asked, and refused, five times per command (the bounded 429 retry) …
    const throttled = fleet.cosmos!.requests.slice(faultedFrom).filter(releasePartition);
    expect(throttled.length).toBeGreaterThanOrEqual(2 * 5);
    await pause(300);
    // … and nobody was told anything else: no thread post, no card update.
    expect(fleet.connector.calls.slice(before).map((call) => `${call.kind}: ${call.activity.text ?? '(card)'}`)).toEqual([`reply: ${TRY_AGAIN}`]);

    // Cosmos recovers: the store holds exactly what it held before, neither approval is there.
    fleet.cosmos!.clearFaults();
    const docAfter = (await release())!;
    expect(docAfter.state).toEqual(docBefore.state);
    expect(docAfter.events).toEqual(docBefore.events);
    expect(docAfter.outbox).toEqual([]);
    expect(Object.keys(docAfter.state.rcs[0]!.decisions)).toEqual([]);
    expect(fleet.latestCard(RC)).toEqual(cardBefore);

    // The same two approvals, once more: both count, each posted once.
    expect((await fleet.say(bot, people.luis, 'approve rc.1', { conversationId: thread.conversationId })).status).toBe(200);
    const again = await fleet.click(bot, people.bosko, thread, 'approve', approveData);
    expect(again.body.type).toBe(ADAPTIVE_CARD);
    expect(approvalRows(again.body.value)[3]).toMatch(/^✅ Stream · Bosko Kocev: Approved · /);
    await eventually(async () => (await release())?.outbox.length === 0 && fleet.textsIn(thread.conversationId).length >= 4, 'both approvals to be posted');
    await pause(400);
    expect(fleet.textsIn(thread.conversationId)).toEqual([
      awaitedText('rc.1'),
      TRY_AGAIN,
      '✅ Luis Garcia approved rc.1 for Product — 1 of 5 approved.',
      '✅ Bosko Kocev approved rc.1 for Stream — 2 of 5 approved.',
    ]);
    const card = fleet.latestCard(RC);
    expect(textOf(card, 'approvals-title')).toBe('Approvals — 2 of 5');
    expect(card.refresh.userIds[0]).not.toBe(`8:orgid:${people.jake.aadObjectId}`);
  }, 30_000);
});
