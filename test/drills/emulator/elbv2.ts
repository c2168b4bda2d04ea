/**
 * Requests to an Application Load Balancer whose listener forwards to several target groups by
 * weight, and the metrics ELB publishes about them, one minute at a time.
 *
 * - A forward action to several target groups distributes the requests among them in proportion
 *   to their weights (CloudFormation's example: two groups of weight 1 split the traffic 50/50).
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#forward-actions
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-elasticloadbalancingv2-listenerrule-forwardconfig.html
 * - Within a target group the load balancer routes only to registered targets; a deregistering
 *   target gets no new request.
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DeregisterTargets.html
 * - Metrics, namespace `AWS/ApplicationELB`: `RequestCount`, `HTTPCode_Target_5XX_Count` and
 *   `TargetResponseTime` per `LoadBalancer` and per `TargetGroup, LoadBalancer`. ELB reports a
 *   metric "only when requests are flowing through the load balancer", and RequestCount and
 *   HTTPCode_Target_5XX_Count only with a nonzero value ("Reporting criteria: There is a nonzero
 *   value"): a minute without a 5XX has no HTTPCode_Target_5XX_Count datapoint at all.
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
 *
 * Choices where the documentation is silent: requests are spread evenly over each minute and each
 * draws its target group by a seeded draw, so a drill replays exactly; a minute's datapoints exist
 * once it is over; a request to a target group with no serving target is an ELB 503, counted in
 * no target metric.
 */
import { awsError, unimplemented } from './aws-errors';
import { MINUTE } from './sim-clock';

/** How the tasks of a task definition answer. */
export interface TaskBehaviour {
  /** Share of requests answered with a 5XX. */
  readonly errorRate: number;
  readonly responseTimeMs: number;
}

/** A target group of the listener's forward action, as deployed at the time asked. */
export interface WeightedTargetGroup {
  /** `targetgroup/<name>/<id>`: the `TargetGroup` dimension. */
  readonly fullName: string;
  readonly weight: number;
  /** The task definition whose tasks are the group's registered targets at `at`; undefined: none. */
  readonly servingAt: (at: number) => string | undefined;
}

export interface GroupPeriod {
  requests: number;
  errors: number;
  responseTimeMs: number;
  /** Requests by the task definition that served them. */
  readonly byTaskDefinition: Record<string, { requests: number; errors: number }>;
}

export interface RoutedMinute {
  readonly start: number;
  /** Requests that reached a target. */
  readonly requests: number;
  /** Requests the load balancer answered itself (503: no target). */
  readonly elb5xx: number;
  readonly groups: Readonly<Record<string, GroupPeriod>>;
}

export interface ServedCounts {
  readonly requests: number;
  readonly errors: number;
}

export interface LoadBalancerTrafficOptions {
  /** `app/<name>/<id>`: the `LoadBalancer` dimension. */
  readonly loadBalancerFullName: string;
  /** The listener's forward action at `at` (empty before the load balancer exists). */
  readonly targetGroups: (at: number) => WeightedTargetGroup[];
  readonly requestsPerMinute: (periodStart: number) => number;
  /** How the tasks of a task definition answer a request at `at`. */
  readonly behaviour: (taskDefinition: string, at: number) => TaskBehaviour;
  readonly random: () => number;
  readonly now: () => number;
}

export class LoadBalancerTraffic {
  private readonly minutes = new Map<number, RoutedMinute>();

  constructor(private readonly options: LoadBalancerTrafficOptions) {}

  get loadBalancerFullName(): string {
    return this.options.loadBalancerFullName;
  }

  /** The minute starting at `start`; undefined while it is still going on. */
  minute(start: number): RoutedMinute | undefined {
    if (start + MINUTE > this.options.now()) return undefined;
    const cached = this.minutes.get(start);
    if (cached) return cached;
    // Minutes are drawn in time order, so the seeded draws do not depend on who asked first.
    const first = this.minutes.size === 0 ? start : Math.max(...this.minutes.keys()) + MINUTE;
    for (let m = Math.min(first, start); m <= start; m += MINUTE) {
      if (!this.minutes.has(m)) this.minutes.set(m, this.route(m));
    }
    return this.minutes.get(start)!;
  }

  private route(start: number): RoutedMinute {
    const n = Math.max(0, Math.round(this.options.requestsPerMinute(start)));
    const groups: Record<string, GroupPeriod> = {};
    let requests = 0;
    let elb5xx = 0;
    for (let i = 0; i < n; i++) {
      const at = start + ((i + 0.5) * MINUTE) / n;
      const forward = this.options.targetGroups(at);
      if (forward.length === 0) continue;
      const group = pickByWeight(forward, this.options.random());
      const taskDefinition = group.servingAt(at);
      if (!taskDefinition) {
        elb5xx++;
        continue;
      }
      requests++;
      const behaviour = this.options.behaviour(taskDefinition, at);
      const g = (groups[group.fullName] ??= { requests: 0, errors: 0, responseTimeMs: 0, byTaskDefinition: {} });
      const byTd = (g.byTaskDefinition[taskDefinition] ??= { requests: 0, errors: 0 });
      const failed = this.options.random() < behaviour.errorRate;
      g.requests++;
      byTd.requests++;
      g.responseTimeMs += behaviour.responseTimeMs;
      if (failed) {
        g.errors++;
        byTd.errors++;
      }
    }
    return { start, requests, elb5xx, groups };
  }

  /** The value of a metric in the minute starting at `start`, or undefined when ELB reports none. */
  datapoint(namespace: string, metricName: string, dimensions: Record<string, string>, start: number): number | undefined {
    if (namespace !== 'AWS/ApplicationELB' || dimensions.LoadBalancer !== this.options.loadBalancerFullName) return undefined;
    const minute = this.minute(start);
    if (!minute) return undefined;
    const names = Object.keys(dimensions).sort().join(',');
    let groups: GroupPeriod[];
    if (names === 'LoadBalancer') groups = Object.values(minute.groups);
    else if (names === 'LoadBalancer,TargetGroup') groups = minute.groups[dimensions.TargetGroup] ? [minute.groups[dimensions.TargetGroup]] : [];
    else return undefined;
    const requests = sum(groups.map((g) => g.requests));
    if (requests === 0) return undefined;
    if (metricName === 'RequestCount') return requests;
    if (metricName === 'HTTPCode_Target_5XX_Count') {
      const errors = sum(groups.map((g) => g.errors));
      return errors > 0 ? errors : undefined;
    }
    // Seconds, averaged over the minute's requests.
    if (metricName === 'TargetResponseTime') return sum(groups.map((g) => g.responseTimeMs)) / requests / 1000;
    return undefined;
  }

  /** Requests a target group's tasks of `taskDefinition` (all of them when undefined) served over whole minutes in [from, to). */
  served(groupFullName: string | undefined, from: number, to: number, taskDefinition?: (td: string) => boolean): ServedCounts {
    let requests = 0;
    let errors = 0;
    for (let m = Math.ceil(from / MINUTE) * MINUTE; m + MINUTE <= to; m += MINUTE) {
      const minute = this.minute(m);
      if (!minute) break;
      for (const [name, g] of Object.entries(minute.groups)) {
        if (groupFullName !== undefined && name !== groupFullName) continue;
        for (const [td, counts] of Object.entries(g.byTaskDefinition)) {
          if (taskDefinition && !taskDefinition(td)) continue;
          requests += counts.requests;
          errors += counts.errors;
        }
      }
    }
    return { requests, errors };
  }
}

function pickByWeight(groups: WeightedTargetGroup[], draw: number): WeightedTargetGroup {
  const total = sum(groups.map((g) => g.weight));
  let edge = 0;
  for (const group of groups) {
    edge += group.weight / total;
    if (draw < edge) return group;
  }
  return groups[groups.length - 1];
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** A target group of a forward action and its weight. */
export interface ForwardWeight {
  readonly targetGroupArn: string;
  readonly weight: number;
}

interface ListenerState {
  /** The default actions as set, newest last, each from its instant on. */
  readonly history: Array<{ readonly from: number; readonly defaultActions: any[] }>;
}

/**
 * The listeners of an account and Region: their default actions, as CloudFormation creates or
 * updates them and as `ModifyListener` changes them, with the instant of every change, so requests
 * are routed by the weights in force when they arrive.
 *
 * - DescribeListeners returns each listener's default actions; an unknown ARN is `ListenerNotFound`.
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeListeners.html
 * - ModifyListener replaces the properties given, a list property whole; the others stay.
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ModifyListener.html
 * - A target group's weight is 0 to 999.
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroupTuple.html
 *
 * Choices where the documentation is silent: a change applies to requests from the instant it is
 * made; a forward whose weights are all 0 is refused (`InvalidConfigurationRequest`), as it names
 * no group to route to.
 */
export class ListenerEmulator {
  private readonly listeners = new Map<string, ListenerState>();

  constructor(private readonly now: () => number) {}

  /** CloudFormation created or updated the listener with these default actions (at `from`, default now). */
  put(listenerArn: string, defaultActions: any[], from = this.now()): void {
    const state = this.listeners.get(listenerArn) ?? { history: [] };
    state.history.push({ from, defaultActions: structuredClone(defaultActions) });
    this.listeners.set(listenerArn, state);
  }

  /** The weighted forward of the listener's default actions at `at` (empty before it existed). */
  forwardAt(listenerArn: string, at: number): ForwardWeight[] {
    const history = this.listeners.get(listenerArn)?.history ?? [];
    const actions = [...history].reverse().find((h) => h.from <= at)?.defaultActions ?? [];
    const forward = actions.find((a) => a.Type === 'forward');
    if (!forward) return [];
    const groups = (forward.ForwardConfig?.TargetGroups as any[] | undefined)
      ?? (forward.TargetGroupArn ? [{ TargetGroupArn: forward.TargetGroupArn, Weight: 1 }] : []);
    return groups.map((g) => ({ targetGroupArn: String(g.TargetGroupArn), weight: Number(g.Weight ?? 1) }));
  }

  handle(operation: string, input: any): any {
    switch (operation) {
      case 'DescribeListeners': {
        const arns: string[] = input.ListenerArns ?? [];
        if (arns.length === 0) throw unimplemented('elbv2', 'DescribeListeners by load balancer');
        return { Listeners: arns.map((arn) => ({ ListenerArn: arn, DefaultActions: structuredClone(this.current(arn)) })) };
      }
      case 'ModifyListener': {
        const arn = String(input.ListenerArn);
        this.current(arn);
        if (input.DefaultActions) {
          for (const action of input.DefaultActions as any[]) {
            const groups = (action.ForwardConfig?.TargetGroups ?? []) as any[];
            for (const g of groups) {
              const weight = Number(g.Weight ?? 1);
              if (!(Number.isInteger(weight) && weight >= 0 && weight <= 999)) {
                throw awsError('ValidationError', `weight ${g.Weight} of target group ${g.TargetGroupArn} is not between 0 and 999`, 400);
              }
            }
            if (groups.length > 0 && groups.every((g) => Number(g.Weight ?? 1) === 0)) {
              throw awsError('InvalidConfigurationRequest', 'a forward action needs a target group of nonzero weight', 400);
            }
          }
          this.put(arn, input.DefaultActions);
        }
        return { Listeners: [{ ListenerArn: arn, DefaultActions: structuredClone(this.current(arn)) }] };
      }
      default:
        throw unimplemented('elbv2', operation);
    }
  }

  private current(listenerArn: string): any[] {
    const history = this.listeners.get(listenerArn)?.history;
    if (!history?.length) throw awsError('ListenerNotFound', `One or more listeners not found: ${listenerArn}`, 400);
    return history[history.length - 1].defaultActions;
  }
}
