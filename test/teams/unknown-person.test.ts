import { Harness, Person, people, startHarness } from '../helpers/bot-harness';
import { cutRc, onlyRefusal } from './teams-view';

// A command that records who did it cannot be recorded when Teams sends no Entra object id for the
// sender (a guest or an anonymous meeting participant): one rule in the routing table refuses it for
// every feature, with the reason, and nothing is written.

const nobody: Person = { key: 'nobody', name: 'Anonymous', aadObjectId: '' };

describe('a command from someone Teams does not name', () => {
  let h: Harness;
  let releases = 0;
  beforeAll(async () => {
    h = await startHarness();
  });

  /** Store writes a command costs, once every acknowledgement it caused is written. */
  async function writesOf(person: Person, text: string, conversationId?: string) {
    await h.settle();
    await h.bot.outbox.flushWaiting();
    const before = h.store.stats.writes;
    const { calls } = await h.say(person, text, conversationId ? { conversationId } : {});
    await h.bot.outbox.flushWaiting();
    return { calls, writes: h.store.stats.writes - before };
  }
  afterAll(() => h.close());

  test.each([
    ['an approval in the RC thread', 'approve rc.1', true],
    ['QA results', 'qa pass rc.1 212 regression tests green', true],
    ['a deployment command in the thread', 'start', true],
    ['a lock', 'lock "BXCI Staging" database maintenance for 2h', false],
    ['a freeze', 'freeze "BXCI Staging" for 3d reason: quarter close', false],
    ['naming a deputy', 'away until 2026-04-20 deputy Bosko Kocev', false],
  ])('%s is refused saying why, and nothing is recorded', async (_what, text, inThread) => {
    const thread = inThread ? await cutRc(h, `2026.${++releases}.0-rc.1`) : undefined;
    // What any refusal costs (its answered-once record): Jake types a command that is refused.
    const plain = await writesOf(people.jake, 'approve rc.7', thread?.conversationId);
    expect(plain.calls.length).toBeGreaterThan(0);
    const { calls, writes } = await writesOf(nobody, text, thread?.conversationId);
    const conversationId = calls[0]?.conversationId ?? '';
    const refusal = onlyRefusal(calls, conversationId);
    expect(refusal).toContain("Teams didn't tell me who you are, so I can't record this.");
    expect(refusal).toContain('Send the command from your own Teams account.');
    // No decision, lock, freeze or deputy was written: the refusal cost what any refusal costs.
    expect(writes).toBe(plain.writes);
    const { calls: status } = await h.say(people.jake, 'status');
    expect(JSON.stringify(status)).not.toContain('Anonymous');
  });
});
