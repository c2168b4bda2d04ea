/**
 * The release plan: a validated declaration with every default resolved, in the order the
 * pipeline runs it. It is what `WavePipeline` renders, what it writes into the cloud assembly as
 * `wave-pipelines.<pipeline>.plan.json` (see docs/plan-schema.md), what the release controller Lambda enforces
 * and what `wave-pipelines plan` prints.
 */

/** Version of the plan file layout; bump on any incompatible change. */
export const PLAN_SCHEMA_VERSION = 1;

/** File name of a pipeline's plan inside a cloud assembly directory: `wave-pipelines.<pipeline>.plan.json`. */
export function planFileName(pipelineName: string): string {
  return `wave-pipelines.${pipelineName.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.plan.json`;
}

/**
 * The plan inside the plan layer of the release controller's functions; Lambda extracts a layer to
 * /opt, so the handlers read `/opt/plan.json`.
 */
export const PLAN_LAYER_FILE = 'plan.json';
/** Where the handlers find the plan at run time. */
export const PLAN_RUNTIME_PATH = `/opt/${PLAN_LAYER_FILE}`;

/** Matches plan files written by `planFileName`. */
export const PLAN_FILE_PATTERN = /^wave-pipelines\.[a-z0-9-]+\.plan\.json$/;

/** A deployment window with every default resolved. */
export interface ResolvedWindow {
  /** IANA time zone the hours are read in. */
  readonly timeZone: string;
  /** Allowed weekdays, as `MON`..`SUN`. */
  readonly weekdays: string[];
  /** Local opening hour, 0-23. */
  readonly startHour: number;
  /** Local closing hour (exclusive), 1-24. */
  readonly endHour: number;
  /** Blackout dates `YYYY-MM-DD` or ranges `YYYY-MM-DD..YYYY-MM-DD`. */
  readonly blackouts: string[];
  /** Public-holiday calendar (ISO 3166 country, optionally `-STATE`); absent = holidays ignored. */
  readonly holidayCountry?: string;
  /**
   * The public holidays of `holidayCountry` that close the window (those on its weekdays), resolved
   * at synth time for `holidaysFrom`..`holidaysUntil`, in date order. The release controller judges
   * the window from these dates and loads no holiday library.
   * @default - none (no `holidayCountry`)
   */
  readonly holidays?: PublicHoliday[];
  /**
   * First local date `YYYY-MM-DD` the holiday dates cover. Before it, a window with a
   * `holidayCountry` is closed: whether a day is a holiday is not known.
   * @default - none (no `holidayCountry`)
   */
  readonly holidaysFrom?: string;
  /**
   * Last local date `YYYY-MM-DD` the holiday dates cover (the holiday horizon). After it, a window
   * with a `holidayCountry` is closed and its window gate fails: redeploy the pipeline with a newer
   * cdk-wave-pipelines to move the horizon.
   * @default - none (no `holidayCountry`)
   */
  readonly holidaysUntil?: string;
}

/** A public holiday on which a window is closed. */
export interface PublicHoliday {
  /** Local date, `YYYY-MM-DD`. */
  readonly date: string;
  /** The holiday's English name; several holidays on one day are listed comma-separated. */
  readonly name: string;
}

/** Bake of one deployment target, resolved. */
export interface PlannedBake {
  /** Minutes the health signal must stay OK. 0 = no bake. */
  readonly minutes: number;
  /** Healthy datapoints each watched metric must produce during the bake. */
  readonly minHealthyDatapoints: number;
  /** `FAIL` or `PASS_WITH_WARNING` when no alarm had data for the whole bake. */
  readonly noData: string;
  /** Requests the new code must serve during the bake; absent (plans of older versions) = 0. */
  readonly minRequests?: number;
  /** `HOLD` or `FAIL` when the `minRequests` do not come; absent = `HOLD`. */
  readonly noTraffic?: string;
  /** With `noTraffic` FAIL, minutes past the bake time the requests may take; absent = 60. */
  readonly trafficWaitMinutes?: number;
  /**
   * `false`: a watched canary that completed no run during the bake only warns. Absent (the
   * default) = such a bake fails.
   */
  readonly requireCanaryRuns?: boolean;
}

/** Kinds of deployment target. */
export const TARGET_KIND = { ONE_BOX: 'ONE_BOX', FLEET: 'FLEET' } as const;
/** Kinds of pipeline stage. */
export const STAGE_KIND = { PRE_PRODUCTION: 'PRE_PRODUCTION', PRODUCTION: 'PRODUCTION' } as const;

/** One deployment: a one-box or the fleet of one region in one stage. */
export interface PlannedTarget {
  /** Stable id, e.g. `prod-wave-1-us-east-1-fleet`; names the alarm, role and parameter of the target. */
  readonly id: string;
  /** `ONE_BOX` or `FLEET`. */
  readonly kind: string;
  /** CodePipeline stage the target is deployed in. */
  readonly stageName: string;
  readonly region: string;
  readonly account: string;
  readonly bake: PlannedBake;
}

/** A validation step run after a region's fleet is deployed, before its bake. */
export interface PlannedValidation {
  readonly name: string;
  readonly kind: string;
  readonly commands: string[];
  /** Environment variable -> construct id of a `CfnOutput` of the target's stage; absent = none. */
  readonly outputs?: { [variable: string]: string };
}

/** One region of a stage: window gate, optional one-box, fleet, validations. */
export interface PlannedRegion {
  readonly region: string;
  readonly account: string;
  /** The region's own window. Its stage (wave) starts only when the windows of all its regions are open at once; absent = no window. */
  readonly window?: ResolvedWindow;
  /** One-box deployment before the fleet; absent = no one-box. */
  readonly oneBox?: PlannedTarget;
  readonly fleet: PlannedTarget;
  readonly validations: PlannedValidation[];
}

/** A step of your own placed before or after a stage's deployments (a `ShellStep`, `CodeBuildStep`, `ManualApprovalStep`...). */
export interface PlannedStep {
  /** Step id, the action name in the pipeline. */
  readonly name: string;
  /** `SHELL`, `CODE_BUILD`, `MANUAL_APPROVAL` or `STEP` (any other). */
  readonly kind: string;
}

/** Steps of your own in one stage: `pre` run after its window gate and before any deployment, `post` after every region baked. */
export interface CustomStepPlacement {
  /** Name of the stage (pre-production stage or production wave). */
  readonly stageName: string;
  /** @default - none */
  readonly pre?: PlannedStep[];
  /** @default - none */
  readonly post?: PlannedStep[];
}

/** One CodePipeline stage: a pre-production stage or a production wave. Regions run in parallel. */
export interface PlannedStage {
  /** CodePipeline stage name. */
  readonly name: string;
  /** `PRE_PRODUCTION` or `PRODUCTION`. */
  readonly kind: string;
  /** 1-based wave number in production; 0 in pre-production. */
  readonly wave: number;
  readonly regions: PlannedRegion[];
  /** Steps of your own before the stage's deployments (after its window gate); absent = none. */
  readonly preSteps?: PlannedStep[];
  /** Steps of your own after every region of the stage baked; absent = none. */
  readonly postSteps?: PlannedStep[];
}

/** The whole release, in pipeline order. */
export interface ReleasePlan {
  readonly schemaVersion: number;
  readonly pipelineName: string;
  /** Account of the pipeline, or `unknown` when the pipeline stack is environment-agnostic. */
  readonly pipelineAccount: string;
  readonly pipelineRegion: string;
  /** SSM parameter (pipeline account and region) that stops every release when set to `ON`. */
  readonly stopSwitchParameterName: string;
  /** A window gate fails, without deploying, after holding this long. */
  readonly maxWindowHoldMinutes: number;
  /** Bake ladder that filled the production bakes the declaration left out (`QUICK`, `BUILDERS_LIBRARY`); absent = `QUICK`. */
  readonly bakePreset?: string;
  readonly stages: PlannedStage[];
}

/** Every deployment target of a plan, in pipeline order (one-box before fleet). */
export function planTargets(plan: ReleasePlan): PlannedTarget[] {
  const targets: PlannedTarget[] = [];
  for (const stage of plan.stages) {
    for (const region of stage.regions) {
      if (region.oneBox) targets.push(region.oneBox);
      targets.push(region.fleet);
    }
  }
  return targets;
}

/** The target with this id, or `undefined`. */
export function findTarget(plan: ReleasePlan, targetId: string): PlannedTarget | undefined {
  return planTargets(plan).find((t) => t.id === targetId);
}
