import { MONDAY, TUESDAY, FRIDAY } from './helpers';
import { Weekday } from '../../../lib/model/declaration';
import { validateWindow } from '../../../lib/model/window/validate';

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
