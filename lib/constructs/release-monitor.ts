import * as cdk from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as synthetics from 'aws-cdk-lib/aws-synthetics';
import { Construct } from 'constructs';
import { DeploymentTarget } from './deployment-target';
import { HEALTH_MANIFEST_VERSION, HealthManifest } from '../model/health-manifest';
import {
  compositeAlarmName, controllerRoleName, healthEventBusName, healthParameterName, monitorRoleName,
} from '../model/naming';

/** Options of `ReleaseMonitor.deployLambdaGradually`. */
export interface GradualLambdaDeploymentOptions {
  /**
   * Share of invocations (percent) the new version takes first. For a one-box target this is the
   * one-box: a small share of real traffic on the new code.
   * @default 10
   */
  readonly firstPercentage?: number;
  /**
   * Minutes the first share runs before CodeDeploy shifts the rest.
   * @default 10
   */
  readonly firstMinutes?: number;
}

/** Props of `ReleaseMonitor`. */
export interface ReleaseMonitorProps {
  /** The target this stage deploys (given to your `IDeploymentStageFactory`). */
  readonly target: DeploymentTarget;
  /**
   * Metric alarms that say the deployment is unhealthy (errors, latency, ...). Their datapoints
   * also count toward `minHealthyDatapoints`.
   * @default - none (then give at least one canary)
   */
  readonly alarms?: cloudwatch.IAlarm[];
  /**
   * Synthetics canaries hitting the deployment. Each gets an alarm on failed runs that joins the
   * health signal, and the bake also reads their latest runs directly.
   * @default - none
   */
  readonly canaries?: synthetics.Canary[];
}

/**
 * The release-health signal of one deployment target, in the target's own account and region.
 *
 * It creates: a composite alarm (deterministic name) that is ALARM when any watched alarm or
 * canary alarm is; an EventBridge rule that forwards that alarm's ALARM transitions to the
 * pipeline account, so the bake fails within seconds; an SSM parameter describing what is watched
 * and what rolls back; and the monitor role the release controller assumes to read all of it and
 * to roll back (scoped to exactly these resources).
 */
export class ReleaseMonitor extends Construct {
  /** The monitor of `target` inside `scope`'s stage, if one was created. */
  public static find(scope: Construct, targetId: string): ReleaseMonitor | undefined {
    return ReleaseMonitor.findAll(scope, targetId)[0];
  }

  /** Every monitor of `target` inside `scope` (a target must have exactly one). */
  public static findAll(scope: Construct, targetId: string): ReleaseMonitor[] {
    return scope.node.findAll().filter((c): c is ReleaseMonitor => c instanceof ReleaseMonitor && c.target.id === targetId);
  }

  /** The target watched. */
  public readonly target: DeploymentTarget;
  /** The composite alarm: the release-health signal of the target. */
  public readonly healthAlarm: cloudwatch.CompositeAlarm;
  /** Alarms created for the canaries (one per canary). */
  public readonly canaryAlarms: cloudwatch.Alarm[];
  /** Role the release controller assumes in this account and region. */
  public readonly monitorRole: iam.Role;
  /** The parameter holding the health manifest. */
  public readonly manifestParameter: ssm.StringParameter;

  private readonly alarms: cloudwatch.IAlarm[];
  private readonly canaries: synthetics.Canary[];
  private readonly deploymentGroups: Array<{ applicationName: string; deploymentGroupName: string; arn: string }> = [];
  private readonly aliases: lambda.IAlias[] = [];

  constructor(scope: Construct, id: string, props: ReleaseMonitorProps) {
    super(scope, id);
    this.target = props.target;
    this.alarms = [...(props.alarms ?? [])];
    this.canaries = [...(props.canaries ?? [])];
    if (this.alarms.length === 0 && this.canaries.length === 0) {
      throw new Error(`ReleaseMonitor(${this.node.path}).alarms: no alarms and no canaries for target "${props.target.id}"; a bake needs a health signal: pass alarms: [errorAlarm, latencyAlarm] and/or canaries: [canary]`);
    }
    const stack = cdk.Stack.of(this);
    if (!cdk.Token.isUnresolved(stack.account) && stack.account !== props.target.account) {
      throw new Error(`ReleaseMonitor(${this.node.path}): its stack deploys to account ${stack.account} but target "${props.target.id}" is account ${props.target.account}; create the Stage with env: { account: target.account, region: target.region }`);
    }

    this.canaryAlarms = this.canaries.map((canary, i) => new cloudwatch.Alarm(this, `CanaryAlarm${i}`, {
      alarmDescription: `Canary ${canary.node.path} has failing runs (release health of ${props.target.id})`,
      metric: canary.metricFailed({ period: cdk.Duration.minutes(1), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }));

    const watched = [...this.alarms, ...this.canaryAlarms];
    this.healthAlarm = new cloudwatch.CompositeAlarm(this, 'Health', {
      compositeAlarmName: compositeAlarmName(props.target.pipelineName, props.target.id),
      alarmDescription: `Release health of ${props.target.id}: ALARM fails its bake and rolls it back (cdk-wave-pipelines)`,
      alarmRule: cloudwatch.AlarmRule.anyOf(...watched),
    });

    // ALARM transitions go straight to the pipeline account's health bus: the controller rejects
    // the bake within seconds instead of waiting for its next sweep.
    const busArn = `arn:${stack.partition}:events:${props.target.pipelineRegion}:${props.target.pipelineAccount}:event-bus/${healthEventBusName(props.target.pipelineName)}`;
    new events.Rule(this, 'ForwardAlarm', {
      description: `Forward ALARM of ${props.target.id} to the release controller of ${props.target.pipelineName}`,
      eventPattern: {
        source: ['aws.cloudwatch'],
        detailType: ['CloudWatch Alarm State Change'],
        resources: [this.healthAlarm.alarmArn],
        detail: { state: { value: ['ALARM'] } },
      },
      targets: [new targets.EventBus(events.EventBus.fromEventBusArn(this, 'HealthBus', busArn))],
    });

    this.manifestParameter = new ssm.StringParameter(this, 'Manifest', {
      parameterName: healthParameterName(props.target.pipelineName, props.target.id),
      description: `What the release health of ${props.target.id} watches (cdk-wave-pipelines)`,
      stringValue: cdk.Lazy.string({ produce: () => cdk.Stack.of(this).toJsonString(this.manifest()) }),
    });

    this.monitorRole = new iam.Role(this, 'MonitorRole', {
      roleName: monitorRoleName(props.target.pipelineName, props.target.id),
      description: `Assumed by the release controller of ${props.target.pipelineName} to read the health of ${props.target.id} and roll it back`,
      assumedBy: new iam.ArnPrincipal(`arn:${stack.partition}:iam::${props.target.pipelineAccount}:role/${controllerRoleName(props.target.pipelineName)}`),
      maxSessionDuration: cdk.Duration.hours(1),
    });
    this.grantRead();
  }

  /**
   * Watch a CodeDeploy deployment group: its in-flight deployments are stopped with rollback when
   * the target fails, and the group itself stops on the health alarm. Give the group
   * `autoRollback: { deploymentInAlarm: true }` (the default when it has alarms).
   */
  public addLambdaDeploymentGroup(group: codedeploy.LambdaDeploymentGroup): void {
    group.addAlarm(this.healthAlarm);
    this.trackGroup(group.application.applicationName, group.deploymentGroupName, group.deploymentGroupArn);
  }

  /** Same as `addLambdaDeploymentGroup`, for an ECS blue/green deployment group. */
  public addEcsDeploymentGroup(group: codedeploy.EcsDeploymentGroup): void {
    group.addAlarm(this.healthAlarm);
    this.trackGroup(group.application.applicationName, group.deploymentGroupName, group.deploymentGroupArn);
  }

  /**
   * Shift `alias` to its new version gradually with CodeDeploy, stopped and rolled back by the
   * health alarm: first `firstPercentage` of invocations for `firstMinutes`, then the rest. The
   * group is registered with this monitor (stopped with rollback when the target fails).
   */
  public deployLambdaGradually(id: string, alias: lambda.Alias, options: GradualLambdaDeploymentOptions = {}): codedeploy.LambdaDeploymentGroup {
    const percentage = options.firstPercentage ?? 10;
    const minutes = options.firstMinutes ?? 10;
    if (!(Number.isInteger(percentage) && percentage >= 1 && percentage <= 99)) {
      throw new Error(`ReleaseMonitor.deployLambdaGradually(${id}).firstPercentage: ${percentage} must be a whole percentage between 1 and 99, e.g. 10`);
    }
    if (!(Number.isInteger(minutes) && minutes >= 1 && minutes <= 2880)) {
      throw new Error(`ReleaseMonitor.deployLambdaGradually(${id}).firstMinutes: ${minutes} must be whole minutes between 1 and 2880, e.g. 10`);
    }
    const group = new codedeploy.LambdaDeploymentGroup(this, id, {
      alias,
      deploymentConfig: new codedeploy.LambdaDeploymentConfig(this, `${id}Config`, {
        trafficRouting: codedeploy.TrafficRouting.timeBasedCanary({ percentage, interval: cdk.Duration.minutes(minutes) }),
      }),
      autoRollback: { deploymentInAlarm: true, failedDeployment: true, stoppedDeployment: true },
    });
    this.addLambdaDeploymentGroup(group);
    return group;
  }

  /**
   * Watch a Lambda alias shifted by weights (e.g. a one-box taking a small share of invocations):
   * on failure its routing is reset to the stable version.
   */
  public addAlias(alias: lambda.IAlias): void {
    this.aliases.push(alias);
    this.monitorRole.addToPolicy(new iam.PolicyStatement({
      sid: `Alias${this.aliases.length}`,
      actions: ['lambda:GetAlias', 'lambda:UpdateAlias'],
      // Lambda authorises alias calls against the function and the qualified alias ARN.
      resources: [alias.version.lambda.functionArn, alias.functionArn],
    }));
  }

  private trackGroup(applicationName: string, deploymentGroupName: string, arn: string) {
    this.deploymentGroups.push({ applicationName, deploymentGroupName, arn });
    const stack = cdk.Stack.of(this);
    this.monitorRole.addToPolicy(new iam.PolicyStatement({
      sid: `DeploymentGroup${this.deploymentGroups.length}`,
      actions: ['codedeploy:ListDeployments', 'codedeploy:GetDeployment', 'codedeploy:StopDeployment'],
      resources: [arn],
    }));
    // StopDeployment and GetDeployment authorise against the deployment group; the
    // application ARN is needed by ListDeployments' application lookup.
    this.monitorRole.addToPolicy(new iam.PolicyStatement({
      sid: `Application${this.deploymentGroups.length}`,
      actions: ['codedeploy:GetApplication'],
      resources: [stack.formatArn({ service: 'codedeploy', resource: 'application', resourceName: applicationName, arnFormat: cdk.ArnFormat.COLON_RESOURCE_NAME })],
    }));
  }

  private manifest(): HealthManifest {
    return {
      schemaVersion: HEALTH_MANIFEST_VERSION,
      targetId: this.target.id,
      compositeAlarmName: compositeAlarmName(this.target.pipelineName, this.target.id),
      alarmNames: [...this.alarms, ...this.canaryAlarms].map((a) => a.alarmName),
      canaryNames: this.canaries.map((c) => c.canaryName),
      deploymentGroups: this.deploymentGroups.map(({ applicationName, deploymentGroupName }) => ({ applicationName, deploymentGroupName })),
      aliases: this.aliases.map((a) => ({ functionName: a.version.lambda.functionName, aliasName: a.aliasName })),
    };
  }

  private grantRead() {
    const stack = cdk.Stack.of(this);
    // DescribeAlarmHistory returns a composite alarm's history (the release-health alarm is one)
    // only to a cloudwatch:DescribeAlarmHistory permission scoped to "*":
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarmHistory.html
    this.monitorRole.addToPolicy(new iam.PolicyStatement({
      sid: 'ReadAlarms',
      actions: ['cloudwatch:DescribeAlarmHistory'],
      resources: ['*'],
    }));
    // DescribeAlarms and GetMetricData do not support resource-level permissions (IAM service
    // authorization reference), so "*" is the narrowest resource possible; both are read-only.
    this.monitorRole.addToPolicy(new iam.PolicyStatement({
      sid: 'ReadAlarmStateAndMetrics',
      actions: ['cloudwatch:DescribeAlarms', 'cloudwatch:GetMetricData'],
      resources: ['*'],
    }));
    this.monitorRole.addToPolicy(new iam.PolicyStatement({
      sid: 'ReadManifest',
      actions: ['ssm:GetParameter'],
      resources: [this.manifestParameter.parameterArn],
    }));
    if (this.canaries.length > 0) {
      this.monitorRole.addToPolicy(new iam.PolicyStatement({
        sid: 'ReadCanaryRuns',
        actions: ['synthetics:GetCanaryRuns'],
        resources: this.canaries.map((c) => stack.formatArn({ service: 'synthetics', resource: 'canary', resourceName: c.canaryName, arnFormat: cdk.ArnFormat.COLON_RESOURCE_NAME })),
      }));
    }
  }
}
