/**
 * Judging one deployment window at an instant: open or closed, why, and when that changes.
 *
 * Everything here takes the moment to judge as an argument (`now`), so the window gate Lambda, the
 * schedule simulator and the tests can replay any instant: a daylight-saving change, New Year, a
 * blackout day.
 */
import { ResolvedWindow } from '../plan';
import { DEFAULT_HORIZON_DAYS, beyondHolidayDates, closingMs, compile, dayClosedReason, dayInterval, isoDate, localDay, nextOpeningMs } from './compiled';
import { hoursText } from './describe';
import { weekdayName } from './weekdays';

/** Where a window stands at one instant. */
export interface WindowStatus {
  /** Whether a deployment may start now. */
  readonly open: boolean;
  /** Why the window is open or closed, in words, e.g. `Friday is not an allowed weekday`. */
  readonly reason: string;
  /** When the window next opens (closed only; absent when it does not open within the horizon). */
  readonly opensAt?: Date;
  /** When the current opening ends (open only; absent when the window never closes). */
  readonly closesAt?: Date;
}

/**
 * Why the window can never open again from `now` on, or `undefined`: the local date of `now` is
 * past the holiday dates of the plan (its holiday horizon). A window gate then fails at once
 * instead of holding: only a redeployed plan can open it.
 */
export function holidayHorizonPassed(window: ResolvedWindow, now: Date): string | undefined {
  const cw = compile(window);
  if (cw.holidayCountry === undefined) return undefined;
  const date = isoDate(localDay(cw.zone, now.getTime()));
  return date > cw.holidaysUntil ? beyondHolidayDates(cw, date) : undefined;
}

/** Whether a deployment may start at `now`. */
export function isOpen(window: ResolvedWindow, now: Date): boolean {
  const cw = compile(window);
  const t = now.getTime();
  const day = localDay(cw.zone, t);
  if (dayClosedReason(cw, day) !== undefined) return false;
  const interval = dayInterval(cw, day);
  return interval !== undefined && interval.start <= t && t < interval.end;
}

/**
 * The first instant at or after `now` at which the window is open: `now` itself when it is open,
 * `undefined` when it does not open within `horizonDays` days.
 */
export function nextOpening(window: ResolvedWindow, now: Date, horizonDays: number = DEFAULT_HORIZON_DAYS): Date | undefined {
  const opening = nextOpeningMs(compile(window), now.getTime(), horizonDays);
  if (opening === undefined) return undefined;
  return opening === now.getTime() ? now : new Date(opening);
}

/** Whether the window is open at `now`, why, and when that changes. */
export function windowStatus(window: ResolvedWindow, now: Date): WindowStatus {
  const cw = compile(window);
  const t = now.getTime();
  const day = localDay(cw.zone, t);
  const dayReason = dayClosedReason(cw, day);
  const interval = dayReason === undefined ? dayInterval(cw, day) : undefined;
  if (interval !== undefined && interval.start <= t && t < interval.end) {
    const closesAt = closingMs(cw, day, interval.end);
    return {
      open: true,
      reason: `inside hours ${hoursText(window)} ${window.timeZone} on ${weekdayName(new Date(day).getUTCDay())}`,
      ...(closesAt !== undefined ? { closesAt: new Date(closesAt) } : {}),
    };
  }
  let reason = dayReason ?? `outside hours ${hoursText(window)} ${window.timeZone}`;
  if (dayReason === undefined && interval === undefined) {
    reason += ` (those hours do not exist on ${isoDate(day)}: the clocks change)`;
  }
  const opensAt = nextOpeningMs(cw, t, DEFAULT_HORIZON_DAYS);
  return { open: false, reason, ...(opensAt !== undefined ? { opensAt: new Date(opensAt) } : {}) };
}
