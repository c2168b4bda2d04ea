import { DEFAULT_PRICING, estimateReleaseCost } from '../../lib/model/cost';
import { simulateRelease } from '../../lib/model/simulate';
import { THREE_WAVES, TWENTY_REGIONS, planOf, thirtyRegions } from '../fixtures/plans/declarations';

function costs(estimate: ReturnType<typeof estimateReleaseCost>): Record<string, [number, number]> {
  return Object.fromEntries(estimate.lineItems.map((i) => [i.id, [i.quantity, i.costUsd]]));
}

describe('estimateReleaseCost', () => {
  const start = new Date('2025-06-02T00:00:00Z');

  test('twenty regions: only deployments, builds and the controller are charged', () => {
    const plan = planOf(TWENTY_REGIONS);
    const estimate = estimateReleaseCost(plan, simulateRelease(plan, start));
    expect(costs(estimate)).toEqual({
      // source 1 + synth 5 + self-mutation 2 + assets 3 minutes
      'codepipeline-fixed-actions': [11, 0.022],
      // 40 deployments x 10 minutes
      'codepipeline-deploy-actions': [400, 0.8],
      'codepipeline-validation-actions': [0, 0],
      // 2 x (30 + 60) + 18 x (15 + 30) bake minutes, free
      'codepipeline-approval-actions': [990, 0],
      'codebuild-compute': [10, 0.05],
      // 480 scheduled + 40 targets x 3 events = 600 invocations x 0.25 GB x 1 s
      'lambda-controller-compute': [150, 0.0025],
      'lambda-controller-requests': [600, 0.00012],
    });
    expect(estimate.totalUsd).toBe(0.87462);
    expect(estimate.inActionBakeComparison.bakeMinutes).toBe(990);
    expect(estimate.inActionBakeComparison.costUsd).toBe(1.98);
    expect(estimate.inActionBakeComparison.description).toBe('Holding the same 990 bake minutes inside a Lambda or Step Functions action '
      + 'would add $1.98 per release (990 x $0.002); as approvals they cost nothing in CodePipeline.');
  });

  test('thirty regions baking 60 minutes each would cost $3.60 of bake if held inside an action', () => {
    const plan = planOf(thirtyRegions());
    const estimate = estimateReleaseCost(plan, simulateRelease(plan, new Date('2025-03-10T08:00:00Z')));
    expect(estimate.inActionBakeComparison.bakeMinutes).toBe(1800);
    expect(estimate.inActionBakeComparison.costUsd).toBe(3.6);
    expect(costs(estimate)['codepipeline-approval-actions'][1]).toBe(0);
  });

  test('validations are charged as actions and as CodeBuild minutes', () => {
    const plan = planOf(THREE_WAVES);
    const timeline = simulateRelease(plan, new Date('2025-03-04T08:00:00Z'));
    const estimate = estimateReleaseCost(plan, timeline);
    expect(costs(estimate)['codepipeline-validation-actions']).toEqual([15, 0.03]);
    // synth 5 + self-mutation 2 + assets 3 + one 15-minute validation
    expect(costs(estimate)['codebuild-compute']).toEqual([25, 0.125]);
    // 9 deployments
    expect(costs(estimate)['codepipeline-deploy-actions']).toEqual([90, 0.18]);
    // 905 scheduled + 9 x 3 events
    expect(costs(estimate)['lambda-controller-requests']).toEqual([932, 0.000186]);
  });

  test('a wave has one window gate: its wait is counted once, not once per region', () => {
    const plan = planOf(THREE_WAVES);
    const estimate = estimateReleaseCost(plan, simulateRelease(plan, new Date('2025-03-04T08:00:00Z')));
    // Window gates: wave 1 08:25-09:00 (35), wave 2 10:50-14:00 (190), wave 3 15:50-22:00 (370, shown
    // on both of its regions' rows). Bakes: (30 + 60) x 2 + (15 + 30) x 2 = 270.
    expect(costs(estimate)['codepipeline-approval-actions']).toEqual([35 + 190 + 370 + 270, 0]);
  });

  test('a rollback adds its deployments as their own line', () => {
    const plan = planOf(TWENTY_REGIONS);
    const timeline = simulateRelease(plan, start, { failure: { targetId: 'prod-wave-4-eu-west-2-fleet', afterBakeMinutes: 10 } });
    const estimate = estimateReleaseCost(plan, timeline);
    expect(estimate.lineItems.map((i) => i.id)).toEqual([
      'codepipeline-fixed-actions', 'codepipeline-deploy-actions', 'codepipeline-rollback-actions',
      'codepipeline-validation-actions', 'codepipeline-approval-actions', 'codebuild-compute',
      'lambda-controller-compute', 'lambda-controller-requests',
    ]);
    // 8 targets of wave 4 redeployed
    expect(costs(estimate)['codepipeline-rollback-actions']).toEqual([80, 0.16]);
    // (5 regions of waves 1-3 + 4 regions of wave 4) x (one-box + fleet) x 10 minutes
    expect(costs(estimate)['codepipeline-deploy-actions']).toEqual([180, 0.36]);
  });

  test('prices can be overridden field by field', () => {
    const plan = planOf(TWENTY_REGIONS);
    const estimate = estimateReleaseCost(plan, simulateRelease(plan, start), { actionMinuteUsd: 0.004, synthActionMinutes: undefined });
    expect(costs(estimate)['codepipeline-deploy-actions']).toEqual([400, 1.6]);
    expect(costs(estimate)['codepipeline-fixed-actions']).toEqual([11, 0.044]);
    expect(estimate.inActionBakeComparison.costUsd).toBe(3.96);
    expect(DEFAULT_PRICING.actionMinuteUsd).toBe(0.002);
  });

  test('partial minutes of an action are rounded up', () => {
    const plan = planOf(TWENTY_REGIONS);
    const timeline = simulateRelease(plan, start, { deployMinutes: 7.5 });
    expect(costs(estimateReleaseCost(plan, timeline))['codepipeline-deploy-actions']).toEqual([320, 0.64]);
  });
});
