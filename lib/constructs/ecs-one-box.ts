import * as cdk from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { DeploymentTarget } from './deployment-target';
import { DEFAULT_ONE_BOX_PERCENT, MAX_ONE_BOX_PERCENT } from './lambda-one-box';
import { ReleaseMonitor } from './release-monitor';
import { runtimeBundleDir } from './runtime-asset';

/** Props of `EcsOneBox`. */
export interface EcsOneBoxProps {
  /** The target this deployment is (one-box or fleet of a region). */
  readonly target: DeploymentTarget;
  /** Cluster of both services. */
  readonly cluster: ecs.ICluster;
  /**
   * The fleet service, created with the new release's task definition. It needs a fixed
   * `serviceName`: the one-box deployment reads it by name.
   */
  readonly fleetService: ecs.BaseService;
  /** Target group of the fleet service. */
  readonly fleetTargetGroup: elbv2.IApplicationTargetGroup;
  /** Target group of the one-box service (its tasks only): the one-box's own metrics. */
  readonly oneBoxTargetGroup: elbv2.IApplicationTargetGroup;
  /**
   * The one-box service. When given, the one-box deployment gives the one-box target group its
   * weight back only once this service is steady on the new task definition (see `addToMonitor`).
   * @default - the weight is given back while the one-box service is still being updated
   */
  readonly oneBoxService?: ecs.BaseService;
  /** The listener customers reach; its default action forwards to both target groups by weight. */
  readonly listener: elbv2.ApplicationListener;
  /**
   * Share of the listener's requests the one-box target group takes, in whole percent (1-50).
   * @default 10
   */
  readonly oneBoxPercent?: number;
}

/**
 * One-box and fleet deployment of an ECS service behind an Application Load Balancer.
 *
 * Two services run side by side in one stack: the one-box service (one task or a few) in its own
 * target group, and the fleet service. The listener forwards `oneBoxPercent` of the requests to
 * the one-box target group and the rest to the fleet's
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-elasticloadbalancingv2-listenerrule-forwardconfig.html),
 * always: the one-box is a permanent part of the region that takes every release first. The
 * one-box and the fleet target of a region deploy the same stack. In the one-box deployment a
 * custom resource reads the task definition the fleet service runs now, and the fleet service keeps
 * it while the one-box service takes the new one; on the first release into a region there is no
 * fleet yet and both start on the new one. The fleet deployment gives the fleet the new one.
 * Both deployments end when ECS has the tasks running: the one-box bakes in the pipeline's free
 * approval gate.
 *
 * One-box signal: the one-box target group's metrics (`TargetGroup` dimension,
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html).
 *
 * Fast rollback: call `addToMonitor(oneBoxMonitor)` with the one-box target's `ReleaseMonitor`.
 * When the one-box fails, its rollback sets the one-box target group's weight in the listener to 0
 * within seconds (the fleet's group then takes every request), as the Lambda one-box's rollback
 * resets its alias; the stage rollback then puts the one-box's previous task definition back.
 */
export class EcsOneBox extends Construct {
  /** Weight of the one-box target group in the listener (the fleet's is 100 minus this). */
  public readonly oneBoxPercent: number;
  /** The custom resource reading the fleet's task definition (one-box deployments only). */
  public readonly fleetPin?: cdk.CustomResource;

  private readonly oneBoxTargetGroup: elbv2.IApplicationTargetGroup;
  private readonly listener: elbv2.IApplicationListener;
  private readonly target: DeploymentTarget;

  constructor(scope: Construct, id: string, props: EcsOneBoxProps) {
    super(scope, id);
    const percent = props.oneBoxPercent ?? DEFAULT_ONE_BOX_PERCENT;
    if (!(Number.isInteger(percent) && percent >= 1 && percent <= MAX_ONE_BOX_PERCENT)) {
      throw new Error(`EcsOneBox(${this.node.path}).oneBoxPercent: ${percent} must be a whole percentage between 1 and ${MAX_ONE_BOX_PERCENT}, e.g. ${DEFAULT_ONE_BOX_PERCENT}; a one-box takes a small share of real traffic`);
    }
    this.oneBoxPercent = percent;
    this.oneBoxTargetGroup = props.oneBoxTargetGroup;
    this.listener = props.listener;
    this.target = props.target;

    props.listener.addAction('OneBoxWeights', {
      action: elbv2.ListenerAction.weightedForward([
        { targetGroup: props.fleetTargetGroup, weight: 100 - percent },
        { targetGroup: props.oneBoxTargetGroup, weight: percent },
      ]),
    });

    const fleet = props.fleetService.node.defaultChild as ecs.CfnService;
    const serviceName = fleet.serviceName;
    if (typeof serviceName !== 'string' || cdk.Token.isUnresolved(serviceName)) {
      throw new Error(`EcsOneBox(${this.node.path}).fleetService: ${props.fleetService.node.path} has no fixed serviceName; the one-box deployment reads the fleet service by name: give it serviceName: 'orders-fleet'`);
    }
    // The fleet runs the previous revision during a one-box bake; CloudFormation would deregister
    // it when the revision is replaced. Kept, it stays ACTIVE for the fleet and for a rollback.
    props.fleetService.taskDefinition.applyRemovalPolicy(cdk.RemovalPolicy.RETAIN);
    pinFamily(props.fleetService.taskDefinition);

    if (!props.target.isOneBox) return;
    this.restoreWeights(props, percent);
    const onEvent = new lambda.Function(this, 'PinHandler', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(runtimeBundleDir('ecs-fleet-pin')),
      description: 'Reads the task definition the ECS fleet runs, so it keeps it during the one-box bake (cdk-wave-pipelines)',
      timeout: cdk.Duration.minutes(1),
      logGroup: new logs.LogGroup(this, 'PinLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: cdk.RemovalPolicy.DESTROY }),
    });
    const stack = cdk.Stack.of(this);
    onEvent.addToRolePolicy(new iam.PolicyStatement({
      actions: ['ecs:DescribeServices'],
      resources: [stack.formatArn({ service: 'ecs', resource: 'service', resourceName: `${props.cluster.clusterName}/${serviceName}` })],
    }));
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: onEvent,
      logGroup: new logs.LogGroup(this, 'ProviderLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: cdk.RemovalPolicy.DESTROY }),
    });
    // Only the one-box template has this resource: the fleet deployment deletes it and the next
    // one-box deployment creates it again, so every one-box reads the fleet afresh.
    this.fleetPin = new cdk.CustomResource(this, 'FleetPin', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::WavePipelinesEcsFleetPin',
      properties: {
        Cluster: props.cluster.clusterName, Service: serviceName, NewTaskDefinition: props.fleetService.taskDefinition.taskDefinitionArn,
      },
    });
    fleet.taskDefinition = this.fleetPin.getAttString('TaskDefinition');
  }

  /**
   * Gives the one-box target group its weight back in every one-box deployment. A one-box rollback
   * sets it to 0 with ModifyListener, and CloudFormation does not undo that: it updates a resource
   * only when its template changed
   * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-update-behaviors.html),
   * and the listener's is the same in every deployment. This call is keyed by the new task
   * definition, so it runs again whenever the one-box deployment changes it (a new release, and
   * the stage rollback that puts the previous one back), after the one-box service is steady when
   * `oneBoxService` is given. Only the one-box template has it; the fleet deployment leaves the
   * weights as they are.
   */
  private restoreWeights(props: EcsOneBoxProps, percent: number): void {
    const forward = {
      Type: 'forward',
      ForwardConfig: {
        TargetGroups: [
          { TargetGroupArn: props.fleetTargetGroup.targetGroupArn, Weight: 100 - percent },
          { TargetGroupArn: props.oneBoxTargetGroup.targetGroupArn, Weight: percent },
        ],
      },
    };
    const call: cr.AwsSdkCall = {
      service: 'ElasticLoadBalancingV2',
      action: 'ModifyListener',
      parameters: { ListenerArn: props.listener.listenerArn, DefaultActions: [forward] },
      physicalResourceId: cr.PhysicalResourceId.of(props.fleetService.taskDefinition.taskDefinitionArn),
    };
    const restore = new cr.AwsCustomResource(this, 'OneBoxWeight', {
      onUpdate: call,
      // ModifyListener is authorised on the listener, under the prefix elasticloadbalancing (service
      // authorization reference, https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselasticloadbalancingv2.html);
      // fromSdkCalls would derive "elasticloadbalancingv2:ModifyListener", an action that does not exist.
      policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({
        actions: ['elasticloadbalancing:ModifyListener'],
        resources: [props.listener.listenerArn],
      })]),
      installLatestAwsSdk: false,
      logGroup: new logs.LogGroup(this, 'OneBoxWeightLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: cdk.RemovalPolicy.DESTROY }),
    });
    if (props.oneBoxService) restore.node.addDependency(props.oneBoxService);
  }

  /**
   * Registers the listener with the one-box target's monitor: the one-box's rollback (the alarm
   * rollback in this account and the release controller's) drains the one-box target group from
   * it (weight 0) within seconds. Give the monitor of the region's one-box target, e.g.
   * `regionTargets(target).oneBox`; a fleet monitor is refused (its rollback leaves the listener
   * alone: by then the one-box runs the release the fleet rolls back, and the stage rollback puts
   * the template back). Both targets of a region deploy the same stack, so create the one-box's
   * monitor in it, next to this construct, and pass it here.
   */
  public addToMonitor(monitor: ReleaseMonitor): void {
    if (monitor.target.region !== this.target.region || monitor.target.account !== this.target.account) {
      throw new Error(`EcsOneBox(${this.node.path}).addToMonitor: the monitor of "${monitor.target.id}" is in ${monitor.target.account}/${monitor.target.region}, this one-box in ${this.target.account}/${this.target.region}; give the monitor of this region's one-box target`);
    }
    monitor.addWeightedListener(this.listener, this.oneBoxTargetGroup);
  }

  /** A metric of the one-box target group alone (e.g. `HTTPCode_Target_5XX_Count`, `TargetResponseTime`). */
  public metricOneBox(metricName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    // Dimensions TargetGroup and LoadBalancer: the requests of the one-box's target group alone.
    return this.oneBoxTargetGroup.metrics.custom(metricName, { period: cdk.Duration.minutes(1), statistic: 'Sum', ...props });
  }

  /** Requests the one-box target group received: the requests the one-box served. */
  public metricOneBoxRequests(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metricOneBox('RequestCount', props);
  }

  /** 5xx responses of the one-box's targets. */
  public metricOneBoxErrors(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metricOneBox('HTTPCode_Target_5XX_Count', props);
  }
}

/**
 * A task definition without a family of its own gets CDK's, which is derived from its construct
 * path, stage included: the one-box and the fleet deployment of the same stack would name different
 * families, and `Family` is an update that requires replacement
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecs-taskdefinition.html),
 * so every deployment, even of an unchanged release, would register a new revision and roll every
 * task. The family is taken from the stack's name (shared by both deployments) and the path inside
 * the stack instead. A family you set yourself is left alone.
 */
function pinFamily(taskDefinition: ecs.TaskDefinition): void {
  const cfn = taskDefinition.node.defaultChild as ecs.CfnTaskDefinition;
  if (cfn.family !== cdk.Names.uniqueId(taskDefinition)) return;
  const stack = cdk.Stack.of(taskDefinition);
  if (cdk.Token.isUnresolved(stack.stackName)) return;
  const inside = taskDefinition.node.scopes.slice(taskDefinition.node.scopes.indexOf(stack) + 1).map((c) => c.node.id);
  // Up to 255 letters, numbers, hyphens and underscores (the same page).
  cfn.family = [stack.stackName, ...inside].join('-').replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 255);
}
