// Times on cards are read by people in one configured zone, so they carry its abbreviation
// ("EDT", or "GMT+1" where English has none). Built from parts so the layout does not depend on the
// ICU version's punctuation (newer ICU puts a narrow no-break space before AM/PM).

/** "Tue 14 Apr 2026, 10:05 EDT" for 2026-04-14T14:05:00Z in America/New_York. */
export function formatInstant(iso: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}, ${part('hour')}:${part('minute')} ${part('timeZoneName')}`;
}

/** "22:02 EDT": for times inside a deployment window, where the date is already on the card. */
export function formatClock(iso: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  // Some ICU versions say "24" for midnight despite h23.
  const hour = part('hour') === '24' ? '00' : part('hour');
  return `${hour}:${part('minute')} ${part('timeZoneName')}`;
}
