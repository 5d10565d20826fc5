import fc from 'fast-check';
import {
  CommandName,
  DEFAULT_WINDOW_MINUTES,
  ParsedCommand,
  ParseOptions,
  ParseResult,
  USAGE,
  WindowArg,
  commandNameOf,
  formatUsage,
  parseCommand,
  parseTeamsMessage,
  toWindowInput,
} from '../../src/commands/parse-command';
import type { EnvironmentRef } from '../../src/domain/types';
import { ENVIRONMENT_LIST, ENVIRONMENTS, NY, OPTIONS, PEOPLE, PICKABLE, PROD, STAGING, deployment } from './fixtures';

// The deployment commands (runbook 3.1–5) as typed in Teams. "22:00 on 14 Apr 2026" in New York
// (EDT, UTC-4) is 02:00 UTC on the 15th.

function parsed(text: string, options: ParseOptions = OPTIONS): ParsedCommand {
  const result = parseTeamsMessage(text, options);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(text)} to parse, got: ${result.error}`);
  return result.command;
}

const at = (iso: string, timeZone: string = NY, minutes?: number): WindowArg => ({
  start: new Date(iso),
  timeZone,
  ...(minutes === undefined ? {} : { minutes }),
});
const TUE_22_NY = '2026-04-15T02:00:00Z';
const prod = deployment('2026.4.0', PROD);
const staging = deployment('2026.4.0', STAGING);

describe('schedule deploy with parts missing: the form, prefilled with what was written', () => {
  it.each<[string, ParsedCommand]>([
    ['schedule deploy 2026.4.0', { name: 'scheduleForm', prefill: { version: '2026.4.0' } }],
    ['schedule deploy 2026.4.0 at 2026-04-14 22:00', { name: 'scheduleForm', prefill: { version: '2026.4.0', start: new Date(TUE_22_NY) } }],
    [
      'schedule deploy to "BXCI Production" at 2026-04-14 22:00 for 2h',
      { name: 'scheduleForm', prefill: { environment: PROD, start: new Date(TUE_22_NY), minutes: 120 } },
    ],
    ['schedule deploy at 2026-04-14 22:00 engineer jake', { name: 'scheduleForm', prefill: { start: new Date(TUE_22_NY), engineer: 'jake' } }],
    ['schedule deploy 2026.4.0 to "BXCI Production"', { name: 'scheduleForm', prefill: { version: '2026.4.0', environment: PROD } }],
    ['schedule deploy 2026.4.0 to bxci-staging for 90m validators luis', { name: 'scheduleForm', prefill: { version: '2026.4.0', environment: STAGING, minutes: 90, validators: ['luis'] } }],
  ])('%j', (text, expected) => {
    expect(parsed(text)).toEqual(expected);
  });
});

describe('schedule', () => {
  it.each<[string, ParsedCommand]>([
    // The product brief's example, and as Teams sends it.
    ['/schedule deploy 2026.4.0 to "BXCI Production" at 2026-04-14 22:00 for 90m', { name: 'schedule', deployment: prod, window: at(TUE_22_NY, NY, 90) }],
    [
      '<p><at>lendos</at>&nbsp;schedule deploy 2026.4.0 to &quot;BXCI Production&quot; at 2026-04-14 22:00 for 90m</p>',
      { name: 'schedule', deployment: prod, window: at(TUE_22_NY, NY, 90) },
    ],
    // Everything, people as mentions (one element per name, as the classic client sends them).
    [
      '<p><at>LendOS</at> schedule deploy 2026.4.0 to BXCI Production at 2026-04-14 22:00 for 1h30m engineer <at>Jake Edgington</at> ' +
        'validators <at>Luis Garcia</at>, <at>Bosko Kocev</at></p>',
      { name: 'schedule', deployment: prod, window: at(TUE_22_NY, NY, 90), engineer: 'jake', validators: ['luis', 'bosko'] },
    ],
    // The new client splits a mention into one element per word; mentions side by side need no comma.
    [
      '<p><at>lendos</at> schedule deploy 2026.4.0 to bxci-staging at 2026-04-14 22:00 engineer <at>Jake</at> <at>Edgington</at> ' +
        'validators <at>Luis</at> <at>Garcia</at> <at>Rafaella</at> <at>Barrocas</at></p>',
      { name: 'schedule', deployment: staging, window: at(TUE_22_NY), engineer: 'jake', validators: ['luis', 'rafaella'] },
    ],
    // One part per paragraph.
    [
      '<p><at>lendos</at> schedule deploy 2026.4.0 to &quot;BXCI Production&quot;</p><p>at 2026-04-14 22:00</p><p>for 2h</p>' +
        '<p>engineer Jake</p><p>validators Luis &amp; Rafaella</p>',
      { name: 'schedule', deployment: prod, window: at(TUE_22_NY, NY, 120), engineer: 'jake', validators: ['luis', 'rafaella'] },
    ],
    ['schedule deploy 2026.4.0 to "BXCI Production"\nat 2026-04-14 22:00\nfor 1.5h', { name: 'schedule', deployment: prod, window: at(TUE_22_NY, NY, 90) }],
    // Any case, `deployment`, no `deploy` at all, unquoted name or key, curly or single quotes.
    ['SCHEDULE DEPLOY 2026.04.0 TO bxci production AT 2026-04-14 22:00', { name: 'schedule', deployment: prod, window: at(TUE_22_NY) }],
    ['schedule deployment 2026.4.0 to BXCI-PRODUCTION at 2026-04-14 22:00', { name: 'schedule', deployment: prod, window: at(TUE_22_NY) }],
    ['schedule 2026.4.0 to “BXCI Staging” at 2026-04-14 22:00', { name: 'schedule', deployment: staging, window: at(TUE_22_NY) }],
    ["schedule deploy 2026.4.0 to 'bxci-staging' at 2026-04-14 22:00", { name: 'schedule', deployment: staging, window: at(TUE_22_NY) }],
    // Parts in any order, labels with colons, a people list with `and`, keys, first and full names, repeats dropped.
    [
      'schedule deploy 2026.4.0 to "BXCI Production" validators: luis and Rafaella Barrocas, Luis engineer: bosko for 45 min at 2026-04-14 22:00',
      { name: 'schedule', deployment: prod, window: at(TUE_22_NY, NY, 45), engineer: 'bosko', validators: ['luis', 'rafaella'] },
    ],
    ['schedule deploy 2026.4.0 to "BXCI Production" at 2026-04-14 22:00 validator @Luis', { name: 'schedule', deployment: prod, window: at(TUE_22_NY), validators: ['luis'] }],
  ])('%j', (text, expected) => {
    expect(parseTeamsMessage(text, OPTIONS)).toEqual({ ok: true, command: expected });
  });

  it.each<[string, string, string]>([
    ['2026-04-14 22:00', TUE_22_NY, NY],
    ['2026-04-14T22:00', TUE_22_NY, NY],
    ['2026-4-14 9:05', '2026-04-14T13:05:00Z', NY],
    ['2026-04-14 22:00Z', '2026-04-14T22:00:00Z', 'UTC'],
    ['2026-04-14T22:00Z', '2026-04-14T22:00:00Z', 'UTC'],
    ['2026-04-14 22:00 UTC', '2026-04-14T22:00:00Z', 'UTC'],
    ['2026-04-14 22:00 utc', '2026-04-14T22:00:00Z', 'UTC'],
    ['2026-04-14 22:00 GMT', '2026-04-14T22:00:00Z', 'UTC'],
    ['2026-04-14 22:00 (UTC)', '2026-04-14T22:00:00Z', 'UTC'],
    ['2026-04-14 22:00 Europe/Lisbon', '2026-04-14T21:00:00Z', 'Europe/Lisbon'],
    ['2026-04-14 22:00 america/new_york', TUE_22_NY, NY],
    ['2026-04-14 22:00 Asia/Kolkata', '2026-04-14T16:30:00Z', 'Asia/Kolkata'],
    ['2026-04-14 22:00 UTC+2', '2026-04-14T20:00:00Z', 'Etc/GMT-2'],
    ['2026-04-14 22:00 -05:00', '2026-04-15T03:00:00Z', 'Etc/GMT+5'],
    ['2026-04-14 22:00 +00:00', '2026-04-14T22:00:00Z', 'UTC'],
  ])('reads at %j as %s in %s', (when, instant, timeZone) => {
    expect(parsed(`schedule deploy 2026.4.0 to bxci-production at ${when}`)).toEqual({
      name: 'schedule',
      deployment: prod,
      window: { start: new Date(instant), timeZone },
    });
  });

  it.each<[string, number]>([
    ['90m', 90], ['90 m', 90], ['90min', 90], ['90 minutes', 90], ['1h30m', 90], ['1h 30m', 90], ['1h30', 90], ['1 hour 30 minutes', 90],
    ['2h', 120], ['2 hours', 120], ['2hrs', 120], ['1.5h', 90], ['1.25h', 75], ['0.5h', 30], ['15m', 15], ['8h', 480], ['2H', 120], ['90m.', 90],
  ])('reads for %j as %i minutes', (duration, minutes) => {
    expect(parsed(`schedule deploy 2026.4.0 to bxci-production at 2026-04-14 22:00 for ${duration}`)).toMatchObject({ window: { minutes } });
  });

  it('leaves the length out when none is written: the caller applies the runbook estimate', () => {
    const command = parsed('schedule deploy 2026.4.0 to bxci-production at 2026-04-14 22:00') as Extract<ParsedCommand, { name: 'schedule' }>;
    expect(command.window.minutes).toBeUndefined();
    expect(DEFAULT_WINDOW_MINUTES).toBe(90);
    expect(toWindowInput(command.window)).toEqual({ start: new Date(TUE_22_NY), end: new Date('2026-04-15T03:30:00Z') });
    expect(toWindowInput(at(TUE_22_NY, NY, 45))).toEqual({ start: new Date(TUE_22_NY), end: new Date('2026-04-15T02:45:00Z') });
    expect(toWindowInput(command.window, 120).end).toEqual(new Date('2026-04-15T04:00:00Z'));
  });

  it('takes the first of a local time that happens twice, and says so', () => {
    expect(parsed('schedule deploy 2026.4.0 to bxci-production at 2026-11-01 01:30')).toEqual({
      name: 'schedule',
      deployment: prod,
      window: {
        start: new Date('2026-11-01T05:30:00Z'),
        timeZone: NY,
        note:
          '01:30 on Sun 1 Nov 2026 happens twice in America/New_York (clocks go back that night); taken as the first, 01:30 EDT (05:30 UTC). ' +
          'The second is 01:30 EST (06:30 UTC).',
      },
    });
  });

  it('reads times in UTC when no zone is configured', () => {
    const { timeZone: _zone, ...withoutZone } = OPTIONS;
    expect(parsed('schedule deploy 2026.4.0 to bxci-production at 2026-04-14 22:00', withoutZone)).toMatchObject({
      window: { start: new Date('2026-04-14T22:00:00Z'), timeZone: 'UTC' },
    });
  });

  it.each(['schedule', 'schedule deploy', '/schedule deploy', 'Schedule Deployment', 'schedule deploy.', '<p><at>lendos</at>&nbsp;/schedule deploy</p>'])(
    '%j alone asks for the form',
    (text) => {
      expect(parseTeamsMessage(text, OPTIONS)).toEqual({ ok: true, command: { name: 'scheduleForm' } });
      // It names nothing to look up, so it needs no options.
      expect(parseTeamsMessage(text)).toEqual({ ok: true, command: { name: 'scheduleForm' } });
    },
  );

  it('resolves a key before someone else with that first name, and refuses a first name two people share', () => {
    const people = [
      { key: 'luis', name: 'Luis Garcia' },
      { key: 'lsmith', name: 'Luis Smith' },
      { key: 'ana', name: 'Ana Luis' },
    ];
    const options = { ...OPTIONS, people };
    expect(parsed('schedule deploy 2026.4.0 to bxci-production at 2026-04-14 22:00 validators luis, Luis Smith, ana', options)).toMatchObject({
      validators: ['luis', 'lsmith', 'ana'],
    });
    const twoLuises = [{ key: 'lgarcia', name: 'Luis Garcia' }, { key: 'lsmith', name: 'Luis Smith' }];
    expect(parseCommand('schedule deploy 2026.4.0 to bxci-production at 2026-04-14 22:00 validators Luis', { ...OPTIONS, people: twoLuises })).toEqual({
      ok: false,
      command: 'schedule',
      error: '`luis` could be Luis Garcia or Luis Smith; write the full name.',
      usage: formatUsage('schedule'),
    });
  });

  it('reads quoted environments whatever their characters', () => {
    const moon = { key: 'moon', name: '🚀 Moon “Base”' };
    expect(parsed("start 2026.4.0 to '🚀 Moon “Base”'", { ...OPTIONS, environments: [moon] })).toEqual({ name: 'start', deployment: deployment('2026.4.0', moon) });
    expect(parseCommand('start 2026.4.0 to "🚀 Moon"', OPTIONS)).toMatchObject({ ok: false, error: `\`🚀 Moon\` is not an environment I deploy to. ${ENVIRONMENT_LIST}` });
  });

  it('matches the longest configured environment, so "BXCI Production" is not read as a shorter one', () => {
    const environments = [{ key: 'bxci', name: 'BXCI' }, PROD];
    expect(parsed('start 2026.4.0 to BXCI Production', { ...OPTIONS, environments })).toEqual({ name: 'start', deployment: prod });
    expect(parsed('start 2026.4.0 to BXCI', { ...OPTIONS, environments })).toEqual({ name: 'start', deployment: deployment('2026.4.0', { key: 'bxci', name: 'BXCI' }) });
  });
});

describe('reschedule and cancel', () => {
  it.each<[string, ParsedCommand]>([
    ['reschedule deploy 2026.4.0 to "BXCI Production" at 2026-04-15 22:00', { name: 'reschedule', deployment: prod, window: at('2026-04-16T02:00:00Z') }],
    ['reschedule 2026.4.0 to bxci-staging at 2026-04-15 23:00 for 2h', { name: 'reschedule', deployment: staging, window: at('2026-04-16T03:00:00Z', NY, 120) }],
    ['reschedule at 2026-04-15 22:00', { name: 'reschedule', window: at('2026-04-16T02:00:00Z') }],
    ['reschedule deployment at 2026-04-16 02:00Z for 1h', { name: 'reschedule', window: at('2026-04-16T02:00:00Z', 'UTC', 60) }],
    [
      '<p><at>lendos</at> reschedule deploy 2026.4.0 to &quot;BXCI Production&quot; at 2026-04-15 22:00 America/New_York</p>',
      { name: 'reschedule', deployment: prod, window: at('2026-04-16T02:00:00Z') },
    ],
    ['cancel deploy 2026.4.0 to "BXCI Production" month-end close moved', { name: 'cancel', deployment: prod, reason: 'month-end close moved' }],
    ['Cancel 2026.4.0 to BXCI Staging: release pulled — see #engineering', { name: 'cancel', deployment: staging, reason: 'release pulled — see #engineering' }],
    ['cancel deployment 2026.4.0 to bxci-production — freeze\nuntil Monday', { name: 'cancel', deployment: prod, reason: 'freeze\nuntil Monday' }],
    [
      '<p><at>lendos</at> cancel deploy 2026.4.0 to &quot;BXCI Production&quot; <at>Luis Garcia</at> found a blocker</p>',
      { name: 'cancel', deployment: prod, reason: 'Luis Garcia found a blocker' },
    ],
  ])('%j', (text, expected) => {
    expect(parseTeamsMessage(text, OPTIONS)).toEqual({ ok: true, command: expected });
  });
});

describe('on-call coverage', () => {
  it.each<[string, ParsedCommand]>([
    ['confirm on-call', { name: 'confirmOnCall' }],
    ['Confirm On-Call Coverage', { name: 'confirmOnCall' }],
    ['confirm oncall bosko', { name: 'confirmOnCall', person: 'bosko' }],
    ['confirm on call Bosko Kocev', { name: 'confirmOnCall', person: 'bosko' }],
    ['<p><at>lendos</at> confirm on-call <at>Bosko Kocev</at></p>', { name: 'confirmOnCall', person: 'bosko' }],
    [
      '<p><at>lendos</at> confirm on-call <span itemscope="" itemtype="http://schema.skype.com/Mention" itemid="1">Bosko Kocev</span></p>',
      { name: 'confirmOnCall', person: 'bosko' },
    ],
    ['confirm on-call Bosko for 2026.4.0 to BXCI Staging', { name: 'confirmOnCall', deployment: staging, person: 'bosko' }],
    ['confirm on-call 2026.4.0 to "BXCI Production"', { name: 'confirmOnCall', deployment: prod }],
    ['confirm on-call bosko deploy 2026.4.0 to bxci-staging', { name: 'confirmOnCall', deployment: staging, person: 'bosko' }],
    ['override on-call Rafaella Bosko is out sick', { name: 'overrideOnCall', person: 'rafaella', reason: 'Bosko is out sick' }],
    ['override oncall rafaella: Bosko is out sick', { name: 'overrideOnCall', person: 'rafaella', reason: 'Bosko is out sick' }],
    ['<p><at>lendos</at> override on-call <at>Rafaella Barrocas</at> Bosko is out sick</p>', { name: 'overrideOnCall', person: 'rafaella', reason: 'Bosko is out sick' }],
    [
      'override on-call Steven for 2026.4.0 to "BXCI Production" — Jake is on leave',
      { name: 'overrideOnCall', deployment: prod, person: 'steven', reason: 'Jake is on leave' },
    ],
    ['override on-call steven 2026.4.0 to bxci-staging Jake is on leave', { name: 'overrideOnCall', deployment: staging, person: 'steven', reason: 'Jake is on leave' }],
  ])('%j', (text, expected) => {
    expect(parseTeamsMessage(text, OPTIONS)).toEqual({ ok: true, command: expected });
  });
});

describe('the window', () => {
  it.each<[string, ParsedCommand]>([
    ['start', { name: 'start' }],
    ['/start', { name: 'start' }],
    ['Start deployment', { name: 'start' }],
    ['start 2026.4.0 to "BXCI Production"', { name: 'start', deployment: prod }],
    ['<p><at>lendos</at>&nbsp;start 2026.4.0 to &quot;BXCI Production&quot;</p>', { name: 'start', deployment: prod }],
    ['start deploy 2026.4.0 to bxci-staging.', { name: 'start', deployment: staging }],
    ['ready', { name: 'ready' }],
    ['Ready!', { name: 'ready' }],
    ['ready 2026.4.0 to BXCI Production', { name: 'ready', deployment: prod }],
    ['stable', { name: 'stable' }],
    ['<div><div><at>LendOS Release Bot</at> STABLE </div></div>', { name: 'stable' }],
    ['stable 2026.4.0 to bxci staging', { name: 'stable', deployment: staging }],
    ['smoke pass', { name: 'smoke', result: 'pass', notes: '' }],
    ['smoke passed loans, payments and statements checked', { name: 'smoke', result: 'pass', notes: 'loans, payments and statements checked' }],
    ['Smoke Test Pass', { name: 'smoke', result: 'pass', notes: '' }],
    ['smoke pass 2026.4.0 to "BXCI Production"', { name: 'smoke', deployment: prod, result: 'pass', notes: '' }],
    ['smoke fail 2026.4.0 to bxci-staging login loops', { name: 'smoke', deployment: staging, result: 'fail', notes: 'login loops' }],
    ['smoke failed: 2.5 s to load the portfolio', { name: 'smoke', result: 'fail', notes: '2.5 s to load the portfolio' }],
    [
      '<div><div><at>LendOS Release Bot</at> smoke fail login loops on Safari<br>see <a href="https://ci.lendos.example/s/1">https://ci.lendos.example/s/1</a></div></div>',
      { name: 'smoke', result: 'fail', notes: 'login loops on Safari\nsee https://ci.lendos.example/s/1' },
    ],
    ['live', { name: 'live' }],
    ['LIVE 2026.4.0 to "BXCI Production"', { name: 'live', deployment: prod }],
    ['live override Luis is stuck in another incident', { name: 'live', overrideReason: 'Luis is stuck in another incident' }],
    ['<p><at>lendos</at> live override Luis&#39;s pass is stuck in a meeting</p>', { name: 'live', overrideReason: "Luis's pass is stuck in a meeting" }],
    ['live override 2026.4.0 to bxci-production: Luis is out', { name: 'live', deployment: prod, overrideReason: 'Luis is out' }],
    ['abort DAML upgrade failed, rolling back', { name: 'abort', reason: 'DAML upgrade failed, rolling back' }],
    ['abort 2026.4.0 to "BXCI Production" ledger migration stuck', { name: 'abort', deployment: prod, reason: 'ledger migration stuck' }],
    // A number at the start of a reason is not a deployment unless `to` follows it.
    ['abort 2.5 GB left on the ledger disk', { name: 'abort', reason: '2.5 GB left on the ledger disk' }],
    ['abort deployment failed health checks', { name: 'abort', reason: 'deployment failed health checks' }],
  ])('%j', (text, expected) => {
    expect(parseTeamsMessage(text, OPTIONS)).toEqual({ ok: true, command: expected });
  });
});

describe('bug', () => {
  it.each<[string, ParsedCommand]>([
    ['bug Export to CSV times out', { name: 'bug', title: 'Export to CSV times out' }],
    ['bug Export to CSV times out in 2026.4.0', { name: 'bug', title: 'Export to CSV times out', release: '2026.4.0' }],
    ['bug Export to CSV times out, in 2026.04.0 on bxci-production', { name: 'bug', title: 'Export to CSV times out', release: '2026.4.0', environment: PROD }],
    [
      'bug Export to CSV times out in 2026.4.0 on "BXCI Production" -- portfolios over 10k loans',
      { name: 'bug', title: 'Export to CSV times out', details: 'portfolios over 10k loans', release: '2026.4.0', environment: PROD },
    ],
    ['bug Crash in Safari on iPad', { name: 'bug', title: 'Crash in Safari on iPad' }],
    ['bug Crash in Safari on iPad in 2026.4.0', { name: 'bug', title: 'Crash in Safari on iPad', release: '2026.4.0' }],
    ['bug Rates wrong — rounding to cents\nseen by two customers', { name: 'bug', title: 'Rates wrong', details: 'rounding to cents\nseen by two customers' }],
    [
      '<p><at>lendos</at> bug Export to CSV times out in 2026.4.0 on BXCI Production</p><p>Portfolios over 10k loans; started after the deploy.</p>',
      { name: 'bug', title: 'Export to CSV times out', details: 'Portfolios over 10k loans; started after the deploy.', release: '2026.4.0', environment: PROD },
    ],
    ['bug a--b is shown as a–b', { name: 'bug', title: 'a--b is shown as a–b' }],
  ])('%j', (text, expected) => {
    expect(parseTeamsMessage(text, OPTIONS)).toEqual({ ok: true, command: expected });
  });
});

describe('what is wrong, and the usage of the command meant', () => {
  const HAS_ENV = 'schedule deploy 2026.4.0 to "BXCI Production"';
  const WHEN = `${HAS_ENV} at 2026-04-14 22:00`;
  const NEEDS_ENV = (written: string) => `${written} needs the environment: ${written} to <environment>. ${ENVIRONMENT_LIST}`;
  const NOT_ENV = (written: string) => `\`${written}\` is not an environment I deploy to. ${ENVIRONMENT_LIST}`;
  const ZONE_HINT = 'Write UTC, or a place like America/New_York, after the time.';
  const NOT_A_DATE = (written: string) =>
    `\`${written}\` is not a date and time. Write it as YYYY-MM-DD HH:MM (24-hour, America/New_York time), for example 2026-04-14 22:00.`;

  type Case = [text: string, error: string, command: CommandName];
  const cases: Case[] = [
    ['schedule deploy 2026.4.0 to', NEEDS_ENV('schedule deploy 2026.4.0'), 'schedule'],
    ['schedule deploy 2026.4.0 "BXCI Production" at 2026-04-14 22:00', 'Write to between the version and the environment: schedule deploy 2026.4.0 to <environment>.', 'schedule'],
    ['schedule deploy latest to "BXCI Production"', '`latest` is not a release version. Write it as YEAR.MONTH.PATCH, for example 2026.4.0.', 'schedule'],
    ['schedule deploy 2026.4 to "BXCI Production"', '`2026.4` is not a release version. Write it as YEAR.MONTH.PATCH, for example 2026.4.0.', 'schedule'],
    ['schedule deploy 2026.4.0-rc.3 to "BXCI Production" at 2026-04-14 22:00', '`2026.4.0-rc.3` is an RC, not a release version. The release is 2026.4.0.', 'schedule'],
    ['schedule deploy 2026.13.0 to "BXCI Production"', '`2026.13.0` is not a release version: the month must be 1 to 12. Write it as YEAR.MONTH.PATCH, for example 2026.4.0.', 'schedule'],
    ['schedule deploy 2026.4.0 to BXCI Prod at 2026-04-14 22:00', NOT_ENV('BXCI Prod'), 'schedule'],
    ['schedule deploy 2026.4.0 to "Production" at 2026-04-14 22:00', NOT_ENV('Production'), 'schedule'],
    ['schedule deploy 2026.4.0 to "BXCI Production at 2026-04-14 22:00', 'The environment\'s closing quote is missing: write it as "BXCI Production".', 'schedule'],
    ['schedule deploy 2026.4.0 to "" at 2026-04-14 22:00', `The quotes hold no environment. ${ENVIRONMENT_LIST}`, 'schedule'],
    [
      `${HAS_ENV} tonight at 2026-04-14 22:00`,
      "I don't understand `tonight` after the environment. Next come at <YYYY-MM-DD HH:MM>, then optionally for <duration>, engineer <person> and validators <person>, <person>…",
      'schedule',
    ],
    [`${HAS_ENV} at`, 'at needs the date and time: at YYYY-MM-DD HH:MM, for example at 2026-04-14 22:00.', 'schedule'],
    [`${HAS_ENV} at 22:00`, 'at 22:00 needs the date too: at YYYY-MM-DD 22:00, for example at 2026-04-14 22:00.', 'schedule'],
    [`${HAS_ENV} at 2026-04-14`, 'at 2026-04-14 needs the time too: at 2026-04-14 HH:MM (24-hour), for example at 2026-04-14 22:00.', 'schedule'],
    [`${HAS_ENV} at tomorrow 22:00`, NOT_A_DATE('tomorrow 22:00'), 'schedule'],
    [`${HAS_ENV} at 14/04/2026 22:00`, NOT_A_DATE('14/04/2026 22:00'), 'schedule'],
    [`${HAS_ENV} at 2026-04-14 10pm`, NOT_A_DATE('2026-04-14 10pm'), 'schedule'],
    [
      `${HAS_ENV} at 2026-04-31 22:00`,
      '`2026-04-31 22:00` is not a date and time: April 2026 has 30 days. Write it as YYYY-MM-DD HH:MM (24-hour, America/New_York time), for example 2026-04-14 22:00.',
      'schedule',
    ],
    [
      `${HAS_ENV} at 2026-04-14 24:00`,
      '`2026-04-14 24:00` is not a date and time: the time must be 00:00 to 23:59. Write it as YYYY-MM-DD HH:MM (24-hour, America/New_York time), for example 2026-04-14 22:00.',
      'schedule',
    ],
    [
      `${HAS_ENV} at 2026-03-08 02:30`,
      '2026-03-08 02:30 does not exist in America/New_York: on Sun 8 Mar 2026 clocks jump from 02:00 EST to 03:00 EDT. Pick a time before 02:00 or from 03:00.',
      'schedule',
    ],
    [`${WHEN} EST`, `\`EST\` could mean more than one thing around daylight saving. ${ZONE_HINT}`, 'schedule'],
    [`${WHEN} Mars/Olympus_Mons`, `\`Mars/Olympus_Mons\` is not a time zone I know. ${ZONE_HINT}`, 'schedule'],
    [`${WHEN} tonight`, `\`tonight\` is not a time zone. ${ZONE_HINT}`, 'schedule'],
    [`${WHEN} UTC please`, "at takes the date, the time and optionally a time zone; I don't understand `please`.", 'schedule'],
    [`${HAS_ENV} at 2026-04-14 22:00Z UTC`, 'Z already means UTC; leave out `UTC`.', 'schedule'],
    [`${WHEN} +05:30`, '`+05:30` is not a whole-hour offset; write the zone as a place, for example Asia/Kolkata.', 'schedule'],
    [`${WHEN} UTC+15`, `\`UTC+15\` is not a UTC offset. ${ZONE_HINT}`, 'schedule'],
    [`${WHEN} for`, 'for needs the duration, like 90m, 1h30m, 2h or 1.5h.', 'schedule'],
    [`${WHEN} for 90`, '`90` needs a unit: for 90m (minutes) or for 90h (hours).', 'schedule'],
    [`${WHEN} for ages`, '`ages` is not a duration. Write it like 90m, 1h30m, 2h or 1.5h.', 'schedule'],
    [`${WHEN} for 1.33h`, '`1.33h` is not a whole number of minutes; write it like 1h20m.', 'schedule'],
    [`${WHEN} for 0m`, '`0m` is no time at all; a window needs a length, for example 90m.', 'schedule'],
    [`${WHEN} at 2026-04-15 22:00`, 'at is given twice; give it once.', 'schedule'],
    [`${WHEN} for 90m for 2h`, 'for is given twice; give it once.', 'schedule'],
    [`${WHEN} Validators luis validator bosko`, 'validator is given twice; give it once.', 'schedule'],
    [`${WHEN} engineer`, 'engineer needs the person who runs the deployment: engineer <person>, for example engineer Jake.', 'schedule'],
    [`${WHEN} engineer Bob`, `\`Bob\` is not someone I know. ${PICKABLE}`, 'schedule'],
    [`${WHEN} engineer Jake Bosko`, 'The deployment engineer is one person; `Jake Bosko` names Jake Edgington and Bosko Kocev.', 'schedule'],
    [`${WHEN} validators`, 'validators needs at least one person: validators <person>, <person>…, for example validators Luis, Rafaella.', 'schedule'],
    [`${WHEN} validators Luis, Bob and Zed Quinn`, `\`Bob\` and \`Zed Quinn\` are not people I know. ${PICKABLE}`, 'schedule'],
    [`${WHEN} validators Luis Garciaa`, `\`Garciaa\` is not someone I know. ${PICKABLE}`, 'schedule'],

    ['reschedule', 'reschedule needs the new start, for example reschedule at 2026-04-14 22:00.', 'reschedule'],
    ['reschedule deploy 2026.4.0 to "BXCI Production"', 'reschedule needs the new start, for example reschedule deploy 2026.4.0 to "BXCI Production" at 2026-04-14 22:00.', 'reschedule'],
    ['reschedule 2026.4.0 at 2026-04-15 22:00', NEEDS_ENV('reschedule 2026.4.0'), 'reschedule'],
    ['reschedule tomorrow', "I don't understand `tomorrow` after reschedule. reschedule takes at <YYYY-MM-DD HH:MM> and optionally for <duration>.", 'reschedule'],
    [
      'reschedule at 2026-04-15 22:00 engineer jake',
      'reschedule only moves the window; the engineer and validators stay as scheduled. To change them, cancel the deployment and schedule it again.',
      'reschedule',
    ],

    ['cancel', 'cancel deploy needs the release version and the environment, for example cancel deploy 2026.4.0 to "BXCI Production" <reason>.', 'cancel'],
    ['cancel that', '`that` is not a release version. Write it as YEAR.MONTH.PATCH, for example 2026.4.0.', 'cancel'],
    ['cancel deploy 2026.4.0 to "BXCI Production"', 'cancel needs a reason, for the company notification: cancel deploy 2026.4.0 to "BXCI Production" <reason>.', 'cancel'],
    ['cancel deploy 2026.4.0 to Prod freeze', NOT_ENV('Prod'), 'cancel'],

    ['confirm', 'confirm needs what to confirm: confirm on-call [<person>].', 'confirm'],
    ['confirm rc.3', '`rc.3` is not something I confirm; write confirm on-call [<person>].', 'confirm'],
    ['confirm on-call Bob', `\`Bob\` is not someone I know. ${PICKABLE}`, 'confirm'],
    ['confirm on-call Luis Bosko', 'The on-call engineer is one person; `Luis Bosko` names Luis Garcia and Bosko Kocev.', 'confirm'],
    ['confirm on-call bosko 2026.4.0', NEEDS_ENV('confirm on-call 2026.4.0'), 'confirm'],
    ['confirm on-call bosko 2026.4.0 to "BXCI Production" now', "I don't understand `now` after the deployment.", 'confirm'],

    ['override', 'override needs what to override: override on-call <person> <reason>.', 'override'],
    ['override rc.3', '`rc.3` is not something I override; write override on-call <person> <reason>.', 'override'],
    ['override on-call', 'override on-call needs the person who covers instead, and a reason: override on-call <person> <reason>.', 'override'],
    ['override on-call Bob is free', `\`Bob\` is not someone I know. ${PICKABLE}`, 'override'],
    ['override on-call Rafaella', "override on-call needs a reason (why the scheduled on-call engineer can't cover), so it is on record.", 'override'],
    ['override on-call Rafaella 2026.4.0 to "BXCI Production"', "override on-call needs a reason (why the scheduled on-call engineer can't cover), so it is on record.", 'override'],

    ['start now', "start takes only the deployment, if any: start [<version> to <environment>]. I don't understand `now`.", 'start'],
    ['start deploy now', "start takes only the deployment, if any: start [<version> to <environment>]. I don't understand `now`.", 'start'],
    ['start 2026.4 to "BXCI Production"', '`2026.4` is not a release version. Write it as YEAR.MONTH.PATCH, for example 2026.4.0.', 'start'],
    ['ready 2026.4.0', NEEDS_ENV('ready 2026.4.0'), 'ready'],
    ['ready 2026.4.0 to Prod East', NOT_ENV('Prod East'), 'ready'],
    ['stable 2026.4.0 to "BXCI Production" yes', "stable takes only the deployment, if any: stable [<version> to <environment>]. I don't understand `yes`.", 'stable'],

    ['smoke', 'smoke needs pass or fail: smoke pass [<notes>] or smoke fail <what failed>.', 'smoke'],
    ['smoke ok', '`ok` is neither pass nor fail.', 'smoke'],
    ['smoke fail', 'smoke fail needs notes saying what failed, so the engineer can act on it.', 'smoke'],
    ['smoke fail 2026.4.0 to "BXCI Production"', 'smoke fail needs notes saying what failed, so the engineer can act on it.', 'smoke'],
    ['smoke pass 2026.4.0 to Prod all good', NOT_ENV('Prod'), 'smoke'],

    ['live now', "live takes only the deployment, if any; to go live without every validator's pass an IRC writes live override <reason>. I don't understand `now`.", 'live'],
    ['live override', "live override needs a reason (why it goes live without every validator's pass), so it is on record.", 'live'],
    ['live 2026.4.0', NEEDS_ENV('live 2026.4.0'), 'live'],

    ['abort', 'abort needs a reason, for the record and the incident review.', 'abort'],
    ['abort deploy', 'abort needs a reason, for the record and the incident review.', 'abort'],
    ['abort 2026.4.0 to "BXCI Production"', 'abort needs a reason, for the record and the incident review.', 'abort'],
    ['abort 2026.4.0-rc.3 to "BXCI Production" ledger stuck', '`2026.4.0-rc.3` is an RC, not a release version. The release is 2026.4.0.', 'abort'],

    ['bug', 'bug needs a title saying what is wrong, for example bug Export to CSV times out in 2026.4.0.', 'bug'],
    ['bug in 2026.4.0', 'bug needs a title saying what is wrong, for example bug Export to CSV times out in 2026.4.0.', 'bug'],
    ['bug -- only details', 'bug needs a title saying what is wrong, for example bug Export to CSV times out in 2026.4.0.', 'bug'],
    ['bug Totals off in 2026.4.0 on loans page', NOT_ENV('loans page'), 'bug'],
    ['bug Totals off in 2026.13.0', '`2026.13.0` is not a release version: the month must be 1 to 12. Write it as YEAR.MONTH.PATCH, for example 2026.4.0.', 'bug'],
    ['bug Totals off in 2026.4.0 on "BXCI Production" today', "I don't understand `today` after the environment; put details after -- or on the next line.", 'bug'],
  ];

  const rows = cases.map(([text, error, command]) => ({ text, error, command }));
  it.each(rows)('$text', ({ text, error, command }) => {
    expect(parseCommand(text, OPTIONS)).toEqual({ ok: false, command, error, usage: formatUsage(command) });
  });

  it.each<[string, CommandName]>([
    ['schedul deploy', 'schedule'],
    ['shedule deploy', 'schedule'],
    ['reshedule at 2026-04-15 22:00', 'reschedule'],
    ['eschedule', 'reschedule'],
    ['cancle deploy', 'cancel'],
    ['confrim on-call', 'confirm'],
    ['overide on-call', 'override'],
    ['strat', 'start'],
    ['raedy', 'ready'],
    ['stabel', 'stable'],
    ['smoek pass', 'smoke'],
    ['lvie', 'live'],
    ['abrot rollback', 'abort'],
    ['bgu Export broken', 'bug'],
  ])('suggests %j is %s', (text, suggestion) => {
    const head = text.split(' ')[0];
    expect(parseCommand(text, OPTIONS)).toEqual({
      ok: false,
      suggestion,
      error: `\`${head}\` is not a command. Did you mean ${suggestion}?`,
      usage: formatUsage(suggestion),
    });
  });

  it('says so when the handler passed no environments or people', () => {
    expect(parseCommand('start 2026.4.0 to "BXCI Production"')).toEqual({
      ok: false,
      command: 'start',
      error: "I have no environments configured, so I can't tell what `BXCI Production` is.",
      usage: formatUsage('start'),
    });
    expect(parseCommand('confirm on-call luis')).toMatchObject({ ok: false, error: "I have no people configured, so I can't tell who `luis` is." });
    expect(parseCommand('override on-call luis Bosko is out')).toMatchObject({ ok: false, error: "I have no people configured, so I can't tell who `luis` is." });
    // Commands that name neither work without them.
    expect(parseCommand('start')).toEqual({ ok: true, command: { name: 'start' } });
    expect(parseCommand('smoke fail login loops')).toEqual({ ok: true, command: { name: 'smoke', result: 'fail', notes: 'login loops' } });
    expect(parseCommand('bug Export times out in 2026.4.0')).toEqual({ ok: true, command: { name: 'bug', title: 'Export times out', release: '2026.4.0' } });
  });

  it("says so when the configured zone isn't one", () => {
    expect(parseCommand(`${HAS_ENV} at 2026-04-14 22:00`, { ...OPTIONS, timeZone: 'Mars/Base' })).toMatchObject({
      ok: false,
      error: "My configured time zone `Mars/Base` is not a time zone; ask whoever runs me to fix it.",
    });
  });
});

describe('usage and help for the deployment commands', () => {
  it('notes what <deployment>, <zone>, <duration> and <person> mean', () => {
    expect(formatUsage('start')).toBe(
      'Usage: start [<deployment>] [override freeze <reason>]\nExample: start 2026.4.0 to "BXCI Production"\n' +
        '<deployment> is <version> to <environment> (for example 2026.4.0 to "BXCI Production"); leave it out in the deployment\'s thread or meeting chat.',
    );
    expect(formatUsage('schedule')).toBe(
      'Usage: schedule deploy <version> to <environment> at <YYYY-MM-DD HH:MM> [<zone>] [for <duration>] [engineer <person>] [validators <person>, <person>…] [override freeze <reason>]\n' +
        'schedule deploy alone opens the scheduling form.\n' +
        'Example: schedule deploy 2026.4.0 to "BXCI Production" at 2026-04-14 22:00 for 90m engineer Jake validators Luis, Bosko\n' +
        "<zone> is UTC, Z or a place like America/New_York; without it, the time is in the bot's time zone.\n" +
        '<duration> is like 90m, 1h30m, 2h or 1.5h.\n' +
        '<person> is a config key, first name, full name or @mention.',
    );
  });

  it('gives each deployment step to its runbook role', () => {
    const roles = (name: CommandName) => USAGE[name].roles;
    expect(['schedule', 'reschedule', 'cancel', 'confirm', 'override', 'start', 'abort'].map((n) => roles(n as CommandName))).toEqual(
      Array(7).fill(['irc']),
    );
    expect(roles('ready')).toEqual(['deployment-engineer', 'platform']);
    expect(roles('stable')).toEqual(['deployment-engineer', 'platform']);
    expect(roles('smoke')).toEqual(['validator']);
    expect(roles('live')).toEqual(['platform', 'irc']);
    expect(roles('bug')).toEqual(['anyone']);
  });

  it.each(['help schedule', 'help confirm on-call', 'HELP Smoke'])('%j keeps working as a help topic', (text) => {
    expect(parsed(text)).toEqual({ name: 'help', topic: text.slice(5).toLowerCase() });
  });

  it('maps parsed commands back to the command word', () => {
    expect(commandNameOf({ name: 'scheduleForm' })).toBe('schedule');
    expect(commandNameOf({ name: 'confirmOnCall' })).toBe('confirm');
    expect(commandNameOf({ name: 'overrideOnCall', person: 'luis', reason: 'x' })).toBe('override');
    expect(commandNameOf({ name: 'start' })).toBe('start');
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const mixedCase = (text: string) => fc.mixedCase(fc.constant(text));
const pad = (n: number) => fc.constantFrom(String(n), String(n).padStart(2, '0'));

const version = fc
  .tuple(fc.integer({ min: 2000, max: 2999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 999 }))
  .map(([y, m, p]) => `${y}.${m}.${p}`);

/** An environment and a way of writing it. */
const environment = fc.constantFrom(...ENVIRONMENTS).chain((env) =>
  fc
    .tuple(
      fc.constantFrom(env.name, env.key).chain(mixedCase),
      fc.constantFrom<[string, string]>(['', ''], ['"', '"'], ['“', '”'], ["'", "'"]),
    )
    .map(([label, [open, close]]) => ({ env: { key: env.key, name: env.name } as EnvironmentRef, text: `${open}${label}${close}` })),
);

const deploymentRef = fc.tuple(version, environment).map(([v, e]) => ({ value: deployment(v, e.env), text: `${v} ${'to'} ${e.text}` }));

/** A person and a way of naming them: key, full name, first name, typed @first name. */
const person = fc.constantFrom(...PEOPLE).chain((p) =>
  fc.constantFrom(p.key, p.name, p.name.split(' ')[0], `@${p.name.split(' ')[0]}`).chain(mixedCase).map((text) => ({ key: p.key, text })),
);

/** Fixed-offset zones, so expected instants are plain arithmetic. `undefined`: the options' zone (Tokyo, UTC+9). */
const zone = fc.constantFrom<[written: string | undefined, iana: string, offsetMinutes: number]>(
  [undefined, 'Asia/Tokyo', 540],
  ['UTC', 'UTC', 0],
  ['Z', 'UTC', 0],
  ['GMT', 'UTC', 0],
  ['Asia/Kolkata', 'Asia/Kolkata', 330],
  ['asia/tokyo', 'Asia/Tokyo', 540],
  ['UTC+2', 'Etc/GMT-2', 120],
  ['-05:00', 'Etc/GMT+5', -300],
);
const TOKYO: ParseOptions = { ...OPTIONS, timeZone: 'Asia/Tokyo' };

const when = fc
  .record({
    year: fc.integer({ min: 2001, max: 2998 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    zone,
    separator: fc.constantFrom(' ', 'T'),
  })
  .chain((w) =>
    fc.tuple(pad(w.month), pad(w.day), pad(w.hour), mixedCase(w.zone[0] ?? '')).map(([mm, dd, hh, z]) => {
      const clock = `${w.year}-${mm}-${dd}${w.separator}${hh}:${String(w.minute).padStart(2, '0')}`;
      const zoneText = w.zone[0] === undefined ? '' : w.zone[0] === 'Z' ? 'Z' : ` ${w.zone[0] === 'asia/tokyo' ? z : w.zone[0]}`;
      const start = new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - w.zone[2] * 60_000);
      return { text: `${clock}${zoneText}`, start, timeZone: w.zone[1] };
    }),
  );

/** A duration in minutes and one way of writing it. */
const duration = fc.integer({ min: 1, max: 600 }).chain((minutes) => {
  const [h, m] = [Math.floor(minutes / 60), minutes % 60];
  const forms = [`${minutes}m`, `${minutes} min`, `${minutes} minutes`];
  if (h > 0 && m > 0) forms.push(`${h}h${m}m`, `${h}h ${m}m`, `${h}h${m}`, `${h} hours ${m} minutes`);
  if (h > 0 && m === 0) forms.push(`${h}h`, `${h} hours`, `${h}hrs`);
  if ([15, 30, 45].includes(m)) forms.push(`${h + m / 60}h`);
  return fc.constantFrom(...forms).chain(mixedCase).map((text) => ({ minutes, text }));
});

const peopleList = fc
  .uniqueArray(person, { minLength: 1, maxLength: 4, selector: (p) => p.key })
  .chain((people) =>
    fc.array(fc.constantFrom(', ', ' and ', ' & ', '; ', ' '), { minLength: people.length, maxLength: people.length }).map((seps) => ({
      keys: people.map((p) => p.key),
      text: people.map((p, i) => (i === 0 ? p.text : `${seps[i]}${p.text}`)).join(''),
    })),
  );

type Generated = { text: string; expected: ParsedCommand };

const scheduleCommand: fc.Arbitrary<Generated> = fc
  .record({
    head: fc.constantFrom('schedule deploy', 'schedule deployment', 'schedule', '/schedule deploy').chain(mixedCase),
    ref: deploymentRef,
    when,
    duration: fc.option(duration, { nil: undefined }),
    engineer: fc.option(person, { nil: undefined }),
    validators: fc.option(peopleList, { nil: undefined }),
    labels: fc.tuple(mixedCase('at'), mixedCase('for'), fc.constantFrom('engineer', 'Engineer:'), fc.constantFrom('validators', 'Validators:', 'validator')),
  })
  .chain((g) => {
    const parts = [
      `${g.labels[0]} ${g.when.text}`,
      g.duration ? `${g.labels[1]} ${g.duration.text}` : '',
      g.engineer ? `${g.labels[2]} ${g.engineer.text}` : '',
      g.validators ? `${g.labels[3]} ${g.validators.text}` : '',
    ].filter(Boolean);
    return fc
      .tuple(fc.shuffledSubarray(parts, { minLength: parts.length, maxLength: parts.length }), fc.array(fc.constantFrom(' ', '\n'), { minLength: 4, maxLength: 4 }))
      .map(([ordered, separators]) => ({
        text: `${g.head} ${g.ref.text}${ordered.map((part, i) => `${separators[i]}${part}`).join('')}`,
        expected: {
          name: 'schedule',
          deployment: g.ref.value,
          window: { start: g.when.start, timeZone: g.when.timeZone, ...(g.duration ? { minutes: g.duration.minutes } : {}) },
          ...(g.engineer ? { engineer: g.engineer.key } : {}),
          ...(g.validators ? { validators: g.validators.keys } : {}),
        },
      }));
  });

/** Free text that reads as text wherever it goes: words that are no name, no version, no deploy word. */
const LABELS = new Set(PEOPLE.flatMap((p) => [p.key, p.name.split(' ')[0].toLowerCase(), p.name.split(' ')[1].toLowerCase()]));
const textWord = fc
  .stringMatching(/^[a-z][a-z0-9',()/.-]{0,9}$/)
  .filter((w) => !LABELS.has(w.replace(/[^a-z]/g, '')) && !/^(?:deploy(?:ment)?|to|for|in|on)$/.test(w) && !/[.,;:!?-]$/.test(w));
const freeText = fc.array(textWord, { minLength: 1, maxLength: 6 }).map((words) => words.join(' '));
const optionalRef = fc.option(deploymentRef, { nil: undefined });
const withRef = (ref: { value: unknown; text: string } | undefined) => (ref ? ` ${ref.text}` : '');

const windowCommand: fc.Arbitrary<Generated> = fc.oneof(
  fc.tuple(fc.constantFrom('start' as const, 'ready' as const, 'stable' as const), fc.boolean(), optionalRef).chain(([name, deployWord, ref]) =>
    mixedCase(name).map((word) => ({
      text: `${word}${deployWord ? ' deploy' : ''}${withRef(ref)}`,
      expected: { name, ...(ref ? { deployment: ref.value } : {}) },
    })),
  ),
  optionalRef.chain((ref) => mixedCase('live').map((word) => ({ text: `${word}${withRef(ref)}`, expected: { name: 'live' as const, ...(ref ? { deployment: ref.value } : {}) } }))),
  fc.tuple(optionalRef, freeText, fc.constantFrom(' ', ': ', ' — ')).chain(([ref, reason, sep]) =>
    fc.tuple(mixedCase('live'), mixedCase('override')).map(([l, o]) => ({
      text: `${l} ${o}${withRef(ref)}${ref ? sep : ' '}${reason}`,
      expected: { name: 'live' as const, ...(ref ? { deployment: ref.value } : {}), overrideReason: reason },
    })),
  ),
  fc.tuple(fc.constantFrom('pass', 'passed', 'fail', 'failed'), fc.boolean(), optionalRef, fc.option(freeText, { nil: undefined })).chain(([result, test, ref, notes]) => {
    const isPass = result.startsWith('pass');
    const written = isPass ? notes : notes ?? 'login loops';
    return fc.tuple(mixedCase('smoke'), mixedCase(result)).map(([s, r]) => ({
      text: `${s}${test ? ' test' : ''} ${r}${withRef(ref)}${written ? ` ${written}` : ''}`,
      expected: { name: 'smoke' as const, ...(ref ? { deployment: ref.value } : {}), result: isPass ? ('pass' as const) : ('fail' as const), notes: written ?? '' },
    }));
  }),
  fc.tuple(optionalRef, freeText).chain(([ref, reason]) =>
    mixedCase('abort').map((word) => ({ text: `${word}${withRef(ref)} ${reason}`, expected: { name: 'abort' as const, ...(ref ? { deployment: ref.value } : {}), reason } })),
  ),
  fc.tuple(deploymentRef, freeText, fc.constantFrom('cancel deploy', 'cancel deployment', 'cancel')).chain(([ref, reason, head]) =>
    mixedCase(head).map((h) => ({ text: `${h} ${ref.text} ${reason}`, expected: { name: 'cancel' as const, deployment: ref.value, reason } })),
  ),
  fc.tuple(fc.constantFrom('on-call', 'oncall', 'on call'), fc.option(person, { nil: undefined }), fc.constantFrom('', 'for '), optionalRef).chain(([onCall, who, forWord, ref]) =>
    fc.tuple(mixedCase('confirm'), mixedCase(onCall)).map(([c, o]) => ({
      text: `${c} ${o}${who ? ` ${who.text}` : ''}${ref ? ` ${forWord}${ref.text}` : ''}`,
      expected: { name: 'confirmOnCall' as const, ...(ref ? { deployment: ref.value } : {}), ...(who ? { person: who.key } : {}) },
    })),
  ),
  fc.tuple(person, fc.constantFrom('', 'for '), optionalRef, freeText).chain(([who, forWord, ref, reason]) =>
    fc.tuple(mixedCase('override'), mixedCase('on-call')).map(([o, c]) => ({
      text: `${o} ${c} ${who.text}${ref ? ` ${forWord}${ref.text}` : ''} ${reason}`,
      expected: { name: 'overrideOnCall' as const, ...(ref ? { deployment: ref.value } : {}), person: who.key, reason },
    })),
  ),
  fc.tuple(optionalRef, when, fc.option(duration, { nil: undefined })).chain(([ref, w, d]) =>
    mixedCase('reschedule').map((word) => ({
      text: `${word}${ref ? ` deploy ${ref.text}` : ''} at ${w.text}${d ? ` for ${d.text}` : ''}`,
      expected: {
        name: 'reschedule' as const,
        ...(ref ? { deployment: ref.value } : {}),
        window: { start: w.start, timeZone: w.timeZone, ...(d ? { minutes: d.minutes } : {}) },
      },
    })),
  ),
  fc.tuple(freeText, fc.option(fc.tuple(version, fc.option(environment, { nil: undefined })), { nil: undefined }), fc.option(freeText, { nil: undefined }), fc.constantFrom(' -- ', ' — ', '\n')).map(
    ([title, target, details, sep]) => ({
      text: `bug ${title}${target ? ` in ${target[0]}${target[1] ? ` on ${target[1].text}` : ''}` : ''}${details ? `${sep}${details}` : ''}`,
      expected: {
        name: 'bug' as const,
        title,
        ...(details ? { details } : {}),
        ...(target ? { release: target[0] } : {}),
        ...(target?.[1] ? { environment: target[1].env } : {}),
      },
    }),
  ),
);

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** How a client may wrap the text: plain, typed @lendos, or Teams HTML with a mention, paragraphs and <br>. */
const asSent = (text: string) =>
  fc.constantFrom<(t: string) => string>(
    (t) => t,
    (t) => `@lendos ${t}`,
    (t) => `LendOS: ${t}`,
    (t) => `<p><at>lendos</at>&nbsp;${escapeHtml(t).split('\n').join('</p><p>')}</p>`,
    (t) => `<div><div><at>LendOS Release Bot</at> ${escapeHtml(t).split('\n').join('<br>')} </div></div>`,
    (t) => escapeHtml(t).replace(/ /g, '&nbsp;').split('\n').join('<br/>\r\n'),
  ).map((wrap) => wrap(text));

function expectWellFormed(result: ParseResult): void {
  if (result.ok) {
    expect(USAGE[commandNameOf(result.command)]).toBeDefined();
    return;
  }
  expect(typeof result.error).toBe('string');
  expect(result.error.length).toBeGreaterThan(0);
  expect(result.usage).toBe(formatUsage(result.command ?? result.suggestion ?? 'help'));
}

describe('deployment commands: properties', () => {
  it('round-trips every part of a generated schedule, in any order, however Teams wraps it', () => {
    fc.assert(
      fc.property(scheduleCommand.chain((g) => asSent(g.text).map((raw) => ({ raw, expected: g.expected }))), ({ raw, expected }) => {
        expect(parseTeamsMessage(raw, TOKYO)).toEqual({ ok: true, command: expected });
      }),
      { numRuns: 1000 },
    );
  });

  it('round-trips a schedule whose people are Teams @mentions, whole or split per word', () => {
    const mention = fc.constantFrom(...PEOPLE).chain((p) =>
      fc.constantFrom(`<at>${p.name}</at>`, p.name.split(' ').map((part) => `<at>${part}</at>`).join(' ')).map((html) => ({ key: p.key, html })),
    );
    const html = fc
      .record({
        ref: deploymentRef,
        when,
        engineer: mention,
        validators: fc.uniqueArray(mention, { minLength: 1, maxLength: 3, selector: (m) => m.key }),
        separator: fc.constantFrom(', ', ' ', ' and ', '&nbsp;'),
      })
      .map((g) => ({
        raw:
          `<p><at>lendos</at>&nbsp;schedule deploy ${escapeHtml(g.ref.text)} at ${g.when.text} engineer ${g.engineer.html} ` +
          `validators ${g.validators.map((v) => v.html).join(g.separator)}</p>`,
        expected: {
          name: 'schedule' as const,
          deployment: g.ref.value,
          window: { start: g.when.start, timeZone: g.when.timeZone },
          engineer: g.engineer.key,
          validators: g.validators.map((v) => v.key),
        },
      }));
    fc.assert(
      fc.property(html, ({ raw, expected }) => {
        expect(parseTeamsMessage(raw, TOKYO)).toEqual({ ok: true, command: expected });
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips every other generated deployment command, however Teams wraps it', () => {
    fc.assert(
      fc.property(windowCommand.chain((g) => asSent(g.text).map((raw) => ({ raw, expected: g.expected }))), ({ raw, expected }) => {
        expect(parseTeamsMessage(raw, TOKYO)).toEqual({ ok: true, command: expected });
      }),
      { numRuns: 1000 },
    );
  });

  it('names every unknown person and lists who can be picked', () => {
    const stranger = fc.stringMatching(/^[A-Z][a-z]{2,8}$/).filter((name) => !LABELS.has(name.toLowerCase()) && !['And', 'For', 'At', 'Engineer', 'Validator'].includes(name));
    fc.assert(
      fc.property(fc.uniqueArray(stranger, { minLength: 1, maxLength: 3 }), peopleList, (strangers, known) => {
        const result = parseCommand(`schedule deploy 2026.4.0 to bxci-production at 2026-04-14 22:00 validators ${known.text}, ${strangers.join(', ')}`, OPTIONS);
        expect(result).toMatchObject({ ok: false, command: 'schedule' });
        if (result.ok) return;
        for (const name of strangers) expect(result.error).toContain(`\`${name}\``);
        expect(result.error).toContain(PICKABLE);
      }),
    );
  });

  it('never throws on mutations of generated deployment commands, and every answer is well formed', () => {
    const mutation = fc.record({
      at: fc.nat(),
      op: fc.constantFrom('delete', 'insert', 'replace', 'duplicate'),
      char: fc.oneof(
        fc.constantFrom('"', '“', "'", ':', '.', '-', ' ', '\n', '\u00a0', '\u200b', 'Z', '/', '+', '0', '9', 'h', 'm', ',', '<', '&'),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
      ),
    });
    fc.assert(
      fc.property(fc.oneof(scheduleCommand, windowCommand), fc.array(mutation, { minLength: 1, maxLength: 5 }), fc.boolean(), (g, mutations, lookups) => {
        let text = g.text;
        for (const m of mutations) {
          const i = text.length === 0 ? 0 : m.at % text.length;
          if (m.op === 'delete') text = text.slice(0, i) + text.slice(i + 1);
          else if (m.op === 'insert') text = text.slice(0, i) + m.char + text.slice(i);
          else if (m.op === 'replace') text = text.slice(0, i) + m.char + text.slice(i + 1);
          else text = text.slice(0, i) + text.slice(i, i + 4) + text.slice(i);
        }
        const options = lookups ? OPTIONS : {};
        expectWellFormed(parseCommand(text, options));
        expectWellFormed(parseTeamsMessage(text, options));
      }),
      { numRuns: 1000 },
    );
  });
});
