import { createLogger } from '../../src/logger';
import { Harness, Person, people, startHarness } from '../helpers/bot-harness';
import { RecordedCall } from '../helpers/loopback-connector';
import { approvalRows, cardUpdates, cutRc, refusalsIn, RcThread } from './teams-view';

// When the @mention may be left out. Packaged as it is by default, Teams delivers a channel message
// to the bot only when it mentions the bot; packaged with `--rsc` (ChannelMessage.Read.Group) it
// delivers every one. Either way the bot answers commands and says nothing to, and logs nothing of,
// people talking to each other.

const lines: string[] = [];
const logger = createLogger({ level: 'debug', write: (line) => lines.push(line) });
const BOT_MENTION = { type: 'mention', text: '<at>lendos</at>', mentioned: { id: '28:lendos-bot', name: 'lendos' } };

describe('messages in a channel, with and without @lendos', () => {
  let h: Harness;
  let thread: RcThread;
  beforeAll(async () => {
    h = await startHarness({ logger });
    thread = await cutRc(h, '2026.4.0-rc.1');
  });
  afterAll(async () => {
    await h.close();
  });

  /** A message exactly as Teams delivers it, with or without the bot's mention entity. */
  const deliver = (person: Person, text: string, options: { mention?: boolean; conversationId?: string } = {}) =>
    h.activity(person, options.conversationId ?? thread.conversationId, {
      type: 'message',
      text: options.mention ? `<at>lendos</at> ${text}` : text,
      entities: options.mention ? [BOT_MENTION] : [],
    });
  const repliesIn = (calls: readonly RecordedCall[]) => calls.filter((call) => call.kind === 'send' || call.kind === 'reply');

  describe('packaged without RSC (the default): Teams delivers what mentions the bot', () => {
    it('a command with the mention is carried out', async () => {
      const { calls } = await deliver(people.luis, 'approve rc.1', { mention: true });
      expect(refusalsIn(calls)).toEqual([]);
      expect(approvalRows(h.latestCard('2026.4.0-rc.1'))[0]).toMatch(/^✅ Product · Luis Garcia: Approved/);
    });

    it('anything else with the mention is answered with what I can do', async () => {
      const { calls } = await deliver(people.luis, 'can you check the notes?', { mention: true });
      expect(refusalsIn(calls)).toEqual([expect.stringContaining('`can` is not a command. Say help to see what I can do.')]);
    });
  });

  describe('packaged with --rsc: Teams delivers every channel message', () => {
    it('people talking in the thread: no reply, no card change, and nothing of what they wrote in the log (at debug level)', async () => {
      const before = lines.length;
      const talk = await deliver(people.bosko, 'Looks fine from Stream, shipping the secret Q3 migration tonight?');
      expect(talk.status).toBe(200);
      expect(talk.calls).toEqual([]);
      const logged = lines.slice(before).join('\n');
      expect(logged).toContain('ignored a message without a mention that is not a command');
      expect(logged).not.toContain('secret Q3');
    });

    it('a command without the mention is carried out, like one with it', async () => {
      const { calls } = await deliver(people.steven, 'approve rc.1');
      expect(refusalsIn(calls)).toEqual([]);
      expect(cardUpdates(calls, thread)).toHaveLength(1);
      expect(approvalRows(h.latestCard('2026.4.0-rc.1'))[2]).toMatch(/^✅ DAML · Steven Inouye: Approved/);
    });

    it('something that starts like a command but is not one, or that addresses someone else, is left alone', async () => {
      const chatter = await deliver(people.bosko, 'ready when you are');
      const forRafaella = await deliver(people.bosko, '<at>Rafaella Barrocas</at> approve rc.1');
      const unknown = await deliver(people.bosko, 'aprove rc.1');
      for (const { status, calls } of [chatter, forRafaella, unknown]) {
        expect(status).toBe(200);
        expect(repliesIn(calls)).toEqual([]);
        expect(calls).toEqual([]);
      }
      // Bosko (Stream) did not approve by asking Rafaella to.
      expect(approvalRows(h.latestCard('2026.4.0-rc.1'))[3]).toBe('⏳ Stream · Bosko Kocev: Awaited');
    });

    it('with the mention a mistake is still answered; in a personal chat the mention is never needed', async () => {
      const typo = await deliver(people.bosko, 'aprove rc.1', { mention: true });
      expect(refusalsIn(typo.calls)).toEqual([expect.stringContaining('Did you mean approve?')]);
      const personal = await h.say(people.bosko, 'what can you do', { personal: true });
      expect(refusalsIn(personal.calls)).toEqual([expect.stringContaining('`what` is not a command. Say help to see what I can do.')]);
    });
  });
});
