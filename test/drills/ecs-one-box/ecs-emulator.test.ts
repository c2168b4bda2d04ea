// The ECS and ELBv2 rules the ECS one-box drills rely on (test/drills/emulator/ecs.ts, elbv2.ts).
import { seeded } from '../drill-runner';
import { EcsEmulator, TASK_READY_MS } from '../emulator/ecs';
import { LoadBalancerTraffic } from '../emulator/elbv2';
import { MINUTE } from '../emulator/sim-clock';

const T0 = Date.parse('2027-02-09T09:00:00Z');

function ecs() {
  let now = T0;
  const emulator = new EcsEmulator('333333333333', 'eu-west-1', () => now);
  emulator.createCluster('shop');
  return { emulator, at: (ms: number) => { now = ms; } };
}

describe('ECS', () => {
  test('task definitions of a family get sequential revisions', () => {
    const { emulator } = ecs();
    expect([emulator.registerTaskDefinition('shop', 'r1').arn, emulator.registerTaskDefinition('shop', 'r2').arn, emulator.registerTaskDefinition('other', 'r2').arn])
      .toEqual(['arn:aws:ecs:eu-west-1:333333333333:task-definition/shop:1', 'arn:aws:ecs:eu-west-1:333333333333:task-definition/shop:2', 'arn:aws:ecs:eu-west-1:333333333333:task-definition/other:1']);
  });

  test('DescribeServices: found services in services, the others as MISSING failures; an unknown cluster throws', () => {
    const { emulator } = ecs();
    const td = emulator.registerTaskDefinition('shop', 'r1').arn;
    emulator.deploy('shop', 'shop-fleet', td, 9);
    const out = emulator.handle('DescribeServices', { cluster: 'shop', services: ['shop-fleet', 'shop-gone'] });
    expect(out.services.map((s: any) => [s.serviceName, s.status, s.taskDefinition])).toEqual([['shop-fleet', 'ACTIVE', td]]);
    expect(out.failures).toEqual([{ arn: 'arn:aws:ecs:eu-west-1:333333333333:service/shop/shop-gone', reason: 'MISSING' }]);
    expect(() => emulator.handle('DescribeServices', { cluster: 'nope', services: ['shop-fleet'] })).toThrow(expect.objectContaining({ name: 'ClusterNotFoundException' }));
  });

  test('a deleted service is DRAINING, then INACTIVE, and still described', () => {
    const { emulator, at } = ecs();
    emulator.deploy('shop', 'shop-fleet', emulator.registerTaskDefinition('shop', 'r1').arn, 9);
    emulator.deleteService('shop', 'shop-fleet');
    expect(emulator.handle('DescribeServices', { cluster: 'shop', services: ['shop-fleet'] }).services[0].status).toBe('DRAINING');
    at(T0 + 5 * MINUTE);
    expect(emulator.handle('DescribeServices', { cluster: 'shop', services: ['shop-fleet'] }).services[0].status).toBe('INACTIVE');
  });

  test('a rolling update: the old tasks serve until the new ones are healthy; the service names the new task definition at once', () => {
    const { emulator, at } = ecs();
    const r1 = emulator.registerTaskDefinition('shop', 'r1').arn;
    const r2 = emulator.registerTaskDefinition('shop', 'r2').arn;
    emulator.deploy('shop', 'shop-fleet', r1, 9, T0 - 60 * MINUTE);
    at(T0);
    const steady = emulator.deploy('shop', 'shop-fleet', r2, 9);
    const service = emulator.service('shop', 'shop-fleet')!;
    expect(steady).toBe(T0 + TASK_READY_MS);
    expect(emulator.handle('DescribeServices', { cluster: 'shop', services: ['shop-fleet'] }).services[0].taskDefinition).toBe(r2);
    expect([emulator.servingAt(service, T0 + TASK_READY_MS - 1), emulator.servingAt(service, T0 + TASK_READY_MS)]).toEqual([r1, r2]);
  });
});

describe('ELBv2', () => {
  const traffic = (errorRate: number, now: number) => new LoadBalancerTraffic({
    loadBalancerFullName: 'app/shop/1',
    targetGroups: () => [
      { fullName: 'targetgroup/fleet/1', weight: 90, servingAt: () => 'td-fleet' },
      { fullName: 'targetgroup/onebox/2', weight: 10, servingAt: () => 'td-onebox' },
    ],
    requestsPerMinute: () => 1000,
    behaviour: (td) => ({ errorRate: td === 'td-onebox' ? errorRate : 0, responseTimeMs: 100 }),
    random: seeded(7),
    now: () => now,
  });

  test('weights 90/10 send about 10% of the requests to the one-box group, and each group has its own metrics', () => {
    const lb = traffic(0.5, T0 + 60 * MINUTE);
    const all = lb.served(undefined, T0, T0 + 60 * MINUTE);
    const oneBox = lb.served('targetgroup/onebox/2', T0, T0 + 60 * MINUTE);
    expect(all.requests).toBe(60_000);
    expect(Math.abs(oneBox.requests / all.requests - 0.1)).toBeLessThan(0.005);
    const dims = { LoadBalancer: 'app/shop/1', TargetGroup: 'targetgroup/fleet/1' };
    expect(lb.datapoint('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', { LoadBalancer: 'app/shop/1', TargetGroup: 'targetgroup/onebox/2' }, T0)).toBeGreaterThan(0);
    expect(lb.datapoint('AWS/ApplicationELB', 'RequestCount', dims, T0)).toBeGreaterThan(800);
    expect(lb.datapoint('AWS/ApplicationELB', 'TargetResponseTime', dims, T0)).toBeCloseTo(0.1);
  });

  test('a minute without a 5XX has no HTTPCode_Target_5XX_Count datapoint; a minute still going on has none either', () => {
    const lb = traffic(0, T0 + 30_000 + MINUTE);
    expect(lb.datapoint('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', { LoadBalancer: 'app/shop/1' }, T0)).toBeUndefined();
    expect(lb.datapoint('AWS/ApplicationELB', 'RequestCount', { LoadBalancer: 'app/shop/1' }, T0)).toBe(1000);
    expect(lb.datapoint('AWS/ApplicationELB', 'RequestCount', { LoadBalancer: 'app/shop/1' }, T0 + MINUTE)).toBeUndefined();
  });
});
