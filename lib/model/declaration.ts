/**
 * The release a user declares. Plain data, no aws-cdk-lib: the same declaration is rendered by the
 * constructs, enforced by the Lambda handlers and shown by the `wave-pipelines` command.
 *
 * Durations are whole minutes so that the model stays free of aws-cdk-lib's `Duration`.
 */

/** Days of the week a deployment window can allow. */
export enum Weekday {
  MONDAY = 'MON',
  TUESDAY = 'TUE',
  WEDNESDAY = 'WED',
  THURSDAY = 'THU',
  FRIDAY = 'FRI',
  SATURDAY = 'SAT',
  SUNDAY = 'SUN',
}

/** What a bake does when its health signal had no data for the whole bake. */
export enum NoDataPolicy {
  /** Fail the bake: a target nobody measured is not known to be healthy. */
  FAIL = 'FAIL',
  /** Pass the bake, and log a warning naming the silent alarms. */
  PASS_WITH_WARNING = 'PASS_WITH_WARNING',
}

/** Kinds of validation run after a pre-production deployment. */
export enum ValidationKind {
  INTEGRATION = 'INTEGRATION',
  LOAD = 'LOAD',
  ACCESSIBILITY = 'ACCESSIBILITY',
  OTHER = 'OTHER',
}

/**
 * When a deployment may start, in the local time of a time zone.
 *
 * A window is open on an allowed weekday between `startHour` (inclusive) and `endHour`
 * (exclusive), unless the date is a blackout date or, when `publicHolidays` is on, a public
 * holiday of the region's country.
 */
export interface DeploymentWindowSpec {
  /**
   * IANA time zone name, e.g. `Europe/Dublin`.
   * @maxLength 64
   * @default - the local time zone of the region being deployed
   */
  readonly timeZone?: string;
  /**
   * Weekdays on which the window opens.
   * @default - Monday to Thursday (no Friday deployments)
   */
  readonly weekdays?: Weekday[];
  /**
   * Local hour at which the window opens, 0-23.
   * @asType integer
   * @minimum 0
   * @maximum 23
   * @default 9
   */
  readonly startHour?: number;
  /**
   * Local hour at which the window closes, 1-24 (exclusive).
   * @asType integer
   * @minimum 1
   * @maximum 24
   * @default 17
   */
  readonly endHour?: number;
  /**
   * Dates on which nothing deploys: `YYYY-MM-DD` for one day, `YYYY-MM-DD..YYYY-MM-DD` for an
   * inclusive range (in the window's time zone).
   * @default - none
   */
  readonly blackouts?: string[];
  /**
   * Close the window on the public holidays of the region's country (from the `date-holidays`
   * data package).
   * @default true
   */
  readonly publicHolidays?: boolean;
  /**
   * Public-holiday calendar to use, as an ISO 3166 country code (optionally `CC-STATE`).
   * @maxLength 64
   * @default - the country of the region being deployed
   */
  readonly holidayCountry?: string;
}

/** How a deployment target bakes. */
export interface BakeSpec {
  /**
   * Minutes the health signal must stay OK after the deployment.
   * @asType integer
   * @minimum 0
   * @default - depends on the stage; see `ReleasePlan` defaults
   */
  readonly minutes?: number;
  /**
   * Healthy datapoints every watched metric must have produced during the bake, besides the
   * elapsed time.
   * @asType integer
   * @minimum 0
   * @default 0
   */
  readonly minHealthyDatapoints?: number;
  /**
   * What happens when no alarm had data for the whole bake.
   * @default NoDataPolicy.FAIL
   */
  readonly noData?: NoDataPolicy;
  /**
   * Whether every canary the target's `ReleaseMonitor` watches must complete a run during the
   * bake. A canary that stopped running keeps its alarm OK, so without runs nothing watches the
   * target; set `false` only for canaries that run less often than the bake lasts.
   * @default true
   */
  readonly requireCanaryRuns?: boolean;
}

/** A test run after a pre-production deployment, e.g. integration or load tests. */
export interface ValidationSpec {
  /** Name of the step, shown in the pipeline. */
  readonly name: string;
  /** Shell commands to run (in a CodeBuild project) against the deployed stage. */
  readonly commands: string[];
  /**
   * What the validation checks.
   * @default ValidationKind.INTEGRATION
   */
  readonly kind?: ValidationKind;
  /**
   * Environment variables set from the deployed stage's CloudFormation outputs (CDK Pipelines
   * `envFromCfnOutputs`): variable name -> construct id of a `CfnOutput` in the stage your
   * factory builds for the target, e.g. `{ API_URL: 'ApiUrl' }`.
   * @default - none
   */
  readonly outputs?: { [variable: string]: string };
}

/** A pre-production stage: alpha, beta, gamma, zeta, or a custom name between them. */
export interface PreProductionStageSpec {
  /** Stage name. `alpha`, `beta`, `gamma`, `zeta` must appear in that order. */
  readonly name: string;
  /** 12-digit AWS account id. */
  readonly account: string;
  /** Regions deployed in parallel in this stage. */
  readonly regions: string[];
  /**
   * Bake after the deployment.
   * @default - no bake in pre-production
   */
  readonly bake?: BakeSpec;
  /**
   * Deploy a one-box before the rest of each region.
   * @default false
   */
  readonly oneBox?: boolean;
  /**
   * Tests run after the deployment of each region.
   * @default - none
   */
  readonly validations?: ValidationSpec[];
}

/** A production wave: regions deployed in parallel, after the previous wave finished baking. */
export interface WaveSpec {
  /** Regions of this wave. */
  readonly regions: string[];
  /**
   * Name of the wave (CodePipeline stage name).
   * @default - `Prod-Wave-<n>`
   */
  readonly name?: string;
  /**
   * Account of this wave.
   * @default - `ProductionSpec.account`
   */
  readonly account?: string;
  /**
   * Bake after the fleet deployment in each region of the wave.
   * @default - `ProductionSpec.bake`, else 60 minutes in the first two waves and 30 after
   */
  readonly bake?: BakeSpec;
  /**
   * Bake after the one-box deployment.
   * @default - `ProductionSpec.oneBoxBake`, else 30 minutes in the first two waves and 15 after
   */
  readonly oneBoxBake?: BakeSpec;
  /**
   * Window in which the wave may start.
   * @default - `ProductionSpec.window`
   */
  readonly window?: DeploymentWindowSpec;
  /**
   * Tests run after the fleet deployment of each region of the wave, before its bake.
   * @default - `ProductionSpec.validations`
   */
  readonly validations?: ValidationSpec[];
}

/** Production: waves of regions, each region with an optional one-box first. */
export interface ProductionSpec {
  /** Waves in order. The first waves usually hold one region each. */
  readonly waves: WaveSpec[];
  /**
   * Production account, unless a wave names its own.
   * @default - every wave must name its account
   */
  readonly account?: string;
  /**
   * Deploy a one-box in each region before the rest of that region.
   * @default true
   */
  readonly oneBox?: boolean;
  /** Default fleet bake of every wave. @default - 60 minutes in the first two waves, 30 after */
  readonly bake?: BakeSpec;
  /** Default one-box bake of every wave. @default - 30 minutes in the first two waves, 15 after */
  readonly oneBoxBake?: BakeSpec;
  /**
   * Default validations of every wave: tests run after the fleet deployment of each region,
   * before its bake (e.g. smoke tests against the production endpoint).
   * @default - none
   */
  readonly validations?: ValidationSpec[];
  /**
   * Default deployment window of every wave.
   * @default - Monday to Thursday, 09:00-17:00 region-local time, closed on public holidays
   */
  readonly window?: DeploymentWindowSpec;
  /**
   * Fail a wave whose window stays closed for longer than this many minutes, without deploying.
   * @asType integer
   * @minimum 1
   * @default 7200 (five days: a release reaching a Mon-Thu window on Thursday evening waits until Monday, or Tuesday after a holiday)
   */
  readonly maxWindowHoldMinutes?: number;
}

/** Everything a release goes through, from alpha to the last production wave. */
export interface ReleaseDeclaration {
  /** Pre-production stages in order. @default - none */
  readonly preProduction?: PreProductionStageSpec[];
  /** Production waves. */
  readonly production: ProductionSpec;
}
