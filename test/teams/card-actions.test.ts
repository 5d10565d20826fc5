import { Harness, Person, cardText, people, startHarness } from '../helpers/bot-harness';
import {
  ADAPTIVE_CARD,
  NOW,
  RcThread,
  approvalRows,
  approveInThread,
  buttonData,
  buttons,
  cardUpdates,
  cutRc,
  expectValidCard,
  findById,
  ownButtonData,
  postedTexts,
  textOf,
  awaitedText,
} from './teams-view';

// The RC card's buttons (Action.Execute invokes on the root post), over HTTP. Every click is answered
// with HTTP 200 and an Adaptive Card for the clicker; what changed is posted in the thread and shown
// on the card for everyone; a click that must not act says why and changes nothing.

describe('RC card buttons', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ now: () => NOW });
  });
  afterAll(() => h.close());
  afterEach(() => expect(h.connector.malformed).toEqual([]));

  /**
   * Clicks a button as the person sees it: Teams refreshes the thread's root card into their own
   * view (its buttons are theirs), and they click one, with the data that button carries.
   */
  const clickOnCard = async (
    person: Person,
    thread: RcThread,
    rcVersion: string,
    verb: string,
    extra: Record<string, unknown> = {},
    options: { activityId?: string } = {},
  ) => {
    const view = await h.refresh(person, thread, h.latestCard(rcVersion));
    return h.click(person, thread, verb, { ...buttonData(view.body.value, verb), ...extra }, options);
  };

  test('Approve, Reject with a reason, and Revoke: each answered with the fresh card and posted in the thread', async () => {
    const thread = await cutRc(h, '2026.1.0-rc.3');

    const approve = await clickOnCard(people.luis, thread, '2026.1.0-rc.3', 'approve');
    expect(approve.status).toBe(200);
    expect(approve.body.statusCode).toBe(200);
    expect(approve.body.type).toBe(ADAPTIVE_CARD);
    expectValidCard(approve.body.value);
    expect(textOf(approve.body.value, 'approvals-title')).toBe('Approvals — 1 of 5');
    expect(approvalRows(approve.body.value)[0]).toMatch(/^✅ Product · Luis Garcia: Approved · /);
    expect(postedTexts(approve.calls, thread.conversationId)).toEqual(['✅ Luis Garcia approved rc.3 for Product — 1 of 5 approved.']);
    expect(cardUpdates(approve.calls, thread)).toHaveLength(1);
    // Luis's answer is his own view (he may now revoke); everyone's card shows the same matrix and acts for nobody.
    expect(buttons(approve.body.value)).toEqual(['Revoke']);
    expect(buttons(h.latestCard('2026.1.0-rc.3'))).toEqual(['Show my actions']);
    expect(approvalRows(h.latestCard('2026.1.0-rc.3'))).toEqual(approvalRows(approve.body.value));

    // Reject: Teams merges the typed reason into the button's data.
    const reject = await clickOnCard(people.steven, thread, '2026.1.0-rc.3', 'reject', { reason: 'ledger migration not rehearsed' });
    expect(reject.status).toBe(200);
    expect(reject.body.type).toBe(ADAPTIVE_CARD);
    expect(textOf(reject.body.value, 'status')).toBe('⛔ Blocked — rejected by DAML (Steven Inouye)');
    expect(approvalRows(reject.body.value)[2]).toMatch(/^❌ DAML · Steven Inouye: Rejected: ledger migration not rehearsed · /);
    expect(postedTexts(reject.calls, thread.conversationId)).toEqual([
      '❌ Steven Inouye rejected rc.3 for DAML: ledger migration not rehearsed. ' +
        'Promotion is blocked until Steven Inouye revokes it (`revoke rc.3`) or a new RC is cut.',
    ]);

    const revoke = await clickOnCard(people.steven, thread, '2026.1.0-rc.3', 'revoke');
    expect(revoke.status).toBe(200);
    expect(revoke.body.type).toBe(ADAPTIVE_CARD);
    expect(textOf(revoke.body.value, 'status')).toBe('⏳ Awaiting approvals — 1 of 5');
    expect(approvalRows(revoke.body.value)[2]).toBe('⏳ DAML · Steven Inouye: Awaited');
    expect(postedTexts(revoke.calls, thread.conversationId)).toEqual(['↩️ Steven Inouye revoked their rejection of rc.3 for DAML.']);
    expect(buttons(revoke.body.value)).toEqual(['Approve', 'Reject']);
    expect(approvalRows(h.latestCard('2026.1.0-rc.3'))).toEqual(approvalRows(revoke.body.value));
  });

  test('Reject without a reason is refused on the card and changes nothing', async () => {
    const thread = await cutRc(h, '2026.2.0-rc.3');
    const before = h.latestCard('2026.2.0-rc.3');
    for (const reason of [undefined, '   ']) {
      const { status, body, calls } = await clickOnCard(people.bosko, thread, '2026.2.0-rc.3', 'reject', reason === undefined ? {} : { reason });
      expect(status).toBe(200);
      expect(body.type).toBe(ADAPTIVE_CARD);
      expect(textOf(body.value, 'notice')).toContain('A rejection of rc.3 needs a reason');
      expect(approvalRows(body.value)[3]).toBe('⏳ Stream · Bosko Kocev: Awaited');
      expect(calls).toEqual([]);
    }
    expect(h.latestCard('2026.2.0-rc.3')).toEqual(before);
  });

  test('a click by someone who may not decide is refused on the card; a non-Platform Promote too', async () => {
    const thread = await cutRc(h, '2026.3.0-rc.3');
    // Mallory has no Approve button; she sends the click anyway (from an old copy of the card, or crafted).
    const byMallory = await h.click(people.mallory, thread, 'approve', ownButtonData(h.latestCard('2026.3.0-rc.3'), 'approve'));
    expect(byMallory.status).toBe(200);
    expect(textOf(byMallory.body.value, 'notice')).toContain("Only an area's lead can approve an RC of 2026.3.0, and you lead no area.");
    expect(byMallory.calls).toEqual([]);

    // Promote clicked before everyone approved (e.g. from a card a moment out of date).
    await approveInThread(h, thread, 'rc.3', [people.luis, people.rafaella, people.steven, people.bosko]);
    const data = ownButtonData(h.latestCard('2026.3.0-rc.3'), 'promote');
    const early = await h.click(people.jake, thread, 'promote', data);
    expect(textOf(early.body.value, 'notice')).toContain("rc.3 can't be promoted yet: waiting for rc.3 approval from Platform (Jake Edgington).");
    expect(early.calls).toEqual([]);

    await approveInThread(h, thread, 'rc.3', [people.jake]);
    const byLuis = await h.click(people.luis, thread, 'promote', ownButtonData(h.latestCard('2026.3.0-rc.3'), 'promote'));
    expect(textOf(byLuis.body.value, 'notice')).toContain('Only the Platform team can promote an RC of 2026.3.0 — ask Jake Edgington.');
    // The answer is Luis's own view: what he may do is revoke his approval, not promote.
    expect(buttons(byLuis.body.value)).toEqual(['Revoke']);
    expect(byLuis.calls).toEqual([]);
  });

  test('double click: two Approve invokes for one lead record one approval and post once', async () => {
    const thread = await cutRc(h, '2026.4.0-rc.3');
    const data = ownButtonData(h.latestCard('2026.4.0-rc.3'), 'approve');

    const first = await h.click(people.rafaella, thread, 'approve', data);
    const second = await h.click(people.rafaella, thread, 'approve', data);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.body.type).toBe(ADAPTIVE_CARD);
    // The second answer shows the approval already recorded, and says so.
    expect(approvalRows(second.body.value)[1]).toMatch(/^✅ QA · Rafaella Barrocas: Approved · /);
    expect(textOf(second.body.value, 'notice')).toContain('You already approved rc.3 for QA');
    expect(second.calls).toEqual([]);

    expect(postedTexts(h.connector.calls, thread.conversationId)).toEqual([awaitedText('rc.3'), '✅ Rafaella Barrocas approved rc.3 for QA — 1 of 5 approved.']);
    expect(textOf(h.latestCard('2026.4.0-rc.3'), 'approvals-title')).toBe('Approvals — 1 of 5');
  });

  test('double click arriving together: both answered with a card, state changes once', async () => {
    const thread = await cutRc(h, '2026.5.0-rc.3');
    const data = ownButtonData(h.latestCard('2026.5.0-rc.3'), 'approve');
    const [a, b] = await Promise.all([h.click(people.bosko, thread, 'approve', data), h.click(people.bosko, thread, 'approve', data)]);
    await h.settle();
    for (const answer of [a, b]) {
      expect(answer.status).toBe(200);
      expect(answer.body.type).toBe(ADAPTIVE_CARD);
      expect(approvalRows(answer.body.value)[3]).toMatch(/^✅ Stream · Bosko Kocev: Approved · /);
    }
    // Exactly one of the two was the one that counted; the other is told it was already recorded.
    const notices = [a, b].map((answer) => findById(answer.body.value, 'notice')).filter(Boolean);
    expect(notices.map((notice) => cardText(notice))).toEqual([expect.stringContaining('You already approved rc.3 for Stream')]);
    expect(postedTexts(h.connector.calls, thread.conversationId)).toEqual([awaitedText('rc.3'), '✅ Bosko Kocev approved rc.3 for Stream — 1 of 5 approved.']);
    expect(textOf(h.latestCard('2026.5.0-rc.3'), 'approvals-title')).toBe('Approvals — 1 of 5');
  });

  test('five leads clicking Approve at the same moment all count, each posted once', async () => {
    const thread = await cutRc(h, '2026.9.0-rc.1');
    const data = ownButtonData(h.latestCard('2026.9.0-rc.1'), 'approve');
    const answers = await Promise.all(
      [people.luis, people.rafaella, people.steven, people.bosko, people.jake].map((lead) => h.click(lead, thread, 'approve', data)),
    );
    await h.settle();
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.map((answer) => textOf(answer.body.value, 'approvals-title')).sort()).toEqual(
      [1, 2, 3, 4, 5].map((n) => `Approvals — ${n} of 5`),
    );
    const posts = postedTexts(h.connector.calls, thread.conversationId).filter((text) => text !== awaitedText('rc.1'));
    expect(posts).toHaveLength(5);
    expect(posts.map((post) => /— (\d) of 5 approved/.exec(post)?.[1])).toEqual(['1', '2', '3', '4', '5']);
    const card = h.latestCard('2026.9.0-rc.1');
    expect(textOf(card, 'status')).toBe('✅ Ready to promote');
    // The card everyone sees promotes nothing; Jake, who can, comes first among those it refreshes for.
    expect(buttons(card)).toEqual(['Show my actions']);
    expect(card.refresh.userIds[0]).toBe(`8:orgid:${people.jake.aadObjectId}`);
  });

  test('the same invoke delivered twice (Teams retry) acts once and answers both with the card', async () => {
    const thread = await cutRc(h, '2026.6.0-rc.3');
    const activityId = 'f:invoke-retry-0001';
    const first = await clickOnCard(people.steven, thread, '2026.6.0-rc.3', 'approve', {}, { activityId });
    const retry = await h.click(people.steven, thread, 'approve', ownButtonData(first.body.value, 'approve'), { activityId });
    expect(retry.status).toBe(200);
    expect(retry.body.type).toBe(ADAPTIVE_CARD);
    expect(approvalRows(retry.body.value)[2]).toMatch(/^✅ DAML · Steven Inouye: Approved · /);
    // Steven clicked once: the retry's answer is the card, not "you already approved".
    expect(findById(retry.body.value, 'notice')).toBeUndefined();
    expect(retry.calls).toEqual([]);
    expect(postedTexts(h.connector.calls, thread.conversationId)).toEqual([awaitedText('rc.3'), '✅ Steven Inouye approved rc.3 for DAML — 1 of 5 approved.']);
  });

  test("an old RC's card never acts: clicks get rc.3's card back with why, and change nothing", async () => {
    const rc3 = await cutRc(h, '2026.7.0-rc.3');
    await approveInThread(h, rc3, 'rc.3', [people.luis, people.rafaella, people.steven]);
    const staleCard = h.latestCard('2026.7.0-rc.3'); // what people still have on screen
    await cutRc(h, '2026.7.0-rc.4');
    const rc4Before = h.latestCard('2026.7.0-rc.4');
    const rc3Before = h.latestCard('2026.7.0-rc.3');
    const postsBefore = h.connector.calls.length;

    for (const [person, verb, extra] of [
      [people.bosko, 'approve', {}],
      [people.jake, 'reject', { reason: 'too late' }],
      [people.luis, 'revoke', {}],
    ] as const) {
      const { status, body, calls } = await h.click(person, rc3, verb, { ...ownButtonData(staleCard, verb), ...extra });
      expect(status).toBe(200);
      expect(body.type).toBe(ADAPTIVE_CARD);
      expect(textOf(body.value, 'title')).toBe('Release 2026.7.0-rc.3');
      expect(textOf(body.value, 'notice')).toBe(
        `Nothing changed: this card is for rc.3, which was superseded by rc.4. Its approvals are void; ${verb} rc.4 in its own thread.`,
      );
      expect(textOf(body.value, 'status')).toBe('⏸️ Superseded by rc.4 — approvals void');
      expect(buttons(body.value)).toEqual([]);
      expect(calls).toEqual([]);
    }
    expect(h.connector.calls.length).toBe(postsBefore);
    expect(h.latestCard('2026.7.0-rc.3')).toEqual(rc3Before);
    expect(h.latestCard('2026.7.0-rc.4')).toEqual(rc4Before);
  });

  test('after promotion, a leftover button on the card says the release was promoted and changes nothing', async () => {
    const thread = await cutRc(h, '2026.8.0-rc.3');
    await approveInThread(h, thread, 'rc.3', [people.luis, people.rafaella, people.steven, people.bosko, people.jake]);
    const ready = h.latestCard('2026.8.0-rc.3');
    const promote = await h.click(people.jake, thread, 'promote', ownButtonData(ready, 'promote'));
    expect(postedTexts(promote.calls, thread.conversationId)).toEqual([
      '2026.8.0-rc.3 promoted to 2026.8.0. [Release notes](https://wiki.lendos.example/releases/2026.8.0)',
    ]);

    const again = await h.click(people.jake, thread, 'promote', ownButtonData(ready, 'promote'));
    expect(again.status).toBe(200);
    expect(textOf(again.body.value, 'notice')).toBe('Nothing changed: 2026.8.0 was already promoted from rc.3.');
    expect(buttons(again.body.value)).toEqual([]);
    expect(again.calls).toEqual([]);
    const revoke = await h.click(people.luis, thread, 'revoke', ownButtonData(ready, 'revoke'));
    expect(textOf(revoke.body.value, 'notice')).toBe('Nothing changed: 2026.8.0 was already promoted from rc.3.');
    expect(revoke.calls).toEqual([]);
  });
});
