import * as cdk from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as synthetics from 'aws-cdk-lib/aws-synthetics';
import { DeploymentTarget, ReleaseMonitor } from '../../lib';
import { arnString } from '../fixtures/apps';
import { fargateBlueGreen } from '../fixtures/services';

const target: DeploymentTarget = {
  id: 'prod-wave-2-us-east-1-onebox',
  kind: 'ONE_BOX',
  isOneBox: true,
  stageName: 'Prod-Wave-2',
  stageKind: 'PRODUCTION',
  account: '333333333333',
  region: 'us-east-1',
  pipelineName: 'orders',
  pipelineAccount: '111111111111',
  pipelineRegion: 'us-east-1',
};

function service(account = target.account) {
  const app = new cdk.App();
  const stack = new cdk.Stack(app, 'Service', { env: { account, region: target.region } });
  const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=async()=>1') });
  const alias = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
  const errors = new cloudwatch.Alarm(stack, 'Errors', { alarmName: 'orders-errors', metric: fn.metricErrors(), threshold: 1, evaluationPeriods: 1 });
  const canary = new synthetics.Canary(stack, 'Canary', {
    canaryName: 'orders-canary',
    runtime: synthetics.Runtime.SYNTHETICS_NODEJS_PUPPETEER_13_0,
    test: synthetics.Test.custom({ handler: 'index.handler', code: synthetics.Code.fromInline('exports.handler = async () => {};') }),
  });
  return { stack, fn, alias, errors, canary };
}

describe('ReleaseMonitor', () => {
  const s = service();
  const monitor = new ReleaseMonitor(s.stack, 'Monitor', { target, alarms: [s.errors], canaries: [s.canary] });
  const group = monitor.deployLambdaGradually('Deployment', s.alias, { firstPercentage: 5, firstMinutes: 15 });
  monitor.addAlias(s.alias);
  const t = Template.fromStack(s.stack);

  test('the composite alarm watches the user alarms and one alarm per canary', () => {
    const [composite] = Object.values(t.findResources('AWS::CloudWatch::CompositeAlarm')) as any[];
    expect(composite.Properties.AlarmName).toBe('orders-prod-wave-2-us-east-1-onebox-release-health');
    const rule = JSON.stringify(s.stack.resolve(composite.Properties.AlarmRule));
    expect(rule).toContain(s.stack.getLogicalId(s.errors.node.defaultChild as cdk.CfnElement));
    expect(rule).toContain(s.stack.getLogicalId(monitor.canaryAlarms[0].node.defaultChild as cdk.CfnElement));
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Failed', Namespace: 'CloudWatchSynthetics', Threshold: 1 });
  });

  test('the health manifest names what is watched and what rolls back', () => {
    const [param] = Object.values(t.findResources('AWS::SSM::Parameter')) as any[];
    expect(param.Properties.Name).toBe('/cdk-wave-pipelines/orders/prod-wave-2-us-east-1-onebox/health');
    const value = JSON.stringify(s.stack.resolve(param.Properties.Value));
    const ref = (c: { node: { defaultChild?: unknown } }) => `{"Ref":"${s.stack.getLogicalId(c.node.defaultChild as cdk.CfnElement)}"}`;
    for (const expected of ['"schemaVersion\\":1', ref(s.errors), ref(s.canary), ref(group), 'deploymentGroupName', '"aliasName\\":\\"live\\"', 'orders-prod-wave-2-us-east-1-onebox-release-health']) {
      expect(value).toContain(expected);
    }
  });

  test('gradual deployment: canary traffic shift, stopped by the health alarm with automatic rollback', () => {
    t.hasResourceProperties('AWS::CodeDeploy::DeploymentConfig', {
      TrafficRoutingConfig: { Type: 'TimeBasedCanary', TimeBasedCanary: { CanaryPercentage: 5, CanaryInterval: 15 } },
    });
    const [dg] = Object.values(t.findResources('AWS::CodeDeploy::DeploymentGroup')) as any[];
    expect([...dg.Properties.AutoRollbackConfiguration.Events].sort()).toEqual(['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST']);
    expect(dg.Properties.AlarmConfiguration.Enabled).toBe(true);
    // By its fixed name, not a Ref: the alias names the group, so a Ref would close a cycle with a canary calling the API.
    expect(s.stack.resolve(dg.Properties.AlarmConfiguration.Alarms)).toEqual([{ Name: 'orders-prod-wave-2-us-east-1-onebox-release-health' }]);
    expect(dg.DependsOn ?? []).not.toContain(s.stack.getLogicalId(monitor.healthAlarm.node.defaultChild as cdk.CfnElement));
  });

  // DescribeAlarmHistory on a composite alarm needs the permission scoped to "*" (item 10 of issue 12):
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarmHistory.html
  // ListDeploymentTargets and GetDeploymentTarget (which version a deployment moved an alias from)
  // and StopDeployment support no resource-level permissions (IAM service authorization reference,
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscodedeploy.html).
  test('the monitor role is scoped: no "*" action; "*" resource only for the calls that support no resource-level permissions', () => {
    const [policy] = Object.values(t.findResources('AWS::IAM::Policy')).filter((p: any) => JSON.stringify(p.Properties.Roles).includes('MonitorRole')) as any[];
    const statements = arnString(s.stack.resolve(policy.Properties.PolicyDocument.Statement)) as any[];
    for (const st of statements) for (const a of [st.Action].flat()) expect(a).not.toContain('*');
    const wildcard = statements.filter((st) => [st.Resource].flat().includes('*'));
    expect(wildcard.map((st) => [st.Sid, st.Action])).toEqual([
      ['ReadAlarms', 'cloudwatch:DescribeAlarmHistory'],
      ['ReadAlarmStateAndMetrics', ['cloudwatch:DescribeAlarms', 'cloudwatch:GetMetricData']],
      ['ReadDeploymentTargets', ['codedeploy:ListDeploymentTargets', 'codedeploy:GetDeploymentTarget']],
      ['StopDeployments', 'codedeploy:StopDeployment'],
    ]);
    const byId = Object.fromEntries(statements.map((st) => [st.Sid, st]));
    expect(byId.ReadCanaryRuns.Resource).toBe(`arn:aws:synthetics:us-east-1:333333333333:canary:\${${s.stack.getLogicalId(s.canary.node.defaultChild as cdk.CfnElement)}}`);
    expect(byId.Alias1.Action).toEqual(['lambda:GetAlias', 'lambda:UpdateAlias']);
    expect(byId.DeploymentGroup1.Action).toEqual(['codedeploy:ListDeployments', 'codedeploy:GetDeployment']);
  });

  test('clear errors: no health signal, wrong account, bad gradual options', () => {
    const other = service();
    expect(() => new ReleaseMonitor(other.stack, 'Empty', { target })).toThrow(
      'ReleaseMonitor(Service/Empty).alarms: no alarms and no canaries for target "prod-wave-2-us-east-1-onebox"; a bake needs a health signal: pass alarms: [errorAlarm, latencyAlarm] and/or canaries: [canary]');
    const wrong = service('444444444444');
    expect(() => new ReleaseMonitor(wrong.stack, 'M', { target, alarms: [wrong.errors] })).toThrow(
      'ReleaseMonitor(Service/M): its stack deploys to account 444444444444 but target "prod-wave-2-us-east-1-onebox" is account 333333333333; create the Stage with env: { account: target.account, region: target.region }');
    const m = new ReleaseMonitor(other.stack, 'M2', { target, alarms: [other.errors] });
    expect(() => m.deployLambdaGradually('D', other.alias, { firstPercentage: 0 })).toThrow('ReleaseMonitor.deployLambdaGradually(D).firstPercentage: 0 must be a whole percentage between 1 and 99, e.g. 10');
  });
});

describe('ReleaseMonitor with an ECS blue/green deployment group', () => {
  test('the group stops on the health alarm and is listed for rollback, scoped in the monitor role', () => {
    const app = new cdk.App();
    const stack = new cdk.Stack(app, 'Ecs', { env: { account: target.account, region: target.region } });
    const { lb, group } = fargateBlueGreen(stack);
    const errors = new cloudwatch.Alarm(stack, 'Errors', { metric: lb.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT), threshold: 5, evaluationPeriods: 1 });
    const monitor = new ReleaseMonitor(stack, 'Monitor', { target, alarms: [errors] });
    monitor.addEcsDeploymentGroup(group);

    const t = Template.fromStack(stack);
    const [dg] = Object.values(t.findResources('AWS::CodeDeploy::DeploymentGroup')) as any[];
    expect(stack.resolve(dg.Properties.AlarmConfiguration.Alarms)).toEqual([{ Name: 'orders-prod-wave-2-us-east-1-onebox-release-health' }]);
    const [param] = Object.values(t.findResources('AWS::SSM::Parameter')) as any[];
    expect(JSON.stringify(stack.resolve(param.Properties.Value))).toContain(`{"Ref":"${stack.getLogicalId(group.node.defaultChild as cdk.CfnElement)}"}`);
    const [policy] = Object.values(t.findResources('AWS::IAM::Policy')).filter((p: any) => JSON.stringify(p.Properties.Roles).includes('MonitorRole')) as any[];
    const statements = stack.resolve(policy.Properties.PolicyDocument.Statement) as any[];
    const scoped = statements.find((s) => s.Sid === 'DeploymentGroup1');
    expect(scoped.Action).toEqual(['codedeploy:ListDeployments', 'codedeploy:GetDeployment']);
    expect(JSON.stringify(scoped.Resource)).toContain('deploymentgroup:');
    expect(statements.find((s) => s.Sid === 'StopDeployments')).toMatchObject({ Action: 'codedeploy:StopDeployment', Resource: '*' });
  });
});

describe('ReleaseMonitor alarm rollback: the health alarm invokes a function in the target account', () => {
  const s = service();
  const monitor = new ReleaseMonitor(s.stack, 'Monitor', { target: { ...target, regionBakeMinutes: 60 }, alarms: [s.errors] });
  monitor.deployLambdaGradually('Deployment', s.alias);
  const t = Template.fromStack(s.stack);
  const id = (c: { node: { defaultChild?: unknown } }) => s.stack.getLogicalId(c.node.defaultChild as cdk.CfnElement);
  const fnId = id(monitor.alarmRollbackFunction!);
  const [composite] = Object.values(t.findResources('AWS::CloudWatch::CompositeAlarm')) as any[];

  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html (Lambda actions)
  test('the composite alarm\'s only alarm action is the function, which it waits for the permission to invoke', () => {
    expect(composite.Properties.AlarmActions).toEqual([{ 'Fn::GetAtt': [fnId, 'Arn'] }]);
    const [permissionId] = Object.keys(t.findResources('AWS::Lambda::Permission', { Properties: { FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] } } }));
    expect(composite.DependsOn).toContain(permissionId);
  });

  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-actions-Lambda.html
  test('the resource policy lets exactly this alarm of this account invoke it', () => {
    const permissions = Object.values(t.findResources('AWS::Lambda::Permission', { Properties: { FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] } } })) as any[];
    expect(permissions).toHaveLength(1);
    expect(arnString(s.stack.resolve(permissions[0].Properties))).toEqual({
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] },
      Principal: 'lambda.alarms.cloudwatch.amazonaws.com',
      SourceAccount: '333333333333',
      SourceArn: 'arn:aws:cloudwatch:us-east-1:333333333333:alarm:orders-prod-wave-2-us-east-1-onebox-release-health',
    });
  });

  test('it runs as the monitor role (already scoped to the target), with the target and a window of the bake plus an hour', () => {
    const fn = t.findResources('AWS::Lambda::Function')[fnId];
    expect(fn.Properties.Role).toEqual({ 'Fn::GetAtt': [id(monitor.monitorRole), 'Arn'] });
    expect(fn.Properties.Environment.Variables).toEqual({
      WAVE_PIPELINE_NAME: 'orders',
      WAVE_TARGET_ID: 'prod-wave-2-us-east-1-onebox',
      WAVE_TARGET_KIND: 'ONE_BOX',
      WAVE_TARGET_ACCOUNT: '333333333333',
      WAVE_ROLLBACK_WINDOW_MINUTES: '120',
    });
    const role = t.findResources('AWS::IAM::Role')[id(monitor.monitorRole)];
    const principals = role.Properties.AssumeRolePolicyDocument.Statement.map((st: any) => st.Principal);
    expect(arnString(s.stack.resolve(principals))).toEqual([
      { AWS: 'arn:aws:iam::111111111111:role/wave-orders-controller' },
      { Service: 'lambda.amazonaws.com' },
    ]);
  });

  test('a window of its own, or none at all (the controller is then the only rollback)', () => {
    const own = service();
    const m = new ReleaseMonitor(own.stack, 'M', { target, alarms: [own.errors], alarmRollback: { window: cdk.Duration.hours(6) } });
    expect(Template.fromStack(own.stack).findResources('AWS::Lambda::Function')[own.stack.getLogicalId(m.alarmRollbackFunction!.node.defaultChild as cdk.CfnElement)]
      .Properties.Environment.Variables.WAVE_ROLLBACK_WINDOW_MINUTES).toBe('360');
    const off = service();
    const none = new ReleaseMonitor(off.stack, 'M', { target, alarms: [off.errors], alarmRollback: { enabled: false } });
    expect(none.alarmRollbackFunction).toBeUndefined();
    const offTemplate = Template.fromStack(off.stack);
    const [alarm] = Object.values(offTemplate.findResources('AWS::CloudWatch::CompositeAlarm')) as any[];
    expect(alarm.Properties.AlarmActions).toBeUndefined();
    const role = offTemplate.findResources('AWS::IAM::Role')[off.stack.getLogicalId(none.monitorRole.node.defaultChild as cdk.CfnElement)];
    expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).not.toContain('lambda.amazonaws.com');
    const bad = service();
    expect(() => new ReleaseMonitor(bad.stack, 'M', { target, alarms: [bad.errors], alarmRollback: { window: cdk.Duration.seconds(30) } }))
      .toThrow('ReleaseMonitor(Service/M).alarmRollback.window: 0.5 minutes; give whole minutes, at least 1, e.g. cdk.Duration.hours(2)');
  });
});
