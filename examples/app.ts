// The example: an orders API released by a WavePipeline through alpha, beta, gamma, a one-box in
// every production region and four production waves, across three accounts.
import * as cdk from 'aws-cdk-lib';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';
import { DeploymentTarget, IDeploymentStageFactory, NoTrafficPolicy, ReleaseDeclaration, ValidationKind, WavePipeline, Weekday } from '../lib';
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

/** The release of the orders API: three pre-production stages, one-box and four production waves. */
export const ORDERS_RELEASE: ReleaseDeclaration = {
  preProduction: [
    { name: 'alpha', account: ACCOUNTS.preProduction, regions: ['us-west-2'] },
    { name: 'beta', account: ACCOUNTS.preProduction, regions: ['us-west-2'], bake: { minutes: 15 } },
    {
      name: 'gamma',
      account: ACCOUNTS.preProduction,
      regions: ['us-east-1', 'eu-west-1'],
      bake: { minutes: 30 },
      validations: [
        // API_URL is the deployed API's endpoint: the stage's `Endpoint` output (LambdaRestApi creates it).
        { name: 'IntegrationTests', commands: ['npm ci', 'npm run integ'], outputs: { API_URL: 'Endpoint' } },
        { name: 'LoadTests', kind: ValidationKind.LOAD, commands: ['npm ci', 'npm run load -- --tps 50'] },
      ],
    },
  ],
  production: {
    account: ACCOUNTS.production,
    oneBox: true,
    bake: { minHealthyDatapoints: 10 },
    // A one-box bake also waits until the new version served 100 real requests, and fails (rolling
    // back) when they have not come an hour after its bake time.
    oneBoxBake: { minRequests: 100, noTraffic: NoTrafficPolicy.FAIL, trafficWaitMinutes: 60 },
    // Business hours, Monday to Thursday, region-local; no releases over the year-end holidays.
    window: {
      weekdays: [Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY],
      startHour: 9,
      endHour: 17,
      blackouts: ['2026-12-21..2027-01-04'],
    },
    // One region at a time first, then by continent: CodePipeline starts the regions of a wave
    // together, so a wave's regions need business hours that overlap.
    waves: [
      { regions: ['eu-west-1'] },
      { regions: ['us-east-1'] },
      { regions: ['us-west-2', 'ca-central-1', 'sa-east-1'] },
      { regions: ['ap-northeast-1', 'ap-southeast-2', 'ap-south-1'] },
    ],
  },
};

export interface OrdersPipelineStackProps extends cdk.StackProps {
  /** Override the release (the newcomer-mistake tests do). @default ORDERS_RELEASE */
  readonly release?: ReleaseDeclaration;
  /** Override the service deployed to each target (the drills do). @default the orders API with its one-box */
  readonly stageFactory?: IDeploymentStageFactory;
}

export class OrdersPipelineStack extends cdk.Stack {
  public readonly pipeline: WavePipeline;

  constructor(scope: Construct, id: string, props: OrdersPipelineStackProps) {
    super(scope, id, props);
    this.pipeline = new WavePipeline(this, 'Pipeline', {
      pipelineName: 'orders-api',
      synth: new pipelines.ShellStep('Synth', {
        input: pipelines.CodePipelineSource.connection('example-org/orders-api', 'main', {
          connectionArn: `arn:aws:codeconnections:us-east-1:${ACCOUNTS.tooling}:connection/00000000-0000-0000-0000-000000000000`,
        }),
        commands: ['npm ci', 'npx cdk synth'],
      }),
      stageFactory: props.stageFactory ?? new OrdersStages(),
      release: props.release ?? ORDERS_RELEASE,
    });
  }
}

export function buildExampleApp(
  outdir?: string, release?: ReleaseDeclaration, stageFactory?: IDeploymentStageFactory,
): { app: cdk.App; stack: OrdersPipelineStack } {
  const app = new cdk.App({ outdir });
  const stack = new OrdersPipelineStack(app, 'OrdersPipeline', { env: { account: ACCOUNTS.tooling, region: 'us-east-1' }, release, stageFactory });
  return { app, stack };
}

if (require.main === module) {
  buildExampleApp().app.synth();
}
