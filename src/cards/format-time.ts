// Times on cards are read by people in one configured zone, so they carry its abbreviation
// ("EDT", or "GMT+1" where English has none). Built from parts so the layout does not depend on the
// ICU version's punctuation (newer ICU puts a narrow no-break space before AM/PM).

/**
 * The same few instants (an RC's cut, each decision) are shown on every render of a card, and
 * formatToParts is the costly part: recent results are kept, at most FORMATTED_MAX of them.
 */
const FORMATTED_MAX = 2_000;
const formatted = new Map<string, string>();

/** "Tue 14 Apr 2026, 10:05 EDT" for 2026-04-14T14:05:00Z in America/New_York. */
export function formatInstant(iso: string, timeZone: string): string {
  const key = `${timeZone}|${iso}`;
  const known = formatted.get(key);
  if (known !== undefined) return known;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = formatter('instant', timeZone).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const text = `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}, ${part('hour')}:${part('minute')} ${part('timeZoneName')}`;
  if (formatted.size >= FORMATTED_MAX) formatted.clear();
  formatted.set(key, text);
  return text;
}

/** "22:02 EDT": for times inside a deployment window, where the date is already on the card. */
export function formatClock(iso: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = formatter('clock', timeZone).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  // Some ICU versions say "24" for midnight despite h23.
  const hour = part('hour') === '24' ? '00' : part('hour');
  return `${hour}:${part('minute')} ${part('timeZoneName')}`;
}

const FORMATS: Readonly<Record<'instant' | 'clock', Intl.DateTimeFormatOptions>> = {
  instant: { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' },
  clock: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' },
};

/**
 * Building an Intl.DateTimeFormat costs far more than using one, and every card shows several
 * times; formatters are immutable, so one per (format, zone) is kept for the process.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(kind: 'instant' | 'clock', timeZone: string): Intl.DateTimeFormat {
  const key = `${kind}|${timeZone}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat('en-US', { ...FORMATS[kind], timeZone });
    formatters.set(key, found);
  }
  return found;
}
