import { BusinessHours } from '../../src/domain/business-hours';
import { decideDeployment, DeploymentFacts } from '../../src/domain/deployment';
import { EnvironmentLock, applyLock, decideLock, lockInForce } from '../../src/domain/locks';
import { isRefusal } from '../../src/domain/rule-helpers';
import { DeploymentCommand, DeploymentState, EnvironmentRef } from '../../src/domain/types';
import { bosko, crew, jake, luis, rafaella, steven, VERSION } from './fixtures';

// Locks judged against the clock passed in: no timer has to fire for a lock to end.

const NY = 'America/New_York';
const MIN = 60_000;
const prod: EnvironmentRef = { key: 'bxci-production', name: 'BXCI Production' };
const NOW = new Date('2026-04-13T12:00:00Z'); // Mon 13 Apr 2026, 08:00 EDT
const lockContext = (deployments: DeploymentState[] = []) => ({ directory: crew, environment: prod, timeZone: NY, deployments });
const held = (until: string, holder = jake.id): EnvironmentLock => ({ holder, reason: 'DB dry run', at: NOW.toISOString(), until });

describe('decideLock', () => {
  it('IRCs and the Platform team lock, with a reason and an end in the future, at most 7 days ahead', () => {
    const until = new Date(NOW.getTime() + 120 * MIN);
    const events = decideLock({ type: 'lock', reason: ' DB dry run ', until }, undefined, { ...lockContext(), actor: jake, now: NOW });
    expect(events).toEqual([{ type: 'environmentLocked', at: NOW.toISOString(), by: jake.id, reason: 'DB dry run', until: until.toISOString() }]);
    expect(decideLock({ type: 'lock', reason: 'x', until }, undefined, { ...lockContext(), actor: luis, now: NOW })).toMatchObject({ code: 'not-allowed' });
    expect(decideLock({ type: 'lock', reason: ' ', until }, undefined, { ...lockContext(), actor: steven, now: NOW })).toMatchObject({ code: 'missing-input' });
    expect(decideLock({ type: 'lock', reason: 'x', until: NOW }, undefined, { ...lockContext(), actor: steven, now: NOW })).toMatchObject({ code: 'invalid-input' });
    expect(decideLock({ type: 'lock', reason: 'x', until: new Date(NOW.getTime() + 8 * 86_400_000) }, undefined, { ...lockContext(), actor: steven, now: NOW })).toMatchObject({
      code: 'invalid-input',
      reason: expect.stringContaining('at most 7 days'),
    });
  });

  it('someone else\'s lock refuses a new one, naming holder, reason and end; the same lock is free the instant it ends', () => {
    const lock = held('2026-04-13T14:00:00Z');
    const until = new Date('2026-04-13T16:00:00Z');
    expect(decideLock({ type: 'lock', reason: 'mine', until }, lock, { ...lockContext(), actor: steven, now: new Date('2026-04-13T13:59:59Z') })).toMatchObject({
      code: 'locked',
      reason: 'BXCI Production is locked by Jake Edgington until Mon 13 Apr 2026, 10:00 EDT: “DB dry run”. Locking BXCI Production has to wait until the lock ends, or until Jake Edgington, an IRC or the Platform team unlocks it.',
      hint: 'unlock "BXCI Production"',
    });
    expect(lockInForce(lock, new Date('2026-04-13T14:00:00Z'))).toBeUndefined();
    expect(isRefusal(decideLock({ type: 'lock', reason: 'mine', until }, lock, { ...lockContext(), actor: steven, now: new Date('2026-04-13T14:00:00Z') }))).toBe(false);
    // The holder extends their own lock.
    expect(isRefusal(decideLock({ type: 'lock', reason: 'longer', until }, lock, { ...lockContext(), actor: jake, now: NOW }))).toBe(false);
  });

  it('unlock: the holder, an IRC or the Platform team; nothing to unlock once the lock has ended', () => {
    const lock = held('2026-04-13T14:00:00Z', steven.id);
    expect(decideLock({ type: 'unlock' }, lock, { ...lockContext(), actor: luis, now: NOW })).toMatchObject({ code: 'not-allowed' });
    const events = decideLock({ type: 'unlock' }, lock, { ...lockContext(), actor: jake, now: NOW });
    if (isRefusal(events)) throw new Error(events.reason);
    expect(events.reduce(applyLock, lock)).toBeUndefined();
    expect(decideLock({ type: 'unlock' }, lock, { ...lockContext(), actor: steven, now: new Date('2026-04-13T14:00:00Z') })).toMatchObject({ code: 'invalid-input' });
  });
});

describe('locks and holds in the deployment decider', () => {
  const weekdays: BusinessHours = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '18:00' };
  const context = (extra: Partial<DeploymentFacts> = {}): DeploymentFacts => ({
    directory: crew,
    businessHours: weekdays,
    timeZone: NY,
    release: { promoted: true, hotfix: false },
    otherDeployments: [],
    ...extra,
  });
  const schedule = (id: string, startIso: string, version = VERSION): DeploymentCommand => ({
    type: 'schedule',
    id,
    version,
    environment: prod,
    window: { start: new Date(startIso), end: new Date(Date.parse(startIso) + 90 * MIN) },
    engineer: bosko.id,
    validators: [luis.id, rafaella.id],
  });
  const accepted = (outcome: ReturnType<typeof decideDeployment>) => {
    if (outcome.kind === 'refusal') throw new Error(outcome.reason);
    return outcome.state;
  };

  it('a window overlapping someone else\'s lock is refused; one after it ends is not', () => {
    const lock = held('2026-04-14T04:00:00Z'); // Tue 14 Apr, 00:00 EDT
    const refused = decideDeployment(schedule('d1', '2026-04-14T02:00:00Z'), undefined, { ...context({ lock }), actor: steven, now: NOW });
    expect(refused).toMatchObject({ code: 'locked', hint: 'schedule deploy 2026.4.0 to "BXCI Production" at 2026-04-14 00:00 for 90m engineer Bosko Kocev validators Luis Garcia, Rafaella Barrocas' });
    expect(decideDeployment(schedule('d1', '2026-04-14T04:00:00Z'), undefined, { ...context({ lock }), actor: steven, now: NOW }).kind).toBe('accepted');
  });

  it('a started deployment holds its environment: another one cannot start while it runs, even past its window', () => {
    const first = accepted(decideDeployment(schedule('d1', '2026-04-14T02:00:00Z', '2026.3.0'), undefined, { ...context(), actor: steven, now: NOW }));
    const firstCovered = accepted(decideDeployment({ type: 'confirmOnCall', person: bosko.id }, first, { ...context(), actor: steven, now: NOW }));
    const running = accepted(decideDeployment({ type: 'start' }, firstCovered, { ...context(), actor: steven, now: new Date('2026-04-14T02:00:00Z') }));
    const second = accepted(decideDeployment(schedule('d2', '2026-04-14T04:00:00Z'), undefined, { ...context({ otherDeployments: [running] }), actor: steven, now: NOW }));
    const covered = accepted(decideDeployment({ type: 'confirmOnCall', person: bosko.id }, second, { ...context({ otherDeployments: [running] }), actor: steven, now: NOW }));
    const refused = decideDeployment({ type: 'start' }, covered, { ...context({ otherDeployments: [running] }), actor: steven, now: new Date('2026-04-14T04:05:00Z') });
    expect(refused).toMatchObject({
      code: 'locked',
      reason: 'BXCI Production is held by Deploy 2026.3.0 to BXCI Production, in progress since Mon 13 Apr 2026, 22:00 EDT: a started deployment holds its environment until it goes live or is aborted.',
    });
    const aborted = accepted(decideDeployment({ type: 'abort', reason: 'rollback' }, running, { ...context(), actor: steven, now: new Date('2026-04-14T04:06:00Z') }));
    expect(decideDeployment({ type: 'start' }, covered, { ...context({ otherDeployments: [aborted] }), actor: steven, now: new Date('2026-04-14T04:07:00Z') }).kind).toBe('accepted');
  });
});
