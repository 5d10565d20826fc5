import { formatUsage, parseCommand } from '../../src/commands/parse-command';
import { OPTIONS, PROD, STAGING } from './fixtures';

// lock / unlock and `override freeze <reason>`, as typed.

describe('lock and unlock', () => {
  it('reads the environment, the reason and how long: for a duration, until a time, or the default 2 hours', () => {
    expect(parseCommand('lock "BXCI Production" DB migration dry run for 2h', OPTIONS)).toEqual({
      ok: true,
      command: { name: 'lock', environment: PROD, reason: 'DB migration dry run', until: { minutes: 120 } },
    });
    const until = parseCommand('lock bxci-staging load test until 2026-04-14 18:00', OPTIONS);
    expect(until).toEqual({ ok: true, command: { name: 'lock', environment: STAGING, reason: 'load test', until: new Date('2026-04-14T22:00:00Z') } });
    // "for the audit" is part of the reason: no duration follows it.
    expect(parseCommand('lock "BXCI Staging" held for the audit', OPTIONS)).toEqual({
      ok: true,
      command: { name: 'lock', environment: STAGING, reason: 'held for the audit', until: { minutes: 120 } },
    });
    expect(parseCommand('unlock "BXCI Staging"', OPTIONS)).toEqual({ ok: true, command: { name: 'unlock', environment: STAGING } });
  });

  it('says what is wrong, with the usage and a complete example', () => {
    expect(parseCommand('lock', OPTIONS)).toMatchObject({ ok: false, command: 'lock', usage: formatUsage('lock') });
    expect(formatUsage('lock')).toContain('Example: lock "BXCI Production" database migration dry run for 2h');
    expect(parseCommand('lock "BXCI Staging" for 2h', OPTIONS)).toMatchObject({ ok: false, error: expect.stringContaining('lock needs a reason') });
    expect(parseCommand('lock Nowhere dry run', OPTIONS)).toMatchObject({ ok: false, error: expect.stringContaining('is not an environment I deploy to') });
    expect(parseCommand('lock "BXCI Staging" dry run until 18:00', OPTIONS)).toMatchObject({ ok: false, error: expect.stringContaining('needs the date too') });
    expect(parseCommand('unlock "BXCI Staging" now please', OPTIONS)).toMatchObject({ ok: false, error: expect.stringContaining('unlock takes only the environment') });
  });
});

describe('override freeze', () => {
  it('ends schedule, reschedule and start; the reason keeps words that start schedule\'s parts', () => {
    const schedule = parseCommand('schedule deploy 2026.4.0 to "BXCI Production" at 2026-04-14 22:00 engineer jake validators luis override freeze fix needed for month end', OPTIONS);
    expect(schedule).toMatchObject({ ok: true, command: { name: 'schedule', engineer: 'jake', validators: ['luis'], freezeOverride: 'fix needed for month end' } });
    expect(parseCommand('start override freeze regulator deadline', OPTIONS)).toEqual({ ok: true, command: { name: 'start', freezeOverride: 'regulator deadline' } });
    expect(parseCommand('reschedule at 2026-04-15 22:00 override freeze board asked', OPTIONS)).toMatchObject({
      ok: true,
      command: { name: 'reschedule', freezeOverride: 'board asked' },
    });
    expect(parseCommand('start override freeze', OPTIONS)).toMatchObject({ ok: false, command: 'start', error: expect.stringContaining('override freeze needs a reason') });
  });
});
