// CONTRACT STUB — implemented by the window work (see lib/model/window.ts).
import { ResolvedWindow } from './plan';

/** State of the stop-all-releases switch as read at run time. */
export type StopSwitchState = 'ON' | 'OFF' | 'MISSING' | 'UNREADABLE';

export interface WindowGateInput {
  readonly window?: ResolvedWindow;
  readonly now: Date;
  readonly stopSwitch: StopSwitchState;
  /** When the gate started holding (the approval action's start time). */
  readonly heldSince: Date;
  readonly maxHoldMinutes: number;
}

export interface WindowGateDecision {
  readonly decision: 'OPEN' | 'HOLD' | 'FAIL';
  /** One sentence a person reads in logs and in the approval summary. */
  readonly reason: string;
  /** When the window next opens (HOLD only, when known). */
  readonly opensAt?: Date;
}

export function decideWindowGate(_input: WindowGateInput): WindowGateDecision {
  throw new Error('decideWindowGate: not implemented yet');
}
