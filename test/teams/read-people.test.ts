import { ReleaseDocument, releaseKey } from '../../src/app/documents';
import { Harness, Person, people, startHarness } from '../helpers/bot-harness';
import { RecordedCall } from '../helpers/loopback-connector';
import { visibleLines } from '../helpers/teams-markdown';
import { RcThread, approvalRows, cardUpdates, cutRc, onlyRefusal, postedTexts, refusalsIn, sentCards } from './teams-view';

// Over HTTP: people write decisions the way they write in a thread. A comment after the command is
// recorded with the decision and shown in the thread and in history; `lgtm`, `+1`, `approved` are
// answered with the exact command to type and record nothing; only ambiguous input is refused.

const RELEASE = '2026.4.0';
const NOW = new Date('2026-04-14T14:05:00Z');
const BOT_MENTION = { type: 'mention', text: '<at>lendos</at>', mentioned: { id: '28:lendos-bot', name: 'lendos' } };

describe('reading people as they write', () => {
  let h: Harness;
  let thread: RcThread;
  const inThread = () => ({ conversationId: thread.conversationId });
  const release = async () => (await h.store.read<ReleaseDocument>(releaseKey(RELEASE).pk, releaseKey(RELEASE).id))!.doc;
  /** Sent as Teams sends it: one paragraph per line, the bot's mention in the first. */
  const sayLines = (person: Person, lines: readonly string[]) =>
    h.activity(person, thread.conversationId, {
      type: 'message',
      text: lines.map((line, i) => `<p>${i === 0 ? '<at>lendos</at> ' : ''}${line}</p>`).join(''),
      entities: [BOT_MENTION],
    });

  beforeAll(async () => {
    h = await startHarness({ now: () => NOW });
    thread = await cutRc(h, `${RELEASE}-rc.1`);
  });
  afterAll(() => h?.close());
  afterEach(() => expect(h.connector.malformed).toEqual([]));

  test('`approve rc.1 looks good 👍` records the approval with its comment; the thread shows it', async () => {
    const { calls } = await h.say(people.luis, 'approve rc.1 looks good 👍', inThread());
    expect(refusalsIn(calls)).toEqual([]);
    expect(postedTexts(calls, thread.conversationId)).toEqual(['✅ Luis Garcia approved rc.1 for Product (“looks good 👍”) — 1 of 5 approved.']);
    expect((await release()).events.at(-1)).toMatchObject({ type: 'approved', area: 'product', by: people.luis.aadObjectId, comment: 'looks good 👍' });
    expect(approvalRows(h.latestCard(`${RELEASE}-rc.1`))[0]).toMatch(/^✅ Product · Luis Garcia: Approved/);
  });

  test('a second line "thanks!" is part of the comment, not a refusal', async () => {
    const { calls } = await sayLines(people.rafaella, ['approve rc.1', 'thanks!']);
    expect(refusalsIn(calls)).toEqual([]);
    expect(postedTexts(calls, thread.conversationId)).toEqual(['✅ Rafaella Barrocas approved rc.1 for QA (“thanks!”) — 2 of 5 approved.']);
    expect((await release()).events.at(-1)).toMatchObject({ type: 'approved', area: 'qa', comment: 'thanks!' });
  });

  test('a revocation carries its comment too; history shows every comment', async () => {
    const revoked = await h.say(people.rafaella, 'revoke rc.1 — re-running the regression', inThread());
    expect(postedTexts(revoked.calls, thread.conversationId)).toEqual(['↩️ Rafaella Barrocas revoked their approval of rc.1 for QA (“re-running the regression”).']);
    const { calls } = await h.say(people.bosko, 'history', inThread());
    const lines = sentCards(calls, thread.conversationId).flatMap((card) => visibleLines(card));
    expect(lines).toContainEqual(expect.stringContaining('Luis Garcia approved rc.1 for Product: “looks good 👍”'));
    expect(lines).toContainEqual(expect.stringContaining('Rafaella Barrocas approved rc.1 for QA: “thanks!”'));
    expect(lines).toContainEqual(expect.stringContaining('Rafaella Barrocas revoked their approval of rc.1 for QA: “re-running the regression”'));
  });

  test.each([
    ['lgtm', '`@lendos approve rc.1 lgtm`'],
    ['+1', '`@lendos approve rc.1 +1`'],
    ['approved 👍', '`@lendos approve rc.1 approved 👍`'],
    ['approve', '`@lendos approve rc.1`'],
  ])('%j in the RC thread is answered with the exact command to type, and records nothing', async (typed, command) => {
    const before = await release();
    const { calls } = await h.say(people.steven, typed, inThread());
    expect(calls.map((call) => `${call.kind} ${call.conversationId}`)).toEqual([`reply ${thread.conversationId}`]);
    expect(calls[0]!.activity.text).toBe(
      `Nothing is recorded yet: I count an approval only from the command, for one RC. To approve rc.1, type ${command}. Anything after the RC is kept as your comment.`,
    );
    const after = await release();
    expect(after.events).toHaveLength(before.events.length);
    expect(after.state.rcs[0]!.decisions.daml).toBeUndefined();
  });

  test('the suggested command works as typed: Steven approves with it', async () => {
    const { calls } = await h.say(people.steven, 'approve rc.1 lgtm', inThread());
    expect(refusalsIn(calls)).toEqual([]);
    expect(postedTexts(calls, thread.conversationId)).toEqual(['✅ Steven Inouye approved rc.1 for DAML (“lgtm”) — 2 of 5 approved.']);
  });

  test('`-1 …` suggests the rejection with what was written as its reason', async () => {
    const { calls } = await h.say(people.bosko, '-1 login loops on Safari', inThread());
    expect(calls[0]!.activity.text).toBe(
      'Nothing is recorded yet: I count a rejection only from the command, for one RC. To reject rc.1, type `@lendos reject rc.1 login loops on Safari`.',
    );
  });

  test('in a personal chat `approved` names the RC in full, without the mention', async () => {
    const { calls } = await h.say(people.jake, 'approved', { personal: true });
    expect(calls[0]!.activity.text).toBe(
      'Nothing is recorded yet: I count an approval only from the command, for one RC. To approve 2026.4.0-rc.1, type `approve 2026.4.0-rc.1 approved` ' +
        '(or `approve rc.N` in its thread in #engineering). Anything after the RC is kept as your comment.',
    );
  });

  test("a refusal's example in the RC thread names the thread's RC, so it works as shown", async () => {
    const { calls } = await h.say(people.steven, 'approve three', inThread());
    const refusal = onlyRefusal(calls, thread.conversationId);
    expect(refusal).toContain('`three` does not name an RC.');
    expect(refusal).toContain('Example: approve rc.1 looks good 👍');
    const elsewhere = await h.say(people.steven, 'approve three', { personal: true });
    expect(refusalsIn(elsewhere.calls)[0]).toContain('Example: approve rc.3 looks good 👍');
  });

  test('in an old RC thread the hint names the current RC', async () => {
    const rc2 = await cutRc(h, `${RELEASE}-rc.2`);
    expect(rc2.conversationId).not.toBe(thread.conversationId);
    const { calls } = await h.say(people.bosko, 'lgtm', inThread());
    expect(calls[0]!.activity.text).toBe(
      'Nothing is recorded yet: I count an approval only from the command, for one RC. 2026.4.0-rc.1 is no longer the current RC of 2026.4.0; 2026.4.0-rc.2 is. ' +
        'To approve it, type `@lendos approve 2026.4.0-rc.2 lgtm`. Anything after the RC is kept as your comment.',
    );
  });

  test('ambiguous input is refused and records nothing: a condition, a second RC, an area a typo away', async () => {
    const current = { conversationId: h.thread(`${RELEASE}-rc.2`).conversationId };
    const before = (await release()).events.length;
    // In the old thread a refusal's example names the current RC in full, which works from anywhere.
    const old = await h.say(people.luis, 'revoke soon', inThread());
    expect(onlyRefusal(old.calls, thread.conversationId)).toContain('Example: revoke 2026.4.0-rc.2 found a data issue, re-checking');
    const conditional = await h.say(people.luis, 'approve rc.2 if QA passes', current);
    expect(onlyRefusal(conditional.calls, current.conversationId)).toContain('`if QA passes` after approve rc.2 reads as a condition or a "no", so I recorded nothing.');
    const two = await h.say(people.luis, 'approve rc.2 and rc.1', current);
    expect(onlyRefusal(two.calls, current.conversationId)).toContain('Write one command per RC: approve rc.2, then approve rc.1.');
    const typo = await h.say(people.luis, 'approve rc.2 for prodcut thanks', current);
    expect(onlyRefusal(typo.calls, current.conversationId)).toContain('Did you mean approve rc.2 for product?');
    expect((await release()).events).toHaveLength(before);
  });
});

describe('`lgtm` without @lendos (the app packaged with RSC)', () => {
  let h: Harness;
  let thread: RcThread;
  const deliver = (person: Person, text: string) => h.activity(person, thread.conversationId, { type: 'message', text, entities: [] });
  const replies = (calls: readonly RecordedCall[]) => calls.filter((call) => call.kind === 'send' || call.kind === 'reply');

  beforeAll(async () => {
    h = await startHarness({ now: () => NOW });
    thread = await cutRc(h, `${RELEASE}-rc.1`);
  });
  afterAll(() => h?.close());

  test('from a lead in the RC thread: the hint; from someone who decides nothing: silence', async () => {
    const lead = await deliver(people.bosko, 'lgtm');
    expect(replies(lead.calls).map((call) => call.activity.text)).toEqual([expect.stringContaining('`@lendos approve rc.1 lgtm`')]);
    const outsider = await deliver(people.mallory, '+1');
    expect(outsider.calls).toEqual([]);
    expect(cardUpdates(lead.calls, thread)).toEqual([]);
  });
});

describe('`lgtm` when no RC waits for anyone', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ now: () => NOW });
  });
  afterAll(() => h?.close());

  test('says so and where to look, and names no made-up RC', async () => {
    const { calls } = await h.say(people.luis, 'lgtm', { personal: true });
    expect(calls.map((call) => call.activity.text)).toEqual(['Nothing is recorded: no RC waits for approval right now. `status` shows where the releases stand.']);
  });
});
