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
    // 131 events: the document keeps at most EVENTS_KEPT, the rest moved out in whole chunks
    expect(stored!.doc.events.length).toBeLessThanOrEqual(EVENTS_KEPT);
    expect(stored!.doc.archivedChunks! * HISTORY_CHUNK + stored!.doc.events.length).toBe(131);

    const { calls } = await h.say(people.bosko, 'history', { conversationId: thread.conversationId });
    const card = calls.find((c) => c.activity.attachments?.length)!.activity.attachments![0]!.content;
    // 1 cut + 130 decisions, all of them counted; the card shows the most recent 50
    expect(cardText(card)).toContain('Showing the last 50 of 131 events.');
    expect(cardText(card)).toContain('Luis Garcia revoked their approval of rc.1 for Product');
  });
});
