import { DEPUTIES_ID, DeputiesDocument } from '../../src/app/deputy-service';
import { SETTINGS_PARTITION } from '../../src/app/documents';
import { Harness, cardText, people, startHarness } from '../helpers/bot-harness';
import { RcThread, approvalRows, cutRc, onlyRefusal, postedTexts, refusalsIn, sentCards, textOf } from './teams-view';

// Over HTTP: Steven (DAML lead) is away and names Bosko (Stream lead) his deputy; Bosko decides DAML
// on rc.1, and the thread, the card and the history say so; he still fills one area per RC. The
// Platform team names a deputy for Luis; nobody else may. `back` ends a cover.

const RC = '2026.4.0-rc.1';
const FRIDAY = new Date('2026-04-10T15:00:00Z'); // Fri 10 Apr 2026, 11:00 EDT

describe('deputies', () => {
  let h: Harness;
  let clock = FRIDAY;
  let thread: RcThread;

  beforeAll(async () => {
    h = await startHarness({ now: () => clock });
    thread = await cutRc(h, RC);
  });
  afterAll(() => h?.close());
  afterEach(() => expect(h.connector.malformed).toEqual([]));

  test('a lead names a deputy in a personal chat; the reply @mentions the deputy and says until when', async () => {
    const { calls } = await h.say(people.steven, 'away until 2026-04-20 deputy Bosko', { personal: true });
    expect(refusalsIn(calls)).toEqual([]);
    const reply = calls.find((call) => call.activity.text?.startsWith('🧭'))!;
    expect(reply.activity.text).toBe(
      "🧭 <at>Bosko Kocev</at> decides DAML as Steven Inouye's deputy until Tue 21 Apr 2026, 00:00 EDT: approve, reject or revoke it on any RC until then " +
        '(one area per person per RC still; decisions read "Bosko Kocev for DAML (deputy of Steven Inouye)"). `back` ends it early.',
    );
    expect(reply.activity.entities).toEqual([{ type: 'mention', text: '<at>Bosko Kocev</at>', mentioned: { id: people.bosko.aadObjectId, name: 'Bosko Kocev' } }]);
    const stored = await h.store.read<DeputiesDocument>(SETTINGS_PARTITION, DEPUTIES_ID);
    expect(stored!.doc.events).toEqual([
      expect.objectContaining({ type: 'deputyNamed', area: 'daml', lead: people.steven.aadObjectId, deputy: people.bosko.aadObjectId, until: '2026-04-21T04:00:00.000Z', by: people.steven.aadObjectId }),
    ]);
  });

  test('`status` and the RC card wait for the deputy, who can decide DAML, not the away lead', async () => {
    const { calls } = await h.say(people.luis, 'status', { conversationId: thread.conversationId });
    const [status] = sentCards(calls, thread.conversationId);
    const waiting = textOf(status, 'waiting');
    expect(waiting).toContain('DAML approval\nBosko Kocev for DAML (deputy of Steven Inouye)');
    expect(waiting).not.toContain('DAML approval\nSteven Inouye');
    expect(waiting).toContain('Stream approval\nBosko Kocev');
    // The card everyone sees is rendered again on the next change; its "waiting for" line says the same.
    await h.say(people.luis, 'approve rc.1', { conversationId: thread.conversationId });
    expect(cardText(h.latestCard(RC))).toContain('Bosko Kocev for DAML (deputy of Steven Inouye)');
    await h.say(people.luis, 'revoke rc.1', { conversationId: thread.conversationId });
  });

  test('the deputy approves DAML; the thread and the card say "Bosko Kocev for DAML (deputy of Steven Inouye)"', async () => {
    const bare = await h.say(people.bosko, 'approve rc.1', { conversationId: thread.conversationId });
    expect(onlyRefusal(bare.calls, thread.conversationId)).toContain('say which area you approve rc.1 for');
    const { calls } = await h.say(people.bosko, 'approve rc.1 for daml', { conversationId: thread.conversationId });
    expect(refusalsIn(calls)).toEqual([]);
    expect(postedTexts(calls, thread.conversationId)).toEqual(['✅ Bosko Kocev for DAML (deputy of Steven Inouye) approved rc.1 — 1 of 5 approved.']);
    expect(approvalRows(h.latestCard(RC))).toContainEqual(expect.stringMatching(/^✅ DAML.*Bosko Kocev for DAML \(deputy of Steven Inouye\)/));
  });

  test('one person still fills one area per RC: Bosko cannot also approve Stream', async () => {
    const { calls } = await h.say(people.bosko, 'approve rc.1 for stream', { conversationId: thread.conversationId });
    expect(onlyRefusal(calls, thread.conversationId)).toContain('one person fills at most one area per RC');
  });

  test('history names the deputy and whose deputy', async () => {
    const { calls } = await h.say(people.luis, 'history', { conversationId: thread.conversationId });
    expect(JSON.stringify(calls.map((call) => call.activity))).toContain('Bosko Kocev approved rc.1 for DAML (deputy of Steven Inouye)');
  });

  test('only the lead or the Platform team names a deputy for a lead', async () => {
    const refused = await h.say(people.luis, 'away steven until 2026-04-20 deputy rafaella', { personal: true });
    expect(JSON.stringify(refused.calls.map((call) => call.activity))).toContain('Only Steven Inouye or the Platform team can name a deputy for Steven Inouye');
    const { calls } = await h.say(people.jake, 'away luis until 2026-04-17 12:00 deputy rafaella', { personal: true });
    expect(refusalsIn(calls)).toEqual([]);
    expect(calls.some((call) => call.activity.text?.includes("decides Product as Luis Garcia's deputy until Fri 17 Apr 2026, 12:00 EDT"))).toBe(true);
  });

  test('bad input gets the reason and a complete example', async () => {
    const { calls } = await h.say(people.steven, 'away until next week deputy Bosko', { personal: true });
    const text = JSON.stringify(calls.map((call) => call.activity));
    expect(text).toContain('until takes a date (2026-04-20, through that day)');
    expect(text).toContain('away until 2026-04-20 deputy Bosko');
  });

  test('back ends the cover: the deputy can no longer act for DAML', async () => {
    const { calls } = await h.say(people.steven, 'back', { personal: true });
    expect(calls.some((call) => call.activity.text === '👋 Steven Inouye is back: <at>Bosko Kocev</at> no longer decides DAML for them.')).toBe(true);
    const revoke = await h.say(people.bosko, 'revoke rc.1 for daml', { conversationId: thread.conversationId });
    expect(onlyRefusal(revoke.calls, thread.conversationId)).toContain('DAML is decided by its lead, Steven Inouye');
  });

  test('a cover ends by itself when its time is up', async () => {
    await h.say(people.steven, 'away until 2026-04-13 deputy Bosko', { personal: true });
    clock = new Date('2026-04-14T04:00:00Z'); // Tue 14 Apr 00:00 EDT
    const { calls } = await h.say(people.bosko, 'reject rc.1 for daml not ready', { conversationId: thread.conversationId });
    expect(onlyRefusal(calls, thread.conversationId)).toContain('DAML is decided by its lead, Steven Inouye');
  });
});
