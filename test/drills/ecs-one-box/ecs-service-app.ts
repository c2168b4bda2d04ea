/**
 * The small ECS service the ECS one-box drills deploy to every target: a one-box service and a
 * fleet service in one cluster behind one listener, with `EcsOneBox` between them, as a user
 * would write it. One stack per stage and region, deployed by the region's one-box and fleet
 * targets. The example app has no ECS service, so the drills bring their own.
 *
 * Alarms: 5XX counts of the one-box target group (one-box only) and of the load balancer (both),
 * and, with `withLatency`, the response time of each, which the load balancer reports whenever
 * requests flow. Without them every watched metric is one ELB does not report while it is zero
 * (see the drill "healthy release, 5XX alarms only").
 */
import * as cdk from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { ACCOUNTS } from '../../../examples/app';
import { DeploymentTarget, EcsOneBox, IDeploymentStageFactory, ReleaseDeclaration, ReleaseMonitor, regionTargets } from '../../../lib';

export const FLEET_SERVICE = 'shop-fleet';
export const ONE_BOX_SERVICE = 'shop-onebox';
/** Seconds of response time over which the latency alarms fire. */
export const LATENCY_THRESHOLD_SECONDS = 1;

export class EcsDrillServiceStage extends cdk.Stage {
  constructor(scope: Construct, id: string, target: DeploymentTarget, withLatency: boolean) {
    super(scope, id, { env: { account: target.account, region: target.region } });
    const stack = new cdk.Stack(this, 'Service', { stackName: `shop-${target.stageName.toLowerCase()}` });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('web', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:latest'), portMappings: [{ containerPort: 80 }] });
    const fleetService = new ecs.FargateService(stack, 'Fleet', { cluster, taskDefinition: task, serviceName: FLEET_SERVICE, desiredCount: 9, assignPublicIp: true, minHealthyPercent: 100 });
    const oneBoxService = new ecs.FargateService(stack, 'OneBox', { cluster, taskDefinition: task, serviceName: ONE_BOX_SERVICE, desiredCount: 1, assignPublicIp: true, minHealthyPercent: 100 });
    const lb = new elbv2.ApplicationLoadBalancer(stack, 'Lb', { vpc, internetFacing: true });
    const listener = lb.addListener('Http', { port: 80, open: false });
    const fleetGroup = new elbv2.ApplicationTargetGroup(stack, 'FleetGroup', { vpc, port: 80, targetType: elbv2.TargetType.IP, targets: [fleetService] });
    const oneBoxGroup = new elbv2.ApplicationTargetGroup(stack, 'OneBoxGroup', { vpc, port: 80, targetType: elbv2.TargetType.IP, targets: [oneBoxService] });
    const oneBox = new EcsOneBox(stack, 'Release', { target, cluster, fleetService, fleetTargetGroup: fleetGroup, oneBoxTargetGroup: oneBoxGroup, oneBoxService, listener });

    const errors = new cloudwatch.Alarm(stack, 'Errors', { metric: lb.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT), threshold: 5, evaluationPeriods: 1 });
    const oneBoxErrors = new cloudwatch.Alarm(stack, 'OneBoxErrors', { metric: oneBox.metricOneBoxErrors(), threshold: 2, evaluationPeriods: 1 });
    const fleetAlarms: cloudwatch.IAlarm[] = [errors];
    const oneBoxAlarms: cloudwatch.IAlarm[] = [oneBoxErrors, errors];
    if (withLatency) {
      const latency = (alarmId: string, metric: cloudwatch.IMetric) => new cloudwatch.Alarm(stack, alarmId, {
        metric, threshold: LATENCY_THRESHOLD_SECONDS, evaluationPeriods: 3, datapointsToAlarm: 2,
      });
      fleetAlarms.push(latency('Latency', lb.metrics.targetResponseTime({ period: cdk.Duration.minutes(1) })));
      oneBoxAlarms.push(latency('OneBoxLatency', oneBox.metricOneBox('TargetResponseTime', { statistic: 'Average' })));
    }
    const targets = regionTargets(target);
    if (targets.oneBox) {
      const oneBoxMonitor = new ReleaseMonitor(stack, 'OneBoxMonitor', { target: targets.oneBox, alarms: oneBoxAlarms, requests: oneBox.metricOneBoxRequests() });
      // The one-box's rollback drains its target group from the listener within seconds.
      oneBox.addToMonitor(oneBoxMonitor);
    }
    new ReleaseMonitor(stack, 'FleetMonitor', { target: targets.fleet, alarms: fleetAlarms, requests: lb.metrics.requestCount() });
  }
}

export class EcsDrillServiceFactory implements IDeploymentStageFactory {
  constructor(private readonly withLatency = true) {}
  public createStage(scope: Construct, id: string, target: DeploymentTarget): cdk.Stage {
    return new EcsDrillServiceStage(scope, id, target, this.withLatency);
  }
}

/**
 * One pre-production stage and one production wave (eu-west-1) with its one-box: what the ECS
 * drills need, synthesized in seconds. The one-box bake waits for 100 requests to the one-box
 * target group, as the example's does.
 */
export const ECS_RELEASE: ReleaseDeclaration = {
  preProduction: [{ name: 'beta', account: ACCOUNTS.preProduction, regions: ['us-west-2'], bake: { minutes: 15 } }],
  production: {
    account: ACCOUNTS.production,
    oneBox: true,
    oneBoxBake: { minutes: 30, minRequests: 100, trafficWaitMinutes: 60 },
    bake: { minutes: 30 },
    waves: [{ regions: ['eu-west-1'] }],
  },
};
