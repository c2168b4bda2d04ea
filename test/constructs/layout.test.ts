// The rendered pipeline equals the model's layout (lib/model/layout.ts), action by action: every
// gate, deployment and validation is where the layout puts it, in the layout's order, with the
// layout's approval timeouts. The simulator and the CLI read the same layout.
import { Template } from 'aws-cdk-lib/assertions';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { buildExampleApp } from '../../examples/app';
import { ReleaseDeclaration, ReleasePlan } from '../../lib';
import { LayoutActionKind, phases, pipelineLayout, stageLayout } from '../../lib/model/layout';
import { planTargets } from '../../lib/model/plan';
import { simulateRelease } from '../../lib/model/simulate';
import { PREPROD_ACCOUNT, PROD_ACCOUNT, THREE_WAVES, TWELVE_REGIONS, pipelineApp } from '../fixtures/apps';

interface Rendered { key: string; runOrder: number; timeout?: number; prepareRunOrder?: number }

/** The rendered actions of each deployment stage, keyed like the layout's: `<kind> <region> <target or name>`. */
function renderedStages(template: any, plan: ReleasePlan): Map<string, Rendered[]> {
  const [pipeline] = Object.values(template.Resources).filter((r: any) => r.Type === 'AWS::CodePipeline::Pipeline') as any[];
  const out = new Map<string, Rendered[]>();
  for (const stage of plan.stages) {
    const rendered = (pipeline.Properties.Stages as any[]).find((s) => s.Name === stage.name);
    if (!rendered) throw new Error(`stage ${stage.name} is not rendered`);
    const regionOf = (a: any) => (a.Region as string | undefined)
      ?? stage.regions.map((r) => r.region).find((r) => a.Name.includes(`-${r}`) || a.Name.startsWith(r))
      ?? (stage.regions.length === 1 ? stage.regions[0].region : undefined);
    const targetOf = (a: any) => {
      const region = stage.regions.find((r) => r.region === regionOf(a))!;
      return /OneBox/.test(a.Name) ? region.oneBox!.id : region.fleet.id;
    };
    const actions: Rendered[] = [];
    const prepares = new Map<string, number>();
    for (const a of rendered.Actions) {
      const category = a.ActionTypeId.Category;
      const own = [
        ...(stage.preSteps ?? []).map((x) => [x.name, LayoutActionKind.PRE_STEP]),
        ...(stage.postSteps ?? []).map((x) => [x.name, LayoutActionKind.POST_STEP]),
      ].find(([name]) => a.Name === name);
      if (own) {
        actions.push({ key: `${own[1]} ${own[0]}`, runOrder: a.RunOrder });
      } else if (category === 'Approval' && a.Name === 'Window') {
        actions.push({ key: `${LayoutActionKind.WINDOW_GATE}`, runOrder: a.RunOrder, timeout: a.TimeoutInMinutes });
      } else if (category === 'Approval') {
        actions.push({ key: `${LayoutActionKind.BAKE_GATE} ${regionOf(a)} ${targetOf(a)}`, runOrder: a.RunOrder, timeout: a.TimeoutInMinutes });
      } else if (category === 'Deploy' && a.Name.endsWith('.Prepare') || a.Name === 'Prepare') {
        prepares.set(`${regionOf(a)} ${targetOf(a)}`, a.RunOrder);
      } else if (category === 'Deploy') {
        actions.push({ key: `${LayoutActionKind.DEPLOY} ${regionOf(a)} ${targetOf(a)}`, runOrder: a.RunOrder });
      } else if (category === 'Build') {
        actions.push({ key: `${LayoutActionKind.VALIDATION} ${regionOf(a)} ${a.Name.split('.').pop()}`, runOrder: a.RunOrder });
      } else {
        throw new Error(`unexpected action ${a.Name} (${category}) in ${stage.name}`);
      }
    }
    for (const a of actions) {
      if (a.key.startsWith(LayoutActionKind.DEPLOY)) a.prepareRunOrder = prepares.get(a.key.slice(LayoutActionKind.DEPLOY.length + 1));
    }
    out.set(stage.name, actions);
  }
  return out;
}

function checkAgainstLayout(template: any, plan: ReleasePlan) {
  const rendered = renderedStages(template, plan);
  let compared = 0;
  for (const layout of pipelineLayout(plan)) {
    const expected = layout.actions.map((a) => ({
      key: a.kind === LayoutActionKind.WINDOW_GATE ? a.kind
        : a.kind === LayoutActionKind.PRE_STEP || a.kind === LayoutActionKind.POST_STEP ? `${a.kind} ${a.name}`
          : a.kind === LayoutActionKind.VALIDATION ? `${a.kind} ${a.region} ${a.name}` : `${a.kind} ${a.region} ${a.targetId}`,
      phase: a.phase,
      timeout: a.timeoutMinutes,
    }));
    const actual = rendered.get(layout.name)!;
    // The same actions, no more, no fewer.
    expect([layout.name, actual.map((a) => a.key).sort()]).toEqual([layout.name, expected.map((e) => e.key).sort()]);
    const byKey = new Map(actual.map((a) => [a.key, a]));
    for (const e of expected) {
      const a = byKey.get(e.key)!;
      expect([e.key, a.timeout]).toEqual([e.key, e.timeout]);
      if (a.prepareRunOrder !== undefined) expect(a.prepareRunOrder).toBeLessThan(a.runOrder);
    }
    // The layout's order: an earlier phase runs strictly earlier, one phase runs together.
    for (const x of expected) {
      for (const y of expected) {
        const [rx, ry] = [byKey.get(x.key)!, byKey.get(y.key)!];
        expect([x.key, y.key, Math.sign(rx.runOrder - ry.runOrder)]).toEqual([x.key, y.key, Math.sign(x.phase - y.phase)]);
        compared++;
      }
    }
  }
  return compared;
}

describe('the rendered pipeline follows the layout, action by action', () => {
  test('the example app', () => {
    const { app, stack } = buildExampleApp(undefined);
    app.synth();
    expect(checkAgainstLayout(Template.fromStack(stack).toJSON(), stack.pipeline.plan)).toBeGreaterThan(400);
  });

  const noOneBoxValidationsNoBake: ReleaseDeclaration = {
    preProduction: [{ name: 'integ', account: PREPROD_ACCOUNT, regions: ['us-west-2', 'eu-west-1'], validations: [{ name: 'Smoke', commands: ['npm run smoke'] }] }],
    production: { account: PROD_ACCOUNT, oneBox: false, waves: [{ regions: ['eu-west-1', 'eu-central-1'] }] },
  };
  test.each([
    ['THREE_WAVES', THREE_WAVES],
    ['TWELVE_REGIONS', TWELVE_REGIONS],
    ['validations without a bake, production without one-box', noOneBoxValidationsNoBake],
  ])('fixture %s', (_name, release) => {
    const { template, pipeline } = pipelineApp(release);
    expect(checkAgainstLayout(template().toJSON(), pipeline.plan)).toBeGreaterThan(10);
  });
});

describe('the layout (pure model, no CloudFormation)', () => {
  const { pipeline } = pipelineApp(THREE_WAVES);
  const plan = pipeline.plan;
  const describePhases = (name: string) => phases(stageLayout(plan.stages.find((s) => s.name === name)!))
    .map((p) => p.map((a) => `${a.kind}:${a.name}${a.region ? `@${a.region}` : ''}`).sort().join(' + '));

  test('gamma: deploy, then its validations, then the bake (validations run before the bake, not after)', () => {
    expect(describePhases('gamma')).toEqual(['DEPLOY:Deploy@us-east-1', 'VALIDATION:Integ@us-east-1', 'BAKE_GATE:Bake@us-east-1']);
  });

  test('a production wave: window gate, one-box deploy, one-box bake, fleet deploy, fleet bake; regions together', () => {
    expect(describePhases('Prod-Wave-3')).toEqual([
      'WINDOW_GATE:Window',
      'DEPLOY:Deploy@ca-central-1 + DEPLOY:Deploy@sa-east-1 + DEPLOY:Deploy@us-west-2',
      'BAKE_GATE:OneBoxBake@ca-central-1 + BAKE_GATE:OneBoxBake@sa-east-1 + BAKE_GATE:OneBoxBake@us-west-2',
      'DEPLOY:Deploy@ca-central-1 + DEPLOY:Deploy@sa-east-1 + DEPLOY:Deploy@us-west-2',
      'BAKE_GATE:Bake@ca-central-1 + BAKE_GATE:Bake@sa-east-1 + BAKE_GATE:Bake@us-west-2',
    ]);
  });

  test('every target is deployed exactly once by the layout', () => {
    const deployed = pipelineLayout(plan).flatMap((s) => s.actions).filter((a) => a.kind === LayoutActionKind.DEPLOY).map((a) => a.targetId);
    expect(deployed.sort()).toEqual(planTargets(plan).map((t) => t.id).sort());
  });
});

describe('steps of your own, placed by the layout', () => {
  test('pre after the window gate and before any deployment, post after every bake; in the plan', () => {
    const approve = new pipelines.ManualApprovalStep('ReleaseManager');
    const check = new pipelines.ShellStep('CheckDashboards', { commands: ['./check.sh'] });
    const { template, pipeline } = pipelineApp(THREE_WAVES, { stageSteps: [{ stageName: 'Prod-Wave-1', pre: [approve], post: [check] }] });
    const stage = pipeline.plan.stages.find((s) => s.name === 'Prod-Wave-1')!;
    expect([stage.preSteps, stage.postSteps]).toEqual([[{ name: 'ReleaseManager', kind: 'MANUAL_APPROVAL' }], [{ name: 'CheckDashboards', kind: 'SHELL' }]]);
    const actions = (Object.values(template().findResources('AWS::CodePipeline::Pipeline'))[0] as any).Properties.Stages
      .find((s: any) => s.Name === 'Prod-Wave-1').Actions as any[];
    const runOrder = (name: string) => actions.find((a) => a.Name === name || a.Name.endsWith(`.${name}`))!.RunOrder;
    const deploys = actions.filter((a) => a.ActionTypeId.Category === 'Deploy').map((a) => a.RunOrder);
    const bakes = actions.filter((a) => /Bake$/.test(a.Name)).map((a) => a.RunOrder);
    expect(runOrder('Window')).toBeLessThan(runOrder('ReleaseManager'));
    expect(runOrder('ReleaseManager')).toBeLessThan(Math.min(...deploys));
    expect(runOrder('CheckDashboards')).toBeGreaterThan(Math.max(...bakes));
    expect(checkAgainstLayout(template().toJSON(), pipeline.plan)).toBeGreaterThan(10);
  });

  test('a stage the release does not have is refused', () => {
    expect(() => pipelineApp(THREE_WAVES, { stageSteps: [{ stageName: 'Prod-Wave-9', pre: [new pipelines.ManualApprovalStep('X')] }] }))
      .toThrow('stageSteps[0].stageName: "Prod-Wave-9" is not a stage of the release; use one of "beta", "gamma", "Prod-Wave-1", "Prod-Wave-2", "Prod-Wave-3"');
  });
});

describe('the simulator follows the same layout', () => {
  test('steps of your own and validations are scheduled where the pipeline runs them', () => {
    const { pipeline } = pipelineApp(THREE_WAVES, { stageSteps: [{ stageName: 'Prod-Wave-1', pre: [new pipelines.ManualApprovalStep('ReleaseManager')], post: [new pipelines.ShellStep('CheckDashboards', { commands: ['x'] })] }] });
    const timeline = simulateRelease(pipeline.plan, new Date('2026-11-30T07:00:00Z'), { deployMinutes: 10, validationMinutes: 15 });
    const at = (stage: string, match: RegExp) => timeline.entries.filter((e) => e.stageName === stage && match.test(e.detail));
    const [pre] = at('Prod-Wave-1', /step ReleaseManager \(manual approval/);
    const [post] = at('Prod-Wave-1', /step CheckDashboards \(SHELL\)/);
    const deploys = timeline.entries.filter((e) => e.stageName === 'Prod-Wave-1' && e.phase === 'DEPLOY');
    const bakes = timeline.entries.filter((e) => e.stageName === 'Prod-Wave-1' && e.phase === 'BAKE');
    expect(pre.end.getTime()).toBeLessThanOrEqual(Math.min(...deploys.map((d) => d.start.getTime())));
    expect(post.start.getTime()).toBeGreaterThanOrEqual(Math.max(...bakes.map((b) => b.end.getTime())));
    // gamma: the integration tests run after the fleet deployment and before its bake.
    const [integ] = at('gamma', /validation Integ/);
    const [gammaBake] = timeline.entries.filter((e) => e.stageName === 'gamma' && e.phase === 'BAKE');
    const [gammaDeploy] = timeline.entries.filter((e) => e.stageName === 'gamma' && e.phase === 'DEPLOY');
    expect([gammaDeploy.end.getTime() <= integ.start.getTime(), integ.end.getTime() <= gammaBake.start.getTime()]).toEqual([true, true]);
  });
});
