import { Harness, people, startHarness } from '../helpers/bot-harness';
import {
  NOW,
  approvalRows,
  approveInThread,
  buttons,
  cardUpdates,
  cutRc,
  onlyRefusal,
  postedTexts,
  refusalsIn,
  textOf,
} from './teams-view';

// Who may do what in an RC thread (PRODUCT.md "Rules the bot enforces"), over HTTP: every refusal is
// a reply saying why and what to do instead, and a refused command posts nothing and leaves the card.

describe('approval rules in the RC thread', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ now: () => NOW });
  });
  afterAll(() => h.close());
  afterEach(() => expect(h.connector.malformed).toEqual([]));

  test('QA results come from the QA lead only', async () => {
    const thread = await cutRc(h, '2026.1.0-rc.3');
    const before = h.latestCard('2026.1.0-rc.3');

    const byLuis = await h.say(people.luis, 'qa pass rc.3 https://ci.lendos.example/regression/900', { conversationId: thread.conversationId });
    const refusal = onlyRefusal(byLuis.calls, thread.conversationId);
    expect(refusal).toContain('Only the QA lead can record QA results for 2026.1.0 — ask Rafaella Barrocas.');
    expect(h.latestCard('2026.1.0-rc.3')).toEqual(before);

    const byRafaella = await h.say(people.rafaella, 'qa fail rc.3 https://ci.lendos.example/regression/901', { conversationId: thread.conversationId });
    expect(refusalsIn(byRafaella.calls)).toEqual([]);
    expect(postedTexts(byRafaella.calls, thread.conversationId)).toEqual([
      'QA regression FAILED on rc.3 (Rafaella Barrocas): https://ci.lendos.example/regression/901',
    ]);
    expect(textOf(h.latestCard('2026.1.0-rc.3'), 'qa')).toContain('❌ Failed — [regression report](https://ci.lendos.example/regression/901)');
  });

  test('someone who leads no area cannot approve; the reply says who the leads are', async () => {
    const thread = await cutRc(h, '2026.2.0-rc.3');
    const before = h.latestCard('2026.2.0-rc.3');
    const { status, calls } = await h.say(people.mallory, 'approve rc.3', { conversationId: thread.conversationId });
    expect(status).toBe(200);
    const refusal = onlyRefusal(calls, thread.conversationId);
    expect(refusal).toContain("Only an area's lead can approve an RC of 2026.2.0, and you lead no area.");
    expect(refusal).toContain('Leads: Product: Luis Garcia, QA: Rafaella Barrocas, DAML: Steven Inouye, Stream: Bosko Kocev, Platform: Jake Edgington.');
    expect(h.latestCard('2026.2.0-rc.3')).toEqual(before);
  });

  test("a lead cannot approve for another lead's area (Jake for Product)", async () => {
    const thread = await cutRc(h, '2026.3.0-rc.3');
    const before = h.latestCard('2026.3.0-rc.3');
    const { calls } = await h.say(people.jake, 'approve rc.3 for product', { conversationId: thread.conversationId });
    expect(onlyRefusal(calls, thread.conversationId)).toContain('Product is decided by its lead, Luis Garcia; you lead Platform.');
    expect(h.latestCard('2026.3.0-rc.3')).toEqual(before);
  });

  test('one person fills one area: Luis cannot approve for QA, before or after approving Product', async () => {
    const thread = await cutRc(h, '2026.4.0-rc.3');
    const inThread = { conversationId: thread.conversationId };
    const first = await h.say(people.luis, 'approve rc.3 for qa', inThread);
    expect(onlyRefusal(first.calls, thread.conversationId)).toContain('QA is decided by its lead, Rafaella Barrocas; you lead Product.');

    await approveInThread(h, thread, 'rc.3', [people.luis]);
    const card = h.latestCard('2026.4.0-rc.3');
    const second = await h.say(people.luis, 'approve rc.3 for qa', inThread);
    expect(onlyRefusal(second.calls, thread.conversationId)).toContain('QA is decided by its lead, Rafaella Barrocas');
    expect(h.latestCard('2026.4.0-rc.3')).toEqual(card);
    expect(approvalRows(card).slice(0, 2)).toEqual([
      expect.stringMatching(/^✅ Product · Luis Garcia: Approved/),
      '⏳ QA · Rafaella Barrocas: Awaited',
    ]);
  });

  test('an approval names the current RC: rc.2 (superseded) and rc.9 (unknown) are refused', async () => {
    const rc2 = await cutRc(h, '2026.5.0-rc.2');
    const rc3 = await cutRc(h, '2026.5.0-rc.3');
    const before = h.latestCard('2026.5.0-rc.3');

    const old = await h.say(people.luis, 'approve rc.2', { conversationId: rc3.conversationId });
    const oldRefusal = onlyRefusal(old.calls, rc3.conversationId);
    expect(oldRefusal).toContain('rc.2 was superseded by rc.3 — approve rc.3 instead.');
    expect(oldRefusal).toContain('approve rc.3');

    const unknown = await h.say(people.luis, 'approve rc.9', { conversationId: rc3.conversationId });
    expect(onlyRefusal(unknown.calls, rc3.conversationId)).toContain('2026.5.0 has no rc.9; the current RC is rc.3.');

    // Typed in the old thread, rc.2 is just as dead.
    const inOldThread = await h.say(people.luis, 'approve rc.2', { conversationId: rc2.conversationId });
    expect(onlyRefusal(inOldThread.calls, rc2.conversationId)).toContain('rc.2 was superseded by rc.3');

    expect(h.latestCard('2026.5.0-rc.3')).toEqual(before);
  });

  test('reject needs a reason, blocks promotion, and only the same lead revokes it', async () => {
    const thread = await cutRc(h, '2026.6.0-rc.3');
    const inThread = { conversationId: thread.conversationId };

    const bare = await h.say(people.luis, 'reject rc.3', inThread);
    expect(onlyRefusal(bare.calls, thread.conversationId)).toContain('reject needs a reason.');

    const rejected = await h.say(people.luis, 'reject rc.3 loan export times out on large portfolios', inThread);
    expect(refusalsIn(rejected.calls)).toEqual([]);
    expect(postedTexts(rejected.calls, thread.conversationId)).toEqual([
      '❌ Luis Garcia rejected rc.3 for Product: loan export times out on large portfolios. ' +
        'Promotion is blocked until Luis Garcia revokes it (`revoke rc.3`) or a new RC is cut.',
    ]);
    let card = h.latestCard('2026.6.0-rc.3');
    expect(textOf(card, 'status')).toBe('⛔ Blocked — rejected by Product (Luis Garcia)');
    expect(approvalRows(card)[0]).toMatch(/^❌ Product · Luis Garcia: Rejected: loan export times out on large portfolios · /);

    // The four others approve: still blocked, no Promote button, promotion refused naming the rejection.
    await approveInThread(h, thread, 'rc.3', [people.rafaella, people.steven, people.bosko, people.jake]);
    card = h.latestCard('2026.6.0-rc.3');
    expect(buttons(card)).not.toContain('Promote');
    const blocked = await h.say(people.jake, 'promote rc.3', inThread);
    const blockedRefusal = onlyRefusal(blocked.calls, thread.conversationId);
    expect(blockedRefusal).toContain("rc.3 can't be promoted yet: Product rejected rc.3 (Luis Garcia: “loan export times out on large portfolios”)");
    expect(blockedRefusal).toContain('blocks until revoked or a new RC is cut');

    // Another lead cannot lift it.
    const bySteven = await h.say(people.steven, 'revoke rc.3 for product', inThread);
    expect(onlyRefusal(bySteven.calls, thread.conversationId)).toContain('Product is decided by its lead, Luis Garcia; you lead DAML.');
    expect(h.latestCard('2026.6.0-rc.3')).toEqual(card);

    // Luis revokes his rejection: the block lifts, Product is awaited again.
    const revoked = await h.say(people.luis, 'revoke rc.3', inThread);
    expect(refusalsIn(revoked.calls)).toEqual([]);
    expect(postedTexts(revoked.calls, thread.conversationId)).toEqual(['↩️ Luis Garcia revoked their rejection of rc.3 for Product.']);
    card = h.latestCard('2026.6.0-rc.3');
    expect(textOf(card, 'status')).toBe('⏳ Awaiting approvals — 4 of 5');
    expect(approvalRows(card)[0]).toBe('⏳ Product · Luis Garcia: Awaited');

    await approveInThread(h, thread, 'rc.3', [people.luis]);
    const jake = await h.refresh(people.jake, thread, h.latestCard('2026.6.0-rc.3'));
    expect(buttons(jake.body.value)).toContain('Promote');
  });

  test('promotion: Platform only, all five approvals first (naming who is awaited), once', async () => {
    const thread = await cutRc(h, '2026.7.0-rc.3');
    const inThread = { conversationId: thread.conversationId };
    await approveInThread(h, thread, 'rc.3', [people.luis, people.rafaella, people.jake]);

    const byLuis = await h.say(people.luis, 'promote rc.3', inThread);
    expect(onlyRefusal(byLuis.calls, thread.conversationId)).toContain('Only the Platform team can promote an RC of 2026.7.0 — ask Jake Edgington.');

    const early = await h.say(people.jake, 'promote rc.3', inThread);
    expect(onlyRefusal(early.calls, thread.conversationId)).toContain(
      "rc.3 can't be promoted yet: waiting for rc.3 approval from DAML (Steven Inouye) and Stream (Bosko Kocev).",
    );
    expect(buttons(h.latestCard('2026.7.0-rc.3'))).not.toContain('Promote');

    await approveInThread(h, thread, 'rc.3', [people.steven, people.bosko]);
    const promoted = await h.say(people.jake, 'promote rc.3', inThread);
    expect(postedTexts(promoted.calls, thread.conversationId)).toEqual([
      '2026.7.0-rc.3 promoted to 2026.7.0. [Release notes](https://wiki.lendos.example/releases/2026.7.0)',
    ]);
    expect(cardUpdates(promoted.calls, thread)).toHaveLength(1);
    const card = h.latestCard('2026.7.0-rc.3');
    expect(textOf(card, 'status')).toBe('🚀 Promoted to 2026.7.0');
    expect(buttons(card)).toEqual([]);

    const twice = await h.say(people.jake, 'promote rc.3', inThread);
    expect(onlyRefusal(twice.calls, thread.conversationId)).toContain('a release is promoted once');
    // Nor can anyone decide on a promoted RC.
    const late = await h.say(people.luis, 'revoke rc.3', inThread);
    expect(onlyRefusal(late.calls, thread.conversationId)).toContain('2026.7.0 was already promoted from rc.3');
    expect(h.latestCard('2026.7.0-rc.3')).toEqual(card);
  });

  test('an RC cut without a notes link is promoted with the link Jake gives, and the card links it', async () => {
    await h.say(people.jake, 'rc 2026.9.0-rc.1\nfeatures: Portfolio alerts');
    const thread = h.thread('2026.9.0-rc.1');
    expect(textOf(h.latestCard('2026.9.0-rc.1'), 'notes')).toBe('Release notes: not linked yet');
    await approveInThread(h, thread, 'rc.1', [people.luis, people.rafaella, people.steven, people.bosko, people.jake]);

    const inThread = { conversationId: thread.conversationId };
    const noLink = await h.say(people.jake, 'promote rc.1', inThread);
    const refusal = onlyRefusal(noLink.calls, thread.conversationId);
    expect(refusal).toContain('Promotion needs a release-notes link, and rc.1 was cut without one.');
    expect(refusal).toContain('promote rc.1 https://…');

    const promoted = await h.say(people.jake, 'promote rc.1 https://wiki.lendos.example/releases/2026.9.0-final', inThread);
    expect(postedTexts(promoted.calls, thread.conversationId)).toEqual([
      '2026.9.0-rc.1 promoted to 2026.9.0. [Release notes](https://wiki.lendos.example/releases/2026.9.0-final)',
    ]);
    expect(textOf(h.latestCard('2026.9.0-rc.1'), 'notes')).toBe('[Release notes](https://wiki.lendos.example/releases/2026.9.0-final)');
  });

  test('a new RC mid-approval voids the old one: superseded card, reply in the old thread, fresh thread', async () => {
    const rc3 = await cutRc(h, '2026.8.0-rc.3');
    await approveInThread(h, rc3, 'rc.3', [people.luis, people.rafaella, people.steven]);
    expect(textOf(h.latestCard('2026.8.0-rc.3'), 'approvals-title')).toBe('Approvals — 3 of 5');

    const { calls } = await h.say(people.jake, 'rc 2026.8.0-rc.4\nfixes: Stream reconnect storm\nnotes: https://wiki.lendos.example/releases/2026.8.0');

    // The old thread: card superseded with no buttons, its approvals marked void, and a reply saying where to go.
    const old = h.latestCard('2026.8.0-rc.3');
    expect(cardUpdates(calls, rc3)).toHaveLength(1);
    expect(textOf(old, 'status')).toBe('⏸️ Superseded by rc.4 — approvals void');
    expect(buttons(old)).toEqual([]);
    expect(approvalRows(old)).toEqual([
      expect.stringMatching(/^✅ Product · Luis Garcia: Approved · .* \(void\)$/),
      expect.stringMatching(/^✅ QA · Rafaella Barrocas: Approved · .* \(void\)$/),
      expect.stringMatching(/^✅ DAML · Steven Inouye: Approved · .* \(void\)$/),
      '— Stream · Bosko Kocev: Not decided',
      '— Platform · Jake Edgington: Not decided',
    ]);
    expect(postedTexts(calls, rc3.conversationId)).toEqual([
      'Superseded by rc.4: this thread is closed and its approvals are void. Continue in "Release 2026.8.0-rc.4".',
    ]);

    // The new thread starts from zero.
    const rc4 = h.thread('2026.8.0-rc.4');
    expect(rc4.conversationId).not.toBe(rc3.conversationId);
    const fresh = h.latestCard('2026.8.0-rc.4');
    expect(textOf(fresh, 'approvals-title')).toBe('Approvals — 0 of 5');
    expect(approvalRows(fresh).every((row) => row.startsWith('⏳'))).toBe(true);
    expect(buttons(fresh)).toEqual(['Show my actions']);
    expect(fresh.refresh.userIds).toHaveLength(5);

    // Approving rc.3 is refused, in its thread or not; rc.4 is the way.
    const late = await h.say(people.bosko, 'approve rc.3', { conversationId: rc3.conversationId });
    expect(onlyRefusal(late.calls, rc3.conversationId)).toContain('rc.3 was superseded by rc.4 — approve rc.4 instead.');
    const luisAgain = await h.say(people.luis, 'approve rc.4', { conversationId: rc4.conversationId });
    expect(postedTexts(luisAgain.calls, rc4.conversationId)).toEqual([
      '✅ Luis Garcia approved rc.4 for Product — 1 of 5 approved.',
    ]);
  });
});
