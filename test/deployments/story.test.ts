import { ENGINEERING, GENERAL, Harness, cardText, cardVerbs, people, startHarness } from '../helpers/bot-harness';
import { LoopbackGitHub, startLoopbackGitHub } from '../helpers/loopback-github';
import { createGitHubBugTracker } from '../../src/integrations/bug-tracker';
import { expectValidCard, textOf } from '../teams/teams-view';
import {
  PRODUCTION_SUPPORT,
  links,
  notice,
  noticePost,
  onCallCard,
  onCallPost,
  onlyRefusal,
  phaseRows,
  promoteRelease,
  refusalsIn,
  scheduleText,
  sentCards,
  textsIn,
  tracker,
  trackerPost,
  updatesOf,
  trackerViews,
  onCallFor,
} from './deployment-view';

// Runbook 3.1 → 5 over real HTTP, typed, as the IRC, the engineer and the validators live it: the
// schedule in the release thread, the company notice in #general, the tracker and on-call cards in
// the thread, the window phase by phase, the runbook's live line, then a bug from #production-support
// filed as a GitHub issue on a loopback GitHub.

const WINDOW = 'Tue 14 Apr 2026, 22:00–23:30 EDT (Wed 15 Apr 02:00–03:30 UTC)';

describe('deploying 2026.4.0 to BXCI Production, typed (runbook 3.1 → 5)', () => {
  let h: Harness;
  let github: LoopbackGitHub;
  // Mon 13 Apr 2026, 08:00 EDT: the Monday before the Tuesday-night window.
  let clock = new Date('2026-04-13T12:00:00Z');

  beforeAll(async () => {
    github = await startLoopbackGitHub();
    h = await startHarness({
      now: () => clock,
      bugTracker: createGitHubBugTracker({ baseUrl: github.url, token: github.token, owner: github.owner, repo: github.repo }),
    });
  });
  afterAll(async () => {
    await h.close();
    await github.close();
  });

  test('schedule → notice → on-call → start → ready → stable → smoke → live → bug', async () => {
    const thread = await promoteRelease(h, '2026.4.0');
    const inThread = { conversationId: thread.conversationId };

    // 3.1 The IRC schedules in the release thread.
    const scheduled = await h.say(people.steven, scheduleText('2026.4.0', 'BXCI Production', '2026-04-14 22:00'), inThread);
    expect(refusalsIn(scheduled.calls)).toEqual([]);
    expect(textsIn(scheduled.calls, thread.conversationId)).toEqual([
      `📅 Steven Inouye scheduled Deploy 2026.4.0 to BXCI Production: ${WINDOW}. ` +
        'Engineer: Jake Edgington. Validators: Luis Garcia, Bosko Kocev. On-call coverage must be confirmed before it starts: <at>Steven Inouye</at>, confirm it with `confirm on-call` or the on-call card.',
    ]);

    // 3.2 The company notice: a root post in #general, not a reply anywhere.
    const noticeRoot = noticePost(h, '2026.4.0', 'BXCI Production');
    expect(scheduled.calls.filter((c) => c.kind === 'createConversation').map((c) => c.conversationId.split(';')[0])).toEqual([GENERAL]);
    const noticeCard = noticeRoot.activity.attachments![0]!.content;
    expectValidCard(noticeCard);
    expect(textOf(noticeCard, 'title')).toBe('Deployment: 2026.4.0 to BXCI Production');
    expect(textOf(noticeCard, 'state')).toBe('📅 Scheduled');
    expect(textOf(noticeCard, 'window-text')).toBe(WINDOW);
    expect(textOf(noticeCard, 'avoid')).toBe('Please avoid making changes to BXCI Production during the window.');
    expect(textOf(noticeCard, 'irc')).toBe('IRC: Steven Inouye');

    // The tracker and the on-call card, posted in the release thread.
    const trackerRoot = trackerPost(h, '2026.4.0', 'BXCI Production');
    const onCallRoot = onCallPost(h, '2026.4.0', 'BXCI Production');
    expect(trackerRoot.conversationId).toBe(thread.conversationId);
    expect(onCallRoot.conversationId).toBe(thread.conversationId);
    let card = tracker(h, '2026.4.0', 'BXCI Production');
    expectValidCard(card);
    expect(textOf(card, 'window')).toBe(WINDOW);
    expect(textOf(card, 'people')).toBe('IRC Steven Inouye · Engineer Jake Edgington');
    expect(phaseRows(card)).toEqual([
      '✅ Scheduled by Steven Inouye, Mon 13 Apr 2026, 08:00 EDT',
      '⏳ On-call confirmed Awaiting an IRC',
      '⬜ Started Window opens Tue 14 Apr 2026, 22:00 EDT',
      '⬜ Ready',
      '⬜ Stable',
      '⬜ Smoke tests (0 of 2 passed)',
      '⬜ Live',
    ]);
    expect(textOf(card, 'clock')).toBe('🕒 Starts tomorrow 22:00 EDT'); // scheduled Mon 13 Apr, 08:00 EDT
    expect(cardVerbs(card)).toEqual([]); // nothing to click before on-call is confirmed
    let onCall = onCallCard(h, '2026.4.0', 'BXCI Production');
    expectValidCard(onCall);
    expect(textOf(onCall, 'person')).toBe('On call: Steven Inouye'); // the rota's week of 13 Apr
    expect(textOf(onCall, 'status-text')).toBe('Awaiting confirmation by an IRC (Steven Inouye)');
    expect(cardVerbs(await onCallFor(h, people.steven, '2026.4.0', 'BXCI Production')).filter((verb) => verb !== 'refreshOnCall')).toEqual(['confirmOnCall', 'overrideOnCall']);
    expect(onCall.refresh.userIds).toEqual([`8:orgid:${people.steven.aadObjectId}`]);

    // `status 2026.4.0` shows where the deployment stands and whom it waits for.
    const statusAt = `${ENGINEERING};messageid=88001`;
    const [scheduledStatus] = sentCards((await h.say(people.luis, 'status 2026.4.0', { conversationId: statusAt })).calls, statusAt);
    expect(textOf(scheduledStatus, 'deployments')).toBe(
      `Deployments\nDeploy 2026.4.0 to BXCI Production\n${WINDOW}\n` +
        'Scheduled — waiting for on-call coverage confirmed, or overridden with another person, by an IRC (Steven Inouye); ' +
        'the start, by an IRC (Steven Inouye), once the window opens (Tue 14 Apr 2026, 22:00 EDT)',
    );

    // 4.1 Start is refused without on-call coverage …
    const noCoverage = await h.say(people.steven, 'start', inThread);
    expect(onlyRefusal(noCoverage.calls, thread.conversationId)).toContain(
      "Deploy 2026.4.0 to BXCI Production can't start until on-call coverage is confirmed, or overridden with another person.",
    );

    // 3.3 … so the IRC confirms it.
    const confirmed = await h.say(people.steven, 'confirm on-call', inThread);
    expect(textsIn(confirmed.calls, thread.conversationId)).toEqual(['📟 On-call coverage confirmed by Steven Inouye: Steven Inouye is on call.']);
    onCall = onCallCard(h, '2026.4.0', 'BXCI Production');
    expect(textOf(onCall, 'status-text')).toBe('Confirmed by Steven Inouye · Mon 13 Apr 2026, 08:00 EDT');
    expect(cardVerbs(onCall)).toEqual([]);
    card = tracker(h, '2026.4.0', 'BXCI Production');
    expect(phaseRows(card)[1]).toBe('✅ On-call confirmed Steven Inouye · by Steven Inouye, Mon 13 Apr 2026, 08:00 EDT');
    expect(await trackerViews(h, '2026.4.0', 'BXCI Production')).toEqual({ 'Steven Inouye': ['startDeploy'] });

    // Start before the window opens: refused, as announced to the company.
    const early = await h.say(people.steven, 'start', inThread);
    expect(onlyRefusal(early.calls, thread.conversationId)).toContain(
      'The window for Deploy 2026.4.0 to BXCI Production opens at Tue 14 Apr 2026, 22:00 EDT, as announced to the company; start it then.',
    );

    // 4.1 Tuesday 22:05 EDT: the IRC starts; the notice says the deployment is under way.
    clock = new Date('2026-04-15T02:05:00Z');
    const started = await h.say(people.steven, 'start', inThread);
    expect(textsIn(started.calls, thread.conversationId)).toEqual([
      '▶️ Steven Inouye started Deploy 2026.4.0 to BXCI Production. IRC and engineer: coordinate in the meeting chat.',
    ]);
    expect(textOf(notice(h, '2026.4.0', 'BXCI Production'), 'state')).toBe('🚧 In progress · started 22:05 EDT');
    card = tracker(h, '2026.4.0', 'BXCI Production');
    expect(phaseRows(card)[2]).toBe('✅ Started 22:05 EDT');
    expect(textOf(card, 'clock')).toBe('Started 22:05 EDT · 0 of ~90 min');
    // Each person's own view: the IRC may abort, the engineer (Jake, also Platform) signals ready; the card itself acts for nobody.
    expect(cardVerbs(card)).toEqual(['refreshTracker', 'refreshTracker']);
    expect(await trackerViews(h, '2026.4.0', 'BXCI Production')).toEqual({ 'Steven Inouye': ['abortDeploy'], 'Jake Edgington': ['readyDeploy'] });

    // 4.2 Ready: the validators are @mentioned (Teams notifies them) with the meeting link.
    clock = new Date('2026-04-15T03:00:00Z');
    const ready = await h.say(people.jake, 'ready', inThread);
    const readyPosts = ready.calls.filter((c) => c.conversationId === thread.conversationId && c.activity.text?.startsWith('🟢'));
    expect(readyPosts).toHaveLength(1);
    const readyPost = readyPosts[0]!.activity;
    const meetingLink = links(tracker(h, '2026.4.0', 'BXCI Production'))['Create the meeting']!;
    expect(meetingLink).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meeting\/new\?subject=Deploy%202026\.4\.0%20to%20BXCI%20Production&/);
    expect(readyPost.text).toBe(
      '🟢 Deploy 2026.4.0 to BXCI Production is ready. <at>Luis Garcia</at>, <at>Bosko Kocev</at>: ' +
        `Please join the deployment meeting to smoke-test BXCI Production once it is confirmed stable: [Join the meeting](${meetingLink})`,
    );
    expect(readyPost.entities).toEqual([
      { type: 'mention', text: '<at>Luis Garcia</at>', mentioned: { id: people.luis.aadObjectId, name: 'Luis Garcia' } },
      { type: 'mention', text: '<at>Bosko Kocev</at>', mentioned: { id: people.bosko.aadObjectId, name: 'Bosko Kocev' } },
    ]);
    expect(textOf(tracker(h, '2026.4.0', 'BXCI Production'), 'clock')).toBe('Started 22:05 EDT · 55 of ~90 min');

    // 4.3 Stable.
    const stable = await h.say(people.jake, 'stable', inThread);
    expect(textsIn(stable.calls, thread.conversationId)).toEqual([
      '🧪 Jake Edgington confirmed BXCI Production is stable. Validators: smoke test now and report with `smoke pass` or `smoke fail <notes>`.',
    ]);
    expect(await trackerViews(h, '2026.4.0', 'BXCI Production')).toEqual({
      'Luis Garcia': ['smokePass', 'smokeFail'],
      'Bosko Kocev': ['smokePass', 'smokeFail'],
      'Steven Inouye': ['goLiveOverride', 'abortDeploy'],
    });

    // Live before every validator passed: refused, naming who has not reported.
    const tooSoon = await h.say(people.jake, 'live', inThread);
    expect(onlyRefusal(tooSoon.calls, thread.conversationId)).toContain(
      "Deploy 2026.4.0 to BXCI Production goes live on every validator's pass: Luis Garcia and Bosko Kocev have not reported.",
    );

    // 4.4 Each validator smoke-tests.
    const luis = await h.say(people.luis, 'smoke pass loans, payments and statements checked', inThread);
    expect(textsIn(luis.calls, thread.conversationId)).toEqual(['✅ Luis Garcia: smoke pass — loans, payments and statements checked (1 of 2 passed).']);
    const bosko = await h.say(people.bosko, 'smoke pass', inThread);
    expect(textsIn(bosko.calls, thread.conversationId)).toEqual(['✅ Bosko Kocev: smoke pass (2 of 2 passed).']);
    card = tracker(h, '2026.4.0', 'BXCI Production');
    expect(textOf(card, 'smoke-title')).toBe('Smoke tests · 2 of 2 passed');
    expect(await trackerViews(h, '2026.4.0', 'BXCI Production')).toEqual({
      'Luis Garcia': ['smokePass', 'smokeFail'],
      'Bosko Kocev': ['smokePass', 'smokeFail'],
      'Steven Inouye': ['abortDeploy'],
      'Jake Edgington': ['goLive'],
    });

    // 4.5 Platform posts the runbook's line, word for word, in the #engineering release thread.
    clock = new Date('2026-04-15T03:20:00Z');
    const live = await h.say(people.jake, 'live', inThread);
    expect(textsIn(live.calls, thread.conversationId)).toEqual(['2026.4.0 live in BXCI Production.']);
    expect(h.textsIn(thread.conversationId).filter((t) => t.includes('live in'))).toEqual(['2026.4.0 live in BXCI Production.']);
    expect(updatesOf(live.calls, noticeRoot)).toHaveLength(1);
    const finalNotice = notice(h, '2026.4.0', 'BXCI Production');
    expectValidCard(finalNotice);
    expect(textOf(finalNotice, 'state')).toBe('✅ Finished · 2026.4.0 is live in BXCI Production since 23:20 EDT');
    expect(cardText(finalNotice)).not.toContain('avoid making changes');
    card = tracker(h, '2026.4.0', 'BXCI Production');
    expectValidCard(card);
    expect(textOf(card, 'final-title')).toBe('2026.4.0 live in BXCI Production.');
    expect(textOf(card, 'clock')).toBe('Started 22:05 EDT · Took 75 of ~90 min');
    expect(cardVerbs(card)).toEqual([]);

    const [liveStatus] = sentCards((await h.say(people.luis, 'status 2026.4.0', { conversationId: statusAt })).calls, statusAt);
    expect(textOf(liveStatus, 'deployments')).toBe(`Deployments\nDeploy 2026.4.0 to BXCI Production\n${WINDOW}\nLive`);

    // 5 A bug reported in #production-support becomes a GitHub issue labelled with release and environment.
    clock = new Date('2026-04-15T13:30:00Z');
    const bug = await h.say(people.rafaella, 'bug Export to CSV times out -- portfolios over 10k loans', { conversationId: PRODUCTION_SUPPORT });
    expect(github.issues).toHaveLength(1);
    const issue = github.issues[0]!;
    expect(issue.title).toBe('Export to CSV times out');
    expect(issue.labels).toEqual(['bug', 'release:2026.4.0', 'env:bxci-production']);
    expect(issue.body).toContain('Reported by Rafaella Barrocas in #production-support after Deploy 2026.4.0 to BXCI Production.');
    expect(issue.body).toContain('portfolios over 10k loans');
    expect(github.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([`POST /repos/${github.owner}/${github.repo}/issues 201`]);
    expect(textsIn(bug.calls, PRODUCTION_SUPPORT)).toEqual([`Filed #${issue.number} "Export to CSV times out": ${issue.html_url}`]);
    // … linked to the deployment: the tracker lists it with the issue's link.
    expect(textOf(tracker(h, '2026.4.0', 'BXCI Production'), 'bugs')).toBe(
      `Bugs filed\n• [Export to CSV times out](${issue.html_url}) · Rafaella Barrocas · Wed 15 Apr 2026, 09:30 EDT`,
    );
    // Nothing in #production-support but the answer; the release thread hears nothing of it.
    expect(bug.calls.filter((c) => c.kind !== 'update').map((c) => c.conversationId)).toEqual([PRODUCTION_SUPPORT]);

    expect(github.malformed).toEqual([]);
    expect(h.connector.malformed).toEqual([]);
  });

  test('a bug from someone not in the directory credits "an unknown person" by object id, not the name their client sent', async () => {
    const before = github.issues.length;
    const impostor = { ...people.mallory, name: 'Luis Garcia' };
    await h.say(impostor, 'bug Login page is blank in 2026.4.0 on BXCI Production', { conversationId: PRODUCTION_SUPPORT });
    expect(github.issues).toHaveLength(before + 1);
    const issue = github.issues[before]!;
    expect(issue.body).toContain(`Reported by an unknown person (aadObjectId ${people.mallory.aadObjectId}) in #production-support after Deploy 2026.4.0 to BXCI Production.`);
    expect(issue.body).not.toContain('Luis Garcia');
    expect(github.malformed).toEqual([]);
  });
});

describe('a bug without GitHub configured', () => {
  let h: Harness;
  let clock = new Date('2026-04-13T12:00:00Z');
  beforeAll(async () => {
    h = await startHarness({ now: () => clock });
  });
  afterAll(() => h.close());
  afterEach(() => expect(h.connector.malformed).toEqual([]));

  test('is recorded on the deployment (visible in the tracker) and the reply says GitHub is not configured', async () => {
    const thread = await promoteRelease(h, '2026.6.0');
    const inThread = { conversationId: thread.conversationId };
    await h.say(people.steven, scheduleText('2026.6.0', 'BXCI Staging', '2026-04-14 22:00'), inThread);
    await h.say(people.steven, 'confirm on-call', inThread);
    clock = new Date('2026-04-15T02:00:00Z');
    for (const [person, text] of [
      [people.steven, 'start'],
      [people.jake, 'ready'],
      [people.jake, 'stable'],
      [people.luis, 'smoke pass'],
      [people.bosko, 'smoke pass'],
      [people.jake, 'live'],
    ] as const) {
      expect(refusalsIn((await h.say(person, text, inThread)).calls)).toEqual([]);
    }

    clock = new Date('2026-04-15T14:00:00Z');
    const bug = await h.say(people.luis, 'bug Statement PDF shows old logo', { conversationId: PRODUCTION_SUPPORT });
    expect(textsIn(bug.calls, PRODUCTION_SUPPORT)).toEqual([
      `Recorded on Deploy 2026.6.0 to BXCI Staging: "Statement PDF shows old logo". GitHub isn't configured, so no issue was filed.`,
    ]);
    expect(textOf(tracker(h, '2026.6.0', 'BXCI Staging'), 'bugs')).toBe('Bugs filed\n• Statement PDF shows old logo · Luis Garcia · Wed 15 Apr 2026, 10:00 EDT');
  });

  test('before any deployment of the release started there is nothing to file it against', async () => {
    const bug = await h.say(people.luis, 'bug Login loop in 2026.9.0', { conversationId: PRODUCTION_SUPPORT });
    expect(onlyRefusal(bug.calls, PRODUCTION_SUPPORT)).toContain('No deployment of 2026.9.0 has started yet, so there is nothing to file this against.');
  });
});
