/**
 * CloudWatch metric data and metric alarms evaluated from it, for drills whose alarms follow the
 * traffic (the one-box drills) instead of a script.
 *
 * - GetMetricData returns one value per period whose start lies in [StartTime, EndTime), only for
 *   queries with `ReturnData` not false; a metric-math `Expression` is computed from the other
 *   queries of the request.
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
 * - An alarm goes to ALARM when at least `DatapointsToAlarm` of the last `EvaluationPeriods`
 *   datapoints breach, and to OK otherwise; missing datapoints count as `TreatMissingData` says
 *   (`missing`, the default: with no datapoint at all the alarm goes to INSUFFICIENT_DATA).
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html
 *
 * Choices where the documentation is silent: an expression has a value only at the timestamps
 * where every metric it names has one; alarms are evaluated at each whole minute on the periods
 * then complete (no ingestion delay).
 */
import { AlarmState, CloudWatchEmulator } from './cloudwatch';

/** A datapoint of a metric in the period starting at `periodStart`, or undefined. */
export type DatapointSource = (namespace: string, metricName: string, dimensions: Record<string, string>, periodStart: number) => number | undefined;

interface Query {
  readonly Id: string;
  readonly Expression?: string;
  readonly MetricStat?: {
    readonly Metric: { readonly Namespace: string; readonly MetricName: string; readonly Dimensions?: Array<{ Name: string; Value: string }> };
    readonly Period: number;
  };
  readonly ReturnData?: boolean;
  readonly Label?: string;
}

/** GetMetricData answered from `source`. */
export function answerGetMetricData(
  input: { MetricDataQueries: Query[]; StartTime: Date; EndTime: Date; ScanBy?: string }, source: DatapointSource,
): any {
  const series = seriesOf(input.MetricDataQueries, input.StartTime.getTime(), input.EndTime.getTime(), source);
  const results = input.MetricDataQueries.filter((q) => q.ReturnData !== false).map((q) => {
    const points = [...series.get(q.Id)!.entries()].sort((a, b) => a[0] - b[0]);
    if (input.ScanBy !== 'TimestampAscending') points.reverse();
    return {
      Id: q.Id,
      Label: q.Label ?? q.MetricStat?.Metric.MetricName ?? q.Id,
      Timestamps: points.map(([t]) => new Date(t)),
      Values: points.map(([, v]) => v),
      StatusCode: 'Complete',
    };
  });
  return { MetricDataResults: results, Messages: [] };
}

function seriesOf(queries: Query[], start: number, end: number, source: DatapointSource): Map<string, Map<number, number>> {
  const series = new Map<string, Map<number, number>>();
  for (const q of queries) {
    if (!q.MetricStat) continue;
    const period = q.MetricStat.Period * 1000;
    const dims = Object.fromEntries((q.MetricStat.Metric.Dimensions ?? []).map((d) => [d.Name, d.Value]));
    const points = new Map<number, number>();
    for (let t = Math.ceil(start / period) * period; t < end; t += period) {
      const v = source(q.MetricStat.Metric.Namespace, q.MetricStat.Metric.MetricName, dims, t);
      if (v !== undefined) points.set(t, v);
    }
    series.set(q.Id, points);
  }
  for (const q of queries) {
    if (!q.Expression) continue;
    const expression = parseExpression(q.Expression);
    const named = expression.names.map((n) => {
      const s = series.get(n);
      if (!s) throw new Error(`emulator: expression ${q.Id} names ${n}, which no query of the request defines`);
      return s;
    });
    const points = new Map<number, number>();
    const timestamps = named.length > 0 ? [...named[0].keys()].filter((t) => named.every((s) => s.has(t))) : [];
    for (const t of timestamps) points.set(t, expression.evaluate((name) => series.get(name)!.get(t)!));
    series.set(q.Id, points);
  }
  return series;
}

/** What an alarm compares, read from its AWS::CloudWatch::Alarm. */
export interface AlarmDefinition {
  readonly name: string;
  readonly threshold: number;
  readonly comparisonOperator: string;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  /** `breaching`, `notBreaching`, `ignore` or `missing` (the default). */
  readonly treatMissingData: string;
  /** Period of its metric, in seconds. */
  readonly period: number;
  /** The metric, or the metric-math queries, as GetMetricData takes them. */
  readonly queries: Query[];
}

/** Evaluates `alarm` at `now` on the periods then complete, and sets its state (the composites follow). */
export function evaluateAlarm(cloudWatch: CloudWatchEmulator, alarm: AlarmDefinition, now: number, source: DatapointSource): AlarmState {
  const period = alarm.period * 1000;
  const end = Math.floor(now / period) * period;
  const start = end - alarm.evaluationPeriods * period;
  const series = seriesOf(alarm.queries, start, end, source);
  const returned = alarm.queries.find((q) => q.ReturnData !== false) ?? alarm.queries[0];
  const points = series.get(returned.Id)!;
  let breaching = 0;
  let present = 0;
  for (let t = start; t < end; t += period) {
    const v = points.get(t);
    if (v === undefined) {
      if (alarm.treatMissingData === 'breaching') breaching++;
      continue;
    }
    present++;
    if (breaches(v, alarm.threshold, alarm.comparisonOperator)) breaching++;
  }
  const current = cloudWatch.state(alarm.name);
  let next: AlarmState;
  if (present === 0 && alarm.treatMissingData === 'ignore') next = current;
  else if (present === 0 && (alarm.treatMissingData === 'missing' || alarm.treatMissingData === '')) next = 'INSUFFICIENT_DATA';
  else next = breaching >= alarm.datapointsToAlarm ? 'ALARM' : 'OK';
  if (next !== current) {
    cloudWatch.setState(alarm.name, next, `Threshold Crossed: ${breaching} of the last ${alarm.evaluationPeriods} datapoints ${next === 'ALARM' ? 'breaching' : 'not breaching'} (threshold ${alarm.threshold})`);
  }
  return next;
}

export function breaches(value: number, threshold: number, operator: string): boolean {
  switch (operator) {
    case 'GreaterThanOrEqualToThreshold': return value >= threshold;
    case 'GreaterThanThreshold': return value > threshold;
    case 'LessThanThreshold': return value < threshold;
    case 'LessThanOrEqualToThreshold': return value <= threshold;
    default: throw new Error(`emulator: unimplemented ComparisonOperator ${operator}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Metric math: numbers, query ids, + - * /, parentheses and MAX/MIN/SUM of an array.
// ---------------------------------------------------------------------------------------------

interface Expression {
  readonly names: string[];
  evaluate(value: (name: string) => number): number;
}

type Node = (value: (name: string) => number) => number;

export function parseExpression(text: string): Expression {
  const tokens = text.match(/\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_]*|[-+*/()[\],]/g) ?? [];
  if (tokens.join('') !== text.replace(/\s+/g, '')) throw new Error(`emulator: unimplemented metric math "${text}"`);
  const names = new Set<string>();
  let i = 0;
  const peek = () => tokens[i];
  const take = (expected?: string) => {
    const t = tokens[i++];
    if (expected !== undefined && t !== expected) throw new Error(`emulator: metric math "${text}": expected ${expected} at token ${i}, found ${t}`);
    return t;
  };
  const sumOf = (a: Node, b: Node, op: string): Node => {
    if (op === '+') return (v) => a(v) + b(v);
    if (op === '-') return (v) => a(v) - b(v);
    if (op === '*') return (v) => a(v) * b(v);
    return (v) => a(v) / b(v);
  };
  const expression = (): Node => {
    let left = term();
    while (peek() === '+' || peek() === '-') {
      const op = take();
      left = sumOf(left, term(), op);
    }
    return left;
  };
  const term = (): Node => {
    let left = factor();
    while (peek() === '*' || peek() === '/') {
      const op = take();
      left = sumOf(left, factor(), op);
    }
    return left;
  };
  const factor = (): Node => {
    const t = take();
    if (t === '(') {
      const inner = expression();
      take(')');
      return inner;
    }
    if (/^\d/.test(t)) return () => Number(t);
    if (/^(MAX|MIN|SUM)$/.test(t) && peek() === '(') {
      take('(');
      take('[');
      const items: Node[] = [expression()];
      while (peek() === ',') {
        take(',');
        items.push(expression());
      }
      take(']');
      take(')');
      const reduce = t === 'MAX' ? (xs: number[]) => Math.max(...xs) : t === 'MIN' ? (xs: number[]) => Math.min(...xs) : (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      return (v) => reduce(items.map((n) => n(v)));
    }
    if (/^[A-Za-z_]/.test(t)) {
      if (peek() === '(') throw new Error(`emulator: unimplemented metric math function ${t} in "${text}"`);
      names.add(t);
      return (v) => v(t);
    }
    throw new Error(`emulator: unimplemented metric math "${text}" at ${t}`);
  };
  const root = expression();
  if (i !== tokens.length) throw new Error(`emulator: unimplemented metric math "${text}": unexpected ${tokens[i]}`);
  return { names: [...names], evaluate: root };
}
