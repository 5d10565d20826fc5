import { Harness, people, startHarness } from '../helpers/bot-harness';
import { collectingLogger } from '../helpers/http-bot';
import { NOW, onlyRefusal, postedTexts, rcCutText, textOf } from './teams-view';

// With no channels in config, #engineering is whichever channel Jake types `@lendos register
// engineering` in; until then an RC cut has nowhere to go and says how to fix that.

const RELEASES_CHANNEL = '19:releases0042@thread.tacv2';
const postIn = (channel: string, id: number) => `${channel};messageid=${id}`;

describe('register engineering', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ bindChannels: false, now: () => NOW });
  });
  afterAll(() => h.close());
  afterEach(() => expect(h.connector.malformed).toEqual([]));

  test('an RC cut before #engineering is registered is refused with the hint to register', async () => {
    const where = postIn(RELEASES_CHANNEL, 1712000000001);
    const { calls } = await h.say(people.jake, rcCutText('2026.4.0-rc.1'), { conversationId: where });
    const refusal = onlyRefusal(calls, where);
    expect(refusal).toContain("#engineering isn't registered yet, so there is nowhere to start the release thread.");
    expect(refusal).toContain('In the #engineering channel, type `@lendos register engineering`, then cut the RC again.');
  });

  test('only Platform or an IRC registers, and only in a channel', async () => {
    const byLuis = postIn(RELEASES_CHANNEL, 1712000000002);
    const luis = await h.say(people.luis, 'register engineering', { conversationId: byLuis });
    expect(onlyRefusal(luis.calls, byLuis)).toContain('Only the Platform team or an IRC can register #engineering.');

    const byMallory = postIn(RELEASES_CHANNEL, 1712000000003);
    const mallory = await h.say(people.mallory, 'register engineering', { conversationId: byMallory });
    expect(onlyRefusal(mallory.calls, byMallory)).toContain('Only the Platform team or an IRC can register #engineering.');

    const chat = await h.say(people.jake, 'register engineering', { personal: true });
    const chatRefusal = onlyRefusal(chat.calls, 'a:personal-jake');
    expect(chatRefusal).toContain("This isn't a channel, so I can't make it #engineering.");
    expect(chatRefusal).toContain('Type `@lendos register engineering` in the #engineering channel itself.');

    // None of those registered anything: a cut is still refused.
    const where = postIn(RELEASES_CHANNEL, 1712000000004);
    const cut = await h.say(people.jake, rcCutText('2026.5.0-rc.1'), { conversationId: where });
    expect(onlyRefusal(cut.calls, where)).toContain("#engineering isn't registered yet");
  });

  test('Jake registers the channel he types in; the next RC cut starts its thread there', async () => {
    const where = postIn(RELEASES_CHANNEL, 1712000000005);
    const register = await h.say(people.jake, 'register engineering', { conversationId: where });
    expect(register.calls.map((call) => `${call.kind} ${call.conversationId}`)).toEqual([`reply ${where}`]);
    expect(postedTexts(register.calls, where)).toEqual(['This channel is now #engineering for release posts. Registered by Jake Edgington.']);

    const cutFrom = postIn(RELEASES_CHANNEL, 1712000000006);
    const cut = await h.say(people.jake, rcCutText('2026.6.0-rc.1'), { conversationId: cutFrom });
    const created = cut.calls.filter((call) => call.kind === 'createConversation');
    expect(created).toHaveLength(1);
    expect(created[0]!.conversationId.startsWith(`${RELEASES_CHANNEL};messageid=`)).toBe(true);
    expect(textOf(h.latestCard('2026.6.0-rc.1'), 'title')).toBe('Release 2026.6.0-rc.1');

    // And the thread works like any release thread.
    const approve = await h.say(people.luis, 'approve rc.1', { conversationId: created[0]!.conversationId });
    expect(postedTexts(approve.calls, created[0]!.conversationId)).toEqual(['✅ Luis Garcia approved rc.1 for Product — 1 of 5 approved.']);
  });

  test('an IRC may register too, and a cut refused before registering works once typed again', async () => {
    const fresh = await startHarness({ bindChannels: false, now: () => NOW });
    try {
      const refused = await fresh.say(people.jake, rcCutText('2026.9.0-rc.1'), { conversationId: postIn(RELEASES_CHANNEL, 1712000000007) });
      expect(refused.calls.filter((call) => call.kind === 'createConversation')).toEqual([]);

      const where = postIn(RELEASES_CHANNEL, 1712000000008);
      const register = await fresh.say(people.steven, 'register engineering', { conversationId: where });
      expect(postedTexts(register.calls, where)).toEqual(['This channel is now #engineering for release posts. Registered by Steven Inouye.']);

      // Nothing of the refused cut was recorded, so the same RC is cut now.
      await fresh.say(people.jake, rcCutText('2026.9.0-rc.1'), { conversationId: postIn(RELEASES_CHANNEL, 1712000000009) });
      expect(fresh.thread('2026.9.0-rc.1').conversationId.startsWith(`${RELEASES_CHANNEL};messageid=`)).toBe(true);
      expect(fresh.connector.malformed).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  test('when the confirmation fails, nobody is told "nothing was changed": the binding stands and the confirmation is tried again', async () => {
    const logs = collectingLogger();
    const fresh = await startHarness({ bindChannels: false, now: () => NOW, logger: logs.logger });
    try {
      // botbuilder itself tries a post four times; the first confirmation fails all four.
      const where = postIn(RELEASES_CHANNEL, 1712000000010);
      fresh.connector.failNext(4, 503);
      const register = await fresh.say(people.jake, 'register engineering', { conversationId: where });
      const said = register.calls.filter((call) => call.kind === 'reply').map((call) => call.activity.text);
      expect(said).toEqual(['This channel is now #engineering for release posts. Registered by Jake Edgington.']);

      // Now every post fails: nothing reaches the person, and nothing false is attempted either.
      const again = postIn(RELEASES_CHANNEL, 1712000000011);
      fresh.connector.failNext(1_000, 503);
      const silent = await fresh.say(people.steven, 'register engineering', { conversationId: again });
      fresh.connector.failNext(0);
      expect(silent.calls.filter((call) => call.kind === 'reply')).toEqual([]);
      expect(logs.entries()).toContainEqual(
        expect.objectContaining({ level: 'error', msg: 'register: the channel is bound, but the confirmation could not be posted', channel: 'engineering' }),
      );
      expect(logs.lines.join('\n')).not.toContain('turn failed');

      // Both registrations took: the next cut starts its thread in the channel registered last.
      const cut = await fresh.say(people.jake, rcCutText('2026.10.0-rc.1'), { conversationId: postIn(RELEASES_CHANNEL, 1712000000012) });
      expect(cut.calls.filter((call) => call.kind === 'createConversation')).toHaveLength(1);
      expect(fresh.thread('2026.10.0-rc.1').conversationId.startsWith(`${RELEASES_CHANNEL};messageid=`)).toBe(true);
    } finally {
      await fresh.close();
    }
  });
});
