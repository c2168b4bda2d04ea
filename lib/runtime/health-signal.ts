/* eslint-disable import/no-extraneous-dependencies -- types only; the SDK itself loads on first use (aws-clients.ts `sdk`) */
/**
 * Reads one target's release-health signal through its monitor role and turns it into the
 * `BakeObservation` that `decideBake` (lib/model/bake.ts) decides on. Every read that fails
 * raises `SignalUnreadableError` saying what could not be read and how to fix it.
 */
import type { CompositeAlarm, MetricAlarm, MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { TargetClients, errorName, errorText, isTransient, sdk } from './aws-clients';
import { RequestCountUnreadable, readRequestsServed } from './request-count';
import { AlarmObservation, BakeObservation, CanaryObservation, MetricAlarmObservation } from '../model/bake';
import { HEALTH_MANIFEST_VERSION, HealthManifest } from '../model/health-manifest';
import { healthParameterName } from '../model/naming';
import { PlannedTarget, ReleasePlan } from '../model/plan';

/** A part of the health signal could not be read. */
export class SignalUnreadableError extends Error {
  /** Throttling, a timeout or a 5xx that outlasted the SDK's retries: the next sweep may succeed. */
  readonly transient: boolean;
  constructor(what: string, fix: string, cause?: unknown, transient?: boolean) {
    super(`cannot read ${what}${cause === undefined ? '' : `: ${errorText(cause)}`}; ${fix}`);
    this.name = 'SignalUnreadableError';
    this.transient = transient ?? (cause !== undefined && isTransient(cause));
  }
}

const ACCESS_FIX = "check the target's monitor role (deploy the target's ReleaseMonitor)";
const CANARY_RUNS = 5;
/** Upper bound on GetMetricData pages per alarm (a page holds 100,800 datapoints). */
const MAX_METRIC_PAGES = 20;

function where(target: PlannedTarget): string {
  return `account ${target.account} ${target.region}`;
}

/** Reads and checks the target's health manifest (the SSM parameter written by ReleaseMonitor). */
export async function readHealthManifest(clients: TargetClients, plan: ReleasePlan, target: PlannedTarget): Promise<HealthManifest> {
  return readManifest(clients, plan.pipelineName, target.id, where(target));
}

/** The same, by names: `location` says where the parameter lives, for the error messages. */
export async function readManifest(clients: TargetClients, pipelineName: string, targetId: string, location: string): Promise<HealthManifest> {
  const name = healthParameterName(pipelineName, targetId);
  let value: string | undefined;
  try {
    const { GetParameterCommand } = sdk.ssm();
    const out = await clients.ssm.send(new GetParameterCommand({ Name: name }));
    value = out.Parameter?.Value;
  } catch (err) {
    const fix = errorName(err) === 'ParameterNotFound'
      ? `deploy the ReleaseMonitor of target ${targetId} to ${location}`
      : ACCESS_FIX;
    throw new SignalUnreadableError(`health parameter ${name} in ${location}`, fix, err);
  }
  let manifest: HealthManifest;
  try {
    manifest = JSON.parse(value ?? '') as HealthManifest;
  } catch (err) {
    throw new SignalUnreadableError(`health parameter ${name} in ${location}`, 'its value is not JSON; redeploy the ReleaseMonitor', err);
  }
  const problems: string[] = [];
  if (manifest?.schemaVersion !== HEALTH_MANIFEST_VERSION) problems.push(`schemaVersion is ${JSON.stringify(manifest?.schemaVersion)}, expected ${HEALTH_MANIFEST_VERSION}`);
  if (manifest?.targetId !== targetId) problems.push(`targetId is ${JSON.stringify(manifest?.targetId)}, expected "${targetId}"`);
  if (typeof manifest?.compositeAlarmName !== 'string') problems.push('compositeAlarmName is missing');
  for (const field of ['alarmNames', 'canaryNames', 'deploymentGroups', 'aliases'] as const) {
    if (!Array.isArray(manifest?.[field])) problems.push(`${field} is not a list`);
  }
  // Optional: manifests written before the ECS one-box drain have none.
  if (manifest?.listeners !== undefined && !Array.isArray(manifest.listeners)) problems.push('listeners is not a list');
  if (problems.length > 0) {
    throw new SignalUnreadableError(`health parameter ${name} in ${location}`, `${problems.join(', ')}; redeploy the ReleaseMonitor with this version of cdk-wave-pipelines`);
  }
  return manifest;
}

export interface ObserveOptions {
  readonly plan: ReleasePlan;
  readonly target: PlannedTarget;
  readonly bakeStart: Date;
  readonly now: Date;
}

/** Reads everything `decideBake` needs about one target. */
export async function observeBake(clients: TargetClients, options: ObserveOptions): Promise<BakeObservation> {
  const { target, bakeStart, now } = options;
  const manifest = await readHealthManifest(clients, options.plan, target);

  const names = [manifest.compositeAlarmName, ...manifest.alarmNames];
  const { composites, metrics } = await describeAlarms(clients, target, names);
  const composite = composites.get(manifest.compositeAlarmName);
  const missing = names.filter((n) => !composites.has(n) && !metrics.has(n));
  if (!composite || missing.length > 0) {
    throw new SignalUnreadableError(
      `alarm${missing.length === 1 ? '' : 's'} ${missing.join(', ')} in ${where(target)}`,
      `the alarm${missing.length === 1 ? ' does' : 's do'} not exist (or ${manifest.compositeAlarmName} is not a composite alarm); deploy the target's ReleaseMonitor`,
    );
  }

  // Datapoints only matter once the bake time has run; skipping them before keeps a long bake cheap.
  const elapsed = now.getTime() - bakeStart.getTime() >= target.bake.minutes * 60_000 && target.bake.minutes > 0;

  const compositeAlarm: AlarmObservation = {
    name: composite.AlarmName!,
    state: composite.StateValue ?? 'INSUFFICIENT_DATA',
    stateReason: composite.StateReason,
    ...await alarmHistory(clients, target, composite, bakeStart, now),
  };
  const metricAlarms: MetricAlarmObservation[] = [];
  const compositeAlarms: AlarmObservation[] = [];
  for (const name of manifest.alarmNames) {
    const watchedComposite = composites.get(name);
    if (watchedComposite) {
      // A composite among the user's alarms: its state and history count, it has no datapoints.
      compositeAlarms.push({
        name,
        state: watchedComposite.StateValue ?? 'INSUFFICIENT_DATA',
        stateReason: watchedComposite.StateReason,
        ...await alarmHistory(clients, target, watchedComposite, bakeStart, now),
      });
      continue;
    }
    const alarm = metrics.get(name)!;
    metricAlarms.push({
      name,
      state: alarm.StateValue ?? 'INSUFFICIENT_DATA',
      stateReason: alarm.StateReason,
      ...await alarmHistory(clients, target, alarm, bakeStart, now),
      threshold: alarm.Threshold,
      comparisonOperator: alarm.ComparisonOperator,
      ...(elapsed ? { values: await metricValues(clients, target, alarm, bakeStart, now) } : {}),
    });
  }

  const canaries: CanaryObservation[] = [];
  for (const name of manifest.canaryNames) canaries.push(await canaryRuns(clients, target, name));

  let requestsServed: number | undefined;
  if (elapsed && (target.bake.minRequests ?? 0) > 0) {
    try {
      requestsServed = await readRequestsServed(clients, target, manifest, bakeStart, now);
    } catch (err) {
      if (err instanceof RequestCountUnreadable) throw new SignalUnreadableError(err.what, err.fix, err.cause);
      throw err;
    }
  }
  return {
    targetId: target.id,
    bake: target.bake,
    bakeStart,
    now,
    compositeAlarm,
    metricAlarms,
    ...(compositeAlarms.length > 0 ? { compositeAlarms } : {}),
    canaries,
    ...(requestsServed !== undefined ? { requestsServed } : {}),
  };
}

async function describeAlarms(clients: TargetClients, target: PlannedTarget, names: string[]) {
  const { AlarmType, DescribeAlarmsCommand } = sdk.cloudWatch();
  const composites = new Map<string, CompositeAlarm>();
  const metrics = new Map<string, MetricAlarm>();
  // DescribeAlarms takes at most 100 names.
  for (let i = 0; i < names.length; i += 100) {
    let nextToken: string | undefined;
    do {
      let out;
      try {
        out = await clients.cloudWatch.send(new DescribeAlarmsCommand({
          AlarmNames: names.slice(i, i + 100),
          AlarmTypes: [AlarmType.CompositeAlarm, AlarmType.MetricAlarm],
          NextToken: nextToken,
        }));
      } catch (err) {
        throw new SignalUnreadableError(`alarms ${names.join(', ')} in ${where(target)}`, ACCESS_FIX, err);
      }
      for (const a of out.CompositeAlarms ?? []) composites.set(a.AlarmName!, a);
      for (const a of out.MetricAlarms ?? []) metrics.set(a.AlarmName!, a);
      nextToken = out.NextToken;
    } while (nextToken);
  }
  return { composites, metrics };
}

interface StateChange {
  readonly at: Date;
  readonly from?: string;
  readonly to?: string;
}

/**
 * Whether the alarm was in ALARM at any instant between `since` and `now`, from its state-update
 * history: the old state of its first change in the range is its state at `since`, and every change
 * into ALARM after counts. An alarm that changed state in the range (its
 * `StateTransitionedTimestamp`) but shows no change in the history is not known to have been OK
 * at `since`; that is reported as a transient read failure, so the gate stays closed and looks again.
 */
async function alarmHistory(
  clients: TargetClients, target: PlannedTarget, alarm: MetricAlarm | CompositeAlarm, since: Date, now: Date,
): Promise<{ alarmedAt: Date[]; alarmAtBakeStart: boolean }> {
  const { AlarmType, DescribeAlarmHistoryCommand, HistoryItemType } = sdk.cloudWatch();
  const alarmName = alarm.AlarmName!;
  const changes: StateChange[] = [];
  let nextToken: string | undefined;
  do {
    let out;
    try {
      // Composite alarms' history needs AlarmTypes to include CompositeAlarm (metric alarms only otherwise):
      // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarmHistory.html
      out = await clients.cloudWatch.send(new DescribeAlarmHistoryCommand({
        AlarmName: alarmName,
        AlarmTypes: [AlarmType.CompositeAlarm, AlarmType.MetricAlarm],
        HistoryItemType: HistoryItemType.StateUpdate,
        StartDate: since,
        EndDate: now,
        NextToken: nextToken,
      }));
    } catch (err) {
      throw new SignalUnreadableError(`state history of alarm ${alarmName} in ${where(target)}`, ACCESS_FIX, err);
    }
    for (const item of out.AlarmHistoryItems ?? []) {
      if (item.Timestamp) changes.push({ at: item.Timestamp, ...stateChange(item.HistoryData, item.HistorySummary) });
    }
    nextToken = out.NextToken;
  } while (nextToken);
  changes.sort((a, b) => a.at.getTime() - b.at.getTime());

  const transitioned = alarm.StateTransitionedTimestamp;
  if (changes.length === 0 && transitioned && transitioned.getTime() >= since.getTime() && transitioned.getTime() <= now.getTime()) {
    throw new SignalUnreadableError(
      `state history of alarm ${alarmName} in ${where(target)}`,
      `the alarm changed state at ${transitioned.toISOString()}, during the bake, but its history shows no change yet; looking again`,
      undefined, true,
    );
  }
  const first = changes[0];
  return {
    alarmedAt: changes.filter((c) => c.to === 'ALARM').map((c) => c.at),
    alarmAtBakeStart: first ? first.from === 'ALARM' : alarm.StateValue === 'ALARM',
  };
}

/** Old and new state of a history item: from its JSON `HistoryData`, else from "Alarm updated from OK to ALARM". */
function stateChange(historyData: string | undefined, summary: string | undefined): { from?: string; to?: string } {
  try {
    const data = JSON.parse(historyData ?? '');
    if (data?.newState?.stateValue) return { from: data.oldState?.stateValue, to: data.newState.stateValue };
  } catch {
    // fall back to the summary
  }
  const match = /\bfrom (\w+) to (\w+)\b/.exec(summary ?? '');
  return match ? { from: match[1], to: match[2] } : {};
}

/** Values of the metric (or metric-math expression) an alarm evaluates, between `start` and `end`. */
async function metricValues(clients: TargetClients, target: PlannedTarget, alarm: MetricAlarm, start: Date, end: Date): Promise<number[]> {
  let queries: MetricDataQuery[];
  let returned: string;
  if (alarm.Metrics && alarm.Metrics.length > 0) {
    queries = alarm.Metrics.map((m) => ({
      Id: m.Id,
      Expression: m.Expression,
      MetricStat: m.MetricStat,
      Label: m.Label,
      ReturnData: m.ReturnData,
      Period: m.Period,
      AccountId: m.AccountId,
    }));
    returned = alarm.Metrics.find((m) => m.ReturnData)?.Id ?? alarm.Metrics[0].Id!;
  } else if (alarm.MetricName && alarm.Namespace && alarm.Period) {
    queries = [{
      Id: 'm0',
      MetricStat: {
        Metric: { Namespace: alarm.Namespace, MetricName: alarm.MetricName, Dimensions: alarm.Dimensions },
        Period: alarm.Period,
        Stat: alarm.Statistic ?? alarm.ExtendedStatistic,
        Unit: alarm.Unit,
      },
      ReturnData: true,
    }];
    returned = 'm0';
  } else {
    throw new SignalUnreadableError(`the metric of alarm ${alarm.AlarmName} in ${where(target)}`, 'the alarm has neither a metric nor metric-math queries');
  }

  const { GetMetricDataCommand, ScanBy } = sdk.cloudWatch();
  const values: number[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    let out;
    try {
      out = await clients.cloudWatch.send(new GetMetricDataCommand({
        MetricDataQueries: queries, StartTime: start, EndTime: end, ScanBy: ScanBy.TIMESTAMP_ASCENDING, NextToken: nextToken,
      }));
    } catch (err) {
      throw new SignalUnreadableError(`datapoints of alarm ${alarm.AlarmName} in ${where(target)}`, ACCESS_FIX, err);
    }
    for (const result of out.MetricDataResults ?? []) {
      if (result.Id === returned) values.push(...(result.Values ?? []));
    }
    nextToken = out.NextToken;
  } while (nextToken && ++pages < MAX_METRIC_PAGES);
  return values;
}

async function canaryRuns(clients: TargetClients, target: PlannedTarget, name: string): Promise<CanaryObservation> {
  const { GetCanaryRunsCommand } = sdk.synthetics();
  let out;
  try {
    out = await clients.synthetics.send(new GetCanaryRunsCommand({ Name: name, MaxResults: CANARY_RUNS }));
  } catch (err) {
    const fix = errorName(err) === 'ResourceNotFoundException' ? "the canary does not exist; deploy the target's ReleaseMonitor" : ACCESS_FIX;
    throw new SignalUnreadableError(`runs of canary ${name} in ${where(target)}`, fix, err);
  }
  return {
    name,
    runs: (out.CanaryRuns ?? []).filter((r) => r.Timeline?.Started).map((r) => ({
      id: r.Id ?? '?',
      state: r.Status?.State ?? 'RUNNING',
      startedAt: r.Timeline!.Started!,
      reason: r.Status?.StateReason,
    })),
  };
}
