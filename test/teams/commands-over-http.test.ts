import { ENGINEERING, Harness, cardText, people, startHarness } from '../helpers/bot-harness';
import {
  NOW,
  NOW_ON_CARDS,
  approveInThread,
  cardUpdates,
  cutRc,
  expectValidCard,
  findById,
  onlyRefusal,
  postedTexts,
  rcCutText,
  refusalsIn,
  sentCards,
  textOf,
  awaitedText,
} from './teams-view';

// Typed commands where people type them: the RC thread, a new root post in #engineering, a personal
// chat. `rc.3` only means something inside its thread; the full version works anywhere.

const PERSONAL = { personal: true } as const;
/** The targets of the Markdown links in these cards' texts. */
const linksIn = (cards: readonly object[]) => [...JSON.stringify(cards).matchAll(/\]\((https:[^)\s"]+)\)/g)].map((m) => m[1]!);
const personalChatOf = (key: string) => `a:personal-${key}`;

describe('typed commands over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ now: () => NOW });
  });
  afterAll(() => h.close());
  afterEach(() => expect(h.connector.malformed).toEqual([]));

  test('`rc.3` typed outside its thread is refused asking for the full version', async () => {
    const thread = await cutRc(h, '2026.1.0-rc.3');
    const before = h.latestCard('2026.1.0-rc.3');

    const newPost = `${ENGINEERING};messageid=1712000000101`;
    const inChannel = await h.say(people.luis, 'approve rc.3', { conversationId: newPost });
    const channelRefusal = onlyRefusal(inChannel.calls, newPost);
    // In #engineering, where release threads are, the answer names the thread of the release at rc.3.
    expect(channelRefusal).toContain("`rc.3` alone only works inside a release thread, and this isn't one I keep up to date.");
    expect(channelRefusal).toContain('The thread of 2026.1.0-rc.3 is here: type it there, or name the full version: `approve 2026.1.0-rc.3`.');
    const [link] = linksIn(sentCards(inChannel.calls, newPost));
    const opens = new URL(link!);
    expect(`${opens.origin}${opens.pathname}`).toBe(`https://teams.microsoft.com/l/message/${encodeURIComponent(ENGINEERING)}/${thread.activityId}`);
    expect(opens.searchParams.get('parentMessageId')).toBe(thread.activityId);

    const inChat = await h.say(people.jake, 'promote rc.3', PERSONAL);
    expect(onlyRefusal(inChat.calls, personalChatOf('jake'))).toContain("`rc.3` alone only works inside a release thread, and this isn't one.");

    const status = await h.say(people.luis, 'status rc.3', PERSONAL);
    expect(onlyRefusal(status.calls, personalChatOf('luis'))).toContain("`rc.3` alone only works inside a release thread, and this isn't one.");

    expect(h.latestCard('2026.1.0-rc.3')).toEqual(before);
    expect(postedTexts(h.connector.calls, thread.conversationId)).toEqual([awaitedText('rc.3')]);
  });

  test('with the full version, a personal chat works: the thread gets the post, the person an acknowledgement', async () => {
    const thread = await cutRc(h, '2026.2.0-rc.3');
    const chat = personalChatOf('luis');

    const approve = await h.say(people.luis, 'approve 2026.2.0-rc.3', PERSONAL);
    expect(refusalsIn(approve.calls)).toEqual([]);
    expect(postedTexts(approve.calls, thread.conversationId)).toEqual(['✅ Luis Garcia approved rc.3 for Product — 1 of 5 approved.']);
    expect(cardUpdates(approve.calls, thread)).toHaveLength(1);
    expect(postedTexts(approve.calls, chat)).toEqual(['Recorded your approval of 2026.2.0-rc.3 for Product; posted in its thread.']);

    // QA from a chat too, and a new root post in #engineering acknowledges where it was typed.
    const qa = await h.say(people.rafaella, 'qa pass 2026.2.0-rc.3 212 regression tests green', PERSONAL);
    expect(postedTexts(qa.calls, thread.conversationId)).toEqual(['QA regression PASSED on rc.3 (Rafaella Barrocas): 212 regression tests green']);
    expect(postedTexts(qa.calls, personalChatOf('rafaella'))).toEqual(['Recorded QA pass on 2026.2.0-rc.3; posted in its thread.']);

    const newPost = `${ENGINEERING};messageid=1712000000201`;
    const reject = await h.say(people.bosko, 'reject 2026.2.0-rc.3 stream lag above 2s', { conversationId: newPost });
    expect(postedTexts(reject.calls, thread.conversationId)).toEqual([
      expect.stringMatching(/^❌ Bosko Kocev rejected rc\.3 for Stream: stream lag above 2s\./),
    ]);
    expect(postedTexts(reject.calls, newPost)).toEqual(['Recorded your rejection of 2026.2.0-rc.3 for Stream; posted in its thread.']);

    // Typed in the thread itself, there is no separate acknowledgement: the thread post is it.
    const revoke = await h.say(people.bosko, 'revoke rc.3', { conversationId: thread.conversationId });
    expect(revoke.calls.filter((call) => call.kind !== 'update').map((call) => call.conversationId)).toEqual([thread.conversationId]);
    expect(postedTexts(revoke.calls, thread.conversationId)).toEqual(['↩️ Bosko Kocev revoked their rejection of rc.3 for Stream.']);
  });

  test('an RC cut typed in a personal chat still starts the thread in #engineering', async () => {
    const { calls } = await h.say(people.jake, rcCutText('2026.3.0-rc.1'), PERSONAL);
    const root = h.thread('2026.3.0-rc.1');
    expect(root.conversationId.startsWith(`${ENGINEERING};messageid=`)).toBe(true);
    expect(postedTexts(calls, personalChatOf('jake'))).toEqual([
      'Cut 2026.3.0-rc.1: its thread "Release 2026.3.0-rc.1" is being posted in #engineering.',
    ]);
  });

  test('`status` and `history` in the thread, and with a version anywhere', async () => {
    const thread = await cutRc(h, '2026.4.0-rc.3');
    await approveInThread(h, thread, 'rc.3', [people.luis, people.steven]);

    for (const [person, text, options, conversationId] of [
      [people.mallory, 'status', { conversationId: thread.conversationId }, thread.conversationId],
      [people.luis, 'status rc.3', { conversationId: thread.conversationId }, thread.conversationId],
      [people.mallory, 'status 2026.4.0', PERSONAL, personalChatOf('mallory')],
      [people.bosko, 'status 2026.4.0-rc.3', PERSONAL, personalChatOf('bosko')],
    ] as const) {
      const { calls } = await h.say(person, text, options);
      const cards = sentCards(calls, conversationId);
      expect(calls).toHaveLength(1);
      expect(cards).toHaveLength(1);
      const status = cards[0];
      expectValidCard(status);
      expect(textOf(status, 'title')).toBe('Release 2026.4.0');
      expect(textOf(status, 'state')).toBe('⏳ Awaiting approvals — 2 of 5');
      expect(cardText(status)).toContain('2026.4.0-rc.3');
      const waiting = textOf(status, 'waiting');
      expect(waiting).toContain('QA regression results on rc.3\nRafaella Barrocas');
      expect(waiting).toContain('QA approval\nRafaella Barrocas');
      expect(waiting).toContain('Stream approval\nBosko Kocev');
      expect(waiting).toContain('Platform approval\nJake Edgington');
      expect(waiting).not.toContain('Product approval');
      expect(waiting).not.toContain('DAML approval');
    }

    for (const [text, options, conversationId] of [
      ['history', { conversationId: thread.conversationId }, thread.conversationId],
      ['history 2026.4.0', PERSONAL, personalChatOf('mallory')],
    ] as const) {
      const { calls } = await h.say(people.mallory, text, options);
      const cards = sentCards(calls, conversationId);
      expect(cards).toHaveLength(1);
      expectValidCard(cards[0]);
      expect(cardText(cards[0])).toBe(
        [
          'History of 2026.4.0',
          NOW_ON_CARDS,
          'Jake Edgington cut rc.3',
          NOW_ON_CARDS,
          'Posted the thread of rc.3 in #engineering',
          NOW_ON_CARDS,
          'Luis Garcia approved rc.3 for Product',
          NOW_ON_CARDS,
          'Steven Inouye approved rc.3 for DAML',
        ].join('\n'),
      );
    }

    const unknown = await h.say(people.mallory, 'status 2026.11.0', PERSONAL);
    expect(cardText(sentCards(unknown.calls)[0])).toContain('No RC of 2026.11.0 has been cut.');
  });

  test('`help` answers with a help card for the person asking', async () => {
    const luis = await h.say(people.luis, 'help', PERSONAL);
    const [card] = sentCards(luis.calls, personalChatOf('luis'));
    expectValidCard(card);
    expect(textOf(card, 'title')).toBe('What you can do with @lendos, Luis Garcia');
    expect(textOf(card, 'roles')).toBe('Your roles: Lead approver for Product, Validator, everyone');
    // Luis's own commands show; everyone else's wait behind "Show all commands".
    const shown = { ...card, body: card.body.filter((element: any) => element.id !== 'all-commands') };
    expect(cardText(shown)).toContain('@lendos approve rc.3');
    expect(cardText(shown)).toContain('smoke fail');
    expect(cardText(shown)).not.toContain('promote <rc>');
    expect(cardText(findById(card, 'all-commands'))).toContain('promote <rc>');

    const jake = await h.say(people.jake, 'help');
    const [jakeCard] = sentCards(jake.calls);
    expect(textOf(jakeCard, 'roles')).toBe('Your roles: Lead approver for Platform, Platform team, Deployment engineer, everyone');
    expect(cardText(jakeCard)).toContain('stable');
    expect(cardText(jakeCard)).toContain('promote <rc> [<release notes link>]');
    expect(cardText(jakeCard)).toContain('rc <YEAR.MONTH.PATCH-rc.N> [hotfix]');
  });

  test('malformed commands get the usage of the command meant', async () => {
    const thread = await cutRc(h, '2026.5.0-rc.3');
    const before = h.latestCard('2026.5.0-rc.3');

    const typo = await h.say(people.luis, 'aprove rc.3', { conversationId: thread.conversationId });
    const typoRefusal = onlyRefusal(typo.calls, thread.conversationId);
    expect(typoRefusal).toContain('`aprove` is not a command. Did you mean approve?');
    expect(typoRefusal).toContain('Usage: approve <rc> [for <area>]');
    expect(typoRefusal).toContain('Example: approve rc.3');

    const badCut = `${ENGINEERING};messageid=1712000000501`;
    const cut = await h.say(people.jake, 'rc 2026.4-rc3', { conversationId: badCut });
    const cutRefusal = onlyRefusal(cut.calls, badCut);
    expect(cutRefusal).toContain('`2026.4-rc3` is not an RC version. Write it as YEAR.MONTH.PATCH-rc.N, for example 2026.4.0-rc.3.');
    expect(cutRefusal).toContain('Usage: rc <YEAR.MONTH.PATCH-rc.N> [hotfix]');

    const noReason = await h.say(people.luis, 'reject rc.3', { conversationId: thread.conversationId });
    expect(onlyRefusal(noReason.calls, thread.conversationId)).toContain('Usage: reject <rc> [for <area>] <reason>');

    expect(h.connector.calls.filter((call) => call.kind === 'createConversation' && JSON.stringify(call.activity).includes('2026.4-rc3'))).toEqual([]);
    expect(h.latestCard('2026.5.0-rc.3')).toEqual(before);
  });

  test('commands arrive as Teams HTML with the @mention, and still read right', async () => {
    const thread = await cutRc(h, '2026.7.0-rc.3');
    const html = await h.say(people.luis, '<p><at>lendos</at>&nbsp;approve rc.3</p>', { conversationId: thread.conversationId, raw: true });
    expect(postedTexts(html.calls, thread.conversationId)).toEqual(['✅ Luis Garcia approved rc.3 for Product — 1 of 5 approved.']);
    const bare = await h.say(people.steven, 'approve rc.3', { conversationId: thread.conversationId, raw: true });
    expect(postedTexts(bare.calls, thread.conversationId)).toEqual(['✅ Steven Inouye approved rc.3 for DAML — 2 of 5 approved.']);
  });

  test('the same activity delivered twice changes state once and posts once', async () => {
    const thread = await cutRc(h, '2026.6.0-rc.3');
    const inThread = { conversationId: thread.conversationId, activityId: '1712000000601' };
    const first = await h.say(people.steven, 'approve rc.3', inThread);
    const redelivered = await h.say(people.steven, 'approve rc.3', inThread);
    expect(first.status).toBe(200);
    expect(redelivered.status).toBe(200);
    expect(redelivered.calls).toEqual([]);
    expect(postedTexts(h.connector.calls, thread.conversationId)).toEqual([awaitedText('rc.3'), '✅ Steven Inouye approved rc.3 for DAML — 1 of 5 approved.']);
    expect(textOf(h.latestCard('2026.6.0-rc.3'), 'approvals-title')).toBe('Approvals — 1 of 5');

    // An RC cut redelivered does not fork the thread.
    const cutOnce = { activityId: '1712000000602', conversationId: `${ENGINEERING};messageid=1712000000602` };
    await h.say(people.jake, rcCutText('2026.6.0-rc.4'), cutOnce);
    const cutAgain = await h.say(people.jake, rcCutText('2026.6.0-rc.4'), cutOnce);
    expect(cutAgain.calls).toEqual([]);
    const rc4Threads = h.connector.calls.filter(
      (call) => call.kind === 'createConversation' && JSON.stringify(call.activity).includes('Release 2026.6.0-rc.4'),
    );
    expect(rc4Threads).toHaveLength(1);
    expect(postedTexts(h.connector.calls, cutOnce.conversationId)).toHaveLength(1);
    expect(postedTexts(h.connector.calls, thread.conversationId).filter((text) => text.startsWith('Superseded by rc.4'))).toHaveLength(1);
  });
});
