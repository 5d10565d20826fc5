import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { analyse } from 'scslre';
import ts from 'typescript';
import { isSpace, trimEndChars, wordsOf } from '../../src/commands/command-text';
import { normalizeTeamsText } from '../../src/commands/normalize-text';
import { MAX_MESSAGE_LENGTH, ParseResult, parseCommand, parseTeamsMessage } from '../../src/commands/parse-command';
import { OPTIONS, PROD } from './fixtures';

// Hostile input: a message may be anything up to the body limit (256 KB). Every parse must take time
// linear in its length (the time itself is measured by `npm run bench:parse`, not here) and answer
// something a person can read: the right command, or a refusal that does not echo the input whole.

const SIZE = 200 * 1024;
/** A refusal is a card in Teams (at most about 28 KB); its reason and usage must stay far below that. */
const REPLY_LIMIT = 2_000;

/** `unit` repeated whole, to at least `size` characters. */
const run = (unit: string, size = SIZE) => unit.repeat(Math.ceil(size / unit.length));

function expectShortRefusal(result: ParseResult): asserts result is Extract<ParseResult, { ok: false }> {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.error.length).toBeLessThan(REPLY_LIMIT);
  expect(result.usage.length).toBeLessThan(REPLY_LIMIT);
}

describe('every regular expression that reads message text is free of super-linear backtracking', () => {
  // Statically, with scslre: a pattern like /[.,;:!?]+$/ is retried from every character of a run
  // that does not end the text, which is quadratic (13.5 s for `a` + 80,000 dots + `b`).
  const sources = [
    ...fs.readdirSync(path.join(__dirname, '../../src/commands')).map((file) => `src/commands/${file}`),
    'src/teams/inbound.ts',
    'src/domain/version.ts',
    'src/domain/business-hours.ts',
  ];

  function regexLiterals(file: string): { line: number; regex: RegExp }[] {
    const text = fs.readFileSync(path.join(__dirname, '../..', file), 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    const found: { line: number; regex: RegExp }[] = [];
    const visit = (node: ts.Node): void => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const literal = node.getText(source);
        const slash = literal.lastIndexOf('/');
        found.push({ line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, regex: new RegExp(literal.slice(1, slash), literal.slice(slash + 1)) });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    return found;
  }

  test('the checker catches the patterns that stalled the bot', () => {
    expect(analyse(/[:,.!?]+$/).reports).not.toEqual([]);
    expect(analyse(/\s*(?:[,;&+]|\band\b)\s*/i).reports).not.toEqual([]);
    expect(analyse(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g).reports).not.toEqual([]);
  });

  test.each(sources)('%s', (file) => {
    const literals = regexLiterals(file);
    if (file.startsWith('src/commands/')) expect(literals.length).toBeGreaterThan(0);
    const superLinear = literals
      .filter(({ regex }) => analyse(regex).reports.length > 0)
      .map(({ line, regex }) => `${file}:${line} ${regex}`);
    expect(superLinear).toEqual([]);
  });
});

describe('the linear helpers do what the regular expressions they replace did', () => {
  const texty = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\t', '\n', '\u00a0', '\u2028', '\u3000', '\ufeff', '.', '!', ':', '"', 'é', '😀'), maxLength: 40 });

  test('isSpace is /\\s/ for every UTF-16 code unit', () => {
    const differs: number[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      const char = String.fromCharCode(code);
      if (isSpace(char) !== /\s/.test(char)) differs.push(code);
    }
    expect(differs).toEqual([]);
  });

  test('wordsOf finds what /\\S+/g finds, and its limit keeps the first words', () => {
    fc.assert(
      fc.property(texty, fc.nat(5), (text, limit) => {
        const expected = [...text.matchAll(/\S+/g)].map((m) => ({ text: m[0], start: m.index, end: m.index + m[0].length }));
        expect(wordsOf(text)).toEqual(expected);
        expect(wordsOf(text, limit)).toEqual(expected.slice(0, limit));
      }),
    );
  });

  test('trimEndChars cuts what /[…]+$/ cut', () => {
    fc.assert(fc.property(texty, (text) => expect(trimEndChars(text, '.,;:!?')).toBe(text.replace(/[.,;:!?]+$/, ''))));
  });
});

describe('200 KB of hostile text gets the right answer', () => {
  // What the issue measured: `@lendos a` + 80,000 dots + `b` took 13.5 s; here 200 KB of it.
  test('a word with a long run of dots inside is an unknown command, named in 40 characters', () => {
    const result = parseTeamsMessage(`<at>lendos</at> a${run('.', MAX_MESSAGE_LENGTH - 20)}b`, OPTIONS);
    expectShortRefusal(result);
    expect(result.error).toBe(`\`a${'.'.repeat(39)}…\` is not a command. Say help to see what I can do.`);
    expectShortRefusal(parseCommand(`a${run('.')}b`, OPTIONS));
  });

  const cases: readonly [name: string, text: string, expected: (result: ParseResult) => void][] = [
    ['punctuation after the command word', `help${run('!?.:,')}`, (r) => expect(r).toEqual({ ok: true, command: { name: 'help' } })],
    ['punctuation after the RC', `approve rc.3${run('.,;:!?')}`, (r) => expect(r).toMatchObject({ ok: true, command: { name: 'approve', ref: { kind: 'short', rc: 3 } } })],
    ['punctuation inside the RC', `approve a${run('.')}b`, (r) => {
      expectShortRefusal(r);
      expect(r.error).toContain('does not name an RC');
    }],
    ['spaces between the command and its RC', `approve${run(' \t')}rc.3`, (r) => expect(r).toMatchObject({ ok: true, command: { name: 'approve', ref: { rc: 3 } } })],
    ['a comment of separators and spaces, then a word', `approve rc.3 ${run('-— :,; ')}x`, (r) => expect(r).toMatchObject({ ok: true, command: { name: 'approve', comment: 'x' } })],
    ['a long comment', `approve rc.3 ${run('looks good ')}`, (r) => {
      expectShortRefusal(r);
      expect(r.error).toContain('is at most 1,000');
    }],
    ['a long comment of line breaks and spaces', `approve rc.3 a${run(' \n ')}b`, (r) => expectShortRefusal(r)],
    ['lgtm and a long tail', `lgtm ${run('+1 ')}`, (r) => expect(r).toMatchObject({ ok: true, command: { name: 'decisionHint', verb: 'approve' } })],
    ['spaces inside a version', `status 2026.4${run(' ')}.0`, (r) => {
      expectShortRefusal(r);
      expect(r.error).toContain('status takes at most one version');
    }],
    ['one long word', run('approve'), (r) => {
      expectShortRefusal(r);
      expect(r).toMatchObject({ error: expect.stringContaining('is not a command. Say help') });
      expect(r).not.toHaveProperty('suggestion');
    }],
    ['a link ending in closing parentheses', `promote rc.3 https://notes.example/2026.4.0${run(')')}`, (r) =>
      expect(r).toMatchObject({ ok: true, command: { name: 'promote', notesUrl: 'https://notes.example/2026.4.0' } })],
    ['a link ending in a run of dots', `promote rc.3 https://notes.example/x${run('.')}`, (r) =>
      expect(r).toMatchObject({ ok: true, command: { notesUrl: 'https://notes.example/x' } })],
    ['a channel name with a run of exclamation marks', `register engineering${run('!')}`, (r) => expect(r).toEqual({ ok: true, command: { name: 'register', channel: 'engineering' } })],
    ['a long list of features', `rc 2026.4.0-rc.3 features: ${run('Loan export; ')}`, (r) => {
      expect(r.ok).toBe(true);
      const features = r.ok && r.command.name === 'rc' ? r.command.contents.features : [];
      expect(features).toHaveLength(Math.ceil(SIZE / 'Loan export; '.length));
      expect(new Set(features.slice(0, -1))).toEqual(new Set(['Loan export']));
    }],
    ['the same validator over and over', `schedule deploy 2026.4.0 to "BXCI Production" at 2026-04-14 22:00 validators ${run('Luis, ')}`, (r) =>
      expect(r).toMatchObject({ ok: true, command: { name: 'schedule', validators: ['luis'] } })],
    ['validators separated by spaces and "and"', `schedule deploy 2026.4.0 to BXCI Production at 2026-04-14 22:00 validators Luis${run(' ')}and${run(' ')}Bosko`, (r) =>
      expect(r).toMatchObject({ ok: true, command: { validators: ['luis', 'bosko'] } })],
    ['thousands of unknown people', `confirm on-call ${run('nobody, ')}`, (r) => {
      expectShortRefusal(r);
      expect(r.error).toMatch(/^`nobody`, `nobody`, `nobody` and \d+ more are not people I know\./);
    }],
    ['a name buried in quotes', `confirm on-call ${run('"')}bosko${run('"')}`, (r) => expect(r).toMatchObject({ ok: true, command: { name: 'confirmOnCall', person: 'bosko' } })],
    ['an environment whose closing quote never comes', `schedule deploy 2026.4.0 to "${run('BXCI ')}`, (r) => {
      expectShortRefusal(r);
      expect(r.error).toContain("closing quote is missing");
    }],
    ['a start time that is all digits', `schedule deploy 2026.4.0 to BXCI Production at 2026-04-14 ${run('1')}`, (r) => {
      expectShortRefusal(r);
      expect(r.error).toContain('is not a date and time');
    }],
    ['a duration that is all digits', `schedule deploy 2026.4.0 to BXCI Production at 2026-04-14 22:00 for ${run('9')}`, (r) => {
      expectShortRefusal(r);
      expect(r.error).toContain('is not a duration');
    }],
    ['a zone in a run of parentheses and dots', `schedule deploy 2026.4.0 to BXCI Production at 2026-04-14 22:00 (UTC${run(').')}`, (r) => {
      expectShortRefusal(r);
      expect(r.command).toBe('schedule');
    }],
    ['a bug title ending in punctuation, then its release', `bug Export fails${run('!')} in 2026.4.0 on BXCI Production`, (r) =>
      expect(r).toMatchObject({ ok: true, command: { name: 'bug', title: `Export fails${run('!')}`, release: '2026.4.0', environment: PROD } })],
    ['a bug title of single dashes before its details', `bug crash${run(' -')} -- the details`, (r) =>
      expect(r).toMatchObject({ ok: true, command: { name: 'bug', details: 'the details' } })],
    ['a bug title of spaces before its details', `bug crash${run(' \t')}-- the details`, (r) =>
      expect(r).toMatchObject({ ok: true, command: { name: 'bug', title: 'crash', details: 'the details' } })],
    ['a bug title of "in <version>" over and over', `bug crash${run(' in 2026.4.0 x')}`, (r) => expect(r).toMatchObject({ ok: true, command: { name: 'bug' } })],
    ['an abort reason of unicode', `abort ${run('é😀\u200b ')}`, (r) => expect(r).toMatchObject({ ok: true, command: { name: 'abort' } })],
  ];

  test.each(cases)('%s (parseCommand)', (_name, text, expected) => {
    expect(text.length).toBeGreaterThanOrEqual(SIZE);
    expected(parseCommand(text, OPTIONS));
  });

  const html: readonly [name: string, html: string, text: string][] = [
    ['<at> mentions of the bot', `${run('<at>lendos</at> ')}help`, 'help'],
    ['an <at> that never closes', run('<at>'), ''],
    ['&nbsp; entities', `<p>approve${run('&nbsp;')}rc.3</p>`, 'approve rc.3'],
    ['unknown and numeric entities', `help${run('&bogus;&#0;&#x110000;')}`, `help${run('&bogus;&#0;&#x110000;')}`],
    ['<p> after <p>', `${run('<p>')}help`, 'help'],
    ['nested inline tags', `${run('<span><b>')}status${run('</b></span>')}`, 'status'],
    ['a tag with one long attribute name', `<span ${run('a')}>help</span>`, 'help'],
    ['a tag with a long run of colons', `<img ${run(':')}>help`, 'help'],
    ['a tag that never closes', `help <a ${run('x')}`, `help <a ${run('x')}`],
    ['a run of <', `help ${run('<')}`, `help ${run('<')}`],
    ['invisible characters', `${run('\u200b\u00ad\ufeff')}help`, 'help'],
    ['odd spaces and line breaks', `approve${run('\u00a0\u2028\u3000\r\n')}rc.3`, 'approve\nrc.3'],
  ];

  test.each(html)('%s (normalizeTeamsText)', (_name, input, expected) => {
    expect(input.length).toBeGreaterThanOrEqual(SIZE);
    expect(normalizeTeamsText(input)).toBe(expected);
  });

  test('parseTeamsMessage refuses a message over the limit unread, saying the limit and what to do', () => {
    for (const [, input] of html) {
      const result = parseTeamsMessage(input, OPTIONS);
      expectShortRefusal(result);
      expect(result.error).toBe(
        `That message is ${input.length.toLocaleString('en-US')} characters long; I read commands of at most 32,000 characters, so I did not read it.`,
      );
      expect(result.usage).toContain('put long text behind a link');
    }
  });

  test('a message just under the limit is read in full', () => {
    const frame = '<p><at>lendos</at> approve</p>rc.3';
    const entities = Math.floor((MAX_MESSAGE_LENGTH - frame.length) / '&nbsp;'.length);
    const filler = '&nbsp;'.repeat(entities) + ' '.repeat(MAX_MESSAGE_LENGTH - frame.length - entities * '&nbsp;'.length);
    const message = `<p><at>lendos</at> approve${filler}</p>rc.3`;
    expect(message.length).toBe(MAX_MESSAGE_LENGTH);
    expect(parseTeamsMessage(message, OPTIONS)).toMatchObject({ ok: true, command: { name: 'approve', ref: { kind: 'short', rc: 3 } } });
    expect(parseTeamsMessage(`${message} `, OPTIONS)).toMatchObject({ ok: false, error: expect.stringContaining('32,001 characters long') });
  });
});
