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
 */
export class EcsOneBox extends Construct {
  /** Weight of the one-box target group in the listener (the fleet's is 100 minus this). */
  public readonly oneBoxPercent: number;
  /** The custom resource reading the fleet's task definition (one-box deployments only). */
  public readonly fleetPin?: cdk.CustomResource;

  private readonly oneBoxTargetGroup: elbv2.IApplicationTargetGroup;

  constructor(scope: Construct, id: string, props: EcsOneBoxProps) {
    super(scope, id);
    const percent = props.oneBoxPercent ?? DEFAULT_ONE_BOX_PERCENT;
    if (!(Number.isInteger(percent) && percent >= 1 && percent <= MAX_ONE_BOX_PERCENT)) {
      throw new Error(`EcsOneBox(${this.node.path}).oneBoxPercent: ${percent} must be a whole percentage between 1 and ${MAX_ONE_BOX_PERCENT}, e.g. ${DEFAULT_ONE_BOX_PERCENT}; a one-box takes a small share of real traffic`);
    }
    this.oneBoxPercent = percent;
    this.oneBoxTargetGroup = props.oneBoxTargetGroup;

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
