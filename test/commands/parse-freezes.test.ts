import { parseCommand, parseTeamsMessage } from '../../src/commands/parse-command';
import { ENVIRONMENTS, OPTIONS, PROD, STAGING } from './fixtures';

// `freeze` and `unfreeze` as people type them: the parts in any order, the reason after `reason:` or
// in the words left over, a hotfix flag with or without brackets, times in the configured zone
// (daylight saving included) or the one written, and a plain answer with an example for the rest.

const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : d);
function freeze(text: string) {
  const result = parseCommand(text, OPTIONS);
  if (!result.ok) throw new Error(result.error);
  const command = result.command as any;
  return { ...command, from: iso(command.from), until: iso(command.until) };
}
function error(text: string): string {
  const result = parseCommand(text, OPTIONS);
  if (result.ok) throw new Error(`parsed: ${JSON.stringify(result.command)}`);
  return `${result.error}\n${result.usage}`;
}

describe('freeze', () => {
  it('reads the example of the help card: the end in the configured zone, the reason after reason:, the hotfix flag in brackets', () => {
    expect(freeze('freeze "BXCI Production" until 2026-04-20 09:00 reason: quarter close [hotfixes allowed]')).toEqual({
      name: 'freeze',
      environments: [PROD],
      reason: 'quarter close',
      from: undefined,
      until: '2026-04-20T13:00:00.000Z', // 09:00 EDT
      hotfixes: true,
    });
  });

  it('takes the parts in any order; the words left over are the reason', () => {
    expect(freeze('freeze bxci staging quarter close from 2026-12-24 until 2027-01-03 hotfixes allowed')).toMatchObject({
      environments: [STAGING],
      reason: 'quarter close',
      from: '2026-12-24T05:00:00.000Z', // 00:00 EST
      until: '2027-01-04T05:00:00.000Z', // a date alone includes that day
      hotfixes: true,
    });
    expect(freeze('freeze "BXCI Staging" for 3d reason: load test (no hotfixes)')).toMatchObject({ reason: 'load test', until: { minutes: 4320 }, hotfixes: false });
    expect(freeze('freeze "BXCI Staging" for 2 days audit')).toMatchObject({ reason: 'audit', until: { minutes: 2880 } });
    expect(freeze('freeze "BXCI Staging" for 12h audit')).toMatchObject({ reason: 'audit', until: { minutes: 720 } });
  });

  it('keeps "for", "until" and dates that are not its parts in the reason', () => {
    expect(freeze('freeze "BXCI Staging" until 2026-04-20 hold for the auditors')).toMatchObject({ reason: 'hold for the auditors' });
    expect(freeze('freeze "BXCI Staging" until 2026-04-20 reason: until the 2026-04 audit is signed off')).toMatchObject({
      reason: 'until the 2026-04 audit is signed off',
      until: '2026-04-21T04:00:00.000Z',
    });
  });

  it('reads a zone written after the time, and skips a clock change correctly', () => {
    expect(freeze('freeze all until 2026-04-20 09:00 UTC audit')).toMatchObject({ environments: ENVIRONMENTS, until: '2026-04-20T09:00:00.000Z' });
    expect(freeze('freeze all environments until 2026-04-20 09:00 Europe/London audit')).toMatchObject({ environments: ENVIRONMENTS, until: '2026-04-20T08:00:00.000Z' });
    // 1:30 happens twice on 1 Nov 2026 in New York: a freeze ending then ends at the second one.
    expect(freeze('freeze all until 2026-11-01 01:30 audit')).toMatchObject({ until: '2026-11-01T06:30:00.000Z' });
  });

  it('says what is missing, with an example that works', () => {
    expect(error('freeze')).toContain('freeze needs the environment, its end and a reason, for example freeze "BXCI Production" until 2026-04-20 09:00 reason: quarter close hotfixes allowed.');
    expect(error('freeze "BXCI Staging" for 3 fortnights audit')).toContain('`3` needs a unit: for 3m (minutes) or for 3h (hours), or in days like 3d.');
    expect(error('freeze "BXCI Staging" until 2026-13-01 audit')).toContain('"2026-13-01" is not a real date and time');
    const abbreviated = error('freeze "BXCI Staging" until 2026-04-20 09:00 EST audit');
    expect(abbreviated).toContain('could mean more than one thing around daylight saving. Write UTC, or a place like America/New_York, after the time.');
    expect(abbreviated).toContain('Example: freeze "BXCI Production" until 2026-04-20 09:00 reason: quarter close hotfixes allowed');
    expect(error('freeze Moon until 2026-04-20 audit')).toContain('`Moon` is not an environment I deploy to. The environments are BXCI Production and BXCI Staging. Or write all for every environment.');
  });

  it('reads through Teams markup', () => {
    const result = parseTeamsMessage('<at>lendos</at> freeze&nbsp;"BXCI Staging" until 2026-04-20 reason: audit', OPTIONS);
    expect(result).toMatchObject({ ok: true, command: { name: 'freeze', environments: [STAGING], reason: 'audit' } });
  });
});

describe('unfreeze', () => {
  it('names an environment, all of them, or a freeze by its name', () => {
    expect(parseCommand('unfreeze "BXCI Production"', OPTIONS)).toEqual({ ok: true, command: { name: 'unfreeze', environments: [PROD] } });
    expect(parseCommand('unfreeze bxci-staging.', OPTIONS)).toEqual({ ok: true, command: { name: 'unfreeze', environments: [STAGING] } });
    expect(parseCommand('unfreeze all', OPTIONS)).toEqual({ ok: true, command: { name: 'unfreeze', environments: ENVIRONMENTS } });
    expect(parseCommand('unfreeze “quarter close”', OPTIONS)).toEqual({ ok: true, command: { name: 'unfreeze', environments: ENVIRONMENTS, freeze: 'quarter close' } });
    expect(parseCommand('unfreeze quarter close', OPTIONS)).toEqual({ ok: true, command: { name: 'unfreeze', environments: ENVIRONMENTS, freeze: 'quarter close' } });
  });

  it('alone says what it needs', () => {
    expect(error('unfreeze')).toContain('unfreeze needs the environment or the freeze, for example unfreeze "BXCI Production" or unfreeze "quarter close".');
  });
});
