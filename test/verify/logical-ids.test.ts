// Gate: the logical ids of stateful resources, the pipeline's stage names and the stage stacks'
// names are pinned, so a refactor (a renamed construct id, a moved construct) cannot silently make
// CloudFormation replace the artifact bucket, the KMS key, the stop switch or the pipeline, or
// deploy a stage under a new stack name. If a change here is intended, it needs a migration note.
import { allStacks, expectedShape, removeDir, tempOutdir } from './assemblies';
import { buildExampleApp } from '../../examples/app';

describe('logical ids of the example pipeline', () => {
  const outdir = tempOutdir('ids');
  afterAll(() => removeDir(outdir));
  const { app, stack } = buildExampleApp(outdir);
  const assembly = app.synth();
  const { targets } = expectedShape(stack.pipeline.plan);
  const pipelineStack = assembly.getStackByName('OrdersPipeline').template;
  const resources = Object.entries<any>(pipelineStack.Resources);
  const idsOf = (type: string) => resources.filter(([, r]) => r.Type === type).map(([id]) => id).sort();
  const nameOf = (id: string, property: string) => pipelineStack.Resources[id].Properties[property];

  test('pipeline stack: stateful resources', () => {
    expect({
      artifactBucket: idsOf('AWS::S3::Bucket'),
      artifactKey: idsOf('AWS::KMS::Key'),
      artifactKeyAlias: idsOf('AWS::KMS::Alias'),
      stopSwitch: idsOf('AWS::SSM::Parameter'),
      healthBus: idsOf('AWS::Events::EventBus'),
      controllerLogs: idsOf('AWS::Logs::LogGroup'),
      pipeline: idsOf('AWS::CodePipeline::Pipeline'),
    }).toEqual({
      artifactBucket: ['PipelineArtifactsBucket7F53AAE0'],
      artifactKey: ['PipelineArtifactsBucketEncryptionKeyC90AE444'],
      artifactKeyAlias: ['PipelineArtifactsBucketEncryptionKeyAlias9C2DE4D9'],
      stopSwitch: ['PipelineControllerStopSwitchFC48F155'],
      healthBus: ['PipelineControllerHealthBusD8E68DD1'],
      controllerLogs: ['PipelineControllerLogs3EA19FAF'],
      pipeline: ['PipelineB4A40917'],
    });
  });

  test('pipeline stack: physical names the targets and operators rely on', () => {
    expect({
      pipeline: nameOf('PipelineB4A40917', 'Name'),
      stopSwitch: nameOf('PipelineControllerStopSwitchFC48F155', 'Name'),
      healthBus: nameOf('PipelineControllerHealthBusD8E68DD1', 'Name'),
      controllerRole: nameOf('PipelineControllerRoleEDF58C14', 'RoleName'),
      artifactKeyAlias: nameOf('PipelineArtifactsBucketEncryptionKeyAlias9C2DE4D9', 'AliasName'),
    }).toEqual({
      pipeline: 'orders-api',
      stopSwitch: '/cdk-wave-pipelines/orders-api/stop-all-releases',
      healthBus: 'orders-api-release-health',
      controllerRole: 'wave-orders-api-controller',
      artifactKeyAlias: 'alias/codepipeline-orderspipeline70e67cc6',
    });
  });

  test('pipeline stage names', () => {
    expect(nameOf('PipelineB4A40917', 'Stages').map((s: any) => s.Name)).toEqual([
      // Assets: CDK Pipelines publishes file assets (LambdaOneBox's handler) before the first stage.
      'Source', 'Build', 'UpdatePipeline', 'Assets', 'alpha', 'beta', 'gamma', 'Prod-Wave-1', 'Prod-Wave-2', 'Prod-Wave-3', 'Prod-Wave-4',
    ]);
  });

  test('stage stack names: orders-api-<stage>, one stack per stage and region that its one-box and its fleet both deploy', () => {
    // A stage stack's name is its CloudFormation identity: renaming one deploys a new stack.
    // Migration (one-box on the customer endpoint): the per-target stacks <stage>-<region>[-OneBox]-Orders
    // became one stack per stage and region, so the old stacks are left to delete by hand.
    const slug = (stage: string) => stage.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    const expected = targets.map((t) => `${t.region}/orders-api-${slug(t.stageName)}`).sort();
    expect(assembly.nestedAssemblies.flatMap((n) => n.nestedAssembly.stacks.map((s) => `${s.environment.region}/${s.stackName}`)).sort()).toEqual(expected);
    expect(expected.filter((n) => n === 'eu-west-1/orders-api-prod-wave-1')).toHaveLength(2);
    expect(expected).toContain('us-east-1/orders-api-gamma');
  });

  test('every stage stack: the named resources of its ReleaseMonitors (both targets of the region in production)', () => {
    const stageStacks = allStacks(assembly).filter((s) => s.stackName.startsWith('orders-api-'));
    expect(stageStacks).toHaveLength(targets.length);
    for (const s of stageStacks) {
      const byType = (type: string) => Object.entries<any>(s.template.Resources).filter(([, r]) => r.Type === type).map(([id]) => id).sort();
      const production = s.stackName.startsWith('orders-api-prod-wave-');
      expect([s.stackName, byType('AWS::CloudWatch::CompositeAlarm'), byType('AWS::SSM::Parameter')]).toEqual([
        s.stackName,
        production ? ['FleetMonitorHealth5788D685', 'OneBoxMonitorHealth26EB4654'] : ['FleetMonitorHealth5788D685'],
        production ? ['FleetMonitorManifestA83416AB', 'OneBoxMonitorManifestF964B1EA'] : ['FleetMonitorManifestA83416AB'],
      ]);
      expect([s.stackName, s.template.Resources.FleetMonitorMonitorRoleAE37A582?.Type]).toEqual([s.stackName, 'AWS::IAM::Role']);
      if (production) expect([s.stackName, s.template.Resources.OneBoxMonitorMonitorRole89028888?.Type]).toEqual([s.stackName, 'AWS::IAM::Role']);
    }
  });
});
