/**
 * Several windows at once: the regions of one CodePipeline stage pass their window gate together,
 * so the stage may only start at an instant inside all of their windows.
 */
import { ResolvedWindow } from '../plan';
import { CompiledWindow, DAY, DEFAULT_HORIZON_DAYS, compile, localDay, nextOpeningMs } from './compiled';
import { listText } from './describe';
import { windowStatus } from './evaluate';

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
