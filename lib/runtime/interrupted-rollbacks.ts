/**
 * Rollbacks left unfinished: the controller rolls a target back before it rejects the target's
 * bake gate, but a bake can also be rejected by a person, or by an older controller that died
 * between the two. The sweep finds such gates in the pipeline's state and finishes their rollback.
 */
import { errorText } from './aws-clients';
import { consoleDecisionLogger } from './decision-log';
import { ExecutionHistory } from './execution-history';
import { RollbackDeps, RollbackReport, rollbackActed, rollbackTarget } from './rollback';
import { findTarget } from '../model/plan';

/** A bake gate that was rejected (or timed out) in the stage's current standard execution. */
export interface RejectedBake {
  readonly target: string;
  readonly stageName: string;
  readonly actionName: string;
  readonly executionId: string;
}

/**
 * Rollbacks a crash interrupted: a bake gate rejected in the stage's current standard execution
 * (confirmed with ListActionExecutions, so an older execution's rejection shown by
 * GetPipelineState never rolls a newer release back) whose target still has a CodeDeploy
 * deployment in flight or a weighted alias, or whose failed stage did not roll back. Running the
 * rollback again is harmless: it touches only what is still in flight.
 */
export async function finishInterruptedRollbacks(
  deps: RollbackDeps, rejected: RejectedBake[], history: ExecutionHistory, done: Set<string>,
): Promise<RollbackReport[]> {
  const reports: RollbackReport[] = [];
  for (const bake of rejected) {
    if (done.has(bake.target)) continue;
    const target = findTarget(deps.plan, bake.target);
    if (!target) continue;
    let actions;
    try {
      actions = await history.actions(bake.executionId);
    } catch (err) {
      (deps.log ?? consoleDecisionLogger)({
        level: 'error',
        gate: 'ROLLBACK',
        target: bake.target,
        decision: 'ERROR',
        reason: `cannot tell whether the rejected bake of ${bake.target} still needs rolling back: ${errorText(err)}`,
        inputs: { executionId: bake.executionId },
      });
      continue;
    }
    const failedHere = actions.some((a) => a.stageName === bake.stageName && a.actionName === bake.actionName && a.status === 'Failed');
    if (!failedHere) continue;
    done.add(bake.target);
    const report = await rollbackTarget(deps, target,
      `finishing the rollback of ${bake.target}: its bake gate was rejected in execution ${bake.executionId}`, { logOnlyWhenActing: true });
    if (rollbackActed(report)) reports.push(report);
  }
  return reports;
}
