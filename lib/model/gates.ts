/**
 * The decision of a window gate: may this CodePipeline stage (a wave of regions) start deploying
 * now? Pure: the runtime handler reads the stop switch and the clock, and passes both in.
 *
 * CodePipeline runs a stage's actions by run order, so the regions of a wave pass their gate
 * together and then deploy together: one gate per stage, open only at an instant when every
 * region's window is open.
 */
import { RegionWindow, commonWindowStatus } from './window/common';
import { formatLocal } from './window/describe';
import { holidayHorizonPassed } from './window/evaluate';

/** State of the stop-all-releases switch as read at run time. */
export type StopSwitchState = 'ON' | 'OFF' | 'MISSING' | 'UNREADABLE';

export interface WindowGateInput {
  /** The window of every region of the stage that has one; empty = no window gate. */
  readonly windows: ReadonlyArray<RegionWindow>;
  readonly now: Date;
  readonly stopSwitch: StopSwitchState;
  /** When the gate started holding (the approval action's start time). */
  readonly heldSince: Date;
  readonly maxHoldMinutes: number;
  /**
   * Name of the stop-switch SSM parameter, quoted in the reason.
   * @default - "the stop switch parameter"
   */
  readonly stopSwitchName?: string;
}

export interface WindowGateDecision {
  readonly decision: 'OPEN' | 'HOLD' | 'FAIL';
  /** One sentence a person reads in logs and in the approval summary. */
  readonly reason: string;
  /** When the window next opens (HOLD only, when known). */
  readonly opensAt?: Date;
}

/**
 * Decides a window gate. The checks run in this order, and the first that applies decides:
 *
 * 1. Stop switch `ON` -> HOLD. An operator stopped all releases; that beats an open window, and it
 *    never turns into FAIL by itself, because the operator decides when releases resume.
 * 2. Stop switch `MISSING` or `UNREADABLE` -> HOLD. The gate fails closed: not knowing whether
 *    releases are stopped is treated as stopped, and the reason says how to repair the parameter.
 * 3. No window in any region of the stage -> OPEN.
 * 3a. The local date is past the holiday dates of some region's window (the plan's holiday
 *    horizon) -> FAIL at once: the window stays closed until a redeployed plan brings new dates,
 *    so holding would only delay the news.
 * 4. Every region's window open at `now` -> OPEN, however long the gate held before (the limit
 *    is for windows that stay closed, and they have just opened together).
 * 5. Some window closed and held longer than `maxHoldMinutes` -> FAIL: the wave did not deploy.
 *    Windows that are never open at the same instant within the horizon end here too: they hold
 *    like any closed window (the operator may be about to fix them) until the limit.
 * 6. Some window closed -> HOLD, naming the first closed region, with `opensAt` when every
 *    window is next open at once.
 */
export function decideWindowGate(input: WindowGateInput): WindowGateDecision {
  const switchName = input.stopSwitchName !== undefined ? `"${input.stopSwitchName}"` : 'parameter';
  switch (input.stopSwitch) {
    case 'ON':
      return { decision: 'HOLD', reason: `stop switch ${switchName} is ON: all releases are stopped; set it to OFF to resume` };
    case 'MISSING':
      return {
        decision: 'HOLD',
        reason: `stop switch ${switchName} could not be read: the SSM parameter does not exist, so the gate holds (fail closed); create it with value OFF to let releases run`,
      };
    case 'UNREADABLE':
      return {
        decision: 'HOLD',
        reason: `stop switch ${switchName} could not be read, so the gate holds (fail closed); grant the window gate ssm:GetParameter on it and check its value is ON or OFF`,
      };
    case 'OFF':
      break;
    default:
      // A value outside the type comes from an unvalidated caller; treat it like an unreadable switch.
      return {
        decision: 'HOLD',
        reason: `stop switch ${switchName} has the unknown state ${JSON.stringify(input.stopSwitch)}, so the gate holds (fail closed); set it to ON or OFF`,
      };
  }

  if (input.windows.length === 0) return { decision: 'OPEN', reason: 'no deployment window: the wave may deploy at any time' };

  for (const w of input.windows) {
    const passed = holidayHorizonPassed(w.window, input.now);
    if (passed !== undefined) return { decision: 'FAIL', reason: `window of ${w.region} closed (fail closed): ${passed}` };
  }

  const status = commonWindowStatus(input.windows, input.now);
  if (status.open) return { decision: 'OPEN', reason: status.reason };

  const heldMs = input.now.getTime() - input.heldSince.getTime();
  const closed = status.opensAt !== undefined ? `${status.reason}; ${opensText(input.windows, status.opensAt)}` : status.reason;
  if (heldMs > input.maxHoldMinutes * 60_000) {
    return {
      decision: 'FAIL',
      reason: `held ${Math.floor(heldMs / 60_000)} min, longer than maxWindowHoldMinutes=${input.maxHoldMinutes}; the wave did not deploy (${closed})`,
    };
  }
  return { decision: 'HOLD', reason: closed, ...(status.opensAt !== undefined ? { opensAt: status.opensAt } : {}) };
}

/** When the gate opens, in UTC and in each region's local time. */
function opensText(windows: ReadonlyArray<RegionWindow>, opensAt: Date): string {
  if (windows.length === 1) return `opens ${formatLocal(windows[0].window, opensAt)} (${opensAt.toISOString()})`;
  const local = windows.map((w) => `${w.region} ${formatLocal(w.window, opensAt)}`).join(', ');
  return `all ${windows.length} windows are next open together at ${opensAt.toISOString()} (${local})`;
}
