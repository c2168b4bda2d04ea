/**
 * What one release costs to run through the pipeline, estimated from a simulated timeline.
 *
 * Why it is cheap: every bake and every window gate is a CodePipeline *manual approval* action
 * that the release controller Lambda approves or rejects. CodePipeline V2 charges $0.002 per
 * action-minute for every action type except manual approval (and custom) actions, so hours of
 * bake cost nothing in CodePipeline; the controller Lambda, woken once a minute, costs fractions of
 * a cent. Holding the same bakes inside an action (a Lambda invoke or Step Functions action that
 * waits) would be charged for every minute of every bake: see `inActionBakeComparison`.
 *
 * Prices are us-east-1 on-demand list prices without free tiers (CodePipeline V2 gives 100 free
 * action-minutes a month, shared by all pipelines of the account).
 */
import { ReleasePlan } from './plan';
import { TIMELINE_PHASE, Timeline, TimelineEntry } from './simulate';

const MINUTE_MS = 60_000;

/** Prices and assumptions of the estimate. Every field is optional; missing ones come from `DEFAULT_PRICING`. */
export interface CostPricing {
  /** CodePipeline V2, per action-minute (each action's duration rounded up to the minute). @default 0.002 */
  readonly actionMinuteUsd?: number;
  /** CodeBuild on-demand compute per build-minute (general1.small, Linux). @default 0.005 */
  readonly codeBuildMinuteUsd?: number;
  /** Lambda compute per GB-second (x86). @default 0.0000166667 */
  readonly lambdaGbSecondUsd?: number;
  /** Lambda price per request ($0.20 per million). @default 0.0000002 */
  readonly lambdaRequestUsd?: number;
  /** Memory of the release controller Lambda. @default 256 */
  readonly controllerMemoryMb?: number;
  /** Billed duration of one controller invocation. @default 1 */
  readonly controllerSecondsPerInvocation?: number;
  /** Scheduled controller invocations per minute while the release runs. @default 1 */
  readonly controllerInvocationsPerMinute?: number;
  /** Event-driven controller invocations per deployment target (approval started, alarm changes). @default 3 */
  readonly controllerEventsPerTarget?: number;
  /** Minutes of the source action of one release. @default 1 */
  readonly sourceActionMinutes?: number;
  /** Minutes of the synth action (CodeBuild, `cdk synth`). @default 5 */
  readonly synthActionMinutes?: number;
  /** Minutes of the self-mutation action (CodeBuild, `cdk deploy` of the pipeline stack). @default 2 */
  readonly selfMutationActionMinutes?: number;
  /** Minutes of asset publishing (CodeBuild, file and image assets of one release). @default 3 */
  readonly assetActionMinutes?: number;
}

/** The prices and assumptions used when `estimateReleaseCost` is given none. */
export const DEFAULT_PRICING: Required<CostPricing> = {
  actionMinuteUsd: 0.002,
  codeBuildMinuteUsd: 0.005,
  lambdaGbSecondUsd: 0.0000166667,
  lambdaRequestUsd: 0.2 / 1_000_000,
  controllerMemoryMb: 256,
  controllerSecondsPerInvocation: 1,
  controllerInvocationsPerMinute: 1,
  controllerEventsPerTarget: 3,
  sourceActionMinutes: 1,
  synthActionMinutes: 5,
  selfMutationActionMinutes: 2,
  assetActionMinutes: 3,
};

/** One line of the estimate. */
export interface CostLineItem {
  /** Stable key, e.g. `codepipeline-deploy-actions`. */
  readonly id: string;
  readonly description: string;
  readonly quantity: number;
  /** Unit of `quantity`, e.g. `action-minute`, `build-minute`, `GB-second`, `request`. */
  readonly unit: string;
  readonly unitPriceUsd: number;
  readonly costUsd: number;
}

/** What the same bakes would cost if they were held inside a charged action instead of an approval. */
export interface InActionBakeComparison {
  /** Minutes of bake in the timeline (every one-box and fleet bake, failed ones up to the failure). */
  readonly bakeMinutes: number;
  readonly unitPriceUsd: number;
  readonly costUsd: number;
  readonly description: string;
}

/** The estimated cost of one release. */
export interface ReleaseCostEstimate {
  readonly lineItems: CostLineItem[];
  readonly totalUsd: number;
  readonly inActionBakeComparison: InActionBakeComparison;
  /** Assumptions a reader should know. */
  readonly notes: string[];
}

/**
 * Estimates the cost of one release of `plan` that runs as `timeline` says.
 *
 * Charged: CloudFormation deploy and rollback actions and CodeBuild validation actions for their
 * simulated minutes, the source, synth, self-mutation and asset actions for the minutes in
 * `pricing`, CodeBuild compute of every CodeBuild action, and the release controller Lambda.
 * Free: bake and window gates (manual approval actions).
 */
export function estimateReleaseCost(plan: ReleasePlan, timeline: Timeline, pricing: CostPricing = {}): ReleaseCostEstimate {
  const p: Required<CostPricing> = { ...DEFAULT_PRICING, ...definedOnly(pricing) };
  const actionMinutes = (phase: string) => timeline.entries
    .filter((e) => e.phase === phase)
    .reduce((sum, e) => sum + Math.ceil((e.end.getTime() - e.start.getTime()) / MINUTE_MS), 0);
  const deployMinutes = actionMinutes(TIMELINE_PHASE.DEPLOY);
  const rollbackMinutes = actionMinutes(TIMELINE_PHASE.ROLLBACK);
  const validationMinutes = actionMinutes(TIMELINE_PHASE.VALIDATE);
  const fixedMinutes = p.sourceActionMinutes + p.synthActionMinutes + p.selfMutationActionMinutes + p.assetActionMinutes;
  const fixedBuildMinutes = p.synthActionMinutes + p.selfMutationActionMinutes + p.assetActionMinutes;
  const deployedTargets = new Set(timeline.entries
    .filter((e) => e.phase === TIMELINE_PHASE.DEPLOY && e.targetId)
    .map((e) => e.targetId)).size;
  const invocations = Math.ceil(timeline.leadTimeMinutes * p.controllerInvocationsPerMinute)
    + deployedTargets * p.controllerEventsPerTarget;
  const gbSeconds = invocations * (p.controllerMemoryMb / 1024) * p.controllerSecondsPerInvocation;

  const lineItems: CostLineItem[] = [
    item('codepipeline-fixed-actions',
      'CodePipeline: source, synth, self-mutation and asset actions',
      fixedMinutes, 'action-minute', p.actionMinuteUsd),
    item('codepipeline-deploy-actions',
      'CodePipeline: CloudFormation deploy actions',
      deployMinutes, 'action-minute', p.actionMinuteUsd),
    item('codepipeline-validation-actions',
      'CodePipeline: CodeBuild validation actions',
      validationMinutes, 'action-minute', p.actionMinuteUsd),
    item('codepipeline-approval-actions',
      'CodePipeline: bake and window gates, manual approvals driven by the controller Lambda, not charged',
      approvalMinutes(timeline), 'action-minute', 0),
    item('codebuild-compute',
      'CodeBuild compute: synth, self-mutation, assets and validations',
      fixedBuildMinutes + validationMinutes, 'build-minute', p.codeBuildMinuteUsd),
    item('lambda-controller-compute',
      `Release controller Lambda: ${invocations} invocations x ${p.controllerMemoryMb} MB x ${p.controllerSecondsPerInvocation} s`,
      gbSeconds, 'GB-second', p.lambdaGbSecondUsd),
    item('lambda-controller-requests',
      'Release controller Lambda: requests (one a minute while the release runs, plus events)',
      invocations, 'request', p.lambdaRequestUsd),
  ];
  if (rollbackMinutes > 0) {
    lineItems.splice(2, 0, item('codepipeline-rollback-actions',
      'CodePipeline: CloudFormation deploy actions of the stage rollback',
      rollbackMinutes, 'action-minute', p.actionMinuteUsd));
  }

  const bakeMinutes = timeline.entries
    .filter((e) => e.phase === TIMELINE_PHASE.BAKE)
    .reduce((sum, e) => sum + (e.end.getTime() - e.start.getTime()) / MINUTE_MS, 0);
  const bakeCost = usd(bakeMinutes * p.actionMinuteUsd);

  return {
    lineItems,
    totalUsd: usd(lineItems.reduce((sum, i) => sum + i.costUsd, 0)),
    inActionBakeComparison: {
      bakeMinutes,
      unitPriceUsd: p.actionMinuteUsd,
      costUsd: bakeCost,
      description: `Holding the same ${bakeMinutes} bake minutes inside a Lambda or Step Functions action `
        + `would add $${bakeCost.toFixed(2)} per release (${bakeMinutes} x $${p.actionMinuteUsd}); `
        + 'as approvals they cost nothing in CodePipeline.',
    },
    notes: [
      `Pipeline ${plan.pipelineName}: one release, on-demand list prices, free tiers not deducted.`,
      'Each action is charged by the minute, rounded up; a CloudFormation deployment is counted as one action.',
      'Bakes and window gates are manual approval actions that the release controller Lambda approves; '
        + 'CodePipeline V2 does not charge for manual approval actions.',
    ],
  };
}

/**
 * Minutes spent in approval actions (bakes and window gates), shown at $0 so the saving is
 * visible. A stage has one window gate, which every region's `WINDOW_WAIT` entry shows: count it once.
 */
function approvalMinutes(timeline: Timeline): number {
  const minutes = (e: TimelineEntry) => Math.ceil((e.end.getTime() - e.start.getTime()) / MINUTE_MS);
  const bakes = timeline.entries.filter((e) => e.phase === TIMELINE_PHASE.BAKE).reduce((sum, e) => sum + minutes(e), 0);
  const gates = new Map<string, number>();
  for (const e of timeline.entries.filter((entry) => entry.phase === TIMELINE_PHASE.WINDOW_WAIT)) {
    gates.set(e.stageName, Math.max(gates.get(e.stageName) ?? 0, minutes(e)));
  }
  return bakes + [...gates.values()].reduce((sum, m) => sum + m, 0);
}

function item(id: string, description: string, quantity: number, unit: string, unitPriceUsd: number): CostLineItem {
  return { id, description, quantity, unit, unitPriceUsd, costUsd: usd(quantity * unitPriceUsd) };
}

/** Rounds to a millionth of a dollar so sums of many small prices print without float noise. */
function usd(value: number): number {
  return Math.round(value * 1_000_000) / 1_000_000;
}

function definedOnly(pricing: CostPricing): CostPricing {
  return Object.fromEntries(Object.entries(pricing).filter(([, v]) => v !== undefined)) as CostPricing;
}
