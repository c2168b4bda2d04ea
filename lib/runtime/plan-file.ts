/**
 * The release plan the Lambda handlers enforce. The constructs stage it as `plan.json` in a layer
 * of the function (`/opt/plan.json`), so a handler always enforces the plan its pipeline was
 * synthesized from. It is checked by the plan validator of the model, the same one the
 * `wave-pipelines` command uses.
 */
import * as fs from 'fs';
import { ReleasePlan } from '../model/plan';
import { parseReleasePlan } from '../model/plan-validation';

/** Reads and checks a plan file; the error names the file and every problem with it. */
export function readPlanFile(file: string): ReleasePlan {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the release plan ${file}: ${err instanceof Error ? err.message : String(err)}; the construct stages it in the function's plan layer`);
  }
  return parseReleasePlan(text, `release plan ${file}`);
}

/** Reads the plan once per container, on first use. */
export function cachedPlan(file: string): () => ReleasePlan {
  let plan: ReleasePlan | undefined;
  return () => (plan ??= readPlanFile(file));
}
