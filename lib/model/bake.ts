/**
 * When a bake passes, waits or fails: the rule the release controller applies to a BAKE gate.
 *
 * Pure: the controller reads the target's health signal (alarms, alarm history, canary runs,
 * metric datapoints) through the target's monitor role and hands it over as a `BakeObservation`;
 * this file decides. Internal (not exported from `index.ts`).
 */
import { PlannedBake } from './plan';

/** What a bake gate does now. */
export enum BakeVerdict {
  /** Keep holding the gate; look again on the next sweep. */
  WAIT = 'WAIT',
  /** Approve the gate: the target baked for long enough and stayed healthy. */
  PASS = 'PASS',
  /** Reject the gate and roll the target back. */
  FAIL = 'FAIL',
}

/** CloudWatch alarm states (`StateValue`). */
export const ALARM_STATE = { OK: 'OK', ALARM: 'ALARM', INSUFFICIENT_DATA: 'INSUFFICIENT_DATA' } as const;

/** Synthetics canary run states (`Status.State`). */
export const CANARY_RUN_STATE = { RUNNING: 'RUNNING', PASSED: 'PASSED', FAILED: 'FAILED' } as const;

/** One alarm as read at the time of the decision. */
export interface AlarmObservation {
  readonly name: string;
  /** `OK`, `ALARM` or `INSUFFICIENT_DATA`. */
  readonly state: string;
  /** CloudWatch's `StateReason`, quoted in the decision. */
  readonly stateReason?: string;
  /** Times the alarm entered ALARM since the bake started (from its state-update history). */
  readonly alarmedAt: Date[];
  /**
   * The alarm was already in ALARM at the instant the bake started (the old state of its first
   * state change in the bake, or its current state when it did not change since). An alarm that
   * went bad during the deployment and recovers during the bake never *enters* ALARM in the bake,
   * yet the target was unhealthy in it.
   * @default false
   */
  readonly alarmAtBakeStart?: boolean;
}

/** A metric alarm with the values its metric produced during the bake. */
export interface MetricAlarmObservation extends AlarmObservation {
  /** The alarm's `Threshold`; absent for anomaly-detection alarms. */
  readonly threshold?: number;
  /** The alarm's `ComparisonOperator`. */
  readonly comparisonOperator?: string;
  /**
   * Values of the alarm's metric (or of its metric-math expression) between bake start and now,
   * one per period. Absent when they were not read because the bake time has not elapsed yet.
   */
  readonly values?: number[];
}

/** One canary run. */
export interface CanaryRunObservation {
  readonly id: string;
  /** `RUNNING`, `PASSED` or `FAILED`. */
  readonly state: string;
  readonly startedAt: Date;
  /** Why the run failed (`Status.StateReason`). */
  readonly reason?: string;
}

/** A canary with its most recent runs, in any order. */
export interface CanaryObservation {
  readonly name: string;
  readonly runs: CanaryRunObservation[];
}

/** Everything a bake decision reads. */
export interface BakeObservation {
  readonly targetId: string;
  readonly bake: PlannedBake;
  /** When the bake gate started holding (the approval action's start). */
  readonly bakeStart: Date;
  readonly now: Date;
  /** The target's composite release-health alarm. */
  readonly compositeAlarm: AlarmObservation;
  /** The metric alarms behind the composite. */
  readonly metricAlarms: MetricAlarmObservation[];
  /**
   * Composite alarms the user watches among the monitor's alarms. They count by state and state
   * history like any alarm, but have no datapoints of their own.
   * @default - none
   */
  readonly compositeAlarms?: AlarmObservation[];
  readonly canaries: CanaryObservation[];
}

export interface BakeDecision {
  readonly decision: BakeVerdict;
  /** One sentence a person reads in logs and in the approval summary. */
  readonly reason: string;
  /** Set when the bake passes with a caveat (silent alarms, alarms without data). */
  readonly warning?: string;
}

const OPERATORS: Record<string, (value: number, threshold: number) => boolean> = {
  GreaterThanThreshold: (v, t) => v > t,
  GreaterThanOrEqualToThreshold: (v, t) => v >= t,
  LessThanThreshold: (v, t) => v < t,
  LessThanOrEqualToThreshold: (v, t) => v <= t,
};

/**
 * Whether a datapoint breaches an alarm's threshold. Anomaly-detection operators compare against a
 * band that is not a single number; their datapoints count as healthy, the alarm state guards them.
 */
export function isBreaching(value: number, threshold: number | undefined, comparisonOperator: string | undefined): boolean {
  const breaches = comparisonOperator ? OPERATORS[comparisonOperator] : undefined;
  if (!breaches || threshold === undefined) return false;
  return breaches(value, threshold);
}

/** Datapoints of a metric alarm that did not breach its threshold. */
export function healthyDatapoints(alarm: MetricAlarmObservation): number {
  return (alarm.values ?? []).filter((v) => !isBreaching(v, alarm.threshold, alarm.comparisonOperator)).length;
}

/**
 * Decides a bake, in this order:
 *
 * 1. FAIL when the release-health composite or any watched alarm is in ALARM now.
 * 2. FAIL when any of them was in ALARM at any instant of the bake: already at its first instant
 *    (it went bad during the deployment), or entering ALARM since, even if it is OK again: a
 *    flapping alarm during a bake is a failed bake.
 * 3. FAIL when a canary's most recent completed run started after the bake started and failed,
 *    even before the canary's alarm fires.
 * 4. PASS a bake of 0 minutes.
 * 5. WAIT until the bake minutes have elapsed. INSUFFICIENT_DATA is not a failure before then.
 * 6. FAIL when a watched canary completed no run that started in the bake (it stopped, or was
 *    never started): its alarm stays OK without runs, so nothing watched it. `requireCanaryRuns:
 *    false` turns this into a warning.
 * 7. When no metric alarm had a datapoint for the whole bake (or, without metric alarms, no canary
 *    completed a run), apply the `noData` policy: FAIL, or PASS with a warning.
 * 8. WAIT until every metric alarm has `minHealthyDatapoints` healthy datapoints.
 * 9. PASS (with a warning naming alarms that had no data or are in INSUFFICIENT_DATA).
 */
export function decideBake(input: BakeObservation): BakeDecision {
  const { bake, bakeStart, now } = input;
  const alarms: AlarmObservation[] = [input.compositeAlarm, ...input.metricAlarms, ...(input.compositeAlarms ?? [])];

  const inAlarm = alarms.filter((a) => a.state === ALARM_STATE.ALARM);
  if (inAlarm.length > 0) {
    return fail(`${inAlarm.map(describeAlarm).join('; ')}`);
  }

  const flapped = alarms.filter((a) => a.alarmAtBakeStart || a.alarmedAt.some((t) => t.getTime() >= bakeStart.getTime()));
  if (flapped.length > 0) {
    return fail(flapped.map((a) => {
      if (a.alarmAtBakeStart) return `alarm ${a.name} was in ALARM when the bake started at ${bakeStart.toISOString()} (now ${a.state})`;
      const first = [...a.alarmedAt].sort((x, y) => x.getTime() - y.getTime())[0];
      return `alarm ${a.name} went into ALARM at ${first.toISOString()} during the bake (now ${a.state})`;
    }).join('; '));
  }

  const failedCanaries: string[] = [];
  for (const canary of input.canaries) {
    const lastCompleted = canary.runs
      .filter((r) => r.state === CANARY_RUN_STATE.PASSED || r.state === CANARY_RUN_STATE.FAILED)
      .sort((x, y) => y.startedAt.getTime() - x.startedAt.getTime())[0];
    if (lastCompleted && lastCompleted.state === CANARY_RUN_STATE.FAILED && lastCompleted.startedAt.getTime() >= bakeStart.getTime()) {
      failedCanaries.push(`canary ${canary.name} run ${lastCompleted.id} started at ${lastCompleted.startedAt.toISOString()} failed: ${lastCompleted.reason ?? 'no reason given'}`);
    }
  }
  if (failedCanaries.length > 0) return fail(failedCanaries.join('; '));

  if (bake.minutes <= 0) {
    return { decision: BakeVerdict.PASS, reason: `${input.targetId}: no bake time; no alarm in ALARM` };
  }

  const elapsedMinutes = Math.floor((now.getTime() - bakeStart.getTime()) / 60_000);
  if (elapsedMinutes < bake.minutes) {
    return {
      decision: BakeVerdict.WAIT,
      reason: `${input.targetId}: baking, ${elapsedMinutes} of ${bake.minutes} minutes elapsed; healthy so far`,
    };
  }

  for (const alarm of input.metricAlarms) {
    if (alarm.values === undefined) {
      throw new Error(`decideBake: datapoints of alarm ${alarm.name} were not read; the bake time has elapsed and they are needed`);
    }
  }

  const completedInBake = (c: CanaryObservation) => c.runs.some((r) =>
    r.state !== CANARY_RUN_STATE.RUNNING && r.startedAt.getTime() >= bakeStart.getTime());
  const stoppedCanaries = input.canaries.filter((c) => !completedInBake(c)).map((c) => c.name);
  const caveats: string[] = [];
  if (stoppedCanaries.length > 0) {
    const what = `canar${stoppedCanaries.length === 1 ? 'y' : 'ies'} ${stoppedCanaries.join(', ')} completed no run during the ${bake.minutes}-minute bake`;
    if (bake.requireCanaryRuns !== false) {
      return fail(`${what}; a stopped canary watches nothing (start it, or set requireCanaryRuns: false)`);
    }
    caveats.push(`${what} (requireCanaryRuns is false)`);
  }

  const silent = input.metricAlarms.filter((a) => (a.values ?? []).length === 0);
  const canaryRanDuringBake = input.canaries.some(completedInBake);
  const noData = input.metricAlarms.length > 0
    ? silent.length === input.metricAlarms.length
    : !canaryRanDuringBake;
  if (noData) {
    const what = input.metricAlarms.length > 0
      ? `no metric alarm had a datapoint during the ${bake.minutes}-minute bake (${silent.map((a) => a.name).join(', ')})`
      : `no metric alarm is watched and no canary completed a run during the ${bake.minutes}-minute bake`;
    if (bake.noData === 'PASS_WITH_WARNING') {
      return {
        decision: BakeVerdict.PASS,
        reason: `${input.targetId}: baked ${elapsedMinutes} minutes; ${what}`,
        warning: [`${what}; noData is PASS_WITH_WARNING`, ...caveats].join('; '),
      };
    }
    return fail(`${what}; a target nobody measured is not known to be healthy (noData is FAIL)`);
  }

  const short = input.metricAlarms
    .map((a) => ({ name: a.name, healthy: healthyDatapoints(a) }))
    .filter((a) => a.healthy < bake.minHealthyDatapoints);
  if (short.length > 0) {
    return {
      decision: BakeVerdict.WAIT,
      reason: `${input.targetId}: baked ${elapsedMinutes} minutes; waiting for ${bake.minHealthyDatapoints} healthy datapoints: ${short.map((a) => `${a.name} has ${a.healthy}`).join(', ')}`,
    };
  }

  if (silent.length > 0) caveats.push(`no datapoints from ${silent.map((a) => a.name).join(', ')}`);
  const insufficient = alarms.filter((a) => a.state === ALARM_STATE.INSUFFICIENT_DATA);
  if (insufficient.length > 0) caveats.push(`INSUFFICIENT_DATA: ${insufficient.map((a) => a.name).join(', ')}`);
  return {
    decision: BakeVerdict.PASS,
    reason: `${input.targetId}: baked ${elapsedMinutes} of ${bake.minutes} minutes with no alarm`,
    ...(caveats.length > 0 ? { warning: caveats.join('; ') } : {}),
  };

  function fail(what: string): BakeDecision {
    return { decision: BakeVerdict.FAIL, reason: `${input.targetId}: ${what}` };
  }
}

function describeAlarm(alarm: AlarmObservation): string {
  return `alarm ${alarm.name} is in ALARM${alarm.stateReason ? ` (${alarm.stateReason})` : ''}`;
}
