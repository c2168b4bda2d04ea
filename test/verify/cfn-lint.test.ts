// Gate: every template of the example and of the fixture apps passes cfn-lint (zero errors, only
// the warnings listed with a reason in ./cfn-lint.ts), each linted for the region it deploys to.
// `npm test` skips it with one line when cfn-lint is missing; `.ci/run` sets CFN_LINT_REQUIRED=1.
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { allStacks, removeDir, tempOutdir } from './assemblies';
import { cfnLintVersion, gateFailures, LintFinding, lintFiles, lintTemplate } from './cfn-lint';
import { buildExampleApp } from '../../examples/app';
import { NoDataPolicy, ReleaseDeclaration } from '../../lib';
import { pipelineApp, PREPROD_ACCOUNT, PROD_ACCOUNT, THREE_WAVES, TWELVE_REGIONS } from '../fixtures/apps';
import { CommonSetupFactory } from '../fixtures/services';

const version = cfnLintVersion();
const required = process.env.CFN_LINT_REQUIRED === '1';
if (!version && !required) {
  // eslint-disable-next-line no-console
  console.log('cfn-lint gate skipped: cfn-lint is not on PATH; install it with `pip install cfn-lint`');
}
const gate = version || required ? describe : describe.skip;

/** Two stages, one-box on: every kind of target, in two regions and two accounts. */
const SMALL: ReleaseDeclaration = {
  preProduction: [{ name: 'beta', account: PREPROD_ACCOUNT, regions: ['us-west-2'], bake: { minutes: 15 } }],
  production: { account: PROD_ACCOUNT, waves: [{ regions: ['eu-west-1'] }] },
};

const SMALL_PASSING_NO_DATA: ReleaseDeclaration = {
  preProduction: [{ ...SMALL.preProduction![0], bake: { minutes: 15, noData: NoDataPolicy.PASS_WITH_WARNING } }],
  production: { ...SMALL.production, bake: { noData: NoDataPolicy.PASS_WITH_WARNING }, oneBoxBake: { noData: NoDataPolicy.PASS_WITH_WARNING } },
};

// Lint templates as `cdk synth` writes them: the CLI turns on path metadata and version reporting
// (the AWS::CDK::Metadata resource), which cfn-lint reads to recognise a CDK template and accept
// aws-cdk-lib's own idioms (Fn::Join with an empty delimiter for ARNs, E3703/W1020).
process.env.CDK_CONTEXT_JSON = JSON.stringify({ 'aws:cdk:enable-path-metadata': true, 'aws:cdk:version-reporting': true });

const APPS: Array<[string, () => cdk.App]> = [
  ['the example app', () => buildExampleApp(tempOutdir('lint-example')).app],
  ['fixture THREE_WAVES', () => pipelineApp(THREE_WAVES).app],
  ['fixture TWELVE_REGIONS', () => pipelineApp(TWELVE_REGIONS).app],
  ['canary on its own URL + deployLambdaGradually + addAlias', () => pipelineApp(SMALL, {}, new CommonSetupFactory('gradual')).app],
  ['canary on its own URL + addLambdaDeploymentGroup + addAlias', () => pipelineApp(SMALL, {}, new CommonSetupFactory('group')).app],
  ['canary on the load balancer + addEcsDeploymentGroup', () => pipelineApp(SMALL, {}, new CommonSetupFactory('ecs')).app],
  // The ECS fixture watches 5XX counts alone (reported only when nonzero): without noData PASS_WITH_WARNING WavePipeline refuses its bakes.
  ['ECS one-box: EcsOneBox with weighted target groups, one stack for one-box and fleet', () => pipelineApp(SMALL_PASSING_NO_DATA, {}, new CommonSetupFactory('ecs-one-box')).app],
];

gate(`cfn-lint gate (${version ?? 'cfn-lint missing'})`, () => {
  // Synthesize every app, then lint all their templates in one cfn-lint run per region.
  const byApp = new Map<string, { files: Set<string>; findings: LintFinding[] }>();
  const outdirs: string[] = [];
  beforeAll(() => {
    if (!version) return;
    const files: Array<{ file: string; region: string; app: string }> = [];
    for (const [name, build] of APPS) {
      const assembly = build().synth();
      outdirs.push(assembly.directory);
      const stacks = allStacks(assembly);
      byApp.set(name, { files: new Set(stacks.map((s) => s.templateFullPath)), findings: [] });
      files.push(...stacks.map((s) => ({ file: s.templateFullPath, region: s.environment.region, app: name })));
    }
    for (const finding of lintFiles(files)) {
      const owner = files.find((f) => path.resolve(f.file) === path.resolve(finding.file));
      byApp.get(owner!.app)!.findings.push(finding);
    }
  }, 600_000);
  afterAll(() => outdirs.forEach(removeDir));

  test('cfn-lint is installed', () => {
    expect(version).toMatch(/^cfn-lint \d+\.\d+/);
  });

  test.each(APPS.map(([name]) => [name]))('%s: zero errors, only accepted warnings', (name) => {
    const linted = byApp.get(name)!;
    expect(linted.files.size).toBeGreaterThanOrEqual(name === 'the example app' ? 28 : 3);
    expect(gateFailures(linted.findings)).toEqual([]);
  });

  test('the gate fails on a broken template: a dependency cycle is E3004', () => {
    const broken = {
      Resources: {
        A: { Type: 'AWS::SNS::Topic', Properties: { TopicName: { 'Fn::GetAtt': ['B', 'TopicName'] } } },
        B: { Type: 'AWS::SNS::Topic', Properties: { TopicName: { 'Fn::GetAtt': ['A', 'TopicName'] } } },
      },
    };
    expect(gateFailures(lintTemplate(broken, 'us-east-1')).filter((f) => f.includes('E3004')).length).toBeGreaterThan(0);
  });

  test('the gate reads each template for its own region (a resource type missing in one region)', () => {
    // AWS::Lightsail::Instance exists in us-east-1 but not in sa-east-1 (cfn-lint E3006, per-region specs).
    const template = { Resources: { I: { Type: 'AWS::Lightsail::Instance', Properties: { InstanceName: 'web-1', BlueprintId: 'amazon_linux_2', BundleId: 'nano_3_0' } } } };
    expect(gateFailures(lintTemplate(template, 'sa-east-1')).filter((f) => f.includes('E3006')).length).toBeGreaterThan(0);
    expect(gateFailures(lintTemplate(template, 'us-east-1'))).toEqual([]);
  });
});
