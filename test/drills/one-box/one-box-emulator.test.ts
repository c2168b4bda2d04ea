// The emulator rules the one-box drills rely on, each against the AWS behaviour its file cites:
// CloudFormation custom-resource requests, weighted alias routing with ExecutedVersion metrics,
// metric math and M-of-N alarm evaluation.
import { CloudFormationSender, handleOneBoxAlias, LambdaSender, OneBoxAliasEvent } from '../../../lib/runtime/one-box-alias';
import { seeded } from '../drill-runner';
import { CloudWatchEmulator } from '../emulator/cloudwatch';
import { CustomResourceEvent, CustomResourceStack } from '../emulator/custom-resource';
import { LambdaEmulator } from '../emulator/lambda';
import { AliasTraffic } from '../emulator/lambda-alias-routing';
import { AlarmDefinition, answerGetMetricData, evaluateAlarm, parseExpression } from '../emulator/metric-alarm-evaluation';
import { MINUTE, SimClock } from '../emulator/sim-clock';

const T0 = Date.parse('2027-02-09T09:00:00Z');

describe('CloudFormation custom resource requests', () => {
  const shift = (version: string, weight: string) => ({ logicalId: 'Shift', type: 'Custom::WavePipelinesAliasShift', properties: { FunctionName: 'fn', AliasName: 'live', Version: version, Weight: weight } });
  function stackWith(provider: (e: CustomResourceEvent) => string = () => 'fn:live') {
    const events: CustomResourceEvent[] = [];
    const stack = new CustomResourceStack('stack-id', () => new Date(T0));
    const handler = async (event: CustomResourceEvent) => {
      events.push(event);
      return { PhysicalResourceId: provider(event) };
    };
    return { stack, events, handler };
  }

  test('Create first, Update with the old properties when they change, nothing when they do not', async () => {
    const { stack, events, handler } = stackWith();
    await stack.update([shift('1', '0.1')], handler);
    await stack.update([shift('1', '0.1')], handler);
    await stack.update([shift('1', '1')], handler);
    expect(events.map((e) => [e.RequestType, e.PhysicalResourceId, e.OldResourceProperties?.Weight, e.ResourceProperties.Weight])).toEqual([
      ['Create', undefined, undefined, '0.1'],
      ['Update', 'fn:live', '0.1', '1'],
    ]);
  });

  test('a new PhysicalResourceId is a replacement: the old one is deleted in the clean-up', async () => {
    const { stack, events, handler } = stackWith((e) => `fn:live:${e.ResourceProperties.Version}`);
    await stack.update([shift('1', '1')], handler);
    await stack.update([shift('2', '1')], handler);
    expect(events.map((e) => [e.RequestType, e.PhysicalResourceId, e.ResourceProperties.Version])).toEqual([
      ['Create', undefined, '1'],
      ['Update', 'fn:live:1', '2'],
      ['Delete', 'fn:live:1', '1'],
    ]);
  });

  test('a failed request rolls the update back: the updated resource gets its old properties again', async () => {
    const { stack, events, handler } = stackWith();
    await stack.update([shift('1', '1')], handler);
    const outcome = await stack.update([shift('2', '0.1')], handler, 'Api: UPDATE_FAILED');
    expect(outcome).toEqual({ ok: false, reason: 'Api: UPDATE_FAILED' });
    expect(events.slice(1).map((e) => [e.RequestType, e.OldResourceProperties?.Version, e.ResourceProperties.Version])).toEqual([
      ['Update', '1', '2'],
      ['Update', '2', '1'],
    ]);
    expect(stack.resource('Shift')?.properties.Version).toBe('1');
  });

  test('the stack status DescribeStacks gives while requests run: the rollback Updates during UPDATE_ROLLBACK_IN_PROGRESS, then the clean-up of what the failed update created', async () => {
    const { stack, handler } = stackWith();
    expect(() => stack.describeStacks({ StackName: 'stack-id' })).toThrow('Stack with id stack-id does not exist');
    await stack.update([shift('1', '1')], handler);
    expect(stack.describeStacks({ StackName: 'stack-id' })).toEqual({ Stacks: [{ StackId: 'stack-id', StackStatus: 'CREATE_COMPLETE' }] });
    const extra = { logicalId: 'Extra', type: 'Custom::Other', properties: { Name: 'x' } };
    await stack.update([shift('2', '1'), extra], handler, 'Api: UPDATE_FAILED');
    expect(stack.requests.map((r) => `${r.phase} ${r.event.RequestType} ${r.event.LogicalResourceId} ${r.stackStatus}`)).toEqual([
      'UPDATE Create Shift CREATE_IN_PROGRESS',
      'UPDATE Update Shift UPDATE_IN_PROGRESS',
      'UPDATE Create Extra UPDATE_IN_PROGRESS',
      'ROLLBACK Update Shift UPDATE_ROLLBACK_IN_PROGRESS',
      'ROLLBACK Delete Extra UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
    ]);
    expect(stack.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(() => stack.describeStacks({ StackName: 'another-stack' })).toThrow('Stack with id another-stack does not exist');
  });

  test('a resource no longer in the template is deleted', async () => {
    const { stack, events, handler } = stackWith();
    await stack.update([shift('1', '1')], handler);
    await stack.update([], handler);
    expect(events.map((e) => e.RequestType)).toEqual(['Create', 'Delete']);
    expect(stack.resource('Shift')).toBeUndefined();
  });
});

describe('the real alias-shift handler through a stack\'s life', () => {
  test('Create on the first release, Update for one-box and fleet, Delete leaves the alias to the function', async () => {
    const lambda = new LambdaEmulator(() => new Date(T0));
    const client: LambdaSender = { send: async (command: any) => lambda.handle(String(command.constructor.name).replace(/Command$/, ''), command.input) };
    const stack = new CustomResourceStack('stack-id', () => new Date(T0));
    const cloudFormation = { send: async (command: any) => stack.describeStacks(command.input) } as unknown as CloudFormationSender;
    const provider = (event: CustomResourceEvent) => handleOneBoxAlias(
      { lambda: client, cloudFormation }, event as unknown as OneBoxAliasEvent, new Date(T0));
    const deploy = (version: string, weight: string) => stack.update([{
      logicalId: 'Shift', type: 'Custom::WavePipelinesAliasShift', properties: { FunctionName: 'fn', AliasName: 'live', Version: version, Weight: weight },
    }], provider);
    // Where the alias routes (its RevisionId counter aside).
    const routing = () => {
      const alias = lambda.aliases.get('fn:live');
      return alias && { functionVersion: alias.functionVersion, weights: alias.weights };
    };
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    await deploy('1', '0.1');
    expect(routing()).toEqual({ functionVersion: '1', weights: {} });
    await deploy('1', '1');
    await deploy('2', '0.1');
    expect(routing()).toEqual({ functionVersion: '1', weights: { 2: 0.1 } });
    await deploy('2', '1');
    expect(routing()).toEqual({ functionVersion: '2', weights: {} });
    await stack.update([], provider);
    expect(routing()).toEqual({ functionVersion: '2', weights: {} });
    expect(stack.requests.map((r) => `${r.event.RequestType} ${r.response?.PhysicalResourceId ?? r.error}`)).toEqual([
      'Create fn:live', 'Update fn:live', 'Update fn:live', 'Update fn:live', 'Delete fn:live',
    ]);
    jest.restoreAllMocks();
  });

  test('a fleet stack update that fails after the alias moved: CloudFormation\'s rollback Update puts the one-box back', async () => {
    const lambda = new LambdaEmulator(() => new Date(T0));
    const stack = new CustomResourceStack('stack-id', () => new Date(T0));
    const clients = {
      lambda: { send: async (command: any) => lambda.handle(String(command.constructor.name).replace(/Command$/, ''), command.input) } as LambdaSender,
      cloudFormation: { send: async (command: any) => stack.describeStacks(command.input) } as unknown as CloudFormationSender,
    };
    const provider = (event: CustomResourceEvent) => handleOneBoxAlias(clients, event as unknown as OneBoxAliasEvent, new Date(T0));
    const deploy = (version: string, weight: string, laterFailure?: string) => stack.update([{
      logicalId: 'Shift', type: 'Custom::WavePipelinesAliasShift', properties: { FunctionName: 'fn', AliasName: 'live', Version: version, Weight: weight },
    }], provider, laterFailure);
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    await deploy('1', '1');
    await deploy('2', '0.1');
    expect(await deploy('2', '1', 'Api: UPDATE_FAILED')).toEqual({ ok: false, reason: 'Api: UPDATE_FAILED' });
    const alias = lambda.aliases.get('fn:live')!;
    expect({ functionVersion: alias.functionVersion, weights: alias.weights }).toEqual({ functionVersion: '1', weights: { 2: 0.1 } });
    expect(alias.description).toBe('cdk-wave-pipelines: a stack rollback undid the move from version 1 to version 2 at 2027-02-09T09:00:00Z');
    jest.restoreAllMocks();
  });
});

describe('weighted alias routing and ExecutedVersion metrics', () => {
  function traffic(perMinute: number) {
    let now = T0;
    const lambda = new LambdaEmulator(() => new Date(now));
    lambda.setAlias('fn', 'live', { functionVersion: '1', weights: {} });
    const routed = new AliasTraffic({
      lambda,
      functionName: 'fn',
      aliasName: 'live',
      apiName: 'orders-api',
      requestsPerMinute: () => perMinute,
      behaviour: (v) => (v === '2' ? { errorRate: 0.5, durationMs: 900 } : { errorRate: 0, durationMs: 100 }),
      random: seeded(7),
      now: () => now,
    });
    return { lambda, routed, advance: (ms: number) => { now += ms; } };
  }

  test('the additional version takes its weight of the requests, the rest stays on the alias version', () => {
    const { lambda, routed, advance } = traffic(1000);
    lambda.handle('UpdateAlias', { FunctionName: 'fn', Name: 'live', RoutingConfig: { AdditionalVersionWeights: { 2: 0.1 } } });
    advance(10 * MINUTE);
    const onNew = routed.invocationsOf('2', T0, T0 + 10 * MINUTE);
    // 10,000 requests at 10 %: the standard deviation is 30.
    expect(onNew).toBeGreaterThan(880);
    expect(onNew).toBeLessThan(1120);
    expect(onNew + routed.invocationsOf('1', T0, T0 + 10 * MINUTE)).toBe(10_000);
  });

  test('ExecutedVersion metrics count one version; API metrics every request; a version not invoked has no datapoint', () => {
    const { lambda, routed, advance } = traffic(100);
    lambda.handle('UpdateAlias', { FunctionName: 'fn', Name: 'live', RoutingConfig: { AdditionalVersionWeights: { 2: 0.2 } } });
    advance(2 * MINUTE);
    const dims = (v: string) => ({ FunctionName: 'fn', Resource: 'fn:live', ExecutedVersion: v });
    const onNew = routed.datapoint('AWS/Lambda', 'Invocations', dims('2'), T0)!;
    const onOld = routed.datapoint('AWS/Lambda', 'Invocations', dims('1'), T0)!;
    expect(onNew + onOld).toBe(100);
    expect(routed.datapoint('AWS/ApiGateway', 'Count', { ApiName: 'orders-api' }, T0)).toBe(100);
    expect(routed.datapoint('AWS/ApiGateway', '5XXError', { ApiName: 'orders-api' }, T0)).toBe(routed.datapoint('AWS/Lambda', 'Errors', dims('2'), T0));
    expect(routed.datapoint('AWS/Lambda', 'Duration', dims('2'), T0)).toBe(900);
    expect(routed.datapoint('AWS/Lambda', 'Invocations', dims('3'), T0)).toBeUndefined();
    // The minute still going on has no datapoint yet.
    expect(routed.datapoint('AWS/Lambda', 'Invocations', dims('1'), T0 + 2 * MINUTE)).toBeUndefined();
  });

  test('requests before the alias exists go nowhere', () => {
    let now = T0;
    const lambda = new LambdaEmulator(() => new Date(now));
    const routed = new AliasTraffic({
      lambda,
      functionName: 'fn',
      aliasName: 'live',
      apiName: 'orders-api',
      requestsPerMinute: () => 60,
      behaviour: () => ({ errorRate: 0, durationMs: 100 }),
      random: seeded(1),
      now: () => now,
    });
    now += MINUTE;
    lambda.handle('CreateAlias', { FunctionName: 'fn', Name: 'live', FunctionVersion: '1' });
    now += MINUTE;
    expect(routed.requestsBetween(T0, T0 + 2 * MINUTE)).toBe(60);
    expect(() => lambda.handle('CreateAlias', { FunctionName: 'fn', Name: 'live', FunctionVersion: '1' })).toThrow(expect.objectContaining({ name: 'ResourceConflictException' }));
  });
});

describe('metric math and alarm evaluation', () => {
  test('the one-box error-rate expression', () => {
    const e = parseExpression('100 * errors / MAX([invocations, 1])');
    expect(e.names.sort()).toEqual(['errors', 'invocations']);
    expect(e.evaluate((n) => (n === 'errors' ? 3 : 60))).toBe(5);
    expect(e.evaluate((n) => (n === 'errors' ? 0 : 0))).toBe(0);
    expect(() => parseExpression('ANOMALY_DETECTION_BAND(m1)')).toThrow(/unimplemented metric math function ANOMALY_DETECTION_BAND/);
  });

  const errorRate = (name: string): AlarmDefinition => ({
    name,
    threshold: 1,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    treatMissingData: 'notBreaching',
    period: 60,
    queries: [
      { Id: 'rate', Expression: '100 * errors / MAX([invocations, 1])', ReturnData: true },
      { Id: 'errors', MetricStat: { Metric: { Namespace: 'N', MetricName: 'Errors' }, Period: 60 }, ReturnData: false },
      { Id: 'invocations', MetricStat: { Metric: { Namespace: 'N', MetricName: 'Invocations' }, Period: 60 }, ReturnData: false },
    ],
  });

  test('2 of 3 breaching datapoints put the alarm in ALARM; missing ones count as not breaching (notBreaching)', () => {
    const clock = new SimClock(new Date(T0));
    const cw = new CloudWatchEmulator(clock, '1', 'eu-west-1');
    cw.putMetricAlarm({ name: 'rate', namespace: '', metricName: '', dimensions: [], statistic: '', period: 60, threshold: 1, comparisonOperator: 'GreaterThanOrEqualToThreshold', value: () => undefined }, new Date(T0));
    // Minute 0: 2 % errors, minute 1: none invoked, minute 2: 5 %.
    const errors = [2, undefined, 5];
    const source = (_ns: string, name: string, _d: Record<string, string>, start: number) => {
      const i = (start - T0) / MINUTE;
      if (errors[i] === undefined) return undefined;
      return name === 'Errors' ? errors[i] : 100;
    };
    expect(evaluateAlarm(cw, errorRate('rate'), T0 + 2 * MINUTE, source)).toBe('OK');
    expect(evaluateAlarm(cw, errorRate('rate'), T0 + 3 * MINUTE, source)).toBe('ALARM');
    const data = answerGetMetricData({ MetricDataQueries: errorRate('rate').queries as any, StartTime: new Date(T0), EndTime: new Date(T0 + 3 * MINUTE), ScanBy: 'TimestampAscending' }, source);
    expect(data.MetricDataResults).toEqual([expect.objectContaining({ Id: 'rate', Values: [2, 5] })]);
  });

  test('with TreatMissingData missing and no datapoint at all the alarm goes to INSUFFICIENT_DATA', () => {
    const clock = new SimClock(new Date(T0));
    const cw = new CloudWatchEmulator(clock, '1', 'eu-west-1');
    cw.putMetricAlarm({ name: 'latency', namespace: 'N', metricName: 'Duration', dimensions: [], statistic: 'p99', period: 60, threshold: 1000, comparisonOperator: 'GreaterThanOrEqualToThreshold', value: () => undefined }, new Date(T0));
    const alarm: AlarmDefinition = {
      name: 'latency',
      threshold: 1000,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      treatMissingData: 'missing',
      period: 60,
      queries: [{ Id: 'm0', MetricStat: { Metric: { Namespace: 'N', MetricName: 'Duration' }, Period: 60 }, ReturnData: true }],
    };
    expect(evaluateAlarm(cw, alarm, T0 + 5 * MINUTE, () => undefined)).toBe('INSUFFICIENT_DATA');
  });
});
