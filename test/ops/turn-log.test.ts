import { people } from '../helpers/bot-harness';
import { HttpBot, collectingLogger, startHttpBot } from '../helpers/http-bot';

// One log line per turn: the ids an operator needs to follow it (activity, conversation,
// correlation), its type, how it ended and how long it took; never what anyone typed.

describe('the turn log line', () => {
  let h: HttpBot;
  const logs = collectingLogger();
  const turnLines = () => logs.entries().filter((entry) => entry.msg === 'turn');

  beforeAll(async () => {
    h = await startHttpBot({ logger: logs.logger });
  });
  afterAll(() => h?.close());

  test('a message: one line with activity id, type, conversation id, correlation id (Bot Framework’s header), status and duration', async () => {
    const activity = h.message(people.luis, 'help with the secret plan for Q3');
    const before = turnLines().length;
    const response = await h.post(activity, { 'x-ms-correlation-id': 'corr-4f1e8a2b-1' });
    expect(response.status).toBe(200);
    const lines = turnLines().slice(before);
    expect(lines).toEqual([
      {
        level: 'info',
        time: expect.any(String),
        msg: 'turn',
        activityId: activity.id,
        type: 'message',
        conversationId: activity.conversation.id,
        correlationId: 'corr-4f1e8a2b-1',
        status: 200,
        durationMs: expect.any(Number),
      },
    ]);
    expect(logs.lines.join('\n')).not.toContain('secret plan');
  });

  test('without the header the activity id correlates; an invoke also names itself', async () => {
    const activity = h.invoke(people.steven, 'composeExtension/fetchTask', { commandId: 'scheduleDeploy' });
    const before = turnLines().length;
    const response = await h.post(activity);
    expect(response.status).toBe(200);
    expect(turnLines().slice(before)).toEqual([
      expect.objectContaining({ activityId: activity.id, type: 'invoke', name: 'composeExtension/fetchTask', correlationId: activity.id, status: 200 }),
    ]);
  });

  test('a malformed correlation header is not copied into the log', async () => {
    const activity = h.message(people.luis, 'help');
    const before = turnLines().length;
    await h.post(activity, { 'x-ms-correlation-id': 'x"}\\u0000 {"level":"error"' });
    expect(turnLines().slice(before)).toEqual([expect.objectContaining({ correlationId: activity.id })]);
  });

  test('a refused request still gets its line, at warn, with the status', async () => {
    const before = turnLines().length;
    const response = await h.post({ type: 42 });
    expect(response.status).toBe(400);
    expect(turnLines().slice(before)).toEqual([expect.objectContaining({ level: 'warn', status: 400 })]);
  });
});
