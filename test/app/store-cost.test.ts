import { ReleaseDocument, releaseKey } from '../../src/app/documents';
import { createLogger } from '../../src/logger';
import { PacedRequest, SendPacer } from '../../src/teams/send-pacer';
import { Harness, UNPACED, cardText, people, startHarness } from '../helpers/bot-harness';
import { waitFor, waitForAsync } from '../helpers/wait-for';

// "One write per command once warm": counted at the store, over real HTTP. A delivered message's
// acknowledgement rides on the next command's write of the same release; without one it is written
// alone after the fold time (README "Store cost").

const stored = async (h: Harness, release: string) => (await h.store.read<ReleaseDocument>(releaseKey(release).pk, releaseKey(release).id))!.doc;

describe('store requests per command', () => {
  let h: Harness;
  const logLines: any[] = [];
  beforeAll(async () => {
    // No periodic sweep during the measurement (it queries the store by design, off the command
    // path), and a fold time longer than the test, so only commands and stops write acknowledgements.
    h = await startHarness({
      outboxSweepMs: 60_000,
      server: { outboxLeaseMs: 120_000, outboxFoldMs: 40_000 },
      logger: createLogger({ level: 'debug', write: (line) => logLines.push(JSON.parse(line)) }),
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('a warm approval is one conditional write and no read, and it carries the acknowledgements of the command before it', async () => {
    await h.say(people.jake, 'rc 2026.6.0-rc.1 notes: https://notes.example/2026.6.0');
    const thread = h.thread('2026.6.0-rc.1');
    // The first command in a thread this instance started: it knows the thread without reading its index.
    let before = { ...h.store.stats };
    await h.say(people.luis, 'approve rc.1', { conversationId: thread.conversationId });
    expect(h.store.stats.reads - before.reads).toBe(0);
    expect(h.store.stats.writes - before.writes).toBe(1);
    // Luis's card update and reply are delivered; their acknowledgements wait for the next write.
    expect((await stored(h, '2026.6.0')).outbox.map((m) => m.kind)).toEqual(['refreshRcCard', 'replyInRcThread']);

    before = { ...h.store.stats };
    await h.say(people.bosko, 'approve rc.1', { conversationId: thread.conversationId });
    const after = h.store.stats;
    expect(after.reads - before.reads).toBe(0);
    expect(after.queries - before.queries).toBe(0);
    expect(after.writes - before.writes).toBe(1);
    // Bosko's write acknowledged Luis's messages: only Bosko's own still wait.
    const doc = await stored(h, '2026.6.0');
    expect(doc.outbox.map((m) => ('text' in m ? m.text : m.kind))).toEqual(['refreshRcCard', '✅ Bosko Kocev approved rc.1 for Stream — 2 of 5 approved.']);
    expect(h.textsIn(thread.conversationId).filter((t) => t.includes('approved rc.1'))).toEqual([
      '✅ Luis Garcia approved rc.1 for Product — 1 of 5 approved.',
      '✅ Bosko Kocev approved rc.1 for Stream — 2 of 5 approved.',
    ]);
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

  it("a warm card click is the command's write and no read, like the typed command", async () => {
    await h.say(people.jake, 'rc 2026.7.0-rc.1 notes: https://notes.example/2026.7.0');
    const root = h.thread('2026.7.0-rc.1');
    await h.say(people.luis, 'approve rc.1', { conversationId: root.conversationId });
    const before = { ...h.store.stats };
    const { status, body } = await h.click(people.bosko, root, 'approve', { release: '2026.7.0', rc: 1, revision: 2 });
    expect(status).toBe(200);
    expect(JSON.stringify(body)).toContain('Approvals — 2 of 5');
    await h.settle();
    expect(h.store.stats.reads - before.reads).toBe(0);
    // the approval, carrying the acknowledgements of Luis's messages; its own wait for the next write
    expect(h.store.stats.writes - before.writes).toBe(1);
  });

  it('a graceful stop writes the acknowledgements still waiting, so the next process repeats nothing', async () => {
    const thread = h.thread('2026.7.0-rc.1');
    await h.say(people.steven, 'approve rc.1', { conversationId: thread.conversationId });
    expect((await stored(h, '2026.7.0')).outbox).not.toEqual([]);
    await h.restart();
    expect((await stored(h, '2026.7.0')).outbox).toEqual([]);
    await h.settle();
    expect(h.textsIn(thread.conversationId).filter((t) => t.includes('Steven Inouye approved rc.1'))).toHaveLength(1);
  });
});

describe('acknowledgements with no command after them', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ outboxSweepMs: 60_000, server: { outboxLeaseMs: 3_000, outboxFoldMs: 200 } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('are written once, in one write, within the fold time', async () => {
    await h.say(people.jake, 'rc 2026.8.0-rc.1 notes: https://notes.example/2026.8.0');
    const thread = h.thread('2026.8.0-rc.1');
    const before = { ...h.store.stats };
    await h.say(people.luis, 'approve rc.1', { conversationId: thread.conversationId });
    expect(h.store.stats.writes - before.writes).toBe(1); // the command, with the cut's acknowledgements
    await waitFor(() => h.store.stats.writes - before.writes >= 2, 'the acknowledgements to be written');
    expect(h.store.stats.writes - before.writes).toBe(2);
    expect(h.store.stats.reads - before.reads).toBe(0);
    expect((await stored(h, '2026.8.0')).outbox).toEqual([]); // (a read of the test's own)
  });
});

/** A pacer under pressure for every card: each card's first update is held back (30 ms) to be coalesced. */
class HoldingEachCardOnce extends SendPacer {
  private readonly held = new Set<string>();
  constructor(private readonly holdMs = 30) {
    super({ limits: UNPACED });
  }
  override deferCardUpdate(_request: PacedRequest, cardId: string): number | undefined {
    if (this.held.has(cardId)) return undefined;
    this.held.add(cardId);
    return this.holdMs;
  }
}

describe('a card update the pacer holds back', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ outboxSweepMs: 60_000, server: { outboxLeaseMs: 120_000, outboxFoldMs: 40_000, pacer: new HoldingEachCardOnce() } });
  });
  afterAll(async () => {
    await h.close();
  });

  it("goes out after the reply without costing the reply's acknowledgement a write of its own", async () => {
    await h.say(people.jake, 'rc 2026.9.0-rc.1 notes: https://notes.example/2026.9.0');
    const thread = h.thread('2026.9.0-rc.1');
    await h.settle();
    const before = { ...h.store.stats };
    await h.say(people.luis, 'approve rc.1', { conversationId: thread.conversationId });
    await h.settle(); // the reply, then the held card once its 30 ms are over
    expect(cardText(h.latestCard('2026.9.0-rc.1'))).toContain('1 of 5');
    const calls = h.connector.calls.filter((c) => c.conversationId === thread.conversationId || c.activityId === thread.activityId);
    const [reply, card] = calls.slice(-2);
    // the reply went first, the held card after it
    expect(['send', 'reply']).toContain(reply!.kind);
    expect(JSON.stringify(reply!.activity)).toContain('Luis Garcia approved rc.1');
    expect(card!.kind).toBe('update');
    // the approval's own write and nothing else: both acknowledgements still wait for the next write
    expect(h.store.stats.writes - before.writes).toBe(1);
    expect((await stored(h, '2026.9.0')).outbox.map((m) => m.kind)).toEqual(['refreshRcCard', 'replyInRcThread']);

    await h.say(people.bosko, 'approve rc.1', { conversationId: thread.conversationId });
    await h.settle();
    expect(h.store.stats.writes - before.writes).toBe(2); // Bosko's write carried them
    expect(h.textsIn(thread.conversationId).filter((t) => t.includes('Luis Garcia approved rc.1'))).toHaveLength(1);
  });
});

describe('a card update held back past the fold time', () => {
  // The reply goes out at once and its acknowledgement waits (fold time 150 ms); the card update is
  // held 400 ms. Before: the reply's acknowledgement was written alone when the fold time ended,
  // and the card's a fold time after the card went out — two writes where one does.
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ outboxSweepMs: 60_000, server: { outboxLeaseMs: 120_000, outboxFoldMs: 150, pacer: new HoldingEachCardOnce(400) } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('has its acknowledgement and the waiting reply\'s written together, once the card went out', async () => {
    await h.say(people.jake, 'rc 2026.10.0-rc.1 notes: https://notes.example/2026.10.0');
    const thread = h.thread('2026.10.0-rc.1');
    await h.settle();
    await waitForAsync(async () => (await stored(h, '2026.10.0')).outbox.length === 0, 'the cut to be acknowledged');
    const before = { ...h.store.stats };
    await h.say(people.luis, 'approve rc.1', { conversationId: thread.conversationId });
    await h.settle(); // the reply, then the card once its 400 ms are over
    expect(cardText(h.latestCard('2026.10.0-rc.1'))).toContain('1 of 5');
    await waitForAsync(async () => (await stored(h, '2026.10.0')).outbox.length === 0, 'both acknowledgements to be written');
    expect(h.store.stats.writes - before.writes).toBe(2); // the approval, then one write for both
    expect(h.textsIn(thread.conversationId).filter((t) => t.includes('Luis Garcia approved rc.1'))).toHaveLength(1);
  });
});

describe("five leads approving at once, paced to Teams' limits", () => {
  // Ten sends in one thread within a second: the pacer holds the later ones back (7 per second,
  // 8 per 2 s) and coalesces card updates. Each approval is one write; what was delivered after
  // the last one is acknowledged in at most two more — the reply held back behind the limits (its
  // acknowledgement must be written before the next reply goes) and one for everything after it.
  // Before, the last reply's acknowledgement and the last card's were written a fold time apart.
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ outboxSweepMs: 60_000, server: { outboxLeaseMs: 30_000, pacer: new SendPacer() } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('cost five writes and at most two for the acknowledgements after them', async () => {
    await h.say(people.jake, 'rc 2026.11.0-rc.1 notes: https://notes.example/2026.11.0');
    const thread = h.thread('2026.11.0-rc.1');
    await waitForAsync(async () => (await stored(h, '2026.11.0')).outbox.length === 0, 'the cut to be acknowledged', 10_000);
    const before = { ...h.store.stats };
    for (const lead of [people.luis, people.rafaella, people.steven, people.bosko, people.jake]) {
      expect((await h.post(lead, 'approve rc.1', { conversationId: thread.conversationId })).status).toBe(200);
    }
    await waitForAsync(async () => (await stored(h, '2026.11.0')).outbox.length === 0, 'every acknowledgement to be written', 15_000);
    expect(h.textsIn(thread.conversationId).filter((t) => t.includes('approved rc.1'))).toHaveLength(5);
    expect(cardText(h.latestCard('2026.11.0-rc.1'))).toContain('5 of 5');
    expect(h.store.stats.writes - before.writes).toBeLessThanOrEqual(7);
  }, 30_000);
});
