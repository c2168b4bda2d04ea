/**
 * Describing deployment windows in words a person reads, e.g.
 * `Mon-Thu 09:00-17:00 Europe/Dublin, closed on IE public holidays, 1 blackout`.
 */
import { ResolvedWindow } from '../plan';
import type { RegionWindow } from './common';
import { compile } from './compiled';
import { WEEKDAY_NAMES, WEEKDAY_ORDER, sortWeekdays, weekdayName } from './weekdays';

const MINUTE = 60_000;

/**
 * One line a person reads about the window gate of a stage, e.g. `opens when every region's window is open:
 * us-west-2 Mon-Thu 09:00-17:00 America/Los_Angeles, closed on US-OR public holidays; sa-east-1 ...`.
 */
export function describeCommonWindow(entries: readonly RegionWindow[]): string {
  if (entries.length === 0) return 'none';
  const each = entries.map((e) => `${e.region} ${describeWindow(e.window)}`);
  return entries.length === 1 ? each[0] : `opens when every region's window is open: ${each.join('; ')}`;
}

/** `a, b and c`. */
export function listText(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** One line a person reads, e.g. `Mon-Thu 09:00-17:00 Europe/Dublin, closed on IE public holidays, 1 blackout`. */
export function describeWindow(window: ResolvedWindow): string {
  const parts = [`${weekdaysText(window.weekdays)} ${hoursText(window)} ${window.timeZone}`];
  if (window.holidayCountry !== undefined) parts.push(`closed on ${window.holidayCountry} public holidays`);
  const n = window.blackouts.length;
  if (n > 0) parts.push(`${n} blackout${n === 1 ? '' : 's'}`);
  return parts.join(', ');
}

/** Local date and time of an instant in the window's zone, e.g. `Mon 2026-03-09 09:00 America/New_York`. */
export function formatLocal(window: ResolvedWindow, instant: Date): string {
  const zone = compile(window).zone;
  const local = new Date(instant.getTime() + zone.offset(instant.getTime()) * MINUTE);
  const weekday = weekdayName(local.getUTCDay()).slice(0, 3);
  return `${weekday} ${local.toISOString().slice(0, 10)} ${local.toISOString().slice(11, 16)} ${window.timeZone}`;
}

/** `09:00-17:00`: a window's local opening hours. */
export function hoursText(window: Pick<ResolvedWindow, 'startHour' | 'endHour'>): string {
  return `${String(window.startHour).padStart(2, '0')}:00-${String(window.endHour).padStart(2, '0')}:00`;
}

function weekdaysText(weekdays: readonly string[]): string {
  const indexes = sortWeekdays(weekdays).map((d) => WEEKDAY_ORDER.indexOf(d)).filter((i) => i >= 0);
  if (indexes.length === 0) return 'no weekday';
  const label = (i: number) => WEEKDAY_NAMES[i].slice(0, 3);
  const runs: string[] = [];
  let first = 0;
  for (let k = 1; k <= indexes.length; k++) {
    if (k < indexes.length && indexes[k] === indexes[k - 1] + 1) continue;
    const run = indexes.slice(first, k);
    if (run.length >= 3) runs.push(`${label(run[0])}-${label(run[run.length - 1])}`);
    else runs.push(...run.map(label));
    first = k;
  }
  return runs.join(', ');
}
