import { GENERAL, Harness, cardVerbs, people, startHarness } from '../helpers/bot-harness';
import { ADAPTIVE_CARD, buttonData, expectValidCard, textOf } from '../teams/teams-view';
import { noticePost, promoteRelease, refusalsIn, sentCards, textsIn } from './deployment-view';

// Over HTTP: `schedule deploy` with parts left out is no dead end. The product brief's own command
// names no engineer or validators; the bot answers with the scheduling form filled in with what was
// typed, and one submit of that form schedules the deployment.

const BRIEF_COMMAND = '/schedule deploy 2026.4.0 to "BXCI Production" at 2026-04-14 22:00 for 90m';
const id = (person: { aadObjectId: string }) => person.aadObjectId;

/** The form's inputs as Teams sends them on submit: each input's current value, by id. */
function inputValues(card: any): Record<string, string> {
  const values: Record<string, string> = {};
  const walk = (node: any) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node.type === 'string' && node.type.startsWith('Input.')) values[node.id] = String(node.value ?? '');
    Object.values(node).forEach(walk);
  };
  walk(card.body);
  return values;
}

describe('schedule deploy with parts missing', () => {
  let h: Harness;
  const clock = new Date('2026-04-13T12:00:00Z'); // Mon 13 Apr 2026, 08:00 EDT
  beforeAll(async () => {
    h = await startHarness({ now: () => clock });
  });
  afterAll(() => h.close());
  afterEach(() => expect(h.connector.malformed).toEqual([]));

  test("the brief's command, which names no engineer: the form prefilled, then one submit schedules it", async () => {
    const thread = await promoteRelease(h, '2026.4.0');
    const asked = await h.say(people.steven, BRIEF_COMMAND, { conversationId: thread.conversationId });
    expect(refusalsIn(asked.calls)).toEqual([]);
    // Only the form, where he typed; nothing is scheduled or announced yet.
    expect(asked.calls.map((call) => `${call.kind} ${call.conversationId}`)).toEqual([`reply ${thread.conversationId}`]);
    const [form] = sentCards(asked.calls, thread.conversationId);
    expectValidCard(form);
    expect(textOf(form, 'title')).toBe('Schedule a deployment');
    expect(textOf(form, 'note')).toBe(
      'Your command left out the deployment engineer and the validators: pick them here, then Schedule. The rest is filled in from what you typed.',
    );
    expect(inputValues(form)).toEqual({
      version: '2026.4.0',
      environment: 'bxci-production',
      date: '2026-04-14',
      time: '22:00',
      durationMinutes: '90',
      engineer: '',
      validators: '',
    });
    expect(cardVerbs(form)).toEqual(['scheduleDeploy']);

    // Steven picks the engineer and the validators and presses Schedule: that is the one more step.
    const formPost = asked.calls.find((call) => call.activity.attachments?.[0]?.content === form)!;
    const submitted = await h.click(people.steven, formPost, 'scheduleDeploy', {
      ...buttonData(form, 'scheduleDeploy'),
      ...inputValues(form),
      engineer: id(people.jake),
      validators: `${id(people.luis)},${id(people.bosko)}`,
    });
    expect(submitted.status).toBe(200);
    expect(submitted.body.type).toBe(ADAPTIVE_CARD);
    expect(textOf(submitted.body.value, 'title')).toBe('Deploy 2026.4.0 to BXCI Production');
    expect(textsIn(submitted.calls, thread.conversationId)).toEqual([
      expect.stringMatching(
        /^📅 Steven Inouye scheduled Deploy 2026\.4\.0 to BXCI Production: Tue 14 Apr 2026, 22:00–23:30 EDT .* Engineer: Jake Edgington\. Validators: Luis Garcia, Bosko Kocev\./,
      ),
    ]);
    expect(noticePost(h, '2026.4.0', 'BXCI Production').conversationId.startsWith(GENERAL)).toBe(true);
  });

  test('engineer written, validators not: the form keeps the engineer and asks only for the validators', async () => {
    const thread = await promoteRelease(h, '2026.5.0');
    const asked = await h.say(people.steven, 'schedule deploy 2026.5.0 to "BXCI Staging" at 2026-04-15 22:00 engineer jake', { conversationId: thread.conversationId });
    const [form] = sentCards(asked.calls, thread.conversationId);
    expect(textOf(form, 'note')).toBe('Your command left out the validators: pick them here, then Schedule. The rest is filled in from what you typed.');
    expect(inputValues(form)).toMatchObject({ version: '2026.5.0', environment: 'bxci-staging', engineer: id(people.jake), validators: '', durationMinutes: '90' });
  });

  test('no environment, a time in UTC, a release not yet promoted: what was typed is kept, in the configured zone, and the form says why the release is blank', async () => {
    const asked = await h.say(people.steven, 'schedule deploy 2026.9.0 at 2026-04-16 02:00 UTC validators luis', { personal: true });
    const [form] = sentCards(asked.calls);
    expectValidCard(form);
    expect(textOf(form, 'note')).toBe(
      'Your command left out the environment and the deployment engineer: pick them here, then Schedule. The rest is filled in from what you typed. ' +
        "2026.9.0 isn't promoted, so it can't be picked: only a promoted release is scheduled.",
    );
    expect(inputValues(form)).toMatchObject({ date: '2026-04-15', time: '22:00', validators: id(people.luis) });
  });

  test('a part written wrong is still refused with what is wrong and a complete example', async () => {
    const { calls } = await h.say(people.steven, 'schedule deploy 2026.4.0 to "BXCI Production" at tomorrow 22:00', { personal: true });
    const [refusal] = refusalsIn(calls);
    expect(refusal).toContain('`tomorrow 22:00` is not a date and time');
    expect(refusal).toContain('Example: schedule deploy 2026.4.0 to "BXCI Production" at 2026-04-14 22:00 for 90m engineer Jake validators Luis, Bosko');
  });
});

describe('schedule deploy with configured defaults for the engineer and validators', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      now: () => new Date('2026-04-13T12:00:00Z'),
      configure: (config) => {
        config.scheduling = { engineer: 'jake', validators: ['luis', 'rafaella'] };
      },
    });
  });
  afterAll(() => h.close());

  test("the brief's command schedules at once with the defaults; people typed win over them", async () => {
    const thread = await promoteRelease(h, '2026.4.0');
    const scheduled = await h.say(people.steven, BRIEF_COMMAND, { conversationId: thread.conversationId });
    expect(refusalsIn(scheduled.calls)).toEqual([]);
    expect(textsIn(scheduled.calls, thread.conversationId)).toEqual([expect.stringContaining('Engineer: Jake Edgington. Validators: Luis Garcia, Rafaella Barrocas.')]);

    const other = await promoteRelease(h, '2026.5.0');
    const typed = await h.say(people.steven, 'schedule deploy 2026.5.0 to "BXCI Staging" at 2026-04-15 22:00 validators bosko', { conversationId: other.conversationId });
    expect(refusalsIn(typed.calls)).toEqual([]);
    expect(textsIn(typed.calls, other.conversationId)).toEqual([expect.stringContaining('Engineer: Jake Edgington. Validators: Bosko Kocev.')]);
  });
});
