import { BusinessHours } from '../../src/domain/business-hours';
import { decideDeployment, DeploymentFacts } from '../../src/domain/deployment';
import { DEPLOYMENT_ACTIONS, DeploymentAction, deploymentActionsFor, whoCanActOn } from '../../src/domain/deployment-actions';
import { Actor, DeploymentCommand, DeploymentState } from '../../src/domain/types';
import { bosko, crew, jake, luis, outsider, rafaella, steven, T0, VERSION } from './fixtures';

// Who may do what on a deployment's window, phase by phase, and a check that every action offered
// is one the rules in deployment.ts accept from that person at that moment (a button never shown
// to someone the click would refuse for their role or the phase).
// Roles: Steven is the IRC, Jake the Platform team, Bosko engineers, Luis and Rafaella validate.

const WINDOW = { start: new Date('2026-04-15T02:00:00Z'), end: new Date('2026-04-15T03:30:00Z') };
const inWindow = (minutes: number) => new Date(WINDOW.start.getTime() + minutes * 60_000);
const weekdays: BusinessHours = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '18:00' };
const context: DeploymentFacts = { directory: crew, businessHours: weekdays, timeZone: 'America/New_York', release: { promoted: true, hotfix: false }, otherDeployments: [] };
const everyone: readonly Actor[] = [luis, rafaella, steven, bosko, jake, outsider];

type Step = readonly [Actor, DeploymentCommand, Date];
const steps: Record<string, Step> = {
  schedule: [
    steven,
    { type: 'schedule', id: 'dep-1', version: VERSION, environment: { key: 'bxci-production', name: 'BXCI Production' }, window: WINDOW, engineer: bosko.id, validators: [luis.id, rafaella.id] },
    T0,
  ],
  confirm: [steven, { type: 'confirmOnCall', person: jake.id }, T0],
  start: [steven, { type: 'start' }, inWindow(0)],
  ready: [bosko, { type: 'ready' }, inWindow(30)],
  stable: [jake, { type: 'stable' }, inWindow(40)],
  luisFails: [luis, { type: 'smoke', result: 'fail', notes: 'export broken' }, inWindow(45)],
  luisPasses: [luis, { type: 'smoke', result: 'pass', notes: '' }, inWindow(50)],
  rafaellaPasses: [rafaella, { type: 'smoke', result: 'pass', notes: '' }, inWindow(51)],
};
const play = (...names: string[]): DeploymentState =>
  names.reduce<DeploymentState | undefined>((state, name) => {
    const [actor, command, at] = steps[name]!;
    const outcome = decideDeployment(command, state, { ...context, actor, now: at });
    if (outcome.kind === 'refusal') throw new Error(`${name} refused: ${outcome.reason}`);
    return outcome.state;
  }, undefined)!;

const PHASES: Record<string, DeploymentState> = {
  scheduled: play('schedule'),
  covered: play('schedule', 'confirm'),
  'in-progress': play('schedule', 'confirm', 'start'),
  ready: play('schedule', 'confirm', 'start', 'ready'),
  stable: play('schedule', 'confirm', 'start', 'ready', 'stable'),
  'stable, a smoke fail': play('schedule', 'confirm', 'start', 'ready', 'stable', 'luisFails'),
  'stable, all passed': play('schedule', 'confirm', 'start', 'ready', 'stable', 'luisPasses', 'rafaellaPasses'),
};

const viewOf = (state: DeploymentState) => Object.fromEntries(everyone.map((p) => [p.name, deploymentActionsFor(state, p.id, crew)]));

/** The command each action's button sends, with what its form asks for filled in. */
const PROBES: Record<DeploymentAction, DeploymentCommand> = {
  confirmOnCall: { type: 'confirmOnCall', person: outsider.id },
  overrideOnCall: { type: 'overrideOnCall', person: outsider.id, reason: 'Jake is ill' },
  start: { type: 'start' },
  ready: { type: 'ready' },
  stable: { type: 'stable' },
  smokePass: { type: 'smoke', result: 'pass', notes: '' },
  smokeFail: { type: 'smoke', result: 'fail', notes: 'payments fail' },
  live: { type: 'live' },
  liveOverride: { type: 'live', overrideReason: 'regulator deadline' },
  abort: { type: 'abort', reason: 'migration failed' },
};

describe('deploymentActionsFor', () => {
  test('phase by phase, each role sees its own next steps and nobody else does', () => {
    expect(viewOf(PHASES.scheduled!)).toEqual({
      'Luis Garcia': [],
      'Rafaella Barrocas': [],
      'Steven Inouye': ['confirmOnCall', 'overrideOnCall'],
      'Bosko Kocev': [],
      'Jake Edgington': [],
      'Olga Outsider': [],
    });
    expect(viewOf(PHASES.covered!)['Steven Inouye']).toEqual(['confirmOnCall', 'overrideOnCall', 'start']);
    expect(viewOf(PHASES['in-progress']!)).toMatchObject({ 'Steven Inouye': ['abort'], 'Bosko Kocev': ['ready'], 'Jake Edgington': ['ready'], 'Luis Garcia': [] });
    expect(viewOf(PHASES.ready!)).toMatchObject({ 'Steven Inouye': ['abort'], 'Bosko Kocev': ['stable'], 'Jake Edgington': ['stable'], 'Rafaella Barrocas': [] });
    expect(viewOf(PHASES.stable!)).toEqual({
      'Luis Garcia': ['smokePass', 'smokeFail'],
      'Rafaella Barrocas': ['smokePass', 'smokeFail'],
      'Steven Inouye': ['liveOverride', 'abort'],
      'Bosko Kocev': [],
      'Jake Edgington': [],
      'Olga Outsider': [],
    });
    expect(viewOf(PHASES['stable, all passed']!)).toMatchObject({ 'Jake Edgington': ['live'], 'Steven Inouye': ['abort'], 'Luis Garcia': ['smokePass', 'smokeFail'] });
  });

  test('nothing once the deployment is live', () => {
    const live = decideDeployment({ type: 'live' }, PHASES['stable, all passed'], { ...context, actor: jake, now: inWindow(60) });
    if (live.kind !== 'accepted') throw new Error(live.reason);
    expect(Object.values(viewOf(live.state)).flat()).toEqual([]);
  });

  test.each(Object.keys(PHASES))('every action offered in phase "%s" is accepted by the rules from that person', (phase) => {
    const state = PHASES[phase]!;
    for (const person of everyone) {
      const offered = deploymentActionsFor(state, person.id, crew);
      for (const action of DEPLOYMENT_ACTIONS) {
        const outcome = decideDeployment(PROBES[action], state, { ...context, actor: person, now: inWindow(5) });
        const wanted = `${person.name} ${action}`;
        if (offered.includes(action)) expect([wanted, outcome.kind]).toEqual([wanted, 'accepted']);
        // Refused for their role or the phase: never offered.
        if (outcome.kind === 'refusal' && (outcome.code === 'not-allowed' || outcome.code === 'wrong-phase')) expect([wanted, offered.includes(action)]).toEqual([wanted, false]);
      }
    }
  });

  test('whoCanActOn lists the people with a tracker action now, the deployment\'s own people included', () => {
    expect(whoCanActOn(PHASES.stable!, [steven.id, jake.id, outsider.id], crew)).toEqual([steven.id, luis.id, rafaella.id]);
    expect(whoCanActOn(PHASES['in-progress']!, [steven.id, jake.id], crew)).toEqual([steven.id, jake.id, bosko.id]);
    expect(whoCanActOn(PHASES.scheduled!, [steven.id, jake.id], crew)).toEqual([]);
  });
});
