import { createLogger } from '../../src/logger';
import { Harness, people, startHarness } from '../helpers/bot-harness';

// "At most one read and one write per command once warm": counted at the store, over real HTTP.

describe('store requests per command', () => {
  let h: Harness;
  const logLines: any[] = [];
  beforeAll(async () => {
    // no periodic sweep during the measurement: it queries the store by design, off the command path
    h = await startHarness({ outboxSweepMs: 60_000, logger: createLogger({ level: 'debug', write: (line) => logLines.push(JSON.parse(line)) }) });
  });
  afterAll(async () => {
    await h.close();
  });

  it('a warm approval is one conditional write for the command, no read, and an acknowledgement write per post', async () => {
    await h.say(people.jake, 'rc 2026.6.0-rc.1 notes: https://notes.example/2026.6.0');
    const thread = h.thread('2026.6.0-rc.1');
    await h.say(people.luis, 'approve rc.1', { conversationId: thread.conversationId }); // warms the thread lookup

    const before = { ...h.store.stats };
    await h.say(people.bosko, 'approve rc.1', { conversationId: thread.conversationId });
    const after = h.store.stats;

    expect(after.reads - before.reads).toBe(0);
    expect(after.queries - before.queries).toBe(0);
    // one write records the approval and its two messages; each is acknowledged as soon as Teams has
    // it, so a crash repeats at most the one in flight (README "Store cost")
    expect(after.writes - before.writes).toBe(3);
    expect(h.textsIn(thread.conversationId).filter((t) => t.includes('Bosko Kocev approved rc.1'))).toHaveLength(1);
    // and the log says what the command itself cost
    const costs = logLines.filter((l) => l.msg === 'command store cost' && l.command === 'approve');
    expect(costs[costs.length - 1]).toMatchObject({ level: 'debug', release: '2026.6.0', reads: 0, writes: 1 });
  });

  it('a refused command changes nothing: its writes are the answered-once record and its sent mark, and it reads once to confirm the refusal on the stored document', async () => {
    const thread = h.thread('2026.6.0-rc.1');
    const before = { ...h.store.stats };
    await h.say(people.mallory, 'approve rc.1', { conversationId: thread.conversationId });
    // the shared record that this activity was answered, marked sent once the refusal went out, so a
    // redelivery to another instance stays silent
    expect(h.store.stats.writes - before.writes).toBe(2);
    // The cache may be stale when another instance wrote since; no write means no ETag to catch it.
    expect(h.store.stats.reads - before.reads).toBe(1);
  });

  it('a warm card click is the command\'s write and no read, like the typed command', async () => {
    await h.say(people.jake, 'rc 2026.7.0-rc.1 notes: https://notes.example/2026.7.0');
    const root = h.thread('2026.7.0-rc.1');
    await h.say(people.luis, 'approve rc.1', { conversationId: root.conversationId });
    const before = { ...h.store.stats };
    const { status, body } = await h.click(people.bosko, root, 'approve', { release: '2026.7.0', rc: 1, revision: 2 });
    expect(status).toBe(200);
    expect(JSON.stringify(body)).toContain('Approvals — 2 of 5');
    expect(h.store.stats.reads - before.reads).toBe(0);
    // the approval, then an acknowledgement for each of its reply and card update
    expect(h.store.stats.writes - before.writes).toBe(3);
  });
});
