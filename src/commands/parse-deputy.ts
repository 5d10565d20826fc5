import { parseLocalDateTime, zonedTimeToUtc } from '../domain/business-hours';
import { Lookups, readOnePerson } from './deployment-args';
import { quote, wordsOf } from './command-text';

// `away [<lead>] until <YYYY-MM-DD> [<HH:MM>] deputy <person>` and `back [<lead>]`: deputies for an
// away lead (domain/deputies.ts). People are read as everywhere else (key, first or full name, @mention).

export type DeputyParse =
  | { readonly ok: true; readonly command: { readonly name: 'away'; readonly lead?: string; readonly deputy: string; readonly until: Date } }
  | { readonly ok: true; readonly command: { readonly name: 'back'; readonly lead?: string } }
  | { readonly ok: false; readonly error: string };

export function parseAway(args: string, lookups: Lookups): DeputyParse {
  const words = wordsOf(args);
  const untilAt = words.findIndex((word) => word.text.toLowerCase() === 'until');
  const deputyAt = words.findIndex((word) => /^deputy:?$/i.test(word.text));
  if (untilAt < 0) return fail('away needs until <date>: the last day the deputy stands in, for example until 2026-04-20.');
  if (deputyAt < 0) return fail('away needs deputy <person>: who decides your area while you are away.');
  const [first, second] = untilAt < deputyAt ? [untilAt, deputyAt] : [deputyAt, untilAt];
  const before = args.slice(0, words[first]!.start).trim();
  const middle = args.slice(words[first]!.end, words[second]!.start).trim();
  const last = args.slice(words[second]!.end).trim();
  const [untilText, deputyText] = untilAt < deputyAt ? [middle, last] : [last, middle];
  let lead: string | undefined;
  if (before !== '') {
    const read = readOnePerson(before, lookups, 'The lead who is away');
    if (!read.ok) return fail(read.error);
    lead = read.value;
  }
  const deputy = readOnePerson(deputyText, lookups, 'The deputy');
  if (!deputy.ok) return fail(deputy.error);
  const until = readUntil(untilText, lookups.timeZone ?? 'UTC');
  if (!until.ok) return fail(until.error);
  return { ok: true, command: { name: 'away', ...(lead ? { lead } : {}), deputy: deputy.value, until: until.value } };
}

export function parseBack(args: string, lookups: Lookups): DeputyParse {
  const text = args.trim();
  if (text === '') return { ok: true, command: { name: 'back' } };
  const lead = readOnePerson(text, lookups, 'The lead who is back');
  if (!lead.ok) return fail(lead.error);
  return { ok: true, command: { name: 'back', lead: lead.value } };
}

/**
 * `2026-04-20`: through that whole day in `timeZone` (the cover ends at the next midnight);
 * `2026-04-20 12:00`: until that time.
 */
export function readUntil(text: string, timeZone: string): { ok: true; value: Date } | { ok: false; error: string } {
  const input = text.trim().replace(/\s+/g, ' ');
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input);
  if (day) {
    const [year, month, date] = day.slice(1).map(Number) as [number, number, number];
    const check = new Date(Date.UTC(year, month - 1, date));
    if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== date) return { ok: false, error: `${quote(input)} is not a date; write it like 2026-04-20.` };
    const next = new Date(Date.UTC(year, month - 1, date + 1));
    const midnight = zonedTimeToUtc({ year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate(), hour: 0, minute: 0 }, timeZone);
    const value = midnight.kind === 'exact' ? midnight.instant : midnight.kind === 'ambiguous' ? midnight.earlier : midnight.transition;
    return { ok: true, value };
  }
  const parsed = parseLocalDateTime(input, timeZone);
  if (!parsed.ok) return { ok: false, error: `until takes a date (2026-04-20, through that day) or a date and time (2026-04-20 12:00): ${parsed.reason}` };
  return { ok: true, value: parsed.value.instant };
}

function fail(error: string): DeputyParse {
  return { ok: false, error };
}
