/**
 * The public API of deployment windows (jsii: static methods instead of free functions, no union types).
 */
import { DeploymentWindowSpec } from '../declaration';
import { ResolvedWindow } from '../plan';
import { nextCommonOpening } from './common';
import { DEFAULT_HORIZON_DAYS } from './compiled';
import { describeWindow } from './describe';
import { isOpen, nextOpening, windowStatus } from './evaluate';
import { resolveWindow } from './resolve';

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
