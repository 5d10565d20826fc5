// `freeze <environment>|all [from <date> [HH:MM]] until <date> [HH:MM] [<zone>] [reason:] <reason> [hotfixes allowed]`
// (or `for <duration>` instead of `until`), and `unfreeze <environment>|all|<freeze name>`. Times are
// read as the config's freezes are (src/domain/freezes.ts): a date alone starts at that day's
// midnight, and as an end includes that whole day; daylight saving included. Pure: each parser
// returns the command or says exactly what is wrong, with an example that works.

import { freezeInstant } from '../domain/freezes';
import type { EnvironmentRef } from '../domain/types';
import { TRAILING_PUNCTUATION, Word, quote, stripTrailingPunctuation, trimEndChars, wordsOf } from './command-text';
import { Lookups, freeText, readDuration, readEnvironment, readZone } from './deployment-args';

/** `freeze …`: `reason` is also the freeze's name; `from` absent: now. */
export interface FreezeCommand {
  readonly name: 'freeze';
  readonly environments: readonly EnvironmentRef[];
  readonly reason: string;
  readonly from?: Date;
  /** An instant, or how long from now (the caller adds it to its clock). */
  readonly until: Date | { readonly minutes: number };
  readonly hotfixes: boolean;
}

/** `unfreeze …`: `freeze` absent: every freeze declared on those environments; present: the one of that name, wherever it is. */
export interface UnfreezeCommand {
  readonly name: 'unfreeze';
  readonly environments: readonly EnvironmentRef[];
  readonly freeze?: string;
}

export type FreezeParse = { readonly ok: true; readonly command: FreezeCommand | UnfreezeCommand } | { readonly ok: false; readonly error: string };

export const FREEZE_EXAMPLE = 'freeze "BXCI Production" until 2026-04-20 09:00 reason: quarter close hotfixes allowed';
const DATE = /^\d{4}-\d{1,2}-\d{1,2}$/;
const DATE_TIME = /^(\d{4}-\d{1,2}-\d{1,2})T(\d{1,2}:\d{2})$/i;
const TIME = /^\d{1,2}:\d{2}$/;
const DAYS = /^(\d{1,3})d$/i;
const ALL_WORDS = new Set(['all', 'everything', 'everywhere']);

export function parseFreeze(args: string, lookups: Lookups): FreezeParse {
  if (args.trim() === '') return fail(`freeze needs the environment, its end and a reason, for example ${FREEZE_EXAMPLE}.`);
  const target = readTarget(args, lookups, 'word');
  if (!target.ok) return target;
  const words = wordsOf(target.rest);
  const reasonWords: string[] = [];
  let from: Date | undefined;
  let until: Date | { minutes: number } | undefined;
  let hotfixes = false;
  let i = 0;
  while (i < words.length) {
    const word = words[i]!.text;
    const lower = stripTrailingPunctuation(word).toLowerCase();
    const next = words[i + 1]?.text ?? '';
    if (/^reason:?$/i.test(word) && (word.endsWith(':') || next.startsWith(':'))) {
      // Everything after `reason:` is the reason; a time written after it would be part of it.
      reasonWords.push(target.rest.slice(words[i]!.end).replace(/^\s*:?/, ''));
      break;
    }
    const flag = hotfixFlag(words, i);
    if (flag) {
      hotfixes = flag.hotfixes;
      i += flag.used;
      continue;
    }
    if ((lower === 'from' || lower === 'until' || lower === 'till' || lower === 'to') && startsWithDate(next)) {
      const read = readEdge(words, i + 1, lookups, lower === 'from' ? 'from' : 'to');
      if (!read.ok) return read;
      if (lower === 'from') from = read.instant;
      else until = read.instant;
      i = read.next;
      continue;
    }
    if (lower === 'for' && /^\d/.test(next)) {
      const read = readFreezeDuration(words, i + 1);
      if (!read.ok) return read;
      until = { minutes: read.minutes };
      i = read.next;
      continue;
    }
    reasonWords.push(word);
    i += 1;
  }
  const written = reasonWords.join(' ');
  const reason = stripFlag(freeText(written));
  const example = `freeze ${target.shown} until 2026-04-20 09:00 reason: quarter close`;
  if (until === undefined) return fail(`freeze needs its end: until <YYYY-MM-DD> [HH:MM] or for <duration> (like 3d or 12h), for example ${example}.`);
  if (reason.text === '') return fail(`freeze needs a reason, which is also its name, so whoever it stops knows why: ${example}.`);
  return {
    ok: true,
    command: { name: 'freeze', environments: target.environments, reason: reason.text, ...(from ? { from } : {}), until, hotfixes: reason.hotfixes ?? hotfixes },
  };
}

export function parseUnfreeze(args: string, lookups: Lookups): FreezeParse {
  const text = stripTrailingPunctuation(args.replace(/\s+/g, ' ').trim());
  if (text === '') return fail('unfreeze needs the environment or the freeze, for example unfreeze "BXCI Production" or unfreeze "quarter close".');
  const environments = lookups.environments ?? [];
  if (ALL_WORDS.has(text.toLowerCase())) return { ok: true, command: { name: 'unfreeze', environments } };
  const environment = readEnvironment(text, lookups, 'all');
  if (environment.ok && stripTrailingPunctuation(environment.rest.trim()) === '') {
    return { ok: true, command: { name: 'unfreeze', environments: [environment.value] } };
  }
  const name = unquote(text);
  if (name === '') return fail('unfreeze needs the environment or the freeze, for example unfreeze "BXCI Production" or unfreeze "quarter close".');
  return { ok: true, command: { name: 'unfreeze', environments, freeze: name } };
}

type Target = { ok: true; environments: readonly EnvironmentRef[]; shown: string; rest: string } | { ok: false; error: string };

/** `all` (or `all environments`, `every environment`), or one environment. */
function readTarget(args: string, lookups: Lookups, extent: 'word'): Target {
  const words = wordsOf(args, 2);
  const first = stripTrailingPunctuation(words[0]?.text ?? '').toLowerCase();
  const second = stripTrailingPunctuation(words[1]?.text ?? '').toLowerCase();
  const all = lookups.environments ?? [];
  if ((first === 'all' || first === 'every') && /^environments?$/.test(second)) return { ok: true, environments: all, shown: 'all', rest: args.slice(words[1]!.end) };
  if (first === 'all') return { ok: true, environments: all, shown: 'all', rest: args.slice(words[0]!.end) };
  const environment = readEnvironment(args, lookups, extent);
  if (!environment.ok) return { ok: false, error: `${environment.error} Or write all for every environment.` };
  return { ok: true, environments: [environment.value], shown: `"${environment.value.name}"`, rest: environment.rest };
}

function startsWithDate(word: string): boolean {
  return /^\d{4}-/.test(word);
}

/** `<YYYY-MM-DD> [HH:MM] [<zone>]` from words[at]; the instant in the zone written, else the configured one. */
function readEdge(words: readonly Word[], at: number, lookups: Lookups, edge: 'from' | 'to'): { ok: true; instant: Date; next: number } | { ok: false; error: string } {
  const first = stripTrailingPunctuation(words[at]!.text);
  let local: string;
  let next: number;
  const combined = DATE_TIME.exec(first);
  if (combined) {
    [local, next] = [`${combined[1]} ${combined[2]}`, at + 1];
  } else if (DATE.test(first)) {
    const time = stripTrailingPunctuation(words[at + 1]?.text ?? '');
    [local, next] = TIME.test(time) ? [`${first} ${time}`, at + 2] : [first, at + 1];
  } else {
    return fail(`${quote(first)} is not a date: write it as YYYY-MM-DD, optionally with HH:MM, for example until 2026-04-20 09:00.`);
  }
  let zone = lookups.timeZone ?? 'UTC';
  const zoneWord = words[next]?.text ?? '';
  if (looksLikeZone(zoneWord)) {
    const read = readZone(zoneWord);
    if (!read.ok) return read;
    zone = read.value;
    next += 1;
  }
  const [date, clock] = local.split(' ');
  const padded = `${date!.split('-').map((part, i) => (i === 0 ? part : part.padStart(2, '0'))).join('-')}${clock ? ` ${clock.padStart(5, '0')}` : ''}`;
  const instant = freezeInstant(padded, zone, edge);
  if (!instant.ok) return fail(`${edge === 'from' ? 'from' : 'until'}: ${instant.reason}.`);
  return { ok: true, instant: instant.instant, next };
}

function looksLikeZone(word: string): boolean {
  const bare = trimEndChars(word.replace(/^\(/, ''), `${TRAILING_PUNCTUATION})`);
  return /^(?:z|utc|gmt)$/i.test(bare) || /^(?:utc|gmt)?[+-]\d/i.test(bare) || (bare.includes('/') && /^[A-Za-z]/.test(bare)) || ABBREVIATIONS.has(bare);
}

/** Zone abbreviations people write after a time; read as a zone, so the answer says why they are refused. */
const ABBREVIATIONS = new Set(['EST', 'EDT', 'CST', 'CDT', 'MST', 'MDT', 'PST', 'PDT', 'BST', 'CET', 'CEST', 'EET', 'EEST', 'IST', 'JST', 'AEST', 'AEDT']);

/** `3d`, `3 days`, `1 day`, or what `for` takes in a schedule (`12h`, `90m`, `2 hours`). */
function readFreezeDuration(words: readonly Word[], at: number): { ok: true; minutes: number; next: number } | { ok: false; error: string } {
  const first = stripTrailingPunctuation(words[at]!.text).toLowerCase();
  const unit = stripTrailingPunctuation(words[at + 1]?.text ?? '').toLowerCase();
  const days = DAYS.exec(first);
  if (days) return { ok: true, minutes: Number(days[1]) * 1440, next: at + 1 };
  if (/^\d{1,3}$/.test(first) && /^days?$/.test(unit)) return { ok: true, minutes: Number(first) * 1440, next: at + 2 };
  const withUnit = /^(?:h|hrs?|hours?|m|mins?|minutes?)$/.test(unit);
  const read = readDuration(withUnit ? `${first} ${unit}` : first);
  if (!read.ok) return fail(`${read.error.replace(/\.$/, '')}, or in days like 3d.`);
  return { ok: true, minutes: read.value, next: at + (withUnit ? 2 : 1) };
}

const FLAGS: ReadonlyArray<{ readonly words: readonly string[]; readonly hotfixes: boolean }> = [
  { words: ['hotfixes', 'allowed'], hotfixes: true },
  { words: ['hotfix', 'allowed'], hotfixes: true },
  { words: ['hotfixes', 'may', 'pass'], hotfixes: true },
  { words: ['allow', 'hotfixes'], hotfixes: true },
  { words: ['no', 'hotfixes'], hotfixes: false },
  { words: ['hotfixes', 'too'], hotfixes: false },
];

/** A hotfix flag at words[i] (in brackets or not), and how many words it takes. */
function hotfixFlag(words: readonly Word[], i: number): { hotfixes: boolean; used: number } | undefined {
  for (const flag of FLAGS) {
    const matches = flag.words.every((expected, k) => bare(words[i + k]?.text ?? '') === expected);
    if (matches) return { hotfixes: flag.hotfixes, used: flag.words.length };
  }
  return undefined;
}

/** A flag at the end of a reason written after `reason:`. */
function stripFlag(reason: string): { text: string; hotfixes?: boolean } {
  const words = wordsOf(reason);
  for (const flag of FLAGS) {
    const start = words.length - flag.words.length;
    if (start < 0) continue;
    if (flag.words.every((expected, k) => bare(words[start + k]!.text) === expected)) {
      return { text: freeText(trimTail(reason.slice(0, words[start]!.start))), hotfixes: flag.hotfixes };
    }
  }
  return { text: trimTail(reason) };
}

function bare(word: string): string {
  return trimEndChars(word.replace(/^[[(]+/, ''), `${TRAILING_PUNCTUATION}])`).toLowerCase();
}

function trimTail(text: string): string {
  return stripTrailingPunctuation(text.trim().replace(/[,;–—-]$/, '').trim());
}

function unquote(text: string): string {
  const first = text[0] ?? '';
  if ('"“”\'‘’'.includes(first)) {
    const inner = text.slice(1);
    const last = inner[inner.length - 1] ?? '';
    return ('"“”\'‘’'.includes(last) ? inner.slice(0, -1) : inner).trim();
  }
  return text;
}

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}
