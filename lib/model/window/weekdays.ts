/**
 * Weekdays of deployment windows: their order, names and the numbers `Date.getUTCDay()` gives them.
 */
import { Weekday } from '../declaration';

/** Monday-first, as `Weekday` values. */
export const WEEKDAY_ORDER: readonly string[] = [
  Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY, Weekday.SATURDAY, Weekday.SUNDAY,
];
/** Monday-first English names. */
export const WEEKDAY_NAMES: readonly string[] = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** The English name of a `Date.getUTCDay()` number (0 = Sunday). */
export function weekdayName(utcDay: number): string {
  return WEEKDAY_NAMES[(utcDay + 6) % 7];
}

/** Weekdays as `Date.getUTCDay()` numbers (0 = Sunday). */
export function utcWeekdays(weekdays: readonly string[]): Set<number> {
  return new Set(weekdays.map((d) => (WEEKDAY_ORDER.indexOf(d) + 1) % 7));
}

/** Weekdays without duplicates, Monday first. */
export function sortWeekdays(weekdays: readonly string[]): string[] {
  return [...new Set(weekdays)].sort((a, b) => WEEKDAY_ORDER.indexOf(a) - WEEKDAY_ORDER.indexOf(b));
}
