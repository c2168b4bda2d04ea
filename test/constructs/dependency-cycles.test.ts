import * as cdk from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { DeploymentTarget, IDeploymentStageFactory, ReleaseMonitor } from '../../lib';
import { dependencyCycles, describeCycle, resourceDependencies } from '../../lib/constructs/dependency-cycles';
import { pipelineApp, PREPROD_ACCOUNT, PROD_ACCOUNT } from '../fixtures/apps';
import { CommonSetupFactory, selfCallingCanary } from '../fixtures/services';

describe('dependency edges: every intrinsic CloudFormation orders by (aws-attribute-dependson.html)', () => {
  const template = {
    Resources: {
      A: { Type: 'T', Properties: { X: { Ref: 'B' }, Y: { Ref: 'AWS::Region' } } },
      B: { Type: 'T', Properties: { X: { 'Fn::GetAtt': ['C', 'Arn'] } } },
      C: { Type: 'T', Properties: { X: { 'Fn::Sub': 'arn:${AWS::Partition}:${D.Arn}/${!Literal}' } } },
      D: { Type: 'T', Properties: { X: { 'Fn::Sub': ['${Bound}-${E}', { Bound: { Ref: 'F' } }] } } },
      E: { Type: 'T', DependsOn: ['F'], Metadata: { Ignored: { Ref: 'A' } } },
      F: { Type: 'T', UpdatePolicy: { CodeDeployLambdaAliasUpdate: { DeploymentGroupName: { Ref: 'A' } } } },
    },
  };

  test('Ref, Fn::GetAtt, Fn::Sub (both forms, bound names and ${!literal} skipped), DependsOn, UpdatePolicy; not Metadata', () => {
    expect(resourceDependencies(template).map((e) => `${e.from}->${e.to} ${e.path}`)).toEqual([
      'A->B Properties.X',
      'B->C Properties.X',
      'C->D Properties.X',
      'D->E Properties.X',
      'D->F Properties.X.Bound',
      'E->F DependsOn',
      'F->A UpdatePolicy.CodeDeployLambdaAliasUpdate.DeploymentGroupName',
    ]);
  });

  test('the cycle is reported as one chain of logical ids with where each reference is', () => {
    const cycles = dependencyCycles(template);
    expect(cycles).toHaveLength(1);
    expect(describeCycle(cycles[0])).toBe(
      'A -> B (Properties.X of A) -> C (Properties.X of B) -> D (Properties.X of C) -> F (Properties.X.Bound of D) '
      + '-> A (UpdatePolicy.CodeDeployLambdaAliasUpdate.DeploymentGroupName of F)');
  });

  test('an acyclic template has none; a self-reference is one', () => {
    expect(dependencyCycles({ Resources: { A: { Type: 'T', Properties: { X: { Ref: 'B' } } }, B: { Type: 'T' } } })).toEqual([]);
    expect(dependencyCycles({ Resources: { A: { Type: 'T', DependsOn: 'A' } } }).map(describeCycle)).toEqual(['A -> A (DependsOn of A)']);
  });
});

/** A user's own cycle: the deployment group watches the canary's alarm directly, by Ref. */
class OwnCycleFactory implements IDeploymentStageFactory {
  public createStage(scope: Construct, id: string, target: DeploymentTarget): cdk.Stage {
    const stage = new cdk.Stage(scope, id, { env: { account: target.account, region: target.region } });
    const stack = new cdk.Stack(stage, 'Service');
    const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=async()=>1') });
    const alias = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
    const api = new apigw.LambdaRestApi(stack, 'Api', { handler: alias, restApiName: `api-${target.id}` });
    const canary = selfCallingCanary(stack, api.url);
    const canaryAlarm = new cloudwatch.Alarm(stack, 'CanaryFailed', { metric: canary.metricFailed(), threshold: 1, evaluationPeriods: 1 });
    new codedeploy.LambdaDeploymentGroup(stack, 'Deployment', { alias, alarms: [canaryAlarm] });
    new ReleaseMonitor(stack, 'Monitor', { target, alarms: [canaryAlarm] });
    return stage;
  }
}

describe('WavePipeline refuses a dependency cycle in a target stack at synth', () => {
  const release = { preProduction: [{ name: 'beta', account: PREPROD_ACCOUNT, regions: ['us-west-2'] }], production: { account: PROD_ACCOUNT, oneBox: false, waves: [{ regions: ['eu-west-1'] }] } };

  test("the user's own cycle is named, with its chain of logical ids and the fix, for every target", () => {
    let message = '';
    try {
      pipelineApp(release, {}, new OwnCycleFactory());
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('Invalid release declaration (2 problems)');
    for (const stage of ['beta-us-west-2', 'Prod-Wave-1-eu-west-1']) {
      expect(message).toContain(`PipelineStack/Pipeline/${stage}/${stage}-Service: dependency cycle between resources, which CloudFormation refuses at deployment`);
    }
    // The chain of the issue: method -> alias -> (UpdatePolicy) group -> alarm -> canary -> API stage -> deployment -> method.
    expect(message).toMatch(/-> Deployment\w+ \(UpdatePolicy\.CodeDeployLambdaAliasUpdate\.DeploymentGroupName of Live\w+\) -> CanaryFailed\w+ \(Properties\.AlarmConfiguration\.Alarms\.0\.Name of Deployment\w+\) -> Canary\w+/);
    expect(message).toContain('break one link: name one of these resources by a fixed name instead of a Ref or Fn::GetAtt');
  });

  test.each(['gradual', 'group', 'ecs'] as const)('our own wiring (%s) is cycle-free with a canary calling the service', (kind) => {
    expect(() => pipelineApp(release, {}, new CommonSetupFactory(kind))).not.toThrow();
  });
});
