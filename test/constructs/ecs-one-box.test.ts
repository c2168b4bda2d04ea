// EcsOneBox: a one-box service and a fleet service behind one listener, deployed as one stack by the
// one-box and the fleet target of a region. Weighted forward:
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-elasticloadbalancingv2-listenerrule-forwardconfig.html
import * as cdk from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { EcsOneBox, NoDataPolicy, ReleaseMonitor } from '../../lib';
import { pipelineApp, PREPROD_ACCOUNT, PROD_ACCOUNT } from '../fixtures/apps';
import { CommonSetupFactory } from '../fixtures/services';

type Resource = { Type: string; Properties?: any; DeletionPolicy?: string };
type Template = { Resources: Record<string, Resource> };

const { pipeline } = pipelineApp({
  // The fixture watches 5XX counts alone, which ELB reports only when nonzero: the declaration must
  // say a bake without datapoints passes, or WavePipeline refuses it.
  preProduction: [{ name: 'beta', account: PREPROD_ACCOUNT, regions: ['us-west-2'], bake: { minutes: 15, noData: NoDataPolicy.PASS_WITH_WARNING } }],
  production: {
    account: PROD_ACCOUNT,
    waves: [{ regions: ['eu-west-1'] }],
    bake: { noData: NoDataPolicy.PASS_WITH_WARNING },
    oneBoxBake: { minRequests: 50, noData: NoDataPolicy.PASS_WITH_WARNING },
  },
}, {}, new CommonSetupFactory('ecs-one-box'));

function stackOf(targetId: string) {
  const stacks = pipeline.stageFor(targetId).synth().stacks;
  expect(stacks).toHaveLength(1);
  return stacks[0];
}
const oneBox = stackOf('prod-wave-1-eu-west-1-onebox');
const fleet = stackOf('prod-wave-1-eu-west-1-fleet');
const byType = (t: Template, type: string) => Object.entries(t.Resources).filter(([, r]) => r.Type === type);
const service = (t: Template, name: string) => byType(t, 'AWS::ECS::Service').find(([, r]) => r.Properties.ServiceName === name)![1];

test('one stack for both targets, and the listener always sends 10% to the one-box target group', () => {
  expect(oneBox.stackName).toBe(fleet.stackName);
  for (const t of [oneBox.template, fleet.template]) {
    const [[, listener]] = byType(t, 'AWS::ElasticLoadBalancingV2::Listener');
    const groups = listener.Properties.DefaultActions[0].ForwardConfig.TargetGroups;
    expect(groups.map((g: any) => [g.TargetGroupArn.Ref.replace(/[0-9A-F]{8}$/, ''), g.Weight])).toEqual([['FleetGroup', 90], ['OneBoxGroup', 10]]);
  }
});

test('one-box deployment: the one-box takes the new task definition, the fleet keeps the one read at deploy time', () => {
  const taskRef = service(oneBox.template, 'shop-onebox').Properties.TaskDefinition;
  expect(taskRef).toEqual({ Ref: expect.stringMatching(/^Task/) });
  expect(service(oneBox.template, 'shop-fleet').Properties.TaskDefinition).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ReleaseFleetPin/), 'TaskDefinition'] });
  const [[, pin]] = byType(oneBox.template, 'Custom::WavePipelinesEcsFleetPin');
  expect(pin.Properties).toMatchObject({ Service: 'shop-fleet', NewTaskDefinition: taskRef });
});

test('fleet deployment: both services on the new task definition, no pin; the revisions are kept for the fleet and rollbacks', () => {
  expect(service(fleet.template, 'shop-fleet').Properties.TaskDefinition).toEqual(service(fleet.template, 'shop-onebox').Properties.TaskDefinition);
  expect(byType(fleet.template, 'Custom::WavePipelinesEcsFleetPin')).toEqual([]);
  expect(byType(fleet.template, 'AWS::ECS::TaskDefinition').map(([, r]) => r.DeletionPolicy)).toEqual(['Retain']);
});

test('one-box signal is the one-box target group alone; the fleet signal is the load balancer', () => {
  const t = oneBox.template as Template;
  const alarm = (composite: string) => {
    const [, c] = byType(t, 'AWS::CloudWatch::CompositeAlarm').find(([, r]) => r.Properties.AlarmName === composite)!;
    const rule = JSON.stringify(c.Properties.AlarmRule);
    return byType(t, 'AWS::CloudWatch::Alarm').filter(([id]) => rule.includes(`"${id}"`)).map(([, r]) => r.Properties.Dimensions.map((d: any) => d.Name).sort().join('+'));
  };
  expect(alarm('orders-prod-wave-1-eu-west-1-onebox-release-health').sort()).toEqual(['LoadBalancer', 'LoadBalancer+TargetGroup']);
  expect(alarm('orders-prod-wave-1-eu-west-1-fleet-release-health')).toEqual(['LoadBalancer']);
});

// Family is an update that requires replacement:
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecs-taskdefinition.html
test('the task definition has one family in both deployments (the stack\'s name, not the stage\'s path): an unchanged release replaces nothing', () => {
  const families = (t: Template) => byType(t, 'AWS::ECS::TaskDefinition').map(([, r]) => r.Properties.Family);
  expect(families(oneBox.template)).toEqual(families(fleet.template));
  expect(families(oneBox.template)).toHaveLength(1);
  expect(families(oneBox.template)[0]).toMatch(new RegExp(`^${oneBox.stackName}-[A-Za-z0-9_-]+$`));
});

test('a family of your own is left alone', () => {
  const stack = new cdk.Stack(new cdk.App(), 'S', { env: { account: PROD_ACCOUNT, region: 'eu-west-1' }, stackName: 'shop' });
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0 });
  const cluster = new ecs.Cluster(stack, 'C', { vpc });
  const task = new ecs.FargateTaskDefinition(stack, 'T', { family: 'shop-web' });
  task.addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx') });
  const fleetService = new ecs.FargateService(stack, 'Fleet', { cluster, taskDefinition: task, serviceName: 'shop-fleet' });
  const listener = new elbv2.ApplicationLoadBalancer(stack, 'Lb', { vpc }).addListener('L', { port: 80, open: false });
  const group = (id: string) => new elbv2.ApplicationTargetGroup(stack, id, { vpc, port: 80 });
  const target = { id: 'prod-wave-1-eu-west-1-fleet', kind: 'FLEET', isOneBox: false, stageName: 'Prod-Wave-1', stageKind: 'PRODUCTION', account: PROD_ACCOUNT, region: 'eu-west-1', pipelineName: 'orders', pipelineAccount: '1', pipelineRegion: 'us-east-1' };
  new EcsOneBox(stack, 'Release', { target, cluster, fleetService, fleetTargetGroup: group('G1'), oneBoxTargetGroup: group('G2'), listener });
  expect((task.node.defaultChild as ecs.CfnTaskDefinition).family).toBe('shop-web');
});

test('a fleet service without a fixed name is refused with the fix', () => {
  let groupCount = 0;
  const stack = new cdk.Stack(new cdk.App(), 'S', { env: { account: PROD_ACCOUNT, region: 'eu-west-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0 });
  const cluster = new ecs.Cluster(stack, 'C', { vpc });
  const task = new ecs.FargateTaskDefinition(stack, 'T');
  task.addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx') });
  const fleetService = new ecs.FargateService(stack, 'Fleet', { cluster, taskDefinition: task });
  const listener = new elbv2.ApplicationLoadBalancer(stack, 'Lb', { vpc }).addListener('L', { port: 80, open: false });
  const group = () => new elbv2.ApplicationTargetGroup(stack, `G${groupCount++}`, { vpc, port: 80 });
  const target = { id: 'prod-wave-1-eu-west-1-onebox', kind: 'ONE_BOX', isOneBox: true, stageName: 'Prod-Wave-1', stageKind: 'PRODUCTION', account: PROD_ACCOUNT, region: 'eu-west-1', pipelineName: 'orders', pipelineAccount: '1', pipelineRegion: 'us-east-1' };
  expect(() => new EcsOneBox(stack, 'Release', { target, cluster, fleetService, fleetTargetGroup: group(), oneBoxTargetGroup: group(), listener }))
    .toThrow("has no fixed serviceName; the one-box deployment reads the fleet service by name: give it serviceName: 'orders-fleet'");
});

describe('fast rollback: the one-box monitor drains the one-box target group from the listener', () => {
  // Both templates deploy the same stack, so both carry the one-box's monitor.
  const policies = (t: Template) => byType(t, 'AWS::IAM::Policy').filter(([id]) => id.startsWith('OneBoxMonitorMonitorRole'))
    .flatMap(([, r]) => r.Properties.PolicyDocument.Statement as any[]);
  /** The manifest parameter's `Fn::Join` parts. */
  const manifestOf = (t: Template, targetId: string): any[] => {
    const [, parameter] = byType(t, 'AWS::SSM::Parameter').find(([, r]) => JSON.stringify(r.Properties.Name).includes(targetId))!;
    return parameter.Properties.Value['Fn::Join'][1];
  };
  /** The value following a JSON key in the parts, e.g. the `Ref` after `"listenerArn":"`. */
  const after = (parts: any[], key: string) => parts[parts.findIndex((p) => typeof p === 'string' && p.endsWith(`"${key}":"`)) + 1];

  test.each([['one-box', oneBox], ['fleet', fleet]])('%s template: the one-box monitor role may describe listeners and modify this listener only', (_name, stack) => {
    const t = stack.template as Template;
    const [[listenerId]] = byType(t, 'AWS::ElasticLoadBalancingV2::Listener');
    const statements = policies(t);
    // Service authorization reference: DescribeListeners has no resource type ("*"); ModifyListener
    // is authorised on the listener.
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselasticloadbalancingv2.html
    expect(statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('elasticloadbalancing:')))).toEqual([
      { Sid: 'DescribeListeners', Effect: 'Allow', Action: 'elasticloadbalancing:DescribeListeners', Resource: '*' },
      { Sid: 'DrainListener1', Effect: 'Allow', Action: 'elasticloadbalancing:ModifyListener', Resource: { Ref: listenerId } },
    ]);
  });

  test('the one-box manifest names the listener and the one-box target group; the fleet manifest none', () => {
    const t = oneBox.template as Template;
    const [[listenerId]] = byType(t, 'AWS::ElasticLoadBalancingV2::Listener');
    const [[oneBoxGroupId]] = byType(t, 'AWS::ElasticLoadBalancingV2::TargetGroup').filter(([id]) => id.startsWith('OneBoxGroup'));
    const parts = manifestOf(t, 'prod-wave-1-eu-west-1-onebox');
    expect(after(parts, 'listenerArn')).toEqual({ Ref: listenerId });
    expect(after(parts, 'oneBoxTargetGroupArn')).toEqual({ Ref: oneBoxGroupId });
    expect(JSON.stringify(manifestOf(t, 'prod-wave-1-eu-west-1-fleet'))).not.toContain('listeners');
  });

  test('a fleet monitor is refused, with the fix', () => {
    const stack = new cdk.Stack(new cdk.App(), 'S', { env: { account: PROD_ACCOUNT, region: 'eu-west-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0 });
    const cluster = new ecs.Cluster(stack, 'C', { vpc });
    const task = new ecs.FargateTaskDefinition(stack, 'T');
    task.addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx') });
    const fleetService = new ecs.FargateService(stack, 'Fleet', { cluster, taskDefinition: task, serviceName: 'shop-fleet' });
    const listener = new elbv2.ApplicationLoadBalancer(stack, 'Lb', { vpc }).addListener('L', { port: 80, open: false });
    const fleetTarget = { id: 'prod-wave-1-eu-west-1-fleet', kind: 'FLEET', isOneBox: false, stageName: 'Prod-Wave-1', stageKind: 'PRODUCTION', account: PROD_ACCOUNT, region: 'eu-west-1', pipelineName: 'orders', pipelineAccount: '1', pipelineRegion: 'us-east-1' };
    const release = new EcsOneBox(stack, 'Release', {
      target: fleetTarget,
      cluster,
      fleetService,
      listener,
      fleetTargetGroup: new elbv2.ApplicationTargetGroup(stack, 'G1', { vpc, port: 80 }),
      oneBoxTargetGroup: new elbv2.ApplicationTargetGroup(stack, 'G2', { vpc, port: 80 }),
    });
    const monitor = new ReleaseMonitor(stack, 'FleetMonitor', { target: fleetTarget, alarms: [new cloudwatch.Alarm(stack, 'A', { metric: release.metricOneBoxErrors(), threshold: 1, evaluationPeriods: 1 })] });
    expect(() => release.addToMonitor(monitor)).toThrow('target "prod-wave-1-eu-west-1-fleet" is a fleet; only a one-box\'s rollback drains its target group from the listener: call it on the one-box\'s monitor');
  });
});

test('the one-box deployment gives the one-box target group its weight back (ModifyListener keyed by the new task definition); the fleet deployment does not', () => {
  const calls = (t: Template) => byType(t, 'Custom::AWS').map(([, r]) => JSON.stringify(r.Properties.Create));
  const [create] = calls(oneBox.template);
  expect(create).toContain('\\"action\\":\\"ModifyListener\\"');
  expect(create).toMatch(/\\"Weight\\":90.*\\"Weight\\":10/);
  // The physical ID is the task definition: a new one (a release, or the stage rollback's) runs the call again.
  expect(create).toMatch(/\\"physicalResourceId\\":\{\\"id\\":\\"","?\{"Ref":"Task/);
  expect(calls(fleet.template)).toEqual([]);
  // The provider's own role, under the IAM prefix of ELB v2 (elasticloadbalancing, not elasticloadbalancingv2):
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselasticloadbalancingv2.html
  const [[listenerId]] = byType(oneBox.template, 'AWS::ElasticLoadBalancingV2::Listener');
  const [[, policy]] = byType(oneBox.template, 'AWS::IAM::Policy').filter(([id]) => id.startsWith('ReleaseOneBoxWeight'));
  expect(policy.Properties.PolicyDocument.Statement).toEqual([{ Action: 'elasticloadbalancing:ModifyListener', Effect: 'Allow', Resource: { Ref: listenerId } }]);
});
