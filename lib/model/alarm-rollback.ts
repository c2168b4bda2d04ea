/**
 * The contract between `ReleaseMonitor`, which deploys a target's alarm rollback, and the function
 * itself (lib/runtime/alarm-rollback.ts): its environment, and how long after a deployment an
 * ALARM still undoes it.
 */

/** The alarm rollback's environment variables. */
export const ALARM_ROLLBACK_ENV = {
  pipelineName: 'WAVE_PIPELINE_NAME',
  targetId: 'WAVE_TARGET_ID',
  targetKind: 'WAVE_TARGET_KIND',
  account: 'WAVE_TARGET_ACCOUNT',
  windowMinutes: 'WAVE_ROLLBACK_WINDOW_MINUTES',
} as const;

/**
 * Minutes past the bake time a deployment stays young enough for the alarm rollback to undo: the
 * deployment itself, the region's validations and the controller deciding the bake all happen
 * between the alias moving and the bake ending.
 */
export const ALARM_ROLLBACK_MARGIN_MINUTES = 60;

/** The default window of a target whose region's longest bake lasts `bakeMinutes`. */
export function defaultAlarmRollbackWindowMinutes(bakeMinutes: number): number {
  return bakeMinutes + ALARM_ROLLBACK_MARGIN_MINUTES;
}
