import { BusinessHours } from '../../src/domain/business-hours';
import { decideDeployment, DeploymentFacts } from '../../src/domain/deployment';
import { Freeze, activeFreezes, blockingFreezes, freezeInstant, resolveFreeze } from '../../src/domain/freezes';
import { DeploymentCommand, DeploymentState, EnvironmentRef } from '../../src/domain/types';
import { bosko, crew, luis, rafaella, steven, VERSION } from './fixtures';

// Freezes: local dates resolved to instants in the configured zone (daylight saving included), and
// the deployment decider refusing to schedule, reschedule or start inside one, naming it and its end.

const NY = 'America/New_York';
const MIN = 60_000;
const iso = (text: string, zone = NY, edge: 'from' | 'to' = 'from') => {
  const read = freezeInstant(text, zone, edge);
  if (!read.ok) throw new Error(read.reason);
  return read.instant.toISOString();
};

describe('freeze edges in the configured zone', () => {
  it('a date alone starts at local midnight; a `to` date is inclusive, ending when the next day begins', () => {
    expect(iso('2026-12-24')).toBe('2026-12-24T05:00:00.000Z'); // 00:00 EST
    expect(iso('2027-01-03', NY, 'to')).toBe('2027-01-04T05:00:00.000Z');
  });

  it('a date and time is that wall-clock time, with the offset of that day', () => {
    expect(iso('2026-07-03 18:00')).toBe('2026-07-03T22:00:00.000Z'); // EDT
    expect(iso('2026-12-24 18:00')).toBe('2026-12-24T23:00:00.000Z'); // EST
  });

  it('the spring-forward day is 23 hours long: a freeze of that day alone covers 00:00 EST to 00:00 EDT', () => {
    const from = iso('2026-03-08');
    const to = iso('2026-03-08', NY, 'to');
    expect([from, to]).toEqual(['2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
    expect((Date.parse(to) - Date.parse(from)) / 3_600_000).toBe(23);
  });

  it('the fall-back day is 25 hours long', () => {
    const from = iso('2026-11-01');
    const to = iso('2026-11-01', NY, 'to');
    expect((Date.parse(to) - Date.parse(from)) / 3_600_000).toBe(25);
  });

  it('a repeated time (clocks go back) opens a freeze at its first reading and closes one at its second', () => {
    expect(iso('2026-11-01 01:30', NY, 'from')).toBe('2026-11-01T05:30:00.000Z'); // 01:30 EDT
    expect(iso('2026-11-01 01:30', NY, 'to')).toBe('2026-11-01T06:30:00.000Z'); // 01:30 EST
  });

  it('a time skipped by the spring-forward jump is refused, saying so', () => {
    const read = freezeInstant('2026-03-08 02:30', NY, 'from');
    expect(read).toEqual({ ok: false, reason: '"2026-03-08 02:30" does not exist in America/New_York (clocks jump forward over it); pick a time before or after the jump' });
  });

  it('where midnight itself is skipped (Santiago, first Sunday of September), the day begins at the jump', () => {
    // Chile moves from -04 to -03 at 24:00 on Saturday 5 Sep 2026: Sunday's clock starts at 01:00.
    expect(iso('2026-09-06', 'America/Santiago')).toBe('2026-09-06T04:00:00.000Z');
  });

  it('refuses what is not a date, and a `to` not after `from`', () => {
    expect(freezeInstant('24/12/2026', NY, 'from')).toMatchObject({ ok: false, reason: expect.stringContaining('write it as YYYY-MM-DD or YYYY-MM-DD HH:MM') });
    expect(freezeInstant('2026-02-30', NY, 'from')).toMatchObject({ ok: false, reason: expect.stringContaining('is not a real date') });
    expect(resolveFreeze({ name: 'Oops', from: '2026-12-24 18:00', to: '2026-12-24 09:00' }, NY)).toEqual({
      ok: false,
      problems: ['to (2026-12-24 09:00) must be after from (2026-12-24 18:00)'],
    });
  });
});

const yearEnd = (extra: Partial<Freeze> = {}): Freeze => {
  const resolved = resolveFreeze({ name: 'Year-end close', from: '2026-12-24', to: '2027-01-03', environments: ['bxci-production'] }, NY);
  if (!resolved.ok) throw new Error(resolved.problems.join('; '));
  return { ...resolved.freeze, ...extra };
};

describe('which freezes hold a window back', () => {
  const window = (startIso: string, minutes = 90) => ({ from: Date.parse(startIso), to: Date.parse(startIso) + minutes * MIN });

  it('a window overlapping the freeze in a covered environment; touching its edges is not overlapping', () => {
    const freezes = [yearEnd()];
    expect(blockingFreezes(freezes, { environment: 'bxci-production', hotfix: false, ...window('2026-12-28T03:00:00Z') })).toHaveLength(1);
    expect(blockingFreezes(freezes, { environment: 'bxci-staging', hotfix: false, ...window('2026-12-28T03:00:00Z') })).toEqual([]);
    // Ends exactly at 00:00 EST on the 24th, starts exactly at 00:00 EST on the 4th: both clear.
    expect(blockingFreezes(freezes, { environment: 'bxci-production', hotfix: false, from: Date.parse('2026-12-24T03:30:00Z'), to: Date.parse('2026-12-24T05:00:00Z') })).toEqual([]);
    expect(blockingFreezes(freezes, { environment: 'bxci-production', hotfix: false, ...window('2027-01-04T05:00:00Z') })).toEqual([]);
    expect(blockingFreezes(freezes, { environment: 'bxci-production', hotfix: false, ...window('2027-01-04T04:59:00Z') })).toHaveLength(1);
  });

  it('hotfixes pass only a freeze that lets them; an empty environment list covers every environment', () => {
    const w = window('2026-12-28T03:00:00Z');
    expect(blockingFreezes([yearEnd({ hotfixes: true })], { environment: 'bxci-production', hotfix: true, ...w })).toEqual([]);
    expect(blockingFreezes([yearEnd({ hotfixes: false })], { environment: 'bxci-production', hotfix: true, ...w })).toHaveLength(1);
    expect(blockingFreezes([yearEnd({ environments: [] })], { environment: 'anything', hotfix: false, ...w })).toHaveLength(1);
  });

  it('active freezes are the ones in force now', () => {
    expect(activeFreezes([yearEnd()], new Date('2026-12-23T12:00:00Z'))).toEqual([]);
    expect(activeFreezes([yearEnd()], new Date('2026-12-24T05:00:00Z')).map((f) => f.name)).toEqual(['Year-end close']);
    expect(activeFreezes([yearEnd()], new Date('2027-01-04T05:00:00Z'))).toEqual([]);
  });
});

describe('the deployment decider inside a freeze', () => {
  const prod: EnvironmentRef = { key: 'bxci-production', name: 'BXCI Production' };
  const weekdays: BusinessHours = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '18:00' };
  const NOW = new Date('2026-12-21T15:00:00Z'); // Mon 21 Dec 2026, 10:00 EST
  const context = (freezes: Freeze[], hotfix = false): DeploymentFacts => ({
    directory: crew,
    businessHours: weekdays,
    timeZone: NY,
    release: { promoted: true, hotfix },
    otherDeployments: [],
    freezes,
  });
  const schedule = (startIso: string): DeploymentCommand => ({
    type: 'schedule',
    id: 'dep-1',
    version: VERSION,
    environment: prod,
    window: { start: new Date(startIso), end: new Date(Date.parse(startIso) + 90 * MIN) },
    engineer: bosko.id,
    validators: [luis.id, rafaella.id],
  });

  it('refuses a schedule inside the freeze, naming it, where it came from and when it ends, with the first start after it', () => {
    const outcome = decideDeployment(schedule('2026-12-29T03:00:00Z'), undefined, { ...context([yearEnd()]), actor: steven, now: NOW });
    expect(outcome).toEqual({
      kind: 'refusal',
      code: 'frozen',
      reason:
        'BXCI Production is frozen: “Year-end close” (from the config; hotfixes too): Thu 24 Dec 2026, 00:00 EST until Mon 4 Jan 2027, 00:00 EST. ' +
        'Deploy 2026.4.0 to BXCI Production (Mon 28 Dec 2026, 22:00–23:30 EST (Tue 29 Dec 03:00–04:30 UTC)) falls inside it, ' +
        "so it can't go ahead until the freeze ends on Mon 4 Jan 2027, 00:00 EST. Not even hotfixes pass it. " +
        'An IRC may override the freeze with a reason, which is recorded.',
      // Midnight after the freeze is outside business hours and clear of it; both commands retype whole.
      hint:
        'schedule deploy 2026.4.0 to "BXCI Production" at 2027-01-04 00:00 for 90m engineer Bosko Kocev validators Luis Garcia, Rafaella Barrocas' +
        ' — or, as an IRC: schedule deploy 2026.4.0 to "BXCI Production" at 2026-12-28 22:00 for 90m engineer Bosko Kocev validators Luis Garcia, Rafaella Barrocas override freeze <reason>',
    });
  });

  it('a hotfix passes a freeze that lets hotfixes through, in another environment nothing applies', () => {
    expect(decideDeployment(schedule('2026-12-29T03:00:00Z'), undefined, { ...context([yearEnd({ hotfixes: true })], true), actor: steven, now: NOW }).kind).toBe('accepted');
    const staging = { ...(schedule('2026-12-29T03:00:00Z') as Extract<DeploymentCommand, { type: 'schedule' }>), environment: { key: 'bxci-staging', name: 'BXCI Staging' } };
    expect(decideDeployment(staging, undefined, { ...context([yearEnd()]), actor: steven, now: NOW }).kind).toBe('accepted');
  });

  it('refuses to start a deployment scheduled before the freeze was known, once the freeze covers its window', () => {
    const scheduled = decideDeployment(schedule('2026-12-29T03:00:00Z'), undefined, { ...context([]), actor: steven, now: NOW });
    if (scheduled.kind !== 'accepted') throw new Error(scheduled.reason);
    const covered = decideDeployment({ type: 'confirmOnCall', person: bosko.id }, scheduled.state, { ...context([yearEnd()]), actor: steven, now: NOW });
    if (covered.kind !== 'accepted') throw new Error(covered.reason);
    const state: DeploymentState = covered.state;
    const refused = decideDeployment({ type: 'start' }, state, { ...context([yearEnd()]), actor: steven, now: new Date('2026-12-29T03:05:00Z') });
    expect(refused).toMatchObject({ kind: 'refusal', code: 'frozen' });
    expect(refused.kind === 'refusal' && refused.reason).toContain('Starting Deploy 2026.4.0 to BXCI Production now (Mon 28 Dec 2026, 22:05–23:35 EST');
    expect(refused.kind === 'refusal' && refused.reason).toContain('until the freeze ends on Mon 4 Jan 2027, 00:00 EST');
  });

  it('an IRC overrides with a reason: recorded as an event on the deployment, and the start inside the same freeze needs no second override', () => {
    const command = { ...(schedule('2026-12-29T03:00:00Z') as Extract<DeploymentCommand, { type: 'schedule' }>), freezeOverride: ' customer-critical fix ' };
    const outcome = decideDeployment(command, undefined, { ...context([yearEnd()]), actor: steven, now: NOW });
    if (outcome.kind !== 'accepted') throw new Error(outcome.reason);
    expect(outcome.events.map((e) => e.type)).toEqual(['deploymentScheduled', 'freezeOverridden']);
    expect(outcome.events[1]).toEqual({
      type: 'freezeOverridden',
      at: NOW.toISOString(),
      by: steven.id,
      freeze: 'Year-end close',
      from: '2026-12-24T05:00:00.000Z',
      to: '2027-01-04T05:00:00.000Z',
      reason: 'customer-critical fix',
      during: 'schedule',
    });
    expect(outcome.state.freezeOverrides).toEqual([{ freeze: 'Year-end close', reason: 'customer-critical fix', by: steven.id, at: NOW.toISOString() }]);
    const covered = decideDeployment({ type: 'confirmOnCall', person: bosko.id }, outcome.state, { ...context([yearEnd()]), actor: steven, now: NOW });
    if (covered.kind !== 'accepted') throw new Error(covered.reason);
    const started = decideDeployment({ type: 'start' }, covered.state, { ...context([yearEnd()]), actor: steven, now: new Date('2026-12-29T03:00:00Z') });
    expect(started.kind === 'accepted' && started.events.map((e) => e.type)).toEqual(['deploymentStarted']);
  });

  it('an override at start is recorded before the start; an override where no freeze applies is refused', () => {
    const scheduled = decideDeployment(schedule('2026-12-29T03:00:00Z'), undefined, { ...context([]), actor: steven, now: NOW });
    if (scheduled.kind !== 'accepted') throw new Error(scheduled.reason);
    const covered = decideDeployment({ type: 'confirmOnCall', person: bosko.id }, scheduled.state, { ...context([]), actor: steven, now: NOW });
    if (covered.kind !== 'accepted') throw new Error(covered.reason);
    const at = new Date('2026-12-29T03:00:00Z');
    const started = decideDeployment({ type: 'start', freezeOverride: 'regulator deadline' }, covered.state, { ...context([yearEnd()]), actor: steven, now: at });
    expect(started.kind === 'accepted' && started.events.map((e) => [e.type, e.type === 'freezeOverridden' ? e.during : ''])).toEqual([
      ['freezeOverridden', 'start'],
      ['deploymentStarted', ''],
    ]);
    const needless = decideDeployment({ type: 'start', freezeOverride: 'just in case' }, covered.state, { ...context([]), actor: steven, now: at });
    expect(needless).toMatchObject({ kind: 'refusal', code: 'invalid-input', reason: expect.stringContaining('nothing to override') });
  });
});
