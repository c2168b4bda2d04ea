/**
 * CloudWatch in one account and region: metric alarms, composite alarms over them, their state
 * history, and the datapoints of the alarms' metrics. Alarm states are driven by the drill's
 * script; the composite follows its children at once.
 */
import { awsError, unimplemented } from './aws-errors';
import { SimClock } from './sim-clock';

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface HistoryItem {
  readonly alarmName: string;
  readonly alarmType: 'MetricAlarm' | 'CompositeAlarm';
  readonly timestamp: Date;
  readonly oldState: AlarmState;
  readonly newState: AlarmState;
  readonly reason: string;
}

export interface MetricAlarmSpec {
  readonly name: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Array<{ Name: string; Value: string }>;
  readonly statistic: string;
  readonly period: number;
  readonly threshold: number;
  readonly comparisonOperator: string;
  /** The metric's value at the start of each period, or undefined when it has no datapoint. */
  readonly value: (periodStart: Date) => number | undefined;
  /** A metric-math alarm's queries, as DescribeAlarms returns them (`Metrics`); absent = a single metric. */
  readonly metrics?: unknown[];
}

interface Alarm {
  readonly name: string;
  readonly arn: string;
  readonly type: 'MetricAlarm' | 'CompositeAlarm';
  state: AlarmState;
  reason: string;
  updated: Date;
  readonly metric?: MetricAlarmSpec;
  /** Composite: ALARM when any child is in ALARM (AlarmRule.anyOf). */
  readonly children?: string[];
}

export interface AlarmStateChange {
  readonly account: string;
  readonly region: string;
  readonly alarmName: string;
  readonly alarmArn: string;
  readonly type: 'MetricAlarm' | 'CompositeAlarm';
  readonly oldState: AlarmState;
  readonly newState: AlarmState;
  readonly at: Date;
}

/** Who calls: CloudWatch checks composite-alarm history against the caller's grants. */
export interface CloudWatchCaller {
  /** Whether the caller holds cloudwatch:DescribeAlarmHistory on `*`. */
  readonly alarmHistoryOnWildcard: boolean;
}

const PAGE_ALARMS = 50;
const PAGE_HISTORY = 100;

export class CloudWatchEmulator {
  private readonly alarms = new Map<string, Alarm>();
  readonly history: HistoryItem[] = [];
  private readonly listeners: Array<(change: AlarmStateChange) => void> = [];
  /**
   * Answers GetMetricData when set (the one-box drills' metrics, counted from routed requests,
   * metric math included); unset, the metrics of the alarms answer as below.
   */
  metricData?: (input: any) => any;

  constructor(private readonly clock: SimClock, readonly account: string, readonly region: string) {}

  onStateChange(listener: (change: AlarmStateChange) => void): void {
    this.listeners.push(listener);
  }

  private arn(name: string): string {
    return `arn:aws:cloudwatch:${this.region}:${this.account}:alarm:${name}`;
  }

  /** A new alarm starts in INSUFFICIENT_DATA and is evaluated at once; the drills start it OK. */
  putMetricAlarm(spec: MetricAlarmSpec, at: Date): void {
    this.alarms.set(spec.name, { name: spec.name, arn: this.arn(spec.name), type: 'MetricAlarm', state: 'OK', reason: 'initial', updated: at, metric: spec });
  }

  /**
   * PutMetricAlarm on an existing alarm: "its state is left unchanged, but the update completely
   * overwrites the previous configuration of the alarm".
   * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
   */
  updateMetricAlarm(spec: MetricAlarmSpec): void {
    const alarm = this.alarms.get(spec.name);
    if (!alarm || alarm.type !== 'MetricAlarm') throw new Error(`emulator: no metric alarm ${spec.name} in ${this.account} ${this.region}`);
    this.alarms.set(spec.name, { ...alarm, metric: spec });
  }

  has(name: string): boolean {
    return this.alarms.has(name);
  }

  putCompositeAlarm(name: string, children: string[], at: Date): void {
    this.alarms.set(name, { name, arn: this.arn(name), type: 'CompositeAlarm', state: 'OK', reason: 'initial', updated: at, children });
  }

  state(name: string): AlarmState {
    const alarm = this.alarms.get(name);
    if (!alarm) throw new Error(`emulator: no alarm ${name} in ${this.account} ${this.region}`);
    return alarm.state;
  }

  /** The drill sets a metric alarm's state; the composites over it follow. */
  setState(name: string, state: AlarmState, reason: string): void {
    const alarm = this.alarms.get(name);
    if (!alarm || alarm.type !== 'MetricAlarm') throw new Error(`emulator: no metric alarm ${name} in ${this.account} ${this.region}`);
    this.transition(alarm, state, reason);
    for (const composite of [...this.alarms.values()].filter((a) => a.children?.includes(name))) {
      const inAlarm = composite.children!.filter((c) => this.alarms.get(c)?.state === 'ALARM');
      this.transition(composite, inAlarm.length > 0 ? 'ALARM' : 'OK',
        inAlarm.length > 0 ? `arn:aws:cloudwatch: alarms in ALARM: ${inAlarm.join(', ')}` : 'no child alarm in ALARM');
    }
  }

  private transition(alarm: Alarm, state: AlarmState, reason: string): void {
    if (alarm.state === state) return;
    const now = this.clock.now();
    const change: AlarmStateChange = {
      account: this.account,
      region: this.region,
      alarmName: alarm.name,
      alarmArn: alarm.arn,
      type: alarm.type,
      oldState: alarm.state,
      newState: state,
      at: now,
    };
    this.history.push({ alarmName: alarm.name, alarmType: alarm.type, timestamp: now, oldState: alarm.state, newState: state, reason });
    alarm.state = state;
    alarm.reason = reason;
    alarm.updated = now;
    for (const listener of this.listeners) listener(change);
  }

  /** Intervals during which the alarm was in ALARM, up to `until` (an open interval ends there). */
  alarmIntervals(name: string, until: Date): Array<{ from: Date; to: Date }> {
    const intervals: Array<{ from: Date; to: Date }> = [];
    let from: Date | undefined;
    for (const item of this.history.filter((h) => h.alarmName === name)) {
      if (item.newState === 'ALARM' && !from) from = item.timestamp;
      if (item.newState !== 'ALARM' && from) {
        intervals.push({ from, to: item.timestamp });
        from = undefined;
      }
    }
    if (from) intervals.push({ from, to: until });
    return intervals;
  }

  handle(operation: string, input: any, caller: CloudWatchCaller): any {
    switch (operation) {
      case 'DescribeAlarms': return this.describeAlarms(input);
      case 'DescribeAlarmHistory': return this.describeAlarmHistory(input, caller);
      case 'GetMetricData': return this.metricData ? this.metricData(input) : this.getMetricData(input);
      default: throw unimplemented('cloudwatch', operation);
    }
  }

  /**
   * AlarmNames takes at most 100 names; "If you omit [AlarmTypes], only metric alarms are returned."
   * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html
   */
  private describeAlarms(input: { AlarmNames?: string[]; AlarmTypes?: string[]; NextToken?: string; MaxRecords?: number }) {
    if ((input.AlarmNames?.length ?? 0) > 100) throw awsError('ValidationError', 'AlarmNames has more than 100 names', 400);
    const types = input.AlarmTypes ?? ['MetricAlarm'];
    const matched = [...this.alarms.values()]
      .filter((a) => !input.AlarmNames || input.AlarmNames.includes(a.name))
      .filter((a) => types.includes(a.type))
      .sort((a, b) => a.name.localeCompare(b.name));
    const start = input.NextToken ? Number(input.NextToken) : 0;
    const size = input.MaxRecords ?? PAGE_ALARMS;
    const page = matched.slice(start, start + size);
    return {
      MetricAlarms: page.filter((a) => a.type === 'MetricAlarm').map((a) => ({
        AlarmName: a.name,
        AlarmArn: a.arn,
        StateValue: a.state,
        StateReason: a.reason,
        StateUpdatedTimestamp: a.updated,
        MetricName: a.metric!.metricName,
        Namespace: a.metric!.namespace,
        Dimensions: a.metric!.dimensions,
        Statistic: a.metric!.statistic,
        Period: a.metric!.period,
        Threshold: a.metric!.threshold,
        ComparisonOperator: a.metric!.comparisonOperator,
        ...(a.metric!.metrics ? { Metrics: a.metric!.metrics } : {}),
      })),
      CompositeAlarms: page.filter((a) => a.type === 'CompositeAlarm').map((a) => ({
        AlarmName: a.name,
        AlarmArn: a.arn,
        StateValue: a.state,
        StateReason: a.reason,
        StateUpdatedTimestamp: a.updated,
        AlarmRule: a.children!.map((c) => `ALARM("${c}")`).join(' OR '),
      })),
      ...(start + size < matched.length ? { NextToken: String(start + size) } : {}),
    };
  }

  /**
   * History between StartDate and EndDate, newest first by default (ScanBy TimestampDescending),
   * 100 items a page. "If you omit [AlarmTypes], only metric alarms are returned." For a composite
   * alarm the caller needs cloudwatch:DescribeAlarmHistory "scoped to *"; with a narrower grant
   * the emulator denies the call (docs/drills.md says why this reading).
   * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarmHistory.html
   */
  private describeAlarmHistory(input: {
    AlarmName?: string;
    AlarmTypes?: string[];
    HistoryItemType?: string;
    StartDate?: Date;
    EndDate?: Date;
    MaxRecords?: number;
    NextToken?: string;
    ScanBy?: string;
  }, caller: CloudWatchCaller) {
    if (input.StartDate && input.EndDate && input.StartDate.getTime() > input.EndDate.getTime()) {
      throw awsError('InvalidParameterValue', `StartDate ${input.StartDate.toISOString()} is after EndDate ${input.EndDate.toISOString()}`, 400);
    }
    const types = input.AlarmTypes ?? ['MetricAlarm'];
    const alarm = input.AlarmName ? this.alarms.get(input.AlarmName) : undefined;
    if (alarm?.type === 'CompositeAlarm' && types.includes('CompositeAlarm') && !caller.alarmHistoryOnWildcard) {
      throw awsError('AccessDenied', `User is not authorized to perform: cloudwatch:DescribeAlarmHistory on resource: * (composite alarm ${alarm.name})`, 403);
    }
    if (input.HistoryItemType !== undefined && input.HistoryItemType !== 'StateUpdate') return { AlarmHistoryItems: [] };
    const from = input.StartDate?.getTime() ?? 0;
    const to = input.EndDate?.getTime() ?? this.clock.millis;
    const matched = this.history
      .filter((h) => !input.AlarmName || h.alarmName === input.AlarmName)
      .filter((h) => types.includes(h.alarmType))
      .filter((h) => h.timestamp.getTime() >= from && h.timestamp.getTime() <= to);
    if (input.ScanBy !== 'TimestampAscending') matched.reverse();
    const start = input.NextToken ? Number(input.NextToken) : 0;
    const size = input.MaxRecords ?? PAGE_HISTORY;
    return {
      AlarmHistoryItems: matched.slice(start, start + size).map((h) => ({
        AlarmName: h.alarmName,
        AlarmType: h.alarmType,
        Timestamp: h.timestamp,
        HistoryItemType: 'StateUpdate',
        HistorySummary: `Alarm updated from ${h.oldState} to ${h.newState}`,
        HistoryData: JSON.stringify({
          version: '1.0',
          oldState: { stateValue: h.oldState },
          newState: { stateValue: h.newState, stateReason: h.reason },
        }),
      })),
      ...(start + size < matched.length ? { NextToken: String(start + size) } : {}),
    };
  }

  /**
   * One value per period whose start lies in [StartTime, EndTime); empty periods have no value.
   * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
   */
  private getMetricData(input: { MetricDataQueries: any[]; StartTime: Date; EndTime: Date; ScanBy?: string }) {
    const results = input.MetricDataQueries.map((query) => {
      if (!query.MetricStat) throw unimplemented('cloudwatch', 'GetMetricData with metric math');
      const metric = query.MetricStat.Metric;
      const alarm = [...this.alarms.values()].find((a) => a.metric
        && a.metric.namespace === metric.Namespace && a.metric.metricName === metric.MetricName
        && JSON.stringify(a.metric.dimensions) === JSON.stringify(metric.Dimensions ?? []));
      const period = query.MetricStat.Period * 1000;
      const timestamps: Date[] = [];
      const values: number[] = [];
      const first = Math.ceil(input.StartTime.getTime() / period) * period;
      for (let t = first; t < input.EndTime.getTime(); t += period) {
        const value = alarm?.metric?.value(new Date(t));
        if (value === undefined) continue;
        timestamps.push(new Date(t));
        values.push(value);
      }
      if (input.ScanBy !== 'TimestampAscending') {
        timestamps.reverse();
        values.reverse();
      }
      return { Id: query.Id, Label: query.Label ?? metric.MetricName, Timestamps: timestamps, Values: values, StatusCode: 'Complete' };
    });
    return { MetricDataResults: results, Messages: [] };
  }
}
