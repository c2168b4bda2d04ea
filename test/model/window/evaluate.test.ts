import { MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY, sundays, iso } from './helpers';
import { Weekday } from '../../../lib/model/declaration';
import { ResolvedWindow } from '../../../lib/model/plan';
import { isOpen, nextOpening, windowStatus } from '../../../lib/model/window/evaluate';
import { resolveWindow } from '../../../lib/model/window/resolve';

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
