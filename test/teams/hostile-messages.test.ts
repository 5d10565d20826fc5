import { ENGINEERING, Harness, people, startHarness } from '../helpers/bot-harness';
import { MAX_MESSAGE_LENGTH } from '../../src/commands/parse-command';
import { NOW, onlyRefusal } from './teams-view';

// Hostile message text over real HTTP: a message longer than Teams could send is refused unread
// with the limit and what to do; one within it that used to stall the process is answered.

describe('hostile message text over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ now: () => NOW });
  });
  afterAll(() => h.close());
  afterEach(() => expect(h.connector.malformed).toEqual([]));

  test('a message over the limit gets a refusal naming the limit, and changes nothing', async () => {
    const post = `${ENGINEERING};messageid=1712000000901`;
    const text = `<p><at>lendos</at> rc 2026.9.0-rc.1 features: ${'Loan export; '.repeat(4_000)}</p>`;
    expect(text.length).toBeGreaterThan(MAX_MESSAGE_LENGTH);
    const { status, calls } = await h.say(people.jake, text, { conversationId: post, raw: true });
    expect(status).toBe(200);
    const refusal = onlyRefusal(calls, post);
    expect(refusal).toContain(`That message is ${text.length.toLocaleString('en-US')} characters long; I read commands of at most 32,000 characters`);
    expect(refusal).toContain('put long text behind a link');
    expect(await h.store.read('2026.9.0', '2026.9.0')).toBeUndefined();
  });

  test('a word with 30,000 dots in it is an unknown command, answered in a short refusal', async () => {
    const post = `${ENGINEERING};messageid=1712000000902`;
    const { calls } = await h.say(people.jake, `a${'.'.repeat(30_000)}b`, { conversationId: post });
    const refusal = onlyRefusal(calls, post);
    expect(refusal).toContain(`\`a${'.'.repeat(39)}…\` is not a command.`);
    expect(refusal.length).toBeLessThan(2_000);
  });
});
