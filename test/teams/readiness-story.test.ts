import { ENGINEERING, Harness, cardText, cardVerbs, people, startHarness } from '../helpers/bot-harness';
import {
  ADAPTIVE_CARD,
  LEADS,
  NOW,
  NOW_ON_CARDS,
  approvalRows,
  buttonData,
  buttons,
  cardUpdates,
  cutRc,
  expectValidCard,
  notesUrlOf,
  onlyRefusal,
  postedTexts,
  rcCutText,
  refusalsIn,
  textOf,
} from './teams-view';

// Runbook 1.1 → 2.2 over real HTTP, as the five leads live it in #engineering: the RC cut posts a new
// thread, QA and each lead post in it, the card follows, and Platform promotes with the runbook's line.

describe('release readiness and promotion, told in #engineering', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ now: () => NOW });
  });
  afterAll(() => h.close());
  afterEach(() => expect(h.connector.malformed).toEqual([]));

  test('runbook 1.1 → 2.2 for 2026.4.0-rc.3: cut, QA, five approvals in the thread, promotion', async () => {
    // 1.1 Jake cuts the RC: a NEW root post "Release 2026.4.0-rc.3" in #engineering with the RC card.
    const cutAt = `${ENGINEERING};messageid=1712000000001`;
    const { status, calls } = await h.say(people.jake, rcCutText('2026.4.0-rc.3'), { conversationId: cutAt });
    expect(status).toBe(200);

    // A NEW thread, not a reply to the message Jake typed.
    const created = calls.filter((call) => call.kind === 'createConversation');
    expect(created).toHaveLength(1);
    const root = created[0]!;
    expect(root.conversationId.startsWith(`${ENGINEERING};messageid=`)).toBe(true);
    expect(root.conversationId).not.toBe(cutAt);
    expect(root.activity.attachments?.map((a) => a.contentType)).toEqual([ADAPTIVE_CARD]);

    const rootCard = root.activity.attachments![0]!.content;
    expectValidCard(rootCard);
    expect(textOf(rootCard, 'title')).toBe('Release 2026.4.0-rc.3');
    expect(textOf(rootCard, 'status')).toBe('⏳ Awaiting approvals — 0 of 5');
    expect(textOf(rootCard, 'cut')).toBe(`Cut by Jake Edgington · ${NOW_ON_CARDS}`);
    expect(textOf(rootCard, 'features')).toBe('Features\n• Loan export to CSV\n• Faster portfolio search');
    expect(textOf(rootCard, 'fixes')).toBe('Fixes\n• Login loop on Safari');
    expect(textOf(rootCard, 'notes')).toBe(`[Release notes](${notesUrlOf('2026.4.0')})`);
    expect(textOf(rootCard, 'known-issues')).toBe('Known issues\n• PDF statements slow above 500 loans');
    expect(textOf(rootCard, 'qa')).toContain('Pending');
    expect(textOf(rootCard, 'approvals-title')).toBe('Approvals — 0 of 5');
    expect(approvalRows(rootCard)).toEqual([
      '⏳ Product · Luis Garcia: Awaited',
      '⏳ QA · Rafaella Barrocas: Awaited',
      '⏳ DAML · Steven Inouye: Awaited',
      '⏳ Stream · Bosko Kocev: Awaited',
      '⏳ Platform · Jake Edgington: Awaited',
    ]);
    // The card in the thread acts for nobody: each lead gets their own buttons by refresh (test/teams/views.test.ts).
    expect(buttons(rootCard)).toEqual(['Show my actions']);
    expect(cardVerbs(rootCard).filter((verb) => verb !== 'refreshRc')).toEqual([]);

    // Jake is told where his release went, where he typed the command; the thread's one reply
    // @mentions whoever the RC now waits for (tested in detail in awaited-mentions.test.ts).
    expect(postedTexts(calls, cutAt)).toEqual([
      'Cut 2026.4.0-rc.3: its thread "Release 2026.4.0-rc.3" is being posted in #engineering.',
    ]);
    expect(postedTexts(calls, root.conversationId)).toEqual([expect.stringMatching(/^🗳️ rc\.3 waits for your decision, <at>Luis Garcia<\/at> \(Product\)/)]);

    const thread = { conversationId: root.conversationId, activityId: root.activityId };
    const inThread = { conversationId: thread.conversationId };

    // 1.3 Rafaella posts the regression result in the RC thread.
    const qa = await h.say(people.rafaella, 'qa pass rc.3 https://ci.lendos.example/regression/812', inThread);
    expect(refusalsIn(qa.calls)).toEqual([]);
    expect(postedTexts(qa.calls, thread.conversationId)).toEqual([
      'QA regression PASSED on rc.3 (Rafaella Barrocas): https://ci.lendos.example/regression/812',
    ]);
    expect(cardUpdates(qa.calls, thread)).toHaveLength(1);
    let card = h.latestCard('2026.4.0-rc.3');
    expect(textOf(card, 'qa')).toBe(
      `QA regression\n✅ Passed — [regression report](https://ci.lendos.example/regression/812)\nRafaella Barrocas · ${NOW_ON_CARDS}`,
    );

    // 2.1 Each lead approves in the thread; everyone sees the reply and the card's matrix move.
    for (const [index, { person, area }] of LEADS.entries()) {
      const approvals = index + 1;
      const { calls } = await h.say(person, 'approve rc.3', inThread);
      expect(refusalsIn(calls)).toEqual([]);
      const replies = postedTexts(calls, thread.conversationId);
      expect(replies).toHaveLength(1);
      expect(replies[0]).toMatch(new RegExp(`^✅ ${person.name} approved rc\\.3 for ${area} — ${approvals} of 5 approved\\.`));
      expect(cardUpdates(calls, thread)).toHaveLength(1);
      card = h.latestCard('2026.4.0-rc.3');
      expect(textOf(card, 'approvals-title')).toBe(`Approvals — ${approvals} of 5`);
      expect(approvalRows(card)[index]).toBe(`✅ ${area} · ${person.name}: Approved · ${NOW_ON_CARDS}`);
      // Jake's own view offers Promote only once all five have approved.
      const jake = await h.refresh(people.jake, thread, card);
      expect(buttons(jake.body.value)).toEqual(approvals < 5 ? ['Approve', 'Reject'] : ['Revoke', 'Promote']);
    }
    expect(textOf(card, 'status')).toBe('✅ Ready to promote');
    expect(postedTexts(h.connector.calls, thread.conversationId).at(-1)).toBe(
      "✅ Jake Edgington approved rc.3 for Platform — 5 of 5 approved. All areas approved: <at>Jake Edgington</at>, promote it with `promote rc.3` or the card's Promote button.",
    );

    // 2.2 Jake promotes; the thread gets the runbook's line word for word.
    const promote = await h.say(people.jake, 'promote rc.3', inThread);
    expect(refusalsIn(promote.calls)).toEqual([]);
    expect(postedTexts(promote.calls, thread.conversationId)).toEqual([
      `2026.4.0-rc.3 promoted to 2026.4.0. [Release notes](${notesUrlOf('2026.4.0')})`,
    ]);
    card = h.latestCard('2026.4.0-rc.3');
    expectValidCard(card);
    expect(textOf(card, 'status')).toBe('🚀 Promoted to 2026.4.0');
    expect(textOf(card, 'promoted')).toBe(`Promoted by Jake Edgington · ${NOW_ON_CARDS}`);
    expect(buttons(card)).toEqual([]);
    expect(cardVerbs(card)).toEqual([]);

    // A release is promoted once.
    const again = await h.say(people.jake, 'promote rc.3', inThread);
    expect(onlyRefusal(again.calls, thread.conversationId)).toContain('2026.4.0 was already promoted from rc.3 by Jake Edgington');
  });

  test('the same story with the card: every lead clicks Approve, Jake clicks Promote', async () => {
    const thread = await cutRc(h, '2026.6.0-rc.2');
    for (const [index, { person, area }] of LEADS.entries()) {
      const view = await h.refresh(person, thread, h.latestCard('2026.6.0-rc.2'));
      const { status, body, calls } = await h.click(person, thread, 'approve', buttonData(view.body.value, 'approve'));
      expect(status).toBe(200);
      expect(body.type).toBe(ADAPTIVE_CARD);
      expect(textOf(body.value, 'approvals-title')).toBe(`Approvals — ${index + 1} of 5`);
      expect(postedTexts(calls, thread.conversationId)).toEqual([
        expect.stringMatching(new RegExp(`^✅ ${person.name} approved rc\\.2 for ${area} — ${index + 1} of 5 approved\\.`)),
      ]);
    }
    const ready = (await h.refresh(people.jake, thread, h.latestCard('2026.6.0-rc.2'))).body.value;
    expect(buttons(ready)).toContain('Promote');

    const { status, body, calls } = await h.click(people.jake, thread, 'promote', buttonData(ready, 'promote'));
    expect(status).toBe(200);
    expect(body.type).toBe(ADAPTIVE_CARD);
    expect(textOf(body.value, 'status')).toBe('🚀 Promoted to 2026.6.0');
    expect(buttons(body.value)).toEqual([]);
    expect(postedTexts(calls, thread.conversationId)).toEqual([
      `2026.6.0-rc.2 promoted to 2026.6.0. [Release notes](${notesUrlOf('2026.6.0')})`,
    ]);
    const card = h.latestCard('2026.6.0-rc.2');
    expect(textOf(card, 'status')).toBe('🚀 Promoted to 2026.6.0');
    expect(buttons(card)).toEqual([]);
    expect(cardText(card)).toContain(`Promoted by Jake Edgington · ${NOW_ON_CARDS}`);
  });

  test('1.2 a bad RC: rc.1 rejected and superseded by rc.2, which the five approve and Jake promotes', async () => {
    const rc1 = await cutRc(h, '2026.7.0-rc.1');
    const failed = await h.say(people.rafaella, 'qa fail rc.1 14 regressions in loan export', { conversationId: rc1.conversationId });
    expect(postedTexts(failed.calls, rc1.conversationId)).toEqual([
      'QA regression FAILED on rc.1 (Rafaella Barrocas): 14 regressions in loan export',
    ]);
    expect(textOf(h.latestCard('2026.7.0-rc.1'), 'qa')).toContain('❌ Failed — 14 regressions in loan export');
    await h.say(people.rafaella, 'reject rc.1 loan export regressions', { conversationId: rc1.conversationId });
    expect(textOf(h.latestCard('2026.7.0-rc.1'), 'status')).toBe('⛔ Blocked — rejected by QA (Rafaella Barrocas)');

    const rc2 = await cutRc(h, '2026.7.0-rc.2');
    expect(rc2.conversationId).not.toBe(rc1.conversationId);
    expect(textOf(h.latestCard('2026.7.0-rc.1'), 'status')).toBe('⏸️ Superseded by rc.2 — approvals void');
    expect(textOf(h.latestCard('2026.7.0-rc.2'), 'approvals-title')).toBe('Approvals — 0 of 5');

    await h.say(people.rafaella, 'qa pass rc.2 all 212 regression tests green', { conversationId: rc2.conversationId });
    for (const { person } of LEADS) await h.say(person, 'approve rc.2', { conversationId: rc2.conversationId });
    const { calls } = await h.say(people.jake, 'promote rc.2', { conversationId: rc2.conversationId });
    expect(postedTexts(calls, rc2.conversationId)).toEqual([
      `2026.7.0-rc.2 promoted to 2026.7.0. [Release notes](${notesUrlOf('2026.7.0')})`,
    ]);
    expect(postedTexts(calls, rc1.conversationId)).toEqual([]);
  });
});
