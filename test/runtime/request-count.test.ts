import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { RequestCountUnreadable, readRequestsServed } from '../../lib/runtime/request-count';

const target = { id: 'prod-wave-1-eu-west-1-onebox', kind: 'ONE_BOX', stageName: 'Prod-Wave-1', region: 'eu-west-1', account: '333333333333', bake: { minutes: 60, minHealthyDatapoints: 0, noData: 'FAIL', minRequests: 100 } };
const manifest = {
  schemaVersion: 1,
  targetId: target.id,
  compositeAlarmName: 'c',
  alarmNames: [],
  canaryNames: [],
  deploymentGroups: [],
  aliases: [],
  requestMetric: { namespace: 'AWS/Lambda', metricName: 'Invocations', dimensions: [{ name: 'ExecutedVersion', value: '7' }] },
};

test('sums the one-minute request counts of the bake, across pages', async () => {
  const inputs: any[] = [];
  const pages = [{ MetricDataResults: [{ Id: 'requests', Values: [40, 30] }], NextToken: 'n' }, { MetricDataResults: [{ Id: 'requests', Values: [31] }] }];
  const clients = { cloudWatch: { send: async (c: any) => { inputs.push(c); return pages[inputs.length - 1]; } } };
  const start = new Date('2026-01-05T10:00:00Z');
  const served = await readRequestsServed(clients as any, target, manifest, start, new Date('2026-01-05T11:00:00Z'));
  expect(served).toBe(101);
  expect(inputs[0]).toBeInstanceOf(GetMetricDataCommand);
  expect(inputs[0].input.MetricDataQueries[0].MetricStat).toEqual({
    Metric: { Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: [{ Name: 'ExecutedVersion', Value: '7' }] }, Period: 60, Stat: 'Sum',
  });
  expect(inputs[1].input.NextToken).toBe('n');
});

test('a manifest without a request metric cannot pass a bake with minRequests', async () => {
  const { requestMetric, ...without } = manifest;
  expect(requestMetric).toBeDefined();
  await expect(readRequestsServed({} as any, target, without, new Date(), new Date())).rejects.toThrow(RequestCountUnreadable);
  await expect(readRequestsServed({} as any, target, without, new Date(), new Date())).rejects.toThrow('its ReleaseMonitor names no request metric');
});
