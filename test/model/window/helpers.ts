import { Weekday } from '../../../lib/model/declaration';
import { ResolvedWindow } from '../../../lib/model/plan';
import { resolveWindow } from '../../../lib/model/window/resolve';

export const { MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY } = Weekday;

/** A window with no public holidays, so DST cases are not hidden by Easter or Labour Day. */
export function sundays(timeZone: string, startHour: number, endHour: number): ResolvedWindow {
  return resolveWindow({ timeZone, weekdays: [SUNDAY], startHour, endHour, publicHolidays: false }, 'us-east-1');
}

export const iso = (d: Date | undefined) => d?.toISOString();
