/**
 * The decision of a window gate: may this region of this wave start deploying now? Pure: the
 * runtime handler reads the stop switch and the clock, and passes both in.
 */
import { ResolvedWindow } from './plan';
import { formatLocal, windowStatus } from './window';

/** State of the stop-all-releases switch as read at run time. */
export type StopSwitchState = 'ON' | 'OFF' | 'MISSING' | 'UNREADABLE';

export interface WindowGateInput {
  readonly window?: ResolvedWindow;
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
 * 3. No window -> OPEN.
 * 4. Window open at `now` -> OPEN, however long the gate held before (the limit is for a window
 *    that stays closed, and it has just opened).
 * 5. Window closed and held longer than `maxHoldMinutes` -> FAIL: the wave did not deploy.
 * 6. Window closed -> HOLD, with `opensAt` when the window next opens.
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

  if (input.window === undefined) return { decision: 'OPEN', reason: 'no deployment window: the wave may deploy at any time' };

  const status = windowStatus(input.window, input.now);
  if (status.open) return { decision: 'OPEN', reason: `window open: ${status.reason}` };

  const heldMs = input.now.getTime() - input.heldSince.getTime();
  const opens = status.opensAt !== undefined
    ? `opens ${formatLocal(input.window, status.opensAt)} (${status.opensAt.toISOString()})`
    : 'does not open in the next 400 days';
  if (heldMs > input.maxHoldMinutes * 60_000) {
    return {
      decision: 'FAIL',
      reason: `held ${Math.floor(heldMs / 60_000)} min, longer than maxWindowHoldMinutes=${input.maxHoldMinutes}; the wave did not deploy (window closed: ${status.reason}; ${opens})`,
    };
  }
  return {
    decision: 'HOLD',
    reason: `window closed: ${status.reason}; ${opens}`,
    ...(status.opensAt !== undefined ? { opensAt: status.opensAt } : {}),
  };
}
