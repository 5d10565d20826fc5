import { formatZoned, zonedTimeToUtc } from './business-hours';
import { refuse } from './rule-helpers';
import { Refusal } from './types';

// Freeze periods: named spans of time in which deployments to some (or all) environments are not
// scheduled or started. Written as wall-clock dates and times in the configured zone, like
// business hours, and resolved to instants here, daylight saving included: a date alone means the
// first instant the clock reads 00:00 that day (the jump itself when midnight is skipped), a `to`
// date is inclusive (the freeze ends when the next day begins), and a time that happens twice
// (clocks go back) opens a freeze at its first reading and closes it at its second — the hull, as
// for business hours, so no deployment slips through a repeated hour. Pure: no I/O.

/** A freeze as the domain checks it: instants, half-open [from, to). */
export interface Freeze {
  readonly name: string;
  /** ISO instants. */
  readonly from: string;
  readonly to: string;
  /** Environment keys it covers; empty means every environment. */
  readonly environments: readonly string[];
  /** True when hotfix deployments may pass it. */
  readonly hotfixes: boolean;
  /** Where it came from, for refusals and status: the config file, or someone's command. */
  readonly source: { readonly kind: 'config' } | { readonly kind: 'command'; readonly by: string; readonly at: string };
}

/** A freeze as the config writes it: local dates ("2026-12-24") or dates and times ("2026-12-24 18:00"). */
export interface FreezeSpec {
  readonly name: string;
  readonly from: string;
  readonly to: string;
  readonly environments?: readonly string[];
  readonly hotfixes?: boolean;
}

export type FreezeEdge = 'from' | 'to';

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}))?$/;
const DAY = 86_400_000;

/**
 * The instant a freeze edge written as a local date or date and time names in `timeZone`, or a
 * reason why it names none (not a date, or a time skipped by a spring-forward jump).
 */
export function freezeInstant(text: string, timeZone: string, edge: FreezeEdge): { ok: true; instant: Date } | { ok: false; reason: string } {
  const match = LOCAL.exec(text.trim());
  const form = 'write it as YYYY-MM-DD or YYYY-MM-DD HH:MM, for example 2026-12-24 or 2026-12-24 18:00';
  if (!match) return { ok: false, reason: `"${text}" is not a date: ${form}` };
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const timed = match[4] !== undefined;
  const [hour, minute] = timed ? [Number(match[4]), Number(match[5])] : [0, 0];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCFullYear() !== year || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day || hour > 23 || minute > 59) {
    return { ok: false, reason: `"${text}" is not a real date and time: ${form}` };
  }
  // A `to` date alone includes that whole day: the freeze ends when the next day begins.
  const local = !timed && edge === 'to' ? new Date(calendar.getTime() + DAY) : calendar;
  const resolved = zonedTimeToUtc(
    { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate(), hour, minute },
    timeZone,
  );
  if (resolved.kind === 'exact') return { ok: true, instant: resolved.instant };
  if (resolved.kind === 'ambiguous') return { ok: true, instant: edge === 'from' ? resolved.earlier : resolved.later };
  if (!timed) return { ok: true, instant: resolved.transition }; // midnight skipped: the day begins at the jump
  return { ok: false, reason: `"${text}" does not exist in ${timeZone} (clocks jump forward over it); pick a time before or after the jump` };
}

/** A configured freeze resolved to instants, or the problems with it (one line each). */
export function resolveFreeze(spec: FreezeSpec, timeZone: string): { ok: true; freeze: Freeze } | { ok: false; problems: string[] } {
  const from = freezeInstant(spec.from, timeZone, 'from');
  const to = freezeInstant(spec.to, timeZone, 'to');
  const problems = [from.ok ? '' : `from: ${from.reason}`, to.ok ? '' : `to: ${to.reason}`].filter(Boolean);
  if (from.ok && to.ok && to.instant.getTime() <= from.instant.getTime()) {
    problems.push(`to (${spec.to}) must be after from (${spec.from})`);
  }
  if (problems.length > 0 || !from.ok || !to.ok) return { ok: false, problems };
  return {
    ok: true,
    freeze: {
      name: spec.name,
      from: from.instant.toISOString(),
      to: to.instant.toISOString(),
      environments: [...(spec.environments ?? [])],
      hotfixes: spec.hotfixes ?? false,
      source: { kind: 'config' },
    },
  };
}

/** What a freeze is checked against: a deployment's environment, whether it is a hotfix, and its window. */
export interface FrozenCheck {
  readonly environment: string;
  readonly hotfix: boolean;
  /** Half-open, in ms. */
  readonly from: number;
  readonly to: number;
  /** Names of freezes an IRC already overrode for this deployment (recorded on it). */
  readonly overridden?: readonly string[];
}

export function coversEnvironment(freeze: Freeze, environment: string): boolean {
  return freeze.environments.length === 0 || freeze.environments.includes(environment);
}

/** The freezes that hold this window back, earliest first: covering its environment, overlapping it, not passed by a hotfix, not overridden. */
export function blockingFreezes(freezes: readonly Freeze[], check: FrozenCheck): Freeze[] {
  const overridden = new Set((check.overridden ?? []).map((name) => name.toLowerCase()));
  return freezes
    .filter(
      (freeze) =>
        coversEnvironment(freeze, check.environment) &&
        Date.parse(freeze.from) < check.to &&
        check.from < Date.parse(freeze.to) &&
        !(check.hotfix && freeze.hotfixes) &&
        !overridden.has(freeze.name.toLowerCase()),
    )
    .sort((a, b) => Date.parse(a.from) - Date.parse(b.from));
}

/** Freezes in force at `now` (covering `environment` when given), earliest end first: for `status`. */
export function activeFreezes(freezes: readonly Freeze[], now: Date, environment?: string): Freeze[] {
  const at = now.getTime();
  return freezes
    .filter((freeze) => Date.parse(freeze.from) <= at && at < Date.parse(freeze.to) && (!environment || coversEnvironment(freeze, environment)))
    .sort((a, b) => Date.parse(a.to) - Date.parse(b.to));
}

/** How far ahead `status` shows freezes that have not begun. */
export const UPCOMING_FREEZE_DAYS = 7;

/** Freezes that begin after `now` and within `withinMs` (covering `environment` when given), earliest first. */
export function upcomingFreezes(freezes: readonly Freeze[], now: Date, withinMs: number, environment?: string): Freeze[] {
  const at = now.getTime();
  return freezes
    .filter((freeze) => at < Date.parse(freeze.from) && Date.parse(freeze.from) <= at + withinMs && (!environment || coversEnvironment(freeze, environment)))
    .sort((a, b) => Date.parse(a.from) - Date.parse(b.from));
}

/** "“Year-end close” (from the config; hotfixes may pass): Thu 24 Dec 2026, 00:00 EST until Mon 4 Jan 2027, 00:00 EST". */
export function describeFreeze(freeze: Freeze, timeZone: string, nameOf: (personId: string) => string): string {
  const source = freeze.source.kind === 'config' ? 'from the config' : `declared by ${nameOf(freeze.source.by)}`;
  const hotfixes = freeze.hotfixes ? 'hotfixes may pass' : 'hotfixes too';
  return (
    `“${freeze.name}” (${source}; ${hotfixes}): ` +
    `${formatZoned(new Date(freeze.from), timeZone)} until ${formatZoned(new Date(freeze.to), timeZone)}`
  );
}

/**
 * The refusal for a window inside a freeze: which freeze, who declared it, when it ends; the hint
 * is a complete command — `retry` at a start after the freeze, and the IRC's override.
 */
export function freezeRefusal(
  freeze: Freeze,
  what: string,
  environmentName: string,
  hint: { readonly after: string; readonly override?: string },
  timeZone: string,
  nameOf: (personId: string) => string,
): Refusal {
  const ends = formatZoned(new Date(freeze.to), timeZone);
  const passes = freeze.hotfixes ? ' Hotfixes may pass this freeze; this release is not one.' : ' Not even hotfixes pass it.';
  return refuse(
    'frozen',
    `${environmentName} is frozen: ${describeFreeze(freeze, timeZone, nameOf)}. ${what} falls inside it, so it can't go ahead until the freeze ends on ${ends}.${passes}` +
      (hint.override ? ' An IRC may override the freeze with a reason, which is recorded.' : ''),
    hint.override ? `${hint.after} — or, as an IRC: ${hint.override}` : hint.after,
  );
}
