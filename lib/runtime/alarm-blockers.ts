/* eslint-disable import/no-extraneous-dependencies -- types only; the SDK itself loads on first use (aws-clients.ts `sdk`) */
/**
 * Alarm blockers, as in Amazon's own pipelines: while the release-health alarm of a target that
 * the release in flight already deployed and baked (its bake gate approved in this pipeline
 * execution) is in ALARM, no later gate of that release opens, and the target is rolled back.
 * A bake approved on a read that an ALARM overtook a second later is caught here.
 */
import { ClientFactory, errorText, isTransient, sdk } from './aws-clients';
import { ExecutionHistory } from './execution-history';
import { monitorRoleArn } from './rollback';
import { GATE, compositeAlarmName, parseGateToken } from '../model/naming';
import { PlannedTarget, ReleasePlan, findTarget } from '../model/plan';

/** Why a blocker holds the release. */
export const BLOCKER_STATE = {
  /** The target's release-health alarm is in ALARM: the target rolls back, later gates hold. */
  ALARM: 'ALARM',
  /** The alarm could not be read: later gates hold (fail closed), nothing rolls back. */
  UNREADABLE: 'UNREADABLE',
} as const;

export interface Blocker {
  /** The approved target, or `unknown` when the release's approvals could not be read. */
  readonly targetId: string;
  /** Absent when the release's approvals could not be read. */
  readonly target?: PlannedTarget;
  /** The pipeline execution (release) whose later gates it holds. */
  readonly executionId: string;
  /** A `BLOCKER_STATE`. */
  readonly state: string;
  /** One sentence naming the target, the alarm and what it said. */
  readonly reason: string;
}

/**
 * Targets whose bake gate the execution approved: a gate action (found by its token, in the
 * current definition or the action's own input configuration) that `Succeeded` in it.
 */
export async function approvedTargets(
  history: ExecutionHistory, plan: ReleasePlan, executionId: string, customDataOf: (stageName: string, actionName: string) => string | undefined,
): Promise<PlannedTarget[]> {
  const approved = new Map<string, PlannedTarget>();
  for (const detail of await history.actions(executionId)) {
    if (detail.status !== 'Succeeded') continue;
    const token = parseGateToken(customDataOf(detail.stageName ?? '', detail.actionName ?? '') ?? detail.input?.configuration?.CustomData);
    if (token?.gate !== GATE.BAKE) continue;
    const target = findTarget(plan, token.target);
    if (target) approved.set(target.id, target);
  }
  return [...approved.values()];
}

/**
 * Reads the release-health alarm of an approved target and returns a blocker when it is in ALARM
 * or cannot be read, `undefined` when it is OK or INSUFFICIENT_DATA.
 */
export async function blockerOf(clients: ClientFactory, plan: ReleasePlan, target: PlannedTarget, executionId: string): Promise<Blocker | undefined> {
  const alarmName = compositeAlarmName(plan.pipelineName, target.id);
  try {
    const targetClients = await clients.target({ account: target.account, region: target.region, roleArn: monitorRoleArn(plan, target) });
    const { AlarmType, DescribeAlarmsCommand } = sdk.cloudWatch();
    const out = await targetClients.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [alarmName], AlarmTypes: [AlarmType.CompositeAlarm] }));
    const alarm = out?.CompositeAlarms?.find((a) => a.AlarmName === alarmName);
    if (!alarm) {
      return {
        targetId: target.id,
        target,
        executionId,
        state: BLOCKER_STATE.UNREADABLE,
        reason: `release-health alarm ${alarmName} of ${target.id} (approved earlier in this release) does not exist; deploy the target's ReleaseMonitor`,
      };
    }
    if (alarm.StateValue !== 'ALARM') return undefined;
    return {
      targetId: target.id,
      target,
      executionId,
      state: BLOCKER_STATE.ALARM,
      reason: `alarm blocker: ${target.id}, approved earlier in this release (execution ${executionId}), is unhealthy: alarm ${alarmName} is in ALARM`
        + `${alarm.StateReason ? ` (${alarm.StateReason})` : ''}`,
    };
  } catch (err) {
    return {
      targetId: target.id,
      target,
      executionId,
      state: BLOCKER_STATE.UNREADABLE,
      reason: `release-health alarm ${alarmName} of ${target.id} (approved earlier in this release) could not be read${isTransient(err) ? ' this time' : ''}: ${errorText(err)}`,
    };
  }
}

/**
 * Blockers of the releases in flight: every approved target (only `onlyTarget`, for an alarm
 * event) whose release-health alarm is in ALARM or unreadable. A release whose approvals cannot be
 * read gets a blocker too: its later gates hold rather than open blind.
 */
export async function findBlockers(
  clients: ClientFactory, plan: ReleasePlan, history: ExecutionHistory, inFlight: string[],
  customDataOf: (stageName: string, actionName: string) => string | undefined, onlyTarget?: PlannedTarget,
): Promise<Blocker[]> {
  const blockers: Blocker[] = [];
  for (const executionId of inFlight) {
    let approved: PlannedTarget[];
    try {
      approved = await approvedTargets(history, plan, executionId, customDataOf);
    } catch (err) {
      blockers.push({
        targetId: 'unknown',
        executionId,
        state: BLOCKER_STATE.UNREADABLE,
        reason: `the targets execution ${executionId} already approved could not be read (ListActionExecutions): ${errorText(err)}`,
      });
      continue;
    }
    for (const target of approved) {
      if (onlyTarget && target.id !== onlyTarget.id) continue;
      const blocker = await blockerOf(clients, plan, target, executionId);
      if (blocker) blockers.push(blocker);
    }
  }
  return blockers;
}
