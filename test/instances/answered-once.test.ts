import { ENGINEERING, Person, cardText, people } from '../helpers/bot-harness';
import { BotProcess } from '../helpers/bot-process';
import { SeenRequest } from '../helpers/cosmos-server';
import { RecordedCall } from '../helpers/loopback-connector';
import { rcCutText } from '../teams/teams-view';
import { Fleet, eventually, pause, startFleet } from './fleet';

// Teams redelivers an activity when the bot was slow to answer it, and the load balancer may hand
// the second copy to another instance. A command that changes state is applied once by its
// document; an answer that changes nothing — help, status, history, a refusal — must also be given
// once, whichever instance gets which copy. Two bot processes on one Cosmos DB server.

const RELEASE = '2026.8.0';

describe('a redelivered activity over two instances on Cosmos DB', () => {
  let fleet: Fleet;
  let a: BotProcess;
  let b: BotProcess;

  beforeAll(async () => {
    fleet = await startFleet({ store: 'cosmos', env: { LENDOS_TEST_OUTBOX_SWEEP_MS: '30000', LENDOS_TEST_CHANNEL_REFRESH_MS: '60000' } });
    fleet.setClock(new Date('2026-04-14T14:05:00Z'));
    [a, b] = await Promise.all([fleet.start('A'), fleet.start('B')]);
    const cut = await fleet.say(a, people.jake, rcCutText(`${RELEASE}-rc.1`), { conversationId: newPost() });
    expect(cut.status).toBe(200);
    await eventually(() => fleet.thread(`${RELEASE}-rc.1`), 'the RC thread');
  }, 30_000);
  afterAll(() => fleet?.close());
  afterEach(() => expect(fleet.connector.malformed).toEqual([]));

  let posts = 0;
  const newPost = () => `${ENGINEERING};messageid=${Date.now()}${(posts += 1)}`;
  /** What the bot answered to one activity: the replies Teams shows under it. */
  const answersTo = (activityId: string): RecordedCall[] => fleet.connector.calls.filter((call) => call.kind === 'reply' && call.replyToId === activityId);
  const readable = (call: RecordedCall) => call.activity.text ?? cardText(call.activity.attachments?.[0]?.content);

  const cases: Array<[string, Person, string, RegExp]> = [
    ['help', people.luis, 'help', /help|approve/i],
    ['status', people.luis, `status ${RELEASE}`, new RegExp(`${RELEASE.replace(/\./g, '\\.')}-rc\\.1`)],
    ['history', people.luis, `history ${RELEASE}`, /cut/i],
    ['a refusal', people.mallory, `approve ${RELEASE}-rc.1`, /Can't do that/],
  ];

  test.each(cases)('%s delivered to both instances at once, then once more to the second, is answered once', async (_what, person, text, looksLike) => {
    const conversationId = newPost();
    const activityId = `redelivered-${text.split(' ')[0]}-${Date.now()}`;
    const [first, second] = await Promise.all([
      fleet.say(a, person, text, { conversationId, activityId }),
      fleet.say(b, person, text, { conversationId, activityId }),
    ]);
    expect([first.status, second.status]).toEqual([200, 200]);
    await eventually(() => answersTo(activityId).length > 0, `the answer to "${text}"`);
    expect((await fleet.say(b, person, text, { conversationId, activityId })).status).toBe(200); // Teams tries once more
    await pause(300); // an answer sent late would show by now
    const answers = answersTo(activityId);
    expect(answers.map(readable)).toEqual([expect.stringMatching(looksLike)]);
  }, 20_000);

  test('the record costs two store requests per answer and none for a command that changed state', async () => {
    const mark = fleet.cosmos!.requests.length;
    const activityId = `help-cost-${Date.now()}`;
    expect((await fleet.say(a, people.luis, 'help', { conversationId: newPost(), activityId })).status).toBe(200);
    await eventually(() => answersTo(activityId).length > 0, 'the help card');
    // help reads nothing: its store requests are the claim on its answer and, once it went out, the mark that it was sent
    await eventually(() => documentRequests(fleet.cosmos!.requests.slice(mark)).length >= 2, 'the claim marked sent');
    expect(documentRequests(fleet.cosmos!.requests.slice(mark))).toEqual([expect.stringMatching(/^POST answered:/), expect.stringMatching(/^PUT answered:/)]);

    // An approval is answered by the outbox (the thread post, the card update), not in place: no claim.
    const thread = fleet.thread(`${RELEASE}-rc.1`)!;
    const approveMark = fleet.cosmos!.requests.length;
    expect((await fleet.say(b, people.luis, 'approve rc.1', { conversationId: thread.conversationId })).status).toBe(200);
    await eventually(() => fleet.textsIn(thread.conversationId).some((t) => t.includes('Luis Garcia approved rc.1')), 'the approval post');
    expect(documentRequests(fleet.cosmos!.requests.slice(approveMark)).filter((line) => line.includes('answered:'))).toEqual([]);
  }, 20_000);
});

/** Point requests on documents, as "METHOD partition": queries and database metadata left out. */
function documentRequests(requests: readonly SeenRequest[]): string[] {
  return requests
    .filter((request) => request.path.includes('/docs') && !request.headers['x-ms-documentdb-isquery'])
    .map((request) => {
      const pk = String(request.headers['x-ms-documentdb-partitionkey'] ?? '');
      return `${request.method} ${pk.replace(/^\["|"\]$/g, '')}`;
    });
}
