/**
 * The release plan the Lambda handlers enforce. The constructs stage it as `plan.json` in a layer
 * of the function (`/opt/plan.json`), so a handler always enforces the plan its pipeline was synthesized from.
 */
import * as fs from 'fs';
import { PLAN_SCHEMA_VERSION, ReleasePlan } from '../model/plan';

/** Reads and checks a plan file; the error names the file and what is wrong with it. */
export function readPlanFile(file: string): ReleasePlan {
  let plan: ReleasePlan;
  try {
    plan = JSON.parse(fs.readFileSync(file, 'utf8')) as ReleasePlan;
  } catch (err) {
    throw new Error(`cannot read the release plan ${file}: ${err instanceof Error ? err.message : String(err)}; the construct stages it in the function's plan layer`);
  }
  const problems: string[] = [];
  if (plan?.schemaVersion !== PLAN_SCHEMA_VERSION) {
    problems.push(`schemaVersion is ${JSON.stringify(plan?.schemaVersion)}, expected ${PLAN_SCHEMA_VERSION} (redeploy the pipeline with this version of cdk-wave-pipelines)`);
  }
  for (const field of ['pipelineName', 'pipelineRegion', 'stopSwitchParameterName'] as const) {
    if (typeof plan?.[field] !== 'string' || plan[field] === '') problems.push(`${field} is missing`);
  }
  if (typeof plan?.maxWindowHoldMinutes !== 'number') problems.push('maxWindowHoldMinutes is missing');
  if (!Array.isArray(plan?.stages)) problems.push('stages is not a list');
  if (problems.length > 0) throw new Error(`release plan ${file}: ${problems.join('; ')}`);
  return plan;
}

/** Reads the plan once per container, on first use. */
export function cachedPlan(file: string): () => ReleasePlan {
  let plan: ReleasePlan | undefined;
  return () => (plan ??= readPlanFile(file));
}
