import fc from 'fast-check';
import {
  COMMAND_NAMES,
  CommandName,
  ParsedCommand,
  ParseResult,
  RcRefArg,
  USAGE,
  commandNameOf,
  formatUsage,
  parseCommand,
  parseTeamsMessage,
} from '../../src/commands/parse-command';

import { AREAS, OPTIONS } from './fixtures';

const withAreas = { areas: AREAS };

function parsed(text: string, options = {}): ParsedCommand {
  const result = parseCommand(text, options);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(text)} to parse, got: ${result.error}`);
  return result.command;
}

const short = (rc: number): RcRefArg => ({ kind: 'short', rc });
const full = (release: string, rc: number): RcRefArg => ({ kind: 'full', release, rc });

describe('parseCommand: rc', () => {
  it('reads a bare RC cut', () => {
    expect(parsed('rc 2026.4.0-rc.3')).toEqual({
      name: 'rc',
      release: '2026.4.0',
      rc: 3,
      hotfix: false,
      contents: { features: [], fixes: [], knownIssues: [] },
    });
  });

  it('reads hotfix right after the version, in any case', () => {
    expect(parsed('RC 2026.4.1-RC.1 HotFix')).toMatchObject({ name: 'rc', release: '2026.4.1', rc: 1, hotfix: true });
    expect(parsed('rc 2026.4.1-rc.1 hotfix, fixes: Rate rounding')).toMatchObject({ hotfix: true, contents: { fixes: ['Rate rounding'] } });
  });

  it('reads every field on the same line', () => {
    expect(
      parsed('rc 2026.4.0-rc.3 hotfix features: Loan export; Faster search fixes: Login loop notes: https://wiki.lendos.example/r/2026.4.0 known issues: none'),
    ).toEqual({
      name: 'rc',
      release: '2026.4.0',
      rc: 3,
      hotfix: true,
      contents: {
        features: ['Loan export', 'Faster search'],
        fixes: ['Login loop'],
        notesUrl: 'https://wiki.lendos.example/r/2026.4.0',
        knownIssues: [],
      },
    });
  });

  it('reads fields on following lines, with bullets, aliases and any case', () => {
    const text = [
      'rc 2026.4.0-rc.3',
      'Features:',
      '- Loan export to CSV',
      '• Faster portfolio search',
      '* Dark mode',
      'FIXES: Login loop; Rate rounding (cents)',
      '1. Export & import',
      'Release Notes: https://wiki.lendos.example/r/2026.4.0?tab=full&x=1.',
      'known: Slow first load; Safari 16 banner',
    ].join('\n');
    expect(parsed(text)).toEqual({
      name: 'rc',
      release: '2026.4.0',
      rc: 3,
      hotfix: false,
      contents: {
        features: ['Loan export to CSV', 'Faster portfolio search', 'Dark mode'],
        fixes: ['Login loop', 'Rate rounding (cents)', 'Export & import'],
        notesUrl: 'https://wiki.lendos.example/r/2026.4.0?tab=full&x=1',
        knownIssues: ['Slow first load', 'Safari 16 banner'],
      },
    });
  });

  it('splits • bullets written on one line and merges a field given twice', () => {
    expect(parsed('rc 2026.4.0-rc.3 features: • a • b\nfeatures: c')).toMatchObject({ contents: { features: ['a', 'b', 'c'] } });
  });

  it('keeps a hyphen inside an item and a colon that is no label', () => {
    expect(parsed('rc 2026.4.0-rc.3 fixes: log-in - crash; quick-fix: retry')).toMatchObject({
      contents: { fixes: ['log-in - crash', 'quick-fix: retry'] },
    });
  });

  it.each(['none', 'None.', 'n/a', 'nothing'])('reads known issues: %s as no known issues', (none) => {
    expect(parsed(`rc 2026.4.0-rc.3 known issues: ${none}`)).toMatchObject({ contents: { knownIssues: [] } });
  });

  it('takes the URL out of a labelled link', () => {
    expect(parsed('rc 2026.4.0-rc.3 notes: Release notes (https://wiki.lendos.example/n)')).toMatchObject({
      contents: { notesUrl: 'https://wiki.lendos.example/n' },
    });
  });

  it('normalises the version', () => {
    expect(parsed('rc 2026.04.0-rc.03')).toMatchObject({ release: '2026.4.0', rc: 3 });
  });
});

describe('parseCommand: commands about an RC', () => {
  it.each<[string, ParsedCommand]>([
    ['qa pass rc.3 https://ci.lendos.example/run/812', { name: 'qa', result: 'pass', ref: short(3), summary: 'https://ci.lendos.example/run/812' }],
    ['QA FAIL 2026.4.0-rc.3 export broken\nsee run 812', { name: 'qa', result: 'fail', ref: full('2026.4.0', 3), summary: 'export broken\nsee run 812' }],
    ['qa passed RC.3 all green', { name: 'qa', result: 'pass', ref: short(3), summary: 'all green' }],
    ['approve rc.3', { name: 'approve', ref: short(3) }],
    ['Approve rc.3.', { name: 'approve', ref: short(3) }],
    ['APPROVE 2026.4.0-rc.3', { name: 'approve', ref: full('2026.4.0', 3) }],
    ['approve rc.3 for QA', { name: 'approve', ref: short(3), area: 'qa' }],
    ['reject rc.3 Login FAILS on Safari', { name: 'reject', ref: short(3), reason: 'Login FAILS on Safari' }],
    ['reject 2026.4.0-rc.3 for breaking login', { name: 'reject', ref: full('2026.4.0', 3), reason: 'for breaking login' }],
    ['revoke rc.2', { name: 'revoke', ref: short(2) }],
    ['revoke rc.2 for stream', { name: 'revoke', ref: short(2), area: 'stream' }],
    ['promote rc.3', { name: 'promote', ref: short(3) }],
    ['promote rc.3 https://wiki.lendos.example/r/2026.4.0', { name: 'promote', ref: short(3), notesUrl: 'https://wiki.lendos.example/r/2026.4.0' }],
    ['promote 2026.4.0-rc.3 notes: https://wiki.lendos.example/n.', { name: 'promote', ref: full('2026.4.0', 3), notesUrl: 'https://wiki.lendos.example/n' }],
    ['/approve rc.3', { name: 'approve', ref: short(3) }],
    ['approve: rc.3', { name: 'approve', ref: short(3) }],
  ])('%j', (text, expected) => {
    expect(parsed(text)).toEqual(expected);
  });

  // People write a word or a line after the command: it is the decision's comment, recorded with it.
  describe('a free comment after approve and revoke', () => {
    it.each<[string, ParsedCommand]>([
      ['approve rc.1 looks good 👍', { name: 'approve', ref: short(1), comment: 'looks good 👍' }],
      ['approve rc.1\nthanks!', { name: 'approve', ref: short(1), comment: 'thanks!' }],
      ['approve rc.1 looks good 👍\nthanks!', { name: 'approve', ref: short(1), comment: 'looks good 👍\nthanks!' }],
      ['approve rc.3 lgtm', { name: 'approve', ref: short(3), comment: 'lgtm' }],
      ['approve rc.3, thanks', { name: 'approve', ref: short(3), comment: 'thanks' }],
      ['approve rc.3 — regression is green', { name: 'approve', ref: short(3), comment: 'regression is green' }],
      ['approve rc.3: 🚀', { name: 'approve', ref: short(3), comment: '🚀' }],
      ['approve rc.3 for qa now', { name: 'approve', ref: short(3), area: 'qa', comment: 'now' }],
      ['approve rc.3 for the team, well done', { name: 'approve', ref: short(3), comment: 'for the team, well done' }],
      ['APPROVE 2026.4.0-rc.3 no issues found', { name: 'approve', ref: full('2026.4.0', 3), comment: 'no issues found' }],
      ['revoke rc.3 please, found a data issue', { name: 'revoke', ref: short(3), comment: 'please, found a data issue' }],
      ['revoke rc.2 for stream re-checking', { name: 'revoke', ref: short(2), area: 'stream', comment: 're-checking' }],
    ])('%j', (text, expected) => {
      expect(parsed(text, withAreas)).toEqual(expected);
    });

    it.each<[string, string]>([
      // A second RC: which one is approved?
      ['approve rc.3 rc.4', '`rc.4` names rc.4 too. Write one command per RC: approve rc.3, then approve rc.4.'],
      ['approve rc.3 and rc.4', '`and rc.4` names rc.4 too. Write one command per RC: approve rc.3, then approve rc.4.'],
      // A condition or a "no" recorded as "approved" would be wrong.
      ['approve rc.3 if QA passes', '`if QA passes` after approve rc.3 reads as a condition or a "no", so I recorded nothing. Approve once it holds (approve rc.3), or block it meanwhile: reject rc.3 <reason>.'],
      ['approve rc.3 not yet', '`not yet` after approve rc.3 reads as a condition or a "no", so I recorded nothing. Approve once it holds (approve rc.3), or block it meanwhile: reject rc.3 <reason>.'],
      ['approve rc.3 no', '`no` after approve rc.3 reads as a condition or a "no", so I recorded nothing.'],
      ['approve rc.3 wait for the DAML fix', '`wait for the DAML fix` after approve rc.3 reads as a condition or a "no", so I recorded nothing.'],
      // An area name a typo away, or a lone unknown word after for: meant as an area.
      ['approve rc.3 for dmal looks good', '`dmal` is not an approval area. Did you mean approve rc.3 for daml? The areas are product, qa, daml, stream and platform.'],
      ['approve rc.3 for legal', '`legal` is not an approval area. The areas are product, qa, daml, stream and platform.'],
    ])('%j is refused as ambiguous', (text, error) => {
      const result = parseCommand(text, withAreas);
      expect(result).toEqual({ ok: false, command: text.split(' ')[0], error: expect.stringContaining(error), usage: formatUsage('approve') });
    });

    it('refuses a comment over 1,000 characters, saying the limit and what works', () => {
      const result = parseCommand(`approve rc.3 ${'x'.repeat(1_001)}`, withAreas);
      expect(result).toMatchObject({
        ok: false,
        error:
          'That comment is 1,001 characters long; a comment with approve rc.3 is at most 1,000. ' +
          'Put the long text behind a link, for example approve rc.3 notes in https://wiki.lendos.example/reviews/2026.4.0.',
      });
      expect(parsed('approve rc.3 notes in https://wiki.lendos.example/reviews/2026.4.0', withAreas)).toMatchObject({ name: 'approve', comment: 'notes in https://wiki.lendos.example/reviews/2026.4.0' });
    });
  });

  // A decision meant but not typed as one: nothing is recorded, the caller answers with the command.
  describe('lgtm, +1, approved: a decision hint, not a decision', () => {
    it.each<[string, ParsedCommand]>([
      ['lgtm', { name: 'decisionHint', verb: 'approve', text: 'lgtm' }],
      ['LGTM!', { name: 'decisionHint', verb: 'approve', text: 'LGTM!' }],
      ['+1', { name: 'decisionHint', verb: 'approve', text: '+1' }],
      ['👍', { name: 'decisionHint', verb: 'approve', text: '👍' }],
      ['approved', { name: 'decisionHint', verb: 'approve', text: 'approved' }],
      ['Approved rc.3, thanks', { name: 'decisionHint', verb: 'approve', ref: short(3), text: 'thanks' }],
      ['looks good to me', { name: 'decisionHint', verb: 'approve', text: 'looks good to me' }],
      ['Looks good, ship it', { name: 'decisionHint', verb: 'approve', text: 'Looks good, ship it' }],
      ['lgtm nice work on the export', { name: 'decisionHint', verb: 'approve', text: 'lgtm nice work on the export' }],
      ['approve', { name: 'decisionHint', verb: 'approve' }],
      ['-1 login loops on Safari', { name: 'decisionHint', verb: 'reject', text: 'login loops on Safari' }],
      ['reject', { name: 'decisionHint', verb: 'reject' }],
    ])('%j', (text, expected) => {
      expect(parsed(text, withAreas)).toEqual(expected);
    });
  });

  describe('with the configured areas', () => {
    it.each<[string, ParsedCommand]>([
      ['approve rc.3 for Platform', { name: 'approve', ref: short(3), area: 'platform' }],
      ['reject rc.3 for qa flaky regression suite', { name: 'reject', ref: short(3), area: 'qa', reason: 'flaky regression suite' }],
      ['reject rc.3 for breaking login', { name: 'reject', ref: short(3), reason: 'for breaking login' }],
      ['reject rc.3 for', { name: 'reject', ref: short(3), reason: 'for' }],
      ['revoke rc.3 for DAML', { name: 'revoke', ref: short(3), area: 'daml' }],
    ])('%j', (text, expected) => {
      expect(parsed(text, withAreas)).toEqual(expected);
    });

    it('returns the area as configured', () => {
      expect(parsed('approve rc.3 for qa', { areas: ['Product', 'QA'] })).toMatchObject({ area: 'QA' });
    });
  });
});

describe('parseCommand: other commands', () => {
  it.each<[string, ParsedCommand]>([
    ['status', { name: 'status' }],
    ['status 2026.4.0', { name: 'status', release: '2026.4.0' }],
    ['status 2026.4.0-rc.3', { name: 'status', release: '2026.4.0', rc: 3 }],
    ['Status rc.3', { name: 'status', rc: 3 }],
    ['history', { name: 'history' }],
    ['history 2026.04.0', { name: 'history', release: '2026.4.0' }],
    ['history 2026.4.0-rc.2', { name: 'history', release: '2026.4.0' }],
    ['history 2026.4.0 page 2', { name: 'history', release: '2026.4.0', page: 2 }],
    ['history Page 3', { name: 'history', page: 3 }],
    ['history 2026.4.0-rc.2 page 12.', { name: 'history', release: '2026.4.0', page: 12 }],
    ['help', { name: 'help' }],
    ['HELP Approve', { name: 'help', topic: 'approve' }],
    ['help  lead   approvers', { name: 'help', topic: 'lead approvers' }],
    ['register engineering', { name: 'register', channel: 'engineering' }],
    ['register #Engineering', { name: 'register', channel: 'engineering' }],
    ['register general', { name: 'register', channel: 'general' }],
    ['register production-support', { name: 'register', channel: 'productionSupport' }],
    ['register production support', { name: 'register', channel: 'productionSupport' }],
    ['register #prod-support', { name: 'register', channel: 'productionSupport' }],
  ])('%j', (text, expected) => {
    expect(parsed(text)).toEqual(expected);
  });
});

describe('parseCommand: what is wrong, and the usage of the command meant', () => {
  const RC_NEEDED = 'needs the RC: rc.N inside the release thread (for example rc.3), or the full version anywhere (for example 2026.4.0-rc.3).';

  type Case = [text: string, error: string, usageOf: CommandName, command?: CommandName, suggestion?: CommandName];
  const cases: Case[] = [
    ['', 'There is no command here. Say help to see what I can do.', 'help'],
    ['aprove rc.3', '`aprove` is not a command. Did you mean approve?', 'approve', undefined, 'approve'],
    ['hlep', '`hlep` is not a command. Did you mean help?', 'help', undefined, 'help'],
    ['promot rc.3', '`promot` is not a command. Did you mean promote?', 'promote', undefined, 'promote'],
    ['stauts', '`stauts` is not a command. Did you mean status?', 'status', undefined, 'status'],
    ['rejcet rc.3 broken', '`rejcet` is not a command. Did you mean reject?', 'reject', undefined, 'reject'],
    ['histroy', '`histroy` is not a command. Did you mean history?', 'history', undefined, 'history'],
    ['regster engineering', '`regster` is not a command. Did you mean register?', 'register', undefined, 'register'],
    ['revok rc.3', '`revok` is not a command. Did you mean revoke?', 'revoke', undefined, 'revoke'],
    ['qq pass rc.3 ok', '`qq` is not a command. Did you mean qa?', 'qa', undefined, 'qa'],
    ['xyzzy', '`xyzzy` is not a command. Say help to see what I can do.', 'help'],
    ['deploy 2026.4.0', '`deploy` is not a command. Say help to see what I can do.', 'help'],
    ['rc.3 approve', 'Write the command first, for example approve rc.3.', 'approve', 'approve'],

    ['rc', 'rc needs the RC version, for example rc 2026.4.0-rc.3.', 'rc', 'rc'],
    ['rc 2026.4-rc3', '`2026.4-rc3` is not an RC version. Write it as YEAR.MONTH.PATCH-rc.N, for example 2026.4.0-rc.3.', 'rc', 'rc'],
    ['rc 2026.4.0', '`2026.4.0` is a release version, not an RC. Write the RC as YEAR.MONTH.PATCH-rc.N, for example 2026.4.0-rc.1.', 'rc', 'rc'],
    ['rc 2026.13.0-rc.1', '`2026.13.0-rc.1` is not an RC version: the month must be 1 to 12. Write it as YEAR.MONTH.PATCH-rc.N, for example 2026.4.0-rc.3.', 'rc', 'rc'],
    ['rc 2026.4.0-rc.0', '`2026.4.0-rc.0` is not an RC version: RC numbers run from rc.1 to rc.999. Write it as YEAR.MONTH.PATCH-rc.N, for example 2026.4.0-rc.3.', 'rc', 'rc'],
    ['rc rc.4', "rc needs the full RC version: `rc.4` doesn't say which release. Write it as YEAR.MONTH.PATCH-rc.N, for example 2026.4.0-rc.4.", 'rc', 'rc'],
    ['rc hotfix 2026.4.1-rc.1', 'Write hotfix after the version: rc 2026.4.1-rc.1 hotfix.', 'rc', 'rc'],
    ['rc 2026.4.0-rc.3 loan export', "I don't know what `loan export` is in an RC cut. Start each part with features:, fixes:, notes: or known issues:.", 'rc', 'rc'],
    ['rc 2026.4.0-rc.3 notes: draft', '`draft` is not a link. Write notes: and the release notes link, for example notes: https://wiki.lendos.example/releases/2026.4.0.', 'rc', 'rc'],
    ['rc 2026.4.0-rc.3 notes:\nknown: none', 'notes: is empty. Write the release notes link after it, or leave notes: out.', 'rc', 'rc'],
    ['rc 2026.4.0-rc.3\nnotes: https://a.example/1\nrelease notes: https://a.example/2', 'notes: is given twice. Give one release notes link.', 'rc', 'rc'],

    ['qa', 'qa needs pass or fail, then the RC and a summary or link.', 'qa', 'qa'],
    ['qa rc.3 pass all green', 'Write pass or fail before the RC, for example qa pass rc.3 <summary or link>.', 'qa', 'qa'],
    ['qa passs rc.3 all green', '`passs` is neither pass nor fail.', 'qa', 'qa'],
    ['qa pass', `qa pass ${RC_NEEDED}`, 'qa', 'qa'],
    ['qa fail rc.3', 'qa fail needs a summary or a link to the results.', 'qa', 'qa'],
    ['qa pass rc3x all green', '`rc3x` does not name an RC. Write rc.N inside the release thread (for example rc.3), or the full version anywhere (for example 2026.4.0-rc.3).', 'qa', 'qa'],

    ['approve 2026.4-rc3', '`2026.4-rc3` is not an RC version. Write it as YEAR.MONTH.PATCH-rc.N, for example 2026.4.0-rc.3.', 'approve', 'approve'],
    ['approve 2026.4.0', '`2026.4.0` is a release version, not an RC. Write the RC as YEAR.MONTH.PATCH-rc.N, for example 2026.4.0-rc.1.', 'approve', 'approve'],
    ['approve rc.0', '`rc.0` is not an RC: RC numbers run from rc.1 to rc.999.', 'approve', 'approve'],
    ['approve three', '`three` does not name an RC. Write rc.N inside the release thread (for example rc.3), or the full version anywhere (for example 2026.4.0-rc.3).', 'approve', 'approve'],
    ['approve rc.3 for', 'for needs an area, for example approve rc.3 for qa.', 'approve', 'approve'],
    ['approve rc.3 for q&a', '`q&a` is not an area name. Write for and the area, for example approve rc.3 for qa.', 'approve', 'approve'],

    ['reject rc.3', 'reject needs a reason.', 'reject', 'reject'],
    ['reject 2026.4.0 broken', '`2026.4.0` is a release version, not an RC. Write the RC as YEAR.MONTH.PATCH-rc.N, for example 2026.4.0-rc.1.', 'reject', 'reject'],

    ['revoke', `revoke ${RC_NEEDED}`, 'revoke', 'revoke'],

    ['promote', `promote ${RC_NEEDED}`, 'promote', 'promote'],
    ['promote rc.3 tomorrow', '`tomorrow` is not a link. promote takes the RC and optionally the release notes link.', 'promote', 'promote'],
    ['promote rc.3 notes: https://', '`https://` is not a link. promote takes the RC and optionally the release notes link.', 'promote', 'promote'],

    ['status 2026.4', '`2026.4` is not a release version. Write it as YEAR.MONTH.PATCH, for example 2026.4.0.', 'status', 'status'],
    ['status 2026.4.0-rc.0', '`2026.4.0-rc.0` is not an RC version: RC numbers run from rc.1 to rc.999. Write it as YEAR.MONTH.PATCH-rc.N, for example 2026.4.0-rc.3.', 'status', 'status'],
    ['status rc.0', '`rc.0` is not an RC: RC numbers run from rc.1 to rc.999.', 'status', 'status'],
    ['status latest', '`latest` is not a version. Write a release (for example 2026.4.0), an RC (for example 2026.4.0-rc.3), or rc.N inside the release thread.', 'status', 'status'],
    ['status 2026.4.0 please', "status takes at most one version; I don't understand `please`.", 'status', 'status'],

    ['history rc.3', 'history takes a release version, for example history 2026.4.0. Inside a release thread, history alone shows that release.', 'history', 'history'],
    ['history 2026.4', '`2026.4` is not a release version. Write it as YEAR.MONTH.PATCH, for example 2026.4.0.', 'history', 'history'],
    ['history 2026.4.0 2026.5.0', "history takes at most one version and a page; I don't understand `2026.5.0`.", 'history', 'history'],
    ['history 2026.4.0 page', 'page needs a page number, for example history 2026.4.0 page 2.', 'history', 'history'],
    ['history page two', 'page needs a page number, for example history 2026.4.0 page 2; `two` is not one.', 'history', 'history'],
    ['history page 0', 'page needs a page number, for example history 2026.4.0 page 2; `0` is not one.', 'history', 'history'],

    ['register', 'register needs the channel: engineering, general or production-support.', 'register', 'register'],
    ['register #random', '`#random` is not a channel I run. Write register engineering, register general or register production-support.', 'register', 'register'],
  ];

  const rows = cases.map(([text, error, usageOf, command, suggestion]) => ({ text, error, usageOf, command, suggestion }));
  it.each(rows)('$text', ({ text, error, usageOf, command, suggestion }) => {
    const result = parseCommand(text);
    expect(result).toEqual({
      ok: false,
      ...(command ? { command } : {}),
      ...(suggestion ? { suggestion } : {}),
      error,
      usage: formatUsage(usageOf),
    });
  });

  it('refuses an area that is not configured, naming the areas', () => {
    expect(parseCommand('approve rc.3 for legal', withAreas)).toEqual({
      ok: false,
      command: 'approve',
      error: '`legal` is not an approval area. The areas are product, qa, daml, stream and platform.',
      usage: formatUsage('approve'),
    });
    expect(parseCommand('reject rc.3 for qa', withAreas)).toMatchObject({ ok: false, command: 'reject', error: 'reject needs a reason.' });
  });

  it('quotes long input shortened, on one line', () => {
    const result = parseCommand(`approve rc.3 if ${'very '.repeat(20)}`);
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/^`if very very very very very very very ve…` after approve rc\.3 reads as a condition/) });
  });
});

describe('usage', () => {
  it('formats syntax, example and what <rc> means', () => {
    expect(formatUsage('approve')).toBe(
      'Usage: approve <rc> [for <area>] [<comment>]\nExample: approve rc.3 looks good 👍\n' +
        '<rc> is rc.N inside the release thread (for example rc.3), or the full version anywhere (for example 2026.4.0-rc.3).',
    );
    expect(formatUsage('help')).toBe('Usage: help [<topic>]\nExample: help approve');
    expect(formatUsage('rc')).toContain('Example:\nrc 2026.4.0-rc.3\nfeatures: ');
  });

  it.each(COMMAND_NAMES)('%s: every example parses as that command; syntax, description and roles are there', (name) => {
    const usage = USAGE[name];
    expect(usage.name).toBe(name);
    expect(usage.syntax.startsWith(`${name} `)).toBe(true);
    expect(usage.description).toMatch(/^[A-Z].*\.$/);
    expect(usage.roles.length).toBeGreaterThan(0);
    expect(commandNameOf(parsed(usage.example, OPTIONS))).toBe(name);
  });
});

describe('parseTeamsMessage', () => {
  it.each<[string, ParsedCommand]>([
    ['<p><at>lendos</at>&nbsp;approve&nbsp;rc.3</p>', { name: 'approve', ref: short(3) }],
    ['<div><div><at>LendOS</at> APPROVE 2026.4.0-rc.3 </div></div>', { name: 'approve', ref: full('2026.4.0', 3) }],
    ['<p><at>LendOS Release Bot</at> qa pass rc.3 <a href="https://ci.lendos.example/r/812">https://ci.lendos.example/r/812</a></p>', { name: 'qa', result: 'pass', ref: short(3), summary: 'https://ci.lendos.example/r/812' }],
    ['@lendos: register #production-support', { name: 'register', channel: 'productionSupport' }],
    ['<p>reject rc.3 ask <at>Luis Garcia</at> &amp; QA about the export</p>', { name: 'reject', ref: short(3), reason: 'ask Luis Garcia & QA about the export' }],
  ])('%j', (raw, expected) => {
    expect(parseTeamsMessage(raw)).toEqual({ ok: true, command: expected });
  });

  it('reads a multi-paragraph RC cut with <p> per line and <br>', () => {
    const raw =
      '<p><at>lendos</at> rc 2026.4.1-rc.1 hotfix</p><p>features:</p><ul><li>Loan export</li><li>Faster search</li></ul>' +
      '<p>fixes: Login loop<br>- Export &amp; import</p>' +
      '<p>notes: <a href="https://wiki.lendos.example/r/2026.4.1">Release notes</a></p><p>known issues: none</p>';
    expect(parseTeamsMessage(raw)).toEqual({
      ok: true,
      command: {
        name: 'rc',
        release: '2026.4.1',
        rc: 1,
        hotfix: true,
        contents: {
          features: ['Loan export', 'Faster search'],
          fixes: ['Login loop', 'Export & import'],
          notesUrl: 'https://wiki.lendos.example/r/2026.4.1',
          knownIssues: [],
        },
      },
    });
  });

  it('passes the areas on', () => {
    expect(parseTeamsMessage('<p><at>lendos</at> reject rc.3 for QA flaky suite</p>', withAreas)).toEqual({
      ok: true,
      command: { name: 'reject', ref: short(3), area: 'qa', reason: 'flaky suite' },
    });
  });

  it('answers an empty mention with the help usage', () => {
    expect(parseTeamsMessage('<p><at>lendos</at>&nbsp;</p>')).toMatchObject({ ok: false, usage: formatUsage('help') });
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

function expectWellFormed(result: ParseResult): void {
  if (result.ok) {
    expect(COMMAND_NAMES).toContain(commandNameOf(result.command));
    return;
  }
  expect(typeof result.error).toBe('string');
  expect(result.error.length).toBeGreaterThan(0);
  expect(result.usage).toBe(formatUsage(result.command ?? result.suggestion ?? 'help'));
}

const release = fc
  .tuple(fc.integer({ min: 2000, max: 2999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 999 }))
  .map(([y, m, p]) => `${y}.${m}.${p}`);
const rcNumber = fc.integer({ min: 1, max: 999 });
const ref: fc.Arbitrary<RcRefArg> = fc.oneof(
  rcNumber.map((rc) => short(rc)),
  fc.tuple(release, rcNumber).map(([r, rc]) => full(r, rc)),
);
const word = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9&'()\/.-]{0,9}$/);
const freeText = fc
  .array(word, { minLength: 1, maxLength: 6 })
  .map((words) => words.join(' '))
  .filter((text) => !/^for\b/i.test(text));
const item = fc
  .array(word, { minLength: 1, maxLength: 4 })
  .map((words) => words.join(' '))
  .filter((text) => !/^(?:none|n\/a|nothing)\.?$/i.test(text) && !/^\d{1,2}[.)] /.test(text));
const url = fc
  .tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), fc.stringMatching(/^(\/[A-Za-z0-9_-]{1,8}){0,3}$/), fc.stringMatching(/^(\?[a-z]{1,5}=[a-z0-9]{1,5}(&[a-z]{1,5}=[a-z0-9]{1,5})?)?$/))
  .map(([host, path, query]) => `https://${host}.example${path}${query}`);
const area = fc.constantFrom(...AREAS);
const mixedCase = (text: string) => fc.mixedCase(fc.constant(text));

const refText = (r: RcRefArg) => (r.kind === 'short' ? mixedCase(`rc.${r.rc}`) : mixedCase(`${r.release}-rc.${r.rc}`));

const rcCommand = fc
  .record({ release, rc: rcNumber, hotfix: fc.boolean(), features: fc.array(item, { maxLength: 4 }), fixes: fc.array(item, { maxLength: 4 }), notesUrl: fc.option(url, { nil: undefined }), knownIssues: fc.array(item, { maxLength: 3 }) })
  .chain((c) => {
    const list = (labels: string[], items: string[]) =>
      fc.tuple(fc.constantFrom(...labels), fc.boolean(), fc.constantFrom(' ', '\n')).map(([label, bullets, lead]) =>
        bullets ? `${label}${items.map((i) => `\n- ${i}`).join('')}` : `${label}${lead}${items.join('; ')}`,
      );
    const parts = [
      c.features.length > 0 ? list(['features:', 'Features:', 'feature:'], c.features) : fc.constant(''),
      c.fixes.length > 0 ? list(['fixes:', 'FIXES:', 'fix:'], c.fixes) : fc.constant(''),
      c.notesUrl ? fc.constantFrom(`notes: ${c.notesUrl}`, `Release notes: ${c.notesUrl}`) : fc.constant(''),
      c.knownIssues.length > 0 ? list(['known issues:', 'known:'], c.knownIssues) : fc.constantFrom('', 'known issues: none'),
    ];
    return fc.tuple(mixedCase('rc'), mixedCase('hotfix'), fc.shuffledSubarray(parts.map((_, i) => i), { minLength: 4, maxLength: 4 }), fc.tuple(...parts), fc.array(fc.constantFrom(' ', '\n'), { minLength: 4, maxLength: 4 })).map(
      ([rcWord, hotfixWord, order, rendered, separators]) => {
        const head = `${rcWord} ${c.release}-rc.${c.rc}${c.hotfix ? ` ${hotfixWord}` : ''}`;
        const fields = order.map((i, k) => (rendered[i] ? `${separators[k]}${rendered[i]}` : '')).join('');
        const expected: ParsedCommand = {
          name: 'rc',
          release: c.release,
          rc: c.rc,
          hotfix: c.hotfix,
          contents: { features: c.features, fixes: c.fixes, ...(c.notesUrl ? { notesUrl: c.notesUrl } : {}), knownIssues: c.knownIssues },
        };
        return { text: head + fields, expected };
      },
    );
  });

type Generated = { text: string; expected: ParsedCommand };
const forArea = (a: string | undefined) => (a ? mixedCase(a).map((w) => ` for ${w}`) : fc.constant(''));

const validCommand: fc.Arbitrary<Generated> = fc.oneof(
  rcCommand,
  fc.tuple(fc.constantFrom('pass', 'fail'), ref, freeText).chain(([result, r, summary]) =>
    fc.tuple(mixedCase('qa'), mixedCase(result), refText(r)).map(([q, res, rt]) => ({
      text: `${q} ${res} ${rt} ${summary}`,
      expected: { name: 'qa' as const, result: result as 'pass' | 'fail', ref: r, summary },
    })),
  ),
  fc.tuple(fc.constantFrom('approve' as const, 'revoke' as const), ref, fc.option(area, { nil: undefined })).chain(([name, r, a]) =>
    fc.tuple(mixedCase(name), refText(r), forArea(a)).map(([n, rt, f]) => ({
      text: `${n} ${rt}${f}`,
      expected: { name, ref: r, ...(a ? { area: a } : {}) },
    })),
  ),
  fc.tuple(ref, fc.option(area, { nil: undefined }), freeText).chain(([r, a, reason]) =>
    fc.tuple(mixedCase('reject'), refText(r), forArea(a)).map(([n, rt, f]) => ({
      text: `${n} ${rt}${f} ${reason}`,
      expected: { name: 'reject' as const, ref: r, reason, ...(a ? { area: a } : {}) },
    })),
  ),
  fc.tuple(ref, fc.option(url, { nil: undefined })).chain(([r, notesUrl]) =>
    fc.tuple(mixedCase('promote'), refText(r), fc.constantFrom('', 'notes: ', 'release notes: ')).map(([n, rt, label]) => ({
      text: `${n} ${rt}${notesUrl ? ` ${label}${notesUrl}` : ''}`,
      expected: { name: 'promote' as const, ref: r, ...(notesUrl ? { notesUrl } : {}) },
    })),
  ),
  fc.option(fc.oneof(release.map((r) => ({ release: r })), ref.map((r) => r)), { nil: undefined }).chain((target) => {
    const text = target === undefined ? fc.constant('') : 'kind' in target ? refText(target) : fc.constant(target.release);
    const expected: ParsedCommand =
      target === undefined ? { name: 'status' } : 'kind' in target ? { name: 'status', ...(target.kind === 'full' ? { release: target.release } : {}), rc: target.rc } : { name: 'status', release: target.release };
    return fc.tuple(mixedCase('status'), text).map(([n, t]) => ({ text: t ? `${n} ${t}` : n, expected }));
  }),
  fc.option(release, { nil: undefined }).chain((r) =>
    mixedCase('history').map((n) => ({ text: r ? `${n} ${r}` : n, expected: r ? { name: 'history' as const, release: r } : { name: 'history' as const } })),
  ),
  fc.option(fc.array(fc.stringMatching(/^[a-z]{1,8}$/), { minLength: 1, maxLength: 3 }), { nil: undefined }).chain((topic) =>
    fc.tuple(mixedCase('help'), mixedCase(topic?.join(' ') ?? '')).map(([n, t]) => ({
      text: topic ? `${n} ${t}` : n,
      expected: topic ? { name: 'help' as const, topic: topic.join(' ') } : { name: 'help' as const },
    })),
  ),
  fc.constantFrom(
    ['engineering', 'engineering'],
    ['#general', 'general'],
    ['production-support', 'productionSupport'],
    ['production support', 'productionSupport'],
    ['prod-support', 'productionSupport'],
  ).chain(([written, channel]) =>
    fc.tuple(mixedCase('register'), mixedCase(written)).map(([n, w]) => ({
      text: `${n} ${w}`,
      expected: { name: 'register' as const, channel: channel as 'engineering' | 'general' | 'productionSupport' },
    })),
  ),
);

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

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

describe('parse: properties', () => {
  it('round-trips every field of a generated valid command, however Teams wraps it', () => {
    fc.assert(
      fc.property(validCommand.chain((g) => asSent(g.text).map((raw) => ({ raw, expected: g.expected }))), ({ raw, expected }) => {
        expect(parseTeamsMessage(raw, withAreas)).toEqual({ ok: true, command: expected });
      }),
      { numRuns: 1000 },
    );
  });

  const anything = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.string({ unit: 'grapheme', maxLength: 100 }),
    fc.array(
      fc.oneof(
        fc.constantFrom(...COMMAND_NAMES, 'for', 'hotfix', 'pass', 'fail', 'rc.3', 'rc.0', '2026.4.0', '2026.4.0-rc.3', '2026.13.0-rc.1', 'features:', 'notes:', 'known issues:', 'none', '- ', '• ', ';', 'https://x.example/(a).', 'https://', '\n', ' ', '<p>', '<at>lendos</at>', '&nbsp;', '`'),
        fc.constantFrom('deploy', 'deployment', 'to', 'at', 'in', 'on', '"BXCI Production"', '“BXCI', 'bxci-staging', 'BXCI Production', '2026-04-14', '22:00', '22:00Z', '2026-04-14T22:00', '2026-03-08 02:30', 'UTC', 'UTC+2', '+05:30', 'EST', 'America/New_York', '90m', '1h30m', '1.5h', '0m', 'engineer', 'validators:', 'luis', 'Luis Garcia', '<at>Bosko Kocev</at>', '@Jake', 'and', ',', 'on-call', 'oncall', 'override', 'test', '--', '—'),
        fc.string({ unit: 'binary', maxLength: 6 }),
      ),
      { maxLength: 20 },
    ).map((parts) => parts.join(' ')),
  );

  it('never throws on any input, and every answer is well formed', () => {
    fc.assert(
      fc.property(anything, fc.constantFrom({}, withAreas, OPTIONS), (text, options) => {
        expectWellFormed(parseCommand(text, options));
        expectWellFormed(parseTeamsMessage(text, options));
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on mutations of valid commands', () => {
    const mutation = fc.record({
      at: fc.nat(),
      op: fc.constantFrom('delete', 'insert', 'replace', 'duplicate'),
      char: fc.oneof(fc.constantFrom('<', '>', '&', ';', ':', '.', '-', ' ', '\n', '\u00a0', '\u200b', '`', 'x', '0', '9'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })),
    });
    fc.assert(
      fc.property(validCommand, fc.array(mutation, { minLength: 1, maxLength: 5 }), fc.boolean(), (g, mutations, areas) => {
        let text = g.text;
        for (const m of mutations) {
          const i = text.length === 0 ? 0 : m.at % text.length;
          if (m.op === 'delete') text = text.slice(0, i) + text.slice(i + 1);
          else if (m.op === 'insert') text = text.slice(0, i) + m.char + text.slice(i);
          else if (m.op === 'replace') text = text.slice(0, i) + m.char + text.slice(i + 1);
          else text = text.slice(0, i) + text.slice(i, i + 3) + text.slice(i);
        }
        const options = areas ? withAreas : {};
        expectWellFormed(parseCommand(text, options));
        expectWellFormed(parseTeamsMessage(text, options));
      }),
      { numRuns: 1000 },
    );
  });

  it('suggests the intended command for a one-letter typo of it', () => {
    const typo = fc.constantFrom(...COMMAND_NAMES.filter((n) => n.length >= 4)).chain((name) =>
      fc.tuple(fc.constant(name), fc.nat({ max: name.length - 1 })).map(([n, i]) => ({ name: n, typo: n.slice(0, i) + n.slice(i + 1) })),
    );
    fc.assert(
      fc.property(typo, ({ name, typo: written }) => {
        fc.pre(!COMMAND_NAMES.includes(written as CommandName));
        const result = parseCommand(`${written} rc.3`);
        expect(result).toMatchObject({ ok: false, suggestion: name, usage: formatUsage(name) });
      }),
    );
  });
});
