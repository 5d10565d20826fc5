import fc from 'fast-check';
import { BusinessHours } from '../../src/domain/business-hours';
import {
  decideDeployment,
  DeploymentFacts,
  deploymentDirectory,
  deploymentTitle,
  estimatedEnd,
  evolve,
  replayDeployment,
  isActiveDeployment,
  overrunBy,
  smokeProgress,
  waitingOn,
} from '../../src/domain/deployment';
import { Actor, DeploymentCommand, DeploymentEvent, DeploymentPhase, DeploymentState, EnvironmentRef } from '../../src/domain/types';
import { accepted, bosko, crew, jake, leads, luis, minutesAfter, outsider, rafaella, refused, steven, T0, VERSION } from './fixtures';

// Roles in `crew`: Steven is the IRC, Jake the Platform team; Bosko engineers this deployment and
// Luis and Rafaella validate it (Bosko is in the pool too, Jake and Steven are not).

const NY = 'America/New_York';
const weekdays: BusinessHours = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '18:00' };
const prod: EnvironmentRef = { key: 'bxci-production', name: 'BXCI Production' };
const staging: EnvironmentRef = { key: 'bxci-staging', name: 'BXCI Staging' };
const MIN = 60_000;

/** Tue 14 Apr 2026, 22:00–23:30 EDT; "now" (T0) is Fri 10 Apr 2026, 10:00 EDT. */
const WINDOW = { start: new Date('2026-04-15T02:00:00Z'), end: new Date('2026-04-15T03:30:00Z') };
const inWindow = (minutes: number) => new Date(WINDOW.start.getTime() + minutes * MIN);
const utc = (iso: string) => new Date(iso);
const windowOf = (start: string, end: string) => ({ start: utc(start), end: utc(end) });

type Schedule = Extract<DeploymentCommand, { type: 'schedule' }>;
const schedule = (extra: Partial<Schedule> = {}): Schedule => ({
  type: 'schedule',
  id: 'dep-1',
  version: VERSION,
  environment: prod,
  window: WINDOW,
  engineer: bosko.id,
  validators: [luis.id, rafaella.id],
  ...extra,
});

function context(extra: Partial<DeploymentFacts> = {}): DeploymentFacts {
  return {
    directory: crew,
    businessHours: weekdays,
    timeZone: NY,
    release: { promoted: true, hotfix: false },
    otherDeployments: [],
    ...extra,
  };
}

type Step = readonly [Actor, DeploymentCommand, Date];

/** Runs steps in order and fails loudly if one is refused. */
function play(steps: readonly Step[], ctx: DeploymentFacts = context()): DeploymentState {
  return steps.reduce<DeploymentState | undefined>((state, [actor, command, when], i) => {
    const outcome = decideDeployment(command, state, { ...ctx, actor: actor, now: when });
    if (outcome.kind === 'refusal') throw new Error(`step ${i} (${command.type}) was refused: ${outcome.code} ${outcome.reason}`);
    return outcome.state;
  }, undefined) as DeploymentState;
}

const smoke = (result: 'pass' | 'fail', notes = ''): DeploymentCommand => ({ type: 'smoke', result, notes });

const STEP = {
  schedule: [steven, schedule(), T0],
  confirm: [steven, { type: 'confirmOnCall', person: jake.id }, minutesAfter(1)],
  start: [steven, { type: 'start' }, inWindow(0)],
  ready: [bosko, { type: 'ready' }, inWindow(60)],
  stable: [jake, { type: 'stable' }, inWindow(70)],
  luisPasses: [luis, smoke('pass', 'loans list fine'), inWindow(75)],
  rafaellaPasses: [rafaella, smoke('pass'), inWindow(76)],
  live: [jake, { type: 'live' }, inWindow(80)],
} satisfies Record<string, Step>;

const scheduled = () => play([STEP.schedule]);
const covered = () => play([STEP.schedule, STEP.confirm]);
const inProgress = () => play([STEP.schedule, STEP.confirm, STEP.start]);
const readyState = () => play([STEP.schedule, STEP.confirm, STEP.start, STEP.ready]);
const stableState = () => play([STEP.schedule, STEP.confirm, STEP.start, STEP.ready, STEP.stable]);
const allPassed = () => play([STEP.schedule, STEP.confirm, STEP.start, STEP.ready, STEP.stable, STEP.luisPasses, STEP.rafaellaPasses]);
const liveState = () => play([STEP.schedule, STEP.confirm, STEP.start, STEP.ready, STEP.stable, STEP.luisPasses, STEP.rafaellaPasses, STEP.live]);
const cancelled = () => play([STEP.schedule, [steven, { type: 'cancel', reason: 'QA found a blocker' }, minutesAfter(2)]]);
const aborted = () => play([STEP.schedule, STEP.confirm, STEP.start, [steven, { type: 'abort', reason: 'migration failed' }, inWindow(20)]]);

const act = (state: DeploymentState | undefined, actor: Actor, command: DeploymentCommand, when: Date, ctx = context()) =>
  decideDeployment(command, state, { ...ctx, actor: actor, now: when });

/** Another deployment of `environment`, scheduled by Steven at T0. */
const other = (id: string, version: string, window: { start: Date; end: Date }, environment = prod) =>
  play([[steven, schedule({ id, version, window, environment }), T0]]);

describe('schedule (runbook 3.1)', () => {
  it('creates the deployment in the scheduled phase', () => {
    const outcome = accepted(act(undefined, steven, schedule({ validators: [luis.id, rafaella.id, luis.id] }), T0));
    expect(outcome.events).toEqual([
      {
        type: 'deploymentScheduled',
        id: 'dep-1',
        version: '2026.4.0',
        hotfix: false,
        environment: prod,
        window: { start: '2026-04-15T02:00:00.000Z', end: '2026-04-15T03:30:00.000Z' },
        engineer: bosko.id,
        validators: [luis.id, rafaella.id],
        by: steven.id,
        at: T0.toISOString(),
      },
    ]);
    expect(outcome.state).toEqual({
      id: 'dep-1',
      version: '2026.4.0',
      hotfix: false,
      environment: prod,
      window: { start: '2026-04-15T02:00:00.000Z', end: '2026-04-15T03:30:00.000Z' },
      scheduledBy: steven.id,
      engineer: bosko.id,
      validators: [luis.id, rafaella.id],
      phase: 'scheduled',
      phaseAt: { scheduled: T0.toISOString() },
      smoke: [],
      bugs: [],
      revision: 1,
    });
    expect(deploymentTitle(outcome.state)).toBe('Deploy 2026.4.0 to BXCI Production');
  });

  it('refuses anyone but an IRC, naming who can', () => {
    const refusal = refused(act(undefined, jake, schedule(), T0));
    expect(refusal).toEqual({
      kind: 'refusal',
      code: 'not-allowed',
      reason: 'Only an IRC can schedule a deployment — ask Steven Inouye.',
      hint: 'status 2026.4.0',
    });
  });

  it('refuses an id that is already a deployment', () => {
    const refusal = refused(act(scheduled(), steven, schedule(), minutesAfter(5)));
    expect(refusal.code).toBe('already-scheduled');
    expect(refusal.reason).toBe(
      'Deploy 2026.4.0 to BXCI Production is already scheduled as this deployment (Tue 14 Apr 2026, 22:00–23:30 EDT (Wed 15 Apr 02:00–03:30 UTC)).',
    );
  });

  it('refuses a release that does not exist', () => {
    const refusal = refused(act(undefined, steven, schedule(), T0, context({ release: undefined })));
    expect(refusal.code).toBe('no-release');
    expect(refusal.reason).toBe('There is no release 2026.4.0 to deploy; only a promoted release is scheduled.');
    expect(refusal.hint).toBe('status 2026.4.0');
  });

  it('refuses a release that is not promoted', () => {
    const refusal = refused(act(undefined, steven, schedule(), T0, context({ release: { promoted: false, hotfix: false } })));
    expect(refusal.code).toBe('not-promoted');
    expect(refusal.reason).toContain('2026.4.0 is not promoted yet; only a promoted release is scheduled.');
    expect(refusal.hint).toBe('status 2026.4.0');
  });

  describe('people', () => {
    it('refuses an engineer the bot does not know', () => {
      const refusal = refused(act(undefined, steven, schedule({ engineer: 'id-nobody' }), T0));
      expect(refusal.code).toBe('unknown-person');
      expect(refusal.reason).toBe('The deployment engineer “id-nobody” is not someone the bot knows; people are listed in its config.');
      expect(refusal.hint).toBe('schedule deploy');
    });

    it('refuses a blank engineer', () => {
      expect(refused(act(undefined, steven, schedule({ engineer: ' ' }), T0)).code).toBe('missing-input');
    });

    it('needs at least one validator, naming the pool', () => {
      const refusal = refused(act(undefined, steven, schedule({ validators: [] }), T0));
      expect(refusal.code).toBe('missing-input');
      expect(refusal.reason).toBe(
        'Deploy 2026.4.0 to BXCI Production needs at least one validator to smoke-test it; the pool is Luis Garcia, Bosko Kocev or Rafaella Barrocas.',
      );
    });

    it('refuses an unknown validator', () => {
      const refusal = refused(act(undefined, steven, schedule({ validators: [luis.id, 'id-ghost'] }), T0));
      expect(refusal.code).toBe('unknown-person');
      expect(refusal.reason).toContain('Validator “id-ghost” is not someone the bot knows');
    });

    it('refuses validators from outside the pool, naming them and the pool', () => {
      const refusal = refused(act(undefined, steven, schedule({ validators: [luis.id, jake.id, outsider.id] }), T0));
      expect(refusal.code).toBe('not-a-validator');
      expect(refusal.reason).toBe(
        'Jake Edgington and Olga Outsider are not in the validator pool; validators are picked from Luis Garcia, Bosko Kocev or Rafaella Barrocas.',
      );
    });

    it('refuses the engineer as one of the validators', () => {
      const refusal = refused(act(undefined, steven, schedule({ validators: [bosko.id, luis.id] }), T0));
      expect(refusal.code).toBe('invalid-input');
      expect(refusal.reason).toContain("Bosko Kocev is the deployment engineer, so can't also validate");
    });

    it('accepts an engineer from any team, including Platform', () => {
      expect(accepted(act(undefined, steven, schedule({ engineer: jake.id }), T0)).state.engineer).toBe(jake.id);
    });
  });

  describe('window length', () => {
    it.each([
      [15, true],
      [14, false],
      [8 * 60, true],
      [8 * 60 + 1, false],
    ])('a %p-minute window is accepted: %p', (minutes, ok) => {
      const outcome = act(undefined, steven, schedule({ window: { start: WINDOW.start, end: inWindow(minutes) } }), T0);
      expect(outcome.kind).toBe(ok ? 'accepted' : 'refusal');
    });

    it('says the bounds and the length given, and suggests the nearest allowed length', () => {
      const refusal = refused(act(undefined, steven, schedule({ window: { start: WINDOW.start, end: inWindow(10) } }), T0));
      expect(refusal.code).toBe('window-length');
      expect(refusal.reason).toBe(
        'A deployment window runs 15 minutes to 8 hours; Tue 14 Apr 2026, 22:00–22:10 EDT (Wed 15 Apr 02:00–02:10 UTC) is 10 minutes.',
      );
      expect(refusal.hint).toBe('schedule deploy 2026.4.0 to "BXCI Production" at 2026-04-14 22:00 for 15m');
    });

    it('caps an over-long window at 8 hours in the hint, moving it out of business hours if it must', () => {
      const evening = refused(act(undefined, steven, schedule({ window: { start: WINDOW.start, end: inWindow(9 * 60 + 30) } }), T0));
      expect(evening.reason).toContain('is 9 hours 30 minutes');
      // Tue 22:00 + 8h ends Wed 06:00, clear of business hours.
      expect(evening.hint).toBe('schedule deploy 2026.4.0 to "BXCI Production" at 2026-04-14 22:00 for 480m');
      // Wed 02:00 + 8h would run into Wednesday 09:00, so the first fit is Wednesday 18:00.
      const night = refused(act(undefined, steven, schedule({ window: windowOf('2026-04-15T06:00:00Z', '2026-04-15T16:00:00Z') }), T0));
      expect(night.hint).toBe('schedule deploy 2026.4.0 to "BXCI Production" at 2026-04-15 18:00 for 480m');
    });

    it('refuses a window that ends before it starts', () => {
      const refusal = refused(act(undefined, steven, schedule({ window: { start: WINDOW.end, end: WINDOW.start } }), T0));
      expect(refusal.code).toBe('window-length');
      expect(refusal.reason).toBe('The window for Deploy 2026.4.0 to BXCI Production ends before it starts.');
    });

    it('refuses an invalid date', () => {
      const refusal = refused(act(undefined, steven, schedule({ window: { start: new Date(NaN), end: WINDOW.end } }), T0));
      expect(refusal.code).toBe('invalid-input');
    });
  });

  describe('window in the future', () => {
    it('refuses a window that already started, suggesting the first evening slot', () => {
      const refusal = refused(act(undefined, steven, schedule({ window: windowOf('2026-04-10T12:00:00Z', '2026-04-10T13:30:00Z') }), T0));
      expect(refusal.code).toBe('window-in-past');
      expect(refusal.reason).toBe(
        'A window must start in the future; Fri 10 Apr 2026, 08:00–09:30 EDT (12:00–13:30 UTC) starts before now (Fri 10 Apr 2026, 10:00 EDT).',
      );
      expect(refusal.hint).toBe('schedule deploy 2026.4.0 to "BXCI Production" at 2026-04-10 18:00 for 90m');
    });

    it('refuses a window starting exactly now', () => {
      const refusal = refused(act(undefined, steven, schedule({ window: { start: WINDOW.start, end: inWindow(90) } }), WINDOW.start));
      expect(refusal.code).toBe('window-in-past');
    });
  });

  describe('business hours (Mon–Fri 09:00–18:00 New York)', () => {
    it('refuses a non-hotfix window overlapping them, naming the period and the first start after it', () => {
      const refusal = refused(act(undefined, steven, schedule({ window: windowOf('2026-04-14T21:00:00Z', '2026-04-14T22:30:00Z') }), T0));
      expect(refusal.code).toBe('in-business-hours');
      expect(refusal.reason).toBe(
        '2026.4.0 is not a hotfix, so its window may not overlap business hours: Tue 14 Apr 2026, 17:00–18:30 EDT (21:00–22:30 UTC) ' +
          'overlaps Tue 14 Apr 2026, 09:00–18:00 EDT. Only hotfixes deploy during business hours.',
      );
      expect(refusal.hint).toBe('schedule deploy 2026.4.0 to "BXCI Production" at 2026-04-14 18:00 for 90m');
    });

    it('refuses a window that starts before business hours and runs into them', () => {
      const refusal = refused(act(undefined, steven, schedule({ window: windowOf('2026-04-15T12:00:00Z', '2026-04-15T13:30:00Z') }), T0));
      expect(refusal.reason).toContain('overlaps Wed 15 Apr 2026, 09:00–18:00 EDT');
      expect(refusal.hint).toBe('schedule deploy 2026.4.0 to "BXCI Production" at 2026-04-15 18:00 for 90m');
    });

    it.each([
      ['ending exactly at 09:00', '2026-04-15T11:30:00Z', '2026-04-15T13:00:00Z'],
      ['starting exactly at 18:00', '2026-04-14T22:00:00Z', '2026-04-14T23:30:00Z'],
      ['across midnight', '2026-04-15T03:00:00Z', '2026-04-15T05:00:00Z'],
      ['on a Saturday afternoon', '2026-04-18T16:00:00Z', '2026-04-18T17:30:00Z'],
      ['over the whole of Sunday night into Monday 09:00', '2026-04-19T05:00:00Z', '2026-04-20T13:00:00Z'],
    ])('accepts a window %s', (_label, start, end) => {
      const window = windowOf(start, end);
      const minutes = (window.end.getTime() - window.start.getTime()) / MIN;
      if (minutes > 8 * 60) {
        // Longer than a window may be: only the business-hours rule is under test here.
        expect(refused(act(undefined, steven, schedule({ window }), T0)).code).toBe('window-length');
      } else {
        expect(accepted(act(undefined, steven, schedule({ window }), T0)).state.window.start).toBe(window.start.toISOString());
      }
    });

    it('lets a hotfix be scheduled during business hours, and remembers it is one', () => {
      const ctx = context({ release: { promoted: true, hotfix: true } });
      const window = windowOf('2026-04-14T15:00:00Z', '2026-04-14T16:30:00Z');
      const state = accepted(act(undefined, steven, schedule({ version: '2026.4.1', window }), T0, ctx)).state;
      expect(state.hotfix).toBe(true);
      expect(state.window.start).toBe('2026-04-14T15:00:00.000Z');
    });
  });

  describe('one environment, one deployment at a time', () => {
    const earlier = () => other('dep-0', '2026.3.2', windowOf('2026-04-15T02:30:00Z', '2026-04-15T03:30:00Z'));

    it('refuses an overlapping window, naming the other deployment and its window, and suggests the first free start', () => {
      const refusal = refused(act(undefined, steven, schedule(), T0, context({ otherDeployments: [earlier()] })));
      expect(refusal.code).toBe('window-conflict');
      expect(refusal.reason).toBe(
        'BXCI Production already has Deploy 2026.3.2 to BXCI Production (scheduled) in Tue 14 Apr 2026, 22:30–23:30 EDT (Wed 15 Apr 02:30–03:30 UTC), ' +
          'which overlaps Tue 14 Apr 2026, 22:00–23:30 EDT (Wed 15 Apr 02:00–03:30 UTC); two deployments to one environment may not overlap.',
      );
      expect(refusal.hint).toBe('schedule deploy 2026.4.0 to "BXCI Production" at 2026-04-14 23:30 for 90m');
    });

    it('skips business hours as well as other deployments when suggesting a start', () => {
      const dawn = other('dep-0', '2026.3.2', windowOf('2026-04-15T11:00:00Z', '2026-04-15T12:30:00Z'));
      const window = windowOf('2026-04-15T11:30:00Z', '2026-04-15T13:00:00Z');
      const refusal = refused(act(undefined, steven, schedule({ window }), T0, context({ otherDeployments: [dawn] })));
      expect(refusal.code).toBe('window-conflict');
      expect(refusal.hint).toBe('schedule deploy 2026.4.0 to "BXCI Production" at 2026-04-15 18:00 for 90m');
    });

    it('ignores other environments, windows that only touch, and finished deployments', () => {
      const elsewhere = other('dep-s', '2026.3.2', WINDOW, staging);
      const before = other('dep-b', '2026.3.2', windowOf('2026-04-15T00:30:00Z', '2026-04-15T02:00:00Z'));
      const after = other('dep-a', '2026.3.2', windowOf('2026-04-15T03:30:00Z', '2026-04-15T05:00:00Z'));
      const gone = [cancelled(), aborted(), liveState()].map((state, i) => ({ ...state, id: `dep-x${i}` }));
      const ctx = context({ otherDeployments: [elsewhere, before, after, ...gone] });
      expect(accepted(act(undefined, steven, schedule(), T0, ctx)).state.phase).toBe('scheduled');
    });

    it('applies to hotfixes too', () => {
      const ctx = context({ release: { promoted: true, hotfix: true }, otherDeployments: [earlier()] });
      expect(refused(act(undefined, steven, schedule(), T0, ctx)).code).toBe('window-conflict');
    });
  });
});

describe('reschedule', () => {
  const thursdayNight = windowOf('2026-04-16T02:00:00Z', '2026-04-16T03:30:00Z');

  it('moves the window and voids on-call coverage confirmed for the old one', () => {
    const before = covered();
    const outcome = accepted(act(before, steven, { type: 'reschedule', window: thursdayNight }, minutesAfter(5)));
    expect(outcome.events).toEqual([
      {
        type: 'deploymentRescheduled',
        from: before.window,
        window: { start: '2026-04-16T02:00:00.000Z', end: '2026-04-16T03:30:00.000Z' },
        voidedOnCall: before.onCall,
        by: steven.id,
        at: minutesAfter(5).toISOString(),
      },
    ]);
    expect(outcome.state.window).toEqual({ start: '2026-04-16T02:00:00.000Z', end: '2026-04-16T03:30:00.000Z' });
    expect(outcome.state.onCall).toBeUndefined();
    expect(outcome.state.phase).toBe('scheduled');
  });

  it('records no voided coverage when there was none', () => {
    const outcome = accepted(act(scheduled(), steven, { type: 'reschedule', window: thursdayNight }, minutesAfter(5)));
    expect(outcome.events[0]).not.toHaveProperty('voidedOnCall');
  });

  it('refuses anyone but an IRC', () => {
    const refusal = refused(act(scheduled(), jake, { type: 'reschedule', window: thursdayNight }, minutesAfter(5)));
    expect(refusal.code).toBe('not-allowed');
    expect(refusal.reason).toBe('Only an IRC can reschedule Deploy 2026.4.0 to BXCI Production — ask Steven Inouye.');
  });

  it('refuses once started, pointing to abort', () => {
    const refusal = refused(act(inProgress(), steven, { type: 'reschedule', window: thursdayNight }, inWindow(5)));
    expect(refusal.code).toBe('wrong-phase');
    expect(refusal.reason).toBe(
      "Deploy 2026.4.0 to BXCI Production is in progress since Tue 14 Apr 2026, 22:00 EDT; a started deployment can't be moved. " +
        'Abort it and schedule a new one.',
    );
    expect(refusal.hint).toBe('abort <reason>');
  });

  it('refuses the window it already has', () => {
    expect(refused(act(scheduled(), steven, { type: 'reschedule', window: WINDOW }, minutesAfter(5))).code).toBe('invalid-input');
  });

  it('checks the new window like a new schedule: business hours, past, conflicts', () => {
    const at = minutesAfter(5);
    const office = windowOf('2026-04-16T14:00:00Z', '2026-04-16T15:30:00Z');
    const business = refused(act(scheduled(), steven, { type: 'reschedule', window: office }, at));
    expect(business.code).toBe('in-business-hours');
    expect(business.hint).toBe('reschedule deploy 2026.4.0 to "BXCI Production" at 2026-04-16 18:00 for 90m');
    const past = windowOf('2026-04-09T02:00:00Z', '2026-04-09T03:30:00Z');
    expect(refused(act(scheduled(), steven, { type: 'reschedule', window: past }, at)).code).toBe('window-in-past');
    const taken = other('dep-0', '2026.3.2', thursdayNight);
    expect(refused(act(scheduled(), steven, { type: 'reschedule', window: thursdayNight }, at, context({ otherDeployments: [taken] }))).code).toBe(
      'window-conflict',
    );
  });

  it('does not conflict with itself when the caller lists it among the environment’s deployments', () => {
    const state = scheduled();
    const moved = windowOf('2026-04-15T02:30:00Z', '2026-04-15T04:00:00Z');
    expect(accepted(act(state, steven, { type: 'reschedule', window: moved }, minutesAfter(5), context({ otherDeployments: [state] }))).state.window.start).toBe(
      '2026-04-15T02:30:00.000Z',
    );
  });

  it('lets a hotfix deployment move into business hours', () => {
    const ctx = context({ release: { promoted: true, hotfix: true } });
    const state = play([[steven, schedule(), T0]], ctx);
    const office = windowOf('2026-04-16T14:00:00Z', '2026-04-16T15:30:00Z');
    expect(accepted(act(state, steven, { type: 'reschedule', window: office }, minutesAfter(5), ctx)).state.window.start).toBe(
      '2026-04-16T14:00:00.000Z',
    );
  });

  it('refuses after the deployment is cancelled', () => {
    expect(refused(act(cancelled(), steven, { type: 'reschedule', window: thursdayNight }, minutesAfter(5))).code).toBe('deployment-finished');
  });
});

describe('cancel', () => {
  it('cancels a scheduled deployment with a reason', () => {
    const outcome = accepted(act(scheduled(), steven, { type: 'cancel', reason: '  QA found a blocker ' }, minutesAfter(2)));
    expect(outcome.events).toEqual([{ type: 'deploymentCancelled', reason: 'QA found a blocker', by: steven.id, at: minutesAfter(2).toISOString() }]);
    expect(outcome.state.phase).toBe('cancelled');
    expect(outcome.state.phaseAt.cancelled).toBe(minutesAfter(2).toISOString());
    expect(outcome.state.cancelled).toEqual({ reason: 'QA found a blocker', by: steven.id, at: minutesAfter(2).toISOString(), during: 'scheduled' });
    expect(isActiveDeployment(outcome.state)).toBe(false);
  });

  it('refuses anyone but an IRC', () => {
    expect(refused(act(scheduled(), bosko, { type: 'cancel', reason: 'x' }, minutesAfter(2))).code).toBe('not-allowed');
  });

  it('needs a reason', () => {
    const refusal = refused(act(scheduled(), steven, { type: 'cancel', reason: ' ' }, minutesAfter(2)));
    expect(refusal.code).toBe('missing-input');
    expect(refusal.hint).toBe('cancel <reason>');
  });

  it('refuses once started, pointing to abort', () => {
    const refusal = refused(act(inProgress(), steven, { type: 'cancel', reason: 'x' }, inWindow(5)));
    expect(refusal.code).toBe('wrong-phase');
    expect(refusal.hint).toBe('abort <reason>');
  });

  it('refuses a second cancel, saying who cancelled and suggesting a new schedule', () => {
    const refusal = refused(act(cancelled(), steven, { type: 'cancel', reason: 'again' }, minutesAfter(3)));
    expect(refusal.code).toBe('deployment-finished');
    expect(refusal.reason).toBe(
      'Deploy 2026.4.0 to BXCI Production was cancelled by Steven Inouye on Fri 10 Apr 2026, 10:02 EDT (“QA found a blocker”); nothing more happens in it.',
    );
    expect(refusal.hint).toBe('schedule deploy 2026.4.0 to "BXCI Production" at 2026-04-10 18:00 for 90m');
  });
});

describe('on-call coverage (runbook 3.3)', () => {
  it('an IRC confirms the on-call engineer', () => {
    const outcome = accepted(act(scheduled(), steven, { type: 'confirmOnCall', person: jake.id }, minutesAfter(1)));
    expect(outcome.events).toEqual([{ type: 'onCallConfirmed', person: jake.id, by: steven.id, at: minutesAfter(1).toISOString() }]);
    expect(outcome.state.onCall).toEqual({ kind: 'confirmed', person: jake.id, by: steven.id, at: minutesAfter(1).toISOString() });
  });

  it('an IRC overrides with another person and a reason, replacing a confirmation', () => {
    const outcome = accepted(act(covered(), steven, { type: 'overrideOnCall', person: luis.id, reason: ' Jake is ill ' }, minutesAfter(2)));
    expect(outcome.events).toEqual([
      { type: 'onCallOverridden', person: luis.id, reason: 'Jake is ill', by: steven.id, at: minutesAfter(2).toISOString() },
    ]);
    expect(outcome.state.onCall).toEqual({ kind: 'overridden', person: luis.id, reason: 'Jake is ill', by: steven.id, at: minutesAfter(2).toISOString() });
  });

  it('a confirmation replaces an override, and a different person can be confirmed', () => {
    const overridden = play([STEP.schedule, [steven, { type: 'overrideOnCall', person: luis.id, reason: 'r' }, minutesAfter(1)]]);
    expect(accepted(act(overridden, steven, { type: 'confirmOnCall', person: luis.id }, minutesAfter(2))).state.onCall?.kind).toBe('confirmed');
    expect(accepted(act(covered(), steven, { type: 'confirmOnCall', person: luis.id }, minutesAfter(2))).state.onCall?.person).toBe(luis.id);
  });

  it('refuses confirming the same person twice', () => {
    const refusal = refused(act(covered(), steven, { type: 'confirmOnCall', person: jake.id }, minutesAfter(2)));
    expect(refusal.code).toBe('already-decided');
    expect(refusal.reason).toBe(
      'Steven Inouye already confirmed Jake Edgington as on-call for Deploy 2026.4.0 to BXCI Production on Fri 10 Apr 2026, 10:01 EDT.',
    );
  });

  it('may change during the window, and not after it ends', () => {
    expect(accepted(act(inProgress(), steven, { type: 'overrideOnCall', person: luis.id, reason: 'r' }, inWindow(5))).state.phase).toBe('in-progress');
    expect(refused(act(liveState(), steven, { type: 'confirmOnCall', person: luis.id }, inWindow(90))).code).toBe('deployment-finished');
  });

  it.each([
    ['confirm', { type: 'confirmOnCall', person: jake.id }],
    ['override', { type: 'overrideOnCall', person: jake.id, reason: 'r' }],
  ] as const)('refuses a %s from anyone but an IRC', (_label, command) => {
    const refusal = refused(act(scheduled(), jake, command, minutesAfter(1)));
    expect(refusal.code).toBe('not-allowed');
    expect(refusal.reason).toMatch(/^Only an IRC can (confirm|override) on-call coverage — ask Steven Inouye\.$/);
  });

  it('refuses unknown or missing people, and an override without a reason', () => {
    expect(refused(act(scheduled(), steven, { type: 'confirmOnCall', person: 'id-nobody' }, minutesAfter(1))).code).toBe('unknown-person');
    expect(refused(act(scheduled(), steven, { type: 'confirmOnCall', person: '' }, minutesAfter(1))).code).toBe('missing-input');
    expect(refused(act(scheduled(), steven, { type: 'overrideOnCall', person: 'id-nobody', reason: 'r' }, minutesAfter(1))).code).toBe(
      'unknown-person',
    );
    const noReason = refused(act(scheduled(), steven, { type: 'overrideOnCall', person: luis.id, reason: '' }, minutesAfter(1)));
    expect(noReason.code).toBe('missing-input');
    expect(noReason.hint).toBe('override on-call Luis Garcia <reason>');
  });
});

describe('start (runbook 4.1)', () => {
  it('an IRC starts a covered deployment once the window opens', () => {
    const outcome = accepted(act(covered(), steven, { type: 'start' }, inWindow(0)));
    expect(outcome.events).toEqual([{ type: 'deploymentStarted', by: steven.id, at: inWindow(0).toISOString() }]);
    expect(outcome.state.phase).toBe('in-progress');
    expect(outcome.state.phaseAt['in-progress']).toBe(inWindow(0).toISOString());
  });

  it('an overridden coverage counts', () => {
    const state = play([STEP.schedule, [steven, { type: 'overrideOnCall', person: luis.id, reason: 'r' }, minutesAfter(1)]]);
    expect(accepted(act(state, steven, { type: 'start' }, inWindow(10))).state.phase).toBe('in-progress');
  });

  it('refuses to start until on-call coverage is confirmed', () => {
    const refusal = refused(act(scheduled(), steven, { type: 'start' }, inWindow(0)));
    expect(refusal.code).toBe('on-call-unconfirmed');
    expect(refusal.reason).toBe(
      "Deploy 2026.4.0 to BXCI Production can't start until on-call coverage is confirmed, or overridden with another person.",
    );
    expect(refusal.hint).toBe('confirm on-call <person>');
  });

  it('refuses a reschedule’s voided coverage too', () => {
    const moved = play([STEP.schedule, STEP.confirm, [steven, { type: 'reschedule', window: windowOf('2026-04-15T02:30:00Z', '2026-04-15T04:00:00Z') }, minutesAfter(2)]]);
    expect(refused(act(moved, steven, { type: 'start' }, inWindow(30))).code).toBe('on-call-unconfirmed');
  });

  it('refuses before the announced window opens', () => {
    const refusal = refused(act(covered(), steven, { type: 'start' }, inWindow(-5)));
    expect(refusal.code).toBe('window-not-open');
    expect(refusal.reason).toBe(
      'The window for Deploy 2026.4.0 to BXCI Production opens at Tue 14 Apr 2026, 22:00 EDT, as announced to the company; start it then.',
    );
    expect(refusal.hint).toBe('start');
  });

  it('refuses once the window has closed, suggesting a reschedule', () => {
    const refusal = refused(act(covered(), steven, { type: 'start' }, WINDOW.end));
    expect(refusal.code).toBe('window-passed');
    expect(refusal.hint).toBe('reschedule deploy 2026.4.0 to "BXCI Production" at 2026-04-14 23:30 for 90m');
  });

  it('refuses anyone but an IRC', () => {
    const refusal = refused(act(covered(), jake, { type: 'start' }, inWindow(0)));
    expect(refusal.code).toBe('not-allowed');
    expect(refusal.reason).toBe('Only an IRC can start Deploy 2026.4.0 to BXCI Production — ask Steven Inouye.');
  });

  it('refuses a second start', () => {
    const refusal = refused(act(inProgress(), steven, { type: 'start' }, inWindow(1)));
    expect(refusal.code).toBe('wrong-phase');
    expect(refusal.reason).toBe('Deploy 2026.4.0 to BXCI Production is already in progress since Tue 14 Apr 2026, 22:00 EDT.');
    expect(refusal.hint).toBe('ready');
  });
});

describe('ready and stable (runbook 4.2, 4.3)', () => {
  it.each([
    ['the engineer', bosko],
    ['the Platform team', jake],
  ])('%s signals ready', (_label, actor) => {
    const outcome = accepted(act(inProgress(), actor, { type: 'ready' }, inWindow(60)));
    expect(outcome.events).toEqual([{ type: 'deploymentReady', by: actor.id, at: inWindow(60).toISOString() }]);
    expect(outcome.state.phase).toBe('ready');
    expect(outcome.state.phaseAt.ready).toBe(inWindow(60).toISOString());
  });

  it.each([
    ['the Platform team', jake],
    ['the engineer (runbook roles: the engineer confirms stability)', bosko],
  ])('%s confirms stable', (_label, actor) => {
    const outcome = accepted(act(readyState(), actor, { type: 'stable' }, inWindow(70)));
    expect(outcome.events).toEqual([{ type: 'deploymentStable', by: actor.id, at: inWindow(70).toISOString() }]);
    expect(outcome.state.phase).toBe('stable');
  });

  it.each([
    ['ready', steven, () => inProgress()],
    ['ready', luis, () => inProgress()],
    ['stable', outsider, () => readyState()],
    ['stable', steven, () => readyState()],
  ] as const)('refuses %s from %p', (type, actor, state) => {
    const refusal = refused(act(state(), actor, { type }, inWindow(60)));
    expect(refusal.code).toBe('not-allowed');
    expect(refusal.reason).toMatch(/^Only the deployment engineer \(Bosko Kocev\) or the Platform team \(Jake Edgington\) can /);
  });

  it('refuses ready before the deployment started, saying what comes first', () => {
    const refusal = refused(act(covered(), bosko, { type: 'ready' }, inWindow(0)));
    expect(refusal.code).toBe('wrong-phase');
    expect(refusal.reason).toBe(
      'Deploy 2026.4.0 to BXCI Production is scheduled for Tue 14 Apr 2026, 22:00–23:30 EDT (Wed 15 Apr 02:00–03:30 UTC) and not started; ' +
        'ready comes after an IRC starts the deployment.',
    );
    expect(refusal.hint).toBe('start');
  });

  it('refuses stable before ready, and each step twice', () => {
    const early = refused(act(inProgress(), jake, { type: 'stable' }, inWindow(30)));
    expect(early.code).toBe('wrong-phase');
    expect(early.reason).toContain('stable comes after the deployment is ready');
    expect(early.hint).toBe('ready');
    const twice = refused(act(readyState(), bosko, { type: 'ready' }, inWindow(61)));
    expect(twice.reason).toBe('Deploy 2026.4.0 to BXCI Production is already ready since Tue 14 Apr 2026, 23:00 EDT.');
    expect(twice.hint).toBe('stable');
    expect(refused(act(stableState(), jake, { type: 'stable' }, inWindow(71))).code).toBe('wrong-phase');
    expect(refused(act(stableState(), jake, { type: 'ready' }, inWindow(71))).code).toBe('wrong-phase');
  });
});

describe('smoke tests (runbook 4.4)', () => {
  it('a validator records a pass', () => {
    const outcome = accepted(act(stableState(), luis, smoke('pass', '  loans list fine '), inWindow(75)));
    expect(outcome.events).toEqual([{ type: 'smokeRecorded', result: 'pass', notes: 'loans list fine', by: luis.id, at: inWindow(75).toISOString() }]);
    expect(outcome.state.smoke).toEqual([{ validator: luis.id, result: 'pass', notes: 'loans list fine', at: inWindow(75).toISOString() }]);
    expect(smokeProgress(outcome.state)).toEqual({ passed: [luis.id], failed: [], pending: [rafaella.id] });
  });

  it('a validator may change their result until live; results stay in validator order', () => {
    const state = play([STEP.schedule, STEP.confirm, STEP.start, STEP.ready, STEP.stable, [rafaella, smoke('fail', 'export 500s'), inWindow(75)], STEP.luisPasses]);
    expect(state.smoke.map((entry) => entry.validator)).toEqual([luis.id, rafaella.id]);
    const outcome = accepted(act(state, rafaella, smoke('pass', 'fixed by config'), inWindow(85)));
    expect(outcome.events[0]).toEqual(expect.objectContaining({ type: 'smokeRecorded', result: 'pass', previous: 'fail' }));
    expect(outcome.state.smoke).toEqual([
      expect.objectContaining({ validator: luis.id, result: 'pass' }),
      { validator: rafaella.id, result: 'pass', notes: 'fixed by config', at: inWindow(85).toISOString() },
    ]);
  });

  it('refuses anyone who is not a validator of this deployment, naming them', () => {
    for (const actor of [jake, bosko, steven]) {
      const refusal = refused(act(stableState(), actor, smoke('pass'), inWindow(75)));
      expect(refusal.code).toBe('not-allowed');
      expect(refusal.reason).toBe('Only the validators of Deploy 2026.4.0 to BXCI Production record smoke-test results: Luis Garcia and Rafaella Barrocas.');
    }
  });

  it('refuses before the environment is stable', () => {
    const refusal = refused(act(readyState(), luis, smoke('pass'), inWindow(65)));
    expect(refusal.code).toBe('wrong-phase');
    expect(refusal.reason).toContain('smoke tests come after the environment is confirmed stable');
    expect(refusal.hint).toBe('stable');
  });

  it('a fail needs notes; a pass does not', () => {
    const refusal = refused(act(stableState(), luis, smoke('fail', ' '), inWindow(75)));
    expect(refusal.code).toBe('missing-input');
    expect(refusal.hint).toBe('smoke fail <what failed>');
    expect(accepted(act(stableState(), luis, smoke('pass'), inWindow(75))).state.smoke[0].notes).toBe('');
  });

  it('refuses after live', () => {
    const refusal = refused(act(liveState(), luis, smoke('fail', 'late find'), inWindow(95)));
    expect(refusal.code).toBe('deployment-finished');
    expect(refusal.hint).toBe('bug <title>');
  });
});

describe('live (runbook 4.5)', () => {
  it('Platform takes it live on every validator’s pass', () => {
    const outcome = accepted(act(allPassed(), jake, { type: 'live' }, inWindow(80)));
    expect(outcome.events).toEqual([{ type: 'deploymentLive', by: jake.id, at: inWindow(80).toISOString() }]);
    expect(outcome.state.phase).toBe('live');
    expect(outcome.state.phaseAt.live).toBe(inWindow(80).toISOString());
    expect(outcome.state.liveOverride).toBeUndefined();
    expect(isActiveDeployment(outcome.state)).toBe(false);
  });

  it('an override reason given with every pass in is not recorded', () => {
    const outcome = accepted(act(allPassed(), jake, { type: 'live', overrideReason: 'just in case' }, inWindow(80)));
    expect(outcome.events[0]).not.toHaveProperty('override');
  });

  it('refuses without every pass, saying who failed and who has not reported', () => {
    const state = play([STEP.schedule, STEP.confirm, STEP.start, STEP.ready, STEP.stable, [luis, smoke('fail', 'totals off'), inWindow(75)]]);
    const refusal = refused(act(state, jake, { type: 'live' }, inWindow(80)));
    expect(refusal.code).toBe('smoke-incomplete');
    expect(refusal.reason).toBe(
      "Deploy 2026.4.0 to BXCI Production goes live on every validator's pass: Luis Garcia failed; Rafaella Barrocas has not reported. " +
        'An IRC can take it live anyway with a reason, which is recorded.',
    );
    expect(refusal.hint).toBe('smoke pass <notes>');
    expect(refused(act(state, steven, { type: 'live' }, inWindow(80))).hint).toBe('live override <reason>');
  });

  it('an IRC takes it live without every pass when giving a reason, which is recorded', () => {
    const state = play([STEP.schedule, STEP.confirm, STEP.start, STEP.ready, STEP.stable, STEP.luisPasses]);
    const outcome = accepted(act(state, steven, { type: 'live', overrideReason: ' Rafaella unreachable; Luis covered her checks ' }, inWindow(85)));
    expect(outcome.events).toEqual([
      {
        type: 'deploymentLive',
        override: { reason: 'Rafaella unreachable; Luis covered her checks', without: [rafaella.id] },
        by: steven.id,
        at: inWindow(85).toISOString(),
      },
    ]);
    expect(outcome.state.liveOverride).toEqual({
      reason: 'Rafaella unreachable; Luis covered her checks',
      without: [rafaella.id],
      by: steven.id,
      at: inWindow(85).toISOString(),
    });
  });

  it('refuses an override from Platform (go/no-go is the IRC’s call)', () => {
    const refusal = refused(act(stableState(), jake, { type: 'live', overrideReason: 'trust me' }, inWindow(80)));
    expect(refusal.code).toBe('not-allowed');
    expect(refusal.reason).toBe(
      "Only an IRC can take a deployment live without every validator's pass (Luis Garcia and Rafaella Barrocas have not reported) — ask Steven Inouye.",
    );
  });

  it('refuses an IRC declaring live when every pass is in (that is Platform’s signal)', () => {
    const refusal = refused(act(allPassed(), steven, { type: 'live' }, inWindow(80)));
    expect(refusal.code).toBe('not-allowed');
    expect(refusal.reason).toContain('Only the Platform team can declare Deploy 2026.4.0 to BXCI Production live');
  });

  it('refuses anyone else', () => {
    const refusal = refused(act(allPassed(), luis, { type: 'live' }, inWindow(80)));
    expect(refusal.code).toBe('not-allowed');
    expect(refusal.reason).toBe('Only the Platform team can declare Deploy 2026.4.0 to BXCI Production live — ask Jake Edgington.');
  });

  it('refuses before stable, even with an override', () => {
    const refusal = refused(act(readyState(), steven, { type: 'live', overrideReason: 'r' }, inWindow(65)));
    expect(refusal.code).toBe('wrong-phase');
    expect(refusal.reason).toContain('live comes after the environment is confirmed stable');
  });

  it('refuses a second live, pointing to filing bugs', () => {
    const refusal = refused(act(liveState(), jake, { type: 'live' }, inWindow(81)));
    expect(refusal.code).toBe('deployment-finished');
    expect(refusal.reason).toBe(
      'Deploy 2026.4.0 to BXCI Production went live on Tue 14 Apr 2026, 23:20 EDT; nothing more happens in it. ' +
        'Problems found now are filed as bugs in #production-support.',
    );
    expect(refusal.hint).toBe('bug <title>');
  });
});

describe('abort', () => {
  it.each<[DeploymentPhase, () => DeploymentState]>([
    ['scheduled', covered],
    ['in-progress', inProgress],
    ['ready', readyState],
    ['stable', stableState],
  ])('an IRC aborts from %s with a reason', (phase, state) => {
    const outcome = accepted(act(state(), steven, { type: 'abort', reason: ' rollback: migration failed ' }, inWindow(85)));
    expect(outcome.events).toEqual([
      { type: 'deploymentAborted', reason: 'rollback: migration failed', during: phase, by: steven.id, at: inWindow(85).toISOString() },
    ]);
    expect(outcome.state.phase).toBe('aborted');
    expect(outcome.state.aborted).toEqual({ reason: 'rollback: migration failed', by: steven.id, at: inWindow(85).toISOString(), during: phase });
  });

  it('refuses anyone but an IRC, and an abort without a reason', () => {
    expect(refused(act(inProgress(), jake, { type: 'abort', reason: 'r' }, inWindow(5))).code).toBe('not-allowed');
    const refusal = refused(act(inProgress(), steven, { type: 'abort', reason: '' }, inWindow(5)));
    expect(refusal.code).toBe('missing-input');
    expect(refusal.hint).toBe('abort <reason>');
  });

  it.each([
    ['live', liveState],
    ['aborted', aborted],
    ['cancelled', cancelled],
  ] as const)('refuses once %s', (_phase, state) => {
    expect(refused(act(state(), steven, { type: 'abort', reason: 'r' }, inWindow(95))).code).toBe('deployment-finished');
  });

  it('says who aborted when anything acts afterwards', () => {
    const refusal = refused(act(aborted(), bosko, { type: 'ready' }, inWindow(30)));
    expect(refusal.reason).toBe(
      'Deploy 2026.4.0 to BXCI Production was aborted by Steven Inouye on Tue 14 Apr 2026, 22:20 EDT (“migration failed”); nothing more happens in it.',
    );
    expect(refusal.hint).toBe('schedule deploy 2026.4.0 to "BXCI Production" at 2026-04-14 22:30 for 90m');
  });
});

describe('nothing acts after live, aborted or cancelled', () => {
  const commands: DeploymentCommand[] = [
    { type: 'reschedule', window: windowOf('2026-04-16T02:00:00Z', '2026-04-16T03:30:00Z') },
    { type: 'cancel', reason: 'r' },
    { type: 'confirmOnCall', person: jake.id },
    { type: 'overrideOnCall', person: luis.id, reason: 'r' },
    { type: 'start' },
    { type: 'abort', reason: 'r' },
  ];
  it.each(commands.map((command) => [command.type, command] as const))('%s is refused by an IRC', (_type, command) => {
    for (const state of [liveState(), aborted(), cancelled()]) {
      expect(refused(act(state, steven, command, inWindow(95))).code).toBe('deployment-finished');
    }
  });

  it.each([
    ['ready', bosko],
    ['stable', jake],
    ['live', jake],
  ] as const)('%s is refused', (type, actor) => {
    for (const state of [liveState(), aborted(), cancelled()]) {
      expect(refused(act(state, actor, { type }, inWindow(95))).code).toBe('deployment-finished');
    }
  });
});

describe('recordMeeting (Graph integration, runbook 3.1)', () => {
  const meeting: DeploymentCommand = { type: 'recordMeeting', joinUrl: 'https://teams.microsoft.com/l/meetup-join/abc', meetingId: ' m-1 ' };

  it('records the meeting and replaces it when recorded again', () => {
    const first = accepted(act(scheduled(), steven, meeting, minutesAfter(1)));
    expect(first.events).toEqual([
      { type: 'meetingRecorded', joinUrl: 'https://teams.microsoft.com/l/meetup-join/abc', meetingId: 'm-1', by: steven.id, at: minutesAfter(1).toISOString() },
    ]);
    expect(first.state.meeting).toEqual({ joinUrl: 'https://teams.microsoft.com/l/meetup-join/abc', meetingId: 'm-1', at: minutesAfter(1).toISOString() });
    const second = accepted(act(first.state, steven, { type: 'recordMeeting', joinUrl: 'https://teams.example/2', meetingId: 'm-2' }, minutesAfter(2)));
    expect(second.state.meeting?.meetingId).toBe('m-2');
  });

  it('records a meeting Graph created as the deployment ended, so cancelling it knows the meeting; the same meeting twice changes nothing', () => {
    for (const state of [cancelled(), aborted()]) {
      const recorded = accepted(act(state, steven, meeting, minutesAfter(200)));
      expect(recorded.state.meeting?.meetingId).toBe('m-1');
      expect(accepted(act(recorded.state, steven, meeting, minutesAfter(201))).events).toEqual([]);
    }
  });

  it('refuses a join link that is not a web link, and a missing meeting id', () => {
    expect(refused(act(scheduled(), steven, { type: 'recordMeeting', joinUrl: 'teams:meeting', meetingId: 'm' }, T0)).code).toBe('invalid-input');
    expect(refused(act(scheduled(), steven, { type: 'recordMeeting', joinUrl: 'https://t.example', meetingId: '' }, T0)).code).toBe('missing-input');
  });
});

describe('recordIssue (GitHub, runbook 5)', () => {
  it('puts the filed issue on its bug once; a second filing of the same bug changes nothing, an unknown bug is refused', () => {
    const reported = accepted(act(liveState(), luis, { type: 'recordBug', title: 'Totals off' }, inWindow(200))).state;
    const filed = accepted(act(reported, jake, { type: 'recordIssue', bug: 0, url: 'https://github.com/lendos/lendos/issues/9', issue: 9 }, inWindow(201)));
    expect(filed.events).toEqual([{ type: 'bugFiled', bug: 0, url: 'https://github.com/lendos/lendos/issues/9', issue: 9, by: jake.id, at: inWindow(201).toISOString() }]);
    expect(filed.state.bugs[0]).toMatchObject({ title: 'Totals off', url: 'https://github.com/lendos/lendos/issues/9', issue: 9 });
    expect(accepted(act(filed.state, jake, { type: 'recordIssue', bug: 0, url: 'https://github.com/lendos/lendos/issues/10', issue: 10 }, inWindow(202))).events).toEqual([]);
    expect(refused(act(filed.state, jake, { type: 'recordIssue', bug: 3, url: 'https://github.com/x/y/issues/1', issue: 1 }, inWindow(202))).code).toBe('invalid-input');
  });
});

describe('recordBug (runbook 5)', () => {
  it('anyone files a bug against a live deployment; the link is optional', () => {
    const outcome = accepted(act(liveState(), outsider, { type: 'recordBug', title: ' Totals off by a cent ', url: 'https://github.com/lendos/lendos/issues/7' }, inWindow(200)));
    expect(outcome.events).toEqual([
      { type: 'bugRecorded', title: 'Totals off by a cent', url: 'https://github.com/lendos/lendos/issues/7', by: outsider.id, at: inWindow(200).toISOString() },
    ]);
    const second = accepted(act(outcome.state, luis, { type: 'recordBug', title: 'Slow export' }, inWindow(210)));
    expect(second.state.bugs).toEqual([
      { title: 'Totals off by a cent', url: 'https://github.com/lendos/lendos/issues/7', at: inWindow(200).toISOString(), by: outsider.id },
      { title: 'Slow export', at: inWindow(210).toISOString(), by: luis.id },
    ]);
    expect(second.state.phase).toBe('live');
  });

  it('accepts bugs found during the window and after an abort', () => {
    expect(accepted(act(stableState(), luis, { type: 'recordBug', title: 'x' }, inWindow(75))).state.bugs).toHaveLength(1);
    expect(accepted(act(aborted(), luis, { type: 'recordBug', title: 'x' }, inWindow(75))).state.bugs).toHaveLength(1);
  });

  it('refuses before anything was deployed, or for a cancelled deployment', () => {
    expect(refused(act(covered(), luis, { type: 'recordBug', title: 'x' }, minutesAfter(5))).code).toBe('wrong-phase');
    expect(refused(act(cancelled(), luis, { type: 'recordBug', title: 'x' }, minutesAfter(5))).code).toBe('deployment-finished');
  });

  it('needs a title, and a web link if a link is given', () => {
    const blank = refused(act(liveState(), luis, { type: 'recordBug', title: ' ' }, inWindow(200)));
    expect(blank.code).toBe('missing-input');
    expect(blank.hint).toBe('bug <title>');
    expect(refused(act(liveState(), luis, { type: 'recordBug', title: 'x', url: 'issue 7' }, inWindow(200))).code).toBe('invalid-input');
  });
});

describe('a command for a deployment that does not exist', () => {
  it('is refused as unknown', () => {
    const refusal = refused(act(undefined, steven, { type: 'start' }, T0));
    expect(refusal.code).toBe('unknown-deployment');
    expect(refusal.hint).toBe('status');
  });
});

describe('queries', () => {
  it('estimatedEnd is the window end until started, then start plus the planned duration', () => {
    expect(estimatedEnd(covered())).toEqual(WINDOW.end);
    const late = play([STEP.schedule, STEP.confirm, [steven, { type: 'start' }, inWindow(20)]]);
    expect(estimatedEnd(late)).toEqual(inWindow(110));
  });

  it('overrunBy measures past the estimate while under way, and freezes when finished', () => {
    expect(overrunBy(covered(), inWindow(200))).toBe(0);
    expect(overrunBy(inProgress(), inWindow(60))).toBe(0);
    expect(overrunBy(inProgress(), inWindow(90))).toBe(0);
    expect(overrunBy(stableState(), inWindow(110))).toBe(20 * MIN);
    const lateLive = play([STEP.schedule, STEP.confirm, STEP.start, STEP.ready, STEP.stable, STEP.luisPasses, STEP.rafaellaPasses, [jake, { type: 'live' }, inWindow(100)]]);
    expect(overrunBy(lateLive, inWindow(500))).toBe(10 * MIN);
    expect(overrunBy(liveState(), inWindow(500))).toBe(0);
    expect(overrunBy(cancelled(), inWindow(500))).toBe(0);
    expect(overrunBy(aborted(), inWindow(500))).toBe(0);
  });

  it('waitingOn says what and whom each phase waits for', () => {
    expect(waitingOn(undefined, crew)).toEqual(['scheduling by an IRC (Steven Inouye)']);
    expect(waitingOn(scheduled(), crew, NY)).toEqual([
      'on-call coverage confirmed, or overridden with another person, by an IRC (Steven Inouye)',
      'the start, by an IRC (Steven Inouye), once the window opens (Tue 14 Apr 2026, 22:00 EDT)',
    ]);
    expect(waitingOn(covered(), crew)).toEqual(['the start, by an IRC (Steven Inouye), once the window opens (Wed 15 Apr 2026, 02:00 UTC)']);
    expect(waitingOn(inProgress(), crew)).toEqual(['ready from the deployment engineer (Bosko Kocev) or the Platform team (Jake Edgington)']);
    expect(waitingOn(readyState(), crew)).toEqual(['stable from the deployment engineer (Bosko Kocev) or the Platform team (Jake Edgington)']);
    expect(waitingOn(stableState(), crew)).toEqual(['smoke-test results from Luis Garcia and Rafaella Barrocas']);
    const failed = play([STEP.schedule, STEP.confirm, STEP.start, STEP.ready, STEP.stable, [luis, smoke('fail', 'totals off'), inWindow(75)]]);
    expect(waitingOn(failed, crew)).toEqual([
      "Luis Garcia's smoke test failed (“totals off”): a pass after a fix, or a live override with a reason by an IRC (Steven Inouye)",
      'smoke-test results from Rafaella Barrocas',
    ]);
    expect(waitingOn(allPassed(), crew)).toEqual(['live from the Platform team (Jake Edgington)']);
    for (const done of [liveState(), aborted(), cancelled()]) expect(waitingOn(done, crew)).toEqual([]);
  });

  it('isActiveDeployment is true from scheduled to stable', () => {
    expect([scheduled(), inProgress(), readyState(), stableState()].every(isActiveDeployment)).toBe(true);
    expect([liveState(), aborted(), cancelled()].some(isActiveDeployment)).toBe(false);
  });
});

describe('events rebuild the state', () => {
  const history = (): DeploymentEvent[] => {
    const steps: Step[] = [STEP.schedule, STEP.confirm, STEP.start, STEP.ready, STEP.stable, STEP.luisPasses, STEP.rafaellaPasses, STEP.live];
    const events: DeploymentEvent[] = [];
    steps.reduce<DeploymentState | undefined>((state, [actor, command, when]) => {
      const outcome = accepted(decideDeployment(command, state, { ...context(), actor: actor, now: when }));
      events.push(...outcome.events);
      return outcome.state;
    }, undefined);
    return events;
  };

  it('evolveDeployment of the history equals the decided state, one revision per event', () => {
    const events = history();
    expect(replayDeployment(events)).toEqual(liveState());
    expect(liveState().revision).toBe(events.length);
    expect(replayDeployment([])).toBeUndefined();
  });

  it('a history must begin with the schedule', () => {
    expect(() => evolve(undefined, { type: 'deploymentStarted', by: steven.id, at: T0.toISOString() })).toThrow(/must begin with deploymentScheduled/);
  });

  it('never mutates the state it is given', () => {
    const state = deepFreeze(stableState());
    const snapshot = JSON.stringify(state);
    accepted(act(state, luis, smoke('pass'), inWindow(75)));
    accepted(act(state, steven, { type: 'abort', reason: 'r' }, inWindow(75)));
    expect(JSON.stringify(state)).toBe(snapshot);
  });

  it('holds for any sequence of commands: events rebuild the state, phases only move forward, live is earned', () => {
    const ORDER: DeploymentPhase[] = ['scheduled', 'in-progress', 'ready', 'stable', 'live'];
    const actor = fc.constantFrom(luis, rafaella, steven, bosko, jake, outsider);
    const text = fc.constantFrom('', 'why');
    const command: fc.Arbitrary<DeploymentCommand> = fc.oneof(
      fc.constant(schedule()),
      fc.constantFrom<DeploymentCommand>(
        { type: 'reschedule', window: windowOf('2026-04-15T02:30:00Z', '2026-04-15T04:00:00Z') },
        { type: 'reschedule', window: windowOf('2026-04-14T16:00:00Z', '2026-04-14T17:30:00Z') },
        { type: 'start' },
        { type: 'ready' },
        { type: 'stable' },
        { type: 'live' },
        { type: 'recordMeeting', joinUrl: 'https://t.example/m', meetingId: 'm' },
      ),
      fc.record({ type: fc.constant('cancel' as const), reason: text }),
      fc.record({ type: fc.constant('abort' as const), reason: text }),
      fc.record({ type: fc.constant('confirmOnCall' as const), person: fc.constantFrom(jake.id, 'id-nobody') }),
      fc.record({ type: fc.constant('overrideOnCall' as const), person: fc.constantFrom(luis.id, 'id-nobody'), reason: text }),
      fc.record({ type: fc.constant('smoke' as const), result: fc.constantFrom('pass' as const, 'fail' as const), notes: text }),
      fc.record({ type: fc.constant('live' as const), overrideReason: text }),
      fc.record({ type: fc.constant('recordBug' as const), title: text }),
    );
    // A prefix of the happy path (so every phase gets exercised), then random commands at random
    // times from before the window to after it, in order.
    const happyPath: Step[] = [STEP.schedule, STEP.confirm, STEP.start, STEP.ready, STEP.stable, STEP.luisPasses, STEP.rafaellaPasses];
    const offsets = fc.array(fc.integer({ min: -6000, max: 200 }), { maxLength: 25 }).map((xs) => [...xs].sort((a, b) => a - b));
    const scenario = fc.tuple(
      fc.integer({ min: 0, max: happyPath.length }),
      offsets.chain((times) => fc.array(fc.tuple(actor, command), { minLength: times.length, maxLength: times.length }).map((steps) => ({ times, steps }))),
    );
    fc.assert(
      fc.property(scenario, ([prefixLength, { times, steps }]) => {
        const prefix = happyPath.slice(0, prefixLength);
        const notBefore = prefix.length > 0 ? prefix[prefix.length - 1][2].getTime() : T0.getTime();
        const random: Step[] = steps.map(([who, cmd], i): Step => [who, cmd, inWindow(times[i])]).filter(([, , when]) => when.getTime() >= notBefore);
        let state: DeploymentState | undefined;
        const events: DeploymentEvent[] = [];
        [...prefix, ...random].forEach(([who, cmd, when]) => {
          const before = state;
          const outcome = decideDeployment(cmd, state, { ...context(), actor: who, now: when });
          if (outcome.kind === 'refusal') {
            expect(outcome.reason.length).toBeGreaterThan(0);
            expect(outcome.hint?.length).toBeGreaterThan(0);
            return;
          }
          events.push(...outcome.events);
          state = outcome.state;
          if (before && ORDER.includes(state.phase) && ORDER.includes(before.phase)) {
            expect(ORDER.indexOf(state.phase)).toBeGreaterThanOrEqual(ORDER.indexOf(before.phase));
          }
          // Once finished, only facts are recorded: a bug, a meeting Graph created as it ended.
          if (before && !isActiveDeployment(before)) expect(['recordBug', 'recordMeeting']).toContain(cmd.type);
          if (state.phase === 'in-progress' && before?.phase === 'scheduled') expect(before.onCall).toBeDefined();
          if (state.phase === 'live' && before?.phase === 'stable') {
            expect(smokeProgress(before).passed.length === before.validators.length || state.liveOverride !== undefined).toBe(true);
          }
        });
        if (!state) return;
        expect(replayDeployment(events)).toEqual(state);
        expect(state.revision).toBe(events.length);
      }),
      { numRuns: 300 },
    );
  });
});

describe('deploymentDirectory', () => {
  it('answers the release questions as the base directory does, plus who is known and who validates', () => {
    expect(crew.isIrc(steven.id)).toBe(true);
    expect(crew.isPlatform(jake.id)).toBe(true);
    expect(crew.areasLedBy(luis.id)).toEqual(leads.areasLedBy(luis.id));
    expect(crew.areas).toBe(leads.areas);
    expect(crew.nameOf(bosko.id)).toBe('Bosko Kocev');
    expect(crew.peopleWith?.('irc')).toEqual([steven.id]);
    expect([crew.isKnown(outsider.id), crew.isKnown('id-nobody')]).toEqual([true, false]);
    expect([crew.isValidator(bosko.id), crew.isValidator(jake.id)]).toEqual([true, false]);
    expect(crew.validatorPool).toEqual([luis.id, bosko.id, rafaella.id]);
    const bare = deploymentDirectory({ ...leads, peopleWith: undefined }, { known: [], validators: [] });
    expect(bare.peopleWith?.('irc')).toEqual([]);
  });
});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
