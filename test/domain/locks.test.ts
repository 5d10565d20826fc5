import { BusinessHours } from '../../src/domain/business-hours';
import { decideDeployment, DeploymentContext } from '../../src/domain/deployment';
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
    const events = decideLock(undefined, { type: 'lock', reason: ' DB dry run ', until }, jake, NOW, lockContext());
    expect(events).toEqual([{ type: 'environmentLocked', at: NOW.toISOString(), by: jake.id, reason: 'DB dry run', until: until.toISOString() }]);
    expect(decideLock(undefined, { type: 'lock', reason: 'x', until }, luis, NOW, lockContext())).toMatchObject({ code: 'not-allowed' });
    expect(decideLock(undefined, { type: 'lock', reason: ' ', until }, steven, NOW, lockContext())).toMatchObject({ code: 'missing-input' });
    expect(decideLock(undefined, { type: 'lock', reason: 'x', until: NOW }, steven, NOW, lockContext())).toMatchObject({ code: 'invalid-input' });
    expect(decideLock(undefined, { type: 'lock', reason: 'x', until: new Date(NOW.getTime() + 8 * 86_400_000) }, steven, NOW, lockContext())).toMatchObject({
      code: 'invalid-input',
      reason: expect.stringContaining('at most 7 days'),
    });
  });

  it('someone else\'s lock refuses a new one, naming holder, reason and end; the same lock is free the instant it ends', () => {
    const lock = held('2026-04-13T14:00:00Z');
    const until = new Date('2026-04-13T16:00:00Z');
    expect(decideLock(lock, { type: 'lock', reason: 'mine', until }, steven, new Date('2026-04-13T13:59:59Z'), lockContext())).toMatchObject({
      code: 'locked',
      reason: 'BXCI Production is locked by Jake Edgington until Mon 13 Apr 2026, 10:00 EDT: “DB dry run”. Locking BXCI Production has to wait until the lock ends, or until Jake Edgington, an IRC or the Platform team unlocks it.',
      hint: 'unlock "BXCI Production"',
    });
    expect(lockInForce(lock, new Date('2026-04-13T14:00:00Z'))).toBeUndefined();
    expect(isRefusal(decideLock(lock, { type: 'lock', reason: 'mine', until }, steven, new Date('2026-04-13T14:00:00Z'), lockContext()))).toBe(false);
    // The holder extends their own lock.
    expect(isRefusal(decideLock(lock, { type: 'lock', reason: 'longer', until }, jake, NOW, lockContext()))).toBe(false);
  });

  it('unlock: the holder, an IRC or the Platform team; nothing to unlock once the lock has ended', () => {
    const lock = held('2026-04-13T14:00:00Z', steven.id);
    expect(decideLock(lock, { type: 'unlock' }, luis, NOW, lockContext())).toMatchObject({ code: 'not-allowed' });
    const events = decideLock(lock, { type: 'unlock' }, jake, NOW, lockContext());
    if (isRefusal(events)) throw new Error(events.reason);
    expect(events.reduce(applyLock, lock)).toBeUndefined();
    expect(decideLock(lock, { type: 'unlock' }, steven, new Date('2026-04-13T14:00:00Z'), lockContext())).toMatchObject({ code: 'invalid-input' });
  });
});

describe('locks and holds in the deployment decider', () => {
  const weekdays: BusinessHours = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '18:00' };
  const context = (extra: Partial<DeploymentContext> = {}): DeploymentContext => ({
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
    const refused = decideDeployment(undefined, schedule('d1', '2026-04-14T02:00:00Z'), steven, NOW, context({ lock }));
    expect(refused).toMatchObject({ code: 'locked', hint: 'schedule deploy 2026.4.0 to "BXCI Production" at 2026-04-14 00:00 for 90m engineer Bosko Kocev validators Luis Garcia, Rafaella Barrocas' });
    expect(decideDeployment(undefined, schedule('d1', '2026-04-14T04:00:00Z'), steven, NOW, context({ lock })).kind).toBe('accepted');
  });

  it('a started deployment holds its environment: another one cannot start while it runs, even past its window', () => {
    const first = accepted(decideDeployment(undefined, schedule('d1', '2026-04-14T02:00:00Z', '2026.3.0'), steven, NOW, context()));
    const firstCovered = accepted(decideDeployment(first, { type: 'confirmOnCall', person: bosko.id }, steven, NOW, context()));
    const running = accepted(decideDeployment(firstCovered, { type: 'start' }, steven, new Date('2026-04-14T02:00:00Z'), context()));
    const second = accepted(decideDeployment(undefined, schedule('d2', '2026-04-14T04:00:00Z'), steven, NOW, context({ otherDeployments: [running] })));
    const covered = accepted(decideDeployment(second, { type: 'confirmOnCall', person: bosko.id }, steven, NOW, context({ otherDeployments: [running] })));
    const refused = decideDeployment(covered, { type: 'start' }, steven, new Date('2026-04-14T04:05:00Z'), context({ otherDeployments: [running] }));
    expect(refused).toMatchObject({
      code: 'locked',
      reason: 'BXCI Production is held by Deploy 2026.3.0 to BXCI Production, in progress since Mon 13 Apr 2026, 22:00 EDT: a started deployment holds its environment until it goes live or is aborted.',
    });
    const aborted = accepted(decideDeployment(running, { type: 'abort', reason: 'rollback' }, steven, new Date('2026-04-14T04:06:00Z'), context()));
    expect(decideDeployment(covered, { type: 'start' }, steven, new Date('2026-04-14T04:07:00Z'), context({ otherDeployments: [aborted] })).kind).toBe('accepted');
  });
});
