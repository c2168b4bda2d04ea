import { BakePreset, presetWaveBake } from './bake-presets';
import { BakeSpec, NoDataPolicy, ReleaseDeclaration, ValidationKind, ValidationSpec } from './declaration';
import { defaultStopSwitchName, targetId } from './naming';
import {
  CustomStepPlacement, PLAN_SCHEMA_VERSION, PlannedBake, PlannedRegion, PlannedStage, PlannedTarget, PlannedValidation, ReleasePlan,
  STAGE_KIND, TARGET_KIND,
} from './plan';
import { Problem } from './problem';
import { REQUEST_DEFAULTS } from './request-bake';
import { defaultWaveName, PipelineFacts, ReleaseValidationError, validateRelease } from './validation';
import { resolveWindow } from './window/resolve';

/** Where the pipeline lives; names of pipeline-level resources. */
export interface PlanOptions {
  /** Name of the CodePipeline. */
  readonly pipelineName: string;
  /** @default 'unknown' */
  readonly pipelineAccount?: string;
  /** @default 'unknown' */
  readonly pipelineRegion?: string;
  /** @default `/cdk-wave-pipelines/<pipeline>/stop-all-releases` */
  readonly stopSwitchParameterName?: string;
  /**
   * CloudFormation stacks in each deployment target, for the actions-per-stage quota check.
   * @default 1
   */
  readonly stacksPerTarget?: number;
  /**
   * Steps of your own placed before or after stages' deployments (`WavePipelineProps.stageSteps`).
   * @default - none
   */
  readonly customSteps?: CustomStepPlacement[];
}

/**
 * Defaults that follow the practice AWS describes for its own services: every production
 * deployment (one-box and fleet) bakes, longer in the first waves where the blast radius is small
 * and the signal is fresh; one-box is on in production; production waves only start in business
 * hours on Monday to Thursday, region-local, outside public holidays.
 */
export const RELEASE_DEFAULTS = {
  /** Fleet bake of the first `earlyWaves` production waves, minutes. */
  earlyWaveBakeMinutes: 60,
  /** Fleet bake of later waves, minutes. */
  laterWaveBakeMinutes: 30,
  /** One-box bake of the first `earlyWaves` waves, minutes. */
  earlyOneBoxBakeMinutes: 30,
  /** One-box bake of later waves, minutes. */
  laterOneBoxBakeMinutes: 15,
  /** How many waves count as early. */
  earlyWaves: 2,
  /** A window gate holding longer than this fails. */
  maxWindowHoldMinutes: 5 * 24 * 60,
  /** Pre-production bake, minutes. */
  preProductionBakeMinutes: 0,
};

/**
 * Validates a declaration and resolves every default into the ordered plan the pipeline runs.
 * Throws `ReleaseValidationError` listing every problem at once (of the declaration, the options
 * and the pipeline `facts`).
 */
export function buildReleasePlan(decl: ReleaseDeclaration, options: PlanOptions, facts: PipelineFacts = {}): ReleasePlan {
  const problems = validateRelease(decl, options ?? null, facts);
  if (problems.length > 0) throw new ReleaseValidationError(problems);

  const stages: PlannedStage[] = [];
  for (const pre of decl.preProduction ?? []) {
    const bake = resolveBake(pre.bake, undefined, RELEASE_DEFAULTS.preProductionBakeMinutes);
    stages.push({
      name: pre.name,
      kind: STAGE_KIND.PRE_PRODUCTION,
      wave: 0,
      regions: pre.regions.map((region): PlannedRegion => ({
        region,
        account: pre.account,
        oneBox: pre.oneBox ? target(pre.name, region, pre.account, TARGET_KIND.ONE_BOX, bake) : undefined,
        fleet: target(pre.name, region, pre.account, TARGET_KIND.FLEET, bake),
        validations: planValidations(pre.validations),
      })),
    });
  }

  const prod = decl.production;
  prod.waves.forEach((wave, w) => {
    const name = wave.name ?? defaultWaveName(w);
    const account = (wave.account ?? prod.account)!;
    // QUICK gives the RELEASE_DEFAULTS minutes; a preset only fills bakes the declaration leaves out.
    const ladder = presetWaveBake(prod.bakePreset ?? BakePreset.QUICK, w);
    const fleetBake = resolveBake(wave.bake, prod.bake, ladder.fleetMinutes);
    const oneBoxBake = resolveBake(wave.oneBoxBake, prod.oneBoxBake, ladder.oneBoxMinutes);
    stages.push({
      name,
      kind: STAGE_KIND.PRODUCTION,
      wave: w + 1,
      regions: wave.regions.map((region): PlannedRegion => ({
        region,
        account,
        window: resolveWindow(wave.window ?? prod.window, region),
        oneBox: (prod.oneBox ?? true) ? target(name, region, account, TARGET_KIND.ONE_BOX, oneBoxBake) : undefined,
        fleet: target(name, region, account, TARGET_KIND.FLEET, fleetBake),
        validations: planValidations(wave.validations ?? prod.validations),
      })),
    });
  });

  return {
    schemaVersion: PLAN_SCHEMA_VERSION,
    pipelineName: options.pipelineName,
    pipelineAccount: options.pipelineAccount ?? 'unknown',
    pipelineRegion: options.pipelineRegion ?? 'unknown',
    stopSwitchParameterName: options.stopSwitchParameterName ?? defaultStopSwitchName(options.pipelineName),
    maxWindowHoldMinutes: prod.maxWindowHoldMinutes ?? RELEASE_DEFAULTS.maxWindowHoldMinutes,
    ...(prod.bakePreset !== undefined ? { bakePreset: prod.bakePreset } : {}),
    stages: placeCustomSteps(stages, options.customSteps ?? []),
  };
}

/** Puts steps of your own on their stages; refuses a stage the release does not have and a name used twice. */
function placeCustomSteps(stages: PlannedStage[], placements: CustomStepPlacement[]): PlannedStage[] {
  const problems: Problem[] = [];
  placements.forEach((p, i) => {
    const stage = stages.find((s) => s.name === p.stageName);
    if (!stage) {
      problems.push({ path: `stageSteps[${i}].stageName`, message: `"${p.stageName}" is not a stage of the release; use one of ${stages.map((s) => `"${s.name}"`).join(', ')}` });
      return;
    }
    const taken = new Set([...stage.regions.flatMap((r) => r.validations.map((v) => v.name.toLowerCase())), 'window', 'bake', 'oneboxbake']);
    [...(p.pre ?? []), ...(p.post ?? [])].forEach((step) => {
      if (taken.has(step.name.toLowerCase())) {
        problems.push({ path: `stageSteps[${i}]`, message: `step "${step.name}" of stage "${p.stageName}" has the name of another step of that stage; give it its own id` });
      }
      taken.add(step.name.toLowerCase());
    });
  });
  if (problems.length > 0) throw new ReleaseValidationError(problems);
  return stages.map((stage) => {
    const mine = placements.filter((p) => p.stageName === stage.name);
    const pre = mine.flatMap((p) => p.pre ?? []).map((x) => ({ name: x.name, kind: x.kind }));
    const post = mine.flatMap((p) => p.post ?? []).map((x) => ({ name: x.name, kind: x.kind }));
    return { ...stage, ...(pre.length > 0 ? { preSteps: pre } : {}), ...(post.length > 0 ? { postSteps: post } : {}) };
  });
}

function resolveBake(own: BakeSpec | undefined, inherited: BakeSpec | undefined, defaultMinutes: number): PlannedBake {
  return {
    minutes: own?.minutes ?? inherited?.minutes ?? defaultMinutes,
    minHealthyDatapoints: own?.minHealthyDatapoints ?? inherited?.minHealthyDatapoints ?? 0,
    noData: own?.noData ?? inherited?.noData ?? NoDataPolicy.FAIL,
    ...resolveRequests(own, inherited),
    // written only when turned off, so plans (and their snapshots) of the default stay as they were
    ...((own?.requireCanaryRuns ?? inherited?.requireCanaryRuns) === false ? { requireCanaryRuns: false } : {}),
  };
}

function target(stageName: string, region: string, account: string, kind: string, bake: PlannedBake): PlannedTarget {
  return { id: targetId(stageName, region, kind), kind, stageName, region, account, bake };
}

function planValidations(specs: ValidationSpec[] | undefined): PlannedValidation[] {
  return (specs ?? []).map((v) => ({
    name: v.name,
    kind: v.kind ?? ValidationKind.INTEGRATION,
    commands: [...v.commands],
    // Written only when given, so plans without outputs keep their shape.
    ...(v.outputs && Object.keys(v.outputs).length > 0 ? { outputs: { ...v.outputs } } : {}),
  }));
}

/** The request fields, written only when the bake waits for requests, so other plans stay as they were. */
function resolveRequests(own: BakeSpec | undefined, inherited: BakeSpec | undefined): Pick<PlannedBake, 'minRequests' | 'noTraffic' | 'trafficWaitMinutes'> {
  const minRequests = own?.minRequests ?? inherited?.minRequests ?? 0;
  if (minRequests <= 0) return {};
  return {
    minRequests,
    noTraffic: own?.noTraffic ?? inherited?.noTraffic ?? REQUEST_DEFAULTS.noTraffic,
    trafficWaitMinutes: own?.trafficWaitMinutes ?? inherited?.trafficWaitMinutes ?? REQUEST_DEFAULTS.trafficWaitMinutes,
  };
}
