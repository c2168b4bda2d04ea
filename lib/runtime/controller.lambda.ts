/**
 * Lambda entry of the release controller: wires the real clock, AWS clients and the staged plan
 * into `createControllerHandler`. Timeout: 2 minutes; every AWS call times out well before.
 */
import { createAwsClientFactory } from './aws-clients';
import { ControllerResult, createControllerHandler } from './controller';
import { cachedPlan } from './plan-file';
import { PLAN_RUNTIME_PATH } from '../model/plan';

// The plan layer, extracted by Lambda to /opt (see ReleaseController).
const plan = cachedPlan(PLAN_RUNTIME_PATH);
let controller: ((event: unknown) => Promise<ControllerResult>) | undefined;

export async function handler(event: unknown): Promise<ControllerResult> {
  if (!controller) {
    const now = () => new Date();
    controller = createControllerHandler({
      plan: plan(),
      now,
      clients: createAwsClientFactory({ pipelineRegion: plan().pipelineRegion, now }),
    });
  }
  return controller(event);
}
