import { ENGINEERING, Harness, cardText, cardVerbs, people, startHarness } from '../helpers/bot-harness';
import { textOf } from '../teams/teams-view';
import {
  buttonTitles,
  findById,
  notice,
  noticePost,
  onCallCard,
  onlyRefusal,
  phaseRows,
  postWithTitle,
  promoteRelease,
  refusalsIn,
  scheduleText,
  sentCards,
  textsIn,
  tracker,
  updatesOf,
  onCallFor,
} from './deployment-view';

// The rules of runbook 3–4 and H as people meet them in Teams: each refusal is one "Can't do that"
// card answered to the person, saying why and what to do, with nothing posted or changed; each
// accepted exception (a hotfix in business hours, an IRC's override) is posted and on record.
// Every test deploys its own release to its own environment.

const EXTRA_ENVIRONMENTS = [
  { key: 'demo', name: 'Demo' },
  { key: 'sandbox', name: 'Sandbox' },
  { key: 'perf', name: 'Perf' },
  { key: 'training', name: 'Training' },
  { key: 'bxci-uat', name: 'BXCI UAT' },
  { key: 'partner', name: 'Partner' },
  { key: 'sales', name: 'Sales' },
  { key: 'qa-lab', name: 'QA Lab' },
];

describe('deployment rules', () => {
  let h: Harness;
  let clock: Date;
  const monday = () => (clock = new Date('2026-04-13T12:00:00Z')); // Mon 13 Apr 2026, 08:00 EDT

  beforeAll(async () => {
    monday();
    h = await startHarness({ now: () => clock, configure: (raw) => raw.environments.push(...EXTRA_ENVIRONMENTS) });
  });
  afterAll(() => h.close());
  beforeEach(monday);
  afterEach(() => expect(h.connector.malformed).toEqual([]));

  const inThreadOf = (thread: { conversationId: string }) => ({ conversationId: thread.conversationId });

  /** Typed in the thread; fails the test on any refusal. */
  const run = async (thread: { conversationId: string }, person: typeof people.jake, text: string) => {
    const result = await h.say(person, text, { conversationId: thread.conversationId });
    expect(refusalsIn(result.calls)).toEqual([]);
    return result;
  };

  test('only an IRC schedules; nothing is posted for a refused schedule', async () => {
    const thread = await promoteRelease(h, '2026.7.0');
    for (const person of [people.jake, people.mallory]) {
      const refused = await h.say(person, scheduleText('2026.7.0', 'Demo', '2026-04-14 22:00'), { conversationId: thread.conversationId });
      expect(onlyRefusal(refused.calls, thread.conversationId)).toContain('Only an IRC can schedule a deployment — ask Steven Inouye.');
    }
    expect(postWithTitle(h, 'Deploy 2026.7.0 to Demo')).toBeUndefined();
  });

  test('only a promoted release is scheduled', async () => {
    await h.say(people.jake, 'rc 2026.7.1-rc.1');
    const unpromoted = await h.say(people.steven, scheduleText('2026.7.1', 'Demo', '2026-04-14 22:00'), { conversationId: `${ENGINEERING};messageid=77001` });
    expect(onlyRefusal(unpromoted.calls, `${ENGINEERING};messageid=77001`)).toContain(
      '2026.7.1 is not promoted yet; only a promoted release is scheduled. Promotion needs every lead\'s approval of its current RC, then the Platform team promotes it.',
    );
    const unknown = await h.say(people.steven, scheduleText('2026.7.9', 'Demo', '2026-04-14 22:00'), { conversationId: `${ENGINEERING};messageid=77002` });
    expect(onlyRefusal(unknown.calls, `${ENGINEERING};messageid=77002`)).toContain('There is no release 2026.7.9 to deploy; only a promoted release is scheduled.');
  });

  test('a normal release may not be deployed in business hours: refused naming the period and suggesting a time', async () => {
    const thread = await promoteRelease(h, '2026.7.2');
    const refused = await h.say(people.steven, scheduleText('2026.7.2', 'Demo', '2026-04-14 17:00'), { conversationId: thread.conversationId });
    const text = onlyRefusal(refused.calls, thread.conversationId);
    expect(text).toContain(
      '2026.7.2 is not a hotfix, so its window may not overlap business hours: Tue 14 Apr 2026, 17:00–18:30 EDT (21:00–22:30 UTC) overlaps Tue 14 Apr 2026, 09:00–18:00 EDT.',
    );
    expect(text).toContain('schedule deploy 2026.7.2 to "Demo" at 2026-04-14 18:00 for 90m');
    // The suggestion, typed as given, is accepted.
    await run(thread, people.steven, 'schedule deploy 2026.7.2 to "Demo" at 2026-04-14 18:00 for 90m engineer jake validators luis');
    expect(textOf(notice(h, '2026.7.2', 'Demo'), 'window-text')).toBe('Tue 14 Apr 2026, 18:00–19:30 EDT (22:00–23:30 UTC)');
  });

  test('a hotfix (rc … hotfix, five approvals, promoted) may be deployed in business hours', async () => {
    await promoteRelease(h, '2026.4.1', { hotfix: true });
    // Scheduled from a new post in #engineering: the bot answers there and posts in the release thread.
    const at = `${ENGINEERING};messageid=77003`;
    const scheduled = await h.say(people.steven, scheduleText('2026.4.1', 'Sandbox', '2026-04-14 11:00', { minutes: 45 }), { conversationId: at });
    expect(refusalsIn(scheduled.calls)).toEqual([]);
    expect(textsIn(scheduled.calls, at)).toEqual(['Done: scheduled Deploy 2026.4.1 to Sandbox — posted in the release thread.']);
    const thread = h.thread('2026.4.1-rc.1');
    expect(textsIn(scheduled.calls, thread.conversationId)).toEqual([
      '📅 Steven Inouye scheduled Deploy 2026.4.1 to Sandbox (hotfix): Tue 14 Apr 2026, 11:00–11:45 EDT (15:00–15:45 UTC). ' +
        'Engineer: Jake Edgington. Validators: Luis Garcia, Bosko Kocev. On-call coverage must be confirmed before it starts: <at>Steven Inouye</at>, confirm it with `confirm on-call` or the on-call card.',
    ]);
    const card = notice(h, '2026.4.1', 'Sandbox');
    expect(cardText(findById(card, 'hotfix-badge'))).toBe('HOTFIX');
    expect(textOf(card, 'window-text')).toBe('Tue 14 Apr 2026, 11:00–11:45 EDT (15:00–15:45 UTC)');
    expect(cardText(findById(tracker(h, '2026.4.1', 'Sandbox'), 'hotfix-badge'))).toBe('HOTFIX');
  });

  test('two deployments to one environment may not overlap; the same window elsewhere is fine', async () => {
    const first = await promoteRelease(h, '2026.7.3');
    const second = await promoteRelease(h, '2026.7.4');
    await run(first, people.steven, scheduleText('2026.7.3', 'Perf', '2026-04-14 22:00'));
    const clash = await h.say(people.steven, scheduleText('2026.7.4', 'Perf', '2026-04-14 23:00'), { conversationId: second.conversationId });
    const text = onlyRefusal(clash.calls, second.conversationId);
    expect(text).toContain(
      'Perf already has Deploy 2026.7.3 to Perf (scheduled) in Tue 14 Apr 2026, 22:00–23:30 EDT (Wed 15 Apr 02:00–03:30 UTC), ' +
        'which overlaps Tue 14 Apr 2026, 23:00 – Wed 15 Apr 2026, 00:30 EDT (Wed 15 Apr 03:00–04:30 UTC); two deployments to one environment may not overlap.',
    );
    expect(text).toContain('schedule deploy 2026.7.4 to "Perf" at 2026-04-14 23:30 for 90m');
    await run(second, people.steven, scheduleText('2026.7.4', 'Training', '2026-04-14 23:00'));
    expect(textOf(notice(h, '2026.7.4', 'Training'), 'state')).toBe('📅 Scheduled');
  });

  test('a window in the past is refused', async () => {
    const thread = await promoteRelease(h, '2026.7.5');
    clock = new Date('2026-04-15T12:00:00Z'); // Wed 08:00 EDT
    const refused = await h.say(people.steven, scheduleText('2026.7.5', 'Demo', '2026-04-14 22:00'), { conversationId: thread.conversationId });
    const text = onlyRefusal(refused.calls, thread.conversationId);
    expect(text).toContain(
      'A window must start in the future; Tue 14 Apr 2026, 22:00–23:30 EDT (Wed 15 Apr 02:00–03:30 UTC) starts before now (Wed 15 Apr 2026, 08:00 EDT).',
    );
    expect(text).toContain('schedule deploy 2026.7.5 to "Demo" at 2026-04-15 18:00 for 90m');
  });

  test('live needs stable and every pass; a validator fails; the IRC overrides with a reason, on record', async () => {
    const thread = await promoteRelease(h, '2026.7.6');
    await run(thread, people.steven, scheduleText('2026.7.6', 'BXCI UAT', '2026-04-14 22:00'));
    await run(thread, people.steven, 'confirm on-call');
    clock = new Date('2026-04-15T02:00:00Z');
    await run(thread, people.steven, 'start');
    await run(thread, people.jake, 'ready');

    const beforeStable = await h.say(people.jake, 'live', { conversationId: thread.conversationId });
    expect(onlyRefusal(beforeStable.calls, thread.conversationId)).toContain(
      'Deploy 2026.7.6 to BXCI UAT is ready since Tue 14 Apr 2026, 22:00 EDT; ' +
        'live comes after the environment is confirmed stable and the validators have smoke-tested it.',
    );
    await run(thread, people.jake, 'stable');

    // Only the deployment's validators record smoke results.
    const byRafaella = await h.say(people.rafaella, 'smoke pass', { conversationId: thread.conversationId });
    expect(onlyRefusal(byRafaella.calls, thread.conversationId)).toContain(
      'Only the validators of Deploy 2026.7.6 to BXCI UAT record smoke-test results: Luis Garcia and Bosko Kocev.',
    );

    // Bosko's fail is posted and shown; live is refused naming it.
    const failed = await run(thread, people.bosko, 'smoke fail statements page 500s');
    expect(textsIn(failed.calls, thread.conversationId)).toEqual(['❌ Bosko Kocev: smoke fail — statements page 500s (0 of 2 passed).']);
    expect(phaseRows(tracker(h, '2026.7.6', 'BXCI UAT'))[5]).toBe('❌ Smoke tests (0 of 2 passed)');
    const refused = await h.say(people.jake, 'live', { conversationId: thread.conversationId });
    expect(onlyRefusal(refused.calls, thread.conversationId)).toContain(
      "Deploy 2026.7.6 to BXCI UAT goes live on every validator's pass: Bosko Kocev failed; Luis Garcia has not reported. " +
        'An IRC can take it live anyway with a reason, which is recorded.',
    );
    // Platform can't override; an override without a reason is not one.
    const byJake = await h.say(people.jake, 'live override statements are not customer-facing yet', { conversationId: thread.conversationId });
    expect(onlyRefusal(byJake.calls, thread.conversationId)).toContain("Only an IRC can take a deployment live without every validator's pass");
    const noReason = await h.say(people.steven, 'live override', { conversationId: thread.conversationId });
    expect(onlyRefusal(noReason.calls, thread.conversationId)).toContain("live override needs a reason (why it goes live without every validator's pass), so it is on record.");

    clock = new Date('2026-04-15T03:10:00Z');
    const live = await run(thread, people.steven, 'live override statements are not customer-facing yet');
    expect(textsIn(live.calls, thread.conversationId)).toEqual([
      '2026.7.6 live in BXCI UAT.',
      "Taken live by Steven Inouye without every validator's pass: statements are not customer-facing yet",
    ]);
    const card = tracker(h, '2026.7.6', 'BXCI UAT');
    expect(textOf(card, 'final-title')).toBe('2026.7.6 live in BXCI UAT.');
    expect(textOf(card, 'final-text')).toBe(
      'Taken live by Steven Inouye · 23:10 EDT, without a pass from Luis Garcia and Bosko Kocev: statements are not customer-facing yet',
    );
    // … and in the release's audit trail.
    const [history] = sentCards((await h.say(people.luis, 'history 2026.7.6', inThreadOf(thread))).calls, thread.conversationId);
    expect(cardText(history)).toContain('Steven Inouye took Deploy 2026.7.6 to BXCI UAT live with an override: statements are not customer-facing yet');
  });

  test('on-call overridden by the IRC with another person and a reason: the deployment may start', async () => {
    const thread = await promoteRelease(h, '2026.7.10');
    await run(thread, people.steven, scheduleText('2026.7.10', 'Demo', '2026-04-28 22:00'));
    const noReason = await h.say(people.steven, 'override on-call bosko', inThreadOf(thread));
    expect(refusalsIn(noReason.calls, thread.conversationId)).toHaveLength(1);
    const overridden = await run(thread, people.steven, 'override on-call bosko Steven is travelling that night');
    expect(textsIn(overridden.calls, thread.conversationId)).toEqual([
      '📟 On-call overridden by Steven Inouye: Bosko Kocev is on call instead (Steven is travelling that night).',
    ]);
    const onCall = onCallCard(h, '2026.7.10', 'Demo');
    expect(textOf(onCall, 'person')).toBe('On call: Bosko Kocev');
    expect(textOf(onCall, 'status-text')).toBe('Overridden by Steven Inouye · Mon 13 Apr 2026, 08:00 EDT: Bosko Kocev covers');
    expect(textOf(onCall, 'reason')).toBe('Reason: Steven is travelling that night');
    expect(buttonTitles(onCall)).toEqual([]);
    clock = new Date('2026-04-29T02:00:00Z');
    await run(thread, people.steven, 'start');
    expect(phaseRows(tracker(h, '2026.7.10', 'Demo'))[2]).toBe('✅ Started 22:00 EDT');
  });

  test('abort by the IRC: the tracker says aborted and points to Incident Response; the notice too', async () => {
    const thread = await promoteRelease(h, '2026.7.7');
    await run(thread, people.steven, scheduleText('2026.7.7', 'Partner', '2026-04-14 22:00'));
    await run(thread, people.steven, 'confirm on-call');
    clock = new Date('2026-04-15T02:00:00Z');
    await run(thread, people.steven, 'start');

    const byJake = await h.say(people.jake, 'abort ledger migration failed', { conversationId: thread.conversationId });
    expect(onlyRefusal(byJake.calls, thread.conversationId)).toContain('Only an IRC can abort Deploy 2026.7.7 to Partner — ask Steven Inouye.');

    clock = new Date('2026-04-15T02:40:00Z');
    const aborted = await run(thread, people.steven, 'abort ledger migration failed, rolling back');
    expect(textsIn(aborted.calls, thread.conversationId)).toEqual([
      '🛑 Steven Inouye aborted Deploy 2026.7.7 to Partner: ledger migration failed, rolling back. Follow the Incident Response runbook.',
    ]);
    const card = tracker(h, '2026.7.7', 'Partner');
    expect(textOf(card, 'final-title')).toBe('Aborted: ledger migration failed, rolling back');
    expect(textOf(card, 'final-text')).toBe('By Steven Inouye · 22:40 EDT, after the start');
    expect(textOf(card, 'final-hint')).toBe('Follow the Incident Response runbook.');
    expect(cardVerbs(card)).toEqual([]);
    const companyNotice = notice(h, '2026.7.7', 'Partner');
    expect(textOf(companyNotice, 'state')).toBe('⛔ Aborted · 22:40 EDT');
    expect(textOf(companyNotice, 'reason')).toBe('Reason: ledger migration failed, rolling back');

    // Nothing more happens in it.
    const after = await h.say(people.jake, 'ready 2026.7.7 to Partner', { conversationId: thread.conversationId });
    expect(onlyRefusal(after.calls, thread.conversationId)).toContain(
      'Deploy 2026.7.7 to Partner was aborted by Steven Inouye on Tue 14 Apr 2026, 22:40 EDT (“ledger migration failed, rolling back”); nothing more happens in it.',
    );
  });

  test('reschedule updates the notice and the tracker, and on-call must be confirmed again', async () => {
    const thread = await promoteRelease(h, '2026.7.8');
    await run(thread, people.steven, scheduleText('2026.7.8', 'Sales', '2026-04-14 22:00'));
    await run(thread, people.steven, 'confirm on-call');
    const noticeRoot = noticePost(h, '2026.7.8', 'Sales');

    const moved = await run(thread, people.steven, 'reschedule at 2026-04-21 22:00');
    const window = 'Tue 21 Apr 2026, 22:00–23:30 EDT (Wed 22 Apr 02:00–03:30 UTC)';
    expect(textsIn(moved.calls, thread.conversationId)).toEqual([
      `🔁 Steven Inouye rescheduled Deploy 2026.7.8 to Sales to ${window}. On-call coverage must be confirmed again for the new window: <at>Steven Inouye</at>, confirm it with \`confirm on-call\` or the on-call card.`,
    ]);
    // The same #general post, updated: no second notice.
    expect(updatesOf(moved.calls, noticeRoot)).toHaveLength(1);
    expect(moved.calls.filter((c) => c.kind === 'createConversation')).toEqual([]);
    const companyNotice = notice(h, '2026.7.8', 'Sales');
    expect(textOf(companyNotice, 'state')).toBe('🔁 Rescheduled');
    expect(textOf(companyNotice, 'window-text')).toBe(window);
    expect(textOf(companyNotice, 'previous-window')).toBe('Previously Tue 14 Apr 2026, 22:00–23:30 EDT (Wed 15 Apr 02:00–03:30 UTC)');
    const card = tracker(h, '2026.7.8', 'Sales');
    expect(textOf(card, 'window')).toBe(window);
    expect(phaseRows(card)[1]).toBe('⏳ On-call confirmed Awaiting an IRC');
    expect(cardVerbs(card)).toEqual([]);
    // The rota's week of 20 Apr is Jake's; the on-call card asks again.
    const onCall = await onCallFor(h, people.steven, '2026.7.8', 'Sales');
    expect(textOf(onCall, 'person')).toBe('On call: Jake Edgington');
    expect(buttonTitles(onCall)).toEqual(['Confirm', 'Override']);

    clock = new Date('2026-04-22T02:00:00Z');
    const unconfirmed = await h.say(people.steven, 'start', { conversationId: thread.conversationId });
    expect(onlyRefusal(unconfirmed.calls, thread.conversationId)).toContain("Deploy 2026.7.8 to Sales can't start until on-call coverage is confirmed");
    await run(thread, people.steven, 'confirm on-call');
    const started = await run(thread, people.steven, 'start');
    expect(textsIn(started.calls, thread.conversationId)).toEqual(['▶️ Steven Inouye started Deploy 2026.7.8 to Sales. IRC and engineer: coordinate in the meeting chat.']);
  });

  test('cancel marks the notice cancelled, with the reason; nothing more happens in it', async () => {
    const thread = await promoteRelease(h, '2026.7.9');
    await run(thread, people.steven, scheduleText('2026.7.9', 'QA Lab', '2026-04-14 22:00'));
    const cancelled = await run(thread, people.steven, 'cancel deploy 2026.7.9 to "QA Lab" month-end close moved to Tuesday');
    expect(textsIn(cancelled.calls, thread.conversationId)).toEqual(['🚫 Steven Inouye cancelled Deploy 2026.7.9 to QA Lab: month-end close moved to Tuesday']);
    const companyNotice = notice(h, '2026.7.9', 'QA Lab');
    expect(textOf(companyNotice, 'cancelled-title')).toBe('🚫 Cancelled');
    expect(textOf(companyNotice, 'cancelled-reason')).toBe('Reason: month-end close moved to Tuesday');
    expect(textOf(companyNotice, 'window-was')).toBe('Was planned for Tue 14 Apr 2026, 22:00–23:30 EDT (Wed 15 Apr 02:00–03:30 UTC)');
    expect(cardText(companyNotice)).not.toContain('avoid making changes');
    expect(textOf(tracker(h, '2026.7.9', 'QA Lab'), 'final-title')).toBe('Cancelled: month-end close moved to Tuesday');
    expect(buttonTitles(onCallCard(h, '2026.7.9', 'QA Lab'))).toEqual([]);

    const confirm = await h.say(people.steven, 'confirm on-call 2026.7.9 to "QA Lab"', { conversationId: thread.conversationId });
    expect(onlyRefusal(confirm.calls, thread.conversationId)).toContain(
      'Deploy 2026.7.9 to QA Lab was cancelled by Steven Inouye on Mon 13 Apr 2026, 08:00 EDT (“month-end close moved to Tuesday”); nothing more happens in it.',
    );
  });
});
