import { BakePreset } from './bake-presets';
import {
  BakeSpec, NoDataPolicy, PreProductionStageSpec, ReleaseDeclaration, ValidationKind, WaveSpec,
} from './declaration';
import { Problem } from './problem';
import { regionInfo, suggestRegion } from './regions';
import { requestFieldProblems } from './request-bake';
import { hoursText, nextCommonOpening, resolveWindow, validateWindow } from './window';

/** Standard pre-production stages, in the only order they may appear. */
export const STANDARD_PRE_PRODUCTION_ORDER = ['alpha', 'beta', 'gamma', 'zeta'];

/** CodePipeline quotas the rendered pipeline must stay within. */
export const CODEPIPELINE_QUOTAS = {
  /** Stages per pipeline. */
  stagesPerPipeline: 50,
  /** Actions per stage. */
  actionsPerStage: 50,
  /** Length of stage and action names. */
  nameLength: 100,
};

/** Stages CDK Pipelines adds before ours: Source, Build, UpdatePipeline, Assets. */
export const FRAMEWORK_STAGES = 4;

/** Longest bake the model accepts: a week. Anything longer is almost certainly a unit mistake. */
export const MAX_BAKE_MINUTES = 7 * 24 * 60;

/** Thrown when a declaration has problems; lists all of them, each with its field path and fix. */
export class ReleaseValidationError extends Error {
  public readonly problems: Problem[];

  constructor(problems: Problem[]) {
    const lines = problems.map((p) => `  - ${p.path}: ${p.message}`);
    super(`Invalid release declaration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`);
    this.name = 'ReleaseValidationError';
    this.problems = problems;
  }
}

/** Options that shape how many actions each region renders to, for the quota check. */
export interface QuotaShape {
  /** CloudFormation stacks in each deployment target (each renders a prepare and a deploy action). */
  readonly stacksPerTarget: number;
}

const STAGE_NAME = /^[A-Za-z0-9.@_-]+$/;

/** Every problem in a declaration; empty when it is valid. */
export function validateDeclaration(decl: ReleaseDeclaration, shape: QuotaShape = { stacksPerTarget: 1 }): Problem[] {
  const problems: Problem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });

  if (!decl || typeof decl !== 'object') {
    add('release', 'is missing; pass { preProduction: [...], production: { waves: [...] } }');
    return problems;
  }

  const stageNames = new Map<string, string>();
  const claimName = (name: string, path: string) => {
    const key = name.toLowerCase();
    const previous = stageNames.get(key);
    if (previous) {
      add(path, `"${name}" is already used by ${previous}; every stage and wave needs its own name`);
    } else {
      stageNames.set(key, path);
    }
  };

  // Pre-production: standard stages in order, custom names anywhere between them.
  const pre = decl.preProduction ?? [];
  let lastStandard = -1;
  let lastStandardName = '';
  pre.forEach((stage, i) => {
    const path = `preProduction[${i}]`;
    const name = stage?.name ?? '';
    checkStageName(name, `${path}.name`, add);
    const order = STANDARD_PRE_PRODUCTION_ORDER.indexOf(name.toLowerCase());
    if (order >= 0 && order < lastStandard) {
      add(`${path}.name`, `"${name}" comes after "${lastStandardName}"; pre-production stages run in the order ${STANDARD_PRE_PRODUCTION_ORDER.join(', ')}: move "${name}" before "${lastStandardName}"`);
    } else if (order > lastStandard) {
      lastStandard = order;
      lastStandardName = name;
    }
    if (name) claimName(name, path);
    checkAccount(stage?.account, `${path}.account`, add);
    checkRegions(stage?.regions, `${path}.regions`, add);
    checkBake(stage?.bake, `${path}.bake`, add);
    checkValidations(stage, path, add);
  });

  // Production.
  const prod = decl.production;
  if (!prod || !Array.isArray(prod.waves) || prod.waves.length === 0) {
    add('production.waves', 'is empty; declare at least one wave, e.g. waves: [{ regions: ["us-east-1"] }]');
    return problems;
  }
  if (prod.account !== undefined) checkAccount(prod.account, 'production.account', add);
  checkBake(prod.bake, 'production.bake', add);
  checkBake(prod.oneBoxBake, 'production.oneBoxBake', add);
  if (prod.bakePreset !== undefined && !Object.values(BakePreset).includes(prod.bakePreset)) {
    add('production.bakePreset', `${JSON.stringify(prod.bakePreset)} is not a BakePreset; use ${Object.values(BakePreset).map((v) => `"${v}"`).join(' or ')}`);
  }
  if (prod.window) problems.push(...validateWindow(prod.window, 'production.window'));
  if (prod.maxWindowHoldMinutes !== undefined && !(Number.isInteger(prod.maxWindowHoldMinutes) && prod.maxWindowHoldMinutes >= 1)) {
    add('production.maxWindowHoldMinutes', `${JSON.stringify(prod.maxWindowHoldMinutes)} is not a positive whole number of minutes; use e.g. 7200 for five days`);
  }

  const deployedAt = new Map<string, string>();
  prod.waves.forEach((wave: WaveSpec, w) => {
    const path = `production.waves[${w}]`;
    const name = wave?.name ?? defaultWaveName(w);
    if (wave?.name !== undefined) checkStageName(wave.name, `${path}.name`, add);
    claimName(name, path);
    if (wave?.account !== undefined) {
      checkAccount(wave.account, `${path}.account`, add);
    } else if (prod.account === undefined) {
      add(`${path}.account`, 'is missing and production.account is not set; set production.account (or an account on every wave)');
    }
    if (!Array.isArray(wave?.regions) || wave.regions.length === 0) {
      add(`${path}.regions`, 'is empty; a wave deploys at least one region (remove the wave or list its regions)');
      return;
    }
    checkRegions(wave.regions, `${path}.regions`, add, /* duplicatesReportedBelow */ true);
    wave.regions.forEach((region, r) => {
      const where = `${path}.regions[${r}]`;
      const first = deployedAt.get(region);
      if (first) {
        add(where, `"${region}" is already deployed by ${first}; a production region belongs to exactly one wave: remove one of them`);
      } else {
        deployedAt.set(region, where);
      }
    });
    checkBake(wave.bake, `${path}.bake`, add);
    checkBake(wave.oneBoxBake, `${path}.oneBoxBake`, add);
    if (wave.window) problems.push(...validateWindow(wave.window, `${path}.window`, wave.regions[0]));
    checkActionQuota(wave, path, prod.oneBox ?? true, Boolean(wave.window ?? prod.window ?? true), shape, add);
    const windowProblems = problems.some((p) => p.path.startsWith(`${path}.window`) || p.path.startsWith('production.window'));
    if (!windowProblems && wave.regions.every((r) => regionInfo(r))) checkWindowsOverlap(wave, prod.window, path, add);
  });

  pre.forEach((stage, i) => {
    if (!Array.isArray(stage?.regions)) return;
    const perRegion = regionActions(stage.oneBox ?? false, shape) + (stage.validations?.length ?? 0);
    const actions = perRegion * stage.regions.length;
    if (actions > CODEPIPELINE_QUOTAS.actionsPerStage) {
      add(`preProduction[${i}].regions`, `stage "${stage.name}" would render ${actions} actions (${stage.regions.length} regions x ${perRegion}); CodePipeline allows ${CODEPIPELINE_QUOTAS.actionsPerStage} per stage: split it into stages of at most ${Math.max(1, Math.floor(CODEPIPELINE_QUOTAS.actionsPerStage / perRegion))} regions`);
    }
  });

  const totalStages = FRAMEWORK_STAGES + pre.length + prod.waves.length;
  if (totalStages > CODEPIPELINE_QUOTAS.stagesPerPipeline) {
    add('production.waves', `the pipeline would have ${totalStages} stages (${FRAMEWORK_STAGES} framework + ${pre.length} pre-production + ${prod.waves.length} waves); CodePipeline allows ${CODEPIPELINE_QUOTAS.stagesPerPipeline}: put more regions in each later wave (regions of a wave deploy in parallel)`);
  }
  return problems;
}

/** `Prod-Wave-<n>` for the wave at index `i`. */
export function defaultWaveName(i: number): string {
  return `Prod-Wave-${i + 1}`;
}

/** Actions one region renders to: one-box (prepare + deploy per stack, bake), fleet (the same). */
export function regionActions(oneBox: boolean, shape: QuotaShape): number {
  const target = 2 * shape.stacksPerTarget + 1;
  return (oneBox ? target : 0) + target;
}

type Add = (path: string, message: string) => void;

/**
 * Mondays in winter and summer: the hours of region-local windows shift against each other with
 * daylight saving, so a wave's windows must overlap in both. Fixed dates keep validation a pure
 * function of the declaration.
 */
const OVERLAP_REFERENCE_WEEKS = [new Date('2026-01-05T00:00:00Z'), new Date('2026-07-06T00:00:00Z')];

/**
 * CodePipeline starts the regions of a stage together, so a wave can only start when all its
 * regions' windows are open at once. Blackouts and holidays are left out: they close a window for
 * days, not for every week.
 */
function checkWindowsOverlap(wave: WaveSpec, inherited: WaveSpec['window'], path: string, add: Add) {
  if (wave.regions.length < 2) return;
  const spec = { ...(wave.window ?? inherited), blackouts: [], publicHolidays: false };
  const windows = wave.regions.map((region) => ({ region, window: resolveWindow(spec, region) }));
  const shut = OVERLAP_REFERENCE_WEEKS.some((week) => nextCommonOpening(windows.map((w) => w.window), week, 7) === undefined);
  if (!shut) return;
  const listed = windows.map((w) => `${w.region} (${hoursText(w.window)} ${w.window.timeZone})`).join(', ');
  add(`${path}.regions`, `the deployment windows of ${listed} are never open at the same time; CodePipeline starts the regions of a wave together, so a wave needs an hour when all its windows are open: put these regions in different waves (e.g. by continent), or give the wave one window in one time zone (window: { timeZone: "UTC", ... })`);
}

function checkActionQuota(wave: WaveSpec, path: string, oneBox: boolean, windowGate: boolean, shape: QuotaShape, add: Add) {
  const perRegion = regionActions(oneBox, shape);
  const gate = windowGate ? 1 : 0; // one window gate per wave
  const actions = perRegion * wave.regions.length + gate;
  if (actions <= CODEPIPELINE_QUOTAS.actionsPerStage) return;
  const maxRegions = Math.max(1, Math.floor((CODEPIPELINE_QUOTAS.actionsPerStage - gate) / perRegion));
  const groups: string[][] = [];
  for (let i = 0; i < wave.regions.length; i += maxRegions) groups.push(wave.regions.slice(i, i + maxRegions));
  const counted = `${wave.regions.length} regions x ${perRegion} actions${gate ? ' + 1 window gate' : ''}`;
  add(`${path}.regions`, `wave would render ${actions} actions (${counted}); CodePipeline allows ${CODEPIPELINE_QUOTAS.actionsPerStage} per stage: split it into ${groups.length} waves of at most ${maxRegions} regions, e.g. ${groups.map((g) => JSON.stringify(g)).join(', ')}`);
}

function checkStageName(name: string, path: string, add: Add) {
  if (typeof name !== 'string' || name.length === 0) {
    add(path, 'is empty; give the stage a name such as "beta"');
  } else if (!STAGE_NAME.test(name) || name.length > CODEPIPELINE_QUOTAS.nameLength - 20) {
    add(path, `"${name}" is not a valid stage name; use at most ${CODEPIPELINE_QUOTAS.nameLength - 20} letters, digits, ".", "@", "_" or "-"`);
  }
}

function checkAccount(account: string | undefined, path: string, add: Add) {
  if (typeof account !== 'string' || account.length === 0) {
    add(path, 'is missing; give the 12-digit AWS account id, e.g. "123456789012"');
    return;
  }
  if (/^\d{12}$/.test(account)) return;
  const digits = account.replace(/\D/g, '');
  const fix = digits.length === 12 ? `write it as "${digits}" (digits only)` : 'an AWS account id is exactly 12 digits, e.g. "123456789012"';
  add(path, `"${account}" is not a 12-digit AWS account id; ${fix}`);
}

function checkRegions(regions: string[] | undefined, path: string, add: Add, skipDuplicates = false) {
  if (!Array.isArray(regions) || regions.length === 0) {
    add(path, 'is empty; list at least one region, e.g. ["us-east-1"]');
    return;
  }
  const seen = new Map<string, number>();
  regions.forEach((region, r) => {
    if (!regionInfo(region)) {
      const suggestion = suggestRegion(String(region));
      add(`${path}[${r}]`, `"${region}" is not an AWS region${suggestion ? `; did you mean "${suggestion}"?` : '; see `aws ec2 describe-regions` for valid names'}`);
    }
    if (!skipDuplicates && seen.has(region)) {
      add(`${path}[${r}]`, `"${region}" is listed twice (also at ${path}[${seen.get(region)}]); remove one`);
    }
    seen.set(region, r);
  });
}

function checkBake(bake: BakeSpec | undefined, path: string, add: Add) {
  if (bake === undefined) return;
  if (bake.minutes !== undefined && !(Number.isInteger(bake.minutes) && bake.minutes >= 0 && bake.minutes <= MAX_BAKE_MINUTES)) {
    const why = typeof bake.minutes === 'number' && bake.minutes > MAX_BAKE_MINUTES
      ? `is longer than a week (${MAX_BAKE_MINUTES} minutes); bake minutes are minutes, not seconds`
      : 'must be a whole number of minutes, 0 or more';
    add(`${path}.minutes`, `${JSON.stringify(bake.minutes)} ${why}`);
  }
  const datapoints = bake.minHealthyDatapoints;
  if (datapoints !== undefined && !(Number.isInteger(datapoints) && datapoints >= 0 && datapoints <= 10_000)) {
    add(`${path}.minHealthyDatapoints`, `${JSON.stringify(bake.minHealthyDatapoints)} must be a whole number between 0 and 10000`);
  }
  for (const p of requestFieldProblems(bake, path)) add(p.path, p.message);
  if (bake.noData !== undefined && !Object.values(NoDataPolicy).includes(bake.noData)) {
    add(`${path}.noData`, `${JSON.stringify(bake.noData)} is not a NoDataPolicy; use ${Object.values(NoDataPolicy).map((v) => `"${v}"`).join(' or ')}`);
  }
}

function checkValidations(stage: PreProductionStageSpec, path: string, add: Add) {
  const names = new Set<string>();
  (stage?.validations ?? []).forEach((v, i) => {
    const where = `${path}.validations[${i}]`;
    if (!v?.name) add(`${where}.name`, 'is empty; name the step, e.g. "IntegrationTests"');
    else if (names.has(v.name)) add(`${where}.name`, `"${v.name}" is used twice in this stage; give each validation its own name`);
    else names.add(v.name);
    if (!Array.isArray(v?.commands) || v.commands.length === 0) add(`${where}.commands`, 'is empty; give the shell commands that run the tests, e.g. ["npm run integ"]');
    if (v?.kind !== undefined && !Object.values(ValidationKind).includes(v.kind)) {
      add(`${where}.kind`, `${JSON.stringify(v.kind)} is not a ValidationKind; use one of ${Object.values(ValidationKind).join(', ')}`);
    }
  });
}
