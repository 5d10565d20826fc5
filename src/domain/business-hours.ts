import type { Parsed } from './version';

// Wall-clock time in one IANA zone, done with Intl alone. Business hours are wall-clock rules
// ("Mon–Fri 09:00–18:00 in New York") while deployment windows are instants, so every check
// converts between the two; daylight saving makes that conversion a relation, not a function:
// a spring-forward local time has no instant, a fall-back one has two.
//
// Business hours are a set of instants: for each configured day, from the first moment the clock
// reads `start` to the last moment it reads before `end`. When a boundary falls in a DST gap that
// is the transition itself; in a repeated hour the period starts at the first reading of `start`
// and ends at the second reading of `end` — the hull, so a deployment window is never waved
// through because of a repeated hour. `end` at or before `start` means the period runs overnight.

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface BusinessHours {
  readonly days: readonly Weekday[];
  /** 24-hour wall-clock time, "09:00". */
  readonly start: string;
  readonly end: string;
}

/** Half-open: `start` is inside, `end` is not. A window ending exactly at 09:00 does not touch 09:00–18:00. */
export interface TimeWindow {
  readonly start: Date;
  readonly end: Date;
}

export interface BusinessPeriod {
  readonly start: Date;
  readonly end: Date;
  /** "Tue 14 Apr 2026, 09:00–18:00 EDT". */
  readonly description: string;
}

/** A calendar date and wall-clock time, no zone attached. `month` is 1–12. */
export interface LocalDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

/** What a local date and time means in a zone. */
export type ZonedResolution =
  | { readonly kind: 'exact'; readonly instant: Date }
  /** Clocks went back: the local time happened twice. */
  | { readonly kind: 'ambiguous'; readonly earlier: Date; readonly later: Date }
  /**
   * Clocks jumped forward over this local time. `transition` is the instant of the jump (the first
   * instant whose local time is later than the one asked for); `shifted` is the local time read
   * with the pre-jump offset (02:30 → 03:30 on a one-hour jump), what most calendars pick.
   */
  | { readonly kind: 'gap'; readonly transition: Date; readonly shifted: Date };

export interface LocalInstant {
  readonly instant: Date;
  /** True when the local time happens twice (clocks go back); `instant` is the first, `later` the second. */
  readonly ambiguous: boolean;
  readonly later?: Date;
  /** Says which of the two was taken, for the reply. Present only when `ambiguous`. */
  readonly note?: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Wider than any UTC offset, so samples this far either side see the offsets before and after a transition. */
const OFFSET_REACH = 15 * HOUR;
const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const WEEKDAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH_LONG = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const LOCAL_FORM = 'YYYY-MM-DD HH:MM';

// ---- zone arithmetic ------------------------------------------------------------------------

/**
 * One zone's clock. Formatters are built per call of a public function and passed down, not
 * cached at module level: no shared mutable state.
 */
interface Zone {
  readonly name: string;
  /** The wall-clock reading at `instant`, as if it were a UTC timestamp ("wall ms"). Seconds kept, milliseconds dropped. */
  wall(instant: number): number;
  /** Wall ms minus instant: the UTC offset in ms at `instant`. */
  offset(instant: number): number;
  /** "EDT", "GMT+1": the short name English uses for the zone at `instant`. */
  abbreviation(instant: number): string;
}

function zoneOf(timeZone: string): Zone {
  const fields = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const names = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' });
  const wall = (instant: number): number => {
    const parts = fields.formatToParts(new Date(instant));
    const value = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
    // Some ICU versions still say "24" for midnight despite h23.
    return Date.UTC(value('year'), value('month') - 1, value('day'), value('hour') % 24, value('minute'), value('second'));
  };
  return {
    name: timeZone,
    wall,
    offset: (instant) => wall(instant) - Math.floor(instant / 1000) * 1000,
    abbreviation: (instant) => names.formatToParts(new Date(instant)).find((p) => p.type === 'timeZoneName')?.value ?? timeZone,
  };
}

/** Every instant whose wall-clock reading is `wallMs`, ascending; empty in a spring-forward gap. */
function instantsAt(zone: Zone, wallMs: number): number[] {
  const offsets = new Set([zone.offset(wallMs - OFFSET_REACH), zone.offset(wallMs), zone.offset(wallMs + OFFSET_REACH)]);
  const found = new Set<number>();
  for (const offset of offsets) {
    const candidate = wallMs - offset;
    if (zone.wall(candidate) === wallMs) found.add(candidate);
  }
  return [...found].sort((a, b) => a - b);
}

function resolveWall(zone: Zone, wallMs: number): ZonedResolution {
  const found = instantsAt(zone, wallMs);
  if (found.length === 1) return { kind: 'exact', instant: new Date(found[0]) };
  if (found.length > 1) return { kind: 'ambiguous', earlier: new Date(found[0]), later: new Date(found[found.length - 1]) };
  const before = zone.offset(wallMs - OFFSET_REACH);
  const after = zone.offset(wallMs + OFFSET_REACH);
  if (after <= before) {
    // Not a gap after all (two transitions within a day, which no real zone has): read it with the later offset.
    return { kind: 'exact', instant: new Date(wallMs - after) };
  }
  // The jump lies between the two readings of wallMs; find it to the second.
  let lo = wallMs - after; // still on the old offset: its wall reading is before wallMs
  let hi = wallMs - before; // already on the new offset
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2000) * 1000;
    if (zone.offset(mid) === before) lo = mid;
    else hi = mid;
  }
  return { kind: 'gap', transition: new Date(hi), shifted: new Date(wallMs - before) };
}

/** The instant(s) a local date and time names in `timeZone`, with daylight-saving gaps and overlaps made explicit. */
export function zonedTimeToUtc(local: LocalDateTime, timeZone: string): ZonedResolution {
  return resolveWall(zoneOf(timeZone), wallMsOf(local));
}

/** The local date and time at `instant` in `timeZone` (seconds dropped). */
export function utcToZonedTime(instant: Date, timeZone: string): LocalDateTime {
  return localOf(zoneOf(timeZone).wall(instant.getTime()));
}

/** First instant at which the clock reads `wallMs` or later. */
function firstReaching(zone: Zone, wallMs: number): number {
  const resolved = resolveWall(zone, wallMs);
  if (resolved.kind === 'exact') return resolved.instant.getTime();
  if (resolved.kind === 'ambiguous') return resolved.earlier.getTime();
  return resolved.transition.getTime();
}

/** The instant after which the clock never again reads earlier than `wallMs` (that day). */
function lastBefore(zone: Zone, wallMs: number): number {
  const resolved = resolveWall(zone, wallMs);
  if (resolved.kind === 'exact') return resolved.instant.getTime();
  if (resolved.kind === 'ambiguous') return resolved.later.getTime();
  return resolved.transition.getTime();
}

// ---- business hours -------------------------------------------------------------------------

/**
 * The first business period that shares an instant with `window`, or undefined. Windows and
 * periods are half-open, so touching at an edge is not an overlap.
 */
export function overlapsBusinessHours(window: TimeWindow, hours: BusinessHours, timeZone: string): BusinessPeriod | undefined {
  return businessPeriodsOverlapping(window, hours, timeZone)[0];
}

/** Every business period that shares an instant with `window`, in order. */
export function businessPeriodsOverlapping(window: TimeWindow, hours: BusinessHours, timeZone: string): BusinessPeriod[] {
  const from = window.start.getTime();
  const to = window.end.getTime();
  if (!(to > from)) return [];
  const zone = zoneOf(timeZone);
  const overlapping: BusinessPeriod[] = [];
  // A period belongs to the day it starts on; an overnight one starts the day before the window does.
  const firstDay = dayOf(zone.wall(from)) - DAY;
  const lastDay = dayOf(zone.wall(to));
  for (let day = firstDay; day <= lastDay; day += DAY) {
    const period = periodOn(zone, hours, day);
    if (period && period.start < to && from < period.end) {
      overlapping.push({ start: new Date(period.start), end: new Date(period.end), description: formatLocalRange(zone, period.start, period.end) });
    }
  }
  return overlapping;
}

/**
 * The earliest start at or after `earliest` for a window of `durationMs` that overlaps no business
 * hours. Undefined when none is found within a year (business hours that never stop).
 */
export function firstStartOutsideBusinessHours(
  earliest: Date,
  durationMs: number,
  hours: BusinessHours,
  timeZone: string,
): Date | undefined {
  let start = earliest.getTime();
  const limit = start + 366 * DAY;
  while (start <= limit) {
    const period = overlapsBusinessHours({ start: new Date(start), end: new Date(start + durationMs) }, hours, timeZone);
    if (!period) return new Date(start);
    start = period.end.getTime();
  }
  return undefined;
}

/** Milliseconds of business hours between two instants (0 when `to` is not after `from`). */
export function businessTimeBetween(from: Date, to: Date, hours: BusinessHours, timeZone: string): number {
  return businessPeriodsOverlapping({ start: from, end: to }, hours, timeZone).reduce(
    (sum, period) => sum + Math.min(period.end.getTime(), to.getTime()) - Math.max(period.start.getTime(), from.getTime()),
    0,
  );
}

/** True when `instant` falls inside a business period. */
export function isBusinessTime(instant: Date, hours: BusinessHours, timeZone: string): boolean {
  return overlapsBusinessHours({ start: instant, end: new Date(instant.getTime() + 1) }, hours, timeZone) !== undefined;
}

function periodOn(zone: Zone, hours: BusinessHours, day: number): { start: number; end: number } | undefined {
  if (!hours.days.includes(WEEKDAYS[new Date(day).getUTCDay()])) return undefined;
  const startMinutes = minutesOf(hours.start);
  const endMinutes = minutesOf(hours.end);
  const endDay = endMinutes <= startMinutes ? day + DAY : day;
  const start = firstReaching(zone, day + startMinutes * MINUTE);
  const end = lastBefore(zone, endDay + endMinutes * MINUTE);
  return end > start ? { start, end } : undefined;
}

function minutesOf(clock: string): number {
  const [hour, minute] = clock.split(':').map(Number);
  return hour * 60 + minute;
}

// ---- parsing --------------------------------------------------------------------------------

/**
 * Reads "2026-04-14 22:00" (or "2026-04-14T22:00") as a local time in `timeZone`. Refuses times
 * that do not exist (skipped by a spring-forward jump); for a time that happens twice (fall-back),
 * takes the first and says so.
 */
export function parseLocalDateTime(text: string, timeZone: string): Parsed<LocalInstant> {
  const input = text.trim().replace(/\s+/g, ' ');
  const example = `for example 2026-04-14 22:00`;
  const form = `Write it as ${LOCAL_FORM} (24-hour, ${timeZone} time), ${example}.`;
  if (input === '') return fail(`No date and time given. ${form}`);
  const match = /^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})$/.exec(input);
  if (!match) return fail(`${shown(input)} is not a date and time. ${form}`);
  const [year, month, day, hour, minute] = match.slice(1).map(Number);
  const problem = dateProblem(year, month, day) ?? (hour > 23 || minute > 59 ? 'the time must be 00:00 to 23:59' : undefined);
  if (problem) return fail(`\`${input}\` is not a date and time: ${problem}. ${form}`);
  const zone = zoneOf(timeZone);
  const wallMs = Date.UTC(year, month - 1, day, hour, minute);
  const resolved = resolveWall(zone, wallMs);
  if (resolved.kind === 'exact') return { ok: true, value: { instant: resolved.instant, ambiguous: false } };
  if (resolved.kind === 'ambiguous') {
    const [first, second] = [resolved.earlier.getTime(), resolved.later.getTime()];
    return {
      ok: true,
      value: {
        instant: resolved.earlier,
        ambiguous: true,
        later: resolved.later,
        note:
          `${clockOf(wallMs)} on ${dateLabel(wallMs)} happens twice in ${timeZone} (clocks go back that night); ` +
          `taken as the first, ${clockOf(wallMs)} ${zone.abbreviation(first)} (${clockOf(first)} UTC). ` +
          `The second is ${clockOf(wallMs)} ${zone.abbreviation(second)} (${clockOf(second)} UTC).`,
      },
    };
  }
  const jump = resolved.transition.getTime();
  const [from, to] = [clockOf(jump + zone.offset(jump - 1000)), clockOf(zone.wall(jump))];
  return fail(
    `${input} does not exist in ${timeZone}: on ${dateLabel(wallMs)} clocks jump from ${from} ` +
      `${zone.abbreviation(jump - 1000)} to ${to} ${zone.abbreviation(jump)}. Pick a time before ${from} or from ${to}.`,
  );
}

/** Someone's text shown back in a reason: backticked, at most 40 characters, so a long message is not echoed whole. */
function shown(input: string): string {
  return `\`${input.length > 40 ? `${input.slice(0, 40)}…` : input}\``;
}

function dateProblem(year: number, month: number, day: number): string | undefined {
  if (year < 2000 || year > 2999) return 'the year must be between 2000 and 2999';
  if (month < 1 || month > 12) return 'the month must be 1 to 12';
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days) return `${MONTH_LONG[month - 1]} ${year} has ${days} days`;
  return undefined;
}

// ---- formatting -----------------------------------------------------------------------------

/** "Tue 14 Apr 2026, 22:00–23:30 EDT (02:00–03:30 UTC)". */
export function formatWindow(start: Date, end: Date, timeZone: string): string {
  const zone = zoneOf(timeZone);
  const [from, to] = [start.getTime(), end.getTime()];
  const local = formatLocalRange(zone, from, to);
  if (zone.abbreviation(from) === 'UTC' && zone.abbreviation(to) === 'UTC') return local;
  // The UTC times carry their date whenever it is not the local date shown first (22:00 EDT is 02:00 UTC the next day).
  const startLocal = utcToZonedTime(start, timeZone);
  const sameDayAsLocal =
    startLocal.year === start.getUTCFullYear() && startLocal.month === start.getUTCMonth() + 1 && startLocal.day === start.getUTCDate();
  const utc =
    dayOf(from) !== dayOf(to)
      ? `${shortDate(from)} ${clockOf(from)} – ${shortDate(to)} ${clockOf(to)} UTC`
      : sameDayAsLocal
        ? `${clockOf(from)}–${clockOf(to)} UTC`
        : `${shortDate(from)} ${clockOf(from)}–${clockOf(to)} UTC`;
  return `${local} (${utc})`;
}

/** "Tue 14 Apr 2026, 22:00 EDT". */
export function formatZoned(instant: Date, timeZone: string): string {
  const zone = zoneOf(timeZone);
  const wall = zone.wall(instant.getTime());
  return `${dateLabel(wall)}, ${clockOf(wall)} ${zone.abbreviation(instant.getTime())}`;
}

/** "2026-04-14 22:00": the form `parseLocalDateTime` reads, for hints people can retype. */
export function formatLocalDateTime(instant: Date, timeZone: string): string {
  const wall = zoneOf(timeZone).wall(instant.getTime());
  return `${new Date(wall).toISOString().slice(0, 10)} ${clockOf(wall)}`;
}

/** "Tue 14 Apr 2026, 09:00–18:00 EDT", with both dates and zone names only when they differ. */
function formatLocalRange(zone: Zone, from: number, to: number): string {
  const [a, b] = [zone.wall(from), zone.wall(to)];
  const [zoneA, zoneB] = [zone.abbreviation(from), zone.abbreviation(to)];
  const startZone = zoneA === zoneB ? '' : ` ${zoneA}`;
  if (dayOf(a) === dayOf(b)) return `${dateLabel(a)}, ${clockOf(a)}${startZone}–${clockOf(b)} ${zoneB}`;
  return `${dateLabel(a)}, ${clockOf(a)}${startZone} – ${dateLabel(b)}, ${clockOf(b)} ${zoneB}`;
}

// ---- small helpers --------------------------------------------------------------------------

function wallMsOf(local: LocalDateTime): number {
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
}

function localOf(wallMs: number): LocalDateTime {
  const d = new Date(wallMs);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes() };
}

/** Midnight of the (wall or UTC) day containing `ms`. */
function dayOf(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

/** "Tue 14 Apr 2026" for a wall (or UTC) timestamp. */
function dateLabel(ms: number): string {
  const d = new Date(ms);
  return `${WEEKDAY_NAMES[d.getUTCDay()]} ${d.getUTCDate()} ${MONTH_NAMES[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "Tue 14 Apr". */
function shortDate(ms: number): string {
  const d = new Date(ms);
  return `${WEEKDAY_NAMES[d.getUTCDay()]} ${d.getUTCDate()} ${MONTH_NAMES[d.getUTCMonth()]}`;
}

function clockOf(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}
