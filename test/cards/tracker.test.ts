import fc from 'fast-check';
import { createCardRenderer } from '../../src/cards/render';
import { trackerData, TrackerView } from '../../src/cards/tracker-card';
import { onCallData } from '../../src/cards/on-call-card';
import { decideDeployment, DeploymentFacts } from '../../src/domain/deployment';
import { deploymentActionsFor } from '../../src/domain/deployment-actions';
import { Actor, DeploymentCommand, DeploymentState } from '../../src/domain/types';
import { validateAdaptiveCard } from '../helpers/validate-card';
import { actions, actionTitles, byId, expectNoTemplateLeft, texts } from './card-query';
import {
  bosko,
  businessHours,
  crew,
  dview,
  inWindow,
  jake,
  luis,
  people,
  play,
  rafaella,
  STEP,
  states,
  steven,
  T0,
  WINDOW,
} from './deployment-fixtures';
import { ids, timeZone } from './fixtures';

const render = createCardRenderer();
const NEW_MEETING = 'https://teams.microsoft.com/l/meeting/new?subject=Deploy%202026.4.0%20to%20BXCI%20Production';
const JOIN = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0';
/** The base tracker everyone sees. */
const tracker = (state: DeploymentState, extra: Partial<TrackerView> = {}) =>
  render('tracker', trackerData(state, { ...dview, now: inWindow(49), people, ...extra }));
/** One person's own view: their buttons, as the domain says. */
const trackerFor = (person: Actor, state: DeploymentState, extra: Partial<TrackerView> = {}) =>
  tracker(state, { ...extra, viewer: { actions: deploymentActionsFor(state, person.id, crew) } });

function expectValid(card: unknown) {
  expect(validateAdaptiveCard(card)).toEqual([]);
  expectNoTemplateLeft(card);
}

const ref = (state: DeploymentState) => ({ deploymentId: state.id, revision: state.revision });
const phase = (card: unknown, id: string) => texts(byId(card, `phase-${id}`));
const verbs = (card: unknown) => actions(card).filter((a) => a.type === 'Action.Execute').map((a) => String(a.verb));

describe('tracker: scheduled', () => {
  const state = states.scheduled();
  const card = tracker(state, { newMeetingUrl: NEW_MEETING });

  it('shows the deployment, its window and people', () => {
    expectValid(card);
    expect(byId(card, 'title').text).toBe('Deploy 2026.4.0 to BXCI Production');
    expect(byId(card, 'window').text).toBe('Tue 14 Apr 2026, 22:00–23:30 EDT (Wed 15 Apr 02:00–03:30 UTC)');
    expect(byId(card, 'people').text).toBe('IRC Steven Inouye · Engineer Bosko Kocev');
    expect(() => byId(card, 'hotfix-badge')).toThrow();
    expect(() => byId(card, 'final')).toThrow();
    expect(card.fallbackText).toBe('Deploy 2026.4.0 to BXCI Production: Scheduled, awaiting on-call confirmation');
  });

  it('without a created meeting, links the prefilled new meeting and reminds to record', () => {
    expect(byId(card, 'create-meeting')).toEqual({ type: 'Action.OpenUrl', id: 'create-meeting', title: 'Create the meeting', url: NEW_MEETING });
    expect(byId(card, 'recording-reminder').text).toBe('⚠️ Then turn on recording: Meeting options → Record automatically.');
    expect(byId(card, 'recording-reminder-box').style).toBe('warning');
    expect(() => byId(card, 'join-meeting')).toThrow();
  });

  it('lists the phases as a checklist, waiting on on-call coverage', () => {
    expect(phase(card, 'scheduled')).toEqual(['✅', '**Scheduled**', 'by Steven Inouye, Fri 10 Apr 2026, 10:00 EDT']);
    expect(phase(card, 'on-call')).toEqual(['⏳', '**On-call confirmed**', 'Awaiting an IRC']);
    expect(phase(card, 'started')).toEqual(['⬜', '**Started**', 'Window opens Tue 14 Apr 2026, 22:00 EDT']);
    expect(phase(card, 'ready')).toEqual(['⬜', '**Ready**']);
    expect(phase(card, 'stable')).toEqual(['⬜', '**Stable**']);
    expect(phase(card, 'smoke')).toEqual(['⬜', '**Smoke tests (0 of 2 passed)**']);
    expect(phase(card, 'live')).toEqual(['⬜', '**Live**']);
    const labels = texts(byId(card, 'phases')).filter((t) => t.startsWith('**'));
    expect(labels).toEqual([
      '**Scheduled**',
      '**On-call confirmed**',
      '**Started**',
      '**Ready**',
      '**Stable**',
      '**Smoke tests (0 of 2 passed)**',
      '**Live**',
    ]);
  });

  it('shows who will smoke-test', () => {
    expect(texts(byId(card, 'smoke'))).toEqual([
      'Smoke tests · 0 of 2 passed',
      '⏳',
      '**Luis Garcia**',
      'Smoke-tests once the environment is stable',
      '⏳',
      '**Rafaella Barrocas**',
      'Smoke-tests once the environment is stable',
    ]);
  });

  it('offers no Start until on-call coverage is confirmed', () => {
    expect(actionTitles(card)).toEqual(['Create the meeting']);
  });

  it('says when there is no meeting link at all', () => {
    const c = tracker(state);
    expectValid(c);
    expect(byId(c, 'meeting-unknown').text).toBe('No meeting link yet: the IRC creates the meeting.');
    expect(actions(c)).toEqual([]);
  });

  it('hotfix: HOTFIX badge', () => {
    const c = tracker(play([STEP.schedule], true));
    expectValid(c);
    expect(texts(byId(c, 'hotfix-badge'))).toEqual(['HOTFIX']);
  });
});

describe('tracker: before the start, the clock says when it starts', () => {
  const at = (minutesBeforeStart: number, state = states.covered()) =>
    tracker(state, { now: new Date(WINDOW.start.getTime() - minutesBeforeStart * 60_000) });
  const clock = (card: unknown) => [byId(card, 'clock').text, byId(card, 'clock-box').style];

  it('in minutes, then hours, the same evening (the window opens Tue 14 Apr, 22:00 EDT)', () => {
    expect(clock(at(45))).toEqual(['🕒 Starts in 45 min (22:00 EDT)', 'default']);
    expect(clock(at(120))).toEqual(['🕒 Starts in 2 h (22:00 EDT)', 'default']);
    expect(clock(at(150))).toEqual(['🕒 Starts in 2 h 30 min (22:00 EDT)', 'default']);
    expect(clock(at(0.5))).toEqual(['🕒 Starts in 1 min (22:00 EDT)', 'default']);
  });

  it('"tomorrow" from the day before, and the date from further away', () => {
    expect(clock(at(36 * 60))).toEqual(['🕒 Starts tomorrow 22:00 EDT', 'default']); // Mon 13 Apr, 10:00 EDT
    expect(clock(tracker(states.covered(), { now: T0 }))).toEqual(['🕒 Starts Tue 14 Apr 2026, 22:00 EDT', 'default']);
  });

  it('once the window is open and nobody started it, what it waits for; once it closed, to reschedule', () => {
    expect(clock(tracker(states.covered(), { now: inWindow(10) }))).toEqual(['⚠️ The window opened at 22:00 EDT · waiting for an IRC to start it', 'warning']);
    expect(clock(tracker(states.scheduled(), { now: inWindow(10) }))).toEqual(['⚠️ The window opened at 22:00 EDT · waiting for on-call coverage', 'warning']);
    expect(clock(tracker(states.covered(), { now: inWindow(95) }))).toEqual(['⛔ The window closed at 23:30 EDT without a start: reschedule it', 'attention']);
  });

  it('never reads like a running clock ("Took 0 of ~90 min") before the start', () => {
    for (const minutes of [-200, -95, -10, 0.5, 45, 120, 36 * 60, 5 * 24 * 60]) {
      expect(byId(at(minutes), 'clock').text).not.toMatch(/Took|Started| of ~/);
    }
  });
});

describe('tracker: through the window', () => {
  it('covered with a meeting: Join the meeting and Start', () => {
    const state = states.withMeeting();
    const base = tracker(state, { newMeetingUrl: NEW_MEETING });
    expect(actionTitles(base)).toEqual(['Join the meeting', 'Show my actions']);
    expect((base.refresh as { userIds: string[] }).userIds).toEqual([`8:orgid:${ids.steven}`]);
    const card = trackerFor(steven, state, { newMeetingUrl: NEW_MEETING });
    expectValid(card);
    expect(byId(card, 'join-meeting')).toEqual({ type: 'Action.OpenUrl', id: 'join-meeting', title: 'Join the meeting', url: JOIN });
    expect(() => byId(card, 'create-meeting')).toThrow();
    expect(() => byId(card, 'recording-reminder')).toThrow();
    expect(phase(card, 'on-call')).toEqual(['✅', '**On-call confirmed**', 'Jake Edgington · by Steven Inouye, Fri 10 Apr 2026, 10:01 EDT']);
    expect(phase(card, 'started')[0]).toBe('⏳');
    expect(actionTitles(card)).toEqual(['Join the meeting', 'Start']);
    expect(byId(card, 'start')).toEqual({
      type: 'Action.Execute',
      id: 'start',
      title: 'Start',
      verb: 'startDeploy',
      style: 'positive',
      associatedInputs: 'none',
      data: { verb: 'startDeploy', ...ref(state) },
    });
  });

  it('an override shows who covers and why', () => {
    const card = trackerFor(steven, states.overridden());
    expect(phase(card, 'on-call')).toEqual([
      '✅',
      '**On-call confirmed**',
      'Bosko Kocev · override by Steven Inouye, Fri 10 Apr 2026, 10:01 EDT: Jake is on leave',
    ]);
    expect(verbs(card)).toEqual(['startDeploy']);
  });

  it('in progress: the clock against the estimate; Ready and Abort (with a required reason)', () => {
    const state = states.inProgress();
    const card = trackerFor(steven, state);
    expectValid(card);
    expect(phase(card, 'started')).toEqual(['✅', '**Started**', '22:02 EDT']);
    expect(phase(card, 'ready')).toEqual(['⏳', '**Ready**', 'Awaiting Bosko Kocev or the Platform team (Jake Edgington)']);
    expect(byId(card, 'clock').text).toBe('Started 22:02 EDT · 47 of ~90 min');
    expect(byId(card, 'clock-box').style).toBe('default');
    // The IRC may abort; the engineer and Platform signal ready; the card in the thread does neither.
    expect(actionTitles(card)).toEqual(['Join the meeting', 'Abort', 'Abort the deployment']);
    expect(actionTitles(trackerFor(bosko, state))).toEqual(['Join the meeting', 'Ready']);
    expect(actionTitles(trackerFor(jake, state))).toEqual(['Join the meeting', 'Ready']);
    expect(actionTitles(tracker(state))).toEqual(['Join the meeting', 'Show my actions']);
    expect(texts(byId(tracker(state), 'waiting'))).toEqual(['⏳ Waiting for ready from the deployment engineer (Bosko Kocev) or the Platform team (Jake Edgington)']);
    expect(byId(trackerFor(bosko, state), 'ready')).toMatchObject({ verb: 'readyDeploy', data: { verb: 'readyDeploy', ...ref(state) } });
    expect(byId(card, 'abort')).toMatchObject({ type: 'Action.ShowCard', title: 'Abort' });
    expect(byId(card, 'abortReason')).toMatchObject({ type: 'Input.Text', label: 'Why abort?', isRequired: true });
    expect(byId(card, 'abort-submit')).toMatchObject({
      type: 'Action.Execute',
      verb: 'abortDeploy',
      style: 'destructive',
      associatedInputs: 'auto',
      data: { verb: 'abortDeploy', ...ref(state) },
    });
    expect(card.fallbackText).toBe('Deploy 2026.4.0 to BXCI Production: In progress');
  });

  it('past the estimate: says by how much', () => {
    const card = tracker(states.inProgress(), { now: inWindow(2 + 102) });
    expect(byId(card, 'clock').text).toBe('⚠️ Started 22:02 EDT · Running 12 min over the estimate');
    expect(byId(card, 'clock-box').style).toBe('warning');
  });

  it('ready: Stable and Abort', () => {
    const state = states.ready();
    const card = trackerFor(jake, state);
    expectValid(card);
    expect(phase(card, 'ready')).toEqual(['✅', '**Ready**', '23:00 EDT']);
    expect(phase(card, 'stable')[0]).toBe('⏳');
    expect(verbs(card)).toEqual(['stableDeploy']);
    expect(verbs(trackerFor(steven, state))).toEqual(['abortDeploy']);
    expect(byId(card, 'stable')).toMatchObject({ title: 'Stable', data: { verb: 'stableDeploy', ...ref(state) } });
  });

  it('stable: smoke pass / fail with notes, live only with an override, and Abort', () => {
    const state = states.stable();
    const card = trackerFor(luis, state);
    expectValid(card);
    expect(phase(card, 'stable')).toEqual(['✅', '**Stable**', '23:10 EDT']);
    expect(phase(card, 'smoke')).toEqual(['⏳', '**Smoke tests (0 of 2 passed)**']);
    expect(phase(card, 'live')).toEqual(['⬜', '**Live**', "Needs every validator's pass, or an IRC's override with a reason"]);
    // Each validator records their own result; only the IRC may take it live without them, or abort.
    expect(actionTitles(card)).toEqual(['Join the meeting', 'Smoke pass', 'Record pass', 'Smoke fail', 'Record failure']);
    const irc = trackerFor(steven, state);
    expectValid(irc);
    expect(actionTitles(irc)).toEqual(['Join the meeting', 'Live with override', 'Go live anyway', 'Abort', 'Abort the deployment']);
    expect(actionTitles(trackerFor(bosko, state))).toEqual(['Join the meeting', 'Show my actions']);
    expect(byId(trackerFor(bosko, state), 'viewer-note').text).toBe('Nothing in Deploy 2026.4.0 to BXCI Production waits for you now.');
    expect((tracker(state).refresh as { userIds: string[] }).userIds).toEqual([ids.luis, ids.rafaella, ids.steven].map((id) => `8:orgid:${id}`));
    expect(byId(card, 'smokePassNotes')).toMatchObject({ type: 'Input.Text', label: 'What did you check? (optional)' });
    expect(byId(card, 'smokePassNotes').isRequired).toBeUndefined();
    expect(byId(card, 'smoke-pass-submit')).toMatchObject({ verb: 'smokePass', data: { verb: 'smokePass', ...ref(state) } });
    expect(byId(card, 'smokeFailNotes')).toMatchObject({ label: 'What failed?', isRequired: true });
    expect(byId(card, 'smoke-fail-submit')).toMatchObject({ verb: 'smokeFail', data: { verb: 'smokeFail', ...ref(state) } });
    expect(byId(irc, 'liveOverrideReason')).toMatchObject({ label: "Why go live without every validator's pass?", isRequired: true });
    expect(byId(irc, 'live-override-submit')).toMatchObject({ verb: 'goLiveOverride', data: { verb: 'goLiveOverride', ...ref(state) } });
    expect(texts(byId(card, `smoke-${ids.luis}`))).toEqual(['⏳', '**Luis Garcia**', 'Not reported yet']);
  });

  it("each validator's result, with notes and time; a failure marks the smoke phase", () => {
    const card = trackerFor(rafaella, states.oneFailed());
    expectValid(card);
    expect(byId(card, 'smoke-title').text).toBe('Smoke tests · 1 of 2 passed');
    expect(texts(byId(card, `smoke-${ids.luis}`))).toEqual(['✅', '**Luis Garcia**', 'Passed · 23:15 EDT — loans list fine']);
    expect(texts(byId(card, `smoke-${ids.rafaella}`))).toEqual(['❌', '**Rafaella Barrocas**', 'Failed · 23:17 EDT — payments page 500s']);
    expect(phase(card, 'smoke')).toEqual(['❌', '**Smoke tests (1 of 2 passed)**']);
    expect(verbs(card)).toEqual(['smokePass', 'smokeFail']);
    expect(verbs(trackerFor(steven, states.oneFailed()))).toEqual(['goLiveOverride', 'abortDeploy']);
  });

  it('every validator passed: Live replaces the override', () => {
    const state = states.allPassed();
    const card = trackerFor(jake, state);
    expectValid(card);
    expect(phase(card, 'smoke')).toEqual(['✅', '**Smoke tests (2 of 2 passed)**']);
    expect(phase(card, 'live')).toEqual(['⏳', '**Live**', 'Awaiting the Platform team (Jake Edgington)']);
    expect(verbs(card)).toEqual(['goLive']);
    expect(verbs(trackerFor(steven, state))).toEqual(['abortDeploy']);
    expect(verbs(trackerFor(luis, state))).toEqual(['smokePass', 'smokeFail']);
    expect(byId(card, 'live')).toMatchObject({ type: 'Action.Execute', title: 'Live', data: { verb: 'goLive', ...ref(state) } });
    expect(card.fallbackText).toBe('Deploy 2026.4.0 to BXCI Production: Stable, smoke tests 2 of 2 passed');
  });
});

describe('tracker: finished', () => {
  it('live: the runbook line, the time taken, bugs filed; no buttons, no meeting', () => {
    const card = tracker(states.live(), { now: inWindow(200) });
    expectValid(card);
    expect(byId(card, 'final').style).toBe('good');
    expect(texts(byId(card, 'final'))).toEqual(['2026.4.0 live in BXCI Production.', 'Live since 23:20 EDT']);
    expect(phase(card, 'live')).toEqual(['✅', '**Live**', '23:20 EDT']);
    expect(byId(card, 'clock').text).toBe('Started 22:02 EDT · Took 78 of ~90 min');
    expect(texts(byId(card, 'bugs'))).toEqual([
      'Bugs filed',
      '• [Export button missing](https://github.com/lendos/lendos/issues/12) · Luis Garcia · Tue 14 Apr 2026, 23:30 EDT',
    ]);
    expect(() => byId(card, 'meeting')).toThrow();
    expect(actions(card)).toEqual([]);
    expect(card.fallbackText).toBe('Deploy 2026.4.0 to BXCI Production: 2026.4.0 live in BXCI Production.');
  });

  it('live with an override: who, without whose pass, and why', () => {
    const card = tracker(states.liveOverride());
    expectValid(card);
    expect(texts(byId(card, 'final'))).toEqual([
      '2026.4.0 live in BXCI Production.',
      'Taken live by Steven Inouye · 23:25 EDT, without a pass from Rafaella Barrocas: payments fix is behind a flag',
    ]);
    expect(actions(card)).toEqual([]);
  });

  it('late: the time taken says how far over the estimate', () => {
    const late = play([STEP.schedule, STEP.confirm, STEP.start, STEP.ready, STEP.stable, STEP.luisPasses, STEP.rafaellaPasses, [jake, { type: 'live' }, inWindow(104)]]);
    expect(byId(tracker(late), 'clock').text).toBe('⚠️ Started 22:02 EDT · Took 102 min, 12 over the ~90 min estimate');
    expect(byId(tracker(late), 'clock-box').style).toBe('warning');
  });

  it('aborted: the reason, and the Incident Response runbook', () => {
    const card = tracker(states.aborted());
    expectValid(card);
    expect(byId(card, 'final').style).toBe('attention');
    expect(texts(byId(card, 'final'))).toEqual([
      'Aborted: migration failed',
      'By Steven Inouye · 22:20 EDT, after the start',
      'Follow the Incident Response runbook.',
    ]);
    expect(byId(card, 'clock').text).toBe('⛔ Started 22:02 EDT · Aborted after 18 min');
    expect(byId(card, 'clock-box').style).toBe('attention');
    expect(texts(byId(card, `smoke-${ids.rafaella}`))).toEqual(['—', '**Rafaella Barrocas**', 'Did not report']);
    expect(actions(card)).toEqual([]);
  });

  it('cancelled: the reason; no clock, no buttons', () => {
    const card = tracker(states.cancelled(), { newMeetingUrl: NEW_MEETING });
    expectValid(card);
    expect(byId(card, 'final').style).toBe('warning');
    expect(texts(byId(card, 'final'))).toEqual(['Cancelled: QA found a blocker', 'By Steven Inouye · Fri 10 Apr 2026, 10:02 EDT']);
    expect(phase(card, 'on-call')).toEqual(['⬜', '**On-call confirmed**']);
    expect(() => byId(card, 'clock')).toThrow();
    expect(actions(card)).toEqual([]);
  });

  it('a bug without a link is listed by its title', () => {
    const state = play([STEP.schedule, STEP.confirm, STEP.start, [luis, { type: 'recordBug', title: 'Slow loans list' }, inWindow(10)]]);
    expect(texts(byId(tracker(state), 'bugs'))).toEqual(['Bugs filed', '• Slow loans list · Luis Garcia · Tue 14 Apr 2026, 22:10 EDT']);
  });

  it('keeps typed text verbatim, even when it looks like a binding', () => {
    const state = play([STEP.schedule, STEP.confirm, STEP.start, [luis, { type: 'recordBug', title: 'Shows ${amount} literally' }, inWindow(10)]]);
    const card = tracker(state);
    expect(validateAdaptiveCard(card)).toEqual([]);
    expect(texts(byId(card, 'bugs'))).toEqual(['Bugs filed', '• Shows ${amount} literally · Luis Garcia · Tue 14 Apr 2026, 22:10 EDT']);
  });

  it('shows a notice to the person who clicked, above everything else', () => {
    const text = 'Nothing changed: Deploy 2026.4.0 to BXCI Production went live at 23:20 EDT.';
    const card = tracker(states.live(), { notice: text });
    expectValid(card);
    expect(card.body![0]).toMatchObject({ id: 'notice', style: 'warning' });
    expect(texts(byId(card, 'notice'))).toEqual([text]);
  });
});

describe('deployment cards: any reachable state', () => {
  const context = (hotfix: boolean): DeploymentFacts => ({ directory: crew, businessHours, timeZone, release: { promoted: true, hotfix }, otherDeployments: [] });
  const windowA = { start: new Date('2026-04-15T02:00:00Z'), end: new Date('2026-04-15T03:30:00Z') };
  const windowB = { start: new Date('2026-04-16T02:00:00Z'), end: new Date('2026-04-16T03:30:00Z') };
  const MOVES: ReadonlyArray<(state: DeploymentState) => readonly [Actor, DeploymentCommand]> = [
    () => [steven, { type: 'confirmOnCall', person: jake.id }],
    () => [steven, { type: 'overrideOnCall', person: bosko.id, reason: 'Jake is out' }],
    () => [steven, { type: 'recordMeeting', joinUrl: 'https://teams.microsoft.com/l/meetup-join/x', meetingId: 'm' }],
    () => [steven, { type: 'start' }],
    () => [bosko, { type: 'ready' }],
    () => [jake, { type: 'stable' }],
    () => [luis, { type: 'smoke', result: 'pass', notes: '' }],
    () => [luis, { type: 'smoke', result: 'fail', notes: 'broken' }],
    () => [rafaella, { type: 'smoke', result: 'pass', notes: 'ok' }],
    () => [rafaella, { type: 'smoke', result: 'fail', notes: 'nope' }],
    () => [jake, { type: 'live' }],
    () => [steven, { type: 'live', overrideReason: 'known issue' }],
    () => [steven, { type: 'abort', reason: 'db down' }],
    () => [steven, { type: 'cancel', reason: 'not needed' }],
    (s) => [steven, { type: 'reschedule', window: s.window.start === windowA.start.toISOString() ? windowB : windowA }],
    () => [luis, { type: 'recordBug', title: 'Export button missing' }],
  ];
  /** Indexes into MOVES: confirm, meeting, start, ready, stable, both validators pass, live. */
  const HAPPY_PATH = [0, 2, 3, 4, 5, 6, 8, 10];
  const atMinute = (state: DeploymentState, minute: number) => new Date(Date.parse(state.window.start) + minute * 60_000);
  const accepted = (state: DeploymentState, who: Actor, command: DeploymentCommand, hotfix: boolean) =>
    decideDeployment(command, state, { ...context(hotfix), actor: who, now: atMinute(state, 1) }).kind === 'accepted';

  /** The domain command a tracker or on-call button stands for, by someone allowed to click it. */
  const COMMAND: Record<string, (state: DeploymentState) => readonly [Actor, DeploymentCommand]> = {
    startDeploy: () => [steven, { type: 'start' }],
    readyDeploy: (s) => [{ id: s.engineer, name: 'engineer' }, { type: 'ready' }],
    stableDeploy: (s) => [{ id: s.engineer, name: 'engineer' }, { type: 'stable' }],
    smokePass: (s) => [{ id: s.validators[0]!, name: 'validator' }, { type: 'smoke', result: 'pass', notes: '' }],
    smokeFail: (s) => [{ id: s.validators[0]!, name: 'validator' }, { type: 'smoke', result: 'fail', notes: 'x' }],
    goLive: () => [jake, { type: 'live' }],
    goLiveOverride: () => [steven, { type: 'live', overrideReason: 'x' }],
    abortDeploy: () => [steven, { type: 'abort', reason: 'x' }],
    confirmOnCall: () => [steven, { type: 'confirmOnCall', person: jake.id }],
    overrideOnCall: () => [steven, { type: 'overrideOnCall', person: bosko.id, reason: 'x' }],
  };

  it('are valid, fully expanded, and offer exactly the buttons the domain would accept', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.nat({ max: HAPPY_PATH.length }), fc.array(fc.nat({ max: MOVES.length - 1 }), { maxLength: 6 }), fc.nat({ max: 240 }), (hotfix, ahead, random, minute) => {
        let state = play([STEP.schedule], hotfix);
        // Walk part of the way along the runbook first, so every phase is reached often, then wander.
        [...HAPPY_PATH.slice(0, ahead), ...random].forEach((move, i) => {
          const [who, command] = MOVES[move]!(state);
          const outcome = decideDeployment(command, state, { ...context(hotfix), actor: who, now: atMinute(state, i + 1) });
          if (outcome.kind === 'accepted') state = outcome.state;
        });

        const card = tracker(state, { now: atMinute(state, minute), newMeetingUrl: NEW_MEETING });
        expectValid(card);
        // The card in the thread acts for nobody; each person's view offers what the rules accept from them.
        expect(verbs(card).filter((verb) => verb !== 'refreshTracker')).toEqual([]);
        const shown = new Set<string>();
        for (const person of [steven, jake, bosko, luis, rafaella]) {
          const mine = trackerFor(person, state, { now: atMinute(state, minute), newMeetingUrl: NEW_MEETING });
          expectValid(mine);
          for (const verb of verbs(mine).filter((v) => v !== 'refreshTracker')) {
            shown.add(verb);
            const [, command] = COMMAND[verb]!(state);
            expect([person.name, verb, accepted(state, person, command, hotfix)]).toEqual([person.name, verb, true]);
          }
        }
        // Hidden means the step does not apply now; abort and the override have text-command uses the card leaves out.
        for (const verb of ['startDeploy', 'readyDeploy', 'stableDeploy', 'smokePass', 'goLive']) {
          if (shown.has(verb)) continue;
          const [who, command] = COMMAND[verb]!(state);
          expect([verb, accepted(state, who, command, hotfix)]).toEqual([verb, false]);
        }
        expect(shown.has('abortDeploy')).toBe(['in-progress', 'ready', 'stable'].includes(state.phase));
        expect(shown.has('goLiveOverride')).toBe(state.phase === 'stable' && !shown.has('goLive'));

        // The on-call card's buttons are the IRC's (Steven's view); the card in the thread offers only "Show my actions".
        const coverage = render('on-call', onCallData(state, { ...dview, people, rotaOnCall: ids.jake, viewer: { actions: deploymentActionsFor(state, steven.id, crew) } }));
        expectValid(coverage);
        const awaiting = state.phase === 'scheduled' && !state.onCall;
        expect(verbs(coverage).sort()).toEqual(awaiting ? ['confirmOnCall', 'overrideOnCall'] : []);
        for (const verb of verbs(coverage)) {
          const [who, command] = COMMAND[verb]!(state);
          expect(accepted(state, who, command, hotfix)).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });
});
