/**
 * The synthesizing half of the validation property test (issue 13): a sample of the declarations
 * validation accepts (every valid case of the table and generated ones) is synthesized into a real
 * WavePipeline, and the rendered CodePipeline must match the plan: stages in order, the regions
 * each stage deploys to, one-box deployments, bake and window gates.
 */
import * as cdk from 'aws-cdk-lib';
import * as pipelines from 'aws-cdk-lib/pipelines';
import * as fc from 'fast-check';
import { WavePipeline } from '../../lib';
import { ReleasePlan } from '../../lib/model/plan';
import { ReleaseValidationError } from '../../lib/model/validation';
import { pipelineApp, TinyFactory } from '../fixtures/apps';
import { validDeclaration, VALID_CASES } from '../model/validation-cases';

const SEED = 20261126;
const GENERATED = 20;
const FRAMEWORK = new Set(['Source', 'Build', 'UpdatePipeline', 'Assets']);

interface Rendered { name: string; actions: Array<{ name: string; provider: string; region?: string }> }

function rendered(template: any): Rendered[] {
  const [pipeline] = Object.values(template.findResources('AWS::CodePipeline::Pipeline')) as any[];
  return pipeline.Properties.Stages.map((s: any) => ({
    name: s.Name,
    actions: s.Actions.map((a: any) => ({ name: a.Name, provider: a.ActionTypeId.Provider, region: a.Region })),
  }));
}

/** How the rendered pipeline differs from the plan; empty when it matches. */
function mismatches(plan: ReleasePlan, stages: Rendered[]): string[] {
  const wrong: string[] = [];
  const ours = stages.filter((s) => !FRAMEWORK.has(s.name));
  const names = ours.map((s) => s.name);
  if (JSON.stringify(names) !== JSON.stringify(plan.stages.map((s) => s.name))) wrong.push(`stages ${names} instead of ${plan.stages.map((s) => s.name)}`);
  for (const stage of plan.stages) {
    const out = ours.find((s) => s.name === stage.name);
    if (!out) continue;
    const deploys = out.actions.filter((a) => a.provider === 'CloudFormation' && (a.name === 'Deploy' || a.name.endsWith('.Deploy')));
    // Actions in the pipeline's own region carry no Region.
    const regions = [...new Set(deploys.map((a) => a.region ?? plan.pipelineRegion))].sort();
    const planned = [...new Set(stage.regions.map((r) => r.region))].sort();
    if (JSON.stringify(regions) !== JSON.stringify(planned)) wrong.push(`${stage.name}: deploys to ${regions} instead of ${planned}`);
    const targets = stage.regions.flatMap((r) => (r.oneBox ? [r.oneBox, r.fleet] : [r.fleet]));
    if (deploys.length !== targets.length) wrong.push(`${stage.name}: ${deploys.length} deploy actions for ${targets.length} targets`);
    const bakes = out.actions.filter((a) => a.provider === 'Manual' && /Bake$/.test(a.name)).length;
    const baked = targets.filter((t) => t.bake.minutes > 0).length;
    if (bakes !== baked) wrong.push(`${stage.name}: ${bakes} bake gates for ${baked} baked targets`);
    const window = out.actions.some((a) => a.provider === 'Manual' && a.name === 'Window');
    if (window !== stage.regions.some((r) => r.window)) wrong.push(`${stage.name}: window gate ${window}`);
    const validations = out.actions.filter((a) => a.provider === 'CodeBuild').length;
    const planned_ = stage.regions.reduce((n, r) => n + r.validations.length, 0);
    if (validations !== planned_) wrong.push(`${stage.name}: ${validations} validation actions for ${planned_}`);
  }
  return wrong;
}

const generated = fc.sample(validDeclaration(), { seed: SEED, numRuns: GENERATED });
const sample: Array<[string, any, any]> = [
  ...VALID_CASES.map((c): [string, any, any] => [c.name, c.release, c.options]),
  ...generated.map((release, i): [string, any, any] => [`generated ${i + 1}`, release, { pipelineName: 'orders' }]),
];

describe('declarations validation accepts synthesize into the pipeline their plan describes', () => {
  test.each(sample)('%s', (_name, release, options) => {
    const { pipeline, template } = pipelineApp(release, { pipelineName: options.pipelineName });
    expect(mismatches(pipeline.plan, rendered(template()))).toEqual([]);
  });
});

describe('one error for the pipeline and the declaration', () => {
  test('a pipeline stack without env, PARALLEL mode and a bad declaration are reported together', () => {
    const app = new cdk.App();
    const stack = new cdk.Stack(app, 'NoEnv');
    let error: unknown;
    try {
      new WavePipeline(stack, 'P', {
        pipelineName: 'orders',
        release: { production: { account: 'x', waves: [{ regions: ['us-east-9'], bakee: {} } as any] } },
        stageFactory: new TinyFactory(),
        synth: new pipelines.ShellStep('Synth', { input: pipelines.CodePipelineSource.gitHub('org/repo', 'main'), commands: ['npx cdk synth'] }),
        executionMode: 'PARALLEL' as any,
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ReleaseValidationError);
    expect((error as ReleaseValidationError).problems.map((p) => p.path)).toEqual([
      'production.waves[0].bakee', 'env', 'executionMode', 'production.account', 'production.waves[0].regions[0]',
    ]);
  });
});
