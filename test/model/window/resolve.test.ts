import { MONDAY, FRIDAY, SUNDAY } from './helpers';
import { resolveWindow } from '../../../lib/model/window/resolve';

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
