import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';
import { dependencyCycles, describeCycle } from './dependency-cycles';
import { DeploymentTarget, IDeploymentStageFactory } from './deployment-target';
import { GateStep } from './gate-step';
import { markSynthAttempt, writePlanFileOnSynth } from './plan-file-writer';
import { decisionLogUrl, ReleaseController } from './release-controller';
import { ReleaseMonitor } from './release-monitor';
import { ReleaseDeclaration } from '../model/declaration';
import { holidayHorizonWarning } from '../model/holidays';
import { LayoutAction, LayoutActionKind, stageLayout } from '../model/layout';
import { gateToken, GATE, stageKey } from '../model/naming';
import { PlannedRegion, PlannedStage, PlannedTarget, planFileName, ReleasePlan } from '../model/plan';
import { Problem } from '../model/problem';
import { buildReleasePlan } from '../model/release-plan';
import { riskyChoices } from '../model/risky-choices';
import { ReleaseValidationError, validateDeclaration } from '../model/validation';

/** Props of `WavePipeline`. */
export interface WavePipelineProps {
  /** Name of the CodePipeline; also prefixes the names of the alarms, roles and parameters it uses. */
  readonly pipelineName: string;
  /** Stages, waves, bakes and windows of the release. Validated before anything is created. */
  readonly release: ReleaseDeclaration;
  /** Builds the `Stage` deployed to each target (one-box and fleet of every region of every stage). */
  readonly stageFactory: IDeploymentStageFactory;
  /** The synth step (as for CDK Pipelines' `CodePipeline`), e.g. a `ShellStep` running `npx cdk synth`. */
  readonly synth: pipelines.IFileSetProducer;
  /**
   * Name of the SSM parameter (pipeline account and region) that stops every release when `ON`.
   * @default `/cdk-wave-pipelines/<pipelineName>/stop-all-releases`
   */
  readonly stopSwitchParameterName?: string;
  /**
   * Whether the pipeline updates itself before deploying (CDK Pipelines self-mutation).
   * @default true
   */
  readonly selfMutation?: boolean;
  /**
   * CodePipeline execution mode. `SUPERSEDED` lets releases stagger (a newer change in wave 1 while
   * an older one bakes in wave 4) and lets a newer release that catches up with an older one waiting
   * at a stage replace it, since it contains every older change. `QUEUED` also staggers but walks
   * every release through every wave. `PARALLEL` is refused: it has no stage lock, so two releases
   * could deploy and roll back the same region at once.
   * @default codepipeline.ExecutionMode.SUPERSEDED
   */
  readonly executionMode?: codepipeline.ExecutionMode;
  /** Defaults for every CodeBuild project of the pipeline (synth, assets, validations). @default - CDK Pipelines defaults */
  readonly codeBuildDefaults?: pipelines.CodeBuildOptions;
  /**
   * Steps of your own in a stage (`ShellStep`, `CodeBuildStep`, `ManualApprovalStep`, ...): `pre`
   * run after the stage's window gate and before any deployment, `post` after every region of the
   * stage baked. The plan and `wave-pipelines plan` show them.
   * @default - none
   */
  readonly stageSteps?: StageSteps[];
}

/** Steps of your own in one stage of a `WavePipeline`. */
export interface StageSteps {
  /** Name of the stage (pre-production stage or production wave, e.g. `gamma`, `Prod-Wave-1`). */
  readonly stageName: string;
  /** Run after the stage's window gate, before any deployment. @default - none */
  readonly pre?: pipelines.Step[];
  /** Run after every region of the stage baked. @default - none */
  readonly post?: pipelines.Step[];
}

/** What the plan calls a step of your own. */
function stepKind(step: pipelines.Step): string {
  if (step instanceof pipelines.ManualApprovalStep) return 'MANUAL_APPROVAL';
  if (step instanceof pipelines.CodeBuildStep) return 'CODE_BUILD';
  if (step instanceof pipelines.ShellStep) return 'SHELL';
  return 'STEP';
}

/**
 * A CodePipeline (type V2) that carries every change through pre-production stages, one-box
 * deployments and production waves of regions, with a bake after each deployment, automatic
 * rollback when a target's health alarm goes off, and deployment windows before each production
 * region. Built on CDK Pipelines: asset publishing, cross-account support and self-mutation are
 * theirs.
 */
export class WavePipeline extends Construct {
  /** Every WavePipeline of the app of `scope` whose plan was built so far. */
  private static inApp(scope: Construct): WavePipeline[] {
    return WAVE_PIPELINES.get(scope.node.root) ?? [];
  }

  /** The release plan this pipeline runs (also written to the cloud assembly). */
  public readonly plan: ReleasePlan;
  /** The CDK Pipelines pipeline. */
  public readonly codePipeline: pipelines.CodePipeline;
  /** The Lambda function and rules that open and fail the bake and window gates. */
  public readonly controller: ReleaseController;
  /** Path of the plan file, written into the cloud assembly when the app synthesizes. */
  public readonly planFile: string;

  private readonly stages = new Map<string, cdk.Stage>();
  private readonly decisionLog: string;

  constructor(scope: Construct, id: string, props: WavePipelineProps) {
    super(scope, id);
    if (typeof props.pipelineName === 'string') markSynthAttempt(cdk.Stage.of(this)!.outdir, props.pipelineName);
    const stack = cdk.Stack.of(this);
    const problems: Problem[] = [];
    const sameName = WavePipeline.inApp(this).filter((other) => other.plan.pipelineName === props.pipelineName);
    const appProblems: Problem[] = sameName.length === 0 ? [] : [{
      path: 'pipelineName',
      message: `"${props.pipelineName}" is already the name of the WavePipeline at ${sameName.map((o) => o.node.path).join(', ')} in this app; their controllers, plans and alarms would share names: give each pipeline its own pipelineName`,
    }];
    // The pipeline's own facts are checked with the declaration: one error lists every problem.
    try {
      this.plan = buildReleasePlan(props.release, {
        pipelineName: props.pipelineName,
        pipelineAccount: stack.account,
        pipelineRegion: stack.region,
        stopSwitchParameterName: props.stopSwitchParameterName,
        customSteps: (props.stageSteps ?? []).map((x) => ({
          stageName: x.stageName,
          pre: (x.pre ?? []).map((step) => ({ name: step.id, kind: stepKind(step) })),
          post: (x.post ?? []).map((step) => ({ name: step.id, kind: stepKind(step) })),
        })),
      }, {
        pipelineStack: { name: stack.stackName, hasEnvironment: !cdk.Token.isUnresolved(stack.account) && !cdk.Token.isUnresolved(stack.region) },
        executionMode: props.executionMode,
      });
    } catch (err) {
      if (err instanceof ReleaseValidationError && appProblems.length > 0) throw new ReleaseValidationError([...appProblems, ...err.problems]);
      throw err;
    }
    if (appProblems.length > 0) throw new ReleaseValidationError(appProblems);
    // Registered once its plan exists: later pipelines of the app compare their names with it.
    WAVE_PIPELINES.set(this.node.root, [...WavePipeline.inApp(this), this]);

    this.decisionLog = decisionLogUrl(stack.region, this.plan.pipelineName);
    this.codePipeline = new pipelines.CodePipeline(this, 'Pipeline', {
      pipelineName: props.pipelineName,
      synth: props.synth,
      crossAccountKeys: true,
      enableKeyRotation: true,
      selfMutation: props.selfMutation ?? true,
      pipelineType: codepipeline.PipelineType.V2,
      executionMode: props.executionMode ?? codepipeline.ExecutionMode.SUPERSEDED,
      codeBuildDefaults: props.codeBuildDefaults,
    });

    for (const stage of this.plan.stages) this.addPlannedStage(stage, props.stageFactory, problems, props.stageSteps ?? []);
    this.checkStackCount(props.release, problems);
    if (problems.length > 0) throw new ReleaseValidationError(problems);

    this.codePipeline.buildPipeline();
    this.enableStageRollback();
    this.warnAboutRiskyChoices();

    const outdir = cdk.Stage.of(this)!.outdir;
    this.controller = new ReleaseController(this, 'Controller', {
      plan: this.plan,
      gateActions: this.pipeline.stages.flatMap((s) => s.actions
        .filter((a) => a.actionProperties.category === codepipeline.ActionCategory.APPROVAL)
        .map((a) => `${s.stageName}/${a.actionProperties.actionName}`)),
      pipelineArn: stack.formatArn({ service: 'codepipeline', resource: props.pipelineName }),
      stagingDirectory: path.join(outdir, '.wave-pipelines', this.plan.pipelineName),
    });
    this.planFile = path.join(outdir, planFileName(this.plan.pipelineName));
    writePlanFileOnSynth(this, this.planFile, this.plan);
  }

  /** The underlying `codepipeline.Pipeline` (escape hatch). */
  public get pipeline(): codepipeline.Pipeline {
    return this.codePipeline.pipeline;
  }

  /** The `Stage` your factory built for a target id (e.g. `prod-wave-1-us-east-1-fleet`). */
  public stageFor(targetId: string): cdk.Stage {
    const stage = this.stages.get(targetId);
    if (!stage) throw new Error(`WavePipeline.stageFor: no target "${targetId}"; known targets: ${[...this.stages.keys()].join(', ')}`);
    return stage;
  }

  /** Renders one stage of the model's layout (`stageLayout`): the order and timeouts are decided there. */
  private addPlannedStage(stage: PlannedStage, factory: IDeploymentStageFactory, problems: Problem[], stageSteps: StageSteps[]) {
    const layout = stageLayout(stage);
    const wave = this.codePipeline.addWave(stage.name);
    // CDK Pipelines names a wave holding a single stage deployment after that deployment: pass our
    // stage name down so the CodePipeline stage is always the planned name.
    const deployments = layout.actions.filter((a) => a.kind === LayoutActionKind.DEPLOY).length;
    const addStage = (built: cdk.Stage, options: pipelines.AddStageOpts) => {
      wave.addStage(built, deployments === 1 ? { ...options, stageName: stage.name } as pipelines.AddStageOpts : options);
      checkDependencyCycles(built, problems);
    };
    // One window gate for the whole wave: CodePipeline starts the regions of a stage together (run
    // orders), so the wave may only start at an instant when every region's window is open.
    const windowGate = layout.actions.find((a) => a.kind === LayoutActionKind.WINDOW_GATE);
    const gateStep = windowGate ? this.windowStep(stage, windowGate) : undefined;
    if (gateStep) wave.addPre(gateStep);
    // Steps of your own, where the layout places them: pre after the window gate, post at the end.
    const own = stageSteps.filter((x) => x.stageName === stage.name);
    for (const action of layout.actions.filter((a) => a.kind === LayoutActionKind.PRE_STEP)) {
      const step = own.flatMap((x) => x.pre ?? []).find((x) => x.id === action.name)!;
      if (gateStep) step.addStepDependency(gateStep);
      wave.addPre(step);
    }
    for (const action of layout.actions.filter((a) => a.kind === LayoutActionKind.POST_STEP)) {
      wave.addPost(own.flatMap((x) => x.post ?? []).find((x) => x.id === action.name)!);
    }
    for (const region of stage.regions) {
      const mine = layout.actions.filter((a) => a.region === region.region);
      const bakeOf = (target: PlannedTarget) => {
        const gate = mine.find((a) => a.kind === LayoutActionKind.BAKE_GATE && a.targetId === target.id);
        return gate ? this.bakeStep(target, gate) : undefined;
      };
      let before: pipelines.Step[] = [];
      if (region.oneBox) {
        const oneBoxBake = bakeOf(region.oneBox);
        addStage(this.createTargetStage(stage, region, region.oneBox, factory, problems), {
          pre: before,
          post: oneBoxBake ? [oneBoxBake] : [],
        });
        // The fleet's "pre" step is the one-box bake itself: CDK Pipelines adds a step once, so the
        // fleet stacks wait for it (one-box deploy -> one-box bake -> fleet deploy -> fleet bake).
        if (oneBoxBake) before = [oneBoxBake];
      }
      const fleetStage = this.createTargetStage(stage, region, region.fleet, factory, problems);
      const validations = mine.filter((a) => a.kind === LayoutActionKind.VALIDATION).map((a) => {
        const v = region.validations.find((x) => x.name === a.name)!;
        return new pipelines.ShellStep(v.name, {
          commands: v.commands,
          env: { TARGET_STAGE: stage.name, TARGET_REGION: region.region, TARGET_ACCOUNT: region.account, VALIDATION_KIND: v.kind },
          // The deployed stage's outputs (e.g. the URL of the API under test), read after it deployed.
          envFromCfnOutputs: stageOutputs(fleetStage, v.outputs ?? {}, `${region.fleet.id}: validation ${v.name}`, problems),
        });
      });
      // The layout runs validations after the fleet deployment and before its bake.
      const fleetBake = bakeOf(region.fleet);
      validations.forEach((v) => fleetBake?.addStepDependency(v));
      addStage(fleetStage, {
        pre: before,
        post: [...validations, ...(fleetBake ? [fleetBake] : [])],
      });
    }
  }

  // Gate texts and timeouts carry no bake minutes, window hours, holidays or hold limits: those
  // live in the controller's plan. CodePipeline rolls a stage back only to an execution of the
  // current pipeline structure version
  // (https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-rollback.html), so a release
  // that only retunes a bake or a window must leave the pipeline's Stages byte-identical.
  private windowStep(stage: PlannedStage, gate: LayoutAction): GateStep {
    const windowed = stage.regions.filter((r) => r.window);
    const rule = windowed.length === 1
      ? `the deployment window of ${windowed[0].region} is open`
      : `the deployment windows of all its regions (${windowed.map((r) => r.region).join(', ')}) are open at once`;
    const tail = `Stop switch ${this.plan.stopSwitchParameterName}. Opened by the release controller; hours and holidays in its plan. ${gateToken(GATE.WINDOW, stageKey(stage.name))}`;
    return new GateStep(gate.name, fitApprovalText(`${stage.name} starts when ${rule}.`, tail), gate.timeoutMinutes!, this.decisionLog);
  }

  private bakeStep(target: PlannedTarget, gate: LayoutAction): GateStep {
    return new GateStep(
      gate.name,
      fitApprovalText(`Bake of ${target.id}: its health alarm must stay OK for the bake time in the release plan.`,
        `Approved or rejected by the release controller; approving by hand skips the bake. ${gateToken(GATE.BAKE, target.id)}`),
      gate.timeoutMinutes!,
      this.decisionLog);
  }

  private createTargetStage(
    stage: PlannedStage, region: PlannedRegion, target: PlannedTarget, factory: IDeploymentStageFactory, problems: Problem[],
  ): cdk.Stage {
    const context: DeploymentTarget = {
      id: target.id,
      kind: target.kind,
      isOneBox: target.kind === 'ONE_BOX',
      stageName: stage.name,
      stageKind: stage.kind,
      account: region.account,
      region: region.region,
      pipelineName: this.plan.pipelineName,
      pipelineAccount: this.plan.pipelineAccount,
      pipelineRegion: this.plan.pipelineRegion,
      oneBoxTargetId: region.oneBox?.id,
      fleetTargetId: region.fleet.id,
      regionBakeMinutes: Math.max(region.oneBox?.bake.minutes ?? 0, region.fleet.bake.minutes),
    };
    const id = `${stage.name}-${region.region}${context.isOneBox ? '-OneBox' : ''}`;
    const built = factory.createStage(this, id, context);
    const where = `stageFactory(${target.id})`;
    if (!(built instanceof cdk.Stage)) {
      throw new ReleaseValidationError([{ path: where, message: 'did not return a cdk.Stage; return new MyServiceStage(scope, id, { env: { account: target.account, region: target.region } })' }]);
    }
    if (built.account !== region.account || built.region !== region.region) {
      problems.push({ path: where, message: `returned a Stage for ${built.account ?? 'no account'}/${built.region ?? 'no region'}, but the target is ${region.account}/${region.region}; pass env: { account: target.account, region: target.region } to the Stage` });
    }
    const monitors = ReleaseMonitor.findAll(built, target.id);
    if (monitors.length > 1) {
      problems.push({ path: where, message: `has ${monitors.length} ReleaseMonitors for target "${target.id}" (${monitors.map((m) => m.node.path).join(', ')}); their composite alarms and roles share one name: keep one and pass it every alarm` });
    }
    for (const monitor of monitors) problems.push(...monitor._limitProblems());
    if ((target.bake.minRequests ?? 0) > 0 && monitors.some((m) => !m.countsRequests)) {
      problems.push({ path: where, message: `the bake of "${target.id}" waits for ${target.bake.minRequests} requests (bake.minRequests), but its ReleaseMonitor has no request metric; pass requests: the metric counting requests to the new code (e.g. LambdaOneBox.metricInvocationsOfNewVersion())` });
    }
    if (target.bake.minutes > 0 && target.bake.noData === 'FAIL' && monitors.some((m) => m._watchesOnlyNonzeroMetrics())) {
      problems.push({
        path: where,
        message: `every alarm of the ReleaseMonitor of "${target.id}" watches a load balancer HTTPCode_* count, which AWS reports only when it is nonzero: `
          + `a healthy target produces no datapoint during its ${target.bake.minutes}-minute bake, and with noData FAIL (the default) the bake fails; `
          + 'also watch a metric reported whenever requests flow (an alarm on TargetResponseTime, e.g. EcsOneBox.metricOneBox(\'TargetResponseTime\')), '
          + 'add a canary, or set bake.noData: \'PASS_WITH_WARNING\'',
      });
    }
    if (target.bake.minutes > 0 && monitors.length === 0) {
      problems.push({ path: where, message: `has no ReleaseMonitor for target "${target.id}", so its ${target.bake.minutes}-minute bake would have nothing to watch; add new ReleaseMonitor(stack, 'Monitor', { target, alarms: [...] }) to one of its stacks` });
    }
    this.stages.set(target.id, built);
    return built;
  }

  /** Stages with more stacks render more actions: re-check the actions-per-stage quota with the real count. */
  private checkStackCount(release: ReleaseDeclaration, problems: Problem[]) {
    const stacksPerTarget = Math.max(1, ...[...this.stages.values()].map((s) => s.node.findAll().filter((c) => cdk.Stack.isStack(c)).length));
    if (stacksPerTarget > 1) problems.push(...validateDeclaration(release, { stacksPerTarget }));
  }

  /** Choices that are allowed but remove a safety net (decided by the model): warn, so a user can acknowledge them. */
  private warnAboutRiskyChoices() {
    for (const choice of riskyChoices(this.plan)) cdk.Annotations.of(this).addWarningV2(`cdk-wave-pipelines:${choice.id}`, choice.message);
    // The holiday table ends at a fixed date: warn at synth (the synth time is the edge's clock)
    // while there is time to upgrade, before window gates fail closed past it.
    const horizon = holidayHorizonWarning(this.plan, new Date());
    if (horizon) cdk.Annotations.of(this).addWarningV2('cdk-wave-pipelines:holidayHorizon', horizon);
  }

  /** V2 stage rollback: a failed deployment stage returns to the last successful release by itself. */
  private enableStageRollback() {
    const cfn = this.pipeline.node.defaultChild as codepipeline.CfnPipeline;
    const names = this.pipeline.stages.map((s) => s.stageName);
    for (const stage of this.plan.stages) {
      const index = names.indexOf(stage.name);
      if (index < 0) throw new Error(`internal: pipeline stage ${stage.name} was not rendered (stages: ${names.join(', ')})`);
      cfn.addPropertyOverride(`Stages.${index}.OnFailure`, { Result: 'ROLLBACK' });
    }
  }
}

const WAVE_PIPELINES = new WeakMap<object, WavePipeline[]>();

/** The `CfnOutput`s a validation names (construct ids), found in the stage; a problem for each one missing. */
function stageOutputs(built: cdk.Stage, wanted: { [variable: string]: string }, where: string, problems: Problem[]): Record<string, cdk.CfnOutput> {
  const outputs = built.node.findAll().filter((c): c is cdk.CfnOutput => c instanceof cdk.CfnOutput);
  const found: Record<string, cdk.CfnOutput> = {};
  for (const [variable, id] of Object.entries(wanted)) {
    const match = outputs.filter((o) => o.node.id === id);
    if (match.length === 1) {
      found[variable] = match[0];
    } else {
      const known = outputs.map((o) => o.node.id).sort();
      problems.push({
        path: `${where}.outputs.${variable}`,
        message: `${match.length === 0 ? 'no' : `${match.length}`} CfnOutput with id "${id}" in ${built.node.path}; `
          + `${known.length > 0 ? `its outputs are ${known.map((k) => `"${k}"`).join(', ')}` : 'it has no outputs'}: add new CfnOutput(stack, '${id}', { value: ... }) or name one of them`,
      });
    }
  }
  return found;
}

/** Refuses a stage whose stacks have a dependency cycle CloudFormation would reject at deployment. */
function checkDependencyCycles(built: cdk.Stage, problems: Problem[]) {
  // CDK Pipelines has synthesized the stage already (to list its stacks): this reads its cache.
  for (const stack of built.synth().stacks) {
    for (const cycle of dependencyCycles(stack.template)) {
      problems.push({
        path: `${built.node.path}/${stack.stackName}`,
        message: `dependency cycle between resources, which CloudFormation refuses at deployment: ${describeCycle(cycle)}; `
          + 'break one link: name one of these resources by a fixed name instead of a Ref or Fn::GetAtt (as ReleaseMonitor does for the alarm of a deployment group), '
          + 'pass a value that is known at synth instead, or move one resource to another stack',
      });
    }
  }
}

/** CodePipeline limits an approval's text (CustomData) to 500 characters; the token must survive. */
export const APPROVAL_TEXT_LIMIT = 500;

function fitApprovalText(head: string, tail: string): string {
  const room = APPROVAL_TEXT_LIMIT - tail.length - 1;
  const fitted = head.length <= room ? head : `${head.slice(0, room - 1)}\u2026`;
  return `${fitted} ${tail}`;
}
