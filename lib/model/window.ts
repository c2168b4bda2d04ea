/**
 * Deployment windows: when a wave may start, read in the local wall-clock time of a time zone.
 *
 * Everything here takes the moment to judge as an argument (`now`), so the window gate Lambda, the
 * schedule simulator and the tests can replay any instant: a daylight-saving change, New Year, a
 * blackout day.
 *
 * Days are handled as civil dates (UTC midnight of the local date, in milliseconds) and converted to
 * instants only at the opening and closing hours, so `nextOpening` steps a day at a time.
 */
import { IANAZone } from 'luxon';
import { DeploymentWindowSpec, Weekday } from './declaration';
import { closestName } from './did-you-mean';
import { holidayCountryProblem, withPublicHolidays } from './holidays';
import { ResolvedWindow } from './plan';
import { Problem } from './problem';
import { regionInfo } from './regions';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Monday-first, as `Weekday` values. */
const WEEKDAY_ORDER: readonly string[] = [
  Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY, Weekday.SATURDAY, Weekday.SUNDAY,
];
const WEEKDAY_NAMES: readonly string[] = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTH_NAMES: readonly string[] = [
  'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December',
];

const DEFAULT_WEEKDAYS: readonly string[] = [Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY];
const DEFAULT_START_HOUR = 9;
const DEFAULT_END_HOUR = 17;
/** How far `nextOpening` looks ahead by default: a little over a year, so a yearly blackout cannot hide it. */
export const DEFAULT_HORIZON_DAYS = 400;

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

// ---------------------------------------------------------------------------------------------
// Resolving
// ---------------------------------------------------------------------------------------------

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

/** Weekdays as `Date.getUTCDay()` numbers (0 = Sunday). */
function utcWeekdays(weekdays: readonly string[]): Set<number> {
  return new Set(weekdays.map((d) => (WEEKDAY_ORDER.indexOf(d) + 1) % 7));
}

function sortWeekdays(weekdays: readonly string[]): string[] {
  return [...new Set(weekdays)].sort((a, b) => WEEKDAY_ORDER.indexOf(a) - WEEKDAY_ORDER.indexOf(b));
}

// ---------------------------------------------------------------------------------------------
// Validating
// ---------------------------------------------------------------------------------------------

const BLACKOUT_FORMAT = 'use YYYY-MM-DD for one day or YYYY-MM-DD..YYYY-MM-DD for an inclusive range';

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

/** The problem with one blackout entry, or `undefined` when it is well formed. */
function blackoutProblem(value: string): string | undefined {
  if (typeof value !== 'string') return `${JSON.stringify(value)} is not a blackout; ${BLACKOUT_FORMAT}`;
  const parts = value.split('..');
  if (parts.length > 2) return `"${value}" is not a date or date range; ${BLACKOUT_FORMAT}`;
  for (const part of parts) {
    const detail = dateProblem(part);
    if (detail !== undefined) return `"${value}" is not a valid blackout: ${detail}; ${BLACKOUT_FORMAT}`;
  }
  if (parts.length === 2 && parts[1] < parts[0]) {
    return `"${value}" ends before it starts; write the earlier date first: "${parts[1]}..${parts[0]}"`;
  }
  return undefined;
}

function dateProblem(text: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return `"${text}" is not in the form YYYY-MM-DD`;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12) return `${text} has month ${match[2]}, months are 01-12`;
  const days = daysInMonth(year, month);
  if (day < 1 || day > days) return `${text} does not exist, ${MONTH_NAMES[month - 1]} ${year} has ${days} days`;
  return undefined;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
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


// ---------------------------------------------------------------------------------------------
// Judging an instant
// ---------------------------------------------------------------------------------------------

interface Blackout {
  readonly from: string;
  readonly to: string;
  readonly text: string;
}

/** A resolved window prepared for fast repeated questions (the simulator asks thousands). */
interface CompiledWindow {
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

function compile(window: ResolvedWindow): CompiledWindow {
  const cached = compiled.get(window);
  if (cached) return cached;
  const zone = IANAZone.create(window.timeZone);
  if (!zone.isValid) throw new Error(`window: "${window.timeZone}" is not an IANA time zone`);
  const blackouts = window.blackouts.map((text) => {
    const problem = blackoutProblem(text);
    if (problem !== undefined) throw new Error(`window blackout ${problem}`);
    const [from, to] = text.split('..');
    return { from, to: to ?? from, text };
  });
  const result: CompiledWindow = {
    window,
    zone,
    days: utcWeekdays(window.weekdays),
    blackouts,
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
function localDay(zone: IANAZone, instant: number): number {
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
function dayInterval(cw: CompiledWindow, day: number): { start: number; end: number } | undefined {
  if (cw.intervals.has(day)) return cw.intervals.get(day);
  const start = firstInstantAtOrAfter(cw.zone, day + cw.window.startHour * HOUR);
  const end = firstInstantAtOrAfter(cw.zone, day + cw.window.endHour * HOUR);
  const interval = end > start ? { start, end } : undefined;
  cw.intervals.set(day, interval);
  return interval;
}

function isoDate(day: number): string {
  return new Date(day).toISOString().slice(0, 10);
}

/** Why a whole local day is closed (weekday, blackout, public holiday), or `undefined` if it is allowed. */
function dayClosedReason(cw: CompiledWindow, day: number): string | undefined {
  const weekday = new Date(day).getUTCDay();
  if (!cw.days.has(weekday)) return `${WEEKDAY_NAMES[(weekday + 6) % 7]} is not an allowed weekday`;
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
function beyondHolidayDates(cw: CompiledWindow, date: string): string | undefined {
  if (date > cw.holidaysUntil) {
    return `the plan's ${cw.holidayCountry} public-holiday dates end on ${cw.holidaysUntil} (its holiday horizon), so whether ${date} is a holiday is not known `
      + 'and the window stays closed; upgrade cdk-wave-pipelines and redeploy the pipeline to extend the dates';
  }
  if (date < cw.holidaysFrom) {
    return `the plan's ${cw.holidayCountry} public-holiday dates start on ${cw.holidaysFrom}, so whether ${date} is a holiday is not known and the window stays closed`;
  }
  return undefined;
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

function nextOpeningMs(cw: CompiledWindow, t: number, horizonDays: number): number | undefined {
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
function closingMs(cw: CompiledWindow, day: number, end: number): number | undefined {
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
      reason: `inside hours ${hoursText(window)} ${window.timeZone} on ${WEEKDAY_NAMES[(new Date(day).getUTCDay() + 6) % 7]}`,
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

// ---------------------------------------------------------------------------------------------
// Several windows at once (the regions of one CodePipeline stage)
// ---------------------------------------------------------------------------------------------

/** One region's window, as the window gate of a stage sees it. */
export interface RegionWindow {
  readonly region: string;
  readonly window: ResolvedWindow;
}

/** Where the windows of a stage's regions stand together at one instant. */
export interface CommonWindowStatus {
  /** Whether every window is open at that instant. */
  readonly open: boolean;
  /**
   * Why, in words: every region's reason when open; the first closed region and why otherwise,
   * and when the windows never share an open instant within the horizon, that too.
   */
  readonly reason: string;
  /** When every window is next open at once (closed only; absent when not within the horizon). */
  readonly opensAt?: Date;
}

/**
 * The first instant at or after `now` at which every window is open: `now` itself when they all
 * are (and for no window at all), `undefined` when that does not happen within `horizonDays` of
 * any window's local date of `now`.
 *
 * The regions of one CodePipeline stage pass their window gate together (run orders), so the
 * stage may only start at an instant inside all of their windows. Windows are half-open
 * intervals: one that opens at the instant another closes does not overlap it.
 */
export function nextCommonOpening(windows: readonly ResolvedWindow[], now: Date, horizonDays: number = DEFAULT_HORIZON_DAYS): Date | undefined {
  const opening = nextCommonOpeningMs(windows.map(compile), now.getTime(), horizonDays);
  if (opening === undefined) return undefined;
  return opening === now.getTime() ? now : new Date(opening);
}

function nextCommonOpeningMs(windows: readonly CompiledWindow[], now: number, horizonDays: number): number | undefined {
  if (windows.length === 0) return now;
  // Each window looks no further than its own horizon, counted from its local date of `now`, so
  // one window gives the same answer as `nextOpening`.
  const lastDays = windows.map((cw) => localDay(cw.zone, now) + horizonDays * DAY);
  let t = now;
  // Every step moves `t` to an opening of some window (a window closed during [t, next) rules out
  // every instant in between), so there are at most as many steps as openings in the horizon.
  const maxSteps = windows.length * (horizonDays + 2) + 1;
  for (let step = 0; step < maxSteps; step++) {
    let latest = t;
    for (let i = 0; i < windows.length; i++) {
      const cw = windows[i];
      const daysLeft = Math.round((lastDays[i] - localDay(cw.zone, t)) / DAY);
      if (daysLeft < 0) return undefined;
      const opening = nextOpeningMs(cw, t, daysLeft);
      if (opening === undefined) return undefined;
      latest = Math.max(latest, opening);
    }
    if (latest === t) return t;
    t = latest;
  }
  throw new Error(`nextCommonOpening: no answer after ${maxSteps} steps from ${new Date(now).toISOString()}; this is a bug in cdk-wave-pipelines`);
}

/**
 * Whether the windows of a stage's regions are all open at `now`, why, and when they next are.
 * An empty list is open: no region waits for a window.
 */
export function commonWindowStatus(entries: readonly RegionWindow[], now: Date): CommonWindowStatus {
  if (entries.length === 0) return { open: true, reason: 'no region has a deployment window' };
  const statuses = entries.map((e) => ({ region: e.region, status: windowStatus(e.window, now) }));
  const closed = statuses.find((s) => !s.status.open);
  if (!closed) {
    if (statuses.length === 1) return { open: true, reason: `window of ${statuses[0].region} open: ${statuses[0].status.reason}` };
    return {
      open: true,
      reason: `windows of all ${statuses.length} regions open: ${statuses.map((s) => `${s.region} ${s.status.reason}`).join('; ')}`,
    };
  }
  const why = `window of ${closed.region} closed: ${closed.status.reason}`;
  const opensAt = nextCommonOpening(entries.map((e) => e.window), now);
  if (opensAt !== undefined) return { open: false, reason: why, opensAt };
  const never = statuses.find((s) => !s.status.open && s.status.opensAt === undefined);
  if (never) {
    return { open: false, reason: `${why}; the window of ${never.region} does not open within the next ${DEFAULT_HORIZON_DAYS} days` };
  }
  return {
    open: false,
    reason: `${why}; the windows of ${listText(entries.map((e) => e.region))} are never all open at the same instant `
      + `within the next ${DEFAULT_HORIZON_DAYS} days (they do not overlap), so the stage cannot start`,
  };
}

/**
 * One line a person reads about the window gate of a stage, e.g. `opens when every region's window is open:
 * us-west-2 Mon-Thu 09:00-17:00 America/Los_Angeles, closed on US-OR public holidays; sa-east-1 ...`.
 */
export function describeCommonWindow(entries: readonly RegionWindow[]): string {
  if (entries.length === 0) return 'none';
  const each = entries.map((e) => `${e.region} ${describeWindow(e.window)}`);
  return entries.length === 1 ? each[0] : `opens when every region's window is open: ${each.join('; ')}`;
}

function listText(items: readonly string[]): string {
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
  const weekday = WEEKDAY_NAMES[(local.getUTCDay() + 6) % 7].slice(0, 3);
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

// ---------------------------------------------------------------------------------------------
// Public API (jsii: static methods instead of free functions, no union types)
// ---------------------------------------------------------------------------------------------

/**
 * Deployment windows: resolve a declaration for a region and ask whether, and when, a deployment
 * may start. Every method takes the moment to judge as an argument.
 */
export class DeploymentWindow {
  /**
   * Fill in every default of a window for one region.
   * @param spec the declared window; `{}` for the default window
   * @param region the AWS region whose time zone and public holidays are the defaults
   */
  public static resolve(spec: DeploymentWindowSpec, region: string): ResolvedWindow {
    return resolveWindow(spec, region);
  }

  /** Whether a deployment may start at `now`. */
  public static isOpen(window: ResolvedWindow, now: Date): boolean {
    return isOpen(window, now);
  }

  /**
   * The first instant at or after `now` at which the window is open (`now` itself when it is open).
   * @param horizonDays how many days ahead to look (default 400)
   * @returns `undefined` when the window does not open within the horizon
   */
  public static nextOpening(window: ResolvedWindow, now: Date, horizonDays?: number): Date | undefined {
    return nextOpening(window, now, horizonDays ?? DEFAULT_HORIZON_DAYS);
  }

  /** Why the window is open or closed at `now`, in words, e.g. `Friday is not an allowed weekday`. */
  public static explain(window: ResolvedWindow, now: Date): string {
    return windowStatus(window, now).reason;
  }

  /** One line describing the window, e.g. `Mon-Thu 09:00-17:00 Europe/Dublin, closed on IE public holidays, 1 blackout`. */
  public static describe(window: ResolvedWindow): string {
    return describeWindow(window);
  }

  /**
   * The first instant at or after `now` when every window is open at once: when a wave of regions
   * with these windows may start. `undefined` when they never share an open instant within the horizon.
   */
  public static nextCommonOpening(windows: ResolvedWindow[], now: Date, horizonDays?: number): Date | undefined {
    return nextCommonOpening(windows, now, horizonDays);
  }

  private constructor() {}
}
