/**
 * The one validator of a release plan file (`wave-pipelines.<pipeline>.plan.json` in the cloud
 * assembly, `plan.json` beside the Lambda handlers). The CLI and the release controller both call
 * it, so a hand-edited plan is refused the same way, with every problem at once: first the shape
 * against the schema generated from the `ReleasePlan` type, then the rules a plan must keep (ids
 * derived from names, known regions, bounded minutes).
 */
import { DeploymentWindowSpec, NoDataPolicy } from './declaration';
// The limits from layout.ts, not validation.ts: that module checks declarations and would bring
// their schema into the Lambda bundles, which read plans only.
import { MAX_GUARDED_MINUTES } from './layout';
import { pipelineNameProblem, stageNameProblem, targetId } from './naming';
import { PLAN_SCHEMA_VERSION, PlannedRegion, PlannedStage, PlannedTarget, ReleasePlan, STAGE_KIND, TARGET_KIND } from './plan';
import { RELEASE_PLAN_SCHEMA } from './plan-schema';
import { Problem } from './problem';
import { regionProblem } from './regions';
import { checkShape } from './schema-check';
import { valueText } from './value-text';
import { validateWindow } from './window/validate';

/** Every problem of a parsed plan file; empty when it is a plan this version runs. */
export function planProblems(value: unknown): Problem[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [{ path: '(file)', message: `${valueText(value)} is not a release plan; the file must hold a JSON object as written by \`cdk synth\`` }];
  }
  const version = (value as { schemaVersion?: unknown }).schemaVersion;
  if (version !== PLAN_SCHEMA_VERSION) {
    const fix = typeof version === 'number' && version > PLAN_SCHEMA_VERSION
      ? 'upgrade cdk-wave-pipelines to the version the app uses'
      : 'synthesize (and deploy) the app again with this version of cdk-wave-pipelines';
    return [{ path: 'schemaVersion', message: `${valueText(version)} is not supported; this version of cdk-wave-pipelines reads schemaVersion ${PLAN_SCHEMA_VERSION}: ${fix}` }];
  }
  const shape = checkShape(RELEASE_PLAN_SCHEMA, value);
  const refused = shape.map((p) => p.path);
  const here = (path: string) => !refused.some((r) => r === path || path.startsWith(`${r}.`) || path.startsWith(`${r}[`));
  const problems = [...shape];
  const add = (path: string, message: string) => problems.push({ path, message });
  const plan = value as ReleasePlan;

  if (here('pipelineName')) {
    const problem = pipelineNameProblem(plan.pipelineName);
    if (problem) add('pipelineName', problem);
  }
  if (here('pipelineAccount') && plan.pipelineAccount !== 'unknown' && !/^\d{12}$/.test(plan.pipelineAccount)) {
    add('pipelineAccount', `${valueText(plan.pipelineAccount)} is not a 12-digit AWS account id (or "unknown"); synthesize the app again`);
  }
  if (here('pipelineRegion') && plan.pipelineRegion !== 'unknown') {
    const problem = regionProblem(plan.pipelineRegion);
    if (problem) add('pipelineRegion', problem);
  }
  if (here('stopSwitchParameterName') && !/^\/?[A-Za-z0-9_.\-/]{1,1011}$/.test(plan.stopSwitchParameterName)) {
    add('stopSwitchParameterName', `${valueText(plan.stopSwitchParameterName)} is not an SSM parameter name; use letters, digits and _.-/ (e.g. "/cdk-wave-pipelines/orders/stop-all-releases")`);
  }
  if (here('maxWindowHoldMinutes')) wholeMinutes(plan.maxWindowHoldMinutes, 1, MAX_GUARDED_MINUTES, 'maxWindowHoldMinutes', add);
  if (here('stages')) {
    const names = new Map<string, number>();
    const ids = new Map<string, string>();
    let lastWave = 0;
    plan.stages.forEach((stage, s) => {
      const at = `stages[${s}]`;
      if (!here(at)) return;
      checkStage(stage, at, here, add);
      if (here(`${at}.name`)) {
        const first = names.get(stage.name.toLowerCase());
        if (first !== undefined) add(`${at}.name`, `"${stage.name}" is also the name of stages[${first}]; every stage needs its own name`);
        else names.set(stage.name.toLowerCase(), s);
      }
      if (here(`${at}.kind`) && here(`${at}.wave`) && stage.kind === STAGE_KIND.PRODUCTION) {
        if (stage.wave !== lastWave + 1) add(`${at}.wave`, `${valueText(stage.wave)} does not follow wave ${lastWave}; production waves are numbered 1, 2, 3... in order`);
        lastWave = typeof stage.wave === 'number' ? stage.wave : lastWave;
      }
      if (!here(`${at}.regions`)) return;
      stage.regions.forEach((region, r) => {
        const rat = `${at}.regions[${r}]`;
        if (!here(rat)) return;
        for (const [kind, target] of [['oneBox', region.oneBox], ['fleet', region.fleet]] as const) {
          if (target === undefined || !here(`${rat}.${kind}`)) continue;
          checkTarget(target, stage, region, kind === 'oneBox' ? TARGET_KIND.ONE_BOX : TARGET_KIND.FLEET, `${rat}.${kind}`, here, add);
          if (here(`${rat}.${kind}.id`)) {
            const first = ids.get(target.id);
            if (first !== undefined) add(`${rat}.${kind}.id`, `"${target.id}" is also the id of ${first}; every target needs its own id`);
            else ids.set(target.id, `${rat}.${kind}`);
          }
        }
      });
    });
  }
  return problems;
}

type Add = (path: string, message: string) => void;

function checkStage(stage: PlannedStage, at: string, here: (p: string) => boolean, add: Add) {
  if (here(`${at}.name`)) {
    const problem = stageNameProblem(stage.name);
    if (problem) add(`${at}.name`, problem);
  }
  const kinds = Object.values(STAGE_KIND) as string[];
  if (here(`${at}.kind`) && !kinds.includes(stage.kind)) {
    add(`${at}.kind`, `${valueText(stage.kind)} is not a stage kind; use ${kinds.map((k) => `"${k}"`).join(' or ')}`);
  }
  if (here(`${at}.wave`) && here(`${at}.kind`) && stage.kind === STAGE_KIND.PRE_PRODUCTION && stage.wave !== 0) {
    add(`${at}.wave`, `${valueText(stage.wave)} is not 0; pre-production stages have wave 0`);
  }
  if (here(`${at}.regions`) && stage.regions.length === 0) add(`${at}.regions`, 'is empty; a stage deploys at least one region');
  if (!here(`${at}.regions`)) return;
  stage.regions.forEach((region, r) => {
    const rat = `${at}.regions[${r}]`;
    if (!here(rat)) return;
    if (here(`${rat}.region`)) {
      const problem = regionProblem(region.region);
      if (problem) add(`${rat}.region`, problem);
    }
    if (here(`${rat}.account`) && !/^\d{12}$/.test(region.account)) add(`${rat}.account`, `${valueText(region.account)} is not a 12-digit AWS account id`);
    if (region.window !== undefined && here(`${rat}.window`)) {
      // A resolved window is a window declaration with every field set.
      for (const p of validateWindow(region.window as DeploymentWindowSpec, `${rat}.window`)) add(p.path, p.message);
    }
    if (here(`${rat}.validations`)) {
      region.validations.forEach((v, i) => {
        if (here(`${rat}.validations[${i}].commands`) && v.commands.length === 0) add(`${rat}.validations[${i}].commands`, 'is empty; a validation runs at least one command');
      });
    }
  });
}

function checkTarget(
  target: PlannedTarget, stage: PlannedStage, region: PlannedRegion, kind: string, at: string, here: (p: string) => boolean, add: Add,
) {
  if (here(`${at}.kind`) && target.kind !== kind) add(`${at}.kind`, `${valueText(target.kind)} is not "${kind}", the kind of this target`);
  if (here(`${at}.stageName`) && here(`${at}.id`) && typeof stage.name === 'string' && typeof region.region === 'string') {
    const expected = targetId(stage.name, region.region, kind);
    if (target.id !== expected) add(`${at}.id`, `${valueText(target.id)} is not the id of this target; it is derived from stage, region and kind: "${expected}"`);
    if (target.stageName !== stage.name) add(`${at}.stageName`, `${valueText(target.stageName)} is not the name of its stage, "${stage.name}"`);
  }
  if (here(`${at}.region`) && target.region !== region.region) add(`${at}.region`, `${valueText(target.region)} is not the region it is listed under, ${valueText(region.region)}`);
  if (here(`${at}.account`) && target.account !== region.account) add(`${at}.account`, `${valueText(target.account)} is not the account of its region, ${valueText(region.account)}`);
  if (!here(`${at}.bake`)) return;
  const bake = target.bake;
  const minutesOk = here(`${at}.bake.minutes`) && wholeMinutes(bake.minutes, 0, MAX_GUARDED_MINUTES, `${at}.bake.minutes`, add);
  if (here(`${at}.bake.minHealthyDatapoints`)) {
    const dp = bake.minHealthyDatapoints;
    if (!Number.isInteger(dp) || dp < 0) add(`${at}.bake.minHealthyDatapoints`, `${valueText(dp)} is not a whole number of 0 or more`);
    else if (minutesOk && dp > bake.minutes) add(`${at}.bake.minHealthyDatapoints`, `${dp} cannot be reached in a bake of ${bake.minutes} minutes (one datapoint a minute at most); use at most ${bake.minutes}`);
  }
  const policies = Object.values(NoDataPolicy) as string[];
  if (here(`${at}.bake.noData`) && !policies.includes(bake.noData)) {
    add(`${at}.bake.noData`, `${valueText(bake.noData)} is not a no-data policy; use ${policies.map((p) => `"${p}"`).join(' or ')}`);
  }
}

function wholeMinutes(value: number, min: number, max: number, path: string, add: Add): boolean {
  if (!Number.isInteger(value) || value < min || value > max) {
    add(path, `${valueText(value)} is not a whole number of minutes from ${min} to ${max}`);
    return false;
  }
  return true;
}

/** Thrown when a plan file is not a plan this version runs; lists every problem. */
export class PlanValidationError extends Error {
  public readonly problems: Problem[];

  constructor(source: string, problems: Problem[], message?: string) {
    super(message ?? `${source} is not a valid release plan:\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n')}`);
    this.name = 'PlanValidationError';
    this.problems = problems;
  }
}

/**
 * Parses and checks the text of a plan file; throws `PlanValidationError` listing every problem
 * (or saying the text is not JSON). `source` names the file in the message, e.g.
 * `Plan file "cdk.out/wave-pipelines.orders.plan.json"`.
 */
export function parseReleasePlan(text: string, source: string): ReleasePlan {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const reason = `is not JSON (${(e as Error).message}); run \`cdk synth\` again to rewrite it`;
    throw new PlanValidationError(source, [{ path: '(file)', message: reason }], `${source} ${reason}.`);
  }
  const problems = planProblems(value);
  if (problems.length > 0) throw new PlanValidationError(source, problems);
  return value as ReleasePlan;
}
