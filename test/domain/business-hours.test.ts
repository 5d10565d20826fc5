import fc from 'fast-check';
import {
  BusinessHours,
  businessPeriodsOverlapping,
  firstStartOutsideBusinessHours,
  formatLocalDateTime,
  formatWindow,
  formatZoned,
  overlapsBusinessHours,
  parseLocalDateTime,
  utcToZonedTime,
  Weekday,
  zonedTimeToUtc,
} from '../../src/domain/business-hours';

// 2026 transitions: New York springs forward Sun 8 Mar 02:00 EST → 03:00 EDT (07:00Z) and falls
// back Sun 1 Nov 02:00 EDT → 01:00 EST (06:00Z); Lisbon springs forward Sun 29 Mar 01:00 → 02:00
// (01:00Z) and falls back Sun 25 Oct 02:00 → 01:00 (01:00Z).

const NY = 'America/New_York';
const LISBON = 'Europe/Lisbon';
const MIN = 60_000;
const weekdays: BusinessHours = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '18:00' };
const utc = (iso: string) => new Date(iso);
const win = (start: string, end: string) => ({ start: utc(start), end: utc(end) });

describe('zonedTimeToUtc', () => {
  it.each([
    [NY, { year: 2026, month: 4, day: 14, hour: 22, minute: 0 }, '2026-04-15T02:00:00.000Z'],
    [NY, { year: 2026, month: 1, day: 15, hour: 9, minute: 0 }, '2026-01-15T14:00:00.000Z'],
    [NY, { year: 2026, month: 3, day: 8, hour: 1, minute: 59 }, '2026-03-08T06:59:00.000Z'],
    [NY, { year: 2026, month: 3, day: 8, hour: 3, minute: 0 }, '2026-03-08T07:00:00.000Z'],
    [NY, { year: 2026, month: 11, day: 1, hour: 0, minute: 59 }, '2026-11-01T04:59:00.000Z'],
    [NY, { year: 2026, month: 11, day: 1, hour: 2, minute: 0 }, '2026-11-01T07:00:00.000Z'],
    [LISBON, { year: 2026, month: 7, day: 1, hour: 9, minute: 0 }, '2026-07-01T08:00:00.000Z'],
    [LISBON, { year: 2026, month: 1, day: 5, hour: 9, minute: 0 }, '2026-01-05T09:00:00.000Z'],
  ])('%s %j is exactly %s', (zone, local, iso) => {
    expect(zonedTimeToUtc(local, zone)).toEqual({ kind: 'exact', instant: utc(iso) });
  });

  it('finds the spring-forward gap and the instant of the jump', () => {
    expect(zonedTimeToUtc({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, NY)).toEqual({
      kind: 'gap',
      transition: utc('2026-03-08T07:00:00Z'),
      shifted: utc('2026-03-08T07:30:00Z'),
    });
    expect(zonedTimeToUtc({ year: 2026, month: 3, day: 8, hour: 2, minute: 0 }, NY).kind).toBe('gap');
    expect(zonedTimeToUtc({ year: 2026, month: 3, day: 29, hour: 1, minute: 30 }, LISBON)).toEqual({
      kind: 'gap',
      transition: utc('2026-03-29T01:00:00Z'),
      shifted: utc('2026-03-29T01:30:00Z'),
    });
  });

  it('finds both instants of a fall-back hour', () => {
    expect(zonedTimeToUtc({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, NY)).toEqual({
      kind: 'ambiguous',
      earlier: utc('2026-11-01T05:30:00Z'),
      later: utc('2026-11-01T06:30:00Z'),
    });
    expect(zonedTimeToUtc({ year: 2026, month: 11, day: 1, hour: 1, minute: 0 }, NY)).toEqual({
      kind: 'ambiguous',
      earlier: utc('2026-11-01T05:00:00Z'),
      later: utc('2026-11-01T06:00:00Z'),
    });
    expect(zonedTimeToUtc({ year: 2026, month: 10, day: 25, hour: 1, minute: 30 }, LISBON)).toEqual({
      kind: 'ambiguous',
      earlier: utc('2026-10-25T00:30:00Z'),
      later: utc('2026-10-25T01:30:00Z'),
    });
  });

  it('round-trips every instant through its local time (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(NY, LISBON), instantIn2026(), (zone, instant) => {
        const resolved = zonedTimeToUtc(utcToZonedTime(instant, zone), zone);
        if (resolved.kind === 'exact') expect(resolved.instant).toEqual(instant);
        else if (resolved.kind === 'ambiguous') expect([resolved.earlier.getTime(), resolved.later.getTime()]).toContain(instant.getTime());
        else throw new Error(`a local time that was read off a clock can't be in a gap: ${instant.toISOString()}`);
      }),
      { numRuns: 500 },
    );
  });
});

describe('utcToZonedTime', () => {
  it('reads the wall clock either side of a transition', () => {
    expect(utcToZonedTime(utc('2026-03-08T06:59:00Z'), NY)).toEqual({ year: 2026, month: 3, day: 8, hour: 1, minute: 59 });
    expect(utcToZonedTime(utc('2026-03-08T07:00:00Z'), NY)).toEqual({ year: 2026, month: 3, day: 8, hour: 3, minute: 0 });
    expect(utcToZonedTime(utc('2026-11-01T05:30:00Z'), NY)).toEqual({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 });
    expect(utcToZonedTime(utc('2026-11-01T06:30:00Z'), NY)).toEqual({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 });
    expect(utcToZonedTime(utc('2026-04-15T04:00:00Z'), NY)).toEqual({ year: 2026, month: 4, day: 15, hour: 0, minute: 0 });
  });
});

describe('overlapsBusinessHours (Mon–Fri 09:00–18:00)', () => {
  it('returns the overlapping period with a description', () => {
    expect(overlapsBusinessHours(win('2026-04-14T21:00:00Z', '2026-04-14T22:30:00Z'), weekdays, NY)).toEqual({
      start: utc('2026-04-14T13:00:00Z'),
      end: utc('2026-04-14T22:00:00Z'),
      description: 'Tue 14 Apr 2026, 09:00–18:00 EDT',
    });
  });

  it.each([
    ['ends exactly at 09:00', '2026-04-15T11:30:00Z', '2026-04-15T13:00:00Z', false],
    ['ends at 09:01', '2026-04-15T11:30:00Z', '2026-04-15T13:01:00Z', true],
    ['starts exactly at 18:00', '2026-04-14T22:00:00Z', '2026-04-14T23:30:00Z', false],
    ['starts at 17:59', '2026-04-14T21:59:00Z', '2026-04-14T23:30:00Z', true],
    ['lies inside', '2026-04-14T15:00:00Z', '2026-04-14T15:15:00Z', true],
    ['covers the whole day', '2026-04-14T12:00:00Z', '2026-04-14T23:00:00Z', true],
    ['spans midnight in the evening', '2026-04-15T03:00:00Z', '2026-04-15T05:00:00Z', false],
    ['is empty at 10:00', '2026-04-14T14:00:00Z', '2026-04-14T14:00:00Z', false],
    ['is a Saturday afternoon', '2026-04-18T16:00:00Z', '2026-04-18T18:00:00Z', false],
    ['is all of Saturday and Sunday', '2026-04-18T04:00:00Z', '2026-04-20T04:00:00Z', false],
    ['is Friday 18:00 to Monday 09:00', '2026-04-17T22:00:00Z', '2026-04-20T13:00:00Z', false],
  ])('a window that %s (%s to %s) overlaps: %p', (_label, start, end, overlaps) => {
    expect(overlapsBusinessHours(win(start, end), weekdays, NY) !== undefined).toBe(overlaps);
  });

  it('names the first period of a window spanning several days', () => {
    const period = overlapsBusinessHours(win('2026-04-18T16:00:00Z', '2026-04-21T16:00:00Z'), weekdays, NY);
    expect(period?.description).toBe('Mon 20 Apr 2026, 09:00–18:00 EDT');
    const all = businessPeriodsOverlapping(win('2026-04-18T16:00:00Z', '2026-04-21T16:00:00Z'), weekdays, NY);
    expect(all.map((p) => p.description)).toEqual(['Mon 20 Apr 2026, 09:00–18:00 EDT', 'Tue 21 Apr 2026, 09:00–18:00 EDT']);
  });

  it('a weekend night running into Monday morning names Monday', () => {
    expect(overlapsBusinessHours(win('2026-04-20T03:00:00Z', '2026-04-20T13:30:00Z'), weekdays, NY)?.description).toBe(
      'Mon 20 Apr 2026, 09:00–18:00 EDT',
    );
  });

  describe('daylight saving', () => {
    it('09:00 is 14:00Z before the New York spring-forward and 13:00Z after it', () => {
      expect(overlapsBusinessHours(win('2026-03-06T13:00:00Z', '2026-03-06T14:00:00Z'), weekdays, NY)).toBeUndefined();
      expect(overlapsBusinessHours(win('2026-03-09T13:00:00Z', '2026-03-09T14:00:00Z'), weekdays, NY)).toEqual({
        start: utc('2026-03-09T13:00:00Z'),
        end: utc('2026-03-09T22:00:00Z'),
        description: 'Mon 9 Mar 2026, 09:00–18:00 EDT',
      });
      expect(overlapsBusinessHours(win('2026-03-06T13:00:00Z', '2026-03-06T14:01:00Z'), weekdays, NY)?.description).toBe(
        'Fri 6 Mar 2026, 09:00–18:00 EST',
      );
    });

    it('09:00 is 13:00Z before the New York fall-back and 14:00Z after it', () => {
      expect(overlapsBusinessHours(win('2026-10-30T12:00:00Z', '2026-10-30T13:00:00Z'), weekdays, NY)).toBeUndefined();
      expect(overlapsBusinessHours(win('2026-10-30T12:00:00Z', '2026-10-30T13:01:00Z'), weekdays, NY)?.description).toBe(
        'Fri 30 Oct 2026, 09:00–18:00 EDT',
      );
      expect(overlapsBusinessHours(win('2026-11-02T13:00:00Z', '2026-11-02T14:00:00Z'), weekdays, NY)).toBeUndefined();
      expect(overlapsBusinessHours(win('2026-11-02T13:00:00Z', '2026-11-02T14:01:00Z'), weekdays, NY)?.start).toEqual(utc('2026-11-02T14:00:00Z'));
    });

    it('09:00 in Lisbon is 09:00Z in winter and 08:00Z in summer, either side of both transitions', () => {
      const at = (iso: string) => overlapsBusinessHours(win(iso, new Date(Date.parse(iso) + 30 * MIN).toISOString()), weekdays, LISBON);
      expect(at('2026-03-27T08:00:00Z')).toBeUndefined(); // Fri before spring-forward: 08:00 WET
      expect(at('2026-03-30T08:00:00Z')?.description).toBe('Mon 30 Mar 2026, 09:00–18:00 GMT+1');
      expect(at('2026-10-23T08:00:00Z')?.start).toEqual(utc('2026-10-23T08:00:00Z')); // Fri before fall-back: 09:00 WEST
      expect(at('2026-10-26T08:00:00Z')).toBeUndefined(); // Mon after fall-back: 08:00 WET
      expect(at('2026-10-26T08:30:00Z')).toBeUndefined(); // 08:30–09:00 WET ends exactly at 09:00
      expect(at('2026-10-26T08:31:00Z')?.start).toEqual(utc('2026-10-26T09:00:00Z'));
    });

    it('treats a Sunday as 25 hours long on the fall-back day and 23 on the spring-forward day', () => {
      const allSunday: BusinessHours = { days: ['sun'], start: '00:00', end: '00:00' }; // midnight to midnight
      const fallBack = overlapsBusinessHours(win('2026-11-01T12:00:00Z', '2026-11-01T12:15:00Z'), allSunday, NY);
      expect(fallBack).toEqual({
        start: utc('2026-11-01T04:00:00Z'),
        end: utc('2026-11-02T05:00:00Z'),
        description: 'Sun 1 Nov 2026, 00:00 EDT – Mon 2 Nov 2026, 00:00 EST',
      });
      expect((fallBack!.end.getTime() - fallBack!.start.getTime()) / (60 * MIN)).toBe(25);
      const springForward = overlapsBusinessHours(win('2026-03-08T12:00:00Z', '2026-03-08T12:15:00Z'), allSunday, NY);
      expect((springForward!.end.getTime() - springForward!.start.getTime()) / (60 * MIN)).toBe(23);
      const lisbonLong = overlapsBusinessHours(win('2026-10-25T12:00:00Z', '2026-10-25T12:15:00Z'), allSunday, LISBON);
      expect((lisbonLong!.end.getTime() - lisbonLong!.start.getTime()) / (60 * MIN)).toBe(25);
      // A 23-hour day still ends at local midnight: a window from 23:30 EDT Sunday to 00:30 EDT Monday touches it.
      expect(overlapsBusinessHours(win('2026-03-09T03:30:00Z', '2026-03-09T04:30:00Z'), allSunday, NY)?.end).toEqual(utc('2026-03-09T04:00:00Z'));
    });

    it('a period starting in the spring gap begins at the jump', () => {
      const early: BusinessHours = { days: ['sun'], start: '02:30', end: '05:00' };
      expect(overlapsBusinessHours(win('2026-03-08T06:00:00Z', '2026-03-08T12:00:00Z'), early, NY)).toEqual({
        start: utc('2026-03-08T07:00:00Z'),
        end: utc('2026-03-08T09:00:00Z'),
        description: 'Sun 8 Mar 2026, 03:00–05:00 EDT',
      });
    });

    it('a period with a boundary in the repeated hour covers from its first reading to its last', () => {
      const repeated: BusinessHours = { days: ['sun'], start: '01:30', end: '03:00' };
      expect(overlapsBusinessHours(win('2026-11-01T04:00:00Z', '2026-11-01T12:00:00Z'), repeated, NY)).toEqual({
        start: utc('2026-11-01T05:30:00Z'),
        end: utc('2026-11-01T08:00:00Z'),
        description: 'Sun 1 Nov 2026, 01:30 EDT–03:00 EST',
      });
      const endsInRepeat: BusinessHours = { days: ['sun'], start: '00:00', end: '01:30' };
      expect(overlapsBusinessHours(win('2026-11-01T04:00:00Z', '2026-11-01T12:00:00Z'), endsInRepeat, NY)?.end).toEqual(utc('2026-11-01T06:30:00Z'));
    });

    it('a window across the fall-back night is measured in real time', () => {
      // Sat 31 Oct 23:00 EDT to Sun 1 Nov 08:59 EST is 10h59m and touches no weekday hours.
      expect(overlapsBusinessHours(win('2026-11-01T03:00:00Z', '2026-11-01T13:59:00Z'), weekdays, NY)).toBeUndefined();
    });
  });

  describe('overnight hours (end before start)', () => {
    const nights: BusinessHours = { days: ['fri'], start: '22:00', end: '06:00' };

    it('belong to the day they start on and run into the next', () => {
      expect(overlapsBusinessHours(win('2026-04-18T08:00:00Z', '2026-04-18T09:00:00Z'), nights, NY)).toEqual({
        start: utc('2026-04-18T02:00:00Z'),
        end: utc('2026-04-18T10:00:00Z'),
        description: 'Fri 17 Apr 2026, 22:00 – Sat 18 Apr 2026, 06:00 EDT',
      });
      expect(overlapsBusinessHours(win('2026-04-18T10:00:00Z', '2026-04-18T12:00:00Z'), nights, NY)).toBeUndefined();
    });
  });

  it('has no business hours without days', () => {
    expect(overlapsBusinessHours(win('2026-04-14T12:00:00Z', '2026-04-20T12:00:00Z'), { days: [], start: '09:00', end: '18:00' }, NY)).toBeUndefined();
  });

  describe('against a minute-by-minute wall-clock oracle (property)', () => {
    // Boundaries in 01:00–03:00 can fall in a DST gap or repeated hour, where "the clock reads
    // between start and end" is not one interval; those get the weaker property below.
    const safeClock = fc.oneof(fc.integer({ min: 0, max: 59 }), fc.integer({ min: 180, max: 1439 }));
    const anyClock = fc.integer({ min: 0, max: 1439 });

    it.each([NY, LISBON])('%s: a window overlaps iff one of its minutes is within business hours', (zone) => {
      fc.assert(
        fc.property(hoursArb(safeClock), smallWindow(), (hours, window) => {
          const period = overlapsBusinessHours(window, hours, zone);
          const first = firstBusinessMinute(window, hours, zone);
          expect(period !== undefined).toBe(first !== undefined);
          if (period && first !== undefined) {
            expect(period.start.getTime()).toBeLessThanOrEqual(first);
            expect(period.end.getTime()).toBeGreaterThan(first);
          }
        }),
        { numRuns: 250 },
      );
    });

    it.each([NY, LISBON])('%s: with any boundaries, a window holding a business minute is never waved through', (zone) => {
      fc.assert(
        fc.property(hoursArb(anyClock), smallWindow(), (hours, window) => {
          if (firstBusinessMinute(window, hours, zone) !== undefined) {
            expect(overlapsBusinessHours(window, hours, zone)).toBeDefined();
          }
        }),
        { numRuns: 250 },
      );
    });
  });
});

describe('firstStartOutsideBusinessHours', () => {
  it.each([
    ['Fri 17:00, 90m', '2026-04-17T21:00:00Z', 90, '2026-04-17T22:00:00.000Z'],
    ['Mon 08:00, 90m (runs into 09:00)', '2026-04-20T12:00:00Z', 90, '2026-04-20T22:00:00.000Z'],
    ['Mon 07:00, 120m (ends at 09:00)', '2026-04-20T11:00:00Z', 120, '2026-04-20T11:00:00.000Z'],
    ['Fri 20:00, 8h', '2026-04-18T00:00:00Z', 480, '2026-04-18T00:00:00.000Z'],
  ])('%s → %s', (_label, from, minutes, expected) => {
    expect(firstStartOutsideBusinessHours(utc(from), minutes * MIN, weekdays, NY)?.toISOString()).toBe(expected);
  });

  it('gives up on business hours that never stop', () => {
    const always: BusinessHours = { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '00:00' };
    expect(firstStartOutsideBusinessHours(utc('2026-04-17T21:00:00Z'), 90 * MIN, always, NY)).toBeUndefined();
  });

  it('finds the earliest start that fits (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(NY, LISBON), instantIn2026(), fc.integer({ min: 15, max: 480 }), (zone, from, minutes) => {
        const found = firstStartOutsideBusinessHours(from, minutes * MIN, weekdays, zone);
        expect(found).toBeDefined();
        const start = found!.getTime();
        expect(start).toBeGreaterThanOrEqual(from.getTime());
        expect(overlapsBusinessHours({ start: found!, end: new Date(start + minutes * MIN) }, weekdays, zone)).toBeUndefined();
        if (start > from.getTime()) {
          const earlier = new Date(start - MIN);
          expect(overlapsBusinessHours({ start: earlier, end: new Date(earlier.getTime() + minutes * MIN) }, weekdays, zone)).toBeDefined();
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('parseLocalDateTime', () => {
  it.each([
    ['2026-04-14 22:00', NY, '2026-04-15T02:00:00.000Z'],
    ['2026-04-14T22:00', NY, '2026-04-15T02:00:00.000Z'],
    ['  2026-4-9   7:05 ', NY, '2026-04-09T11:05:00.000Z'],
    ['2026-01-14 22:00', NY, '2026-01-15T03:00:00.000Z'],
    ['2026-07-01 09:00', LISBON, '2026-07-01T08:00:00.000Z'],
    ['2026-03-08 03:00', NY, '2026-03-08T07:00:00.000Z'],
    ['2028-02-29 12:00', NY, '2028-02-29T17:00:00.000Z'],
  ])('reads %p in %s', (text, zone, iso) => {
    expect(parseLocalDateTime(text, zone)).toEqual({ ok: true, value: { instant: utc(iso), ambiguous: false } });
  });

  it('refuses a time skipped by the spring-forward jump, saying what happens that night', () => {
    expect(parseLocalDateTime('2026-03-08 02:30', NY)).toEqual({
      ok: false,
      reason:
        '2026-03-08 02:30 does not exist in America/New_York: on Sun 8 Mar 2026 clocks jump from 02:00 EST to 03:00 EDT. ' +
        'Pick a time before 02:00 or from 03:00.',
    });
    const lisbon = parseLocalDateTime('2026-03-29 01:00', LISBON);
    expect(lisbon.ok).toBe(false);
    if (!lisbon.ok) expect(lisbon.reason).toContain('on Sun 29 Mar 2026 clocks jump from 01:00 GMT+0 to 02:00 GMT+1');
  });

  it('takes the first of a repeated fall-back time and flags it', () => {
    expect(parseLocalDateTime('2026-11-01 01:30', NY)).toEqual({
      ok: true,
      value: {
        instant: utc('2026-11-01T05:30:00Z'),
        ambiguous: true,
        later: utc('2026-11-01T06:30:00Z'),
        note:
          '01:30 on Sun 1 Nov 2026 happens twice in America/New_York (clocks go back that night); taken as the first, ' +
          '01:30 EDT (05:30 UTC). The second is 01:30 EST (06:30 UTC).',
      },
    });
    const lisbon = parseLocalDateTime('2026-10-25 01:15', LISBON);
    expect(lisbon).toEqual(expect.objectContaining({ ok: true, value: expect.objectContaining({ instant: utc('2026-10-25T00:15:00Z'), ambiguous: true }) }));
  });

  it.each([
    ['', 'No date and time given. Write it as YYYY-MM-DD HH:MM (24-hour, America/New_York time), for example 2026-04-14 22:00.'],
    ['14/04/2026 22:00', '`14/04/2026 22:00` is not a date and time. Write it as YYYY-MM-DD HH:MM'],
    ['2026-04-14 22:00 EDT', 'is not a date and time.'],
    ['2026-04-14', 'is not a date and time.'],
    ['2026-02-29 10:00', '`2026-02-29 10:00` is not a date and time: February 2026 has 28 days.'],
    ['2026-04-31 10:00', 'April 2026 has 30 days'],
    ['2026-13-01 10:00', 'the month must be 1 to 12'],
    ['2026-04-14 24:00', 'the time must be 00:00 to 23:59'],
    ['2026-04-14 22:60', 'the time must be 00:00 to 23:59'],
    ['1999-04-14 22:00', 'the year must be between 2000 and 2999'],
  ])('refuses %p', (text, fragment) => {
    const parsed = parseLocalDateTime(text, NY);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(fragment);
  });

  it('reads back what formatLocalDateTime writes (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(NY, LISBON), instantIn2026(), (zone, instant) => {
        const parsed = parseLocalDateTime(formatLocalDateTime(instant, zone), zone);
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        const candidates = [parsed.value.instant.getTime(), parsed.value.later?.getTime()];
        expect(candidates).toContain(instant.getTime());
      }),
      { numRuns: 300 },
    );
  });
});

describe('formatting', () => {
  it.each([
    ['the brief’s example', '2026-04-15T02:00:00Z', '2026-04-15T03:30:00Z', NY, 'Tue 14 Apr 2026, 22:00–23:30 EDT (Wed 15 Apr 02:00–03:30 UTC)'],
    ['across local midnight', '2026-04-15T03:30:00Z', '2026-04-15T05:00:00Z', NY, 'Tue 14 Apr 2026, 23:30 – Wed 15 Apr 2026, 01:00 EDT (Wed 15 Apr 03:30–05:00 UTC)'],
    [
      'across UTC midnight only',
      '2026-04-14T23:30:00Z',
      '2026-04-15T01:00:00Z',
      NY,
      'Tue 14 Apr 2026, 19:30–21:00 EDT (Tue 14 Apr 23:30 – Wed 15 Apr 01:00 UTC)',
    ],
    ['across the fall-back', '2026-11-01T04:30:00Z', '2026-11-01T06:30:00Z', NY, 'Sun 1 Nov 2026, 00:30 EDT–01:30 EST (04:30–06:30 UTC)'],
    ['in winter', '2026-01-15T03:00:00Z', '2026-01-15T04:30:00Z', NY, 'Wed 14 Jan 2026, 22:00–23:30 EST (Thu 15 Jan 03:00–04:30 UTC)'],
    ['in Lisbon’s summer', '2026-07-01T21:00:00Z', '2026-07-01T22:30:00Z', LISBON, 'Wed 1 Jul 2026, 22:00–23:30 GMT+1 (21:00–22:30 UTC)'],
    ['in UTC itself', '2026-07-01T21:00:00Z', '2026-07-01T22:30:00Z', 'UTC', 'Wed 1 Jul 2026, 21:00–22:30 UTC'],
  ])('formatWindow %s', (_label, start, end, zone, expected) => {
    expect(formatWindow(utc(start), utc(end), zone)).toBe(expected);
  });

  it('formatZoned and formatLocalDateTime', () => {
    expect(formatZoned(utc('2026-04-15T02:00:00Z'), NY)).toBe('Tue 14 Apr 2026, 22:00 EDT');
    expect(formatZoned(utc('2026-11-01T06:30:00Z'), NY)).toBe('Sun 1 Nov 2026, 01:30 EST');
    expect(formatLocalDateTime(utc('2026-04-15T02:00:00Z'), NY)).toBe('2026-04-14 22:00');
    expect(formatLocalDateTime(utc('2026-04-09T11:05:00Z'), NY)).toBe('2026-04-09 07:05');
  });
});

// ---- generators and the oracle --------------------------------------------------------------

const YEAR_START = Date.parse('2026-01-01T00:00:00Z');
const YEAR_MINUTES = 365 * 24 * 60;
const TRANSITIONS = ['2026-03-08T07:00:00Z', '2026-11-01T06:00:00Z', '2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z'].map(Date.parse);

/** Minute-aligned instants in 2026, half of them within three days of a DST transition. */
function instantIn2026(): fc.Arbitrary<Date> {
  const anywhere = fc.integer({ min: 0, max: YEAR_MINUTES - 1 }).map((m) => new Date(YEAR_START + m * MIN));
  const nearTransition = fc
    .tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -3 * 24 * 60, max: 3 * 24 * 60 }))
    .map(([t, m]) => new Date(t + m * MIN));
  return fc.oneof(anywhere, nearTransition);
}

/** Up to 30 hours, so the oracle can walk it minute by minute. */
function smallWindow(): fc.Arbitrary<{ start: Date; end: Date }> {
  return fc
    .tuple(instantIn2026(), fc.integer({ min: 0, max: 30 * 60 }))
    .map(([start, minutes]) => ({ start, end: new Date(start.getTime() + minutes * MIN) }));
}

const ALL_DAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function hoursArb(clock: fc.Arbitrary<number>): fc.Arbitrary<BusinessHours> {
  const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return fc
    .tuple(fc.subarray(ALL_DAYS, { minLength: 1 }), clock, clock)
    .map(([days, start, end]) => ({ days, start: hhmm(start), end: hhmm(end) }));
}

/**
 * The first minute of `window` whose wall clock is within business hours, read straight off Intl:
 * on a business day at or after `start` and before `end`, or (overnight hours) after `start` on a
 * business day or before `end` the morning after one.
 */
function firstBusinessMinute(window: { start: Date; end: Date }, hours: BusinessHours, zone: string): number | undefined {
  const format = new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'short', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
  const dayIndex = { Sun: 6, Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5 } as Record<string, number>;
  const ORDER: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  const toMinutes = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3));
  const [start, end] = [toMinutes(hours.start), toMinutes(hours.end)];
  for (let t = window.start.getTime(); t < window.end.getTime(); t += MIN) {
    const parts = format.formatToParts(new Date(t));
    const value = (type: string) => parts.find((p) => p.type === type)!.value;
    const day = dayIndex[value('weekday')];
    const clock = (Number(value('hour')) % 24) * 60 + Number(value('minute'));
    const isDay = (i: number) => hours.days.includes(ORDER[(i + 7) % 7]);
    const inside =
      end > start ? isDay(day) && clock >= start && clock < end : (isDay(day) && clock >= start) || (isDay(day - 1) && clock < end);
    if (inside) return t;
  }
  return undefined;
}
