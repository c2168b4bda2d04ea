import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { runtimeBundleDir } from './runtime-asset';
import { controllerLogGroupName, controllerRoleName, healthEventBusName, monitorRoleName } from '../model/naming';
import { PLAN_LAYER_FILE, planTargets, ReleasePlan } from '../model/plan';

/**
 * Props of `ReleaseController`. Exported because jsii needs the types of public members
 * (`WavePipeline.controller`); `WavePipeline` creates the controller, users do not.
 */
export interface ReleaseControllerProps {
  /** The plan the controller enforces (staged as `plan.json` in a layer of its functions: `/opt/plan.json`). */
  readonly plan: ReleasePlan;
  /** The approval actions it answers, as `<stage>/<action>`. */
  readonly gateActions: string[];
  /** ARN of the pipeline it drives. */
  readonly pipelineArn: string;
  /** Directory where the plan layer (`plan.json`) is staged; inside the cloud assembly. */
  readonly stagingDirectory: string;
}

/**
 * The release controller: one Lambda function in the pipeline account that opens and fails the
 * pipeline's bake and window gates. It runs every minute (sweep), when an approval starts, and
 * within seconds of a target's health alarm entering ALARM (forwarded by `ReleaseMonitor` to the
 * health event bus created here).
 *
 * Created by `WavePipeline` and exposed as `WavePipeline.controller` for its handles (functions,
 * role, bus, stop switch); not meant to be constructed directly.
 */
export class ReleaseController extends Construct {
  /** The controller function. */
  public readonly function: lambda.Function;
  /**
   * The rollback function for operators: invoke it with `{ "targetId": "prod-wave-2-us-east-1-fleet" }`
   * to stop that target's CodeDeploy deployments with rollback, reset its aliases and roll back its
   * stage. The controller runs the same code itself when a bake fails. Shares the controller's role,
   * which is the role the targets' monitor roles trust.
   */
  public readonly rollbackFunction: lambda.Function;
  /** Its execution role (fixed name: the targets' monitor roles trust exactly this role). */
  public readonly role: iam.Role;
  /** Event bus receiving the targets' alarm state changes. */
  public readonly healthBus: events.EventBus;
  /** The stop-all-releases switch: set it to `ON` and no window gate opens anywhere. */
  public readonly stopSwitch: ssm.StringParameter;

  constructor(scope: Construct, id: string, props: ReleaseControllerProps) {
    super(scope, id);
    const plan = props.plan;
    const stack = cdk.Stack.of(this);

    this.stopSwitch = new ssm.StringParameter(this, 'StopSwitch', {
      parameterName: plan.stopSwitchParameterName,
      description: `Set to ON to stop every release of ${plan.pipelineName} at its next window gate; OFF to resume`,
      stringValue: 'OFF',
      allowedPattern: '^(ON|OFF)$',
    });

    this.role = new iam.Role(this, 'Role', {
      roleName: controllerRoleName(plan.pipelineName),
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Release controller of ${plan.pipelineName}: opens and fails its bake and window gates`,
    });

    const logGroup = new logs.LogGroup(this, 'Logs', {
      // A fixed name, so every gate can link to it before the controller exists. Deleted with the
      // stack: a retained group with a fixed name would make deleting and recreating the pipeline
      // stack fail ("already exists").
      logGroupName: controllerLogGroupName(plan.pipelineName),
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: cdk.RemovalPolicy.DESTROY,
    });

    // The handlers' code is the pre-built bundle itself, shared by every pipeline and every synth:
    // CDK copies an asset into the cloud assembly once and skips it when that hash is already
    // there. What differs per pipeline, the plan, is a small layer, which Lambda extracts to /opt
    // (https://docs.aws.amazon.com/lambda/latest/dg/packaging-layers.html).
    const planLayer = new lambda.LayerVersion(this, 'Plan', {
      description: `Release plan of ${plan.pipelineName} (plan.json), read by its release controller and rollback`,
      code: lambda.Code.fromAsset(stagePlan(path.join(props.stagingDirectory, 'plan'), plan)),
      compatibleRuntimes: [lambda.Runtime.NODEJS_24_X],
      compatibleArchitectures: [lambda.Architecture.ARM_64],
    });

    this.function = new lambda.Function(this, 'Function', {
      description: `cdk-wave-pipelines release controller of ${plan.pipelineName}`,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(runtimeBundleDir('controller')),
      layers: [planLayer],
      memorySize: 256,
      timeout: cdk.Duration.minutes(2),
      role: this.role,
      logGroup,
      // No reserved concurrency of 1: an alarm event arriving during a sweep would be throttled and
      // retried minutes later, past the rollback target. Concurrent invocations are safe: an
      // approval answered twice fails the second time (ApprovalAlreadyCompleted) and the rollback is
      // idempotent.
    });
    this.rollbackFunction = new lambda.Function(this, 'RollbackFunction', {
      description: `cdk-wave-pipelines rollback of one target of ${plan.pipelineName} (for operators)`,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(runtimeBundleDir('rollback')),
      layers: [planLayer],
      memorySize: 256,
      timeout: cdk.Duration.minutes(2),
      role: this.role,
      logGroup,
    });
    this.role.addToPolicy(new iam.PolicyStatement({
      sid: 'WriteLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
    }));

    this.role.addToPolicy(new iam.PolicyStatement({
      sid: 'ReadPipeline',
      // ListActionExecutions: which targets the release in flight already had approved (alarm blockers).
      // GetPipelineExecution: the structure version a stage rollback's target execution ran in.
      actions: [
        'codepipeline:GetPipeline', 'codepipeline:GetPipelineState', 'codepipeline:ListPipelineExecutions', 'codepipeline:ListActionExecutions',
        'codepipeline:GetPipelineExecution', 'codepipeline:RollbackStage',
      ],
      resources: [props.pipelineArn],
    }));
    this.role.addToPolicy(new iam.PolicyStatement({
      sid: 'AnswerGates',
      actions: ['codepipeline:PutApprovalResult'],
      // Exactly the gate approvals: a person's own approval actions stay out of the controller's reach.
      resources: props.gateActions.map((a) => `${props.pipelineArn}/${a}`),
    }));
    this.role.addToPolicy(new iam.PolicyStatement({
      sid: 'ReadStopSwitch',
      actions: ['ssm:GetParameter'],
      resources: [this.stopSwitch.parameterArn],
    }));
    const monitorRoles = [...new Set(planTargets(plan).map((t) => `arn:${stack.partition}:iam::${t.account}:role/${monitorRoleName(plan.pipelineName, t.id)}`))];
    this.role.addToPolicy(new iam.PolicyStatement({
      sid: 'AssumeMonitorRoles',
      actions: ['sts:AssumeRole'],
      resources: monitorRoles,
    }));

    // Triggers: a sweep every minute, every approval start, every forwarded health alarm.
    const target = new targets.LambdaFunction(this.function, { retryAttempts: 2 });
    new events.Rule(this, 'Sweep', {
      description: `Sweep the gates of ${plan.pipelineName} every minute`,
      schedule: events.Schedule.rate(cdk.Duration.minutes(1)),
      targets: [target],
    });
    new events.Rule(this, 'GateStarted', {
      description: `Decide a gate of ${plan.pipelineName} as soon as it starts`,
      eventPattern: {
        source: ['aws.codepipeline'],
        detailType: ['CodePipeline Action Execution State Change'],
        detail: { pipeline: [plan.pipelineName], state: ['STARTED'], type: { category: ['Approval'] } },
      },
      targets: [target],
    });

    this.healthBus = new events.EventBus(this, 'HealthBus', { eventBusName: healthEventBusName(plan.pipelineName) });
    const accounts = [...new Set(planTargets(plan).map((t) => t.account))].sort();
    accounts.forEach((account) => {
      this.healthBus.addToResourcePolicy(new iam.PolicyStatement({
        sid: `HealthFrom${account}`,
        principals: [new iam.AccountPrincipal(account)],
        actions: ['events:PutEvents'],
        resources: [this.healthBus.eventBusArn],
      }));
    });
    new events.Rule(this, 'HealthAlarm', {
      description: `Fail the bake of a target of ${plan.pipelineName} within seconds of its health alarm`,
      eventBus: this.healthBus,
      eventPattern: {
        source: ['aws.cloudwatch'],
        detailType: ['CloudWatch Alarm State Change'],
        detail: { state: { value: ['ALARM'] } },
      },
      targets: [target],
    });
  }
}

/** Writes the plan alone into a directory: the plan layer's asset (`/opt/plan.json` at run time). */
function stagePlan(stagingDirectory: string, plan: ReleasePlan): string {
  fs.mkdirSync(stagingDirectory, { recursive: true });
  fs.writeFileSync(path.join(stagingDirectory, PLAN_LAYER_FILE), JSON.stringify(plan) + '\n');
  return stagingDirectory;
}

/**
 * Console page of the controller's decision log (one JSON line per decision), linked from every gate.
 * The query text is CloudWatch's own URL encoding of a Logs Insights query.
 */
export function decisionLogUrl(region: string, pipelineName: string): string {
  const group = encodeURIComponent(encodeURIComponent(controllerLogGroupName(pipelineName))).replace(/%/g, '$');
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${group}`;
}
