// Validations reach the deployed service (the stage's CloudFormation outputs, CDK Pipelines
// envFromCfnOutputs), run in production waves too, and are placed by the layout.
import * as cdk from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { DeploymentTarget, IDeploymentStageFactory, ReleaseDeclaration, ReleaseMonitor } from '../../lib';
import { PREPROD_ACCOUNT, PROD_ACCOUNT, pipelineApp, pipelineStages } from '../fixtures/apps';

class WithOutputFactory implements IDeploymentStageFactory {
  public createStage(scope: Construct, id: string, target: DeploymentTarget): cdk.Stage {
    const stage = new cdk.Stage(scope, id, { env: { account: target.account, region: target.region } });
    const stack = new cdk.Stack(stage, 'Service');
    const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=async()=>1') });
    const url = fn.addFunctionUrl();
    new cdk.CfnOutput(stack, 'ServiceUrl', { value: url.url });
    const errors = new cloudwatch.Alarm(stack, 'Errors', { metric: fn.metricErrors(), threshold: 1, evaluationPeriods: 1 });
    new ReleaseMonitor(stack, 'Monitor', { target, alarms: [errors] });
    return stage;
  }
}

const release = (outputs: Record<string, string>): ReleaseDeclaration => ({
  preProduction: [{ name: 'gamma', account: PREPROD_ACCOUNT, regions: ['us-east-1'], bake: { minutes: 30 }, validations: [{ name: 'Integ', commands: ['npm run integ'], outputs }] }],
  production: {
    account: PROD_ACCOUNT,
    validations: [{ name: 'Smoke', commands: ['curl -f "$URL"'], outputs: { URL: 'ServiceUrl' } }],
    waves: [{ regions: ['eu-west-1'] }, { regions: ['us-east-1'], validations: [] }],
  },
});

describe('validations', () => {
  const built = pipelineApp(release({ API_URL: 'ServiceUrl' }), {}, new WithOutputFactory());
  const stages = pipelineStages(built.template());

  test("get the deployed stage's output as an environment variable (a CodePipeline variable of its deploy action)", () => {
    const integ = stages.find((s) => s.name === 'gamma')!.actions.find((a) => a.name.endsWith('Integ'))!;
    const env = JSON.parse(integ.configuration.EnvironmentVariables) as Array<{ name: string; type: string; value: string }>;
    const apiUrl = env.find((e) => e.name === 'API_URL')!;
    expect(apiUrl.type).toBe('PLAINTEXT');
    expect(apiUrl.value).toMatch(/^#\{[\w@.-]+\.ServiceUrl\w*\}$/);
  });

  test('production waves run them after the fleet deployment and before its bake; a wave can opt out', () => {
    const wave1 = stages.find((s) => s.name === 'Prod-Wave-1')!.actions;
    const smoke = wave1.find((a) => a.name.endsWith('Smoke'))!;
    const deploy = wave1.filter((a) => a.name.endsWith('Deploy') && !a.name.includes('OneBox'))[0];
    const bake = wave1.find((a) => a.name.endsWith('.Bake') || a.name === 'Bake')!;
    expect(deploy.runOrder).toBeLessThan(smoke.runOrder);
    expect(smoke.runOrder).toBeLessThan(bake.runOrder);
    expect(stages.find((s) => s.name === 'Prod-Wave-2')!.actions.some((a) => a.name.endsWith('Smoke'))).toBe(false);
    expect(built.pipeline.plan.stages[1].regions[0].validations.map((v) => [v.name, v.outputs])).toEqual([['Smoke', { URL: 'ServiceUrl' }]]);
  });

  test('an output the stage does not have is refused, naming the outputs it has', () => {
    expect(() => pipelineApp(release({ API_URL: 'ApiUrl' }), {}, new WithOutputFactory())).toThrow(
      /gamma-us-east-1-fleet: validation Integ\.outputs\.API_URL: no CfnOutput with id "ApiUrl" in PipelineStack\/Pipeline\/gamma-us-east-1; its outputs are "ServiceUrl": add new CfnOutput\(stack, 'ApiUrl', \{ value: \.\.\. \}\) or name one of them/);
  });

  test('a bad environment variable name is refused before anything is synthesized', () => {
    expect(() => pipelineApp(release({ '1URL': 'ServiceUrl' }), {}, new WithOutputFactory())).toThrow(
      /preProduction\[0\]\.validations\[0\]\.outputs: "1URL" is not an environment variable name/);
  });
});
