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
}

/** Bake of one deployment target, resolved. */
export interface PlannedBake {
  /** Minutes the health signal must stay OK. 0 = no bake. */
  readonly minutes: number;
  /** Healthy datapoints each watched metric must produce during the bake. */
  readonly minHealthyDatapoints: number;
  /** `FAIL` or `PASS_WITH_WARNING` when no alarm had data for the whole bake. */
  readonly noData: string;
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

/** One CodePipeline stage: a pre-production stage or a production wave. Regions run in parallel. */
export interface PlannedStage {
  /** CodePipeline stage name. */
  readonly name: string;
  /** `PRE_PRODUCTION` or `PRODUCTION`. */
  readonly kind: string;
  /** 1-based wave number in production; 0 in pre-production. */
  readonly wave: number;
  readonly regions: PlannedRegion[];
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
