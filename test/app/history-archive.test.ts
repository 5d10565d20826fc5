import { EVENTS_KEPT, HISTORY_CHUNK, ReleaseDocument, releaseKey } from '../../src/app/documents';
import { cardText, Harness, people, startHarness } from '../helpers/bot-harness';

// A long-lived release keeps a small document (each command rewrites it) yet loses no history.

describe('release history beyond what the release document keeps', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('moves older events out in chunks and still shows the whole trail in `history`', async () => {
    await h.say(people.jake, 'rc 2026.7.0-rc.1 notes: https://notes.example/2026.7.0');
    const thread = h.thread('2026.7.0-rc.1');
    for (let i = 0; i < 130; i += 1) {
      await h.say(people.luis, i % 2 === 0 ? 'approve rc.1' : 'revoke rc.1', { conversationId: thread.conversationId });
    }
    const stored = await h.store.read<ReleaseDocument>(releaseKey('2026.7.0').pk, releaseKey('2026.7.0').id);
    // 132 events (the cut, its posted root, 130 decisions): the document keeps at most EVENTS_KEPT, the rest moved out in whole chunks
    expect(stored!.doc.events.length).toBeLessThanOrEqual(EVENTS_KEPT);
    expect(stored!.doc.archivedChunks! * HISTORY_CHUNK + stored!.doc.events.length).toBe(132);

    const history = async (text: string) => {
      const reads = h.store.stats.reads;
      const { calls } = await h.say(people.bosko, text, { conversationId: thread.conversationId });
      const card = calls.find((c) => c.activity.attachments?.length)!.activity.attachments![0]!.content;
      return { text: cardText(card), reads: h.store.stats.reads - reads };
    };
    // 1 cut + its root + 130 decisions, all of them counted; the card shows the newest 40
    const newest = await history('history');
    expect(newest.text).toContain('92 earlier events: type `history 2026.7.0 page 2`.');
    expect(newest.text).toContain('Luis Garcia revoked their approval of rc.1 for Product');
    expect(newest.text).not.toContain('Jake Edgington cut rc.1');
    // the oldest page: the cut, its root and the first ten decisions
    const oldest = await history('history 2026.7.0 page 4');
    expect(oldest.text).toContain('Page 4 of 4, the oldest events.');
    expect(oldest.text).toContain('Jake Edgington cut rc.1');
    // a page costs the same reads wherever it is: the release document, its page's chunks, the environments
    expect(oldest.reads).toBeLessThanOrEqual(newest.reads + 1);
    expect(newest.reads).toBeLessThanOrEqual(1 + 3 + h.config.environments.length + 1);
    const beyond = await h.say(people.bosko, 'history page 5', { conversationId: thread.conversationId });
    const refusal = beyond.calls.find((c) => c.activity.attachments?.length)!.activity.attachments![0]!.content;
    expect(cardText(refusal)).toContain('The history of 2026.7.0 has 4 pages, so there is no page 5.');
  }, 60_000);

  it('reads only the page it shows, however long the trail', async () => {
    await h.say(people.jake, 'rc 2026.8.0-rc.1 notes: https://notes.example/2026.8.0');
    const thread = h.thread('2026.8.0-rc.1');
    for (let i = 0; i < 200; i += 1) {
      await h.say(people.luis, i % 2 === 0 ? 'approve rc.1' : 'revoke rc.1', { conversationId: thread.conversationId });
    }
    const reads = h.store.stats.reads;
    const { calls } = await h.say(people.bosko, 'history page 3', { conversationId: thread.conversationId });
    const card = calls.find((c) => c.activity.attachments?.length)!.activity.attachments![0]!.content;
    // 202 events, 9 chunks archived: page 3 is events 82–121 (0-based), in chunks 4–6, plus event 122
    expect(cardText(card)).toContain('Page 3 of 6. 82 earlier events: type `history 2026.8.0 page 4`.');
    expect(h.store.stats.reads - reads).toBeLessThanOrEqual(1 + 3 + h.config.environments.length + 1);
  }, 60_000);
});
