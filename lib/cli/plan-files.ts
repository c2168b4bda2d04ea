/**
 * Finding and reading the plan files `WavePipeline` writes into the cloud assembly
 * (`wave-pipelines.<pipeline>.plan.json`, described in docs/plan-schema.md).
 */
import * as path from 'path';
import { CliIo } from './cli-io';
import { PLAN_FILE_PATTERN, PLAN_SCHEMA_VERSION, ReleasePlan, planFileName } from '../model/plan';

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

/** Reads and checks one plan file; every problem of its layout is reported at once. */
export function readPlanFile(file: string, io: CliIo): ReleasePlan {
  let text: string;
  try {
    text = io.readFile(file);
  } catch (e) {
    throw new PlanFileError(`Cannot read plan file "${file}": ${(e as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new PlanFileError(`Plan file "${file}" is not JSON (${(e as Error).message}); run \`cdk synth\` again to rewrite it.`);
  }
  const problems = planProblems(value);
  if (problems.length > 0) {
    throw new PlanFileError(`Plan file "${file}" is not a valid release plan:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return value as ReleasePlan;
}

/** What is wrong with a parsed plan file, as `field: problem` lines; empty when it is a plan this version reads. */
export function planProblems(value: unknown): string[] {
  if (!isObject(value)) return ['the file must hold a JSON object'];
  const version = value.schemaVersion;
  if (typeof version !== 'number') {
    return [`schemaVersion: ${JSON.stringify(version)} is missing or not a number; this wave-pipelines reads schemaVersion ${PLAN_SCHEMA_VERSION}`];
  }
  if (version !== PLAN_SCHEMA_VERSION) {
    const fix = version > PLAN_SCHEMA_VERSION
      ? 'upgrade cdk-wave-pipelines (the command) to the version the app uses'
      : 'synthesize the app again with this version of cdk-wave-pipelines';
    return [`schemaVersion: ${version} is not supported; this wave-pipelines reads schemaVersion ${PLAN_SCHEMA_VERSION}: ${fix}`];
  }
  const problems: string[] = [];
  const need = (obj: Record<string, unknown>, at: string, field: string, type: 'string' | 'number' | 'array' | 'object') => {
    const v = obj[field];
    const ok = type === 'array' ? Array.isArray(v) : type === 'object' ? isObject(v) : typeof v === type;
    if (!ok) problems.push(`${at}${field}: expected ${type === 'array' || type === 'object' ? `an ${type}` : `a ${type}`}, got ${JSON.stringify(v)}`);
    return ok;
  };
  for (const f of ['pipelineName', 'pipelineAccount', 'pipelineRegion', 'stopSwitchParameterName'] as const) need(value, '', f, 'string');
  need(value, '', 'maxWindowHoldMinutes', 'number');
  if (!need(value, '', 'stages', 'array')) return problems;
  (value.stages as unknown[]).forEach((stage, i) => {
    const at = `stages[${i}].`;
    if (!isObject(stage)) return problems.push(`stages[${i}]: expected an object`);
    need(stage, at, 'name', 'string');
    need(stage, at, 'kind', 'string');
    need(stage, at, 'wave', 'number');
    if (!need(stage, at, 'regions', 'array')) return;
    (stage.regions as unknown[]).forEach((region, j) => {
      const rat = `${at}regions[${j}].`;
      if (!isObject(region)) return problems.push(`${at}regions[${j}]: expected an object`);
      need(region, rat, 'region', 'string');
      need(region, rat, 'account', 'string');
      need(region, rat, 'validations', 'array');
      if (region.window !== undefined) windowProblems(region.window, `${rat}window`, problems);
      for (const kind of ['oneBox', 'fleet'] as const) {
        if (kind === 'oneBox' && region.oneBox === undefined) continue;
        if (!need(region, rat, kind, 'object')) continue;
        const target = region[kind] as Record<string, unknown>;
        const tat = `${rat}${kind}.`;
        for (const f of ['id', 'kind', 'stageName', 'region', 'account'] as const) need(target, tat, f, 'string');
        if (need(target, tat, 'bake', 'object')) need(target.bake as Record<string, unknown>, `${tat}bake.`, 'minutes', 'number');
      }
      return;
    });
    return;
  });
  return problems;
}

function windowProblems(window: unknown, at: string, problems: string[]): void {
  if (!isObject(window)) {
    problems.push(`${at}: expected an object`);
    return;
  }
  if (typeof window.timeZone !== 'string') problems.push(`${at}.timeZone: expected a string, got ${JSON.stringify(window.timeZone)}`);
  if (!Array.isArray(window.weekdays)) problems.push(`${at}.weekdays: expected an array, got ${JSON.stringify(window.weekdays)}`);
  if (typeof window.startHour !== 'number') problems.push(`${at}.startHour: expected a number, got ${JSON.stringify(window.startHour)}`);
  if (typeof window.endHour !== 'number') problems.push(`${at}.endHour: expected a number, got ${JSON.stringify(window.endHour)}`);
  if (!Array.isArray(window.blackouts)) problems.push(`${at}.blackouts: expected an array, got ${JSON.stringify(window.blackouts)}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
