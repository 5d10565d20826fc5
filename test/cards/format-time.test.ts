import { formatClock, formatInstant } from '../../src/cards/format-time';

describe('formatInstant', () => {
  it('shows the configured zone with its abbreviation, 24-hour', () => {
    expect(formatInstant('2026-04-14T14:05:00Z', 'America/New_York')).toBe('Tue 14 Apr 2026, 10:05 EDT');
    expect(formatInstant('2026-01-14T23:30:00Z', 'America/New_York')).toBe('Wed 14 Jan 2026, 18:30 EST');
    expect(formatInstant('2026-04-14T23:30:00Z', 'UTC')).toBe('Tue 14 Apr 2026, 23:30 UTC');
  });

  it('follows daylight saving on the change day', () => {
    // 2026-03-08: New York moves from EST to EDT at 02:00 local.
    expect(formatInstant('2026-03-08T06:59:00Z', 'America/New_York')).toBe('Sun 8 Mar 2026, 01:59 EST');
    expect(formatInstant('2026-03-08T07:00:00Z', 'America/New_York')).toBe('Sun 8 Mar 2026, 03:00 EDT');
  });

  it('falls back to a GMT offset where English has no abbreviation', () => {
    expect(formatInstant('2026-04-14T14:05:00Z', 'Europe/Lisbon')).toBe('Tue 14 Apr 2026, 15:05 GMT+1');
  });

  it('leaves a malformed instant as it was', () => {
    expect(formatInstant('not a time', 'UTC')).toBe('not a time');
  });
});

describe('formatClock', () => {
  it('is the time of day with the zone, 24-hour, midnight as 00', () => {
    expect(formatClock('2026-04-15T02:02:00Z', 'America/New_York')).toBe('22:02 EDT');
    expect(formatClock('2026-04-15T04:00:00Z', 'America/New_York')).toBe('00:00 EDT');
    expect(formatClock('2026-01-15T04:30:00Z', 'America/New_York')).toBe('23:30 EST');
    expect(formatClock('2026-04-15T02:02:00Z', 'Europe/Lisbon')).toBe('03:02 GMT+1');
    expect(formatClock('not a time', 'UTC')).toBe('not a time');
  });
});
