// Gate: the CodePipeline quotas cfn-lint does not check (see ./pipeline-quotas.ts), over the
// example and the fixtures; and the check fails on pipelines that break them.
import { allStacks, removeDir, tempOutdir } from './assemblies';
import { CfnTemplate, pipelineQuotaProblems } from './pipeline-quotas';
import { buildExampleApp } from '../../examples/app';
import { pipelineApp, THREE_WAVES, TWELVE_REGIONS } from '../fixtures/apps';

describe('CodePipeline quotas of the synthesized pipelines', () => {
  test('the example app', () => {
    const outdir = tempOutdir('quotas');
    try {
      const stacks = allStacks(buildExampleApp(outdir).app.synth());
      expect(stacks.flatMap((s) => pipelineQuotaProblems(s.hierarchicalId, s.template))).toEqual([]);
    } finally {
      removeDir(outdir);
    }
  });

  test.each([['THREE_WAVES', THREE_WAVES], ['TWELVE_REGIONS', TWELVE_REGIONS]])('fixture %s', (_name, release) => {
    const stacks = allStacks(pipelineApp(release).app.synth());
    expect(stacks.flatMap((s) => pipelineQuotaProblems(s.hierarchicalId, s.template))).toEqual([]);
  });
});

describe('the quota check fails on pipelines that break a quota', () => {
  const template = pipelineApp(THREE_WAVES).template().toJSON() as CfnTemplate;
  const [pipelineId] = Object.entries(template.Resources!).find(([, r]) => r.Type === 'AWS::CodePipeline::Pipeline')!;
  const broken = (mutate: (stages: any[]) => void): CfnTemplate => {
    const copy = JSON.parse(JSON.stringify(template));
    mutate(copy.Resources[pipelineId].Properties.Stages);
    return copy;
  };
  const where = `PipelineStack/${pipelineId}`;
  const wave3 = (stages: any[]) => stages.find((s) => s.Name === 'Prod-Wave-3');
  // Where wave 3 is in the rendered stages (after Source, Build, UpdatePipeline, Assets, ...).
  const wave3At = (template.Resources![pipelineId].Properties!.Stages as any[]).findIndex((s) => s.Name === 'Prod-Wave-3');

  test('51 actions in a stage', () => {
    const t = broken((stages) => {
      const stage = wave3(stages);
      for (let i = stage.Actions.length; i < 51; i++) stage.Actions.push({ ...stage.Actions[0], Name: `Extra${i}` });
    });
    expect(pipelineQuotaProblems('PipelineStack', t)).toEqual([`${where}: Properties.Stages[${wave3At}].Actions: 51 actions in stage "Prod-Wave-3"; CodePipeline allows at most 50`]);
  });

  test('51 stages', () => {
    const t = broken((stages) => {
      for (let i = stages.length; i < 51; i++) stages.push({ ...stages[stages.length - 1], Name: `Extra-${i}` });
    });
    expect(pipelineQuotaProblems('PipelineStack', t)).toEqual([`${where}: Properties.Stages: 51 stages; CodePipeline allows at most 50`]);
  });

  test('run order outside 1..999 and an approval text over 500 characters', () => {
    const actions = wave3(template.Resources![pipelineId].Properties!.Stages as any[]).Actions as any[];
    const approval = actions.findIndex((a) => a.ActionTypeId.Category === 'Approval');
    const [d1, d2] = actions.map((a, i) => (a.ActionTypeId.Category === 'Deploy' ? i : -1)).filter((i) => i >= 0);
    const t = broken((stages) => {
      const stage = wave3(stages);
      stage.Actions[approval].Configuration.CustomData = 'x'.repeat(501);
      stage.Actions[d1].RunOrder = 0;
      stage.Actions[d2].RunOrder = 1000;
    });
    const at = (i: number) => `${where}: Properties.Stages[${wave3At}].Actions[${i}]`;
    expect(pipelineQuotaProblems('PipelineStack', t).sort()).toEqual([
      `${at(approval)}.Configuration.CustomData: 501 characters; approvals allow at most 500`,
      `${at(d1)}.RunOrder: run order 0 is outside 1..999`,
      `${at(d2)}.RunOrder: run order 1000 is outside 1..999`,
    ].sort());
  });
});
