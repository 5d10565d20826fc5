import { Decider, decideAndEvolve } from '../../src/domain/decider';
import { deploymentDecider, deploymentDirectory } from '../../src/domain/deployment';
import { BusinessHours } from '../../src/domain/business-hours';
import { NO_DEPUTIES, deputiesDecider } from '../../src/domain/deputies';
import { lockDecider } from '../../src/domain/locks';
import { emptyRelease, releaseDecider } from '../../src/domain/release';
import { isRefusal } from '../../src/domain/rule-helpers';
import { bosko, contents, jake, leads, luis, steven, T0, VERSION } from './fixtures';

// Every state machine has the one shape: decide(command, state, context) -> events | refusal, and
// evolve(state, event) -> state. decide returns only events (no state), and the state a command
// leads to is always the fold of those events.

const businessHours: BusinessHours = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '18:00' };
const crew = deploymentDirectory(leads, { known: [luis.id, bosko.id, steven.id, jake.id], validators: [luis.id, bosko.id] });
const environment = { key: 'bxci-production', name: 'BXCI Production' };

function expectShape<C, S, E, X>(decider: Decider<C, S, E, X>, command: C, state: S, context: X): void {
  const events = decider.decide(command, state, context);
  if (isRefusal(events)) throw new Error(`refused: ${events.reason}`);
  expect(Array.isArray(events)).toBe(true);
  expect(events.length).toBeGreaterThan(0);
  const decided = decideAndEvolve(decider, command, state, context);
  expect(decided).toEqual({ kind: 'accepted', events, state: events.reduce(decider.evolve, state) });
  // decide changes nothing: asked again on the same state it says the same.
  expect(decider.decide(command, state, context)).toEqual(events);
}

describe('one decider shape', () => {
  it('release: cutting rc.1', () => {
    expectShape(releaseDecider, { type: 'cutRc', rc: 1, hotfix: false, contents }, emptyRelease(VERSION), {
      actor: jake,
      now: T0,
      directory: leads,
      version: VERSION,
    });
  });

  it('deployment: scheduling one', () => {
    const start = new Date('2026-04-15T02:00:00Z');
    expectShape(
      deploymentDecider,
      {
        type: 'schedule',
        id: `${VERSION}@${environment.key}.1`,
        version: VERSION,
        environment,
        window: { start, end: new Date(start.getTime() + 90 * 60_000) },
        engineer: bosko.id,
        validators: [luis.id],
      },
      undefined,
      { actor: steven, now: T0, directory: crew, businessHours, timeZone: 'America/New_York', release: { promoted: true, hotfix: false }, otherDeployments: [] },
    );
  });

  it('lock: locking an environment', () => {
    expectShape(lockDecider, { type: 'lock', reason: 'DB dry run', until: new Date(T0.getTime() + 3_600_000) }, undefined, {
      actor: jake,
      now: T0,
      directory: crew,
      environment,
      timeZone: 'UTC',
      deployments: [],
    });
  });

  it('deputies: naming a deputy', () => {
    expectShape(deputiesDecider, { type: 'nameDeputy', lead: steven.id, deputy: bosko.id, until: new Date(T0.getTime() + 86_400_000) }, NO_DEPUTIES, {
      actor: steven,
      now: T0,
      directory: leads,
      timeZone: 'UTC',
    });
  });

  it('a refusal is a value, and the state is left as it was', () => {
    const state = emptyRelease(VERSION);
    const refusal = releaseDecider.decide({ type: 'approve', rc: 1 }, state, { actor: luis, now: T0, directory: leads, version: VERSION });
    expect(refusal).toMatchObject({ kind: 'refusal', code: 'no-release' });
    expect(state).toEqual(emptyRelease(VERSION));
  });
});
