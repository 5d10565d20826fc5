import { cardText, Harness, people, startHarness } from '../helpers/bot-harness';
import { waitFor } from '../helpers/wait-for';

// The outbox over real HTTP: what people see in Teams when the connector fails, recovers, or the
// bot restarts between recording a decision and posting it.

describe('outbox delivery', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  async function cutRc(version: string) {
    await h.say(people.jake, `rc ${version} features: faster loans notes: https://notes.example/${version}`);
    return h.thread(version);
  }

  it('retries a failing connector and posts each message exactly once when it recovers', async () => {
    const thread = await cutRc('2026.4.0-rc.1');
    h.connector.failNext(9, 503); // nine failed attempts in a row, each retried by the outbox
    const { status } = await h.say(people.luis, 'approve rc.1', { conversationId: thread.conversationId });
    expect(status).toBe(200);
    await waitFor(() => h.textsIn(thread.conversationId).some((t) => t.includes('Luis Garcia approved rc.1')), 'the approval post');
    await waitFor(() => cardText(h.latestCard('2026.4.0-rc.1')).includes('1 of 5'), 'the card update');
    await h.settle();
    const approvals = h.textsIn(thread.conversationId).filter((t) => t.includes('approved rc.1'));
    expect(approvals).toHaveLength(1);
    const updates = h.connector.calls.filter((c) => c.kind === 'update' && c.activityId === thread.activityId);
    expect(updates).toHaveLength(1);
    expect(h.connector.failedCount).toBe(9);
  });

  it('posts after a restart what was recorded while Teams was down, once', async () => {
    const thread = await cutRc('2026.4.0-rc.2');
    h.connector.failNext(1_000, 503);
    await h.say(people.luis, 'approve rc.2', { conversationId: thread.conversationId });
    expect(h.textsIn(thread.conversationId).filter((t) => t.includes('approved rc.2'))).toHaveLength(0);

    await h.restart();
    h.connector.failNext(0);
    await h.restart(); // the new process sweeps the outbox at start
    await waitFor(() => h.textsIn(thread.conversationId).some((t) => t.includes('Luis Garcia approved rc.2')), 'the approval post after restart');
    await h.settle();
    expect(h.textsIn(thread.conversationId).filter((t) => t.includes('approved rc.2'))).toHaveLength(1);
    expect(cardText(h.latestCard('2026.4.0-rc.2'))).toContain('1 of 5');
  });

  it('never posts a thread root twice, even when the thread was created just before a restart', async () => {
    await cutRc('2026.4.0-rc.3');
    await h.restart();
    await h.settle();
    const roots = h.connector.calls.filter((c) => c.kind === 'createConversation' && JSON.stringify(c.activity).includes('Release 2026.4.0-rc.3'));
    expect(roots).toHaveLength(1);
  });

  it('drops a message Teams keeps refusing as a client error, and still delivers the rest', async () => {
    const thread = await cutRc('2026.4.0-rc.4');
    // the approval's first message, its card update, is refused three times and dropped
    h.connector.failNext(3, 403);
    await h.say(people.luis, 'approve rc.4', { conversationId: thread.conversationId });
    await waitFor(() => h.textsIn(thread.conversationId).some((t) => t.includes('Luis Garcia approved rc.4')), 'the reply after the refused card update');
    await h.settle();
    expect(cardText(h.latestCard('2026.4.0-rc.4'))).toContain('0 of 5');
    await h.say(people.bosko, 'approve rc.4', { conversationId: thread.conversationId });
    expect(h.textsIn(thread.conversationId).filter((t) => t.includes('Bosko Kocev approved rc.4'))).toHaveLength(1);
    expect(cardText(h.latestCard('2026.4.0-rc.4'))).toContain('2 of 5');
  });
});
