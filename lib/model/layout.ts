/**
 * The layout of the pipeline: every CodePipeline stage of the release, and in each the actions in
 * the order they run. Decided once, here, like aws-cdk's `PipelineGraph` ("makes all the decisions
 * on how to lay out the CodePipeline"): `WavePipeline` renders it, the simulator schedules it, the
 * CLI shows it, and a test checks the rendered pipeline against it action by action.
 *
 * Within one stage, actions run in phases: every action of a phase starts together (CodePipeline
 * run orders), and a phase starts when the one before it has finished. The regions of a stage
 * share phases, so they move through them together.
 */
import { PlannedRegion, PlannedStage, PlannedTarget, ReleasePlan, TARGET_KIND } from './plan';

/** What an action of the layout is. */
export enum LayoutActionKind {
  /** The stage's one window gate: an approval the release controller opens. */
  WINDOW_GATE = 'WINDOW_GATE',
  /** The deployment of one target (CloudFormation: prepare and deploy of each of its stacks). */
  DEPLOY = 'DEPLOY',
  /** A validation (CodeBuild) run after a fleet deployment, before its bake. */
  VALIDATION = 'VALIDATION',
  /** A bake gate: an approval the release controller approves or rejects. */
  BAKE_GATE = 'BAKE_GATE',
  /** A step of your own before the stage's deployments (after its window gate). */
  PRE_STEP = 'PRE_STEP',
  /** A step of your own after every region of the stage baked. */
  POST_STEP = 'POST_STEP',
}

/**
 * Every gate approval times out after the longest CodePipeline allows, 7 days
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html). The controller, not the
 * timeout, ends a bake or a window hold; a fixed timeout keeps the pipeline structure unchanged when
 * a bake or a hold limit changes, so stage rollback keeps its target execution.
 */
export const GATE_TIMEOUT_MINUTES = 7 * 24 * 60;

/** Minutes a gate needs beyond the bake or hold it guards, for the controller's last sweeps. */
export const GATE_MARGIN_MINUTES = 60;

/** Longest bake or window hold a gate can guard. */
export const MAX_GUARDED_MINUTES = GATE_TIMEOUT_MINUTES - GATE_MARGIN_MINUTES;

/** One action of the layout. */
export interface LayoutAction {
  readonly kind: LayoutActionKind;
  /**
   * Step id: `Window`, `OneBoxBake`, `Bake`, a validation's name, or `Deploy` for a deployment
   * (rendered by CDK Pipelines as `<stage id>.<stack>.Prepare` and `.Deploy`).
   */
  readonly name: string;
  /** 1-based phase within the stage: actions of one phase start together. */
  readonly phase: number;
  /** Region of the action; absent for the window gate (one per stage). */
  readonly region?: string;
  /** Target deployed or baked (DEPLOY, BAKE_GATE). */
  readonly targetId?: string;
  /** Approval timeout (gates only). */
  readonly timeoutMinutes?: number;
}

/** One CodePipeline stage of the layout. */
export interface LayoutStage {
  readonly name: string;
  readonly kind: string;
  readonly actions: LayoutAction[];
}

/** Step ids of the gates. */
export const GATE_STEP = { WINDOW: 'Window', ONE_BOX_BAKE: 'OneBoxBake', BAKE: 'Bake' } as const;

/** The layout of every deployment stage of the plan, in pipeline order. */
export function pipelineLayout(plan: ReleasePlan): LayoutStage[] {
  return plan.stages.map(stageLayout);
}

/** The layout of one stage. */
export function stageLayout(stage: PlannedStage): LayoutStage {
  const actions: LayoutAction[] = [];
  let phase = 1;
  if (stageHasWindowGate(stage)) {
    actions.push({ kind: LayoutActionKind.WINDOW_GATE, name: GATE_STEP.WINDOW, phase, timeoutMinutes: GATE_TIMEOUT_MINUTES });
    phase++;
  }
  if (stage.preSteps && stage.preSteps.length > 0) {
    actions.push(...stage.preSteps.map((x) => ({ kind: LayoutActionKind.PRE_STEP, name: x.name, phase })));
    phase++;
  }
  // Regions share phases; a phase exists when any region of the stage has an action in it.
  const sequences = stage.regions.map(regionSequence);
  const length = Math.max(...sequences.map((s) => s.length));
  for (let step = 0; step < length; step++) {
    const inStep = sequences.flatMap((sequence) => sequence[step] ?? []);
    if (inStep.length === 0) continue;
    actions.push(...inStep.map((a) => ({ ...a, phase })));
    phase++;
  }
  if (stage.postSteps && stage.postSteps.length > 0) {
    actions.push(...stage.postSteps.map((x) => ({ kind: LayoutActionKind.POST_STEP, name: x.name, phase })));
  }
  return { name: stage.name, kind: stage.kind, actions };
}

/** Whether the stage starts with a window gate: some region of it has a window. */
export function stageHasWindowGate(stage: PlannedStage): boolean {
  return stage.regions.some((r) => r.window !== undefined);
}

type Unphased = Omit<LayoutAction, 'phase'>;

/**
 * One region's actions, step by step: one-box deploy, one-box bake, fleet deploy, validations (all
 * at once), fleet bake. A region without a one-box or validations has the same steps empty, so its
 * fleet deploys in the same phase as the other regions' fleets.
 */
function regionSequence(region: PlannedRegion): Unphased[][] {
  const steps: Unphased[][] = [];
  const deploy = (t: PlannedTarget): Unphased => ({ kind: LayoutActionKind.DEPLOY, name: 'Deploy', region: region.region, targetId: t.id });
  const bake = (t: PlannedTarget): Unphased[] => (t.bake.minutes > 0
    ? [{
      kind: LayoutActionKind.BAKE_GATE,
      name: t.kind === TARGET_KIND.ONE_BOX ? GATE_STEP.ONE_BOX_BAKE : GATE_STEP.BAKE,
      region: region.region,
      targetId: t.id,
      timeoutMinutes: GATE_TIMEOUT_MINUTES,
    }]
    : []);
  steps.push(region.oneBox ? [deploy(region.oneBox)] : []);
  steps.push(region.oneBox ? bake(region.oneBox) : []);
  steps.push([deploy(region.fleet)]);
  steps.push(region.validations.map((v) => ({ kind: LayoutActionKind.VALIDATION, name: v.name, region: region.region })));
  steps.push(bake(region.fleet));
  return steps;
}

/** The actions of a stage phase by phase: the order they run in. */
export function phases(stage: LayoutStage): LayoutAction[][] {
  const byPhase = new Map<number, LayoutAction[]>();
  for (const action of stage.actions) byPhase.set(action.phase, [...(byPhase.get(action.phase) ?? []), action]);
  return [...byPhase.entries()].sort(([a], [b]) => a - b).map(([, actions]) => actions);
}
