/**
 * The example app as the drills see it: synthesized once, then read back from the cloud assembly
 * exactly as AWS would receive it. The pipeline's stages, actions and run orders come from the
 * pipeline stack's template (AWS::CodePipeline::Pipeline), the plan from the plan file the
 * controller Lambda is deployed with, and each target's monitor-role grants from its stage template.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-codepipeline-pipeline.html
 */
import * as fs from 'fs';
import * as path from 'path';
import { EventRule, readRules } from './eventbridge';
import { buildExampleApp, ORDERS_RELEASE } from '../../../examples/app';
import { BakeSpec, IDeploymentStageFactory, ReleaseDeclaration } from '../../../lib';
import { compositeAlarmName, controllerRoleName } from '../../../lib/model/naming';
import { planFileName, PlannedTarget, planTargets, ReleasePlan } from '../../../lib/model/plan';
import { readPlanFile } from '../../../lib/runtime/plan-file';
import { GradualServiceFactory } from '../gradual-service';

export interface ActionDefinition {
  readonly name: string;
  /** `Source`, `Build`, `Deploy`, `Approval`, ... */
  readonly category: string;
  readonly provider: string;
  readonly runOrder: number;
  readonly region: string;
  readonly configuration: Record<string, string>;
  /** The approval's `TimeoutInMinutes` (CodePipeline's default is 7 days). */
  readonly timeoutMinutes?: number;
  /** Target whose stack this CloudFormation action deploys (from its `StackName`). */
  readonly targetId?: string;
}

export interface StageDefinition {
  readonly name: string;
  /** `ROLLBACK` when the stage rolls back by itself on failure (V2 `OnFailure`). */
  readonly onFailure?: string;
  readonly actions: ActionDefinition[];
}

export interface PipelineDefinition {
  readonly name: string;
  readonly pipelineType: string;
  readonly executionMode: string;
  readonly restartExecutionOnUpdate: boolean;
  readonly stages: StageDefinition[];
}

/** What a target's monitor role may do, read from its IAM policy in the stage template. */
export interface MonitorGrants {
  /** `service:Action` names granted by any statement. */
  readonly actions: Set<string>;
  /** Whether `cloudwatch:DescribeAlarmHistory` is granted on `*` (needed for composite alarms). */
  readonly alarmHistoryOnWildcard: boolean;
}

/**
 * A target's alarm rollback as deployed: the Lambda function its health alarm names in
 * `AlarmActions`, read from the target's stage template.
 */
export interface AlarmActionFunction {
  /** The function's environment variables (its configuration). */
  readonly environment: Record<string, string>;
  /** Whether the function runs as the target's monitor role (then the monitor grants are its grants). */
  readonly runsAsMonitorRole: boolean;
  /**
   * Whether a resource policy lets `lambda.alarms.cloudwatch.amazonaws.com` invoke it for this
   * alarm; without one CloudWatch does not invoke it
   * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-actions-Lambda.html).
   */
  readonly permitted: boolean;
}

export interface SynthesizedApp {
  readonly outdir: string;
  readonly plan: ReleasePlan;
  readonly pipeline: PipelineDefinition;
  readonly grants: Map<string, MonitorGrants>;
  /** The alarm rollback of each target whose health alarm has one. */
  readonly alarmActions: Map<string, AlarmActionFunction>;
  /** `service:Action` names granted to the controller's role in the pipeline stack. */
  readonly controllerActions: Set<string>;
  /** The controller's EventBridge rules. */
  readonly rules: EventRule[];
}

export interface SynthesisOptions {
  /** The service each target deploys. @default the gradual (CodeDeploy-shifted) drill service, with its alarm rollback */
  readonly stageFactory?: IDeploymentStageFactory;
  /** Keep `minRequests` bakes (the one-box drills count requests). @default false */
  readonly keepRequestBakes?: boolean;
}

/** Synthesizes the example (or a variant of its release) into `outdir` and reads it back. */
export function synthesizeExample(outdir: string, release?: ReleaseDeclaration, options: SynthesisOptions = {}): SynthesizedApp {
  const declared = release ?? ORDERS_RELEASE;
  const { app, stack } = buildExampleApp(
    outdir, options.keepRequestBakes ? declared : withoutRequestCounts(declared), options.stageFactory ?? new GradualServiceFactory());
  app.synth();
  const plan = readPlanFile(path.join(outdir, planFileName(stack.pipeline.plan.pipelineName)));
  const template = JSON.parse(fs.readFileSync(path.join(outdir, `${stack.artifactId}.template.json`), 'utf8'));
  const pipeline = readPipeline(template, plan, stack.region);
  const grants = new Map<string, MonitorGrants>();
  for (const target of planTargets(plan)) grants.set(target.id, readGrants(outdir, target));
  const alarmActions = new Map<string, AlarmActionFunction>();
  for (const target of planTargets(plan)) {
    const action = readAlarmAction(outdir, plan, target);
    if (action) alarmActions.set(target.id, action);
  }
  const controllerActions = roleActions(template, controllerRoleName(plan.pipelineName));
  return { outdir, plan, pipeline, grants, alarmActions, controllerActions, rules: readRules(template) };
}

/**
 * The release without `minRequests` bakes: the drills' service has no request metric and the
 * emulator does not count requests yet (the request rule has unit tests of its own).
 */
function withoutRequestCounts(release: ReleaseDeclaration): ReleaseDeclaration {
  const strip = (bake: BakeSpec | undefined): BakeSpec | undefined => {
    if (!bake) return bake;
    const { minRequests: _r, noTraffic: _n, trafficWaitMinutes: _w, ...rest } = bake;
    return Object.keys(rest).length > 0 ? rest : undefined;
  };
  const prod = release.production;
  return {
    ...release,
    production: {
      ...prod,
      bake: strip(prod.bake),
      oneBoxBake: strip(prod.oneBoxBake),
      waves: prod.waves.map((w) => ({ ...w, bake: strip(w.bake), oneBoxBake: strip(w.oneBoxBake) })),
    },
  };
}

function readPipeline(template: any, plan: ReleasePlan, stackRegion: string): PipelineDefinition {
  const resources = Object.values(template.Resources ?? {}) as any[];
  const pipelines = resources.filter((r) => r.Type === 'AWS::CodePipeline::Pipeline');
  if (pipelines.length !== 1) throw new Error(`drills: expected one AWS::CodePipeline::Pipeline in the pipeline stack, found ${pipelines.length}`);
  const props = pipelines[0].Properties;
  const targets = planTargets(plan);
  return {
    name: props.Name,
    pipelineType: props.PipelineType ?? 'V1',
    // https://docs.aws.amazon.com/codepipeline/latest/userguide/execution-modes.html: SUPERSEDED is the default.
    executionMode: props.ExecutionMode ?? 'SUPERSEDED',
    restartExecutionOnUpdate: props.RestartExecutionOnUpdate === true,
    stages: (props.Stages as any[]).map((stage) => ({
      name: stage.Name,
      onFailure: stage.OnFailure?.Result,
      actions: (stage.Actions as any[]).map((action) => {
        const configuration: Record<string, string> = {};
        for (const [key, value] of Object.entries(action.Configuration ?? {})) {
          if (typeof value === 'string') configuration[key] = value;
        }
        // An action without Region runs in the pipeline's region.
        const region = typeof action.Region === 'string' ? action.Region : stackRegion;
        return {
          name: action.Name,
          category: action.ActionTypeId.Category,
          provider: action.ActionTypeId.Provider,
          // https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-pipeline-structure.html: runOrder defaults to 1.
          runOrder: action.RunOrder ?? 1,
          region,
          configuration,
          ...(typeof action.TimeoutInMinutes === 'number' ? { timeoutMinutes: action.TimeoutInMinutes } : {}),
          ...deployedTarget(targets, stage.Name, region, configuration.StackName, action.Name),
        };
      }),
    })),
  };
}

/**
 * CDK Pipelines names a stage deployment's stack `<stage id>-<stack id>` and its actions
 * `<stage id>.<stack name>.<step>`; a one-box stage id ends in `-OneBox`. A stack with a name of
 * its own (the one-box and the fleet of a region deploying one stack) is told apart by the action.
 */
function deployedTarget(
  targets: PlannedTarget[], stageName: string, region: string, stackName: string | undefined, actionName: string,
): { targetId?: string } {
  if (!stackName) return {};
  const kind = /-OneBox-[^-]+$/.test(stackName) || /-OneBox\./.test(actionName) ? 'ONE_BOX' : 'FLEET';
  const target = targets.find((t) => t.stageName === stageName && t.region === region && t.kind === kind);
  if (!target) throw new Error(`drills: stack ${stackName} of stage ${stageName} (${region}) is no target of the plan`);
  return { targetId: target.id };
}

function roleActions(template: any, roleName: string): Set<string> {
  const resources = template.Resources ?? {};
  const role = Object.entries(resources).find(([, r]: [string, any]) => r.Type === 'AWS::IAM::Role' && r.Properties?.RoleName === roleName);
  if (!role) throw new Error(`drills: no role ${roleName} in the pipeline stack`);
  const actions = new Set<string>();
  for (const r of Object.values(resources) as any[]) {
    if (r.Type !== 'AWS::IAM::Policy' || !(r.Properties.Roles ?? []).some((x: any) => x?.Ref === role[0])) continue;
    for (const statement of r.Properties.PolicyDocument.Statement) {
      if (statement.Effect !== 'Allow') continue;
      for (const name of Array.isArray(statement.Action) ? statement.Action : [statement.Action]) actions.add(name);
    }
  }
  return actions;
}

function readGrants(outdir: string, target: PlannedTarget): MonitorGrants {
  const actions = new Set<string>();
  let alarmHistoryOnWildcard = false;
  for (const file of stageTemplates(outdir)) {
    const template = JSON.parse(fs.readFileSync(file, 'utf8'));
    const resources = template.Resources ?? {};
    const role = Object.entries(resources).find(([, r]: [string, any]) => r.Type === 'AWS::IAM::Role'
      && typeof r.Properties?.RoleName === 'string' && r.Properties.RoleName.endsWith(target.id));
    if (!role) continue;
    const [roleId] = role;
    for (const r of Object.values(resources) as any[]) {
      if (r.Type !== 'AWS::IAM::Policy' || !(r.Properties.Roles ?? []).some((x: any) => x?.Ref === roleId)) continue;
      for (const statement of r.Properties.PolicyDocument.Statement) {
        if (statement.Effect !== 'Allow') continue;
        const names: string[] = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
        const resourcesOf: unknown[] = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
        for (const name of names) {
          // A statement naming resources never matches an action that supports no resource-level
          // permissions: IAM authorizes it against "*" only.
          if (!NO_RESOURCE_LEVEL_PERMISSIONS.has(name) || resourcesOf.includes('*')) actions.add(name);
          if (name === 'cloudwatch:DescribeAlarmHistory' && resourcesOf.includes('*')) alarmHistoryOnWildcard = true;
        }
      }
    }
    return { actions, alarmHistoryOnWildcard };
  }
  throw new Error(`drills: no monitor role of target ${target.id} in the stage templates of ${outdir}`);
}

/**
 * Actions of the monitor role with no resource type in the service authorization reference
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscodedeploy.html):
 * granted only by a statement whose Resource is "*".
 */
const NO_RESOURCE_LEVEL_PERMISSIONS = new Set(['codedeploy:StopDeployment', 'codedeploy:ListDeploymentTargets', 'codedeploy:GetDeploymentTarget']);

/** The Lambda function the target's health alarm invokes, if any. */
function readAlarmAction(outdir: string, plan: ReleasePlan, target: PlannedTarget): AlarmActionFunction | undefined {
  const alarmName = compositeAlarmName(plan.pipelineName, target.id);
  for (const file of stageTemplates(outdir)) {
    const resources = JSON.parse(fs.readFileSync(file, 'utf8')).Resources ?? {};
    const alarm = Object.values(resources).find((r: any) => r.Type === 'AWS::CloudWatch::CompositeAlarm' && r.Properties?.AlarmName === alarmName) as any;
    if (!alarm) continue;
    const functionIds = (alarm.Properties.AlarmActions ?? [])
      .map((a: any) => a?.['Fn::GetAtt']?.[0])
      .filter((id: any) => typeof id === 'string' && resources[id]?.Type === 'AWS::Lambda::Function');
    if (functionIds.length === 0) return undefined;
    if (functionIds.length > 1) throw new Error(`drills: the health alarm ${alarmName} invokes ${functionIds.length} functions; the emulator models one`);
    const fn = resources[functionIds[0]];
    const roleId = fn.Properties.Role?.['Fn::GetAtt']?.[0];
    const roleName = resources[roleId]?.Properties?.RoleName;
    const permitted = Object.values(resources).some((r: any) => r.Type === 'AWS::Lambda::Permission'
      && r.Properties.FunctionName?.['Fn::GetAtt']?.[0] === functionIds[0]
      && r.Properties.Action === 'lambda:InvokeFunction'
      && r.Properties.Principal === 'lambda.alarms.cloudwatch.amazonaws.com'
      && JSON.stringify(r.Properties.SourceArn ?? '').includes(`:alarm:${alarmName}`));
    return {
      environment: { ...(fn.Properties.Environment?.Variables ?? {}) },
      runsAsMonitorRole: typeof roleName === 'string' && roleName.endsWith(target.id),
      permitted,
    };
  }
  throw new Error(`drills: no health alarm ${alarmName} of target ${target.id} in the stage templates of ${outdir}`);
}

let templateCache: { outdir: string; files: string[] } | undefined;
function stageTemplates(outdir: string): string[] {
  if (templateCache?.outdir === outdir) return templateCache.files;
  const files = fs.readdirSync(outdir)
    .filter((d) => d.startsWith('assembly-'))
    .flatMap((d) => fs.readdirSync(path.join(outdir, d)).filter((f) => f.endsWith('.template.json')).map((f) => path.join(outdir, d, f)));
  templateCache = { outdir, files };
  return files;
}
