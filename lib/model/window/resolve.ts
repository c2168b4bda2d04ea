/**
 * Resolving a deployment window: every default of a declaration filled in for one region, and its
 * public holidays turned into dates at synth time.
 */
import { DeploymentWindowSpec, Weekday } from '../declaration';
import { withPublicHolidays } from '../holidays';
import { ResolvedWindow } from '../plan';
import { regionInfo } from '../regions';
import { sortWeekdays, utcWeekdays } from './weekdays';

const DEFAULT_WEEKDAYS: readonly string[] = [Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY];
/** The local hour a window opens when the declaration does not say. */
export const DEFAULT_START_HOUR = 9;
/** The local hour a window closes when the declaration does not say. */
export const DEFAULT_END_HOUR = 17;

/**
 * A window with every default filled in for one region: the region's time zone, Monday to
 * Thursday, 09:00-17:00, closed on the public holidays of the region's country. The holidays are
 * resolved here, at synth time, into dates (`holidays`) for the holiday horizon
 * (`holidaysFrom`..`holidaysUntil`), so that judging the window needs no holiday library.
 *
 * Throws when a default is needed but the region is unknown; `validateWindow` reports that first.
 */
export function resolveWindow(spec: DeploymentWindowSpec | undefined, region: string): ResolvedWindow {
  const info = regionInfo(region);
  const timeZone = spec?.timeZone ?? info?.timeZone;
  if (timeZone === undefined) {
    throw new Error(`window of region "${region}": timeZone is not set and "${region}" has no known time zone to default to; set timeZone, e.g. "Europe/Dublin"`);
  }
  const publicHolidays = spec?.publicHolidays ?? true;
  const holidayCountry = publicHolidays ? (spec?.holidayCountry ?? info?.holidayCountry)?.toUpperCase() : undefined;
  if (publicHolidays && holidayCountry === undefined) {
    throw new Error(`window of region "${region}": public holidays are on but "${region}" has no known holiday calendar; set holidayCountry, e.g. "IE", or publicHolidays: false`);
  }
  const weekdays = sortWeekdays((spec?.weekdays as string[] | undefined) ?? [...DEFAULT_WEEKDAYS]);
  return withPublicHolidays({
    timeZone,
    weekdays,
    startHour: spec?.startHour ?? DEFAULT_START_HOUR,
    endHour: spec?.endHour ?? DEFAULT_END_HOUR,
    blackouts: [...(spec?.blackouts ?? [])],
    ...(holidayCountry !== undefined ? { holidayCountry } : {}),
  }, utcWeekdays(weekdays));
}

