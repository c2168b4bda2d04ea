/**
 * Finding and reading the plan files `WavePipeline` writes into the cloud assembly
 * (`wave-pipelines.<pipeline>.plan.json`, described in docs/plan-schema.md).
 */
import * as path from 'path';
import { CliIo } from './cli-io';
import { PLAN_FILE_PATTERN, ReleasePlan, planFileName } from '../model/plan';
import { parseReleasePlan, PlanValidationError } from '../model/plan-validation';

/** A problem the user fixes by synthesizing, choosing another pipeline or another directory. */
export class PlanFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanFileError';
  }
}

/** A plan read from the assembly. */
export interface LoadedPlan {
  readonly file: string;
  readonly plan: ReleasePlan;
}

/**
 * Plan files in `assemblyDir` and, one level down, in nested stage assemblies (`assembly-*`),
 * top level first, each level sorted by name.
 */
export function findPlanFiles(assemblyDir: string, io: CliIo): string[] {
  const entries = io.listDir(assemblyDir);
  if (entries === undefined) {
    throw new PlanFileError(
      `No cloud assembly at "${assemblyDir}". Run \`cdk synth\` (or \`npm run example\` in this repository) first, `
      + 'or point --assembly at the directory cdk synth wrote.',
    );
  }
  const files = [...entries].sort().filter((e) => PLAN_FILE_PATTERN.test(e)).map((e) => path.join(assemblyDir, e));
  for (const nested of [...entries].sort().filter((e) => e.startsWith('assembly-'))) {
    const dir = path.join(assemblyDir, nested);
    const inner = io.listDir(dir) ?? [];
    files.push(...[...inner].sort().filter((e) => PLAN_FILE_PATTERN.test(e)).map((e) => path.join(dir, e)));
  }
  return files;
}

/**
 * The plan of the pipeline to show: the one named `pipeline` (its name or its plan file's name),
 * else the only one in the assembly.
 */
export function loadPipelinePlan(assemblyDir: string, pipeline: string | undefined, io: CliIo): LoadedPlan {
  const files = findPlanFiles(assemblyDir, io);
  if (files.length === 0) {
    throw new PlanFileError(
      `No wave-pipelines plan file in "${assemblyDir}" (looked for wave-pipelines.<pipeline>.plan.json there and in its `
      + 'assembly-* directories): the app has no WavePipeline, or it was synthesized before it had one. '
      + 'Add a WavePipeline to the app and run `cdk synth` again.',
    );
  }
  const plans: LoadedPlan[] = [];
  for (const file of files) {
    const plan = readPlanFile(file, io);
    // A pipeline stack inside a stage assembly can be seen twice; the top-level copy wins.
    if (!plans.some((p) => p.plan.pipelineName === plan.pipelineName)) plans.push({ file, plan });
  }
  const names = plans.map((p) => p.plan.pipelineName).join(', ');
  if (pipeline !== undefined) {
    const found = plans.find((p) => p.plan.pipelineName === pipeline || path.basename(p.file) === planFileName(pipeline));
    if (!found) throw new PlanFileError(`--pipeline: no pipeline "${pipeline}" in "${assemblyDir}"; pipelines there: ${names}`);
    return found;
  }
  if (plans.length > 1) {
    throw new PlanFileError(`"${assemblyDir}" has ${plans.length} pipelines (${names}); choose one with --pipeline <name>`);
  }
  return plans[0];
}

/**
 * Reads and checks one plan file with the plan validator of the model (the same one the release
 * controller uses); every problem is reported at once.
 */
export function readPlanFile(file: string, io: CliIo): ReleasePlan {
  let text: string;
  try {
    text = io.readFile(file);
  } catch (e) {
    throw new PlanFileError(`Cannot read plan file "${file}": ${(e as Error).message}`);
  }
  try {
    return parseReleasePlan(text, `Plan file "${file}"`);
  } catch (e) {
    if (e instanceof PlanValidationError) throw new PlanFileError(e.message);
    throw e;
  }
}
