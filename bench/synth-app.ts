/**
 * One whole-process synth for the bench: `node bench/out/synth-app.js <wave|base> <region,...> <outdir>`
 * builds and synthesizes either a WavePipeline app or the equivalent plain CDK Pipelines app and
 * exits. bench/run.ts bundles this file with esbuild, leaving aws-cdk-lib and constructs external
 * and loading cdk-wave-pipelines from its compiled `lib/index.js` (as a user's app does), so both
 * variants pay the same node start-up and aws-cdk-lib loading, and WavePipeline pays its own.
 *
 * Both variants: a pipeline account and one production account, one Stage per region with a
 * Lambda function, an error alarm and a `ReleaseMonitor` (the same in both), one wave per
 * `addWave`; WavePipeline with `oneBox: false`, so both deploy one Stage per region.
 */
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';
import type * as Library from '../lib';

const PIPELINE_ACCOUNT = '111111111111';
const PROD_ACCOUNT = '333333333333';
/** The compiled library, loaded by `main` from bench/out/../../lib (bench/run.ts imports this file only for `benchWaves`). */
let lib: typeof Library;

/** Production regions split into waves of growing size (at most 12 regions a wave). */
export function benchWaves(regions: string[]): string[][] {
  const sizes = [1, 2, 3, 4, 8, 12];
  const out: string[][] = [];
  for (let i = 0, w = 0; i < regions.length; w++) {
    const size = sizes[Math.min(w, sizes.length - 1)];
    out.push(regions.slice(i, i + size));
    i += size;
  }
  return out;
}

class ServiceStage extends cdk.Stage {
  constructor(scope: Construct, id: string, target: Library.DeploymentTarget) {
    super(scope, id, { env: { account: target.account, region: target.region } });
    const stack = new cdk.Stack(this, 'Service');
    const fn = new lambda.Function(stack, 'Handler', {
      runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {};'),
    });
    const errors = fn.metricErrors({ period: cdk.Duration.minutes(1) }).createAlarm(stack, 'Errors', {
      threshold: 1, evaluationPeriods: 1, comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });
    new lib.ReleaseMonitor(stack, 'Monitor', { target, alarms: [errors] });
  }
}

function synthStep(): pipelines.ShellStep {
  return new pipelines.ShellStep('Synth', {
    input: pipelines.CodePipelineSource.connection('org/repo', 'main', { connectionArn: `arn:aws:codeconnections:us-east-1:${PIPELINE_ACCOUNT}:connection/abc` }),
    commands: ['npx cdk synth'],
  });
}

function wavePipelineApp(outdir: string, regions: string[]): cdk.App {
  const app = new cdk.App({ outdir });
  const stack = new cdk.Stack(app, 'PipelineStack', { env: { account: PIPELINE_ACCOUNT, region: 'us-east-1' } });
  new lib.WavePipeline(stack, 'Pipeline', {
    pipelineName: 'bench',
    // One UTC window: the waves mix continents (region table order), whose business hours would not overlap.
    release: { production: { account: PROD_ACCOUNT, oneBox: false, window: { timeZone: 'UTC' }, waves: benchWaves(regions).map((r) => ({ regions: r })) } },
    stageFactory: { createStage: (scope, id, target) => new ServiceStage(scope, id, target) },
    synth: synthStep(),
  });
  return app;
}

function plainPipelinesApp(outdir: string, regions: string[]): cdk.App {
  const app = new cdk.App({ outdir });
  const stack = new cdk.Stack(app, 'PipelineStack', { env: { account: PIPELINE_ACCOUNT, region: 'us-east-1' } });
  const pipeline = new pipelines.CodePipeline(stack, 'Pipeline', {
    pipelineName: 'bench', synth: synthStep(), crossAccountKeys: true, pipelineType: cdk.aws_codepipeline.PipelineType.V2,
  });
  benchWaves(regions).forEach((wave, w) => {
    const stageName = `Prod-Wave-${w + 1}`;
    const added = pipeline.addWave(stageName);
    for (const region of wave) {
      const target: Library.DeploymentTarget = {
        id: `prod-wave-${w + 1}-${region}-fleet`, kind: 'FLEET', isOneBox: false, stageName, stageKind: 'PRODUCTION',
        account: PROD_ACCOUNT, region, pipelineName: 'bench', pipelineAccount: PIPELINE_ACCOUNT, pipelineRegion: 'us-east-1',
      };
      added.addStage(new ServiceStage(stack, `${stageName}-${region}`, target));
    }
  });
  return app;
}

function main() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  lib = require(path.resolve(__dirname, '..', '..', 'lib', 'index.js'));
  const [variant, regionList, outdir] = process.argv.slice(2);
  const regions = regionList.split(',');
  const app = variant === 'wave' ? wavePipelineApp(outdir, regions) : variant === 'base' ? plainPipelinesApp(outdir, regions) : undefined;
  if (!app) throw new Error(`bench: unknown variant ${variant}; use wave or base`);
  app.synth();
}

if (require.main === module) main();
