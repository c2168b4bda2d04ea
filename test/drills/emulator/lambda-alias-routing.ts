/**
 * Requests to a Lambda function through its alias, routed between the alias's versions by weight,
 * and the metrics Lambda and API Gateway publish about them, one period at a time.
 *
 * - An alias "routes traffic to the versions based on the weights": the additional version takes
 *   its weight of the requests and the alias's `FunctionVersion` the rest.
 *   https://docs.aws.amazon.com/lambda/latest/dg/lambda-traffic-shifting-using-aliases.html
 * - Lambda publishes `Invocations` (every invocation, failed ones included) and `Errors` (1 for an
 *   invocation that failed, 0 otherwise) per function, per `Resource` (the alias) and, for alias
 *   invocations only, per `ExecutedVersion` (the version that ran); none when nothing was invoked.
 *   https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
 * - API Gateway publishes `Count`, `5XXError` and `Latency` per `ApiName`, whatever version served
 *   the request; a function error behind a Lambda proxy integration is a 5XX.
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
 *
 * Choices where the documentation is silent: requests are spread evenly over each minute and each is
 * routed by a seeded draw, so a drill replays exactly; a period's datapoints exist once the period
 * is over (no partial minute); p99 of a period is the slowest version that served at least 1 % of it.
 */
import { AliasRecord, LambdaEmulator } from './lambda';
import { MINUTE } from './sim-clock';

/** How a version behaves when it serves a request. */
export interface VersionBehaviour {
  /** Share of its requests that fail (a function error). */
  readonly errorRate: number;
  /** Duration of an invocation, in milliseconds. */
  readonly durationMs: number;
}

/** What one period of requests did. */
export interface RoutedPeriod {
  readonly start: number;
  readonly requests: number;
  /** Invocations by the version that executed them. */
  readonly invocations: Readonly<Record<string, number>>;
  readonly errors: Readonly<Record<string, number>>;
}

export interface AliasTrafficOptions {
  readonly lambda: LambdaEmulator;
  readonly functionName: string;
  readonly aliasName: string;
  /** The API Gateway REST API in front of the alias (its metrics dimension by `ApiName`). */
  readonly apiName: string;
  /** Requests in the minute starting at `periodStart` (customers and the canary). */
  readonly requestsPerMinute: (periodStart: number) => number;
  readonly behaviour: (version: string) => VersionBehaviour;
  /** Seeded, so the drill replays. */
  readonly random: () => number;
  readonly now: () => number;
}

const API_OVERHEAD_MS = 20;

export class AliasTraffic {
  private readonly periods = new Map<number, RoutedPeriod>();
  private readonly key: string;

  constructor(private readonly options: AliasTrafficOptions) {
    this.key = LambdaEmulator.key(options.functionName, options.aliasName);
  }

  /** The alias as it was at `at`: undefined before it existed. */
  aliasAt(at: number): AliasRecord | undefined {
    const lambda = this.options.lambda;
    const created = lambda.created.find((c) => c.key === this.key);
    if (created && created.at.getTime() > at) return undefined;
    const updates = lambda.updates.filter((u) => u.key === this.key);
    const before = updates.filter((u) => u.at.getTime() <= at);
    if (before.length > 0) return before[before.length - 1].after;
    if (updates.length > 0) return updates[0].before;
    return created?.record ?? lambda.aliases.get(this.key);
  }

  /** The period starting at `start` (a whole minute); undefined while it is still going on. */
  period(start: number): RoutedPeriod | undefined {
    if (start + MINUTE > this.options.now()) return undefined;
    const cached = this.periods.get(start);
    if (cached) return cached;
    // Periods are drawn in time order, so the seeded draws do not depend on who asked first.
    const first = this.periods.size === 0 ? start : Math.max(...this.periods.keys()) + MINUTE;
    for (let p = Math.min(first, start); p <= start; p += MINUTE) {
      if (!this.periods.has(p)) this.periods.set(p, this.route(p));
    }
    return this.periods.get(start)!;
  }

  private route(start: number): RoutedPeriod {
    const n = Math.max(0, Math.round(this.options.requestsPerMinute(start)));
    const invocations: Record<string, number> = {};
    const errors: Record<string, number> = {};
    let served = 0;
    for (let i = 0; i < n; i++) {
      const alias = this.aliasAt(start + ((i + 0.5) * MINUTE) / n);
      if (!alias) continue;
      served++;
      const version = pick(alias, this.options.random());
      invocations[version] = (invocations[version] ?? 0) + 1;
      errors[version] ??= 0;
      if (this.options.random() < this.options.behaviour(version).errorRate) errors[version]++;
    }
    return { start, requests: served, invocations, errors };
  }

  /**
   * The value of a metric in the period starting at `start`, or undefined when Lambda or API
   * Gateway published no datapoint for it (nothing invoked, another function, dimensions that
   * are not one of the published combinations).
   */
  datapoint(namespace: string, metricName: string, dimensions: Record<string, string>, start: number): number | undefined {
    const period = this.period(start);
    if (!period) return undefined;
    const { functionName, aliasName, apiName } = this.options;
    const names = Object.keys(dimensions).sort().join(',');
    if (namespace === 'AWS/Lambda' && dimensions.FunctionName === functionName) {
      let versions: string[];
      if (names === 'ExecutedVersion,FunctionName,Resource' && dimensions.Resource === `${functionName}:${aliasName}`) {
        versions = [dimensions.ExecutedVersion];
      } else if (names === 'FunctionName,Resource' && dimensions.Resource === `${functionName}:${aliasName}`) {
        versions = Object.keys(period.invocations);
      } else if (names === 'FunctionName') {
        versions = Object.keys(period.invocations);
      } else {
        return undefined;
      }
      const invoked = sum(versions.map((v) => period.invocations[v] ?? 0));
      if (invoked === 0) return undefined;
      if (metricName === 'Invocations') return invoked;
      if (metricName === 'Errors') return sum(versions.map((v) => period.errors[v] ?? 0));
      if (metricName === 'Duration') return this.p99(period, versions);
      return undefined;
    }
    if (namespace === 'AWS/ApiGateway' && names === 'ApiName' && dimensions.ApiName === apiName) {
      if (period.requests === 0) return undefined;
      if (metricName === 'Count') return period.requests;
      if (metricName === '5XXError') return sum(Object.values(period.errors));
      if (metricName === 'Latency') return this.p99(period, Object.keys(period.invocations)) + API_OVERHEAD_MS;
      return undefined;
    }
    return undefined;
  }

  private p99(period: RoutedPeriod, versions: string[]): number {
    const total = sum(versions.map((v) => period.invocations[v] ?? 0));
    const slow = versions.filter((v) => (period.invocations[v] ?? 0) >= total / 100).map((v) => this.options.behaviour(v).durationMs);
    return Math.max(0, ...slow);
  }

  /** Invocations a version executed through the alias between `from` and `to` (whole periods). */
  invocationsOf(version: string, from: number, to: number): number {
    let total = 0;
    for (let p = Math.ceil(from / MINUTE) * MINUTE; p + MINUTE <= to; p += MINUTE) total += this.period(p)?.invocations[version] ?? 0;
    return total;
  }

  /** Requests the alias served between `from` and `to` (whole periods). */
  requestsBetween(from: number, to: number): number {
    let total = 0;
    for (let p = Math.ceil(from / MINUTE) * MINUTE; p + MINUTE <= to; p += MINUTE) total += this.period(p)?.requests ?? 0;
    return total;
  }
}

/** The version one request runs on: an additional version with its weight, else the alias's version. */
function pick(alias: AliasRecord, draw: number): string {
  let edge = 0;
  for (const [version, weight] of Object.entries(alias.weights)) {
    edge += weight;
    if (draw < edge) return version;
  }
  return alias.functionVersion;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
