import * as cdk from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as synthetics from 'aws-cdk-lib/aws-synthetics';
import { Construct } from 'constructs';
import { DeploymentTarget } from './deployment-target';
import { runtimeBundleDir } from './runtime-asset';
import { ALARM_ROLLBACK_ENV, defaultAlarmRollbackWindowMinutes } from '../model/alarm-rollback';
import { HEALTH_MANIFEST_VERSION, HealthManifest, RequestMetricRef } from '../model/health-manifest';
import {
  compositeAlarmName, controllerRoleName, healthEventBusName, healthParameterName, monitorRoleName,
} from '../model/naming';

const MAX_COMPOSITE_CHILDREN = 100;
const MAX_ALARM_RULE_CHARS = 10_240;
const STANDARD_PARAMETER_BYTES = 4096;
const ADVANCED_PARAMETER_BYTES = 8192;
/** The L1 property holding the physical name of the resources a monitor names. */
const NAME_PROPERTIES: Record<string, string> = {
  'AWS::CloudWatch::Alarm': 'alarmName',
  'AWS::CloudWatch::CompositeAlarm': 'alarmName',
  'AWS::Lambda::Function': 'functionName',
  'AWS::CodeDeploy::Application': 'applicationName',
  'AWS::CodeDeploy::DeploymentGroup': 'deploymentGroupName',
  'AWS::Synthetics::Canary': 'name',
};

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

/**
 * Options of the alarm rollback: the health alarm's own action, a function in the target's account
 * and Region that rolls the target back without the pipeline.
 */
export interface AlarmRollbackOptions {
  /**
   * Whether the health alarm invokes the alarm rollback. Turning it off leaves the release
   * controller as the only thing that rolls the target back: while it cannot run, nothing does.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * How long after a deployment moved an alias to its version an ALARM still moves it back. A
   * weighted alias (a one-box, a gradual shift in progress) and an in-flight CodeDeploy deployment
   * are rolled back whatever their age.
   * @default - the longest bake of the target's region (`DeploymentTarget.regionBakeMinutes`) plus 60 minutes
   */
  readonly window?: cdk.Duration;
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
  /**
   * The metric counting requests served by the new code (Sum), read when the target's bake has
   * `minRequests`: e.g. `LambdaOneBox.metricInvocationsOfNewVersion()` or a one-box target group's
   * `RequestCount`. Only its namespace, name and dimensions are used.
   * @default - none (a bake with minRequests is refused)
   */
  readonly requests?: cloudwatch.IMetric;
  /**
   * The alarm rollback: when the health alarm enters ALARM, its alarm action invokes a function in
   * this account and Region that stops the target's in-flight CodeDeploy deployments and puts its
   * aliases back on their stable version, within seconds and without the release controller (the
   * controller still fails the bake and rolls the pipeline stage back).
   * @default - enabled, with the default window
   */
  readonly alarmRollback?: AlarmRollbackOptions;
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
  /** The function the health alarm invokes to roll the target back; absent when `alarmRollback.enabled` is false. */
  public readonly alarmRollbackFunction?: lambda.Function;

  private readonly alarms: cloudwatch.IAlarm[];
  private readonly healthRule: cloudwatch.IAlarmRule;
  private readonly canaries: synthetics.Canary[];
  private readonly deploymentGroups: Array<{ applicationName: string; deploymentGroupName: string; arn: string }> = [];
  private readonly aliases: lambda.IAlias[] = [];
  private readonly listeners: Array<{ listener: elbv2.IApplicationListener; oneBoxTargetGroup: elbv2.IApplicationTargetGroup }> = [];
  private readonly requests?: cloudwatch.IMetric;

  constructor(scope: Construct, id: string, props: ReleaseMonitorProps) {
    super(scope, id);
    this.target = props.target;
    this.alarms = [...(props.alarms ?? [])];
    this.canaries = [...(props.canaries ?? [])];
    this.requests = props.requests;
    if (this.alarms.length === 0 && this.canaries.length === 0) {
      throw new Error(`ReleaseMonitor(${this.node.path}).alarms: no alarms and no canaries for target "${props.target.id}"; a bake needs a health signal: pass alarms: [errorAlarm, latencyAlarm] and/or canaries: [canary]`);
    }
    const stack = cdk.Stack.of(this);
    if (!cdk.Token.isUnresolved(stack.account) && stack.account !== props.target.account) {
      throw new Error(`ReleaseMonitor(${this.node.path}): its stack deploys to account ${stack.account} but target "${props.target.id}" is account ${props.target.account}; create the Stage with env: { account: target.account, region: target.region }`);
    }

    this.canaryAlarms = this.canaries.map((canary, i) => new cloudwatch.Alarm(this, `CanaryAlarm${i}`, {
      alarmDescription: `Canary ${canary.node.id} has failing runs (release health of ${props.target.id})`,
      metric: canary.metricFailed({ period: cdk.Duration.minutes(1), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }));

    const watched = [...this.alarms, ...this.canaryAlarms];
    this.healthRule = cloudwatch.AlarmRule.anyOf(...watched);
    this.healthAlarm = new cloudwatch.CompositeAlarm(this, 'Health', {
      compositeAlarmName: compositeAlarmName(props.target.pipelineName, props.target.id),
      alarmDescription: `Release health of ${props.target.id}: ALARM fails its bake and rolls it back (cdk-wave-pipelines)`,
      alarmRule: this.healthRule,
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
    // A standard parameter holds 4 KB; a manifest that may not fit moves to the advanced tier (8 KB).
    (this.manifestParameter.node.defaultChild as ssm.CfnParameter).tier = cdk.Lazy.string({
      produce: () => (this.manifestSizeEstimate() > STANDARD_PARAMETER_BYTES ? ssm.ParameterTier.ADVANCED : undefined),
    });

    const alarmRollback = props.alarmRollback?.enabled ?? true;
    const controller = new iam.ArnPrincipal(`arn:${stack.partition}:iam::${props.target.pipelineAccount}:role/${controllerRoleName(props.target.pipelineName)}`);
    this.monitorRole = new iam.Role(this, 'MonitorRole', {
      roleName: monitorRoleName(props.target.pipelineName, props.target.id),
      description: `Assumed by the release controller of ${props.target.pipelineName} to read the health of ${props.target.id} and roll it back`
        + (alarmRollback ? ', and the role of its alarm rollback' : ''),
      // The alarm rollback runs as this role: it needs exactly what the controller's rollback of
      // the target needs, already scoped to the target's own groups, aliases and parameter.
      assumedBy: alarmRollback ? new iam.CompositePrincipal(controller, new iam.ServicePrincipal('lambda.amazonaws.com')) : controller,
      maxSessionDuration: cdk.Duration.hours(1),
    });
    this.grantRead();
    if (alarmRollback) this.alarmRollbackFunction = this.createAlarmRollback(props.alarmRollback?.window);
  }

  /**
   * The health alarm's action: a function in this account and Region that rolls the target back
   * (lib/runtime/alarm-rollback.ts says what it does and leaves). CloudWatch invokes a Lambda alarm
   * action asynchronously and retries until Lambda accepts it, given a resource policy for
   * `lambda.alarms.cloudwatch.amazonaws.com` (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-actions-Lambda.html);
   * composite alarms can invoke Lambda functions
   * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html).
   */
  private createAlarmRollback(window: cdk.Duration | undefined): lambda.Function {
    const stack = cdk.Stack.of(this);
    const target = this.target;
    const minutes = window ? window.toMinutes({ integral: false }) : defaultAlarmRollbackWindowMinutes(target.regionBakeMinutes ?? 0);
    if (!(Number.isInteger(minutes) && minutes >= 1)) {
      throw new Error(`ReleaseMonitor(${this.node.path}).alarmRollback.window: ${minutes} minutes; give whole minutes, at least 1, e.g. cdk.Duration.hours(2)`);
    }
    const logGroup = new logs.LogGroup(this, 'AlarmRollbackLogs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: cdk.RemovalPolicy.DESTROY,
    });
    const fn = new lambda.Function(this, 'AlarmRollback', {
      description: `cdk-wave-pipelines: rolls ${target.id} back when its health alarm enters ALARM, without the pipeline`,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(runtimeBundleDir('alarm-rollback')),
      memorySize: 256,
      timeout: cdk.Duration.minutes(2),
      role: this.monitorRole,
      logGroup,
      environment: {
        [ALARM_ROLLBACK_ENV.pipelineName]: target.pipelineName,
        [ALARM_ROLLBACK_ENV.targetId]: target.id,
        [ALARM_ROLLBACK_ENV.targetKind]: target.kind,
        [ALARM_ROLLBACK_ENV.account]: target.account,
        [ALARM_ROLLBACK_ENV.windowMinutes]: String(minutes),
      },
    });
    this.monitorRole.addToPolicy(new iam.PolicyStatement({
      sid: 'WriteAlarmRollbackLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
    }));
    // The alarm's ARN from its fixed name, not a reference: the alarm then waits for the permission
    // (an action CloudWatch is not yet allowed to invoke is not invoked at all) without a cycle.
    const alarmArn = stack.formatArn({
      service: 'cloudwatch', resource: 'alarm', resourceName: compositeAlarmName(target.pipelineName, target.id), arnFormat: cdk.ArnFormat.COLON_RESOURCE_NAME,
    });
    fn.addPermission('HealthAlarmInvokes', {
      principal: new iam.ServicePrincipal('lambda.alarms.cloudwatch.amazonaws.com'),
      action: 'lambda:InvokeFunction',
      sourceAccount: stack.account,
      sourceArn: alarmArn,
    });
    this.healthAlarm.addAlarmAction({ bind: () => ({ alarmActionArn: fn.functionArn }) });
    const permission = fn.permissionsNode.findChild('HealthAlarmInvokes');
    this.healthAlarm.node.addDependency(permission);
    return fn;
  }

  /** True when the monitor names a request metric, so a bake with `minRequests` can count requests. */
  public get countsRequests(): boolean {
    return this.requests !== undefined;
  }

  /**
   * Watch a CodeDeploy deployment group: its in-flight deployments are stopped with rollback when
   * the target fails, and the group itself stops on the health alarm. Give the group
   * `autoRollback: { deploymentInAlarm: true }` (the default when it has alarms).
   */
  public addLambdaDeploymentGroup(group: codedeploy.LambdaDeploymentGroup): void {
    group.addAlarm(this.healthAlarmByName());
    this.trackGroup(group.application.applicationName, group.deploymentGroupName, group.deploymentGroupArn);
  }

  /** Same as `addLambdaDeploymentGroup`, for an ECS blue/green deployment group. */
  public addEcsDeploymentGroup(group: codedeploy.EcsDeploymentGroup): void {
    group.addAlarm(this.healthAlarmByName());
    this.trackGroup(group.application.applicationName, group.deploymentGroupName, group.deploymentGroupArn);
  }

  /**
   * The health alarm named by its fixed name, without a CloudFormation reference.
   *
   * A deployment group names its alarms (`AlarmConfiguration.Alarms[].Name`, a plain string:
   * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codedeploy-deploymentgroup-alarm.html),
   * and the alias it deploys names the group in its `UpdatePolicy`. A `Ref` to the composite alarm
   * would close a dependency cycle whenever a watched alarm depends on the alias: a canary calling
   * the service's own URL (canary -> API stage -> deployment -> method -> alias -> group -> composite
   * -> canary alarm -> canary), which CloudFormation refuses (cfn-lint E3004). The name is fixed and
   * deterministic, so the group watches the same alarm without depending on it; the alias only
   * shifts traffic on an update, when the alarm exists. If it were ever missing, CodeDeploy stops
   * the deployment (`IgnorePollAlarmFailure` false, the default): fail closed.
   */
  private healthAlarmByName(): cloudwatch.IAlarm {
    const existing = this.node.tryFindChild('HealthByName') as cloudwatch.IAlarm | undefined;
    return existing ?? cloudwatch.CompositeAlarm.fromCompositeAlarmName(this, 'HealthByName', compositeAlarmName(this.target.pipelineName, this.target.id));
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

  /**
   * Drain a one-box's target group from a listener that forwards to it and the fleet's by weight
   * (`EcsOneBox.addToMonitor` calls this): when the one-box fails, its rollback (the alarm rollback
   * and the controller's) sets the group's weight in the listener's default forward action to 0
   * within seconds, the other groups keeping theirs, long before the stage rollback's redeploy has
   * replaced the one-box's tasks. One-box monitors only: a fleet's rollback leaves the listener alone.
   */
  public addWeightedListener(listener: elbv2.IApplicationListener, oneBoxTargetGroup: elbv2.IApplicationTargetGroup): void {
    if (!this.target.isOneBox) {
      throw new Error(`ReleaseMonitor(${this.node.path}).addWeightedListener: target "${this.target.id}" is a fleet; only a one-box's rollback drains its target group from the listener: call it on the one-box's monitor`);
    }
    this.listeners.push({ listener, oneBoxTargetGroup });
    // Service authorization reference, Elastic Load Balancing V2
    // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselasticloadbalancingv2.html):
    // DescribeListeners names no resource type, so it takes "*" (it only reads); ModifyListener is
    // authorised on the listener's ARN.
    if (this.listeners.length === 1) {
      this.monitorRole.addToPolicy(new iam.PolicyStatement({
        sid: 'DescribeListeners',
        actions: ['elasticloadbalancing:DescribeListeners'],
        resources: ['*'],
      }));
    }
    this.monitorRole.addToPolicy(new iam.PolicyStatement({
      sid: `DrainListener${this.listeners.length}`,
      actions: ['elasticloadbalancing:ModifyListener'],
      resources: [listener.listenerArn],
    }));
  }

  private trackGroup(applicationName: string, deploymentGroupName: string, arn: string) {
    this.deploymentGroups.push({ applicationName, deploymentGroupName, arn });
    const stack = cdk.Stack.of(this);
    this.monitorRole.addToPolicy(new iam.PolicyStatement({
      sid: `DeploymentGroup${this.deploymentGroups.length}`,
      actions: ['codedeploy:ListDeployments', 'codedeploy:GetDeployment'],
      resources: [arn],
    }));
    // ListDeployments and GetDeployment authorise against the deployment group; the
    // application ARN is needed by ListDeployments' application lookup.
    this.monitorRole.addToPolicy(new iam.PolicyStatement({
      sid: `Application${this.deploymentGroups.length}`,
      actions: ['codedeploy:GetApplication'],
      resources: [stack.formatArn({ service: 'codedeploy', resource: 'application', resourceName: applicationName, arnFormat: cdk.ArnFormat.COLON_RESOURCE_NAME })],
    }));
    if (this.deploymentGroups.length === 1) {
      // The rollback reads which version the newest deployment moved an alias from (its Lambda
      // target's currentVersion). ListDeploymentTargets and GetDeploymentTarget support no
      // resource-level permissions (IAM service authorization reference, list_awscodedeploy.html),
      // so "*" is the narrowest resource possible; both only read.
      this.monitorRole.addToPolicy(new iam.PolicyStatement({
        sid: 'ReadDeploymentTargets',
        actions: ['codedeploy:ListDeploymentTargets', 'codedeploy:GetDeploymentTarget'],
        resources: ['*'],
      }));
      // StopDeployment lists no resource type in the service authorization reference
      // (list_awscodedeploy.html; aws:ResourceTag, which applies to every action on a deployment
      // group, does not apply to it): a statement naming the group never matches, and the stop
      // would be denied at the moment it matters. The rollback stops only deployments it listed
      // in the target's own groups (ListDeployments, scoped above).
      this.monitorRole.addToPolicy(new iam.PolicyStatement({
        sid: 'StopDeployments',
        actions: ['codedeploy:StopDeployment'],
        resources: ['*'],
      }));
    }
  }

  /**
   * AWS limits the monitor could exceed, checked at synth with the longest names CloudFormation
   * may generate: a composite alarm has at most 100 child alarms and an `AlarmRule` of at most
   * 10,240 characters (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html),
   * and the manifest parameter holds at most 8 KB in the advanced tier
   * (https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html).
   * `WavePipeline` reports these with every other problem of the declaration.
   * @internal
   */
  public _limitProblems(): Array<{ path: string; message: string }> {
    const problems: Array<{ path: string; message: string }> = [];
    const where = `ReleaseMonitor(${this.node.path})`;
    const children = this.alarms.length + this.canaryAlarms.length;
    if (children > MAX_COMPOSITE_CHILDREN) {
      problems.push({ path: `${where}.alarms`, message: `${children} alarms and canary alarms, but a composite alarm takes at most ${MAX_COMPOSITE_CHILDREN}; combine related alarms into a composite alarm of your own and pass that` });
    }
    const ruleLength = this.estimate(this.healthRule.renderAlarmRule());
    if (ruleLength > MAX_ALARM_RULE_CHARS) {
      problems.push({ path: `${where}.alarms`, message: `the health alarm's rule may be ${ruleLength} characters once alarm names are resolved, above the ${MAX_ALARM_RULE_CHARS} CloudWatch allows; watch fewer alarms or give them shorter alarmName values` });
    }
    const size = this.manifestSizeEstimate();
    if (size > ADVANCED_PARAMETER_BYTES) {
      problems.push({ path: `${where}`, message: `the health manifest may be ${size} bytes, above the ${ADVANCED_PARAMETER_BYTES} bytes an SSM parameter holds; watch fewer alarms, canaries, deployment groups or aliases, or give them shorter names` });
    }
    return problems;
  }

  /**
   * Whether every datapoint the health signal could produce comes from a metric that AWS reports
   * only when it is nonzero: then a healthy target produces none during its bake, and a bake with
   * `noData: FAIL` fails. Application Load Balancer `HTTPCode_*` counts have the reporting
   * criterion "There is a nonzero value"
   * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html).
   * A canary's alarm (its metric is reported on every run), a composite or imported alarm, or any
   * other metric makes the answer false.
   * @internal
   */
  public _watchesOnlyNonzeroMetrics(): boolean {
    if (this.canaries.length > 0 || this.alarms.length === 0) return false;
    return this.alarms.every((alarm) => {
      const metric = alarm instanceof cloudwatch.Alarm ? alarm.metric : undefined;
      const stat = metric?.toMetricConfig().metricStat;
      return stat !== undefined && stat.namespace === 'AWS/ApplicationELB' && /^HTTPCode_/.test(stat.metricName);
    });
  }

  /** Upper bound of the manifest's size once names are resolved. */
  private manifestSizeEstimate(): number {
    return this.estimate(this.manifest());
  }

  /**
   * Length of a value's JSON once deployed, counting every unresolved name as the longest name
   * CloudFormation generates for it: stack name, logical id and a 13-character suffix
   * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html).
   */
  private estimate(value: unknown): number {
    const stack = cdk.Stack.of(this);
    // A resource given a fixed name is referenced by that name; any other gets a generated one.
    const fixedNames = new Map<string, string>();
    for (const c of stack.node.findAll()) {
      if (!cdk.CfnResource.isCfnResource(c)) continue;
      const property = NAME_PROPERTIES[c.cfnResourceType];
      const name = property ? (c as unknown as Record<string, unknown>)[property] : undefined;
      if (typeof name === 'string' && !cdk.Token.isUnresolved(name)) fixedNames.set(stack.getLogicalId(c), name);
    }
    const generated = (logicalId: string) => fixedNames.get(logicalId) ?? `${stack.stackName}-${logicalId}-XXXXXXXXXXXXX`;
    const flatten = (v: any): any => {
      if (Array.isArray(v)) return v.map(flatten);
      if (!v || typeof v !== 'object') return v;
      if (typeof v.Ref === 'string') {
        const pseudo: Record<string, string> = { 'AWS::Partition': 'aws-us-gov', 'AWS::Region': stack.region, 'AWS::AccountId': stack.account, 'AWS::URLSuffix': 'amazonaws.com.cn' };
        return pseudo[v.Ref] ?? generated(v.Ref);
      }
      if (Array.isArray(v['Fn::GetAtt'])) return `arn:aws-us-gov:cloudwatch:${stack.region}:${stack.account}:alarm:${generated(v['Fn::GetAtt'][0])}`;
      if (Array.isArray(v['Fn::Join'])) return (v['Fn::Join'][1] as any[]).map((p) => String(flatten(p))).join(v['Fn::Join'][0]);
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, flatten(x)]));
    };
    const resolved = flatten(stack.resolve(value));
    return typeof resolved === 'string' ? resolved.length : JSON.stringify(resolved).length;
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
      ...(this.listeners.length > 0 ? {
        listeners: this.listeners.map((l) => ({ listenerArn: l.listener.listenerArn, oneBoxTargetGroupArn: l.oneBoxTargetGroup.targetGroupArn })),
      } : {}),
      ...(this.requests ? { requestMetric: requestMetricRef(this.requests) } : {}),
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

function requestMetricRef(metric: cloudwatch.IMetric): RequestMetricRef {
  const stat = metric.toMetricConfig().metricStat;
  if (!stat) throw new Error('ReleaseMonitor.requests: a metric-math expression cannot count requests here; pass a plain metric, e.g. targetGroup.metrics.requestCount()');
  const dimensions = (stat.dimensions ?? []).map((d) => ({ name: d.name, value: String(d.value) }));
  return { namespace: stat.namespace, metricName: stat.metricName, dimensions };
}
