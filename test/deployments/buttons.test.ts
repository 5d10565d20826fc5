import { ENGINEERING, Harness, cardText, cardVerbs, people, startHarness } from '../helpers/bot-harness';
import { ADAPTIVE_CARD, buttonData, expectValidCard, ownButtonData, textOf } from '../teams/teams-view';
import {
  buttonTitles,
  findById,
  notice,
  noticePost,
  onCallCard,
  onCallPost,
  phaseRows,
  promoteRelease,
  refusalsIn,
  sentCards,
  textsIn,
  tracker,
  trackerPost,
  trackerFor,
  onCallFor,
} from './deployment-view';

// The same window driven from the cards: the scheduling form's Action.Execute, the message
// extension's dialog (fetchTask → form, submitAction → scheduled), the on-call card's Confirm and
// the tracker's buttons. Each click is answered with the fresh card for the clicker; what changed is
// posted in the release thread and shown on the cards for everyone.

const id = (person: { aadObjectId: string }) => person.aadObjectId;

describe('deploying from the cards', () => {
  let h: Harness;
  let clock = new Date('2026-04-13T12:00:00Z'); // Mon 13 Apr 2026, 08:00 EDT
  beforeAll(async () => {
    h = await startHarness({ now: () => clock });
  });
  afterAll(() => h.close());
  afterEach(() => expect(h.connector.malformed).toEqual([]));

  test('the form card schedules, then Confirm, Start, Ready, Stable, smoke pass/fail and Live are clicked', async () => {
    const thread = await promoteRelease(h, '2026.5.0');
    const inThread = { conversationId: thread.conversationId };

    // `schedule deploy` alone answers with the form.
    const asked = await h.say(people.steven, 'schedule deploy', inThread);
    const [form] = sentCards(asked.calls, thread.conversationId);
    expectValidCard(form);
    expect(textOf(form, 'title')).toBe('Schedule a deployment');
    expect(cardVerbs(form)).toEqual(['scheduleDeploy']);
    expect(findById(form, 'version').choices).toEqual([{ title: '2026.5.0', value: '2026.5.0' }]);
    expect(findById(form, 'environment').choices).toEqual([
      { title: 'BXCI Production', value: 'bxci-production' },
      { title: 'BXCI Staging', value: 'bxci-staging' },
    ]);
    expect(textOf(form, 'window-rule')).toBe('Unless the release is a hotfix, the window may not overlap business hours (Mon–Fri 09:00–18:00, America/New_York).');
    const formPost = asked.calls.find((c) => c.activity.attachments?.[0]?.content === form)!;

    // Submitting inside business hours is refused on the form itself, with what was typed kept.
    const fields = {
      version: '2026.5.0',
      environment: 'bxci-staging',
      date: '2026-04-14',
      time: '12:00',
      durationMinutes: '120',
      engineer: id(people.jake),
      validators: `${id(people.luis)},${id(people.bosko)}`,
    };
    const refused = await h.click(people.steven, formPost, 'scheduleDeploy', { ...buttonData(form, 'scheduleDeploy'), ...fields });
    expect(refused.status).toBe(200);
    expect(refused.body.type).toBe(ADAPTIVE_CARD);
    expect(textOf(refused.body.value, 'error')).toContain('2026.5.0 is not a hotfix, so its window may not overlap business hours');
    expect(findById(refused.body.value, 'time').value).toBe('12:00');
    expect(refused.calls).toEqual([]);

    // Tuesday 22:00 for two hours: scheduled; the clicker gets the tracker in place of the form.
    const scheduled = await h.click(people.steven, formPost, 'scheduleDeploy', { ...buttonData(form, 'scheduleDeploy'), ...fields, time: '22:00' });
    expect(scheduled.status).toBe(200);
    expect(scheduled.body.type).toBe(ADAPTIVE_CARD);
    expectValidCard(scheduled.body.value);
    expect(textOf(scheduled.body.value, 'title')).toBe('Deploy 2026.5.0 to BXCI Staging');
    const window = 'Tue 14 Apr 2026, 22:00 – Wed 15 Apr 2026, 00:00 EDT (Wed 15 Apr 02:00–04:00 UTC)';
    expect(textOf(scheduled.body.value, 'window')).toBe(window);
    expect(textsIn(scheduled.calls, thread.conversationId)).toEqual([
      `📅 Steven Inouye scheduled Deploy 2026.5.0 to BXCI Staging: ${window}. ` +
        'Engineer: Jake Edgington. Validators: Luis Garcia, Bosko Kocev. On-call coverage must be confirmed before it starts: <at>Steven Inouye</at>, confirm it with `confirm on-call` or the on-call card.',
    ]);
    expect(textOf(notice(h, '2026.5.0', 'BXCI Staging'), 'window-text')).toBe(window);
    expect(trackerPost(h, '2026.5.0', 'BXCI Staging').conversationId).toBe(thread.conversationId);

    // 3.3 The on-call card's Confirm.
    const onCall = onCallPost(h, '2026.5.0', 'BXCI Staging');
    // The card in the thread confirms nothing; the IRC's own view (Teams refreshes it for him) has the buttons.
    expect(buttonTitles(onCallCard(h, '2026.5.0', 'BXCI Staging'))).toEqual(['Show my actions']);
    const stevens = await onCallFor(h, people.steven, '2026.5.0', 'BXCI Staging');
    expect(buttonTitles(stevens)).toEqual(['Confirm', 'Override']);
    const confirmed = await h.click(people.steven, onCall, 'confirmOnCall', buttonData(stevens, 'confirmOnCall'));
    expect(confirmed.body.type).toBe(ADAPTIVE_CARD);
    expect(textOf(confirmed.body.value, 'status-text')).toBe('Confirmed by Steven Inouye · Mon 13 Apr 2026, 08:00 EDT');
    expect(cardVerbs(confirmed.body.value)).toEqual([]);
    expect(textsIn(confirmed.calls, thread.conversationId)).toEqual(['📟 On-call coverage confirmed by Steven Inouye: Steven Inouye is on call.']);
    expect(onCallCard(h, '2026.5.0', 'BXCI Staging')).toEqual(confirmed.body.value);

    // 4.1 Start, once the window is open.
    const trackerRoot = trackerPost(h, '2026.5.0', 'BXCI Staging');
    // Each person clicks on their own view of the tracker (Teams refreshes it for them).
    const click = async (person: typeof people.jake, verb: string, extra: Record<string, unknown> = {}) =>
      h.click(person, trackerRoot, verb, { ...buttonData(await trackerFor(h, person, '2026.5.0', 'BXCI Staging'), verb), ...extra });
    clock = new Date('2026-04-15T02:01:00Z');
    const started = await click(people.steven, 'startDeploy');
    expect(textsIn(started.calls, thread.conversationId)).toEqual(['▶️ Steven Inouye started Deploy 2026.5.0 to BXCI Staging. IRC and engineer: coordinate in the meeting chat.']);
    expect(phaseRows(started.body.value)[2]).toBe('✅ Started 22:01 EDT');
    // Steven's answer is his own view (he may abort); everyone's tracker shows the same phases and acts for nobody.
    expect(buttonTitles(started.body.value)).toEqual(['Abort']);
    expect(buttonTitles(tracker(h, '2026.5.0', 'BXCI Staging'))).toEqual(['Show my actions']);
    expect(phaseRows(tracker(h, '2026.5.0', 'BXCI Staging'))).toEqual(phaseRows(started.body.value));

    // 4.2–4.3 Ready and Stable from the engineer.
    const ready = await click(people.jake, 'readyDeploy');
    const readyPost = ready.calls.find((c) => c.activity.text?.startsWith('🟢'))!;
    expect(readyPost.conversationId).toBe(thread.conversationId);
    expect((readyPost.activity.entities as any[]).map((e) => e.mentioned.id)).toEqual([id(people.luis), id(people.bosko)]);
    expect(buttonTitles(ready.body.value)).toEqual(['Stable']);
    const stable = await click(people.jake, 'stableDeploy');
    // Jake (engineer, Platform) has nothing to do until the validators pass; they and the IRC do.
    expect(buttonTitles(stable.body.value)).toEqual(['Show my actions']);
    expect(buttonTitles(await trackerFor(h, people.luis, '2026.5.0', 'BXCI Staging'))).toEqual(['Smoke pass', 'Smoke fail']);
    expect(buttonTitles(await trackerFor(h, people.steven, '2026.5.0', 'BXCI Staging'))).toEqual(['Live with override', 'Abort']);

    // 4.4 Luis passes; Bosko fails, with what failed.
    const luis = await click(people.luis, 'smokePass', { smokePassNotes: 'loans list and payments' });
    expect(textsIn(luis.calls, thread.conversationId)).toEqual(['✅ Luis Garcia: smoke pass — loans list and payments (1 of 2 passed).']);
    const bosko = await click(people.bosko, 'smokeFail', { smokeFailNotes: 'borrower portal 502' });
    expect(textsIn(bosko.calls, thread.conversationId)).toEqual(['❌ Bosko Kocev: smoke fail — borrower portal 502 (1 of 2 passed).']);
    const afterFail = tracker(h, '2026.5.0', 'BXCI Staging');
    expect(cardText(findById(afterFail, `smoke-${id(people.bosko)}`))).toMatch(/^❌\n\*\*Bosko Kocev\*\*\nFailed · \d\d:\d\d EDT — borrower portal 502$/);
    expect(buttonTitles(afterFail)).toEqual(['Show my actions']);

    // Platform may not override a failed smoke test; only an IRC may, with a reason.
    // Jake has no such button; a click sent anyway (an old copy, a crafted request) is refused with the reason.
    const byJake = await h.click(people.jake, trackerRoot, 'goLiveOverride', { ...ownButtonData(afterFail, 'goLiveOverride'), liveOverrideReason: 'portal is not in scope' });
    expect(textOf(byJake.body.value, 'notice')).toContain("Only an IRC can take a deployment live without every validator's pass (Bosko Kocev failed)");
    expect(byJake.calls).toEqual([]);

    // Bosko retests after a fix; then Jake clicks Live.
    const retest = await click(people.bosko, 'smokePass', { smokePassNotes: 'portal fixed' });
    expect(textsIn(retest.calls, thread.conversationId)).toEqual(['✅ Bosko Kocev: smoke pass — portal fixed (2 of 2 passed).']);
    expect(buttonTitles(retest.body.value)).toEqual(['Smoke pass', 'Smoke fail']);
    expect(buttonTitles(await trackerFor(h, people.jake, '2026.5.0', 'BXCI Staging'))).toEqual(['Live']);
    clock = new Date('2026-04-15T03:30:00Z');
    const live = await click(people.jake, 'goLive');
    expect(textsIn(live.calls, thread.conversationId)).toEqual(['2026.5.0 live in BXCI Staging.']);
    expect(textOf(live.body.value, 'final-title')).toBe('2026.5.0 live in BXCI Staging.');
    expect(buttonTitles(live.body.value)).toEqual([]);
    expect(textOf(notice(h, '2026.5.0', 'BXCI Staging'), 'state')).toBe('✅ Finished · 2026.5.0 is live in BXCI Staging since 23:30 EDT');
  });

  test('the message extension: fetchTask opens the form as a dialog, submitAction schedules', async () => {
    clock = new Date('2026-04-13T12:00:00Z');
    const thread = await promoteRelease(h, '2026.5.1');

    // The compose box's "Schedule deploy" action, used in #engineering.
    const fetched = await h.invoke(people.steven, ENGINEERING, 'composeExtension/fetchTask', {
      commandId: 'scheduleDeploy',
      commandContext: 'compose',
      context: { theme: 'default' },
    });
    expect(fetched.status).toBe(200);
    expect(fetched.body.task.type).toBe('continue');
    expect(fetched.body.task.value.title).toBe('Schedule a deployment');
    const dialog = fetched.body.task.value.card;
    expect(dialog.contentType).toBe(ADAPTIVE_CARD);
    expectValidCard(dialog.content);
    // A dialog submits with Action.Submit, not Action.Execute.
    expect(dialog.content.actions.map((a: any) => `${a.type} ${a.title}`)).toEqual(['Action.Submit Schedule']);
    expect(findById(dialog.content, 'version').choices.map((c: any) => c.value)).toContain('2026.5.1');
    expect(fetched.calls).toEqual([]);

    const submit = (data: Record<string, unknown>) =>
      h.invoke(people.steven, ENGINEERING, 'composeExtension/submitAction', {
        commandId: 'scheduleDeploy',
        commandContext: 'compose',
        data: { ...dialog.content.actions[0].data, ...data },
      });
    const fields = {
      version: '2026.5.1',
      environment: 'bxci-production',
      date: '2026-04-16',
      time: '21:00',
      durationMinutes: '60',
      engineer: id(people.jake),
      validators: id(people.rafaella),
    };

    // A refused submit shows the dialog again with the reason.
    const past = await submit({ ...fields, date: '2026-04-10' });
    expect(past.status).toBe(200);
    expect(past.body.task.type).toBe('continue');
    expect(textOf(past.body.task.value.card.content, 'error')).toContain('A window must start in the future');
    expect(past.calls).toEqual([]);

    const done = await submit(fields);
    expect(done.status).toBe(200);
    expect(done.body.task).toEqual({
      type: 'message',
      value: 'Scheduled Deploy 2026.5.1 to BXCI Production. The meeting, the #general notice and the tracker are on their way.',
    });
    expect(textsIn(done.calls, thread.conversationId)).toEqual([
      '📅 Steven Inouye scheduled Deploy 2026.5.1 to BXCI Production: Thu 16 Apr 2026, 21:00–22:00 EDT (Fri 17 Apr 01:00–02:00 UTC). ' +
        'Engineer: Jake Edgington. Validators: Rafaella Barrocas. On-call coverage must be confirmed before it starts: <at>Steven Inouye</at>, confirm it with `confirm on-call` or the on-call card.',
    ]);
    expect(textOf(noticePost(h, '2026.5.1', 'BXCI Production').activity.attachments![0]!.content, 'state')).toBe('📅 Scheduled');
    expect(trackerPost(h, '2026.5.1', 'BXCI Production').conversationId).toBe(thread.conversationId);
    expect(onCallPost(h, '2026.5.1', 'BXCI Production').conversationId).toBe(thread.conversationId);
    expect(refusalsIn(done.calls)).toEqual([]);
  });
});
