// The example: an orders API released by a WavePipeline through alpha, beta, gamma, a one-box in
// every production region and four production waves, across three accounts.
import * as cdk from 'aws-cdk-lib';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';
import { DeploymentTarget, IDeploymentStageFactory, ValidationKind, WavePipeline, Weekday } from '../lib';
import { ServiceStage } from './service/service-stack';

export const ACCOUNTS = {
  tooling: '111111111111', // the pipeline
  preProduction: '222222222222',
  production: '333333333333',
};

class OrdersStages implements IDeploymentStageFactory {
  public createStage(scope: Construct, id: string, target: DeploymentTarget): cdk.Stage {
    return new ServiceStage(scope, id, target);
  }
}

export class OrdersPipelineStack extends cdk.Stack {
  public readonly pipeline: WavePipeline;

  constructor(scope: Construct, id: string, props: cdk.StackProps) {
    super(scope, id, props);
    this.pipeline = new WavePipeline(this, 'Pipeline', {
      pipelineName: 'orders-api',
      synth: new pipelines.ShellStep('Synth', {
        input: pipelines.CodePipelineSource.connection('example-org/orders-api', 'main', {
          connectionArn: `arn:aws:codeconnections:us-east-1:${ACCOUNTS.tooling}:connection/00000000-0000-0000-0000-000000000000`,
        }),
        commands: ['npm ci', 'npx cdk synth'],
      }),
      stageFactory: new OrdersStages(),
      release: {
        preProduction: [
          { name: 'alpha', account: ACCOUNTS.preProduction, regions: ['us-west-2'] },
          { name: 'beta', account: ACCOUNTS.preProduction, regions: ['us-west-2'], bake: { minutes: 15 } },
          {
            name: 'gamma',
            account: ACCOUNTS.preProduction,
            regions: ['us-east-1', 'eu-west-1'],
            bake: { minutes: 30 },
            validations: [
              { name: 'IntegrationTests', commands: ['npm ci', 'npm run integ'] },
              { name: 'LoadTests', kind: ValidationKind.LOAD, commands: ['npm ci', 'npm run load -- --tps 50'] },
            ],
          },
        ],
        production: {
          account: ACCOUNTS.production,
          oneBox: true,
          bake: { minHealthyDatapoints: 10 },
          window: { weekdays: [Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY], startHour: 9, endHour: 17, blackouts: ['2026-12-21..2027-01-04'] },
          waves: [
            { regions: ['eu-west-1'] },
            { regions: ['us-east-1'] },
            { regions: ['us-west-2', 'eu-central-1', 'ap-northeast-1'] },
            { regions: ['ap-southeast-2', 'sa-east-1', 'ca-central-1', 'ap-south-1'] },
          ],
        },
      },
    });
  }
}

export function buildExampleApp(outdir?: string): { app: cdk.App; stack: OrdersPipelineStack } {
  const app = new cdk.App({ outdir });
  const stack = new OrdersPipelineStack(app, 'OrdersPipeline', { env: { account: ACCOUNTS.tooling, region: 'us-east-1' } });
  return { app, stack };
}

if (require.main === module) {
  buildExampleApp().app.synth();
}
