// The deployment commands (runbook 3.1–5): scheduling, on-call coverage, the window's phases, bugs.
// Each parser turns a command's arguments into a ParsedCommand or says exactly what is wrong;
// parse-command.ts adds the usage of the command meant.

import { isSpace, optional, quote, stripTrailingPunctuation, textAfter, trimEndWhere, wordsOf } from './command-text';
import {
  CLAUSE_WORDS,
  ClauseName,
  DeploymentRefArg,
  Read,
  WindowArg,
  freeText,
  isDeployWord,
  looksLikeVersion,
  readDeploymentRef,
  readDuration,
  readEnvironment,
  readLeadingPerson,
  readOnePerson,
  readPeople,
  readWindowStart,
  splitClauses,
} from './deployment-args';
import { parseReleaseVersion } from '../domain/version';
import type { EnvironmentRef } from '../domain/types';
import type { ParsedCommand, ParseOptions, SchedulePrefill } from './parse-command';

export type DeploymentCommandName =
  | 'schedule'
  | 'reschedule'
  | 'cancel'
  | 'confirm'
  | 'override'
  | 'start'
  | 'ready'
  | 'stable'
  | 'smoke'
  | 'live'
  | 'abort'
  | 'bug';

export type DeploymentParse = { readonly ok: true; readonly command: ParsedCommand } | { readonly ok: false; readonly error: string };

type Parser = (args: string, options: ParseOptions) => DeploymentParse;

export const DEPLOYMENT_PARSERS: Readonly<Record<DeploymentCommandName, Parser>> = {
  schedule: parseSchedule,
  reschedule: parseReschedule,
  cancel: parseCancel,
  confirm: parseConfirmOnCall,
  override: parseOverrideOnCall,
  start: parseStart,
  ready: (args, options) => parsePhase('ready', args, options),
  stable: (args, options) => parsePhase('stable', args, options),
  smoke: parseSmoke,
  live: parseLive,
  abort: parseAbort,
  bug: parseBug,
};

const EXAMPLE_START = '2026-04-14 22:00';

// ---- scheduling -----------------------------------------------------------------------------

/** ` override freeze <reason>` ending a schedule, reschedule or start: an IRC deploying inside a freeze, on record. */
const FREEZE_OVERRIDE = /(?:^|\s)override\s+freeze\b/i;

function splitFreezeOverride(command: string, args: string): { ok: true; args: string; reason?: string } | { ok: false; error: string } {
  const found = FREEZE_OVERRIDE.exec(args);
  if (!found) return { ok: true, args };
  const reason = freeText(args.slice(found.index + found[0].length));
  if (reason === '') return fail(`override freeze needs a reason (why this deployment can't wait for the freeze to end), so it is on record: ${command} … override freeze <reason>.`);
  return { ok: true, args: args.slice(0, found.index), reason };
}

function parseStart(args: string, options: ParseOptions): DeploymentParse {
  const split = splitFreezeOverride('start', args);
  if (!split.ok) return split;
  const parsed = parsePhase('start', split.args, options);
  return parsed.ok && split.reason ? ok({ ...(parsed.command as Extract<ParsedCommand, { name: 'start' }>), freezeOverride: split.reason }) : parsed;
}

function parseSchedule(whole: string, options: ParseOptions): DeploymentParse {
  const split = splitFreezeOverride('schedule deploy', whole);
  if (!split.ok) return split;
  const args = split.args;
  const override = split.reason ? { freezeOverride: split.reason } : {};
  const words = wordsOf(args, 2);
  // The form: `schedule deploy` (or `schedule`) alone.
  if (words.length === 0 || (words.length === 1 && isDeployWord(words[0].text))) return ok({ name: 'scheduleForm' });
  const ref = readDeploymentRef('schedule deploy', args, options, 'required', 'clause', ` at ${EXAMPLE_START}`);
  if (!ref.ok) {
    // A part left out (the environment, the version) is no dead end: the form opens with the rest filled in.
    const partial = readPartialDeployment(args, options);
    if (!partial) return ref;
    const parts = readWindowParts('schedule', undefined, partial.rest, options);
    if (!parts.ok) return parts;
    return ok({ name: 'scheduleForm', prefill: prefillOf(partial, parts.value) });
  }
  const deployment = ref.value!;
  const parts = readWindowParts('schedule', deployment, ref.rest, options);
  if (!parts.ok) return parts;
  const { window, engineer, validators } = parts.value;
  if (!window) return ok({ name: 'scheduleForm', prefill: prefillOf({ version: deployment.version, environment: deployment.environment }, parts.value) });
  return ok({ name: 'schedule', deployment, window, ...optional('engineer', engineer), ...(validators ? { validators } : {}), ...override });
}

/**
 * What a `schedule deploy` missing its version or environment still says: `2026.4.0 at …` (no
 * environment), `to "BXCI Production" at …` (no version), `at …` (neither). Undefined when the
 * start is something else, which the strict reading's refusal explains.
 */
function readPartialDeployment(args: string, options: ParseOptions): { version?: string; environment?: EnvironmentRef; rest: string } | undefined {
  const words = wordsOf(args, 3);
  const skip = words.length > 0 && isDeployWord(words[0].text) ? 1 : 0;
  const token = stripTrailingPunctuation(words[skip]?.text ?? '');
  const next = stripTrailingPunctuation(words[skip + 1]?.text ?? '').toLowerCase();
  const isClause = (word: string) => CLAUSE_WORDS[word.replace(/:$/, '').toLowerCase()] !== undefined;
  if (isClause(token)) return { rest: textAfter(args, words, skip - 1) };
  if (token.toLowerCase() === 'to') {
    const environment = readEnvironment(textAfter(args, words, skip), options, 'clause');
    return environment.ok ? { environment: environment.value, rest: environment.rest } : undefined;
  }
  const version = parseReleaseVersion(token);
  if (version.ok && (next === '' || isClause(next))) return { version: version.value.release, rest: textAfter(args, words, skip) };
  return undefined;
}

function prefillOf(deployment: { version?: string; environment?: EnvironmentRef }, parts: WindowParts): SchedulePrefill {
  return {
    ...optional('version', deployment.version),
    ...(deployment.environment ? { environment: deployment.environment } : {}),
    ...(parts.window ? { start: parts.window.start, ...optional('minutes', parts.window.minutes) } : optional('minutes', parts.minutes)),
    ...optional('engineer', parts.engineer),
    ...(parts.validators ? { validators: parts.validators } : {}),
  };
}

function parseReschedule(whole: string, options: ParseOptions): DeploymentParse {
  const split = splitFreezeOverride('reschedule', whole);
  if (!split.ok) return split;
  const ref = readDeploymentRef('reschedule', split.args, options, 'alone', 'clause');
  if (!ref.ok) return ref;
  const parts = readWindowParts('reschedule', ref.value, ref.rest, options);
  if (!parts.ok) return parts;
  return ok({ name: 'reschedule', ...deploymentOf(ref.value), window: parts.value.window!, ...(split.reason ? { freezeOverride: split.reason } : {}) });
}

interface WindowParts {
  /** Absent only for `schedule` written without `at …`: the caller opens the form. */
  readonly window?: WindowArg;
  /** A `for …` written without `at …`. */
  readonly minutes?: number;
  readonly engineer?: string;
  readonly validators?: readonly string[];
}

/**
 * `at … [for …]`, and for `schedule` also `[engineer …] [validators …]`, in any order, each at most
 * once. `reschedule` needs the `at`; `schedule` without one comes back windowless (the form asks).
 */
function readWindowParts(
  verb: 'schedule' | 'reschedule',
  deployment: DeploymentRefArg | undefined,
  text: string,
  options: ParseOptions,
): Read<WindowParts> {
  const { before, clauses } = splitClauses(text);
  const written = deployment ? `${verb} deploy ${deployment.version} to "${deployment.environment.name}"` : verb;
  const parts =
    verb === 'schedule'
      ? 'at <YYYY-MM-DD HH:MM>, then optionally for <duration>, engineer <person> and validators <person>, <person>…'
      : 'at <YYYY-MM-DD HH:MM> and optionally for <duration>.';
  if (before !== '') {
    const after = deployment ? 'after the environment' : `after ${verb}`;
    return fail(`I don't understand ${quote(before)} ${after}. ${verb === 'schedule' ? 'Next come' : `${verb} takes`} ${parts}`);
  }
  const seen = new Set<ClauseName>();
  let start: Omit<WindowArg, 'minutes'> | undefined;
  let minutes: number | undefined;
  let engineer: string | undefined;
  let validators: readonly string[] | undefined;
  for (const clause of clauses) {
    const word = clause.written.toLowerCase();
    if (seen.has(clause.name)) return fail(`${word} is given twice; give it once.`);
    seen.add(clause.name);
    if (verb === 'reschedule' && (clause.name === 'engineer' || clause.name === 'validators')) {
      return fail(
        `reschedule only moves the window; the engineer and validators stay as scheduled. ` +
          `To change them, cancel the deployment and schedule it again.`,
      );
    }
    switch (clause.name) {
      case 'at': {
        const read = readWindowStart(clause.value, options);
        if (!read.ok) return read;
        start = read.value;
        break;
      }
      case 'for': {
        const read = readDuration(clause.value);
        if (!read.ok) return read;
        minutes = read.value;
        break;
      }
      case 'engineer': {
        if (clause.value === '') return fail(`${word} needs the person who runs the deployment: engineer <person>, for example engineer ${examplePeople(options, 1)}.`);
        const read = readOnePerson(clause.value, options, 'The deployment engineer');
        if (!read.ok) return read;
        engineer = read.value;
        break;
      }
      case 'validators': {
        if (clause.value === '') return fail(`${word} needs at least one person: validators <person>, <person>…, for example validators ${examplePeople(options, 2)}.`);
        const read = readPeople(clause.value, options);
        if (!read.ok) return read;
        validators = read.value;
        break;
      }
    }
  }
  if (!start && verb === 'schedule') {
    return { ok: true, value: { ...optional('minutes', minutes), ...optional('engineer', engineer), ...(validators ? { validators } : {}) }, rest: '' };
  }
  if (!start) return fail(`reschedule needs the new start, for example ${written} at ${EXAMPLE_START}.`);
  return {
    ok: true,
    value: { window: { ...start, ...optional('minutes', minutes) }, ...optional('engineer', engineer), ...(validators ? { validators } : {}) },
    rest: '',
  };
}

/** First names of configured people for an example: the last one for an engineer ("Jake"), the first ones for validators ("Luis, Rafaella"). */
function examplePeople(options: ParseOptions, count: number): string {
  const names = (options.people ?? []).map((person) => person.name.trim().split(/\s+/)[0]!).filter((name) => name !== '');
  const picked = count === 1 ? names.slice(-1) : names.slice(0, count);
  return picked.length === count ? picked.join(', ') : count === 1 ? 'Jake' : 'Luis, Bosko';
}

function parseCancel(args: string, options: ParseOptions): DeploymentParse {
  const ref = readDeploymentRef('cancel deploy', args, options, 'required', 'word', ' <reason>');
  if (!ref.ok) return ref;
  const deployment = ref.value!;
  const reason = freeText(ref.rest);
  if (reason === '') {
    return fail(
      `cancel needs a reason, for the company notification: cancel deploy ${deployment.version} to "${deployment.environment.name}" <reason>.`,
    );
  }
  return ok({ name: 'cancel', deployment, reason });
}

// ---- on-call coverage -----------------------------------------------------------------------

/** The text after `on-call` (also `oncall`, `on call`, and an optional `coverage`), or undefined if it isn't there. */
function afterOnCall(args: string): string | undefined {
  const words = wordsOf(args, 3);
  const word = (i: number) => stripTrailingPunctuation(words[i]?.text ?? '').toLowerCase();
  let used: number;
  if (/^on-?call$/.test(word(0))) used = 1;
  else if (word(0) === 'on' && word(1) === 'call') used = 2;
  else return undefined;
  if (word(used) === 'coverage') used += 1;
  return textAfter(args, words, used - 1);
}

/** `for <version> to …` reads naturally after a person; the `for` is optional. */
function withoutFor(text: string): string {
  const words = wordsOf(text, 2);
  return words.length > 1 && words[0].text.toLowerCase() === 'for' && looksLikeVersion(words[1].text) ? textAfter(text, words, 0) : text;
}

function parseConfirmOnCall(args: string, options: ParseOptions): DeploymentParse {
  const after = afterOnCall(args);
  if (after === undefined) {
    const written = args.trim();
    if (written === '') return fail('confirm needs what to confirm: confirm on-call [<person>].');
    return fail(`${quote(stripTrailingPunctuation(splitWord(written)))} is not something I confirm; write confirm on-call [<person>].`);
  }
  // The person, if any, runs up to the deployment (its version) or the end.
  const words = wordsOf(after);
  const refAt = words.findIndex(
    (word, i) =>
      looksLikeVersion(word.text) || ((word.text.toLowerCase() === 'for' || isDeployWord(word.text)) && looksLikeVersion(words[i + 1]?.text ?? '')),
  );
  const personText = (refAt < 0 ? after : after.slice(0, words[refAt].start)).trim();
  const refText = refAt < 0 ? '' : withoutFor(after.slice(words[refAt].start));
  let person: string | undefined;
  if (personText !== '') {
    const read = readOnePerson(personText, options, 'The on-call engineer');
    if (!read.ok) return read;
    person = read.value;
  }
  const ref = readDeploymentRef('confirm on-call', refText, options, 'alone', 'all');
  if (!ref.ok) return ref;
  if (ref.rest !== '') return fail(`I don't understand ${quote(ref.rest)} after the deployment.`);
  return ok({ name: 'confirmOnCall', ...deploymentOf(ref.value), ...optional('person', person) });
}

function parseOverrideOnCall(args: string, options: ParseOptions): DeploymentParse {
  const after = afterOnCall(args);
  if (after === undefined) {
    const written = args.trim();
    if (written === '') return fail('override needs what to override: override on-call <person> <reason>.');
    return fail(`${quote(stripTrailingPunctuation(splitWord(written)))} is not something I override; write override on-call <person> <reason>.`);
  }
  if (after === '') return fail('override on-call needs the person who covers instead, and a reason: override on-call <person> <reason>.');
  const person = readLeadingPerson(after, options);
  if (!person.ok) return person;
  const ref = readDeploymentRef('override on-call', withoutFor(freeText(person.rest)), options, 'before-text', 'word');
  if (!ref.ok) return ref;
  const reason = freeText(ref.rest);
  if (reason === '') {
    return fail(`override on-call needs a reason (why the scheduled on-call engineer can't cover), so it is on record.`);
  }
  return ok({ name: 'overrideOnCall', ...deploymentOf(ref.value), person: person.value, reason });
}

// ---- the window -----------------------------------------------------------------------------

function parsePhase(name: 'start' | 'ready' | 'stable', args: string, options: ParseOptions): DeploymentParse {
  const ref = readDeploymentRef(name, args, options, 'alone', 'all');
  if (!ref.ok) return ref;
  if (ref.rest !== '') {
    return fail(`${name} takes only the deployment, if any: ${name} [<version> to <environment>]. I don't understand ${quote(ref.rest)}.`);
  }
  return ok({ name, ...deploymentOf(ref.value) });
}

function parseSmoke(args: string, options: ParseOptions): DeploymentParse {
  const words = wordsOf(args, 2);
  const skip = /^tests?:?$/i.test(words[0]?.text ?? '') ? 1 : 0;
  const written = stripTrailingPunctuation(words[skip]?.text ?? '');
  if (written === '') return fail('smoke needs pass or fail: smoke pass [<notes>] or smoke fail <what failed>.');
  const word = written.toLowerCase();
  const result = word === 'pass' || word === 'passed' ? 'pass' : word === 'fail' || word === 'failed' ? 'fail' : undefined;
  if (result === undefined) return fail(`${quote(written)} is neither pass nor fail.`);
  const ref = readRefBeforeText(`smoke ${result}`, textAfter(args, words, skip), options);
  if (!ref.ok) return ref;
  const notes = freeText(ref.rest);
  if (result === 'fail' && notes === '') return fail('smoke fail needs notes saying what failed, so the engineer can act on it.');
  return ok({ name: 'smoke', ...deploymentOf(ref.value), result, notes });
}

function parseLive(args: string, options: ParseOptions): DeploymentParse {
  const words = wordsOf(args, 1);
  if (stripTrailingPunctuation(words[0]?.text ?? '').toLowerCase() === 'override') {
    const ref = readRefBeforeText('live override', textAfter(args, words, 0), options);
    if (!ref.ok) return ref;
    const overrideReason = freeText(ref.rest);
    if (overrideReason === '') {
      return fail(`live override needs a reason (why it goes live without every validator's pass), so it is on record.`);
    }
    return ok({ name: 'live', ...deploymentOf(ref.value), overrideReason });
  }
  const ref = readDeploymentRef('live', args, options, 'alone', 'all');
  if (!ref.ok) return ref;
  if (ref.rest !== '') {
    return fail(
      `live takes only the deployment, if any; to go live without every validator's pass an IRC writes live override <reason>. ` +
        `I don't understand ${quote(ref.rest)}.`,
    );
  }
  return ok({ name: 'live', ...deploymentOf(ref.value) });
}

function parseAbort(args: string, options: ParseOptions): DeploymentParse {
  const ref = readRefBeforeText('abort', args, options);
  if (!ref.ok) return ref;
  const reason = freeText(ref.rest);
  if (reason === '') return fail('abort needs a reason, for the record and the incident review.');
  return ok({ name: 'abort', ...deploymentOf(ref.value), reason });
}

/** A deployment before free text (notes, a reason): read only where `<version> to` starts the text. */
function readRefBeforeText(command: string, args: string, options: ParseOptions): Read<DeploymentRefArg | undefined> {
  return readDeploymentRef(command, args, options, 'before-text', 'word');
}

// ---- post-deployment ------------------------------------------------------------------------

/** A dash between spaces (or ending the line) starts a bug's details: `bug Export times out -- over 10k loans`. */
const DETAILS_DASH = /(?<=\s)(?:--|—)(?=\s|$)/;
const VERSION_START = /^\d+\.\d/;

/**
 * `bug <title> [in <version> [on <environment>]]`, then details after ` -- ` or on the next lines.
 * `in …` is read only at the end of the title and only when a version follows it, so "Crash in
 * Safari" stays a title.
 */
function parseBug(args: string, options: ParseOptions): DeploymentParse {
  const input = args.trim();
  const noTitle = 'bug needs a title saying what is wrong, for example bug Export to CSV times out in 2026.4.0.';
  if (input === '') return fail(noTitle);
  const [firstLine, ...moreLines] = input.split('\n');
  const { title: titleLine, details: inlineDetails } = splitDetails(firstLine);
  const details = (inlineDetails === undefined ? moreLines : [inlineDetails, ...moreLines]).join('\n').trim();

  let title = titleLine.trim();
  let release: string | undefined;
  let environment: EnvironmentRef | undefined;
  const target = bugTarget(title);
  if (target) {
    const version = parseReleaseVersion(stripTrailingPunctuation(target.version));
    if (!version.ok) return fail(version.reason);
    release = version.value.release;
    if (target.environment !== undefined) {
      const read = readEnvironment(target.environment, options, 'all');
      if (!read.ok) return read;
      if (read.rest !== '') {
        return fail(`I don't understand ${quote(read.rest)} after the environment; put details after -- or on the next line.`);
      }
      environment = read.value;
    }
    title = trimEndWhere(title.slice(0, target.index), (char) => isSpace(char) || ',;:-–—'.includes(char)).trim();
  }
  if (title === '') return fail(noTitle);
  return ok({ name: 'bug', title, ...optional('details', details), ...optional('release', release), ...(environment ? { environment } : {}) });
}

/** The title line cut at its first details dash; the spaces around the dash belong to neither part. */
function splitDetails(line: string): { title: string; details?: string } {
  // Padded so a dash that starts the line (`bug -- details`) counts too.
  const padded = ` ${line}`;
  const dash = DETAILS_DASH.exec(padded);
  if (!dash) return { title: line };
  let start = dash.index;
  while (start > 0 && isSpace(padded[start - 1])) start -= 1;
  let end = dash.index + dash[0].length;
  while (end < padded.length && isSpace(padded[end])) end += 1;
  return { title: padded.slice(0, start).trim(), details: padded.slice(end) };
}

/** The first `in <version>` that ends the title, or is followed only by `on <environment>`. */
function bugTarget(title: string): { index: number; version: string; environment?: string } | undefined {
  const words = wordsOf(title);
  for (let i = 0; i + 1 < words.length; i++) {
    if (words[i].text.toLowerCase() !== 'in' || !VERSION_START.test(words[i + 1].text)) continue;
    const found = { index: words[i].start, version: words[i + 1].text };
    if (i + 2 === words.length) return found;
    if (i + 3 < words.length && words[i + 2].text.toLowerCase() === 'on') return { ...found, environment: textAfter(title, words, i + 2) };
  }
  return undefined;
}

// ---- small helpers --------------------------------------------------------------------------

function deploymentOf(deployment: DeploymentRefArg | undefined): { deployment?: DeploymentRefArg } {
  return deployment ? { deployment } : {};
}

function splitWord(text: string): string {
  return wordsOf(text, 1)[0]?.text ?? '';
}

function ok(command: ParsedCommand): DeploymentParse {
  return { ok: true, command };
}

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}
