/**
 * Public holidays, resolved at synth time into dated closures that the plan carries.
 *
 * The dates come from lib/model/holiday-table.json, generated at build time from date-holidays
 * (scripts/build-holiday-table.ts) for a fixed range of years: the holiday horizon. Nothing here
 * runs in the release controller: it judges windows from the dates in its plan
 * (`ResolvedWindow.holidays`) and fails a window gate closed past `ResolvedWindow.holidaysUntil`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { PublicHoliday, ReleasePlan, ResolvedWindow } from './plan';

/** The generated table: every calendar's public holidays by name, as local dates `YYYY-MM-DD`. */
export interface HolidayTable {
  /** Where the dates come from, e.g. `date-holidays 3.37.0`. */
  readonly source: string;
  /** First date covered, `YYYY-MM-DD`. */
  readonly from: string;
  /** Last date covered, `YYYY-MM-DD`. */
  readonly until: string;
  /** English country names by ISO 3166 code, for "did you mean" messages. */
  readonly countries: Record<string, string>;
  /** `CC` or `CC-STATE` -> holiday name -> dates. */
  readonly calendars: Record<string, Record<string, string[]>>;
}

/** Synth warns when the holiday dates of a plan end sooner than this. */
export const HOLIDAY_HORIZON_WARNING_DAYS = 183;

const DAY = 24 * 60 * 60 * 1000;

let table: HolidayTable | undefined;

/** The table, read on first use (about 1 MiB of JSON; the release controller never reads it). */
export function holidayTable(): HolidayTable {
  return (table ??= JSON.parse(fs.readFileSync(path.join(__dirname, 'holiday-table.json'), 'utf8')) as HolidayTable);
}

/** The range of dates the table, and so every plan built with this version, covers. */
export function holidayHorizon(): { from: string; until: string; source: string } {
  const t = holidayTable();
  return { from: t.from, until: t.until, source: t.source };
}

/**
 * The public holidays of a calendar that fall on the given weekdays (`Date.getUTCDay()` numbers of
 * the local date), in date order: the holidays that close a window open on those weekdays. A day
 * with several holidays gets one entry naming them all.
 */
export function publicHolidaysOn(calendar: string, weekdays: ReadonlySet<number>): PublicHoliday[] {
  const dates = holidayTable().calendars[calendar.toUpperCase()];
  if (dates === undefined) throw new Error(`"${calendar}" is not a public-holiday calendar of ${holidayTable().source}`);
  const names = new Map<string, string[]>();
  for (const [name, days] of Object.entries(dates)) {
    for (const date of days) {
      if (!weekdays.has(new Date(`${date}T00:00:00Z`).getUTCDay())) continue;
      names.set(date, [...(names.get(date) ?? []), name]);
    }
  }
  return [...names.keys()].sort().map((date) => ({ date, name: names.get(date)!.sort().join(', ') }));
}

/**
 * Why a `holidayCountry` value cannot be used, or `undefined` when the table has that calendar.
 * The message names the bad value and the fix.
 */
export function holidayCountryProblem(value: string): string | undefined {
  const t = holidayTable();
  const match = /^([A-Za-z]{2})(?:-([A-Za-z0-9]{1,3}))?$/.exec(value);
  if (!match) {
    const byName = Object.entries(t.countries).find(([, name]) => name.toLowerCase() === value.toLowerCase());
    return `${JSON.stringify(value)} is not an ISO 3166 country code; ${byName
      ? `did you mean "${byName[0]}"?`
      : 'use a code like "IE" or "US-VA" (country-state), or set publicHolidays: false'}`;
  }
  const country = match[1].toUpperCase();
  if (!(country in t.countries)) {
    return `"${value}" is not a country of the public-holiday calendar (${t.source}); use an ISO 3166 code like "IE" or "US-VA", or set publicHolidays: false`;
  }
  if (match[2] !== undefined && !(`${country}-${match[2].toUpperCase()}` in t.calendars)) {
    const known = Object.keys(t.calendars).filter((code) => code.startsWith(`${country}-`));
    return known.length === 0
      ? `"${value}": the public-holiday calendar of ${country} has no states; use "${country}"`
      : `"${value}": the public-holiday calendar of ${country} has no state "${match[2]}"; use "${country}" or one of ${known.join(', ')}`;
  }
  return undefined;
}

/**
 * A warning for synth when the holiday dates of a plan end within six months of `now`: past that
 * date its window gates fail closed. `undefined` when no window uses public holidays, or the dates
 * reach further. `now` is the synth's clock, passed in by the construct.
 */
export function holidayHorizonWarning(plan: ReleasePlan, now: Date): string | undefined {
  const windows = plan.stages.flatMap((s) => s.regions).flatMap((r) => (r.window ? [r.window] : []));
  const ends = windows.filter((w) => w.holidayCountry !== undefined).map((w) => w.holidaysUntil ?? '0000-01-01');
  if (ends.length === 0) return undefined;
  const until = ends.sort()[0];
  const msLeft = Date.parse(`${until}T00:00:00Z`) + DAY - now.getTime();
  const daysLeft = Math.floor(Math.abs(msLeft) / DAY);
  if (msLeft >= HOLIDAY_HORIZON_WARNING_DAYS * DAY) return undefined;
  const when = `${msLeft > 0 ? 'in ' : ''}${daysLeft} day${daysLeft === 1 ? '' : 's'}${msLeft > 0 ? '' : ' ago'}`;
  return `the public-holiday dates in the plan of ${plan.pipelineName} end on ${until}, ${when} (less than six months); `
    + 'after that date its window gates fail closed. Upgrade cdk-wave-pipelines (its holiday table reaches further) and redeploy the pipeline, '
    + 'or set publicHolidays: false and list the closures as blackouts.';
}

/** The window with the public holidays of its calendar resolved into dates, closing days it would be open. */
export function withPublicHolidays(window: ResolvedWindow, openWeekdays: ReadonlySet<number>): ResolvedWindow {
  if (window.holidayCountry === undefined) return window;
  const horizon = holidayHorizon();
  return {
    ...window,
    holidays: publicHolidaysOn(window.holidayCountry, openWeekdays),
    holidaysFrom: horizon.from,
    holidaysUntil: horizon.until,
  };
}
