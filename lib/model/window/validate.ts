/**
 * Validating a deployment window declaration: every problem, each with its field path, the bad
 * value and the fix.
 */
import { IANAZone } from 'luxon';
import { DeploymentWindowSpec } from '../declaration';
import { closestName } from '../did-you-mean';
import { holidayCountryProblem } from '../holidays';
import { Problem } from '../problem';
import { regionInfo } from '../regions';
import { blackoutProblem } from './blackouts';
import { DEFAULT_END_HOUR, DEFAULT_START_HOUR } from './resolve';
import { WEEKDAY_ORDER } from './weekdays';

/**
 * Every problem of a window declaration. `path` is the field path of the window, e.g.
 * `production.window`; each problem's path extends it (`production.window.timeZone`) and its
 * message names the bad value and the fix. `region` is the region the defaults come from, when known.
 */
export function validateWindow(spec: DeploymentWindowSpec, path: string, region?: string): Problem[] {
  const problems: Problem[] = [];
  const add = (field: string, message: string) => problems.push({ path: `${path}.${field}`, message });

  if (spec.timeZone !== undefined) {
    if (typeof spec.timeZone !== 'string' || !IANAZone.isValidZone(spec.timeZone)) {
      const suggestion = typeof spec.timeZone === 'string' ? suggestTimeZone(spec.timeZone) : undefined;
      add('timeZone', `${JSON.stringify(spec.timeZone)} is not an IANA time zone; ${suggestion
        ? `did you mean "${suggestion}"?`
        : 'use a name from the IANA time zone database, e.g. "Europe/Dublin" or "America/New_York"'}`);
    }
  } else if (region !== undefined && regionInfo(region) === undefined) {
    add('timeZone', `not set, and region "${region}" has no known time zone to default to; set timeZone, e.g. "Europe/Dublin"`);
  }

  if (spec.weekdays !== undefined) {
    if (spec.weekdays.length === 0) {
      add('weekdays', '[] lists no weekday, so the window has no open hour in any week; list at least one, e.g. [Weekday.MONDAY], or remove the window');
    }
    const seen = new Map<string, number>();
    spec.weekdays.forEach((day, i) => {
      if (!WEEKDAY_ORDER.includes(day)) {
        add(`weekdays[${i}]`, `${JSON.stringify(day)} is not a weekday; use one of ${WEEKDAY_ORDER.join(', ')} (Weekday.MONDAY..Weekday.SUNDAY)`);
      } else if (seen.has(day)) {
        add(`weekdays[${i}]`, `"${day}" is listed twice (also weekdays[${seen.get(day)}]); remove the duplicate`);
      } else {
        seen.set(day, i);
      }
    });
  }

  const startOk = checkHour(spec.startHour, 0, 23, 'startHour', add);
  const endOk = checkHour(spec.endHour, 1, 24, 'endHour', add);
  if (startOk && endOk) {
    const start = spec.startHour ?? DEFAULT_START_HOUR;
    const end = spec.endHour ?? DEFAULT_END_HOUR;
    const endText = spec.endHour === undefined ? `${end} (the default)` : `${end}`;
    const startText = spec.startHour === undefined ? `${start} (the default)` : `${start}`;
    if (end === start) {
      add('endHour', `${endText} equals startHour ${startText}, so the window has no open hour in any week; set endHour after startHour, e.g. endHour: ${start + 1}`);
    } else if (end < start) {
      add('endHour', `${endText} is before startHour ${startText}; a window cannot wrap past midnight, so set endHour to an hour after ${start}, up to 24`);
    }
  }

  (spec.blackouts ?? []).forEach((value, i) => {
    const message = blackoutProblem(value);
    if (message !== undefined) add(`blackouts[${i}]`, message);
  });

  // A resolved window (a plan's) carries its holidays as dates: the calendar is only their label,
  // and the release controller, which validates its plan, has no holiday table to look it up in.
  const resolvedDates = (spec as { holidaysUntil?: unknown }).holidaysUntil !== undefined;
  if (spec.publicHolidays !== false && spec.holidayCountry !== undefined && !resolvedDates) {
    const message = holidayCountryProblem(spec.holidayCountry);
    if (message !== undefined) add('holidayCountry', message);
  } else if (spec.publicHolidays !== false && region !== undefined && regionInfo(region) === undefined) {
    add('holidayCountry', `not set, and region "${region}" has no known public-holiday calendar; set holidayCountry, e.g. "IE", or publicHolidays: false`);
  }
  return problems;
}

function checkHour(value: number | undefined, min: number, max: number, field: string, add: (field: string, message: string) => void): boolean {
  if (value === undefined) return true;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    add(field, `${JSON.stringify(value)} is not a whole hour; windows open and close on the hour, use a whole number from ${min} to ${max}`);
    return false;
  }
  if (value < min || value > max) {
    const note = max === 24 ? ' (24 = midnight at the end of the day)' : '';
    add(field, `${value} is out of range; use a whole hour from ${min} to ${max}${note}`);
    return false;
  }
  return true;
}

/** The IANA zone closest to a misspelt name, for "did you mean" messages. */
function suggestTimeZone(name: string): string | undefined {
  return closestName(name, ianaZoneNames(), Math.max(2, Math.floor(name.length / 4)));
}

/** Every IANA zone name the runtime knows (typed by hand: jsii compiles against an older `lib`). */
function ianaZoneNames(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? [];
}
