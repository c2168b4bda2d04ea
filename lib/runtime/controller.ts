/* eslint-disable import/no-extraneous-dependencies -- the AWS SDK is bundled into the Lambda assets at build time */
/**
 * The release controller: drives the pipeline's BAKE and WINDOW gates, which are manual approval
 * actions whose text carries a `gateToken`. On every trigger it finds the gates that are waiting,
 * decides each with the model's rules (`decideBake`, `decideWindowGate`) and approves or rejects
 * them with `PutApprovalResult`. A rejected bake rolls its target back.
 *
 * Triggers: a schedule (every minute) and action state changes sweep every gate; an alarm state
 * change forwarded from a target account evaluates that target's bake gate at once.
 */
import {
  ActionExecution, ApprovalStatus, GetPipelineCommand, GetPipelineStateCommand, PutApprovalResultCommand,
} from '@aws-sdk/client-codepipeline';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { ClientFactory, errorName, errorText, isTransient } from './aws-clients';
import { DecisionLogger, consoleDecisionLogger } from './decision-log';
import { SignalUnreadableError, observeBake } from './health-signal';
import { RollbackReport, monitorRoleArn, rollbackTarget } from './rollback';
import { BakeDecision, BakeObservation, BakeVerdict, decideBake, healthyDatapoints } from '../model/bake';
import { StopSwitchState, WindowGateDecision, decideWindowGate } from '../model/gates';
import { GATE, compositeAlarmName, parseGateToken, stageKey } from '../model/naming';
import { PlannedStage, PlannedTarget, ReleasePlan, findTarget, planTargets } from '../model/plan';
import { RegionWindow } from '../model/window';

/** `PutApprovalResult` rejects summaries longer than this. */
export const MAX_APPROVAL_SUMMARY = 512;

export interface ControllerDeps {
  readonly plan: ReleasePlan;
  readonly now: () => Date;
  readonly clients: ClientFactory;
  /** @default - JSON lines on stdout */
  readonly log?: DecisionLogger;
}

/** What the controller did to one gate. */
export const GATE_RESULT = {
  APPROVED: 'APPROVED',
  REJECTED: 'REJECTED',
  /** Still waiting (HOLD or WAIT). */
  NONE: 'NONE',
  /** Someone (another invocation, a person) decided the approval first. */
  ALREADY_DECIDED: 'ALREADY_DECIDED',
  /** The gate could not be decided this time (e.g. throttling outlasted the retries); it stays closed. */
  ERROR: 'ERROR',
} as const;

export interface GateOutcome {
  /** `BAKE` or `WINDOW`. */
  readonly gate: string;
  /** Target id (BAKE) or stage key (WINDOW: one gate per CodePipeline stage). */
  readonly target: string;
  readonly stageName: string;
  readonly actionName: string;
  /** The rule's decision: `PASS`/`WAIT`/`FAIL` (BAKE), `OPEN`/`HOLD`/`FAIL` (WINDOW), or `ERROR`. */
  readonly decision: string;
  readonly reason: string;
  /** A `GATE_RESULT`. */
  readonly result: string;
  readonly warning?: string;
  /** Set when a failed bake rolled its target back. */
  readonly rollback?: RollbackReport;
}

export interface ControllerResult {
  /** `SCHEDULE`, `ACTION_STATE_CHANGE` or `ALARM`. */
  readonly trigger: string;
  readonly gates: GateOutcome[];
}

/** A gate that is waiting for the controller. */
interface OpenGate {
  readonly gate: string;
  readonly target: string;
  readonly stageName: string;
  readonly actionName: string;
  readonly token: string;
  readonly since: Date;
}

interface Trigger {
  readonly name: string;
  /** Only this target's BAKE gate (alarm events). */
  readonly onlyBakeOf?: PlannedTarget;
}

/**
 * Builds the controller's Lambda handler. The handler throws on an event it does not understand,
 * and after handling every gate when any of them could not be decided (so the Lambda's error
 * metric shows it); it never approves a gate it could not decide.
 */
export function createControllerHandler(deps: ControllerDeps): (event: unknown) => Promise<ControllerResult> {
  const log = deps.log ?? consoleDecisionLogger;
  const plan = deps.plan;
  // CustomData of each action, by pipeline version: the definition changes only when the pipeline does.
  let definition: { version: number | undefined; customData: Map<string, string | undefined> } | undefined;

  return async (event) => {
    const trigger = classify(plan, event);
    const now = deps.now();
    const { codePipeline } = deps.clients.pipeline();

    const state = await codePipeline.send(new GetPipelineStateCommand({ name: plan.pipelineName }));
    if (!definition || definition.version === undefined || definition.version !== state.pipelineVersion) {
      const out = await codePipeline.send(new GetPipelineCommand({ name: plan.pipelineName }));
      const customData = new Map<string, string | undefined>();
      for (const stage of out.pipeline?.stages ?? []) {
        for (const action of stage.actions ?? []) customData.set(`${stage.name}/${action.name}`, action.configuration?.CustomData);
      }
      definition = { version: out.pipeline?.version, customData };
    }

    const open: OpenGate[] = [];
    for (const stage of state.stageStates ?? []) {
      for (const action of stage.actionStates ?? []) {
        const execution: ActionExecution | undefined = action.latestExecution;
        if (execution?.status !== 'InProgress') continue;
        const token = parseGateToken(definition.customData.get(`${stage.stageName}/${action.actionName}`));
        if (!token) continue;
        if (trigger.onlyBakeOf && (token.gate !== GATE.BAKE || token.target !== trigger.onlyBakeOf.id)) continue;
        if (!execution.token || !execution.lastStatusChange) {
          throw new Error(`action ${stage.stageName}/${action.actionName} is in progress but GetPipelineState returned no approval token or start time`);
        }
        open.push({
          gate: token.gate,
          target: token.target,
          stageName: stage.stageName!,
          actionName: action.actionName!,
          token: execution.token,
          since: execution.lastStatusChange,
        });
      }
    }

    if (trigger.onlyBakeOf && open.length === 0) {
      log({
        level: 'info',
        gate: GATE.BAKE,
        target: trigger.onlyBakeOf.id,
        decision: 'NONE',
        reason: `alarm ${compositeAlarmName(plan.pipelineName, trigger.onlyBakeOf.id)} changed state but no bake gate of the target is waiting`,
        inputs: { trigger: trigger.name, now: now.toISOString() },
      });
    }

    const stopSwitch = lazy(() => readStopSwitch(deps.clients, plan));
    const gates: GateOutcome[] = [];
    for (const gate of open) {
      gates.push(gate.gate === GATE.WINDOW
        ? await windowGate(deps, log, gate, now, await stopSwitch())
        : await bakeGate(deps, log, gate, now));
    }

    const failed = gates.filter((g) => g.result === GATE_RESULT.ERROR);
    if (failed.length > 0) {
      throw new Error(`could not decide ${failed.length} gate(s), left closed: ${failed.map((g) => `${g.gate} ${g.target}: ${g.reason}`).join('; ')}`);
    }
    return { trigger: trigger.name, gates };
  };
}

function classify(plan: ReleasePlan, event: unknown): Trigger {
  const e = (event ?? {}) as Record<string, any>;
  const source = e.source;
  const detailType = e['detail-type'];
  if (source === 'aws.events' && detailType === 'Scheduled Event') return { name: 'SCHEDULE' };
  if (source === 'aws.codepipeline' && detailType === 'CodePipeline Action Execution State Change') {
    if (e.detail?.pipeline !== plan.pipelineName) {
      throw new Error(`action state change of pipeline ${JSON.stringify(e.detail?.pipeline)}; this controller drives pipeline ${plan.pipelineName}`);
    }
    return { name: 'ACTION_STATE_CHANGE' };
  }
  if (source === 'aws.cloudwatch' && detailType === 'CloudWatch Alarm State Change') {
    const alarmName = e.detail?.alarmName;
    const value = e.detail?.state?.value;
    if (typeof alarmName !== 'string' || typeof value !== 'string' || typeof e.account !== 'string' || typeof e.region !== 'string') {
      throw new Error(`malformed CloudWatch Alarm State Change event: expected account, region, detail.alarmName and detail.state.value, got ${truncate(JSON.stringify(event), 500)}`);
    }
    const target = planTargets(plan).find((t) => compositeAlarmName(plan.pipelineName, t.id) === alarmName);
    if (!target) {
      throw new Error(`alarm ${alarmName} is not the release-health alarm of any target of pipeline ${plan.pipelineName}`);
    }
    if (target.account !== e.account || target.region !== e.region) {
      throw new Error(`alarm ${alarmName} arrived from account ${e.account} ${e.region}, but target ${target.id} is in account ${target.account} ${target.region}`);
    }
    return { name: 'ALARM', onlyBakeOf: target };
  }
  throw new Error(`unexpected event (source ${JSON.stringify(source)}, detail-type ${JSON.stringify(detailType)}): the release controller handles scheduled events, `
    + 'CodePipeline Action Execution State Change and CloudWatch Alarm State Change');
}

async function readStopSwitch(clients: ClientFactory, plan: ReleasePlan): Promise<{ state: StopSwitchState; detail: string }> {
  try {
    const out = await clients.pipeline().ssm.send(new GetParameterCommand({ Name: plan.stopSwitchParameterName }));
    const value = (out.Parameter?.Value ?? '').trim().toUpperCase();
    if (value === 'ON' || value === 'OFF') return { state: value, detail: value };
    return { state: 'UNREADABLE', detail: `unexpected value ${JSON.stringify(out.Parameter?.Value)} (expected ON or OFF)` };
  } catch (err) {
    if (errorName(err) === 'ParameterNotFound') return { state: 'MISSING', detail: 'parameter not found' };
    return { state: 'UNREADABLE', detail: errorText(err) };
  }
}

/** The stage whose WINDOW gate carries this key (`stageKey` of its name). */
function findStage(plan: ReleasePlan, key: string): PlannedStage | undefined {
  return plan.stages.find((stage) => stageKey(stage.name) === key);
}

/** Every region of the stage that waits for a window: the gate opens when all of them are open at once. */
function stageWindows(stage: PlannedStage): RegionWindow[] {
  return stage.regions.flatMap((r) => (r.window ? [{ region: r.region, window: r.window }] : []));
}

async function windowGate(
  deps: ControllerDeps, log: DecisionLogger, gate: OpenGate, now: Date, stopSwitch: { state: StopSwitchState; detail: string },
): Promise<GateOutcome> {
  const stage = findStage(deps.plan, gate.target);
  const inputs: Record<string, unknown> = {
    stageName: gate.stageName,
    actionName: gate.actionName,
    now: now.toISOString(),
    heldSince: gate.since.toISOString(),
    stopSwitch: stopSwitch.state,
    stopSwitchDetail: stopSwitch.detail,
    maxHoldMinutes: deps.plan.maxWindowHoldMinutes,
  };
  let decision: WindowGateDecision;
  if (!stage) {
    decision = { decision: 'FAIL', reason: `the plan has no stage ${gate.target}; redeploy the pipeline so that its gates and plan.json match` };
  } else {
    const windows = stageWindows(stage);
    inputs.windows = windows;
    try {
      decision = decideWindowGate({
        windows,
        now,
        stopSwitch: stopSwitch.state,
        heldSince: gate.since,
        maxHoldMinutes: deps.plan.maxWindowHoldMinutes,
        stopSwitchName: deps.plan.stopSwitchParameterName,
      });
    } catch (err) {
      return finish(deps, log, gate, { decision: 'ERROR', reason: `cannot decide the window: ${errorText(err)}` }, inputs, undefined);
    }
    if (decision.opensAt) inputs.opensAt = decision.opensAt.toISOString();
  }
  const status = decision.decision === 'OPEN' ? ApprovalStatus.Approved : decision.decision === 'FAIL' ? ApprovalStatus.Rejected : undefined;
  return finish(deps, log, gate, { decision: decision.decision, reason: decision.reason }, inputs, status);
}

async function bakeGate(deps: ControllerDeps, log: DecisionLogger, gate: OpenGate, now: Date): Promise<GateOutcome> {
  const inputs: Record<string, unknown> = {
    stageName: gate.stageName, actionName: gate.actionName, now: now.toISOString(), bakeStart: gate.since.toISOString(),
  };
  const target = findTarget(deps.plan, gate.target);
  if (!target) {
    return finish(deps, log, gate, {
      decision: BakeVerdict.FAIL, reason: `the plan has no target ${gate.target}; redeploy the pipeline so that its gates and plan.json match`,
    }, inputs, ApprovalStatus.Rejected);
  }
  inputs.bake = target.bake;

  let decision: BakeDecision;
  try {
    const clients = await deps.clients.target({ account: target.account, region: target.region, roleArn: monitorRoleArn(deps.plan, target) });
    const observation = await observeBake(clients, { plan: deps.plan, target, bakeStart: gate.since, now });
    inputs.observation = summarize(observation);
    decision = decideBake(observation);
  } catch (err) {
    if (isTransient(err) || (err instanceof SignalUnreadableError && err.transient)) {
      // Throttling or an outage that outlasted the retries says nothing about the target's health:
      // keep the gate closed and look again on the next sweep.
      return finish(deps, log, gate, { decision: 'ERROR', reason: `health signal of ${target.id} not read this time: ${errorText(err)}` }, inputs, undefined);
    }
    decision = { decision: BakeVerdict.FAIL, reason: `${target.id}: health signal unreadable, ${err instanceof Error ? err.message : String(err)}` };
  }

  const status = decision.decision === BakeVerdict.PASS ? ApprovalStatus.Approved
    : decision.decision === BakeVerdict.FAIL ? ApprovalStatus.Rejected : undefined;
  const outcome = await finish(deps, log, gate, decision, inputs, status);
  if (outcome.result === GATE_RESULT.REJECTED) {
    const rollback = await rollbackTarget({ ...deps, log }, target, decision.reason);
    return { ...outcome, rollback };
  }
  return outcome;
}

/** Approves or rejects (when `status` is set), logs the decision, and returns the outcome. */
async function finish(
  deps: ControllerDeps, log: DecisionLogger, gate: OpenGate,
  decision: { decision: string; reason: string; warning?: string }, inputs: Record<string, unknown>, status: ApprovalStatus | undefined,
): Promise<GateOutcome> {
  let result: string = decision.decision === 'ERROR' ? GATE_RESULT.ERROR : GATE_RESULT.NONE;
  let reason = decision.reason;
  if (status) {
    const summary = truncate(decision.warning ? `${decision.reason} (warning: ${decision.warning})` : decision.reason, MAX_APPROVAL_SUMMARY);
    try {
      await deps.clients.pipeline().codePipeline.send(new PutApprovalResultCommand({
        pipelineName: deps.plan.pipelineName,
        stageName: gate.stageName,
        actionName: gate.actionName,
        token: gate.token,
        result: { status, summary },
      }));
      result = status === ApprovalStatus.Approved ? GATE_RESULT.APPROVED : GATE_RESULT.REJECTED;
    } catch (err) {
      const name = errorName(err);
      if (name === 'ApprovalAlreadyCompletedException' || name === 'InvalidApprovalTokenException') {
        result = GATE_RESULT.ALREADY_DECIDED;
      } else {
        result = GATE_RESULT.ERROR;
        reason = `${decision.reason}; PutApprovalResult ${status} failed: ${errorText(err)}`;
      }
    }
  }
  const level = result === GATE_RESULT.ERROR ? 'error'
    : decision.warning || result === GATE_RESULT.REJECTED ? 'warn' : 'info';
  log({
    level,
    gate: gate.gate,
    target: gate.target,
    decision: decision.decision,
    reason,
    inputs: { ...inputs, result, ...(decision.warning ? { warning: decision.warning } : {}) },
  });
  return {
    gate: gate.gate,
    target: gate.target,
    stageName: gate.stageName,
    actionName: gate.actionName,
    decision: decision.decision,
    reason,
    result,
    ...(decision.warning ? { warning: decision.warning } : {}),
  };
}

/** What the bake read, compactly, for the decision log. */
function summarize(o: BakeObservation): Record<string, unknown> {
  return {
    compositeAlarm: { name: o.compositeAlarm.name, state: o.compositeAlarm.state, alarmedAt: o.compositeAlarm.alarmedAt.map((d) => d.toISOString()) },
    metricAlarms: o.metricAlarms.map((a) => ({
      name: a.name,
      state: a.state,
      alarmedAt: a.alarmedAt.map((d) => d.toISOString()),
      ...(a.values ? { datapoints: a.values.length, healthyDatapoints: healthyDatapoints(a) } : {}),
    })),
    canaries: o.canaries.map((c) => {
      const last = [...c.runs].sort((x, y) => y.startedAt.getTime() - x.startedAt.getTime())[0];
      return { name: c.name, lastRun: last ? { id: last.id, state: last.state, startedAt: last.startedAt.toISOString() } : null };
    }),
  };
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function lazy<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= make());
}
