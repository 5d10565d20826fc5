import { BusinessHours } from '../../src/domain/business-hours';
import { decideDeployment, DeploymentFacts, deploymentDirectory } from '../../src/domain/deployment';
import { Actor, DeploymentCommand, DeploymentState, EnvironmentRef } from '../../src/domain/types';
import { directory, ids, timeZone } from './fixtures';

// Deployment states built with the domain's own state machine, so the cards are tested against
// states the bot can really reach. Steven is the IRC, Jake the Platform team; Bosko engineers the
// deployment, Luis and Rafaella validate it (the pool is Luis, Bosko and Rafaella, as in config).

export const crew = deploymentDirectory(directory, {
  known: Object.values(ids),
  validators: [ids.luis, ids.bosko, ids.rafaella],
});
export const people = Object.values(ids);

const actor = (id: string): Actor => ({ id, name: directory.nameOf(id) });
export const steven = actor(ids.steven);
export const jake = actor(ids.jake);
export const bosko = actor(ids.bosko);
export const luis = actor(ids.luis);
export const rafaella = actor(ids.rafaella);

export const prod: EnvironmentRef = { key: 'bxci-production', name: 'BXCI Production' };
export const staging: EnvironmentRef = { key: 'bxci-staging', name: 'BXCI Staging' };
export const businessHours: BusinessHours = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '18:00' };

/** "Now" when scheduling: Fri 10 Apr 2026, 10:00 EDT. */
export const T0 = new Date('2026-04-10T14:00:00Z');
/** Tue 14 Apr 2026, 22:00–23:30 EDT. */
export const WINDOW = { start: new Date('2026-04-15T02:00:00Z'), end: new Date('2026-04-15T03:30:00Z') };
export const minutesAfterT0 = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
export const inWindow = (minutes: number) => new Date(WINDOW.start.getTime() + minutes * 60_000);

export const dview = { directory: crew, timeZone };

function context(hotfix: boolean): DeploymentFacts {
  return { directory: crew, businessHours, timeZone, release: { promoted: true, hotfix }, otherDeployments: [] };
}

type Step = readonly [Actor, DeploymentCommand, Date];

/** Runs steps in order and fails loudly if one is refused. */
export function play(steps: readonly Step[], hotfix = false): DeploymentState {
  return steps.reduce<DeploymentState | undefined>((state, [who, command, when], i) => {
    const outcome = decideDeployment(command, state, { ...context(hotfix), actor: who, now: when });
    if (outcome.kind === 'refusal') throw new Error(`step ${i} (${command.type}) was refused: ${outcome.code} ${outcome.reason}`);
    return outcome.state;
  }, undefined) as DeploymentState;
}

const smoke = (result: 'pass' | 'fail', notes = ''): DeploymentCommand => ({ type: 'smoke', result, notes });

export const STEP = {
  schedule: [
    steven,
    // The id as the deployment service makes it (release@environment.n), which every click's schema checks.
    { type: 'schedule', id: '2026.4.0@bxci-production.1', version: '2026.4.0', environment: prod, window: WINDOW, engineer: bosko.id, validators: [luis.id, rafaella.id] },
    T0,
  ],
  confirm: [steven, { type: 'confirmOnCall', person: jake.id }, minutesAfterT0(1)],
  override: [steven, { type: 'overrideOnCall', person: bosko.id, reason: 'Jake is on leave' }, minutesAfterT0(1)],
  meeting: [steven, { type: 'recordMeeting', joinUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0', meetingId: 'm-1' }, minutesAfterT0(0)],
  start: [steven, { type: 'start' }, inWindow(2)],
  ready: [bosko, { type: 'ready' }, inWindow(60)],
  stable: [jake, { type: 'stable' }, inWindow(70)],
  luisPasses: [luis, smoke('pass', 'loans list fine'), inWindow(75)],
  rafaellaPasses: [rafaella, smoke('pass'), inWindow(76)],
  rafaellaFails: [rafaella, smoke('fail', 'payments page 500s'), inWindow(77)],
  live: [jake, { type: 'live' }, inWindow(80)],
  liveOverride: [steven, { type: 'live', overrideReason: 'payments fix is behind a flag' }, inWindow(85)],
  abort: [steven, { type: 'abort', reason: 'migration failed' }, inWindow(20)],
  cancel: [steven, { type: 'cancel', reason: 'QA found a blocker' }, minutesAfterT0(2)],
  bug: [luis, { type: 'recordBug', title: 'Export button missing', url: 'https://github.com/lendos/lendos/issues/12' }, inWindow(90)],
} satisfies Record<string, Step>;

export const states = {
  scheduled: () => play([STEP.schedule]),
  covered: () => play([STEP.schedule, STEP.confirm]),
  overridden: () => play([STEP.schedule, STEP.override]),
  withMeeting: () => play([STEP.schedule, STEP.meeting, STEP.confirm]),
  inProgress: () => play([STEP.schedule, STEP.meeting, STEP.confirm, STEP.start]),
  ready: () => play([STEP.schedule, STEP.meeting, STEP.confirm, STEP.start, STEP.ready]),
  stable: () => play([STEP.schedule, STEP.meeting, STEP.confirm, STEP.start, STEP.ready, STEP.stable]),
  oneFailed: () => play([STEP.schedule, STEP.meeting, STEP.confirm, STEP.start, STEP.ready, STEP.stable, STEP.luisPasses, STEP.rafaellaFails]),
  allPassed: () => play([STEP.schedule, STEP.meeting, STEP.confirm, STEP.start, STEP.ready, STEP.stable, STEP.luisPasses, STEP.rafaellaPasses]),
  live: () =>
    play([STEP.schedule, STEP.meeting, STEP.confirm, STEP.start, STEP.ready, STEP.stable, STEP.luisPasses, STEP.rafaellaPasses, STEP.live, STEP.bug]),
  liveOverride: () =>
    play([STEP.schedule, STEP.meeting, STEP.confirm, STEP.start, STEP.ready, STEP.stable, STEP.luisPasses, STEP.rafaellaFails, STEP.liveOverride]),
  aborted: () => play([STEP.schedule, STEP.meeting, STEP.confirm, STEP.start, STEP.abort]),
  cancelled: () => play([STEP.schedule, STEP.cancel]),
  rescheduled: () =>
    play([
      STEP.schedule,
      STEP.confirm,
      [steven, { type: 'reschedule', window: { start: new Date('2026-04-16T02:00:00Z'), end: new Date('2026-04-16T04:00:00Z') } }, minutesAfterT0(3)],
    ]),
};
