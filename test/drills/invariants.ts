/**
 * What must hold after every drill, whatever went wrong in it, checked against what the emulated
 * AWS recorded (not against what the controller says it did):
 *
 * 1. No bake approved while any watched alarm was in ALARM during it (its first instant included).
 * 2. No wave starts outside the common window of its regions or while the stop switch is ON.
 * 3. A rollback starts within 60 s of a target's health alarm entering ALARM while it serves a
 *    release in flight, and never waits for a window, the switch or a bake.
 * 4. Every rejected bake ends with CodeDeploy stopped and the target's aliases reset.
 * 5. Nothing approved that could not be read.
 *
 * The window check is independent of lib/model/window.ts: luxon for local time, date-holidays
 * for public holidays, so a bug in the model cannot hide itself.
 */
import { DateTime } from 'luxon';
import { ActionRun, PipelineExecution } from './emulator/codepipeline';
import { TargetResources, versionOf, World } from './world';
import { GATE, healthParameterName, parseGateToken, stageKey } from '../../lib/model/naming';
import { ResolvedWindow } from '../../lib/model/plan';

/** A rollback must start this soon after the health alarm. */
export const ROLLBACK_DEADLINE_SECONDS = 60;

export interface AlarmRollback {
  readonly targetId: string;
  readonly alarmAt: Date;
  /** Seconds to the rollback starting: a ROLLBACK execution of the target's stage, StopDeployment, or its alias back on an older version. */
  readonly seconds?: number;
  readonly how?: string;
  /** Seconds to the target itself being restored: its alias back on an older version, or its stack redeployed by a ROLLBACK execution. */
  readonly restoredSeconds?: number;
}

export interface DrillReport {
  readonly violations: string[];
  readonly rollbacks: AlarmRollback[];
}

export function checkInvariants(world: World): DrillReport {
  const violations: string[] = [];
  const end = world.clock.now();
  const approvals = world.codePipeline.actionRuns.filter((r) => r.action.category === 'Approval');
  for (const run of approvals) {
    const token = parseGateToken(run.action.configuration.CustomData);
    if (!token || run.execution.type !== 'STANDARD') continue;
    if (token.gate === GATE.BAKE) {
      if (run.status === 'Succeeded') violations.push(...bakeApprovedWhileAlarmed(world, run, token.target), ...unreadApproval(world, run, token.target));
      if (run.status === 'Failed' && rejectedByController(world, run)) violations.push(...rollbackIncomplete(world, run, token.target));
    } else if (token.gate === GATE.WINDOW && run.status === 'Succeeded') {
      violations.push(...windowOpenedWrongly(world, run, token.target));
    }
  }
  violations.push(...rollbackGatesWaited(world));
  const rollbacks = alarmRollbacks(world);
  for (const r of rollbacks) {
    if (r.seconds === undefined) {
      violations.push(`rollback: ${r.targetId}'s health alarm entered ALARM at ${iso(r.alarmAt)} and no rollback started by the end of the drill (${iso(end)})`);
    } else if (r.seconds > ROLLBACK_DEADLINE_SECONDS) {
      violations.push(`rollback: ${r.targetId}'s health alarm entered ALARM at ${iso(r.alarmAt)}; the rollback started ${r.seconds} s later (${r.how}), over ${ROLLBACK_DEADLINE_SECONDS} s`);
    }
  }
  return { violations, rollbacks };
}

function iso(d: Date): string {
  return d.toISOString().replace('.000Z', 'Z');
}

function approvedAt(run: ActionRun): Date {
  return run.lastStatusChange;
}

/** Invariant 1. */
export function bakeApprovedWhileAlarmed(world: World, run: ActionRun, targetId: string): string[] {
  const t = world.target(targetId);
  const from = run.startedAt.getTime();
  const to = approvedAt(run).getTime();
  const problems: string[] = [];
  for (const name of [t.composite, ...Object.values(t.metricAlarms)]) {
    for (const interval of t.services.cloudWatch.alarmIntervals(name, world.clock.now())) {
      if (interval.from.getTime() <= to && interval.to.getTime() > from) {
        problems.push(`bake: ${targetId} (${run.stageName}/${run.action.name}, ${run.execution.revision}) approved at ${iso(approvedAt(run))} though ${name} was in ALARM ${iso(interval.from)}..${iso(interval.to)} during its bake (started ${iso(run.startedAt)})`);
      }
    }
  }
  return problems;
}

/** The PutApprovalResult call that answered an approval, and its invocation. */
function answeringCall(world: World, run: ActionRun) {
  return world.journal.calls.find((c) => c.operation === 'PutApprovalResult' && c.ok && c.input.token === run.token);
}

export function rejectedByController(world: World, run: ActionRun): boolean {
  return answeringCall(world, run)?.input.result.status === 'Rejected';
}

/** Invariant 5: the approving invocation read every part of the target's health signal, and nothing of it failed. */
export function unreadApproval(world: World, run: ActionRun, targetId: string): string[] {
  const call = answeringCall(world, run);
  if (!call) return [`read: approval of ${targetId} at ${iso(approvedAt(run))} has no PutApprovalResult call in the journal`];
  const t = world.target(targetId);
  const calls = world.callsOf(call.invocation).filter((c) => c.account === t.target.account && c.region === t.target.region && c.service !== 'sts');
  const needed: Array<[string, string, (input: any) => boolean]> = [
    ['ssm', 'GetParameter', (i) => i.Name === healthParameterName(world.plan.pipelineName, targetId)],
    ['cloudwatch', 'DescribeAlarms', (i) => (i.AlarmNames ?? []).includes(t.composite)],
    ...[t.composite, ...Object.values(t.metricAlarms)].map((name): [string, string, (input: any) => boolean] => ['cloudwatch', 'DescribeAlarmHistory', (i) => i.AlarmName === name]),
    // A target without a canary (the ECS drill service) has no canary runs to read.
    ...(t.canary ? [['synthetics', 'GetCanaryRuns', (i: any) => i.Name === t.canary] as [string, string, (input: any) => boolean]] : []),
  ];
  const problems: string[] = [];
  for (const [service, operation, matches] of needed) {
    if (!calls.some((c) => c.service === service && c.operation === operation && c.ok && matches(c.input))) {
      problems.push(`read: bake of ${targetId} approved at ${iso(approvedAt(run))} (invocation ${call.invocation}) without a successful ${service}:${operation} of its signal`);
    }
  }
  const failed = calls.filter((c) => c.ok === false && isSignalRead(c.operation) && signalOf(t, c.input));
  for (const c of failed) {
    problems.push(`read: bake of ${targetId} approved at ${iso(approvedAt(run))} though ${c.service}:${c.operation} of its signal failed in the same invocation (${c.errorName})`);
  }
  return problems;
}

function isSignalRead(operation: string): boolean {
  return ['GetParameter', 'DescribeAlarms', 'DescribeAlarmHistory', 'GetCanaryRuns', 'GetMetricData'].includes(operation);
}

function signalOf(t: TargetResources, input: any): boolean {
  const names = [t.composite, ...Object.values(t.metricAlarms)];
  return (input.Name !== undefined && (input.Name.includes(`/${t.target.id}/`) || input.Name === t.canary))
    || (input.AlarmName !== undefined && names.includes(input.AlarmName))
    || (Array.isArray(input.AlarmNames) && input.AlarmNames.some((n: string) => names.includes(n)))
    || (Array.isArray(input.MetricDataQueries) && JSON.stringify(input.MetricDataQueries).includes(t.target.id));
}

/** Invariant 2, with an independent reading of each region's window. */
export function windowOpenedWrongly(world: World, run: ActionRun, key: string): string[] {
  const at = approvedAt(run);
  const stage = world.plan.stages.find((s) => stageKey(s.name) === key);
  if (!stage) return [`window: gate ${key} opened at ${iso(at)} but the plan has no such stage`];
  const problems: string[] = [];
  if (world.stopSwitchAt(at) !== 'OFF') problems.push(`window: ${stage.name} (${run.execution.revision}) started at ${iso(at)} while the stop switch was ${world.stopSwitchAt(at)}`);
  for (const region of stage.regions) {
    if (!region.window) continue;
    const closed = closedBecause(region.window, at);
    if (closed) problems.push(`window: ${stage.name} (${run.execution.revision}) started at ${iso(at)} though ${region.region}'s window was closed (${closed})`);
  }
  return problems;
}

const calendars = new Map<string, any>();
function holidayCalendar(country: string): any {
  let calendar = calendars.get(country);
  if (!calendar) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Holidays = require('date-holidays');
    const [code, state] = country.split('-');
    calendar = state ? new Holidays(code, state, { types: ['public'] }) : new Holidays(code, { types: ['public'] });
    calendars.set(country, calendar);
  }
  return calendar;
}

const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

/** Why the window is closed at `at`, or undefined when it is open. */
export function closedBecause(window: ResolvedWindow, at: Date): string | undefined {
  const local = DateTime.fromJSDate(at, { zone: window.timeZone });
  const weekday = WEEKDAYS[local.weekday - 1];
  if (!window.weekdays.includes(weekday)) return `${weekday} ${local.toFormat('HH:mm')} local`;
  if (local.hour < window.startHour || local.hour >= window.endHour) return `${local.toFormat('ccc HH:mm')} local, outside ${window.startHour}-${window.endHour}`;
  const date = local.toISODate()!;
  for (const blackout of window.blackouts) {
    const [from, to] = blackout.split('..');
    if (date >= from && date <= (to ?? from)) return `blackout ${blackout}`;
  }
  if (window.holidayCountry) {
    const holidays = (holidayCalendar(window.holidayCountry).isHoliday(at) || []) as Array<{ type: string; name: string }>;
    const publicOnes = holidays.filter((h) => h.type === 'public');
    if (publicOnes.length > 0) return `public holiday ${publicOnes.map((h) => h.name).join(', ')} in ${window.holidayCountry}`;
  }
  return undefined;
}

/** Invariant 4. */
function rollbackIncomplete(world: World, run: ActionRun, targetId: string): string[] {
  const t = world.target(targetId);
  const bad = versionOf(run.execution.revision);
  const problems: string[] = [];
  const inFlight = t.services.codeDeploy.inFlight(t.applicationName, t.deploymentGroupName).filter((d) => d.toVersion === bad);
  if (inFlight.length > 0) problems.push(`rejected: ${targetId} (${run.execution.revision}) rejected at ${iso(run.lastStatusChange)}; CodeDeploy deployment ${inFlight.map((d) => d.id).join(', ')} still in flight at the end`);
  const alias = t.services.lambda.aliases.get(`${t.functionName}:${t.aliasName}`)!;
  if (alias.functionVersion === bad || alias.weights[bad] !== undefined) {
    problems.push(`rejected: ${targetId} (${run.execution.revision}) rejected at ${iso(run.lastStatusChange)}; alias ${t.functionName}:${t.aliasName} still routes to the rejected version ${bad} at the end (version ${alias.functionVersion}, weights ${JSON.stringify(alias.weights)})`);
  }
  return problems;
}

function statusAt(e: PipelineExecution, at: number): 'InProgress' | 'Done' {
  if (e.startTime.getTime() > at) return 'Done';
  return e.status === 'InProgress' || e.status === 'Stopping' || e.lastUpdateTime.getTime() >= at ? 'InProgress' : 'Done';
}

/** Invariant 3, second half: a gate of a ROLLBACK execution (window, bake) is answered within the deadline. */
export function rollbackGatesWaited(world: World): string[] {
  const end = world.clock.millis;
  return world.codePipeline.actionRuns
    .filter((r) => r.execution.type === 'ROLLBACK' && r.action.category === 'Approval')
    .filter((r) => (r.status === 'InProgress' ? end : r.lastStatusChange.getTime()) - r.startedAt.getTime() > ROLLBACK_DEADLINE_SECONDS * 1000)
    .map((r) => {
      const waited = Math.round(((r.status === 'InProgress' ? end : r.lastStatusChange.getTime()) - r.startedAt.getTime()) / 1000);
      return `rollback: the ROLLBACK execution of ${r.stageName} waited ${waited} s at ${r.action.name} (started ${iso(r.startedAt)}, ${r.status})`;
    });
}

/** Invariant 3 and the latency table: each health alarm of a target serving a release in flight, and when its rollback started. */
function alarmRollbacks(world: World): AlarmRollback[] {
  const results: AlarmRollback[] = [];
  const composites = world.alarmChanges.filter((c) => c.type === 'CompositeAlarm' && c.newState === 'ALARM');
  for (const change of composites) {
    const t = [...world.targets.values()].find((x) => x.composite === change.alarmName)!;
    const at = change.at.getTime();
    const served = servedVersions(t, at);
    const inFlight = world.codePipeline.executions.filter((e) => e.type === 'STANDARD' && statusAt(e, at) === 'InProgress' && served.includes(versionOf(e.revision)));
    if (inFlight.length === 0) continue;
    const bad = versionOf(inFlight[0].revision);
    const starts: Array<{ at: number; how: string }> = [];
    const restores: Array<{ at: number; how: string }> = [];
    for (const e of world.codePipeline.executions) {
      if (e.type === 'ROLLBACK' && e.rollback?.stageName === t.target.stageName && e.startTime.getTime() >= at) {
        starts.push({ at: e.startTime.getTime(), how: `ROLLBACK execution of ${t.target.stageName}` });
      }
    }
    for (const stop of t.services.codeDeploy.stops) {
      const d = t.services.codeDeploy.deployments.find((x) => x.id === stop.deploymentId)!;
      if (d.group.deploymentGroupName === t.deploymentGroupName && stop.at.getTime() >= at) starts.push({ at: stop.at.getTime(), how: `StopDeployment ${d.id}` });
    }
    for (const u of t.services.lambda.updates) {
      if (u.key !== `${t.functionName}:${t.aliasName}` || u.at.getTime() < at) continue;
      const restored = u.after.functionVersion !== bad && u.after.weights[bad] === undefined;
      if (restored) {
        const step = { at: u.at.getTime(), how: `alias ${u.key} back to version ${u.after.functionVersion} (${u.by})` };
        starts.push(step);
        restores.push(step);
      }
    }
    for (const r of world.codePipeline.actionRuns) {
      if (r.execution.type === 'ROLLBACK' && r.action.targetId === t.target.id && r.startedAt.getTime() >= at) {
        restores.push({ at: r.startedAt.getTime(), how: `ROLLBACK execution deploys ${r.action.name}` });
      }
    }
    const first = starts.sort((a, b) => a.at - b.at)[0];
    const restored = restores.sort((a, b) => a.at - b.at)[0];
    results.push({
      targetId: t.target.id,
      alarmAt: change.at,
      ...(first ? { seconds: Math.round((first.at - at) / 1000), how: first.how } : {}),
      ...(restored ? { restoredSeconds: Math.round((restored.at - at) / 1000) } : {}),
    });
  }
  return results;
}

/** Versions the target's alias routes traffic to at `at`. */
function servedVersions(t: TargetResources, at: number): string[] {
  const key = `${t.functionName}:${t.aliasName}`;
  const updates = t.services.lambda.updates.filter((u) => u.key === key && u.at.getTime() <= at);
  const first = t.services.lambda.updates.find((u) => u.key === key)?.before;
  const state = updates.length > 0 ? updates[updates.length - 1].after : first ?? t.services.lambda.aliases.get(key)!;
  return [state.functionVersion, ...Object.keys(state.weights)];
}
