/**
 * EventBridge as the controller's trigger: the rules of the pipeline stack (a 1-minute schedule,
 * approval starts, forwarded health alarms), matched with EventBridge's pattern rules.
 *
 * Delivery is at least once and can be late: a target that fails is retried (the rules set
 * MaximumRetryAttempts 2), and "in some rare cases an event might not be delivered". CloudWatch
 * alarm state changes are delivered durably.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-retry-policy.html
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-delivery-level.html
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html
 */

export interface EventRule {
  readonly id: string;
  /** `rate(1 minute)` for the sweep. */
  readonly schedule?: string;
  readonly pattern?: Record<string, unknown>;
  /** `default` or the health bus. */
  readonly bus: 'default' | 'health';
  readonly maximumRetryAttempts: number;
}

/** Reads the controller's rules from the pipeline stack's template. */
export function readRules(template: any): EventRule[] {
  return Object.entries(template.Resources ?? {})
    .filter(([, r]: [string, any]) => r.Type === 'AWS::Events::Rule')
    .map(([id, r]: [string, any]) => ({
      id,
      ...(r.Properties.ScheduleExpression ? { schedule: r.Properties.ScheduleExpression } : {}),
      ...(r.Properties.EventPattern ? { pattern: r.Properties.EventPattern } : {}),
      bus: r.Properties.EventBusName ? 'health' as const : 'default' as const,
      maximumRetryAttempts: r.Properties.Targets?.[0]?.RetryPolicy?.MaximumRetryAttempts ?? 185,
    }));
}

/**
 * EventBridge pattern matching for the forms the controller's rules use: a list of values matches
 * when the event's value (or one of its values, for a list) is among them; an object matches
 * field by field. https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 */
export function matchesPattern(pattern: unknown, event: unknown): boolean {
  if (Array.isArray(pattern)) {
    const values = Array.isArray(event) ? event : [event];
    return values.some((v) => pattern.some((p) => typeof p !== 'object' && p === v));
  }
  if (pattern && typeof pattern === 'object') {
    if (!event || typeof event !== 'object') return false;
    return Object.entries(pattern).every(([key, sub]) => matchesPattern(sub, (event as Record<string, unknown>)[key]));
  }
  return false;
}

/** A minute-rate schedule: `rate(1 minute)` -> 1. */
export function rateMinutes(schedule: string): number {
  const match = /^rate\((\d+) minutes?\)$/.exec(schedule);
  if (!match) throw new Error(`emulator: unimplemented schedule ${schedule}`);
  return Number(match[1]);
}
