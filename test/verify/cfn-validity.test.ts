// Gate: every template we synthesize is valid against the CloudFormation resource specification
// and within CodePipeline's quotas, without deploying anything.
import { allStacks, expectedShape, removeDir, tempOutdir } from './assemblies';
import { CfnTemplate, CfnValidator } from './cfn-validator';
import { buildExampleApp } from '../../examples/app';
import { pipelineApp, THREE_WAVES, TWELVE_REGIONS } from '../fixtures/apps';

const validator = new CfnValidator();

describe('CloudFormation validity of the synthesized templates', () => {
  const outdir = tempOutdir('cfn');
  afterAll(() => removeDir(outdir));

  test('example app: pipeline stack, cross-region support stacks and every stage stack', () => {
    const { app, stack } = buildExampleApp(outdir);
    const stacks = allStacks(app.synth());
    // The pipeline stack, a cross-region support stack per other region, a stage stack per target.
    const { targets, supportRegions } = expectedShape(stack.pipeline.plan);
    expect(stacks).toHaveLength(1 + supportRegions.length + targets.length);
    expect(stacks.flatMap((s) => validator.validate(s.hierarchicalId, s.template))).toEqual([]);
  });

  test.each([
    ['THREE_WAVES', THREE_WAVES],
    ['TWELVE_REGIONS', TWELVE_REGIONS],
  ])('fixture %s', (_name, release) => {
    const { app, pipeline } = pipelineApp(release);
    const stacks = allStacks(app.synth());
    const { targets, supportRegions } = expectedShape(pipeline.plan);
    expect(stacks).toHaveLength(1 + supportRegions.length + targets.length);
    expect(stacks.flatMap((s) => validator.validate(s.hierarchicalId, s.template))).toEqual([]);
  });
});

describe('the validator fails on broken templates', () => {
  const one = (logicalId: string, Type: string, Properties?: Record<string, unknown>): CfnTemplate =>
    ({ Resources: { [logicalId]: { Type, ...(Properties ? { Properties } : {}) } } });

  test('unknown resource type', () => {
    expect(validator.validate('Broken', one('Bucket', 'AWS::S3::Buckett', {}))).toEqual([
      'Broken/Bucket (AWS::S3::Buckett): Type: unknown resource type "AWS::S3::Buckett"',
    ]);
  });

  test('misspelt property, at the top and inside a nested property type', () => {
    expect(validator.validate('Broken', one('Bucket', 'AWS::S3::Bucket', {
      BucketNmae: 'orders',
      VersioningConfiguration: { Statuss: 'Enabled' },
    }))).toEqual([
      'Broken/Bucket (AWS::S3::Bucket): Properties.BucketNmae: unknown property "BucketNmae" (did you mean "BucketName"?)',
      'Broken/Bucket (AWS::S3::Bucket): Properties.VersioningConfiguration: required property "Status" is missing',
      'Broken/Bucket (AWS::S3::Bucket): Properties.VersioningConfiguration.Statuss: unknown property "Statuss" (did you mean "Status"?)',
    ]);
  });

  test('missing required property', () => {
    expect(validator.validate('Broken', one('Role', 'AWS::IAM::Role', { RoleName: 'x' }))).toEqual([
      'Broken/Role (AWS::IAM::Role): Properties: required property "AssumeRolePolicyDocument" is missing',
    ]);
    expect(validator.validate('Broken', one('Topic', 'AWS::SNS::Subscription'))).toEqual([
      'Broken/Topic (AWS::SNS::Subscription): Properties: required property "Protocol" is missing',
      'Broken/Topic (AWS::SNS::Subscription): Properties: required property "TopicArn" is missing',
    ]);
  });

  test('wrong primitive types: string, integer, boolean, list, map; intrinsics pass', () => {
    expect(validator.validate('Broken', one('Fn', 'AWS::Lambda::Function', {
      Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
      Code: { ZipFile: 42 },
      MemorySize: '256MB',
      Timeout: { Ref: 'Timeout' },
      Architectures: 'arm64',
      Environment: { Variables: ['A=1'] },
      SnapStart: { ApplyOn: true },
      Tags: [{ Key: 'team', Value: 'orders' }],
    }))).toEqual([
      'Broken/Fn (AWS::Lambda::Function): Properties.Code.ZipFile: expected a string, got number 42',
      'Broken/Fn (AWS::Lambda::Function): Properties.MemorySize: expected an integer, got string "256MB"',
      'Broken/Fn (AWS::Lambda::Function): Properties.Architectures: expected a list, got string "arm64"',
      'Broken/Fn (AWS::Lambda::Function): Properties.Environment.Variables: expected a map, got a list',
      'Broken/Fn (AWS::Lambda::Function): Properties.SnapStart.ApplyOn: expected a string, got boolean true',
    ]);
    expect(validator.validate('Broken', one('Key', 'AWS::KMS::Key', { EnableKeyRotation: 'yes' }))).toEqual([
      'Broken/Key (AWS::KMS::Key): Properties.EnableKeyRotation: expected a boolean, got string "yes"',
    ]);
  });

  test('an unknown resource attribute', () => {
    expect(validator.validate('Broken', { Resources: { Key: { Type: 'AWS::KMS::Key', DeletionPolicy: 'Retain', DependOn: ['X'] } } })).toEqual([
      'Broken/Key (AWS::KMS::Key): DependOn: is not a resource attribute',
    ]);
  });

  describe('CodePipeline structure and quotas', () => {
    // Start from the real pipeline of a fixture app and break one thing at a time.
    const template = pipelineApp(THREE_WAVES).template().toJSON() as CfnTemplate;
    const [pipelineId] = Object.entries(template.Resources!).find(([, r]) => r.Type === 'AWS::CodePipeline::Pipeline')!;
    const broken = (mutate: (stages: any[]) => void): CfnTemplate => {
      const copy = JSON.parse(JSON.stringify(template));
      mutate(copy.Resources[pipelineId].Properties.Stages);
      return copy;
    };
    const where = `PipelineStack/${pipelineId} (AWS::CodePipeline::Pipeline)`;
    const wave3 = (stages: any[]) => stages.find((s) => s.Name === 'Prod-Wave-3');

    test('the unmodified pipeline is valid', () => {
      expect(validator.validate('PipelineStack', template)).toEqual([]);
    });

    test('51 actions in a stage', () => {
      const t = broken((stages) => {
        const stage = wave3(stages);
        const first = stage.Actions[0];
        for (let i = stage.Actions.length; i < 51; i++) stage.Actions.push({ ...first, Name: `Extra${i}` });
      });
      expect(validator.validate('PipelineStack', t)).toEqual([
        `${where}: Properties.Stages[7].Actions: 51 actions in stage "Prod-Wave-3"; CodePipeline allows at most 50`,
      ]);
    });

    test('51 stages', () => {
      const t = broken((stages) => {
        for (let i = stages.length; i < 51; i++) stages.push({ ...stages[stages.length - 1], Name: `Extra-${i}` });
      });
      expect(validator.validate('PipelineStack', t)).toEqual([
        `${where}: Properties.Stages: 51 stages; CodePipeline allows at most 50`,
      ]);
    });

    test('names over 100 characters, duplicate names, run order outside 1..999, approval text over 500 characters', () => {
      // Break actions of Prod-Wave-3 chosen by kind, so the test does not depend on the gate layout.
      const actions = wave3(template.Resources![pipelineId].Properties!.Stages as any[]).Actions as any[];
      const approval = actions.findIndex((a) => a.ActionTypeId.Category === 'Approval');
      const [d1, d2, d3, d4] = actions.map((a, i) => (a.ActionTypeId.Category === 'Deploy' ? i : -1)).filter((i) => i >= 0);
      const t = broken((stages) => {
        const stage = wave3(stages);
        stage.Actions[approval].Configuration.CustomData = 'x'.repeat(501);
        stage.Actions[d1].Name = 'A'.repeat(101);
        stage.Actions[d3].Name = stage.Actions[d2].Name;
        stage.Actions[d2].RunOrder = 0;
        stage.Actions[d4].RunOrder = 1000;
        stages[4].Name = stages[3].Name;
      });
      const at = (i: number) => `${where}: Properties.Stages[7].Actions[${i}]`;
      expect(validator.validate('PipelineStack', t)).toEqual([
        `${where}: Properties.Stages[4].Name: duplicate stage name "beta"`,
        ...[
          [approval, `${at(approval)}.Configuration.CustomData: 501 characters; approvals allow at most 500`],
          [d1, `${at(d1)}.Name: "AAAAAAAAAAAAAAAAAAAA..." is 101 characters; CodePipeline allows at most 100`],
          [d2, `${at(d2)}.RunOrder: run order 0 is outside 1..999`],
          [d3, `${at(d3)}.Name: duplicate action name "${actions[d2].Name}" in stage "Prod-Wave-3"`],
          [d4, `${at(d4)}.RunOrder: run order 1000 is outside 1..999`],
        ].sort((a, b) => (a[0] as number) - (b[0] as number)).map(([, message]) => message),
      ]);
    });
  });
});

