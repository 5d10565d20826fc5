// `lock <environment> <reason> [for <duration> | until <YYYY-MM-DD HH:MM> [<zone>]]` and
// `unlock <environment>`. Pure: each parser returns the command or says exactly what is wrong.

import { DEFAULT_LOCK_MINUTES } from '../domain/locks';
import type { EnvironmentRef } from '../domain/types';
import { quote, stripTrailingPunctuation, textAfter, wordsOf } from './command-text';
import { Lookups, freeText, readDuration, readEnvironment, readWindowStart } from './deployment-args';

export type LockParse =
  | { readonly ok: true; readonly command: { readonly name: 'lock'; readonly environment: EnvironmentRef; readonly reason: string; readonly until: Date | { readonly minutes: number } } }
  | { readonly ok: true; readonly command: { readonly name: 'unlock'; readonly environment: EnvironmentRef } }
  | { readonly ok: false; readonly error: string };

const EXAMPLE = 'lock "BXCI Production" database migration dry run for 2h';

export function parseLock(args: string, lookups: Lookups): LockParse {
  if (args.trim() === '') return fail(`lock needs the environment and a reason, for example ${EXAMPLE}.`);
  const environment = readEnvironment(args, lookups, 'word');
  if (!environment.ok) return environment;
  const rest = environment.rest;
  const words = wordsOf(rest);
  // The last `for` or `until` ends the reason, when what follows it is a duration or a time.
  let index = -1;
  for (let i = words.length - 1; i >= 0; i--) {
    const word = words[i]!.text.toLowerCase();
    if (word === 'for' || word === 'until') {
      index = i;
      break;
    }
  }
  let until: Date | { minutes: number } = { minutes: DEFAULT_LOCK_MINUTES };
  let reasonText = rest;
  if (index >= 0) {
    const word = words[index]!.text.toLowerCase();
    const tail = textAfter(rest, words, index);
    const meant = /^\d/.test(tail); // "for the audit" is part of the reason; "for 2h" is not
    if (meant) {
      if (word === 'for') {
        const read = readDuration(tail);
        if (!read.ok) return read;
        until = { minutes: read.value };
      } else {
        const read = readWindowStart(tail, lookups);
        if (!read.ok) return fail(read.error.replace(/\bat\b/g, 'until'));
        until = read.value.start;
      }
      reasonText = rest.slice(0, words[index]!.start);
    }
  }
  const reason = freeText(reasonText);
  if (reason === '') return fail(`lock needs a reason, so whoever it stops knows why: lock "${environment.value.name}" <reason> [for 2h | until 2026-04-14 18:00].`);
  return { ok: true, command: { name: 'lock', environment: environment.value, reason, until } };
}

export function parseUnlock(args: string, lookups: Lookups): LockParse {
  if (args.trim() === '') return fail('unlock needs the environment, for example unlock "BXCI Production".');
  const environment = readEnvironment(args, lookups, 'all');
  if (!environment.ok) return environment;
  const rest = stripTrailingPunctuation(environment.rest.trim());
  if (rest !== '') return fail(`unlock takes only the environment; I don't understand ${quote(rest)}.`);
  return { ok: true, command: { name: 'unlock', environment: environment.value } };
}

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}
