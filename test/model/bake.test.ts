import {
  AlarmObservation, BakeDecision, BakeObservation, BakeVerdict, CanaryObservation, decideBake, healthyDatapoints, isBreaching,
  MetricAlarmObservation,
} from '../../lib/model/bake';
import { buildReleasePlan } from '../../lib/model/release-plan';

const T0 = new Date('2025-03-04T10:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

const composite = (over: Partial<AlarmObservation> = {}): AlarmObservation => ({
  name: 'orders-prod-wave-1-us-east-1-fleet-release-health', state: 'OK', alarmedAt: [], ...over,
});
const latency = (over: Partial<MetricAlarmObservation> = {}): MetricAlarmObservation => ({
  name: 'OrdersApi-p99-latency',
  state: 'OK',
  alarmedAt: [],
  threshold: 500,
  comparisonOperator: 'GreaterThanThreshold',
  values: [120, 130, 110, 140, 150],
  ...over,
});
const errors = (over: Partial<MetricAlarmObservation> = {}): MetricAlarmObservation => ({
  name: 'OrdersApi-5xx',
  state: 'OK',
  alarmedAt: [],
  threshold: 1,
  comparisonOperator: 'GreaterThanOrEqualToThreshold',
  values: [0, 0, 0, 0, 0],
  ...over,
});
const canary = (runs: CanaryObservation['runs']): CanaryObservation => ({ name: 'orders-checkout', runs });

function observe(over: Partial<BakeObservation> = {}): BakeObservation {
  return {
    targetId: 'prod-wave-1-us-east-1-fleet',
    bake: { minutes: 60, minHealthyDatapoints: 0, noData: 'FAIL' },
    bakeStart: T0,
    now: at(61),
    compositeAlarm: composite(),
    metricAlarms: [latency(), errors()],
    canaries: [canary([{ id: 'run-1', state: 'PASSED', startedAt: at(55) }])],
    ...over,
  };
}

const cases: Array<[string, BakeObservation, BakeDecision]> = [
  ['healthy after the bake time passes', observe(), {
    decision: BakeVerdict.PASS, reason: 'prod-wave-1-us-east-1-fleet: baked 61 of 60 minutes with no alarm',
  }],
  ['healthy before the bake time waits', observe({ now: at(59) }), {
    decision: BakeVerdict.WAIT, reason: 'prod-wave-1-us-east-1-fleet: baking, 59 of 60 minutes elapsed; healthy so far',
  }],
  ['composite in ALARM fails at once', observe({
    now: at(3), compositeAlarm: composite({ state: 'ALARM', stateReason: 'OrdersApi-5xx transitioned to ALARM' }),
  }), {
    decision: BakeVerdict.FAIL,
    reason: 'prod-wave-1-us-east-1-fleet: alarm orders-prod-wave-1-us-east-1-fleet-release-health is in ALARM (OrdersApi-5xx transitioned to ALARM)',
  }],
  ['metric alarm in ALARM is named', observe({
    now: at(3), metricAlarms: [latency(), errors({ state: 'ALARM', stateReason: 'Threshold Crossed: 1 datapoint [7.0] was >= 1.0' })],
  }), {
    decision: BakeVerdict.FAIL,
    reason: 'prod-wave-1-us-east-1-fleet: alarm OrdersApi-5xx is in ALARM (Threshold Crossed: 1 datapoint [7.0] was >= 1.0)',
  }],
  ['flapping (ALARM then OK during the bake) fails', observe({ metricAlarms: [latency({ alarmedAt: [at(20)] }), errors()] }), {
    decision: BakeVerdict.FAIL,
    reason: 'prod-wave-1-us-east-1-fleet: alarm OrdersApi-p99-latency went into ALARM at 2025-03-04T10:20:00.000Z during the bake (now OK)',
  }],
  ['an ALARM before the bake started does not count', observe({ metricAlarms: [latency({ alarmedAt: [at(-30)] }), errors()] }), {
    decision: BakeVerdict.PASS, reason: 'prod-wave-1-us-east-1-fleet: baked 61 of 60 minutes with no alarm',
  }],
  ['INSUFFICIENT_DATA before the end of the bake waits', observe({ now: at(10), metricAlarms: [latency({ state: 'INSUFFICIENT_DATA' })] }), {
    decision: BakeVerdict.WAIT, reason: 'prod-wave-1-us-east-1-fleet: baking, 10 of 60 minutes elapsed; healthy so far',
  }],
  ['INSUFFICIENT_DATA with datapoints at the end passes with a warning', observe({ metricAlarms: [latency({ state: 'INSUFFICIENT_DATA' }), errors()] }), {
    decision: BakeVerdict.PASS,
    reason: 'prod-wave-1-us-east-1-fleet: baked 61 of 60 minutes with no alarm',
    warning: 'INSUFFICIENT_DATA: OrdersApi-p99-latency',
  }],
  ['a failed canary run after bake start fails before its alarm fires', observe({
    now: at(7),
    canaries: [canary([
      { id: 'run-2', state: 'FAILED', startedAt: at(5), reason: 'Step "checkout" failed: HTTP 503' },
      { id: 'run-1', state: 'PASSED', startedAt: at(0) },
      { id: 'run-3', state: 'RUNNING', startedAt: at(6) },
    ])],
  }), {
    decision: BakeVerdict.FAIL,
    reason: 'prod-wave-1-us-east-1-fleet: canary orders-checkout run run-2 started at 2025-03-04T10:05:00.000Z failed: Step "checkout" failed: HTTP 503',
  }],
  ['a failed canary run before bake start is ignored', observe({
    now: at(7), canaries: [canary([{ id: 'run-0', state: 'FAILED', startedAt: at(-2), reason: 'timeout' }])],
  }), {
    decision: BakeVerdict.WAIT, reason: 'prod-wave-1-us-east-1-fleet: baking, 7 of 60 minutes elapsed; healthy so far',
  }],
  ['a failed run followed by a passing run is not a failure', observe({
    canaries: [canary([{ id: 'run-2', state: 'FAILED', startedAt: at(5), reason: 'x' }, { id: 'run-3', state: 'PASSED', startedAt: at(10) }])],
  }), {
    decision: BakeVerdict.PASS, reason: 'prod-wave-1-us-east-1-fleet: baked 61 of 60 minutes with no alarm',
  }],
  ['zero-minute bake passes at once', observe({ bake: { minutes: 0, minHealthyDatapoints: 5, noData: 'FAIL' }, now: T0 }), {
    decision: BakeVerdict.PASS, reason: 'prod-wave-1-us-east-1-fleet: no bake time; no alarm in ALARM',
  }],
  ['zero-minute bake still fails in ALARM', observe({ bake: { minutes: 0, minHealthyDatapoints: 0, noData: 'FAIL' }, now: T0, compositeAlarm: composite({ state: 'ALARM' }) }), {
    decision: BakeVerdict.FAIL, reason: 'prod-wave-1-us-east-1-fleet: alarm orders-prod-wave-1-us-east-1-fleet-release-health is in ALARM',
  }],
  ['no data at all with noData FAIL fails', observe({ metricAlarms: [latency({ values: [] }), errors({ values: [] })] }), {
    decision: BakeVerdict.FAIL,
    reason: 'prod-wave-1-us-east-1-fleet: no metric alarm had a datapoint during the 60-minute bake (OrdersApi-p99-latency, OrdersApi-5xx); a target nobody measured is not known to be healthy (noData is FAIL)',
  }],
  ['no data at all with PASS_WITH_WARNING passes with a warning', observe({
    bake: { minutes: 60, minHealthyDatapoints: 3, noData: 'PASS_WITH_WARNING' }, metricAlarms: [latency({ values: [] })],
  }), {
    decision: BakeVerdict.PASS,
    reason: 'prod-wave-1-us-east-1-fleet: baked 61 minutes; no metric alarm had a datapoint during the 60-minute bake (OrdersApi-p99-latency)',
    warning: 'no metric alarm had a datapoint during the 60-minute bake (OrdersApi-p99-latency); noData is PASS_WITH_WARNING',
  }],
  ['no metric alarms and no canary run is no data', observe({ metricAlarms: [], canaries: [] }), {
    decision: BakeVerdict.FAIL,
    reason: 'prod-wave-1-us-east-1-fleet: no metric alarm is watched and no canary completed a run during the 60-minute bake; a target nobody measured is not known to be healthy (noData is FAIL)',
  }],
  ['canary runs alone are data', observe({ metricAlarms: [] }), {
    decision: BakeVerdict.PASS, reason: 'prod-wave-1-us-east-1-fleet: baked 61 of 60 minutes with no alarm',
  }],
  ['one silent alarm among several passes with a warning', observe({ metricAlarms: [latency(), errors({ values: [] })] }), {
    decision: BakeVerdict.PASS, reason: 'prod-wave-1-us-east-1-fleet: baked 61 of 60 minutes with no alarm', warning: 'no datapoints from OrdersApi-5xx',
  }],
  ['too few healthy datapoints waits past the bake time', observe({
    bake: { minutes: 60, minHealthyDatapoints: 4, noData: 'FAIL' }, metricAlarms: [latency({ values: [120, 900, 800, 130] }), errors()],
  }), {
    decision: BakeVerdict.WAIT,
    reason: 'prod-wave-1-us-east-1-fleet: baked 61 minutes; waiting for 4 healthy datapoints: OrdersApi-p99-latency has 2',
  }],
  ['enough healthy datapoints passes', observe({ bake: { minutes: 60, minHealthyDatapoints: 5, noData: 'FAIL' } }), {
    decision: BakeVerdict.PASS, reason: 'prod-wave-1-us-east-1-fleet: baked 61 of 60 minutes with no alarm',
  }],
  // Issue 12, item 1: in ALARM at any instant of the bake, its first instant included.
  ['an alarm in ALARM when the bake started and OK since fails', observe({ metricAlarms: [latency({ alarmAtBakeStart: true }), errors()] }), {
    decision: BakeVerdict.FAIL,
    reason: 'prod-wave-1-us-east-1-fleet: alarm OrdersApi-p99-latency was in ALARM when the bake started at 2025-03-04T10:00:00.000Z (now OK)',
  }],
  ['the release-health alarm in ALARM when the bake started fails even a zero-minute bake', observe({
    bake: { minutes: 0, minHealthyDatapoints: 0, noData: 'FAIL' }, now: T0, compositeAlarm: composite({ alarmAtBakeStart: true }),
  }), {
    decision: BakeVerdict.FAIL,
    reason: 'prod-wave-1-us-east-1-fleet: alarm orders-prod-wave-1-us-east-1-fleet-release-health was in ALARM when the bake started at 2025-03-04T10:00:00.000Z (now OK)',
  }],
  // Issue 12, item 5: composite alarms among the watched alarms.
  ['a watched composite alarm in ALARM fails', observe({ now: at(3), compositeAlarms: [composite({ name: 'OrdersApi-dependencies', state: 'ALARM', stateReason: 'Payments-5xx' })] }), {
    decision: BakeVerdict.FAIL, reason: 'prod-wave-1-us-east-1-fleet: alarm OrdersApi-dependencies is in ALARM (Payments-5xx)',
  }],
  ['a watched composite alarm that stayed OK does not count as a silent metric', observe({ compositeAlarms: [composite({ name: 'OrdersApi-dependencies' })] }), {
    decision: BakeVerdict.PASS, reason: 'prod-wave-1-us-east-1-fleet: baked 61 of 60 minutes with no alarm',
  }],
  // Issue 12, item 8: a canary that stopped running watches nothing.
  ['a canary without a completed run in the bake fails it once the bake time passed', observe({
    canaries: [canary([{ id: 'run-0', state: 'PASSED', startedAt: at(-5) }, { id: 'run-1', state: 'RUNNING', startedAt: at(60) }])],
  }), {
    decision: BakeVerdict.FAIL,
    reason: 'prod-wave-1-us-east-1-fleet: canary orders-checkout completed no run during the 60-minute bake; a stopped canary watches nothing (start it, or set requireCanaryRuns: false)',
  }],
  ['a canary without runs waits while the bake time runs', observe({ now: at(30), canaries: [canary([])] }), {
    decision: BakeVerdict.WAIT, reason: 'prod-wave-1-us-east-1-fleet: baking, 30 of 60 minutes elapsed; healthy so far',
  }],
  ['requireCanaryRuns false turns a stopped canary into a warning', observe({
    bake: { minutes: 60, minHealthyDatapoints: 0, noData: 'FAIL', requireCanaryRuns: false }, canaries: [canary([])],
  }), {
    decision: BakeVerdict.PASS,
    reason: 'prod-wave-1-us-east-1-fleet: baked 61 of 60 minutes with no alarm',
    warning: 'canary orders-checkout completed no run during the 60-minute bake (requireCanaryRuns is false)',
  }],
];

describe('decideBake', () => {
  test.each(cases)('%s', (_name, input, expected) => {
    expect(decideBake(input)).toEqual(expected);
  });

  test('6-hour bake waits every minute until 360 minutes, then passes', () => {
    const bake = { minutes: 360, minHealthyDatapoints: 0, noData: 'FAIL' };
    for (let m = 0; m < 360; m++) {
      // datapoints are not read while the bake time runs
      expect(decideBake(observe({ bake, now: at(m), metricAlarms: [latency({ values: undefined })] })).decision).toBe(BakeVerdict.WAIT);
    }
    expect(decideBake(observe({ bake, now: at(360) })).decision).toBe(BakeVerdict.PASS);
  });

  test('refuses to decide an elapsed bake without datapoints', () => {
    expect(() => decideBake(observe({ metricAlarms: [latency({ values: undefined })] }))).toThrow(/datapoints of alarm OrdersApi-p99-latency were not read/);
  });
});

describe('isBreaching', () => {
  test.each([
    [5, 5, 'GreaterThanThreshold', false],
    [6, 5, 'GreaterThanThreshold', true],
    [5, 5, 'GreaterThanOrEqualToThreshold', true],
    [4, 5, 'LessThanThreshold', true],
    [5, 5, 'LessThanThreshold', false],
    [5, 5, 'LessThanOrEqualToThreshold', true],
    [99, undefined, 'LessThanLowerOrGreaterThanUpperThreshold', false],
  ])('%p vs %p with %s -> %p', (value, threshold, op, expected) => {
    expect(isBreaching(value, threshold, op)).toBe(expected);
  });

  test('healthyDatapoints counts non-breaching values', () => {
    expect(healthyDatapoints(latency({ values: [100, 600, 499, 501] }))).toBe(2);
  });
});

describe('requireCanaryRuns in the plan', () => {
  test('is written only when turned off, and a wave inherits it from production', () => {
    const plan = buildReleasePlan({
      preProduction: [{ name: 'beta', account: '222222222222', regions: ['us-west-2'] }],
      production: { account: '333333333333', bake: { requireCanaryRuns: false }, waves: [{ regions: ['us-east-1'] }, { regions: ['eu-west-1'], bake: { requireCanaryRuns: true } }] },
    }, { pipelineName: 'orders', pipelineAccount: '111111111111', pipelineRegion: 'us-east-1' });
    expect(plan.stages.map((s) => s.regions[0].fleet.bake.requireCanaryRuns)).toEqual([undefined, false, undefined]);
  });
});
