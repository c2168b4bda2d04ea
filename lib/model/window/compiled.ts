/**
 * A resolved window prepared for fast repeated questions about instants (the simulator asks
 * thousands): its zone, allowed days, blackouts and holiday dates, with each day's open interval
 * cached.
 *
 * Days are handled as civil dates (UTC midnight of the local date, in milliseconds) and converted to
 * instants only at the opening and closing hours, so looking for an opening steps a day at a time.
 */
import { IANAZone } from 'luxon';
import { ResolvedWindow } from '../plan';
import { Blackout, parseBlackout } from './blackouts';
import { utcWeekdays, weekdayName } from './weekdays';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** A civil day, in milliseconds. */
export const DAY = 24 * HOUR;

/** How far the search for an opening looks ahead by default: a little over a year, so a yearly blackout cannot hide it. */
export const DEFAULT_HORIZON_DAYS = 400;

/** A resolved window prepared for fast repeated questions. */
export interface CompiledWindow {
  readonly window: ResolvedWindow;
  readonly zone: IANAZone;
  /** Allowed days as `Date.getUTCDay()` numbers (0 = Sunday). */
  readonly days: ReadonlySet<number>;
  readonly blackouts: readonly Blackout[];
  readonly holidayCountry?: string;
  /** Holiday names by local date, from the plan. */
  readonly holidays: ReadonlyMap<string, string>;
  /** The local dates the holiday dates cover; outside them a window with a holiday calendar is closed. */
  readonly holidaysFrom: string;
  readonly holidaysUntil: string;
  /** `dayInterval` by civil date; the zone's offsets are slow to read and stage windows ask again and again. */
  readonly intervals: Map<number, { start: number; end: number } | undefined>;
}

const compiled = new WeakMap<ResolvedWindow, CompiledWindow>();

/** The window prepared once (cached per window object). */
export function compile(window: ResolvedWindow): CompiledWindow {
  const cached = compiled.get(window);
  if (cached) return cached;
  const zone = IANAZone.create(window.timeZone);
  if (!zone.isValid) throw new Error(`window: "${window.timeZone}" is not an IANA time zone`);
  const result: CompiledWindow = {
    window,
    zone,
    days: utcWeekdays(window.weekdays),
    blackouts: window.blackouts.map(parseBlackout),
    holidayCountry: window.holidayCountry?.toUpperCase(),
    holidays: new Map((window.holidays ?? []).map((h) => [h.date, h.name])),
    // A window with a calendar but no dates (a plan from before dates were resolved) knows no day: closed.
    holidaysFrom: window.holidaysFrom ?? '9999-12-31',
    holidaysUntil: window.holidaysUntil ?? '0000-01-01',
    intervals: new Map(),
  };
  compiled.set(window, result);
  return result;
}

/** Civil date (UTC midnight of the local date) of an instant in a zone. */
export function localDay(zone: IANAZone, instant: number): number {
  const local = instant + zone.offset(instant) * MINUTE;
  return Math.floor(local / DAY) * DAY;
}

/**
 * The first instant at which the local clock reads `wall` (a civil date-time as UTC milliseconds)
 * or later. An hour that repeats when clocks go back counts from its first occurrence; an hour
 * skipped when clocks go forward starts when the clocks jump past it.
 */
function firstInstantAtOrAfter(zone: IANAZone, wall: number): number {
  const before = zone.offset(wall - DAY);
  const after = zone.offset(wall + DAY);
  const earlier = wall - Math.max(before, after) * MINUTE;
  const later = wall - Math.min(before, after) * MINUTE;
  if (earlier + zone.offset(earlier) * MINUTE === wall) return earlier;
  if (later + zone.offset(later) * MINUTE === wall) return later;
  // In a spring-forward gap: the clock jumps over `wall` at the moment computed with the old offset.
  return wall - before * MINUTE;
}

/** The open interval of one allowed day, or `undefined` when none of its hours exist (DST gap). */
export function dayInterval(cw: CompiledWindow, day: number): { start: number; end: number } | undefined {
  if (cw.intervals.has(day)) return cw.intervals.get(day);
  const start = firstInstantAtOrAfter(cw.zone, day + cw.window.startHour * HOUR);
  const end = firstInstantAtOrAfter(cw.zone, day + cw.window.endHour * HOUR);
  const interval = end > start ? { start, end } : undefined;
  cw.intervals.set(day, interval);
  return interval;
}

/** `YYYY-MM-DD` of a civil date. */
export function isoDate(day: number): string {
  return new Date(day).toISOString().slice(0, 10);
}

/** Why a whole local day is closed (weekday, blackout, public holiday), or `undefined` if it is allowed. */
export function dayClosedReason(cw: CompiledWindow, day: number): string | undefined {
  const weekday = new Date(day).getUTCDay();
  if (!cw.days.has(weekday)) return `${weekdayName(weekday)} is not an allowed weekday`;
  if (cw.blackouts.length === 0 && cw.holidayCountry === undefined) return undefined;
  const date = isoDate(day);
  const blackout = cw.blackouts.find((b) => b.from <= date && date <= b.to);
  if (blackout) return `blackout ${blackout.text}`;
  if (cw.holidayCountry !== undefined) {
    const beyond = beyondHolidayDates(cw, date);
    if (beyond !== undefined) return beyond;
    const names = cw.holidays.get(date);
    if (names !== undefined) return `public holiday in ${cw.holidayCountry}: ${names}`;
  }
  return undefined;
}

/** Why a local date lies outside the holiday dates of the plan, or `undefined` inside them. */
export function beyondHolidayDates(cw: CompiledWindow, date: string): string | undefined {
  if (date > cw.holidaysUntil) {
    return `the plan's ${cw.holidayCountry} public-holiday dates end on ${cw.holidaysUntil} (its holiday horizon), so whether ${date} is a holiday is not known `
      + 'and the window stays closed; upgrade cdk-wave-pipelines and redeploy the pipeline to extend the dates';
  }
  if (date < cw.holidaysFrom) {
    return `the plan's ${cw.holidayCountry} public-holiday dates start on ${cw.holidaysFrom}, so whether ${date} is a holiday is not known and the window stays closed`;
  }
  return undefined;
}

/** The first open instant at or after `t` within `horizonDays` local days, or `undefined`. */
export function nextOpeningMs(cw: CompiledWindow, t: number, horizonDays: number): number | undefined {
  const today = localDay(cw.zone, t);
  for (let i = 0; i <= horizonDays; i++) {
    const day = today + i * DAY;
    if (dayClosedReason(cw, day) !== undefined) continue;
    const interval = dayInterval(cw, day);
    if (interval === undefined || interval.end <= t) continue;
    return Math.max(interval.start, t);
  }
  return undefined;
}

/** When the opening that contains `t` ends, following on into the next days when they open right away. */
export function closingMs(cw: CompiledWindow, day: number, end: number): number | undefined {
  let closing = end;
  for (let i = 1; i <= DEFAULT_HORIZON_DAYS; i++) {
    const next = day + i * DAY;
    if (dayClosedReason(cw, next) !== undefined) return closing;
    const interval = dayInterval(cw, next);
    if (interval === undefined || interval.start !== closing) return closing;
    closing = interval.end;
  }
  return undefined;
}
