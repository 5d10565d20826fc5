// The parts deployment commands share, read from what someone typed: which deployment
// (`2026.4.0 to "BXCI Production"`), when (`at 2026-04-14 22:00 America/New_York`), for how long
// (`for 1h30m`) and who (`engineer Jake`, `validators Luis Garcia, Bosko`). Pure: each reader returns
// the value and the text after it, or says exactly what is wrong.

import { parseLocalDateTime } from '../domain/business-hours';
import { DEFAULT_WINDOW_MINUTES } from '../domain/deployment';
import type { EnvironmentRef, WindowInput } from '../domain/types';
import { parseReleaseVersion } from '../domain/version';
import { TRAILING_PUNCTUATION, listWords, quote, stripTrailingPunctuation, textAfter, trimEndChars, wordsOf } from './command-text';

/** A configured person as commands name them; commands resolve people to `key`. */
export interface PersonOption {
  readonly key: string;
  readonly name: string;
}

/**
 * A deployment as a command names it: `<version> to <environment>`. Commands that run inside a
 * deployment's window may leave it out; the caller then takes the deployment of the thread, meeting
 * chat or tracker card the message was written in.
 */
export interface DeploymentRefArg {
  /** Normalised release version, "2026.4.0". */
  readonly version: string;
  /** As configured, whichever of key or name was written. */
  readonly environment: EnvironmentRef;
}

/** When a window opens, as written: `at 2026-04-14 22:00 [<zone>] [for <duration>]`. */
export interface WindowArg {
  /** The instant the window opens. */
  readonly start: Date;
  /**
   * Length in minutes when `for <duration>` was written. Absent: `schedule` takes the runbook's
   * estimate (DEFAULT_WINDOW_MINUTES), `reschedule` keeps the deployment's current length.
   */
  readonly minutes?: number;
  /** The IANA zone the time was read in: the one written after it, else ParseOptions.timeZone. */
  readonly timeZone: string;
  /** Present when the local time happens twice (clocks go back): says which one was taken, for the reply. */
  readonly note?: string;
}

/** Runbook 4.1's ~90 minutes, defined once in the domain. */
export { DEFAULT_WINDOW_MINUTES };

/** The domain's window for a written one; `defaultMinutes` applies when no duration was written. */
export function toWindowInput(window: WindowArg, defaultMinutes: number = DEFAULT_WINDOW_MINUTES): WindowInput {
  return { start: window.start, end: new Date(window.start.getTime() + (window.minutes ?? defaultMinutes) * 60_000) };
}

/** What the readers look things up in; ParseOptions carries them. */
export interface Lookups {
  readonly environments?: readonly EnvironmentRef[];
  readonly people?: readonly PersonOption[];
  readonly timeZone?: string;
}

export type Read<T> = { readonly ok: true; readonly value: T; readonly rest: string } | { readonly ok: false; readonly error: string };

/** Words that start a part of `schedule`/`reschedule`; an unquoted environment or a person list ends before them. */
export const CLAUSE_WORDS: Readonly<Record<string, ClauseName>> = {
  at: 'at',
  for: 'for',
  engineer: 'engineer',
  validators: 'validators',
  validator: 'validators',
};
export type ClauseName = 'at' | 'for' | 'engineer' | 'validators';

const DEPLOY_WORD = /^deploy(?:ment)?$/i;
/** Where a release version could start: `2026.4.0`, but also `2026.4` or `2026.4.0-rc.3`, which get precise reasons. */
const VERSION_LIKE = /^\d+\.\d/;
const EXAMPLE_ENVIRONMENT = 'BXCI Production';

/**
 * Where a command may name its deployment:
 * - `required`: it must (schedule, cancel);
 * - `alone`: nothing else follows it, so a version-like word always starts one (start, ready, stable, live);
 * - `before-text`: free text may follow, so a deployment is read only where a version-like word is
 *   followed by `to` (`abort 2026.4.0 to "BXCI Production" <reason>`, but `abort 2.5 GB left on disk`).
 */
export type RefPlacement = 'required' | 'alone' | 'before-text';

/** How much of an unknown unquoted environment to show back: its first word, up to the next part, or all. */
export type EnvironmentExtent = 'word' | 'clause' | 'all';

export function isDeployWord(word: string): boolean {
  return DEPLOY_WORD.test(stripTrailingPunctuation(word));
}

export function looksLikeVersion(word: string): boolean {
  return VERSION_LIKE.test(word);
}

/**
 * `[deploy] <version> to <environment>` at the start of `args`. `command` is how the command was
 * written, for the examples in errors ("start", "schedule deploy"); `exampleTail` follows the
 * deployment in the example of a missing one (" at 2026-04-14 22:00").
 */
export function readDeploymentRef(
  command: string,
  args: string,
  lookups: Lookups,
  placement: RefPlacement,
  extent: EnvironmentExtent,
  exampleTail = '',
): Read<DeploymentRefArg | undefined> {
  const words = wordsOf(args, 3); // [deploy] <version> to
  const skip = words.length > 0 && isDeployWord(words[0].text) ? 1 : 0;
  const token = stripTrailingPunctuation(words[skip]?.text ?? '');
  const next = stripTrailingPunctuation(words[skip + 1]?.text ?? '').toLowerCase();
  const attempted = looksLikeVersion(token) && (placement !== 'before-text' || next === 'to');
  if (!attempted) {
    if (placement === 'required') {
      if (token === '' || CLAUSE_WORDS[token.toLowerCase()] !== undefined || token.toLowerCase() === 'to') {
        return fail(
          `${command} needs the release version and the environment, for example ` +
            `${command} 2026.4.0 to "${exampleEnvironment(lookups)}"${exampleTail}.`,
        );
      }
      return fail(reasonOf(parseReleaseVersion(token)));
    }
    // A lone deploy word ("start deployment") names the thread's deployment; before free text it is part of the text.
    const consumed = placement === 'alone' || words.length === skip ? skip : 0;
    return { ok: true, value: undefined, rest: textAfter(args, words, consumed - 1) };
  }

  const version = parseReleaseVersion(token);
  if (!version.ok) return fail(version.reason);
  const release = version.value.release;
  const written = `${command} ${release}`;
  const environments = knownEnvironments(lookups);
  const afterTo = next === 'to' ? textAfter(args, words, skip + 1) : '';
  if (next === '' || CLAUSE_WORDS[next] !== undefined || (next === 'to' && afterTo === '')) {
    return fail(`${written} needs the environment: ${written} to <environment>.${environments}`);
  }
  if (next !== 'to') return fail(`Write to between the version and the environment: ${written} to <environment>.`);
  const environment = readEnvironment(afterTo, lookups, extent);
  if (!environment.ok) return environment;
  return { ok: true, value: { version: release, environment: environment.value }, rest: environment.rest };
}

const OPEN_QUOTES: Readonly<Record<string, string>> = { '"': '"“”', '“': '"“”', '”': '"“”', "'": "'‘’", '‘': "'‘’", '’': "'‘’" };

/**
 * A configured environment at the start of `text`, by key or name in any case: quoted (any kind of
 * quotes), or unquoted, where the longest configured key or name the text starts with wins.
 */
export function readEnvironment(text: string, lookups: Lookups, extent: EnvironmentExtent): Read<EnvironmentRef> {
  const input = text.replace(/^\s+/, '');
  const environments = lookups.environments ?? [];
  const closers = OPEN_QUOTES[input[0] ?? ''];
  if (closers !== undefined) {
    let close = 1;
    while (close < input.length && !closers.includes(input[close])) close += 1;
    if (close === input.length) close = -1;
    if (close < 0) return fail(`The environment's closing quote is missing: write it as "${exampleEnvironment(lookups)}".`);
    const inner = input.slice(1, close).replace(/\s+/g, ' ').trim();
    const rest = input.slice(close + 1).replace(/^[\s,;:]+/, '');
    if (inner === '') return fail(`The quotes hold no environment.${knownEnvironments(lookups)}`);
    const found = environments.find((env) => sameText(env.key, inner) || sameText(env.name, inner));
    return found ? { ok: true, value: ref(found), rest } : unknownEnvironment(inner, lookups);
  }

  const longest = Math.max(1, ...environments.flatMap((env) => [env.name, env.key].map((label) => label.split(/\s+/).length)));
  const words = wordsOf(input, longest);
  let best: { env: EnvironmentRef; length: number } | undefined;
  for (const env of environments) {
    for (const label of [env.name, env.key]) {
      const parts = label.split(/\s+/).filter(Boolean);
      if (parts.length === 0 || parts.length > words.length || (best && best.length >= parts.length)) continue;
      const matches = parts.every((part, i) => {
        const word = i === parts.length - 1 ? stripTrailingPunctuation(words[i].text) : words[i].text;
        return sameText(word, part);
      });
      if (matches) best = { env, length: parts.length };
    }
  }
  if (best) return { ok: true, value: ref(best.env), rest: textAfter(input, words, best.length - 1) };

  let shown = input;
  if (extent === 'word') shown = stripTrailingPunctuation(words[0]?.text ?? '');
  if (extent === 'clause') {
    const all = wordsOf(input);
    const end = all.findIndex((word, i) => i > 0 && CLAUSE_WORDS[stripTrailingPunctuation(word.text).toLowerCase()] !== undefined);
    shown = end < 0 ? input : input.slice(0, all[end].start);
  }
  return unknownEnvironment(stripTrailingPunctuation(shown.trim()), lookups);
}

function unknownEnvironment(written: string, lookups: Lookups): Read<never> {
  if (!lookups.environments || lookups.environments.length === 0) {
    return fail(`I have no environments configured, so I can't tell what ${quote(written)} is.`);
  }
  return fail(`${quote(written)} is not an environment I deploy to.${knownEnvironments(lookups)}`);
}

function knownEnvironments(lookups: Lookups): string {
  const names = (lookups.environments ?? []).map((env) => env.name);
  if (names.length === 0) return '';
  return names.length === 1 ? ` The environment is ${names[0]}.` : ` The environments are ${listWords(names)}.`;
}

function exampleEnvironment(lookups: Lookups): string {
  return lookups.environments?.[0]?.name ?? EXAMPLE_ENVIRONMENT;
}

function ref(env: EnvironmentRef): EnvironmentRef {
  return { key: env.key, name: env.name };
}

// ---- when -----------------------------------------------------------------------------------

const DATE_TIME = /^(\d{4}-\d{1,2}-\d{1,2})T(\d{1,2}:\d{2})(z)?$/i;
const DATE = /^\d{4}-\d{1,2}-\d{1,2}$/;
const TIME = /^(\d{1,2}:\d{2})(z)?$/i;
const ZONE_HINT = 'Write UTC, or a place like America/New_York, after the time';

/** The value of `at`: `<YYYY-MM-DD HH:MM>` (or `T` between them), then optionally `Z`, `UTC` or a zone. */
export function readWindowStart(value: string, lookups: Lookups): Read<Omit<WindowArg, 'minutes'>> {
  // The date, the time, a zone, and whether anything follows it.
  const found = wordsOf(value, 4);
  const words = found.map((word) => word.text);
  if (words.length === 0) return fail('at needs the date and time: at YYYY-MM-DD HH:MM, for example at 2026-04-14 22:00.');
  let local: string;
  let zulu: boolean;
  let used: number;
  const combined = DATE_TIME.exec(stripTrailingPunctuation(words[0]));
  const time = TIME.exec(stripTrailingPunctuation(words[1] ?? ''));
  if (combined) {
    [local, zulu, used] = [`${combined[1]} ${combined[2]}`, combined[3] !== undefined, 1];
  } else if (DATE.test(words[0]) && time) {
    [local, zulu, used] = [`${words[0]} ${time[1]}`, time[2] !== undefined, 2];
  } else if (DATE.test(stripTrailingPunctuation(words[0])) && words.length === 1) {
    const date = stripTrailingPunctuation(words[0]);
    return fail(`at ${date} needs the time too: at ${date} HH:MM (24-hour), for example at ${date} 22:00.`);
  } else if (TIME.test(stripTrailingPunctuation(words[0]))) {
    const clock = TIME.exec(stripTrailingPunctuation(words[0]))![1];
    return fail(`at ${clock} needs the date too: at YYYY-MM-DD ${clock}, for example at 2026-04-14 ${clock}.`);
  } else {
    // parseLocalDateTime says what the form is; show it the date and time as written, not a zone after them.
    return fail(reasonOf(parseLocalDateTime(words.slice(0, 2).join(' '), defaultZone(lookups))));
  }

  const zoneWords = words.slice(used);
  if (zoneWords.length > 1) {
    return fail(`at takes the date, the time and optionally a time zone; I don't understand ${quote(textAfter(value, found, used))}.`);
  }
  let timeZone = defaultZone(lookups);
  if (zoneWords.length === 1) {
    if (zulu) return fail(`Z already means UTC; leave out ${quote(zoneWords[0])}.`);
    const zone = readZone(zoneWords[0]);
    if (!zone.ok) return zone;
    timeZone = zone.value;
  } else if (zulu) {
    timeZone = 'UTC';
  }
  if (!isTimeZone(timeZone)) return fail(`My configured time zone ${quote(timeZone)} is not a time zone; ask whoever runs me to fix it.`);
  const parsed = parseLocalDateTime(local, timeZone);
  if (!parsed.ok) return fail(parsed.reason);
  const { instant, note } = parsed.value;
  return { ok: true, value: { start: instant, timeZone, ...(note ? { note } : {}) }, rest: '' };
}

const OFFSET = /^(?:utc|gmt)?([+-])(\d{1,2})(?::?(\d{2}))?$/i;

/**
 * `UTC`, `GMT`, `Z`, a whole-hour offset (`UTC+2`, `-05:00`) or an IANA zone (`America/New_York`,
 * any case). Abbreviations like EST are refused: they say nothing about daylight saving.
 */
export function readZone(word: string): Read<string> {
  // `(America/New_York).`: the parentheses and the sentence's punctuation around the zone go.
  const unwrapped = trimEndChars(word, TRAILING_PUNCTUATION);
  const inner = unwrapped.endsWith(')') ? unwrapped.slice(0, -1) : word;
  const written = stripTrailingPunctuation(inner.replace(/^\(/, ''));
  if (/^(?:z|utc|gmt)$/i.test(written)) return { ok: true, value: 'UTC', rest: '' };
  const offset = OFFSET.exec(written);
  if (offset) {
    const [hours, minutes] = [Number(offset[2]), Number(offset[3] ?? 0)];
    if (hours > 14 || minutes > 59) return fail(`${quote(written)} is not a UTC offset. ${ZONE_HINT}.`);
    if (minutes !== 0) return fail(`${quote(written)} is not a whole-hour offset; write the zone as a place, for example Asia/Kolkata.`);
    // IANA's Etc/GMT zones have the sign the other way round: UTC+2 is Etc/GMT-2.
    return { ok: true, value: hours === 0 ? 'UTC' : `Etc/GMT${offset[1] === '+' ? '-' : '+'}${hours}`, rest: '' };
  }
  if (written.includes('/')) {
    const canonical = canonicalZone(written);
    if (canonical) return { ok: true, value: canonical, rest: '' };
    return fail(`${quote(written)} is not a time zone I know. ${ZONE_HINT}.`);
  }
  if (/^[A-Z]{2,5}$/.test(written)) {
    return fail(`${quote(written)} could mean more than one thing around daylight saving. ${ZONE_HINT}.`);
  }
  return fail(`${quote(written)} is not a time zone. ${ZONE_HINT}.`);
}

function defaultZone(lookups: Lookups): string {
  return lookups.timeZone ?? 'UTC';
}

/** The zone as Intl spells it when that differs only in case ("america/new_york"), else as written. */
function canonicalZone(written: string): string | undefined {
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: written }).resolvedOptions().timeZone;
    return sameText(resolved, written) ? resolved : written;
  } catch {
    return undefined;
  }
}

function isTimeZone(zone: string): boolean {
  return canonicalZone(zone) !== undefined;
}

// ---- how long -------------------------------------------------------------------------------

const HOURS = /^(\d{1,3}(?:\.\d{1,2})?)(?:h|hrs?|hours?)(?:(\d{1,4})(?:m|mins?|minutes?)?)?$/;
const MINUTES = /^(\d{1,4})(?:m|mins?|minutes?)$/;
const DURATION_FORMS = 'like 90m, 1h30m, 2h or 1.5h';

/** The value of `for`: `90m`, `1h30m`, `1h 30m`, `2h`, `1.5h`, `90 minutes`, `2 hours`; in whole minutes. */
export function readDuration(value: string): Read<number> {
  const written = value.replace(/\s+/g, ' ').trim();
  const compact = stripTrailingPunctuation(written.replace(/ /g, '').toLowerCase());
  if (compact === '') return fail(`for needs the duration, ${DURATION_FORMS}.`);
  if (/^\d{1,4}$/.test(compact)) return fail(`${quote(written)} needs a unit: for ${compact}m (minutes) or for ${compact}h (hours).`);
  const hours = HOURS.exec(compact);
  const minutesOnly = MINUTES.exec(compact);
  if (!hours && !minutesOnly) return fail(`${quote(written)} is not a duration. Write it ${DURATION_FORMS}.`);
  const exact = hours ? Number(hours[1]) * 60 + Number(hours[2] ?? 0) : Number(minutesOnly![1]);
  const minutes = Math.round(exact);
  if (Math.abs(exact - minutes) > 1e-9) return fail(`${quote(written)} is not a whole number of minutes; write it like 1h20m.`);
  if (minutes === 0) return fail(`${quote(written)} is no time at all; a window needs a length, for example 90m.`);
  return { ok: true, value: minutes, rest: '' };
}

// ---- who ------------------------------------------------------------------------------------

/** How a person was named: by config key beats full name beats first name, so `luis` the key wins over another Luis. */
type Rank = 0 | 1 | 2;
type PersonLabels = ReadonlyMap<string, readonly { readonly person: PersonOption; readonly rank: Rank }[]>;

/** Every way a person may be named, lower case: config key, full name, first name. */
function labelsOf(people: readonly PersonOption[]): { labels: PersonLabels; longest: number } {
  const labels = new Map<string, { person: PersonOption; rank: Rank }[]>();
  const add = (label: string, person: PersonOption, rank: Rank) => {
    const key = label.toLowerCase().replace(/\s+/g, ' ').trim();
    if (key === '') return;
    const holders = labels.get(key) ?? [];
    if (!holders.some((holder) => holder.person.key === person.key)) labels.set(key, [...holders, { person, rank }]);
  };
  for (const person of people) {
    add(person.key, person, 0);
    add(person.name, person, 1);
    add(person.name.trim().split(/\s+/)[0] ?? '', person, 2);
  }
  const longest = Math.max(1, ...[...labels.keys()].map((label) => label.split(' ').length));
  return { labels, longest };
}

/** A word as a name part: no @ from a typed mention, no quotes, no trailing punctuation. */
function namePart(word: string): string {
  return trimEndChars(stripTrailingPunctuation(trimEndChars(word.replace(/^[@"“”'‘’]+/, ''), QUOTES)), QUOTES).toLowerCase();
}
const QUOTES = `"“”'‘’`;

interface Found {
  readonly person?: PersonOption;
  readonly ambiguous?: { readonly written: string; readonly candidates: readonly PersonOption[] };
  readonly length: number;
}

/** The longest way of naming someone that the name parts (see namePart) at `from` spell. */
function personAt(parts: readonly string[], from: number, labels: PersonLabels, longest: number): Found | undefined {
  for (let length = Math.min(longest, parts.length - from); length >= 1; length--) {
    const label = length === 1 ? parts[from] : parts.slice(from, from + length).join(' ');
    const holders = labels.get(label);
    if (!holders) continue;
    const best = Math.min(...holders.map((holder) => holder.rank));
    const candidates = holders.filter((holder) => holder.rank === best).map((holder) => holder.person);
    if (candidates.length === 1) return { person: candidates[0], length };
    return { ambiguous: { written: label, candidates }, length };
  }
  return undefined;
}

/**
 * People named in `text`, in order, without repeats: separated by commas, `;`, `&` or `and`, or
 * just following each other as mentions do ("Luis Garcia Bosko Kocev"). Unknown or ambiguous names
 * are refused, naming them and who can be picked.
 */
export function readPeople(text: string, lookups: Lookups): Read<readonly string[]> {
  const people = lookups.people ?? [];
  const { labels, longest } = labelsOf(people);
  const keys: string[] = [];
  const unknown: string[] = [];
  const ambiguous: NonNullable<Found['ambiguous']>[] = [];
  // The separators alone: the spaces around them are not words anyway (and /\s*…\s*/ would be quadratic in a run of spaces).
  for (const segment of text.split(/[,;&+]|\band\b/i)) {
    // Each word's name part is worked out once: a long list costs its length, not that times the longest name.
    const words: string[] = [];
    const parts: string[] = [];
    for (const { text: word } of wordsOf(segment)) {
      const part = namePart(word);
      if (part !== '') [words[words.length], parts[parts.length]] = [word, part];
    }
    let pending: string[] = [];
    const flush = () => {
      if (pending.length > 0) unknown.push(pending.map((word) => stripTrailingPunctuation(word.replace(/^@/, ''))).join(' '));
      pending = [];
    };
    for (let i = 0; i < words.length; ) {
      const found = personAt(parts, i, labels, longest);
      if (!found) {
        pending.push(words[i]);
        i += 1;
        continue;
      }
      flush();
      if (found.person && !keys.includes(found.person.key)) keys.push(found.person.key);
      if (found.ambiguous) ambiguous.push(found.ambiguous);
      i += found.length;
    }
    flush();
  }
  if (unknown.length > 0) return fail(unknownPeople(unknown, people));
  if (ambiguous.length > 0) {
    const { written, candidates } = ambiguous[0];
    return fail(`${quote(written)} could be ${listWords(candidates.map((p) => p.name), 'or')}; write the full name.`);
  }
  return { ok: true, value: keys, rest: '' };
}

/** The one person `text` names, for `engineer` and `confirm on-call`. `what` says who they are in errors. */
export function readOnePerson(text: string, lookups: Lookups, what: string): Read<string> {
  const people = readPeople(text, lookups);
  if (!people.ok) return people;
  if (people.value.length === 0) return fail(`${what} is missing; name a person.`);
  if (people.value.length > 1) {
    const names = people.value.map((key) => lookups.people?.find((p) => p.key === key)?.name ?? key);
    return fail(`${what} is one person; ${quote(text)} names ${listWords(names)}.`);
  }
  return { ok: true, value: people.value[0], rest: '' };
}

/** The person at the start of `text`, free text after them (`override on-call Bosko Kocev Luis is out sick`). */
export function readLeadingPerson(text: string, lookups: Lookups): Read<string> {
  const people = lookups.people ?? [];
  const { labels, longest } = labelsOf(people);
  const words = wordsOf(text, longest);
  const found = personAt(
    words.map((word) => namePart(word.text)),
    0,
    labels,
    longest,
  );
  if (!found) return fail(unknownPeople([stripTrailingPunctuation((words[0]?.text ?? '').replace(/^@/, ''))], people));
  if (found.ambiguous) {
    return fail(`${quote(found.ambiguous.written)} could be ${listWords(found.ambiguous.candidates.map((p) => p.name), 'or')}; write the full name.`);
  }
  return { ok: true, value: found.person!.key, rest: textAfter(text, words, found.length - 1) };
}

/** How many unknown names a reply repeats; the rest are counted, so a long list is not echoed whole. */
const UNKNOWN_SHOWN = 3;

function unknownPeople(unknown: readonly string[], people: readonly PersonOption[]): string {
  const shown = unknown.slice(0, UNKNOWN_SHOWN).map(quote);
  const more = unknown.length - shown.length;
  const names = more > 0 ? `${shown.join(', ')} and ${more} more` : listWords(shown, 'and');
  if (people.length === 0) return `I have no people configured, so I can't tell who ${names} ${unknown.length === 1 ? 'is' : 'are'}.`;
  const subject = unknown.length === 1 ? `${names} is not someone` : `${names} are not people`;
  return `${subject} I know. You can pick ${listWords(people.map((p) => p.name), 'or')} (by key, first name, full name or @mention).`;
}

// ---- schedule's parts -----------------------------------------------------------------------

export interface Clause {
  readonly name: ClauseName;
  /** The word as typed, for messages ("Validators"). */
  readonly written: string;
  readonly value: string;
}

/** Splits `at … for … engineer … validators …` into its parts, in the order written; `before` is what precedes the first. */
export function splitClauses(text: string): { before: string; clauses: Clause[] } {
  const words = wordsOf(text);
  const starts = words
    .map((word, index) => ({ index, name: CLAUSE_WORDS[word.text.replace(/:$/, '').toLowerCase()] }))
    .filter((entry): entry is { index: number; name: ClauseName } => entry.name !== undefined);
  const before = (starts.length === 0 ? text : text.slice(0, words[starts[0].index].start)).trim();
  const clauses = starts.map(({ index, name }, k) => {
    const end = k + 1 < starts.length ? words[starts[k + 1].index].start : text.length;
    return { name, written: words[index].text.replace(/:$/, ''), value: text.slice(words[index].end, end).trim() };
  });
  return { before, clauses };
}

/** Free text after a deployment or person, without a leading `:`, `-` or dash someone put between. */
export function freeText(text: string): string {
  return text.replace(/^\s*(?:[:\-–—]+\s*)?/, '').trim();
}

function sameText(a: string, b: string): boolean {
  return a.replace(/\s+/g, ' ').trim().toLowerCase() === b.replace(/\s+/g, ' ').trim().toLowerCase();
}

function reasonOf(result: { ok: true } | { ok: false; reason: string }): string {
  return result.ok ? '' : result.reason;
}

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}
