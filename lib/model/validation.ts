/**
 * The one validator of a release declaration. Two passes:
 *
 * 1. Shape: the declaration (and the plan options) against the JSON Schemas generated from the
 *    TypeScript types at build time (`schema-check.ts`): types, required fields, enums, whole
 *    numbers, unknown keys. This is what protects users of JavaScript, JSON, YAML and Python.
 * 2. Meaning: the rules below, run on every part the schema accepted (a part the schema refused is
 *    skipped, never guessed at), so one error lists every problem of both kinds.
 */
import { BakeSpec, DeploymentWindowSpec, PreProductionStageSpec, ProductionSpec, ReleaseDeclaration, WaveSpec } from './declaration';
import { GATE_MARGIN_MINUTES, GATE_TIMEOUT_MINUTES, MAX_GUARDED_MINUTES } from './layout';
import {
  ACTION_NAME_PATTERN, compositeAlarmName, controllerLogGroupName, healthEventBusName, healthParameterName,
  NAME_LIMITS, pipelineNameProblem, RESERVED_STEP_NAMES, slug, stageNameProblem, targetId,
} from './naming';
import { PLAN_OPTIONS_SCHEMA } from './plan-options-schema';
import { Problem } from './problem';
import { regionInfo, regionProblem } from './regions';
// Called at validation time only, so the import cycle with release-plan.ts is harmless.
import { RELEASE_DEFAULTS } from './release-plan';
import { RELEASE_SCHEMA } from './release-schema';
import { requestFieldProblems } from './request-bake';
import { checkShape } from './schema-check';
import { valueText } from './value-text';
import { nextCommonOpening } from './window/common';
import { hoursText } from './window/describe';
import { resolveWindow } from './window/resolve';
import { validateWindow } from './window/validate';

/** Standard pre-production stages, in the only order they may appear. */
export const STANDARD_PRE_PRODUCTION_ORDER = ['alpha', 'beta', 'gamma', 'zeta'];

/** CodePipeline quotas the rendered pipeline must stay within (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html). */
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

/**
 * Longest wait of a gate (manual approval) the pipeline renders: seven days, the account-level
 * default timeout of CodePipeline manual approvals
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html).
 */
export const MAX_APPROVAL_TIMEOUT_MINUTES = GATE_TIMEOUT_MINUTES;

/**
 * The controller decides a gate at least this long before CodePipeline would time its approval
 * out (every gate's timeout is the fixed 7 days, see layout.ts).
 */
export const GATE_TIMEOUT_MARGIN_MINUTES = GATE_MARGIN_MINUTES;

/** Longest bake: bake + margin must fit in the approval timeout. */
export const MAX_BAKE_MINUTES = MAX_GUARDED_MINUTES;

/** Longest window hold: hold + margin must fit in the approval timeout. */
export const MAX_WINDOW_HOLD_MINUTES = MAX_GUARDED_MINUTES;

/**
 * Period, in minutes, of the alarms a bake counts healthy datapoints of: the canary alarms are
 * 1-minute alarms, and no CloudWatch alarm period used for a bake is shorter, so a bake of N
 * minutes can see at most N datapoints per metric.
 */
export const BAKE_DATAPOINT_PERIOD_MINUTES = 1;

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

/**
 * Facts about where the pipeline is synthesized, checked together with the declaration so that
 * one error lists every problem (a pipeline stack without `env` does not hide the rest).
 */
export interface PipelineFacts {
  /** The stack holding the pipeline, and whether its account and region are concrete. */
  readonly pipelineStack?: { readonly name: string; readonly hasEnvironment: boolean };
  /** CodePipeline execution mode (`SUPERSEDED`, `QUEUED`, `PARALLEL`). */
  readonly executionMode?: string;
}

/**
 * Every problem of a declaration alone (no pipeline name); empty when it is valid. Kept for the
 * quota re-check with the real number of stacks per target.
 */
export function validateDeclaration(decl: unknown, shape: QuotaShape = { stacksPerTarget: 1 }): Problem[] {
  return validateRelease(decl, undefined, {}, shape);
}

/**
 * Every problem of a declaration, its plan options (pipeline name, ...) and the pipeline facts, in
 * one list: shape problems from the schema, then the rules on what the schema accepted.
 */
export function validateRelease(decl: unknown, options: unknown, facts: PipelineFacts = {}, shape?: QuotaShape): Problem[] {
  const shapeProblems = checkShape(RELEASE_SCHEMA, decl).map((p) => (p.path === '(root)' ? { ...p, path: 'release' } : p));
  const optionProblems = options === undefined ? [] : checkShape(PLAN_OPTIONS_SCHEMA, options).map((p) => (p.path === '(root)' ? { ...p, path: 'options' } : p));
  const rules = new RuleCheck([...shapeProblems, ...optionProblems]);

  checkFacts(facts, rules);
  const opts = (rules.here('options') && options !== null && typeof options === 'object' ? options : {}) as Record<string, unknown>;
  const stacksPerTarget = shape?.stacksPerTarget
    ?? (rules.here('stacksPerTarget') && typeof opts.stacksPerTarget === 'number' ? opts.stacksPerTarget : 1);
  if (rules.here('stacksPerTarget') && typeof opts.stacksPerTarget === 'number' && !(Number.isInteger(opts.stacksPerTarget) && opts.stacksPerTarget >= 1)) {
    rules.add('stacksPerTarget', `${valueText(opts.stacksPerTarget)} is not a whole number of 1 or more; use the number of stacks in each deployment target, e.g. 1`);
  }
  let pipelineName: string | undefined;
  if (options !== undefined && rules.here('pipelineName') && typeof opts.pipelineName === 'string') {
    const problem = pipelineNameProblem(opts.pipelineName);
    if (problem) rules.add('pipelineName', problem);
    else pipelineName = opts.pipelineName;
  }
  if (rules.here('release') && decl !== null && typeof decl === 'object' && !Array.isArray(decl)) {
    new DeclarationRules(decl as ReleaseDeclaration, rules, { stacksPerTarget }, pipelineName).check();
  }
  return rules.problems;
}

function checkFacts(facts: PipelineFacts, rules: RuleCheck) {
  if (facts.pipelineStack && !facts.pipelineStack.hasEnvironment) {
    rules.add('env', `the stack ${facts.pipelineStack.name} has no explicit account and region; target accounts trust the pipeline's account by id: give the pipeline stack env: { account: "123456789012", region: "us-east-1" }`);
  }
  if (facts.executionMode === 'PARALLEL') {
    rules.add('executionMode', 'PARALLEL is not supported: it has no stage lock, so two releases could deploy and roll back the same region at once; use SUPERSEDED (default) or QUEUED');
  }
}

/** Problems found so far, and which parts of the input the schema refused (the rules skip them). */
class RuleCheck {
  public readonly problems: Problem[];
  private readonly refused = new Set<string>();
  /** Paths with a refused path below them. */
  private readonly aboveRefused = new Set<string>();

  constructor(shapeProblems: Problem[]) {
    this.problems = [...shapeProblems];
    for (const p of shapeProblems) {
      this.refused.add(p.path);
      for (const above of ancestors(p.path)) this.aboveRefused.add(above);
    }
  }

  public add(path: string, message: string) {
    this.problems.push({ path, message });
  }

  /** The value at `path` has the shape the schema wants (neither it nor a parent was refused). */
  public here(path: string): boolean {
    if (this.refused.has('release') || this.refused.has(path)) return false;
    return !ancestors(path).some((above) => this.refused.has(above));
  }

  /** `here`, and nothing below `path` was refused either: the whole subtree may be read. */
  public whole(path: string): boolean {
    return this.here(path) && !this.aboveRefused.has(path);
  }
}

/** `a.b[1].c` -> `a`, `a.b`, `a.b[1]`. */
function ancestors(path: string): string[] {
  const out: string[] = [];
  for (let i = 1; i < path.length; i++) {
    if (path[i] === '.' || path[i] === '[') out.push(path.slice(0, i));
  }
  return out;
}

/** Where a name was first claimed, to refuse a second stage deriving the same names. */
interface Claim { readonly path: string; readonly name: string }

class DeclarationRules {
  private readonly names = new Map<string, Claim>();
  private readonly slugs = new Map<string, Claim>();
  private readonly targetIds: Array<{ id: string; region: string; account?: string; path: string }> = [];

  constructor(
    private readonly decl: ReleaseDeclaration,
    private readonly rules: RuleCheck,
    private readonly shape: QuotaShape,
    private readonly pipelineName: string | undefined,
  ) {}

  public check() {
    const pre = this.rules.here('preProduction') ? this.decl.preProduction ?? [] : [];
    this.checkPreProduction(pre);
    const prod = this.rules.here('production') ? this.decl.production : undefined;
    const waveCount = prod ? this.checkProduction(prod) : 0;
    const totalStages = FRAMEWORK_STAGES + pre.length + waveCount;
    if (totalStages > CODEPIPELINE_QUOTAS.stagesPerPipeline) {
      this.rules.add('production.waves', `the pipeline would have ${totalStages} stages (${FRAMEWORK_STAGES} framework + ${pre.length} pre-production + ${waveCount} waves); CodePipeline allows ${CODEPIPELINE_QUOTAS.stagesPerPipeline}: put more regions in each later wave (regions of a wave deploy in parallel)`);
    }
    this.checkDerivedNames();
  }

  // -------------------------------------------------------------------------------------------
  // Pre-production
  // -------------------------------------------------------------------------------------------

  private checkPreProduction(pre: PreProductionStageSpec[]) {
    let lastStandard = -1;
    let lastStandardName = '';
    pre.forEach((stage, i) => {
      const path = `preProduction[${i}]`;
      if (!this.rules.here(path)) return;
      const name = this.rules.here(`${path}.name`) ? stage.name : undefined;
      if (name !== undefined) {
        const order = STANDARD_PRE_PRODUCTION_ORDER.indexOf(name.toLowerCase());
        if (order >= 0 && order < lastStandard) {
          this.rules.add(`${path}.name`, `"${name}" comes after "${lastStandardName}"; pre-production stages run in the order ${STANDARD_PRE_PRODUCTION_ORDER.join(', ')}: move "${name}" before "${lastStandardName}"`);
        } else if (order > lastStandard) {
          lastStandard = order;
          lastStandardName = name;
        }
        this.claimStageName(name, path, `${path}.name`);
      }
      const account = this.rules.here(`${path}.account`) ? stage.account : undefined;
      if (account !== undefined) this.checkAccount(account, `${path}.account`);
      const regions = this.rules.here(`${path}.regions`) ? this.checkRegions(stage.regions, `${path}.regions`, false) : [];
      if (this.rules.here(`${path}.bake`)) {
        this.checkBake(stage.bake, `${path}.bake`);
        this.checkDatapoints([{ own: stage.bake, ownPath: `${path}.bake` }], RELEASE_DEFAULTS.preProductionBakeMinutes, `stage "${name ?? i}"`);
      }
      const validations = this.rules.here(`${path}.validations`) ? stage.validations ?? [] : [];
      this.checkValidations(validations, `${path}.validations`);
      const oneBox = this.rules.here(`${path}.oneBox`) ? stage.oneBox ?? false : false;
      if (name !== undefined) {
        for (const region of regions) {
          if (oneBox) this.claimTarget(targetId(name, region, 'ONE_BOX'), region, account, path);
          this.claimTarget(targetId(name, region, 'FLEET'), region, account, path);
        }
      }
      if (this.rules.here(`${path}.regions`) && Array.isArray(stage.regions)) {
        const perRegion = regionActions(oneBox, this.shape) + validations.length;
        const actions = perRegion * stage.regions.length;
        if (actions > CODEPIPELINE_QUOTAS.actionsPerStage) {
          this.rules.add(`${path}.regions`, `stage "${name ?? i}" would render ${actions} actions (${stage.regions.length} regions x ${perRegion}); CodePipeline allows ${CODEPIPELINE_QUOTAS.actionsPerStage} per stage: split it into stages of at most ${Math.max(1, Math.floor(CODEPIPELINE_QUOTAS.actionsPerStage / perRegion))} regions`);
        }
      }
    });
  }

  private checkValidations(validations: PreProductionStageSpec['validations'] & object, path: string) {
    const names = new Map<string, number>();
    validations.forEach((v, i) => {
      const where = `${path}[${i}]`;
      if (!this.rules.here(where)) return;
      if (this.rules.here(`${where}.name`)) {
        const name = v.name;
        if (!ACTION_NAME_PATTERN.test(name)) {
          this.rules.add(`${where}.name`, `${valueText(name)} is not a valid step name; it names a CodePipeline action: use 1-100 letters, digits, ".", "@", "_" or "-", e.g. "IntegrationTests"`);
        } else if (RESERVED_STEP_NAMES.some((r) => r.toLowerCase() === name.toLowerCase())) {
          this.rules.add(`${where}.name`, `"${name}" is the name of a step the pipeline adds itself (${RESERVED_STEP_NAMES.join(', ')}); choose another, e.g. "${name}Tests"`);
        } else if (names.has(name.toLowerCase())) {
          this.rules.add(`${where}.name`, `"${name}" is used twice in this stage (also ${path}[${names.get(name.toLowerCase())}]); give each validation its own name`);
        } else {
          names.set(name.toLowerCase(), i);
        }
      }
      if (this.rules.here(`${where}.commands`)) {
        if (v.commands.length === 0) {
          this.rules.add(`${where}.commands`, 'is empty; give the shell commands that run the tests, e.g. ["npm run integ"]');
        }
        v.commands.forEach((command, c) => {
          if (this.rules.here(`${where}.commands[${c}]`) && command.trim() === '') {
            this.rules.add(`${where}.commands[${c}]`, `${valueText(command)} is an empty command; remove it or write the shell command to run`);
          }
        });
      }
      for (const [variable, output] of Object.entries(this.rules.here(`${where}.outputs`) ? v.outputs ?? {} : {})) {
        if (!/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(variable)) {
          this.rules.add(`${where}.outputs`, `${valueText(variable)} is not an environment variable name; use letters, digits and "_", not starting with a digit, e.g. "API_URL"`);
        }
        if (output.trim() === '') {
          this.rules.add(`${where}.outputs.${variable}`, 'is empty; give the construct id of a CfnOutput in the stage, e.g. "ApiUrl"');
        }
      }
    });
  }

  // -------------------------------------------------------------------------------------------
  // Production
  // -------------------------------------------------------------------------------------------

  /** Checks production and returns how many waves (pipeline stages) it declares. */
  private checkProduction(prod: ProductionSpec): number {
    const waves = this.rules.here('production.waves') ? prod.waves : [];
    if (this.rules.here('production.waves') && waves.length === 0) {
      this.rules.add('production.waves', 'is empty; declare at least one wave, e.g. waves: [{ regions: ["us-east-1"] }]');
    }
    const prodAccount = this.rules.here('production.account') ? prod.account : undefined;
    if (prodAccount !== undefined) this.checkAccount(prodAccount, 'production.account');
    const prodBake = this.rules.here('production.bake') ? prod.bake : undefined;
    const prodOneBoxBake = this.rules.here('production.oneBoxBake') ? prod.oneBoxBake : undefined;
    this.checkBake(prodBake, 'production.bake');
    this.checkBake(prodOneBoxBake, 'production.oneBoxBake');
    const prodWindow = this.rules.here('production.window') ? this.checkWindow(prod.window, 'production.window') : undefined;
    if (this.rules.here('production.validations') && prod.validations !== undefined) this.checkValidations(prod.validations, 'production.validations');
    if (this.rules.here('production.maxWindowHoldMinutes') && prod.maxWindowHoldMinutes !== undefined && prod.maxWindowHoldMinutes > MAX_WINDOW_HOLD_MINUTES) {
      this.rules.add('production.maxWindowHoldMinutes', `${valueText(prod.maxWindowHoldMinutes)} is longer than ${MAX_WINDOW_HOLD_MINUTES} minutes; the window gate is a CodePipeline approval, which times out after ${MAX_APPROVAL_TIMEOUT_MINUTES} minutes (7 days), and it needs ${GATE_TIMEOUT_MARGIN_MINUTES} minutes of margin: use at most ${MAX_WINDOW_HOLD_MINUTES}, e.g. 7200 for five days`);
    }
    const oneBox = this.rules.here('production.oneBox') ? prod.oneBox ?? true : true;
    const accountUnknown = !this.rules.here('production.account');

    const deployedAt = new Map<string, string>();
    waves.forEach((wave: WaveSpec, w) => {
      const path = `production.waves[${w}]`;
      if (!this.rules.here(path)) return;
      const nameOk = this.rules.here(`${path}.name`);
      const name = nameOk ? wave.name ?? defaultWaveName(w) : undefined;
      if (name !== undefined) this.claimStageName(name, path, wave.name !== undefined ? `${path}.name` : path);
      let account = prodAccount;
      if (this.rules.here(`${path}.account`) && wave.account !== undefined) {
        this.checkAccount(wave.account, `${path}.account`);
        account = wave.account;
      } else if (wave.account === undefined && prod.account === undefined && !accountUnknown) {
        this.rules.add(`${path}.account`, 'is missing and production.account is not set; set production.account (or an account on every wave)');
      }
      const regions = this.rules.here(`${path}.regions`) ? this.checkRegions(wave.regions, `${path}.regions`, true) : [];
      if (this.rules.here(`${path}.regions`)) {
        wave.regions.forEach((region, r) => {
          if (!this.rules.here(`${path}.regions[${r}]`)) return;
          const where = `${path}.regions[${r}]`;
          const first = deployedAt.get(region);
          if (first) {
            this.rules.add(where, `"${region}" is already deployed by ${first}; a production region belongs to exactly one wave: remove one of them`);
          } else {
            deployedAt.set(region, where);
          }
        });
      }
      const bakeOk = this.rules.here(`${path}.bake`);
      const oneBoxBakeOk = this.rules.here(`${path}.oneBoxBake`);
      if (bakeOk) this.checkBake(wave.bake, `${path}.bake`);
      if (oneBoxBakeOk) this.checkBake(wave.oneBoxBake, `${path}.oneBoxBake`);
      const early = w < RELEASE_DEFAULTS.earlyWaves;
      const waveText = `wave ${w + 1}${name ? ` ("${name}")` : ''}`;
      if (bakeOk) {
        this.checkDatapoints([{ own: wave.bake, ownPath: `${path}.bake` }, { own: prodBake, ownPath: 'production.bake' }],
          early ? RELEASE_DEFAULTS.earlyWaveBakeMinutes : RELEASE_DEFAULTS.laterWaveBakeMinutes, `the fleet bake of ${waveText}`);
      }
      if (oneBoxBakeOk && oneBox) {
        this.checkDatapoints([{ own: wave.oneBoxBake, ownPath: `${path}.oneBoxBake` }, { own: prodOneBoxBake, ownPath: 'production.oneBoxBake' }],
          early ? RELEASE_DEFAULTS.earlyOneBoxBakeMinutes : RELEASE_DEFAULTS.laterOneBoxBakeMinutes, `the one-box bake of ${waveText}`);
      }
      const ownWindow = this.rules.here(`${path}.window`) && wave.window !== undefined
        ? this.checkWindow(wave.window, `${path}.window`, regions[0])
        : undefined;
      const windowOk = wave.window === undefined ? prodWindow !== undefined || prod.window === undefined : ownWindow !== undefined;
      const ownValidations = this.rules.here(`${path}.validations`) ? wave.validations : undefined;
      if (ownValidations !== undefined) this.checkValidations(ownValidations, `${path}.validations`);
      const validations = ownValidations ?? (this.rules.here('production.validations') ? prod.validations ?? [] : []);
      if (this.rules.here(`${path}.regions`)) {
        this.checkActionQuota(wave.regions, path, oneBox, true, validations.length);
      }
      const regionsKnown = regions.length > 0 && regions.length === wave.regions.length && regions.every((r) => regionInfo(r));
      if (windowOk && regionsKnown && this.windowsValid(path)) {
        this.checkWindowsOverlap(regions, ownWindow ?? prodWindow, path);
      }
      if (name !== undefined) {
        for (const region of regions) {
          if (oneBox) this.claimTarget(targetId(name, region, 'ONE_BOX'), region, account, path);
          this.claimTarget(targetId(name, region, 'FLEET'), region, account, path);
        }
      }
    });
    return waves.length;
  }

  private windowsValid(path: string): boolean {
    return !this.rules.problems.some((p) => p.path.startsWith(`${path}.window`) || p.path.startsWith('production.window'));
  }

  /**
   * Runs the window rules (window.ts) on the fields the schema accepted; returns the window when
   * every field was accepted, for the overlap check.
   */
  private checkWindow(window: DeploymentWindowSpec | undefined, path: string, region?: string): DeploymentWindowSpec | undefined {
    if (window === undefined) return undefined;
    const accepted: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(window)) {
      if (this.rules.whole(`${path}.${key}`)) accepted[key] = value;
    }
    // Hours are judged together (end after start); with one refused, judging the other against a default misleads.
    if (!('startHour' in accepted) || !('endHour' in accepted)) {
      if (window.startHour !== undefined || window.endHour !== undefined) {
        if (!this.rules.here(`${path}.startHour`) || !this.rules.here(`${path}.endHour`)) {
          delete accepted.startHour;
          delete accepted.endHour;
        }
      }
    }
    for (const p of validateWindow(accepted as DeploymentWindowSpec, path, region)) this.rules.add(p.path, p.message);
    return this.rules.whole(path) ? window : undefined;
  }

  /**
   * CodePipeline starts the regions of a stage together, so a wave can only start when all its
   * regions' windows are open at once. Blackouts and holidays are left out: they close a window for
   * days, not for every week.
   */
  private checkWindowsOverlap(regions: string[], window: DeploymentWindowSpec | undefined, path: string) {
    if (regions.length < 2) return;
    const spec = { ...window, blackouts: [], publicHolidays: false };
    const windows = regions.map((region) => ({ region, window: resolveWindow(spec, region) }));
    const shut = OVERLAP_REFERENCE_WEEKS.some((week) => nextCommonOpening(windows.map((w) => w.window), week, 7) === undefined);
    if (!shut) return;
    const listed = windows.map((w) => `${w.region} (${hoursText(w.window)} ${w.window.timeZone})`).join(', ');
    this.rules.add(`${path}.regions`, `the deployment windows of ${listed} are never open at the same time; CodePipeline starts the regions of a wave together, so a wave needs an hour when all its windows are open: put these regions in different waves (e.g. by continent), or give the wave one window in one time zone (window: { timeZone: "UTC", ... })`);
  }

  private checkActionQuota(regions: string[], path: string, oneBox: boolean, windowGate: boolean, validations: number) {
    const perRegion = regionActions(oneBox, this.shape) + validations;
    const gate = windowGate ? 1 : 0; // one window gate per wave
    const actions = perRegion * regions.length + gate;
    if (actions <= CODEPIPELINE_QUOTAS.actionsPerStage) return;
    const maxRegions = Math.max(1, Math.floor((CODEPIPELINE_QUOTAS.actionsPerStage - gate) / perRegion));
    const groups: string[][] = [];
    for (let i = 0; i < regions.length; i += maxRegions) groups.push(regions.slice(i, i + maxRegions));
    const counted = `${regions.length} regions x ${perRegion} actions${gate ? ' + 1 window gate' : ''}`;
    const shown = groups.slice(0, 3).map((g) => JSON.stringify(g)).join(', ') + (groups.length > 3 ? ', ...' : '');
    this.rules.add(`${path}.regions`, `wave would render ${actions} actions (${counted}); CodePipeline allows ${CODEPIPELINE_QUOTAS.actionsPerStage} per stage: split it into ${groups.length} waves of at most ${maxRegions} regions, e.g. ${shown}`);
  }

  // -------------------------------------------------------------------------------------------
  // Fields
  // -------------------------------------------------------------------------------------------

  private checkAccount(account: string, path: string) {
    if (/^\d{12}$/.test(account)) return;
    if (account.length === 0) {
      this.rules.add(path, 'is empty; give the 12-digit AWS account id, e.g. "123456789012"');
      return;
    }
    const digits = account.length <= 64 ? account.replace(/\D/g, '') : '';
    const fix = digits.length === 12 ? `write it as "${digits}" (digits only)` : 'use the 12 digits of the AWS account id, e.g. "123456789012"';
    this.rules.add(path, `${valueText(account)} is not a 12-digit AWS account id; ${fix}`);
  }

  /** Checks a list of regions; returns the ones that are known commercial regions, in order. */
  private checkRegions(regions: string[], path: string, duplicatesReportedByWave: boolean): string[] {
    if (regions.length === 0) {
      this.rules.add(path, duplicatesReportedByWave
        ? 'is empty; a wave deploys at least one region (remove the wave or list its regions)'
        : 'is empty; list at least one region, e.g. ["us-east-1"]');
      return [];
    }
    const known: string[] = [];
    const seen = new Map<string, number>();
    regions.forEach((region, r) => {
      if (!this.rules.here(`${path}[${r}]`)) return;
      const problem = regionProblem(region);
      if (problem) this.rules.add(`${path}[${r}]`, problem);
      else if (!seen.has(region)) known.push(region);
      if (!duplicatesReportedByWave && seen.has(region)) {
        this.rules.add(`${path}[${r}]`, `"${region}" is listed twice (also at ${path}[${seen.get(region)}]); remove one`);
      }
      if (!seen.has(region)) seen.set(region, r);
    });
    return known;
  }

  private checkBake(bake: BakeSpec | undefined, path: string) {
    for (const p of requestFieldProblems(bake, path)) if (this.rules.here(p.path)) this.rules.add(p.path, p.message);
    if (bake === undefined || !this.rules.here(`${path}.minutes`) || bake.minutes === undefined) return;
    const datapoints = this.rules.here(`${path}.minHealthyDatapoints`) ? bake.minHealthyDatapoints : undefined;
    if (datapoints !== undefined && bake.minutes <= MAX_BAKE_MINUTES && datapoints > bake.minutes / BAKE_DATAPOINT_PERIOD_MINUTES) {
      this.rules.add(`${path}.minHealthyDatapoints`, `${datapoints} healthy datapoints cannot be reached in a bake of ${bake.minutes} minutes (${path}.minutes): alarms produce at most one datapoint a minute, so use at most ${Math.floor(bake.minutes / BAKE_DATAPOINT_PERIOD_MINUTES)}, or bake at least ${datapoints * BAKE_DATAPOINT_PERIOD_MINUTES} minutes`);
    }
    if (bake.minutes > MAX_BAKE_MINUTES) {
      const unit = bake.minutes >= 60 * MAX_BAKE_MINUTES / 7 ? ' (bake minutes are minutes, not seconds)' : '';
      this.rules.add(`${path}.minutes`, `${valueText(bake.minutes)} is longer than ${MAX_BAKE_MINUTES} minutes${unit}; the bake is a CodePipeline approval, which times out after ${MAX_APPROVAL_TIMEOUT_MINUTES} minutes (7 days), and it needs ${GATE_TIMEOUT_MARGIN_MINUTES} minutes of margin: use at most ${MAX_BAKE_MINUTES}`);
    }
  }

  /**
   * Healthy datapoints must be reachable in the bake: at one datapoint per period, a bake of N
   * minutes sees at most N. Checked on the resolved bake (own fields, then inherited, then the
   * default minutes), reported at the field the datapoints came from.
   */
  private checkDatapoints(chain: Array<{ own: BakeSpec | undefined; ownPath: string }>, defaultMinutes: number, what: string) {
    const from = chain.find((c) => c.own?.minHealthyDatapoints !== undefined && this.rules.here(`${c.ownPath}.minHealthyDatapoints`));
    if (!from || chain.some((c) => c.own?.minHealthyDatapoints !== undefined && !this.rules.here(`${c.ownPath}.minHealthyDatapoints`))) return;
    const minutesFrom = chain.find((c) => c.own?.minutes !== undefined);
    if (minutesFrom && !this.rules.here(`${minutesFrom.ownPath}.minutes`)) return;
    const minutes = minutesFrom?.own?.minutes ?? defaultMinutes;
    if (minutes > MAX_BAKE_MINUTES) return;
    const datapoints = from.own!.minHealthyDatapoints!;
    const reachable = Math.floor(minutes / BAKE_DATAPOINT_PERIOD_MINUTES);
    if (datapoints <= reachable) return;
    const path = `${from.ownPath}.minHealthyDatapoints`;
    if (minutesFrom === from) return; // reported by checkBake, where both fields are set
    const minutesText = minutesFrom ? `${minutes} minutes (${minutesFrom.ownPath}.minutes)` : `${minutes} minutes (the default)`;
    const message = minutes === 0
      ? `${datapoints} healthy datapoints can never be reached: ${what} lasts 0 minutes (no bake); set bake minutes of at least ${datapoints * BAKE_DATAPOINT_PERIOD_MINUTES}, or remove minHealthyDatapoints`
      : `${datapoints} healthy datapoints cannot be reached in ${what}, which lasts ${minutesText}: alarms produce at most one datapoint a minute, so use at most ${reachable}, or bake at least ${datapoints * BAKE_DATAPOINT_PERIOD_MINUTES} minutes`;
    if (!this.rules.problems.some((p) => p.path === path && p.message === message)) this.rules.add(path, message);
  }

  // -------------------------------------------------------------------------------------------
  // Names
  // -------------------------------------------------------------------------------------------

  /** A stage or wave name: valid for every name derived from it, and unique after slugging. */
  private claimStageName(name: string, stagePath: string, namePath: string) {
    const problem = stageNameProblem(name);
    if (problem) {
      this.rules.add(namePath, problem);
      return;
    }
    const previous = this.names.get(name.toLowerCase());
    if (previous) {
      this.rules.add(namePath, `"${name}" is already used by ${previous.path}; every stage and wave needs its own name: rename one of them`);
      return;
    }
    this.names.set(name.toLowerCase(), { path: stagePath, name });
    const key = slug(name);
    const sameSlug = this.slugs.get(key);
    if (sameSlug) {
      this.rules.add(namePath, `"${name}" and "${sameSlug.name}" (${sameSlug.path}) both become "${key}" in target ids, so their alarms, roles and parameters would share names; rename one, e.g. "${name.replace(/-+/g, '')}"`);
      return;
    }
    this.slugs.set(key, { path: stagePath, name });
  }

  private claimTarget(id: string, region: string, account: string | undefined, path: string) {
    this.targetIds.push({ id, region, account, path });
  }

  /** The names derived from the pipeline name and the target ids must fit the services' limits. */
  private checkDerivedNames() {
    if (this.pipelineName === undefined) return;
    const pipeline = this.pipelineName;
    const pipelineLevel: Array<[string, string, number]> = [
      ['event bus', healthEventBusName(pipeline), NAME_LIMITS.eventBusName],
      ['log group', controllerLogGroupName(pipeline), NAME_LIMITS.logGroupName],
    ];
    for (const [what, name, limit] of pipelineLevel) {
      if (name.length > limit) this.rules.add('pipelineName', `makes the ${what} name "${name.slice(0, 40)}..." ${name.length} characters long, over the limit of ${limit}; use a shorter pipeline name`);
    }
    let reported = false;
    for (const target of this.targetIds) {
      if (reported) break;
      const alarm = compositeAlarmName(pipeline, target.id);
      const parameterArn = `arn:aws:ssm:${target.region}:${target.account ?? '123456789012'}:parameter${healthParameterName(pipeline, target.id)}`;
      const over = alarm.length > NAME_LIMITS.alarmName
        ? `the alarm name "${alarm.slice(0, 40)}..." is ${alarm.length} characters, over CloudWatch's ${NAME_LIMITS.alarmName}`
        : parameterArn.length > NAME_LIMITS.parameterArn
          ? `the parameter ARN is ${parameterArn.length} characters, over SSM's ${NAME_LIMITS.parameterArn}`
          : undefined;
      if (over) {
        this.rules.add(`${target.path}.name`, `with pipeline name "${pipeline}", ${over}; shorten the stage or the pipeline name`);
        reported = true;
      }
    }
  }
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

/**
 * Mondays in winter and summer: the hours of region-local windows shift against each other with
 * daylight saving, so a wave's windows must overlap in both. Fixed dates keep validation a pure
 * function of the declaration.
 */
const OVERLAP_REFERENCE_WEEKS = [new Date('2026-01-05T00:00:00Z'), new Date('2026-07-06T00:00:00Z')];
