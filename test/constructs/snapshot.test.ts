import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';
import { DeploymentTarget, IDeploymentStageFactory, PipelineSnapshot, PipelineSnapshotOptions, ReleaseMonitor, WavePipeline } from '../../lib';
import { PIPELINE_ACCOUNT, THREE_WAVES } from '../fixtures/apps';

/** A service whose function code is an asset directory, as most real services have. */
class AssetServiceStage extends cdk.Stage {
  constructor(scope: Construct, id: string, target: DeploymentTarget, codeDir: string, memorySize?: number) {
    super(scope, id, { env: { account: target.account, region: target.region } });
    const stack = new cdk.Stack(this, 'Service');
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(codeDir),
      memorySize,
    });
    new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
    const errors = new cloudwatch.Alarm(stack, 'Errors', { metric: fn.metricErrors(), threshold: 1, evaluationPeriods: 1 });
    new ReleaseMonitor(stack, 'Monitor', { target, alarms: [errors] });
  }
}

interface ServiceCode {
  readonly source: string;
  readonly memorySize?: number;
}

class AssetServiceFactory implements IDeploymentStageFactory {
  constructor(private readonly codeDir: string, private readonly memorySize?: number) {}
  public createStage(scope: Construct, id: string, target: DeploymentTarget): cdk.Stage {
    return new AssetServiceStage(scope, id, target, this.codeDir, this.memorySize);
  }
}

/** The pipeline of a service whose function runs `code`, as a team would snapshot it. */
function templatesOf(code: ServiceCode, options?: PipelineSnapshotOptions) {
  const codeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'snapshot-code-'));
  fs.writeFileSync(path.join(codeDir, 'index.js'), code.source);
  const app = new cdk.App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'snapshot-out-')) });
  const stack = new cdk.Stack(app, 'Pipeline', { env: { account: PIPELINE_ACCOUNT, region: 'us-east-1' } });
  new WavePipeline(stack, 'Pipeline', {
    pipelineName: 'orders-api',
    synth: new pipelines.ShellStep('Synth', { input: pipelines.CodePipelineSource.gitHub('org/orders-api', 'main'), commands: ['npx cdk synth'] }),
    stageFactory: new AssetServiceFactory(codeDir, code.memorySize),
    release: THREE_WAVES,
  });
  return PipelineSnapshot.templates(app, options);
}

const ONE = 'exports.handler = async () => 1;';
const TWO = 'exports.handler = async () => 2;';

describe('PipelineSnapshot', () => {
  const before = templatesOf({ source: ONE });

  test('a code-only edit to a Lambda function leaves the snapshot unchanged', () => {
    expect(templatesOf({ source: TWO })).toEqual(before);
  });

  test('the same edit changes the raw templates: asset hashes, publish ids and the version\'s logical id', () => {
    const raw = (source: string) => JSON.stringify(templatesOf({ source }, { normalizeAssetHashes: false }));
    const [one, two] = [raw(ONE), raw(TWO)];
    expect(one).not.toEqual(two);
    const publishIds = (text: string) => new Set(text.match(/[0-9a-f]{64}:222222222222-us-west-2-[0-9a-f]{8}/g));
    expect(publishIds(one).size).toBeGreaterThan(0);
    // Only the library's own bundle (the alarm rollback's code, the same whatever the service's
    // code) keeps its publish ids across the edit.
    const libraryHashes = new Set([...one.matchAll(/"S3Key":"([0-9a-f]{64})\.zip"\},"Description":"cdk-wave-pipelines: rolls /g)].map((m) => m[1]));
    expect(libraryHashes.size).toBe(1);
    expect([...publishIds(one)].filter((id) => publishIds(two).has(id) && !libraryHashes.has(id.slice(0, 64)))).toEqual([]);
    expect([...publishIds(one)].filter((id) => !libraryHashes.has(id.slice(0, 64))).length).toBeGreaterThan(0);
    const versionIds = (text: string) => new Set(text.match(/FnCurrentVersion[0-9A-F]{8}[0-9a-f]{32}/g));
    expect(versionIds(one).size).toBeGreaterThan(0);
    expect([...versionIds(one)].filter((id) => versionIds(two).has(id))).toEqual([]);
  });

  test('what the code is configured with still shows: a memory change changes the snapshot', () => {
    const changed = templatesOf({ source: ONE, memorySize: 512 });
    const key = Object.keys(before).find((k) => k.includes('Prod-Wave-1-eu-west-1/'))!;
    expect(changed[key]).not.toEqual(before[key]);
    expect(JSON.stringify(changed[key])).toContain('"MemorySize":512');
  });

  test('publish ids keep their account and region; version ids keep their construct path', () => {
    const text = JSON.stringify(before);
    // The asset stage's CodeBuild commands, `cdk-assets ... publish "<asset id>:<destination id>"`.
    const buildSpecs = Object.values(before).flatMap((template) => Object.values<any>(template.Resources ?? {}))
      .filter((r) => r.Type === 'AWS::CodeBuild::Project' && String(r.Properties?.Source?.BuildSpec).includes('cdk-assets'))
      .map((r) => JSON.parse(r.Properties.Source.BuildSpec));
    const published = new Set(buildSpecs.flatMap((spec) => spec.phases.build.commands as string[])
      .map((command) => /publish "([^"]+)"/.exec(command)![1]));
    expect([...published].sort()).toEqual(['222222222222', '333333333333'].flatMap((account) =>
      (account === '222222222222' ? ['us-east-1', 'us-west-2'] : ['ca-central-1', 'eu-west-1', 'sa-east-1', 'us-east-1', 'us-west-2'])
        .map((region) => `[ASSET HASH]:${account}-${region}-[ASSET HASH]`)).sort());
    expect(text).toMatch(/"FnCurrentVersion[0-9A-F]{8}\[VERSION HASH\]":/);
    expect(text).not.toMatch(/[0-9a-f]{32}/);
  });
});
