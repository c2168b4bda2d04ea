import * as cdk from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DeploymentTarget, LambdaOneBox } from '../../lib';

const target: DeploymentTarget = {
  id: 'prod-wave-1-eu-west-1-fleet',
  kind: 'FLEET',
  isOneBox: false,
  stageName: 'Prod-Wave-1',
  stageKind: 'PRODUCTION',
  account: '333333333333',
  region: 'eu-west-1',
  pipelineName: 'orders',
  pipelineAccount: '111111111111',
  pipelineRegion: 'us-east-1',
};

// The handler tells CloudFormation's rollback of a failed fleet update from a forward deployment by
// its stack's status (lib/model/one-box-shift.ts `mayUndoFleetMove`): it may read that stack, no other.
test('the alias-shift handler may describe its own stack and nothing else in CloudFormation', () => {
  const app = new cdk.App();
  const stack = new cdk.Stack(app, 'Service', { env: { account: target.account, region: target.region } });
  const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=async()=>1') });
  new LambdaOneBox(stack, 'Release', { target, version: fn.currentVersion });
  const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy', {
    Properties: { PolicyName: Match.stringLikeRegexp('ReleaseShiftHandler') },
  })).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
  const cloudFormation = statements.filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('cloudformation:')));
  expect(cloudFormation).toEqual([{ Action: 'cloudformation:DescribeStacks', Effect: 'Allow', Resource: { Ref: 'AWS::StackId' } }]);
});
