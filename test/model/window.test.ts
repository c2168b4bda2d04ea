import { Weekday } from '../../lib/model/declaration';
import { ResolvedWindow } from '../../lib/model/plan';
import {
  DeploymentWindow,
  commonWindowStatus,
  describeCommonWindow,
  describeWindow,
  formatLocal,
  isOpen,
  nextCommonOpening,
  nextOpening,
  resolveWindow,
  validateWindow,
  windowStatus,
} from '../../lib/model/window';

const { MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY } = Weekday;

/** A window with no public holidays, so DST cases are not hidden by Easter or Labour Day. */
function sundays(timeZone: string, startHour: number, endHour: number): ResolvedWindow {
  return resolveWindow({ timeZone, weekdays: [SUNDAY], startHour, endHour, publicHolidays: false }, 'us-east-1');
}

const iso = (d: Date | undefined) => d?.toISOString();

describe('resolveWindow', () => {
  test.each([
    {
      name: 'defaults in Ireland',
      spec: undefined,
      region: 'eu-west-1',
      expected: { timeZone: 'Europe/Dublin', weekdays: ['MON', 'TUE', 'WED', 'THU'], startHour: 9, endHour: 17, blackouts: [], holidayCountry: 'IE' },
    },
    {
      name: 'defaults in Sydney',
      spec: {},
      region: 'ap-southeast-2',
      expected: { timeZone: 'Australia/Sydney', weekdays: ['MON', 'TUE', 'WED', 'THU'], startHour: 9, endHour: 17, blackouts: [], holidayCountry: 'AU-NSW' },
    },
    {
      name: 'weekdays sorted Monday-first and de-duplicated, own calendar upper-cased',
      spec: { weekdays: [SUNDAY, MONDAY, FRIDAY, MONDAY], holidayCountry: 'gb-sct', startHour: 7, endHour: 24, blackouts: ['2026-12-24'] },
      region: 'eu-west-2',
      expected: { timeZone: 'Europe/London', weekdays: ['MON', 'FRI', 'SUN'], startHour: 7, endHour: 24, blackouts: ['2026-12-24'], holidayCountry: 'GB-SCT' },
    },
    {
      name: 'public holidays off drops the calendar, even one given explicitly',
      spec: { publicHolidays: false, holidayCountry: 'IE', timeZone: 'UTC' },
      region: 'us-west-2',
      expected: { timeZone: 'UTC', weekdays: ['MON', 'TUE', 'WED', 'THU'], startHour: 9, endHour: 17, blackouts: [] },
    },
    {
      name: 'unknown region is fine when nothing defaults from it',
      spec: { timeZone: 'Asia/Tokyo', holidayCountry: 'JP' },
      region: 'xx-new-1',
      expected: { timeZone: 'Asia/Tokyo', weekdays: ['MON', 'TUE', 'WED', 'THU'], startHour: 9, endHour: 17, blackouts: [], holidayCountry: 'JP' },
    },
  ])('$name', ({ spec, region, expected }) => {
    const { holidays, holidaysFrom, holidaysUntil, ...resolved } = resolveWindow(spec, region);
    expect(resolved).toStrictEqual(expected);
    if (expected.holidayCountry === undefined) {
      expect([holidays, holidaysFrom, holidaysUntil]).toStrictEqual([undefined, undefined, undefined]);
    } else {
      // The holidays are resolved into dates for the holiday horizon, only those on an open weekday.
      expect([holidaysFrom, holidaysUntil]).toStrictEqual(['2025-01-01', '2030-12-31']);
      expect(holidays!.length).toBeGreaterThan(10);
      const open = new Set(expected.weekdays);
      const weekdayOf = (date: string) => ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'][new Date(`${date}T00:00:00Z`).getUTCDay()];
      expect(holidays!.filter((h) => !open.has(weekdayOf(h.date)))).toStrictEqual([]);
    }
  });

  test.each([
    {
      spec: {},
      message: 'window of region "xx-new-1": timeZone is not set and "xx-new-1" has no known time zone to default to; set timeZone, e.g. "Europe/Dublin"',
    },
    {
      spec: { timeZone: 'UTC' },
      message: 'window of region "xx-new-1": public holidays are on but "xx-new-1" has no known holiday calendar; set holidayCountry, e.g. "IE", or publicHolidays: false',
    },
  ])('unknown region without the needed field throws: $message', ({ spec, message }) => {
    expect(() => resolveWindow(spec, 'xx-new-1')).toThrow(message);
  });
});

describe('isOpen / nextOpening / windowStatus across DST changes', () => {
  const cases: Array<{ name: string; window: ResolvedWindow; now: string; open: boolean; next: string; reason: string; closesAt?: string }> = [
    // America/New_York, 2026-03-08: 02:00 EST jumps to 03:00 EDT at 07:00Z.
    { name: 'NY spring: before 01:00 EST', window: sundays('America/New_York', 1, 3), now: '2026-03-08T05:59:00Z', open: false, next: '2026-03-08T06:00:00.000Z', reason: 'outside hours 01:00-03:00 America/New_York' },
    { name: 'NY spring: 01:00 EST opens', window: sundays('America/New_York', 1, 3), now: '2026-03-08T06:00:00Z', open: true, next: '2026-03-08T06:00:00.000Z', reason: 'inside hours 01:00-03:00 America/New_York on Sunday', closesAt: '2026-03-08T07:00:00.000Z' },
    { name: 'NY spring: 01:00-03:00 lasts one real hour', window: sundays('America/New_York', 1, 3), now: '2026-03-08T07:00:00Z', open: false, next: '2026-03-15T05:00:00.000Z', reason: 'outside hours 01:00-03:00 America/New_York' },
    { name: 'NY spring: 02:00-03:00 does not exist that day', window: sundays('America/New_York', 2, 3), now: '2026-03-08T06:30:00Z', open: false, next: '2026-03-15T06:00:00.000Z', reason: 'outside hours 02:00-03:00 America/New_York (those hours do not exist on 2026-03-08: the clocks change)' },
    { name: 'NY spring: 02:00-04:00 opens when clocks reach 03:00 EDT', window: sundays('America/New_York', 2, 4), now: '2026-03-08T05:00:00Z', open: false, next: '2026-03-08T07:00:00.000Z', reason: 'outside hours 02:00-04:00 America/New_York' },
    // America/New_York, 2026-11-01: 02:00 EDT falls back to 01:00 EST at 06:00Z; 01:xx happens twice.
    { name: 'NY fall: opens at the first 01:00 (EDT)', window: sundays('America/New_York', 1, 3), now: '2026-11-01T04:00:00Z', open: false, next: '2026-11-01T05:00:00.000Z', reason: 'outside hours 01:00-03:00 America/New_York' },
    { name: 'NY fall: first 01:30 (EDT) is open', window: sundays('America/New_York', 1, 3), now: '2026-11-01T05:30:00Z', open: true, next: '2026-11-01T05:30:00.000Z', reason: 'inside hours 01:00-03:00 America/New_York on Sunday', closesAt: '2026-11-01T08:00:00.000Z' },
    { name: 'NY fall: repeated 01:30 (EST) is open', window: sundays('America/New_York', 1, 3), now: '2026-11-01T06:30:00Z', open: true, next: '2026-11-01T06:30:00.000Z', reason: 'inside hours 01:00-03:00 America/New_York on Sunday', closesAt: '2026-11-01T08:00:00.000Z' },
    { name: 'NY fall: 03:00 EST closes after three real hours', window: sundays('America/New_York', 1, 3), now: '2026-11-01T08:00:00Z', open: false, next: '2026-11-08T06:00:00.000Z', reason: 'outside hours 01:00-03:00 America/New_York' },
    // Europe/Dublin, 2026-03-29: 01:00 GMT jumps to 02:00 IST at 01:00Z.
    { name: 'Dublin spring: 01:00-02:00 does not exist', window: sundays('Europe/Dublin', 1, 2), now: '2026-03-29T00:30:00Z', open: false, next: '2026-04-05T00:00:00.000Z', reason: 'outside hours 01:00-02:00 Europe/Dublin (those hours do not exist on 2026-03-29: the clocks change)' },
    { name: 'Dublin spring: 00:00-02:00 closes at the jump', window: sundays('Europe/Dublin', 0, 2), now: '2026-03-29T00:59:00Z', open: true, next: '2026-03-29T00:59:00.000Z', reason: 'inside hours 00:00-02:00 Europe/Dublin on Sunday', closesAt: '2026-03-29T01:00:00.000Z' },
    // Europe/Dublin, 2026-10-25: 02:00 IST falls back to 01:00 GMT at 01:00Z.
    { name: 'Dublin fall: 01:00-02:00 lasts two real hours', window: sundays('Europe/Dublin', 1, 2), now: '2026-10-25T01:30:00Z', open: true, next: '2026-10-25T01:30:00.000Z', reason: 'inside hours 01:00-02:00 Europe/Dublin on Sunday', closesAt: '2026-10-25T02:00:00.000Z' },
    { name: 'Dublin fall: opens at the first 01:00 (IST)', window: sundays('Europe/Dublin', 1, 2), now: '2026-10-24T23:00:00Z', open: false, next: '2026-10-25T00:00:00.000Z', reason: 'outside hours 01:00-02:00 Europe/Dublin' },
    // Australia/Sydney, 2026-04-05: 03:00 AEDT falls back to 02:00 AEST at 2026-04-04T16:00Z.
    { name: 'Sydney fall: 02:00-03:00 opens at the first 02:00 (AEDT)', window: sundays('Australia/Sydney', 2, 3), now: '2026-04-04T14:00:00Z', open: false, next: '2026-04-04T15:00:00.000Z', reason: 'outside hours 02:00-03:00 Australia/Sydney' },
    { name: 'Sydney fall: repeated 02:30 (AEST) is open until 03:00 AEST', window: sundays('Australia/Sydney', 2, 3), now: '2026-04-04T16:30:00Z', open: true, next: '2026-04-04T16:30:00.000Z', reason: 'inside hours 02:00-03:00 Australia/Sydney on Sunday', closesAt: '2026-04-04T17:00:00.000Z' },
    // Australia/Sydney, 2026-10-04: 02:00 AEST jumps to 03:00 AEDT at 2026-10-03T16:00Z.
    { name: 'Sydney spring: 02:00-04:00 opens at 03:00 AEDT', window: sundays('Australia/Sydney', 2, 4), now: '2026-10-03T15:00:00Z', open: false, next: '2026-10-03T16:00:00.000Z', reason: 'outside hours 02:00-04:00 Australia/Sydney' },
    { name: 'Sydney spring: 02:00-03:00 skipped, next Sunday is AEDT', window: sundays('Australia/Sydney', 2, 3), now: '2026-10-03T15:00:00Z', open: false, next: '2026-10-10T15:00:00.000Z', reason: 'outside hours 02:00-03:00 Australia/Sydney (those hours do not exist on 2026-10-04: the clocks change)' },
  ];

  test.each(cases)('$name', ({ window, now, open, next, reason, closesAt }) => {
    const at = new Date(now);
    expect(isOpen(window, at)).toBe(open);
    expect(iso(nextOpening(window, at))).toBe(next);
    const status = windowStatus(window, at);
    expect(status.open).toBe(open);
    expect(status.reason).toBe(reason);
    expect(iso(status.closesAt)).toBe(closesAt);
    expect(iso(status.opensAt)).toBe(open ? undefined : next);
  });

  test.each([
    // Office hours on either side of the change: the UTC instant moves by the offset change.
    { name: 'NY: Friday before spring-forward -> Monday 09:00 EDT', region: 'us-east-1', now: '2026-03-06T15:00:00Z', next: '2026-03-09T13:00:00.000Z' },
    { name: 'NY: Friday before fall-back -> Monday 09:00 EST', region: 'us-east-1', now: '2026-10-30T15:00:00Z', next: '2026-11-02T14:00:00.000Z' },
    { name: 'Dublin: Friday before spring-forward -> Monday 09:00 IST', region: 'eu-west-1', now: '2026-03-27T12:00:00Z', next: '2026-03-30T08:00:00.000Z' },
    { name: 'Dublin: Friday before fall-back -> Tuesday 09:00 GMT (Monday is a holiday)', region: 'eu-west-1', now: '2026-10-23T12:00:00Z', next: '2026-10-27T09:00:00.000Z' },
    { name: 'Sydney: Friday before spring-forward -> Tuesday 09:00 AEDT (Monday is Labour Day)', region: 'ap-southeast-2', now: '2026-10-02T02:00:00Z', next: '2026-10-05T22:00:00.000Z' },
    { name: 'Sydney: Thursday evening before fall-back -> Monday 09:00 AEST (Easter Monday is a holiday, so Tuesday)', region: 'ap-southeast-2', now: '2026-04-02T08:00:00Z', next: '2026-04-06T23:00:00.000Z' },
  ])('default window, $name', ({ region, now, next }) => {
    expect(iso(nextOpening(resolveWindow(undefined, region), new Date(now)))).toBe(next);
  });
});

describe('midnight, month end, year end', () => {
  const allDayUtc = (weekdays: Weekday[]) =>
    resolveWindow({ timeZone: 'UTC', weekdays, startHour: 0, endHour: 24, publicHolidays: false }, 'us-east-1');

  test.each([
    {
      name: 'last second of Thursday 30 April is open and closes at midnight',
      window: allDayUtc([MONDAY, TUESDAY, WEDNESDAY, THURSDAY]),
      now: '2026-04-30T23:59:59Z',
      open: true,
      opensAt: undefined,
      closesAt: '2026-05-01T00:00:00.000Z',
      reason: 'inside hours 00:00-24:00 UTC on Thursday',
    },
    {
      name: 'midnight into Friday 1 May is closed until Monday 4 May',
      window: allDayUtc([MONDAY, TUESDAY, WEDNESDAY, THURSDAY]),
      now: '2026-05-01T00:00:00Z',
      open: false,
      opensAt: '2026-05-04T00:00:00.000Z',
      closesAt: undefined,
      reason: 'Friday is not an allowed weekday',
    },
    {
      name: 'consecutive all-day weekdays merge into one opening',
      window: allDayUtc([MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY]),
      now: '2026-06-01T10:00:00Z',
      open: true,
      opensAt: undefined,
      closesAt: '2026-06-06T00:00:00.000Z',
      reason: 'inside hours 00:00-24:00 UTC on Monday',
    },
    {
      name: 'every day all day never closes',
      window: allDayUtc([MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY]),
      now: '2026-12-31T23:59:59Z',
      open: true,
      opensAt: undefined,
      closesAt: undefined,
      reason: 'inside hours 00:00-24:00 UTC on Thursday',
    },
    {
      name: 'leap day: Tuesday-only window from Wednesday 23 Feb 2028 lands on 29 Feb',
      window: resolveWindow({ timeZone: 'UTC', weekdays: [TUESDAY], publicHolidays: false }, 'us-east-1'),
      now: '2028-02-23T17:00:00Z',
      open: false,
      opensAt: '2028-02-29T09:00:00.000Z',
      closesAt: undefined,
      reason: 'Wednesday is not an allowed weekday',
    },
    {
      name: 'New Year\'s Eve 22:00-24:00 Los Angeles is open across the UTC new year',
      window: resolveWindow({ weekdays: [THURSDAY], startHour: 22, endHour: 24, publicHolidays: false }, 'us-west-2'),
      now: '2027-01-01T06:30:00Z',
      open: true,
      opensAt: undefined,
      closesAt: '2027-01-01T08:00:00.000Z',
      reason: 'inside hours 22:00-24:00 America/Los_Angeles on Thursday',
    },
    {
      name: 'New Year\'s Eve after hours in New York -> first Monday of 2027 (1 January is a holiday and a Friday)',
      window: resolveWindow(undefined, 'us-east-1'),
      now: '2026-12-31T22:30:00Z',
      open: false,
      opensAt: '2027-01-04T14:00:00.000Z',
      closesAt: undefined,
      reason: 'outside hours 09:00-17:00 America/New_York',
    },
    {
      name: 'half-hour offset: 17:30 in Kolkata is after hours, opens 09:00 IST = 03:30Z',
      window: resolveWindow({ publicHolidays: false }, 'ap-south-1'),
      now: '2026-06-03T12:00:00Z',
      open: false,
      opensAt: '2026-06-04T03:30:00.000Z',
      closesAt: undefined,
      reason: 'outside hours 09:00-17:00 Asia/Kolkata',
    },
  ])('$name', ({ window, now, open, opensAt, closesAt, reason }) => {
    const status = windowStatus(window, new Date(now));
    expect(status).toStrictEqual({
      open,
      reason,
      ...(opensAt ? { opensAt: new Date(opensAt) } : {}),
      ...(closesAt ? { closesAt: new Date(closesAt) } : {}),
    });
    expect(isOpen(window, new Date(now))).toBe(open);
  });

  test('nextOpening returns the very same Date when open', () => {
    const now = new Date('2026-06-01T10:00:00Z');
    expect(nextOpening(resolveWindow({ timeZone: 'UTC', publicHolidays: false }, 'us-east-1'), now)).toBe(now);
  });
});

describe('blackouts and public holidays', () => {
  const newYearBlackout = ['2026-12-24..2027-01-02'];

  test.each([
    { name: 'Dublin, blackout across New Year', region: 'eu-west-1', now: '2026-12-24T10:00:00Z', reason: 'blackout 2026-12-24..2027-01-02', next: '2027-01-04T09:00:00.000Z' },
    { name: 'Dublin, evening before the blackout', region: 'eu-west-1', now: '2026-12-23T18:00:00Z', reason: 'outside hours 09:00-17:00 Europe/Dublin', next: '2027-01-04T09:00:00.000Z' },
    { name: 'New York, last day of the blackout', region: 'us-east-1', now: '2027-01-02T15:00:00Z', reason: 'Saturday is not an allowed weekday', next: '2027-01-04T14:00:00.000Z' },
    { name: 'New York, inside the blackout on a Monday', region: 'us-east-1', now: '2026-12-28T15:00:00Z', reason: 'blackout 2026-12-24..2027-01-02', next: '2027-01-04T14:00:00.000Z' },
  ])('$name', ({ region, now, reason, next }) => {
    const window = resolveWindow({ blackouts: newYearBlackout }, region);
    const status = windowStatus(window, new Date(now));
    expect(status.open).toBe(false);
    expect(status.reason).toBe(reason);
    expect(iso(status.opensAt)).toBe(next);
    expect(iso(nextOpening(window, new Date(now)))).toBe(next);
  });

  test('a single-day blackout closes only that day', () => {
    const window = resolveWindow({ blackouts: ['2026-06-02'], publicHolidays: false }, 'eu-west-1');
    expect(windowStatus(window, new Date('2026-06-02T10:00:00Z')).reason).toBe('blackout 2026-06-02');
    expect(iso(nextOpening(window, new Date('2026-06-02T10:00:00Z')))).toBe('2026-06-03T08:00:00.000Z');
    expect(isOpen(window, new Date('2026-06-01T10:00:00Z'))).toBe(true);
  });

  test.each([
    {
      name: 'Christmas Day in Ireland (Mon-Fri window)',
      spec: { weekdays: [MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY] },
      region: 'eu-west-1',
      now: '2026-12-25T10:00:00Z',
      reason: 'public holiday in IE: Christmas Day',
      next: '2026-12-28T09:00:00.000Z',
    },
    {
      name: 'Thanksgiving in Virginia',
      spec: undefined,
      region: 'us-east-1',
      now: '2026-11-26T15:00:00Z',
      reason: 'public holiday in US-VA: Thanksgiving Day',
      next: '2026-11-30T14:00:00.000Z',
    },
    {
      name: 'Election Day is a Virginia holiday (not federal)',
      spec: undefined,
      region: 'us-east-1',
      now: '2026-11-03T15:00:00Z',
      reason: 'public holiday in US-VA: Election Day',
      next: '2026-11-04T14:00:00.000Z',
    },
    {
      name: 'ANZAC Day on a Saturday in NSW (Saturday allowed)',
      spec: { weekdays: [SATURDAY] },
      region: 'ap-southeast-2',
      now: '2026-04-25T00:00:00Z',
      reason: 'public holiday in AU-NSW: Anzac Day',
      next: '2026-05-01T23:00:00.000Z',
    },
    {
      name: 'ANZAC Day substitute Monday in NSW',
      spec: undefined,
      region: 'ap-southeast-2',
      now: '2026-04-27T00:00:00Z',
      reason: 'public holiday in AU-NSW: Anzac Day (substitute day)',
      next: '2026-04-27T23:00:00.000Z',
    },
  ])('$name', ({ spec, region, now, reason, next }) => {
    const window = resolveWindow(spec, region);
    const status = windowStatus(window, new Date(now));
    expect(status.open).toBe(false);
    expect(status.reason).toBe(reason);
    expect(iso(status.opensAt)).toBe(next);
  });

  test('public holidays off: Christmas is an ordinary working day', () => {
    const window = resolveWindow({ weekdays: [FRIDAY], publicHolidays: false }, 'eu-west-1');
    expect(isOpen(window, new Date('2026-12-25T10:00:00Z'))).toBe(true);
  });

  test('observance days do not close the window (Christmas Eve is not a public holiday in IE)', () => {
    const window = resolveWindow(undefined, 'eu-west-1');
    expect(isOpen(window, new Date('2026-12-24T10:00:00Z'))).toBe(true);
  });

  test('another country\'s calendar can be chosen', () => {
    // 17 March (St Patrick's Day) is a holiday in IE but not in GB-ENG.
    const ie = resolveWindow({ timeZone: 'Europe/London' }, 'eu-west-1');
    const gb = resolveWindow({ holidayCountry: 'GB-ENG' }, 'eu-west-1');
    expect(windowStatus(ie, new Date('2026-03-17T10:00:00Z')).reason).toBe('public holiday in IE: St. Patrick’s Day');
    expect(isOpen(gb, new Date('2026-03-17T10:00:00Z'))).toBe(true);
  });
});

describe('horizon', () => {
  test.each([
    { name: 'no weekday never opens', spec: { weekdays: [] as Weekday[], publicHolidays: false }, horizon: 400, next: undefined },
    { name: 'a year-long blackout hides every opening within 30 days', spec: { blackouts: ['2026-01-01..2026-12-31'], publicHolidays: false }, horizon: 30, next: undefined },
    { name: 'the same blackout ends within the default horizon', spec: { blackouts: ['2026-01-01..2026-12-31'], publicHolidays: false }, horizon: 400, next: '2027-01-04T09:00:00.000Z' },
  ])('$name', ({ spec, horizon, next }) => {
    const window = resolveWindow(spec, 'eu-west-1');
    expect(iso(nextOpening(window, new Date('2026-01-01T00:00:00Z'), horizon))).toBe(next);
  });

  test('closed window that never opens has no opensAt', () => {
    const window = resolveWindow({ weekdays: [], publicHolidays: false }, 'eu-west-1');
    expect(windowStatus(window, new Date('2026-01-05T10:00:00Z'))).toStrictEqual({ open: false, reason: 'Monday is not an allowed weekday' });
  });

  test('5000 calls every 10 minutes over five weeks give each opening in turn', () => {
    const window = resolveWindow({ blackouts: ['2026-12-24..2027-01-02'] }, 'eu-west-1');
    const openings = new Set<string | undefined>();
    for (let i = 0; i < 5000; i++) {
      const now = new Date(Date.UTC(2026, 11, 20) + i * 10 * 60_000);
      const next = nextOpening(window, now);
      if (next !== now) openings.add(iso(next));
    }
    // 2026-12-20 00:00Z + 50000 minutes = Saturday 2027-01-23 17:20Z; Dublin is on GMT, so 09:00 local = 09:00Z.
    expect([...openings]).toStrictEqual([
      '2026-12-21', '2026-12-22', '2026-12-23',
      '2027-01-04', '2027-01-05', '2027-01-06', '2027-01-07',
      '2027-01-11', '2027-01-12', '2027-01-13', '2027-01-14',
      '2027-01-18', '2027-01-19', '2027-01-20', '2027-01-21',
      '2027-01-25',
    ].map((d) => `${d}T09:00:00.000Z`));
  });
});

describe('several windows at once: nextCommonOpening / commonWindowStatus', () => {
  /** Mon-Thu 09:00-17:00 local, no public holidays, so only the clocks and blackouts matter. */
  const office = (timeZone: string, blackouts: string[] = []) => resolveWindow({ timeZone, publicHolidays: false, blackouts }, 'us-east-1');
  const losAngeles = office('America/Los_Angeles');
  const toronto = office('America/Toronto');
  const saoPaulo = office('America/Sao_Paulo');
  const sydney = office('Australia/Sydney');
  const frankfurt = office('Europe/Berlin');
  const tokyo = office('Asia/Tokyo');
  const newYork = office('America/New_York');
  const london = office('Europe/London');
  const dublin = office('Europe/Dublin');

  test.each<{ name: string; windows: ResolvedWindow[]; now: string; horizon?: number; next: string | undefined }>([
    // November 2026: PST (UTC-8) 17:00-01:00Z, EST (UTC-5) 14:00-22:00Z, Sao Paulo (UTC-3, no DST) 12:00-20:00Z.
    // All three are open from 17:00Z (09:00 in Los Angeles) to 20:00Z (17:00 in Sao Paulo).
    { name: 'LA + Toronto + Sao Paulo: before the overlap -> 17:00Z', windows: [losAngeles, toronto, saoPaulo], now: '2026-11-10T12:00:00Z', next: '2026-11-10T17:00:00.000Z' },
    { name: 'LA + Toronto + Sao Paulo: one minute before', windows: [losAngeles, toronto, saoPaulo], now: '2026-11-10T16:59:00Z', next: '2026-11-10T17:00:00.000Z' },
    { name: 'LA + Toronto + Sao Paulo: inside the overlap -> now', windows: [losAngeles, toronto, saoPaulo], now: '2026-11-10T19:59:00Z', next: '2026-11-10T19:59:00.000Z' },
    { name: 'LA + Toronto + Sao Paulo: Sao Paulo closed at 20:00Z -> Wednesday 17:00Z', windows: [losAngeles, toronto, saoPaulo], now: '2026-11-10T20:00:00Z', next: '2026-11-11T17:00:00.000Z' },
    { name: 'LA + Toronto + Sao Paulo: Thursday evening -> Monday 17:00Z', windows: [losAngeles, toronto, saoPaulo], now: '2026-11-12T20:00:00Z', next: '2026-11-16T17:00:00.000Z' },
    // AEDT 22:00-06:00Z and AEST 23:00-07:00Z never meet Sao Paulo's 12:00-20:00Z.
    { name: 'Sydney + Sao Paulo never overlap', windows: [sydney, saoPaulo], now: '2026-11-10T12:00:00Z', next: undefined },
    // In winter Frankfurt (CET) is 08:00-16:00Z and Tokyo (JST) 00:00-08:00Z: they only touch at
    // 08:00Z. From 29 March 2027 (CEST) Frankfurt opens at 07:00Z, an hour before Tokyo closes.
    { name: 'Frankfurt + Tokyo touch at 08:00Z: no overlap within 30 days', windows: [frankfurt, tokyo], now: '2027-01-12T08:00:00Z', horizon: 30, next: undefined },
    { name: 'Frankfurt + Tokyo first overlap when Europe moves to summer time', windows: [frankfurt, tokyo], now: '2027-01-12T08:00:00Z', next: '2027-03-29T07:00:00.000Z' },
    // DST weeks of 2026: New York moves on 8 March, London on 29 March.
    { name: 'NY (EST) + London (GMT): 14:00Z', windows: [newYork, london], now: '2026-03-05T12:00:00Z', next: '2026-03-05T14:00:00.000Z' },
    { name: 'NY (EDT) + London (GMT): 13:00Z, the week between the changes', windows: [newYork, london], now: '2026-03-09T12:00:00Z', next: '2026-03-09T13:00:00.000Z' },
    { name: 'NY (EDT) + London (BST): London closed at 16:00Z -> next day 13:00Z', windows: [newYork, london], now: '2026-03-30T16:00:00Z', next: '2026-03-31T13:00:00.000Z' },
    { name: 'NY (EDT) + London (BST): 15:59Z is still open', windows: [newYork, london], now: '2026-03-30T15:59:00Z', next: '2026-03-30T15:59:00.000Z' },
    // Dublin (IST) 08:00-16:00Z, Frankfurt (CEST) 07:00-15:00Z; Frankfurt is blacked out Monday to Thursday.
    { name: 'a blackout in one region pushes the common opening to next Monday', windows: [dublin, office('Europe/Berlin', ['2026-06-01..2026-06-04'])], now: '2026-06-01T10:00:00Z', next: '2026-06-08T08:00:00.000Z' },
    { name: 'no window at all is open now', windows: [], now: '2026-06-06T03:00:00Z', next: '2026-06-06T03:00:00.000Z' },
  ])('$name', ({ windows, now, horizon, next }) => {
    expect(iso(nextCommonOpening(windows, new Date(now), horizon))).toBe(next);
  });

  test('one window gives the same answer as nextOpening, to the minute, over two weeks', () => {
    const window = resolveWindow(undefined, 'eu-west-1');
    for (let i = 0; i < 14 * 24 * 4; i++) {
      const now = new Date(Date.UTC(2026, 2, 23) + i * 15 * 60_000);
      expect(iso(nextCommonOpening([window], now))).toBe(iso(nextOpening(window, now)));
    }
    expect(nextCommonOpening([window], new Date('2026-01-01T00:00:00Z'), 0)).toBeUndefined();
  });

  test('returns the very same Date when every window is open', () => {
    const now = new Date('2026-11-10T18:00:00Z');
    expect(nextCommonOpening([losAngeles, toronto, saoPaulo], now)).toBe(now);
  });

  test('the answer is open in every window, and no earlier minute is', () => {
    const now = new Date('2026-11-10T12:00:00Z');
    const opening = nextCommonOpening([losAngeles, toronto, saoPaulo], now)!;
    expect([losAngeles, toronto, saoPaulo].every((w) => isOpen(w, opening))).toBe(true);
    for (let t = now.getTime(); t < opening.getTime(); t += 60_000) {
      expect([losAngeles, toronto, saoPaulo].every((w) => isOpen(w, new Date(t)))).toBe(false);
    }
  });

  test.each([
    {
      name: 'all open: every region says why',
      entries: [{ region: 'us-west-2', window: losAngeles }, { region: 'sa-east-1', window: saoPaulo }],
      now: '2026-11-10T18:00:00Z',
      expected: {
        open: true,
        reason: 'windows of all 2 regions open: us-west-2 inside hours 09:00-17:00 America/Los_Angeles on Tuesday; '
          + 'sa-east-1 inside hours 09:00-17:00 America/Sao_Paulo on Tuesday',
      },
    },
    {
      name: 'one region',
      entries: [{ region: 'us-west-2', window: losAngeles }],
      now: '2026-11-10T18:00:00Z',
      expected: { open: true, reason: 'window of us-west-2 open: inside hours 09:00-17:00 America/Los_Angeles on Tuesday' },
    },
    {
      name: 'no region has a window',
      entries: [],
      now: '2026-11-10T18:00:00Z',
      expected: { open: true, reason: 'no region has a deployment window' },
    },
    {
      name: 'the first closed region is named, with when all are open together',
      entries: [{ region: 'us-west-2', window: losAngeles }, { region: 'ca-central-1', window: toronto }, { region: 'sa-east-1', window: saoPaulo }],
      now: '2026-11-10T20:30:00Z',
      expected: {
        open: false,
        reason: 'window of sa-east-1 closed: outside hours 09:00-17:00 America/Sao_Paulo',
        opensAt: new Date('2026-11-11T17:00:00Z'),
      },
    },
    {
      name: 'windows that never share an instant',
      entries: [{ region: 'ap-southeast-2', window: sydney }, { region: 'sa-east-1', window: saoPaulo }],
      now: '2026-11-10T18:00:00Z',
      expected: {
        open: false,
        reason: 'window of ap-southeast-2 closed: outside hours 09:00-17:00 Australia/Sydney; the windows of ap-southeast-2 and sa-east-1 '
          + 'are never all open at the same instant within the next 400 days (they do not overlap), so the stage cannot start',
      },
    },
    {
      name: 'a window that never opens by itself is named',
      entries: [{ region: 'us-west-2', window: losAngeles }, { region: 'eu-west-1', window: resolveWindow({ weekdays: [], publicHolidays: false }, 'eu-west-1') }],
      now: '2026-11-10T18:00:00Z',
      expected: {
        open: false,
        reason: 'window of eu-west-1 closed: Tuesday is not an allowed weekday; the window of eu-west-1 does not open within the next 400 days',
      },
    },
  ])('commonWindowStatus: $name', ({ entries, now, expected }) => {
    expect(commonWindowStatus(entries, new Date(now))).toStrictEqual(expected);
  });

  test('describeCommonWindow', () => {
    expect(describeCommonWindow([])).toBe('none');
    expect(describeCommonWindow([{ region: 'eu-west-1', window: resolveWindow(undefined, 'eu-west-1') }]))
      .toBe('eu-west-1 Mon-Thu 09:00-17:00 Europe/Dublin, closed on IE public holidays');
    expect(describeCommonWindow([
      { region: 'us-west-2', window: resolveWindow(undefined, 'us-west-2') },
      { region: 'sa-east-1', window: resolveWindow(undefined, 'sa-east-1') },
    ])).toBe('opens when every region\'s window is open: us-west-2 Mon-Thu 09:00-17:00 America/Los_Angeles, closed on US-OR public holidays; '
      + 'sa-east-1 Mon-Thu 09:00-17:00 America/Sao_Paulo, closed on BR-SP public holidays');
  });
});

describe('describeWindow and formatLocal', () => {
  test.each([
    { spec: { blackouts: ['2026-12-24..2027-01-02'] }, region: 'eu-west-1', text: 'Mon-Thu 09:00-17:00 Europe/Dublin, closed on IE public holidays, 1 blackout' },
    { spec: { weekdays: [MONDAY, WEDNESDAY, FRIDAY], startHour: 0, endHour: 24, timeZone: 'UTC', publicHolidays: false }, region: 'us-east-1', text: 'Mon, Wed, Fri 00:00-24:00 UTC' },
    { spec: { weekdays: [SUNDAY, MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY], blackouts: ['2026-07-03', '2026-12-24..2026-12-31'] }, region: 'us-east-1', text: 'Mon-Fri, Sun 09:00-17:00 America/New_York, closed on US-VA public holidays, 2 blackouts' },
    { spec: { weekdays: [SATURDAY, SUNDAY], startHour: 6, endHour: 8 }, region: 'ap-southeast-2', text: 'Sat, Sun 06:00-08:00 Australia/Sydney, closed on AU-NSW public holidays' },
    { spec: { weekdays: [] as Weekday[], publicHolidays: false }, region: 'eu-west-1', text: 'no weekday 09:00-17:00 Europe/Dublin' },
  ])('$text', ({ spec, region, text }) => {
    expect(describeWindow(resolveWindow(spec, region))).toBe(text);
  });

  test.each([
    { region: 'us-east-1', at: '2026-03-09T13:00:00Z', text: 'Mon 2026-03-09 09:00 America/New_York' },
    { region: 'ap-southeast-2', at: '2026-12-31T13:30:00Z', text: 'Fri 2027-01-01 00:30 Australia/Sydney' },
  ])('formatLocal $text', ({ region, at, text }) => {
    expect(formatLocal(resolveWindow(undefined, region), new Date(at))).toBe(text);
  });
});

describe('validateWindow', () => {
  const rendered = (problems: Array<{ path: string; message: string }>) => problems.map((p) => `${p.path}: ${p.message}`);

  test('a valid window has no problems', () => {
    expect(validateWindow({
      timeZone: 'Europe/Dublin',
      weekdays: [MONDAY, FRIDAY],
      startHour: 0,
      endHour: 24,
      blackouts: ['2028-02-29', '2026-12-24..2027-01-02'],
      holidayCountry: 'US-VA',
    }, 'production.window', 'eu-west-1')).toStrictEqual([]);
  });

  test.each([
    {
      spec: { timeZone: 'Europe/Dublinn' },
      expected: ['production.window.timeZone: "Europe/Dublinn" is not an IANA time zone; did you mean "Europe/Dublin"?'],
    },
    {
      spec: { timeZone: 'Mars/Olympus_Mons' },
      expected: ['production.window.timeZone: "Mars/Olympus_Mons" is not an IANA time zone; use a name from the IANA time zone database, e.g. "Europe/Dublin" or "America/New_York"'],
    },
    {
      spec: { startHour: 24, endHour: 25 },
      expected: [
        'production.window.startHour: 24 is out of range; use a whole hour from 0 to 23',
        'production.window.endHour: 25 is out of range; use a whole hour from 1 to 24 (24 = midnight at the end of the day)',
      ],
    },
    {
      spec: { startHour: 8.5 },
      expected: ['production.window.startHour: 8.5 is not a whole hour; windows open and close on the hour, use a whole number from 0 to 23'],
    },
    {
      spec: { startHour: 17, endHour: 9 },
      expected: ['production.window.endHour: 9 is before startHour 17; a window cannot wrap past midnight, so set endHour to an hour after 17, up to 24'],
    },
    {
      spec: { startHour: 18 },
      expected: ['production.window.endHour: 17 (the default) is before startHour 18; a window cannot wrap past midnight, so set endHour to an hour after 18, up to 24'],
    },
    {
      spec: { startHour: 10, endHour: 10 },
      expected: ['production.window.endHour: 10 equals startHour 10, so the window has no open hour in any week; set endHour after startHour, e.g. endHour: 11'],
    },
    {
      spec: { weekdays: [] as Weekday[] },
      expected: ['production.window.weekdays: [] lists no weekday, so the window has no open hour in any week; list at least one, e.g. [Weekday.MONDAY], or remove the window'],
    },
    {
      spec: { weekdays: [MONDAY, TUESDAY, MONDAY, 'FRIDAY' as Weekday] },
      expected: [
        'production.window.weekdays[2]: "MON" is listed twice (also weekdays[0]); remove the duplicate',
        'production.window.weekdays[3]: "FRIDAY" is not a weekday; use one of MON, TUE, WED, THU, FRI, SAT, SUN (Weekday.MONDAY..Weekday.SUNDAY)',
      ],
    },
    {
      spec: { blackouts: ['2026-13-01', '2026-02-30', '2027-01-02..2026-12-24', '24/12/2026', '2026-12-24..2026-12-26..2026-12-28'] },
      expected: [
        'production.window.blackouts[0]: "2026-13-01" is not a valid blackout: 2026-13-01 has month 13, months are 01-12; use YYYY-MM-DD for one day or YYYY-MM-DD..YYYY-MM-DD for an inclusive range',
        'production.window.blackouts[1]: "2026-02-30" is not a valid blackout: 2026-02-30 does not exist, February 2026 has 28 days; use YYYY-MM-DD for one day or YYYY-MM-DD..YYYY-MM-DD for an inclusive range',
        'production.window.blackouts[2]: "2027-01-02..2026-12-24" ends before it starts; write the earlier date first: "2026-12-24..2027-01-02"',
        'production.window.blackouts[3]: "24/12/2026" is not a valid blackout: "24/12/2026" is not in the form YYYY-MM-DD; use YYYY-MM-DD for one day or YYYY-MM-DD..YYYY-MM-DD for an inclusive range',
        'production.window.blackouts[4]: "2026-12-24..2026-12-26..2026-12-28" is not a date or date range; use YYYY-MM-DD for one day or YYYY-MM-DD..YYYY-MM-DD for an inclusive range',
      ],
    },
    {
      spec: { holidayCountry: 'XX' },
      expected: ['production.window.holidayCountry: "XX" is not a country of the public-holiday calendar (date-holidays 3.37.0); use an ISO 3166 code like "IE" or "US-VA", or set publicHolidays: false'],
    },
    {
      spec: { holidayCountry: 'Ireland' },
      expected: ['production.window.holidayCountry: "Ireland" is not an ISO 3166 country code; did you mean "IE"?'],
    },
    {
      spec: { holidayCountry: 'IE-D' },
      expected: ['production.window.holidayCountry: "IE-D": the public-holiday calendar of IE has no states; use "IE"'],
    },
    {
      spec: { holidayCountry: 'AU-XYZ' },
      expected: ['production.window.holidayCountry: "AU-XYZ": the public-holiday calendar of AU has no state "XYZ"; use "AU" or one of AU-ACT, AU-NSW, AU-NT, AU-QLD, AU-SA, AU-TAS, AU-VIC, AU-WA'],
    },
    {
      // An unknown calendar does not matter when holidays are off.
      spec: { holidayCountry: 'XX', publicHolidays: false },
      expected: [],
    },
  ])('$expected', ({ spec, expected }) => {
    expect(rendered(validateWindow(spec, 'production.window', 'eu-west-1'))).toStrictEqual(expected);
  });

  test('an unknown region leaves nothing to default from', () => {
    expect(rendered(validateWindow({}, 'production.waves[0].window', 'xx-new-1'))).toStrictEqual([
      'production.waves[0].window.timeZone: not set, and region "xx-new-1" has no known time zone to default to; set timeZone, e.g. "Europe/Dublin"',
      'production.waves[0].window.holidayCountry: not set, and region "xx-new-1" has no known public-holiday calendar; set holidayCountry, e.g. "IE", or publicHolidays: false',
    ]);
  });

  test('every problem is reported at once', () => {
    const problems = validateWindow({ timeZone: 'Europe/Dublinn', weekdays: [], startHour: 30, blackouts: ['2026-02-30'], holidayCountry: 'XX' }, 'w');
    expect(problems.map((p) => p.path)).toStrictEqual(['w.timeZone', 'w.weekdays', 'w.startHour', 'w.blackouts[0]', 'w.holidayCountry']);
  });
});

describe('DeploymentWindow (public API)', () => {
  const window = DeploymentWindow.resolve({}, 'us-east-1');

  test('resolve fills the region defaults', () => {
    const { holidays, ...rest } = window;
    expect(rest).toStrictEqual({
      timeZone: 'America/New_York',
      weekdays: ['MON', 'TUE', 'WED', 'THU'],
      startHour: 9,
      endHour: 17,
      blackouts: [],
      holidayCountry: 'US-VA',
      holidaysFrom: '2025-01-01',
      holidaysUntil: '2030-12-31',
    });
    expect(holidays).toContainEqual({ date: '2026-11-26', name: 'Thanksgiving Day' });
  });

  test.each([
    { now: '2026-11-26T15:00:00Z', open: false, next: '2026-11-30T14:00:00.000Z', explain: 'public holiday in US-VA: Thanksgiving Day' },
    { now: '2026-11-24T15:00:00Z', open: true, next: '2026-11-24T15:00:00.000Z', explain: 'inside hours 09:00-17:00 America/New_York on Tuesday' },
    { now: '2026-11-24T22:00:00Z', open: false, next: '2026-11-25T14:00:00.000Z', explain: 'outside hours 09:00-17:00 America/New_York' },
  ])('at $now', ({ now, open, next, explain }) => {
    expect(DeploymentWindow.isOpen(window, new Date(now))).toBe(open);
    expect(iso(DeploymentWindow.nextOpening(window, new Date(now)))).toBe(next);
    expect(DeploymentWindow.explain(window, new Date(now))).toBe(explain);
  });

  test('nextOpening honours a horizon', () => {
    expect(DeploymentWindow.nextOpening(window, new Date('2026-11-26T15:00:00Z'), 2)).toBeUndefined();
    expect(iso(DeploymentWindow.nextOpening(window, new Date('2026-11-26T15:00:00Z'), 4))).toBe('2026-11-30T14:00:00.000Z');
  });

  test('describe', () => {
    expect(DeploymentWindow.describe(window)).toBe('Mon-Thu 09:00-17:00 America/New_York, closed on US-VA public holidays');
  });
});

describe('DeploymentWindow (public API)', () => {
  test('nextCommonOpening: Los Angeles, Toronto and Sao Paulo share 17:00-20:00 UTC in November', () => {
    const windows = ['us-west-2', 'ca-central-1', 'sa-east-1'].map((r) => DeploymentWindow.resolve({ publicHolidays: false }, r));
    // Monday 2026-11-30 12:00 UTC: Sao Paulo is open (09:00), Los Angeles not yet (04:00).
    expect(DeploymentWindow.nextCommonOpening(windows, new Date('2026-11-30T12:00:00Z'))?.toISOString()).toBe('2026-11-30T17:00:00.000Z');
    const apart = ['ap-southeast-2', 'sa-east-1'].map((r) => DeploymentWindow.resolve({ publicHolidays: false }, r));
    expect(DeploymentWindow.nextCommonOpening(apart, new Date('2026-11-30T12:00:00Z'), 30)).toBeUndefined();
  });
});
