/**
 * Reads date-holidays (a devDependency: used only to build the table, never installed by users)
 * into the compact table lib/model/holidays.ts serves. Shared by scripts/build-holiday-table.ts
 * and the test that checks the committed table is current.
 */
/* eslint-disable import/no-extraneous-dependencies */
import Holidays from 'date-holidays';
import type { HolidayTable } from '../lib/model/holidays';

/** Years the table covers: the plan's holiday horizon. Move them forward with each release of the library. */
export const HOLIDAY_YEARS = { first: 2025, last: 2030 } as const;

const DAY = 24 * 60 * 60 * 1000;

/** Every calendar code date-holidays knows: `CC` and `CC-STATE`, with the English country names. */
export function calendarCodes(): { codes: string[]; countries: Record<string, string> } {
  const catalogue = new Holidays();
  const countries = catalogue.getCountries('en');
  const codes: string[] = [];
  for (const country of Object.keys(countries).sort()) {
    codes.push(country);
    for (const state of Object.keys(catalogue.getStates(country, 'en') ?? {}).sort()) codes.push(`${country}-${state}`);
  }
  return { codes, countries };
}

/** `{ holiday name: [YYYY-MM-DD, ...] }` of one calendar, public holidays only, multi-day holidays expanded. */
export function calendarDates(code: string, years: { first: number; last: number } = HOLIDAY_YEARS): Record<string, string[]> {
  const [country, state] = code.split('-');
  const options = { types: ['public' as const], languages: ['en'] };
  const calendar = state !== undefined ? new Holidays(country, state, options) : new Holidays(country, options);
  const byName: Record<string, Set<string>> = {};
  for (let year = years.first; year <= years.last; year++) {
    for (const holiday of calendar.getHolidays(year) || []) {
      if (holiday.type !== 'public') continue;
      // `date` is the local date in the country, independent of any time zone; `start`/`end` give the length.
      const first = Date.UTC(Number(holiday.date.slice(0, 4)), Number(holiday.date.slice(5, 7)) - 1, Number(holiday.date.slice(8, 10)));
      const length = Math.max(1, Math.round((holiday.end.getTime() - holiday.start.getTime()) / DAY));
      for (let i = 0; i < length; i++) {
        const date = new Date(first + i * DAY).toISOString().slice(0, 10);
        if (date < `${years.first}-01-01` || date > `${years.last}-12-31`) continue;
        (byName[holiday.name] ??= new Set()).add(date);
      }
    }
  }
  const out: Record<string, string[]> = {};
  for (const name of Object.keys(byName).sort()) out[name] = [...byName[name]].sort();
  return out;
}

export function buildHolidayTable(): HolidayTable {
  const { codes, countries } = calendarCodes();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const version: string = require('date-holidays/package.json').version;
  const calendars: Record<string, Record<string, string[]>> = {};
  for (const code of codes) calendars[code] = calendarDates(code);
  return {
    source: `date-holidays ${version}`,
    from: `${HOLIDAY_YEARS.first}-01-01`,
    until: `${HOLIDAY_YEARS.last}-12-31`,
    countries,
    calendars,
  };
}
