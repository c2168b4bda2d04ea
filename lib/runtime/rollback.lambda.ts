/**
 * Lambda entry of the operators' rollback: `{ "targetId": "prod-wave-1-us-east-1-fleet" }` rolls
 * that target back (deployments, aliases, pipeline stage), rejects the gates waiting in its stage so
 * that the release stops, and returns what it found and did.
 */
import { createAwsClientFactory } from './aws-clients';
import { cachedPlan } from './plan-file';
import { RollbackEvent, RollbackReport, createRollbackHandler } from './rollback';
import { PLAN_RUNTIME_PATH } from '../model/plan';

// The plan layer, extracted by Lambda to /opt (see ReleaseController).
const plan = cachedPlan(PLAN_RUNTIME_PATH);
let rollback: ((event: RollbackEvent) => Promise<RollbackReport>) | undefined;

export async function handler(event: RollbackEvent): Promise<RollbackReport> {
  if (!rollback) {
    const now = () => new Date();
    rollback = createRollbackHandler({
      plan: plan(),
      now,
      clients: createAwsClientFactory({ pipelineRegion: plan().pipelineRegion, now }),
    });
  }
  return rollback(event);
}
