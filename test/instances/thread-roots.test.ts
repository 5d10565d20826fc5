import { ReleaseDocument, releaseKey } from '../../src/app/documents';
import { ENGINEERING, cardText, people } from '../helpers/bot-harness';
import { RecordedCall } from '../helpers/loopback-connector';
import { ADAPTIVE_CARD, approvalRows, awaitedText, findById, ownButtonData, rcCutText, refusalsIn, textOf } from '../teams/teams-view';
import { Fleet, StoreKind, eventually, pause, startFleet } from './fleet';

// A bot process SIGKILLed around a release thread's root post. Killed after Teams took the root and
// the bot recorded it but before the outbox acknowledged it: the next process posts nothing again.
// Killed before the bot heard Teams took it: the next process posts a second root (nothing can tell
// it the first went out), and the first — an orphan — strands nobody: typed commands there answer
// with a link to the live thread, and a click on its card counts and says where the live thread is.

const LEASE_MS = 1_500;
const isRootPost = (request: { method: string; parts: readonly string[] }) => request.method === 'POST' && request.parts.length === 2 && request.parts[1] === 'conversations';

describe.each<StoreKind>(['cosmos', 'embedded'])('a bot process killed around a thread root post (%s store)', (store) => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet({ store, holdingProxy: true, env: { LENDOS_TEST_OUTBOX_LEASE_MS: String(LEASE_MS) } });
    fleet.setClock(new Date('2026-04-14T14:05:00Z'));
  });
  afterAll(() => fleet?.close());
  afterEach(() => expect(fleet.connector.malformed).toEqual([]));

  const releaseDoc = (version: string) => fleet.read<ReleaseDocument>(releaseKey(version).pk, releaseKey(version).id);
  const roots = (rcVersion: string) =>
    fleet.connector.calls.filter((call) => call.kind === 'createConversation' && JSON.stringify(call.activity).includes(`Release ${rcVersion}`));
  const settled = async (version: string) => (await releaseDoc(version))?.outbox.length === 0;
  const cutIn = () => ({ conversationId: `${ENGINEERING};messageid=${Date.now()}` });

  test('killed after the root was posted and recorded, before its acknowledgement: the next process posts it no more', async () => {
    const version = '2026.11.0';
    const rc = `${version}-rc.1`;
    const first = await fleet.start('killed-after-root', { LENDOS_TEST_KILL_AFTER_DELIVERY: 'postRcThread' });
    await fleet.say(first, people.jake, rcCutText(rc), cutIn()).catch(() => undefined); // it may die before answering
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(first.logs).toContain('LENDOS_TEST_KILLED_AFTER_DELIVERY');
    expect(roots(rc)).toHaveLength(1);
    expect((await releaseDoc(version))?.outbox.map((m) => m.kind)).toContain('postRcThread'); // not acknowledged

    const second = await fleet.start('after-crash');
    await eventually(() => settled(version), 'the next process to finish the outbox', LEASE_MS + 10_000);
    const [root] = roots(rc) as [RecordedCall];
    expect(roots(rc)).toHaveLength(1);
    expect((await releaseDoc(version))?.threads[1]).toMatchObject({ conversationId: root.conversationId, activityId: root.activityId });

    // The one thread works: an approval typed there is posted there and counted on its card.
    const before = fleet.connector.calls.length;
    expect((await fleet.say(second, people.luis, 'approve rc.1', { conversationId: root.conversationId })).status).toBe(200);
    await eventually(() => settled(version), 'the approval to be posted');
    expect(refusalsIn(fleet.connector.calls.slice(before))).toEqual([]);
    expect(fleet.textsIn(root.conversationId)).toEqual([awaitedText('rc.1'), '✅ Luis Garcia approved rc.1 for Product — 1 of 5 approved.']);
    expect(textOf(fleet.latestCard(rc), 'approvals-title')).toBe('Approvals — 1 of 5');
    await second.stop();
  }, 40_000);

  test('killed before it heard Teams took the root: the second root is the live thread, and the orphan strands nobody', async () => {
    const version = '2026.12.0';
    const rc = `${version}-rc.1`;
    const first = await fleet.start('killed-in-the-post');
    const held = fleet.proxy!.holdAnswerOfNext(isRootPost);
    const cut = fleet.say(first, people.jake, rcCutText(rc), cutIn()).catch(() => undefined);
    await held.answered; // Teams has the root; the bot is still waiting to hear so
    await first.kill('SIGKILL');
    await cut;
    const [orphan] = roots(rc) as [RecordedCall];

    const second = await fleet.start('after-crash');
    await eventually(() => settled(version), 'the next process to post the root again', LEASE_MS + 10_000);
    expect(roots(rc)).toHaveLength(2);
    const live = (await releaseDoc(version))!.threads[1]!;
    expect(live.conversationId).not.toBe(orphan.conversationId);
    expect(second.logs.some((line) => line.includes('posting a release thread root again'))).toBe(true);

    // Luis types in the orphan: he is told where the live thread is, with a link to it.
    const typedAt = fleet.connector.calls.length;
    expect((await fleet.say(second, people.luis, 'approve rc.1', { conversationId: orphan.conversationId })).status).toBe(200);
    const answer = await eventually(() => fleet.connector.calls.slice(typedAt).find((call) => call.conversationId === orphan.conversationId), 'the answer in the orphan');
    const [refusal] = refusalsIn([answer]);
    expect(refusal).toContain(`The thread of ${rc} is here: type it there, or name the full version: \`approve ${rc}\`.`);
    expect(linksIn(answer.activity.attachments![0]!.content)).toEqual([expect.stringContaining(`/${encodeURIComponent(live.activityId)}?parentMessageId=${encodeURIComponent(live.activityId)}`)]);

    // Rafaella clicks Approve on the orphan's card: it counts, and the answer says where the live thread is.
    const click = await fleet.click(second, people.rafaella, orphan, 'approve', ownButtonData(orphan.activity.attachments![0]!.content, 'approve'));
    expect(click.body.type).toBe(ADAPTIVE_CARD);
    expect(approvalRows(click.body.value)[1]).toMatch(/^✅ QA · Rafaella Barrocas: Approved · /);
    expect(cardText(findById(click.body.value, 'notice'))).toContain(`This post is a copy; the live thread of ${rc}, where the card stays up to date, is [here](`);
    expect(linksIn(findById(click.body.value, 'notice'))).toEqual([expect.stringContaining(`/${encodeURIComponent(live.activityId)}?`)]);

    // The live thread carries on: its card counts Rafaella's click; Luis approves there.
    expect((await fleet.say(second, people.luis, 'approve rc.1', { conversationId: live.conversationId })).status).toBe(200);
    await eventually(() => settled(version), 'the approvals to be posted');
    await pause(300);
    expect(fleet.textsIn(live.conversationId)).toEqual([
      awaitedText('rc.1'),
      '✅ Rafaella Barrocas approved rc.1 for QA — 1 of 5 approved.',
      '✅ Luis Garcia approved rc.1 for Product — 2 of 5 approved.',
    ]);
    const liveUpdates = fleet.connector.calls.filter((call) => call.kind === 'update' && call.activityId === live.activityId);
    expect(textOf(liveUpdates[liveUpdates.length - 1]!.activity.attachments![0]!.content, 'approvals-title')).toBe('Approvals — 2 of 5');
    const doc = (await releaseDoc(version))!;
    expect(doc.events.filter((event) => event.type === 'approved').map((event) => event.by)).toEqual([people.rafaella.aadObjectId, people.luis.aadObjectId]);
    expect(roots(rc)).toHaveLength(2);
    await second.stop();
  }, 40_000);
});

/** The targets of the Markdown links in a card's texts. */
function linksIn(card: unknown): string[] {
  return [...JSON.stringify(card).matchAll(/\]\((https:[^)\s"]+)\)/g)].map((m) => m[1]!);
}
