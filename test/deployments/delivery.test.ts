import { GENERAL, Harness, people, startHarness } from '../helpers/bot-harness';
import { RecordedCall } from '../helpers/loopback-connector';
import { waitFor } from '../helpers/wait-for';
import { ADAPTIVE_CARD, buttonData, textOf } from '../teams/teams-view';
import { onCallFor, onCallPost, onlyRefusal, promoteRelease, refusalsIn, scheduleText, textsIn, tracker, trackerFor, trackerPost } from './deployment-view';

// Teams redelivers activities and people click twice: the bot changes state once and posts once.
// A click on a card whose deployment has moved on, or finished, gets the fresh card and a notice.
// And when a window runs past its estimate, the IRC is reminded once — across a restart too.

describe('duplicates, double clicks and stale cards', () => {
  let h: Harness;
  let clock = new Date('2026-04-13T12:00:00Z'); // Mon 13 Apr 2026, 08:00 EDT
  beforeAll(async () => {
    h = await startHarness({ now: () => clock });
  });
  afterAll(() => h.close());
  afterEach(() => expect(h.connector.malformed).toEqual([]));

  test('the same activity delivered twice schedules once and posts once', async () => {
    clock = new Date('2026-04-13T12:00:00Z');
    const thread = await promoteRelease(h, '2026.8.1');
    const text = scheduleText('2026.8.1', 'BXCI Production', '2026-04-14 22:00');
    const first = await h.say(people.steven, text, { conversationId: thread.conversationId, activityId: 'redelivered-schedule-1' });
    const again = await h.say(people.steven, text, { conversationId: thread.conversationId, activityId: 'redelivered-schedule-1' });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.calls).toEqual([]);
    const notices = h.connector.calls.filter((c) => c.kind === 'createConversation' && c.conversationId.startsWith(GENERAL));
    expect(notices).toHaveLength(1);
    expect(h.textsIn(thread.conversationId).filter((t) => t.startsWith('📅'))).toHaveLength(1);

    // The same for a command in the window: one confirmation, one post.
    const confirm = await h.say(people.steven, 'confirm on-call', { conversationId: thread.conversationId, activityId: 'redelivered-confirm-1' });
    const confirmAgain = await h.say(people.steven, 'confirm on-call', { conversationId: thread.conversationId, activityId: 'redelivered-confirm-1' });
    expect(textsIn(confirm.calls, thread.conversationId)).toHaveLength(1);
    expect(confirmAgain.calls).toEqual([]);
  });

  test('Start clicked twice at once starts once and posts once; the second click gets the fresh card saying so', async () => {
    clock = new Date('2026-04-13T12:00:00Z');
    const thread = await promoteRelease(h, '2026.8.2');
    const inThread = { conversationId: thread.conversationId };
    await h.say(people.steven, scheduleText('2026.8.2', 'BXCI Staging', '2026-04-14 22:00'), inThread);
    await h.click(people.steven, onCallPost(h, '2026.8.2', 'BXCI Staging'), 'confirmOnCall', buttonData(await onCallFor(h, people.steven, '2026.8.2', 'BXCI Staging'), 'confirmOnCall'));
    clock = new Date('2026-04-15T02:03:00Z');

    const post = trackerPost(h, '2026.8.2', 'BXCI Staging');
    const data = buttonData(await trackerFor(h, people.steven, '2026.8.2', 'BXCI Staging'), 'startDeploy');
    const before = h.connector.calls.length;
    const clicks = await Promise.all([h.click(people.steven, post, 'startDeploy', data), h.click(people.steven, post, 'startDeploy', data)]);
    await h.settle();
    const calls: RecordedCall[] = h.connector.calls.slice(before);

    expect(clicks.map((c) => c.status)).toEqual([200, 200]);
    expect(clicks.map((c) => c.body.type)).toEqual([ADAPTIVE_CARD, ADAPTIVE_CARD]);
    expect(textsIn(calls, thread.conversationId)).toEqual(['▶️ Steven Inouye started Deploy 2026.8.2 to BXCI Staging. IRC and engineer: coordinate in the meeting chat.']);
    const notices = clicks.map((c) => (c.body.value.body.some((e: any) => e.id === 'notice') ? textOf(c.body.value, 'notice') : ''));
    expect(notices.filter((n) => n === '')).toHaveLength(1);
    expect(notices.find((n) => n !== '')).toContain('Deploy 2026.8.2 to BXCI Staging is already in progress since Tue 14 Apr 2026, 22:03 EDT.');
    // Both clickers see the started deployment.
    for (const click of clicks) expect(textOf(click.body.value, 'clock')).toBe('Started 22:03 EDT · 0 of ~90 min');
  });

  test("a click on a finished deployment's tracker changes nothing and answers with the fresh card and a notice", async () => {
    clock = new Date('2026-04-13T12:00:00Z');
    const thread = await promoteRelease(h, '2026.8.3');
    const inThread = { conversationId: thread.conversationId };
    await h.say(people.steven, scheduleText('2026.8.3', 'BXCI Production', '2026-04-21 22:00', { validators: [people.luis] }), inThread);
    await h.say(people.steven, 'confirm on-call', inThread);
    const staleStart = buttonData(await trackerFor(h, people.steven, '2026.8.3', 'BXCI Production'), 'startDeploy');
    clock = new Date('2026-04-22T02:00:00Z');
    for (const [person, text] of [
      [people.steven, 'start'],
      [people.jake, 'ready'],
      [people.jake, 'stable'],
      [people.luis, 'smoke pass'],
      [people.jake, 'live'],
    ] as const) {
      expect(refusalsIn((await h.say(person, text, inThread)).calls)).toEqual([]);
    }

    const stale = await h.click(people.steven, trackerPost(h, '2026.8.3', 'BXCI Production'), 'startDeploy', staleStart);
    expect(stale.status).toBe(200);
    expect(stale.body.type).toBe(ADAPTIVE_CARD);
    expect(textOf(stale.body.value, 'notice')).toBe('Nothing changed: Deploy 2026.8.3 to BXCI Production is already live.');
    expect(textOf(stale.body.value, 'final-title')).toBe('2026.8.3 live in BXCI Production.');
    expect(stale.body.value.actions).toEqual([]);
    expect(stale.calls).toEqual([]);
    expect(h.textsIn(thread.conversationId).filter((t) => t.includes('live in'))).toEqual(['2026.8.3 live in BXCI Production.']);

    // typed in the release thread afterwards, a window command says the deployment is over and how to name another
    const late = await h.say(people.jake, 'ready', inThread);
    const refusal = onlyRefusal(late.calls, thread.conversationId);
    expect(refusal).toContain('Deploy 2026.8.3 to BXCI Production is live, and no other deployment of 2026.8.3 is active.');
    expect(refusal).toContain('ready 2026.8.3 to "BXCI Production"');
  });
});

describe('the overrun reminder', () => {
  let h: Harness;
  let clock = new Date('2026-04-13T12:00:00Z');
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  beforeAll(async () => {
    h = await startHarness({ now: () => clock, reminderIntervalMs: 20 });
  });
  afterAll(() => h.close());
  afterEach(() => expect(h.connector.malformed).toEqual([]));

  test('once the window runs past its estimate the IRC is reminded once, even across a restart', async () => {
    const thread = await promoteRelease(h, '2026.8.0');
    const inThread = { conversationId: thread.conversationId };
    await h.say(people.steven, scheduleText('2026.8.0', 'BXCI Production', '2026-04-14 22:00'), inThread);
    await h.say(people.steven, 'confirm on-call', inThread);
    clock = new Date('2026-04-15T02:00:00Z');
    await h.say(people.steven, 'start', inThread);
    const reminders = () => h.connector.calls.filter((c) => c.conversationId === thread.conversationId && c.activity.text?.includes('past its'));

    // Within the ~90 minute estimate: no reminder.
    clock = new Date('2026-04-15T03:29:00Z');
    await pause(200);
    await h.settle();
    expect(reminders()).toEqual([]);

    // 15 minutes over: one reminder, mentioning the IRC, and the tracker's clock says so.
    clock = new Date('2026-04-15T03:45:00Z');
    await waitFor(() => reminders().length > 0, 'the overrun reminder');
    await h.settle();
    const [reminder] = reminders();
    expect(reminder!.activity.text).toBe(
      '<at>Steven Inouye</at> Deploy 2026.8.0 to BXCI Production is running 15 min past its ~90 min estimate. Finish with `live`, or `abort <reason>`.',
    );
    expect(reminder!.activity.entities).toEqual([
      { type: 'mention', text: '<at>Steven Inouye</at>', mentioned: { id: people.steven.aadObjectId, name: 'Steven Inouye' } },
    ]);
    expect(textOf(tracker(h, '2026.8.0', 'BXCI Production'), 'clock')).toBe('⚠️ Started 22:00 EDT · Running 15 min over the estimate');

    // Many checks later, and after a restart, still only that one.
    clock = new Date('2026-04-15T04:10:00Z');
    await pause(200);
    await h.settle();
    expect(reminders()).toHaveLength(1);
    await h.restart();
    clock = new Date('2026-04-15T04:30:00Z');
    await pause(200);
    await h.settle();
    expect(reminders()).toHaveLength(1);

    // The deployment still finishes normally after the restart.
    await h.say(people.jake, 'ready', inThread);
    expect(h.textsIn(thread.conversationId).filter((t) => t.startsWith('🟢'))).toHaveLength(1);
  });
});
