/**
 * Writes lib/model/holiday-table.json: the public holidays (date-holidays type `public`) of every
 * country and state date-holidays knows, for the years HOLIDAY_YEARS, as local dates.
 *
 * The table is generated here, at build time, so that what users install carries dates and no
 * holiday library (date-holidays and the moment-timezone data it pulls in are 43 MiB unpacked); it
 * is committed so that a change of date-holidays shows up as a reviewed diff of dates. Run
 * `npx projen holidays` after upgrading date-holidays or moving the years;
 * test/model/holidays.test.ts fails when the committed table no longer matches date-holidays.
 */
import * as fs from 'fs';
import * as path from 'path';
import { buildHolidayTable } from './holiday-source';

const out = path.resolve(__dirname, '..', 'lib', 'model', 'holiday-table.json');
const table = buildHolidayTable();
fs.writeFileSync(out, JSON.stringify(table) + '\n');
const dates = Object.values(table.calendars).reduce((n, c) => n + Object.values(c).reduce((m, d) => m + d.length, 0), 0);
console.log(`wrote ${path.relative(process.cwd(), out)}: ${Object.keys(table.calendars).length} calendars, ${dates} holiday dates, `
  + `${table.from}..${table.until}, ${(fs.statSync(out).size / 1024).toFixed(0)} KiB`);
