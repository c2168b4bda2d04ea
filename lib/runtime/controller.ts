/* eslint-disable import/no-extraneous-dependencies -- the AWS SDK is bundled into the Lambda assets at build time */
/**
 * The release controller: drives the pipeline's BAKE and WINDOW gates, which are manual approval
 * actions whose text carries a `gateToken`. On every trigger it finds the gates that are waiting,
 * decides each with the model's rules (`decideBake`, `decideWindowGate`) and approves or rejects
 * them with `PutApprovalResult`. A rejected bake rolls its target back.
 *
 * Triggers: a schedule (every minute) and action state changes sweep every gate; an alarm state
 * change forwarded from a target account evaluates that target's bake gate at once.
 *
 * Besides the gates, every run:
 * - answers the gates of ROLLBACK executions at once (a rollback never waits for a window, the stop
 *   switch or a bake);
 * - checks the alarm blockers of each release in flight (alarm-blockers.ts): an approved target of
 *   the release back in ALARM is rolled back and holds every later gate of that release;
 * - (sweeps) finishes rollbacks that a crash interrupted: a rejected bake gate of a stage whose
 *   CodeDeploy deployment is still in flight or whose alias still routes to the new version.
 *
 * AWS API calls of the controller and of the rollback it runs (the drills' emulator implements
 * exactly these):
 * - pipeline account, controller role: CodePipeline GetPipelineState, GetPipeline,
 *   ListActionExecutions, PutApprovalResult, ListPipelineExecutions, GetPipelineExecution,
 *   RollbackStage; SSM GetParameter (stop switch); STS AssumeRole (each target's monitor role).
 * - target account, monitor role: SSM GetParameter (health manifest); CloudWatch DescribeAlarms,
 *   DescribeAlarmHistory, GetMetricData; Synthetics GetCanaryRuns; CodeDeploy ListDeployments,
 *   GetDeployment, StopDeployment, ListDeploymentTargets, GetDeploymentTarget; Lambda GetAlias,
 *   UpdateAlias.
 */
// eslint-disable-next-line import/no-extraneous-dependencies -- types only; the SDK itself loads on first use (aws-clients.ts `sdk`)
import type { ActionExecution, ApprovalStatus, GetPipelineStateCommandOutput } from '@aws-sdk/client-codepipeline';
import { BLOCKER_STATE, Blocker, findBlockers } from './alarm-blockers';
import { ClientFactory, errorName, errorText, isTransient, sdk } from './aws-clients';
import { DecisionLogger, consoleDecisionLogger } from './decision-log';
import { ExecutionHistory } from './execution-history';
import { SignalUnreadableError, observeBake } from './health-signal';
import { RejectedBake, finishInterruptedRollbacks } from './interrupted-rollbacks';
import { RollbackReport, monitorRoleArn, rollbackTarget } from './rollback';
import { BakeDecision, BakeObservation, BakeVerdict, decideBake, healthyDatapoints } from '../model/bake';
import { StopSwitchState, WindowGateDecision, decideWindowGate } from '../model/gates';
import { GATE, compositeAlarmName, parseGateToken, stageKey } from '../model/naming';
import { PlannedStage, PlannedTarget, ReleasePlan, findTarget, planTargets } from '../model/plan';
import { RegionWindow } from '../model/window/common';

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
  /**
   * Rollbacks run besides rejected gates: targets rolled back by an alarm blocker, and rollbacks
   * a crash had left unfinished that the sweep completed (only those that did something).
   */
  readonly rollbacks?: RollbackReport[];
}

/** A gate that is waiting for the controller. */
interface OpenGate {
  readonly gate: string;
  readonly target: string;
  readonly stageName: string;
  readonly actionName: string;
  readonly token: string;
  readonly since: Date;
  /** The pipeline execution (release) the stage is running. */
  readonly executionId?: string;
  /**
   * The stage runs a ROLLBACK execution (`StageExecution.type`,
   * https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_StageExecution.html): a stage
   * rollback "will result in a new execution" of the stage with the target execution's artifacts
   * (https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-rollback.html), which runs the
   * stage's actions again, its gates included.
   */
  readonly rollbackExecution: boolean;
}

interface Trigger {
  readonly name: string;
  /** Only this target's BAKE gate (alarm events). */
  readonly onlyBakeOf?: PlannedTarget;
}

/** What GetPipelineState says about the gates. */
interface GateScan {
  readonly open: OpenGate[];
  /** In-progress gate approvals that could not be read (no token or start time). */
  readonly unreadable: Array<{ gate: string; target: string; stageName: string; actionName: string }>;
  readonly rejectedBakes: RejectedBake[];
  /** Standard pipeline executions running in some stage: the releases in flight. */
  readonly inFlight: string[];
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
    const { codePipeline } = deps.clients.pipeline();
    const { GetPipelineCommand, GetPipelineStateCommand } = sdk.codePipeline();

    const state = await codePipeline.send(new GetPipelineStateCommand({ name: plan.pipelineName }));
    // The clock is read after the state: an approval that started while GetPipelineState ran must
    // not look as if it started after `now` (an inverted bake window).
    const now = deps.now();
    if (!definition || definition.version === undefined || definition.version !== state.pipelineVersion) {
      const out = await codePipeline.send(new GetPipelineCommand({ name: plan.pipelineName }));
      const customData = new Map<string, string | undefined>();
      for (const stage of out.pipeline?.stages ?? []) {
        for (const action of stage.actions ?? []) customData.set(`${stage.name}/${action.name}`, action.configuration?.CustomData);
      }
      definition = { version: out.pipeline?.version, customData };
    }
    const known = definition.customData;
    const customDataOf = (stageName: string, actionName: string) => known.get(`${stageName}/${actionName}`);
    const scan = scanGates(state, customDataOf);
    const history = new ExecutionHistory(deps.clients, plan);
    const gates: GateOutcome[] = [];
    const rollbacks: RollbackReport[] = [];
    const rolledBack = new Set<string>();

    // Gates of rollback executions first: nothing about the release in flight may delay a rollback.
    for (const gate of scan.open.filter((g) => g.rollbackExecution)) gates.push(await rollbackExecutionGate(deps, log, gate, now));

    // One approval GetPipelineState could not describe must not stop the others from being decided.
    for (const bad of scan.unreadable) {
      if (trigger.onlyBakeOf && (bad.gate !== GATE.BAKE || bad.target !== trigger.onlyBakeOf.id)) continue;
      const reason = `action ${bad.stageName}/${bad.actionName} is in progress but GetPipelineState returned no approval token or start time; skipped, looking again next run`;
      log({ level: 'error', gate: bad.gate, target: bad.target, decision: 'ERROR', reason, inputs: { stageName: bad.stageName, actionName: bad.actionName, now: now.toISOString() } });
      gates.push({ ...bad, decision: 'ERROR', reason, result: GATE_RESULT.ERROR });
    }

    // Alarm blockers of the releases in flight (an alarm event checks only its own target).
    const blockers = await findBlockers(deps.clients, plan, history, scan.inFlight, customDataOf, trigger.onlyBakeOf);
    for (const blocker of blockers) {
      log({
        level: blocker.state === BLOCKER_STATE.ALARM ? 'warn' : 'error',
        gate: 'BLOCKER',
        target: blocker.targetId,
        decision: blocker.state,
        reason: `${blocker.reason}; every later gate of execution ${blocker.executionId} holds until it is ${blocker.state === BLOCKER_STATE.ALARM ? 'OK again' : 'readable'}`,
        inputs: { trigger: trigger.name, executionId: blocker.executionId, now: now.toISOString() },
      });
      if (blocker.target && blocker.state === BLOCKER_STATE.ALARM && !rolledBack.has(blocker.target.id)) {
        rolledBack.add(blocker.target.id);
        rollbacks.push(await rollbackTarget({ ...deps, log }, blocker.target, blocker.reason, { evenIfStageSucceeded: true }));
      }
    }
    const blockersOf = (gate: OpenGate) => blockers.filter((b) => b.executionId === gate.executionId);

    const selected = scan.open.filter((gate) => !gate.rollbackExecution && (!trigger.onlyBakeOf
      || (gate.gate === GATE.BAKE && gate.target === trigger.onlyBakeOf.id) || blockersOf(gate).length > 0));
    if (trigger.onlyBakeOf && blockers.length === 0 && !selected.some((g) => g.gate === GATE.BAKE && g.target === trigger.onlyBakeOf!.id)) {
      log({
        level: 'info',
        gate: GATE.BAKE,
        target: trigger.onlyBakeOf.id,
        decision: 'NONE',
        reason: `alarm ${compositeAlarmName(plan.pipelineName, trigger.onlyBakeOf.id)} changed state but no bake gate of the target is waiting `
          + 'and no release in flight has approved it with its alarm in ALARM',
        inputs: { trigger: trigger.name, now: now.toISOString() },
      });
    }

    const stopSwitch = lazy(() => readStopSwitch(deps.clients, plan));
    for (const gate of selected) {
      const blocking = blockersOf(gate);
      const outcome = gate.gate === GATE.WINDOW
        ? await windowGate(deps, log, gate, now, blocking, stopSwitch)
        : await bakeGate(deps, log, gate, now, blocking);
      if (outcome.rollback) rolledBack.add(outcome.target);
      gates.push(outcome);
    }

    if (!trigger.onlyBakeOf) {
      rollbacks.push(...await finishInterruptedRollbacks({ ...deps, log }, scan.rejectedBakes, history, rolledBack));
    }

    const failed = gates.filter((g) => g.result === GATE_RESULT.ERROR);
    if (failed.length > 0) {
      throw new Error(`could not decide ${failed.length} gate(s), left closed: ${failed.map((g) => `${g.gate} ${g.target}: ${g.reason}`).join('; ')}`);
    }
    return { trigger: trigger.name, gates, ...(rollbacks.length > 0 ? { rollbacks } : {}) };
  };
}

function scanGates(state: GetPipelineStateCommandOutput, customDataOf: (stageName: string, actionName: string) => string | undefined): GateScan {
  const open: OpenGate[] = [];
  const unreadable: GateScan['unreadable'] = [];
  const rejectedBakes: RejectedBake[] = [];
  const inFlight = new Set<string>();
  for (const stage of state.stageStates ?? []) {
    const stageExecution = stage.latestExecution;
    const rollbackExecution = stageExecution?.type === 'ROLLBACK';
    if (stageExecution?.pipelineExecutionId && stageExecution.status === 'InProgress' && !rollbackExecution) inFlight.add(stageExecution.pipelineExecutionId);
    for (const action of stage.actionStates ?? []) {
      const token = parseGateToken(customDataOf(stage.stageName ?? '', action.actionName ?? ''));
      if (!token) continue;
      const execution: ActionExecution | undefined = action.latestExecution;
      if (execution?.status === 'Failed' && token.gate === GATE.BAKE && !rollbackExecution && stageExecution?.pipelineExecutionId) {
        rejectedBakes.push({
          target: token.target, stageName: stage.stageName!, actionName: action.actionName!, executionId: stageExecution.pipelineExecutionId,
        });
      }
      if (execution?.status !== 'InProgress') continue;
      if (!execution.token || !execution.lastStatusChange) {
        unreadable.push({ gate: token.gate, target: token.target, stageName: stage.stageName!, actionName: action.actionName! });
        continue;
      }
      open.push({
        gate: token.gate,
        target: token.target,
        stageName: stage.stageName!,
        actionName: action.actionName!,
        token: execution.token,
        since: execution.lastStatusChange,
        executionId: stageExecution?.pipelineExecutionId,
        rollbackExecution,
      });
    }
  }
  return { open, unreadable, rejectedBakes, inFlight: [...inFlight] };
}

/**
 * A gate of a ROLLBACK execution opens at once, whatever the window, the stop switch or the
 * target's health: the rollback returns the stage to the release that last succeeded in it, and
 * holding it would only keep the bad release in place longer. A bake inside a rollback is
 * approved for the same reason; the decision log says so.
 */
async function rollbackExecutionGate(deps: ControllerDeps, log: DecisionLogger, gate: OpenGate, now: Date): Promise<GateOutcome> {
  const { ApprovalStatus } = sdk.codePipeline();
  const reason = gate.gate === GATE.WINDOW
    ? `rollback execution ${gate.executionId}: a rollback never waits for a deployment window or the stop switch`
    : `rollback execution ${gate.executionId}: approved without baking; the stage is returning to the release that last succeeded in it, and holding the bake would only delay that`;
  return finish(deps, log, gate, { decision: gate.gate === GATE.WINDOW ? 'OPEN' : BakeVerdict.PASS, reason }, {
    stageName: gate.stageName, actionName: gate.actionName, now: now.toISOString(), executionId: gate.executionId, executionType: 'ROLLBACK',
  }, ApprovalStatus.Approved);
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
    const { GetParameterCommand } = sdk.ssm();
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
  deps: ControllerDeps, log: DecisionLogger, gate: OpenGate, now: Date, blockers: Blocker[],
  readStopSwitchOnce: () => Promise<{ state: StopSwitchState; detail: string }>,
): Promise<GateOutcome> {
  if (blockers.length > 0) {
    // An alarm blocker holds the wave before anything else: the release it belongs to is unhealthy.
    return finish(deps, log, gate, { decision: 'HOLD', reason: heldBy(blockers) }, {
      stageName: gate.stageName,
      actionName: gate.actionName,
      now: now.toISOString(),
      heldSince: gate.since.toISOString(),
      blockers: blockers.map(describeBlocker),
    }, undefined);
  }
  const stopSwitch = await readStopSwitchOnce();
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
  const { ApprovalStatus } = sdk.codePipeline();
  const status = decision.decision === 'OPEN' ? ApprovalStatus.Approved : decision.decision === 'FAIL' ? ApprovalStatus.Rejected : undefined;
  return finish(deps, log, gate, { decision: decision.decision, reason: decision.reason }, inputs, status);
}

async function bakeGate(deps: ControllerDeps, log: DecisionLogger, gate: OpenGate, invocationNow: Date, blockers: Blocker[]): Promise<GateOutcome> {
  const { ApprovalStatus } = sdk.codePipeline();
  // CodePipeline's clock and the Lambda's may disagree by a moment: a bake never ends before it starts.
  const now = invocationNow.getTime() < gate.since.getTime() ? gate.since : invocationNow;
  const inputs: Record<string, unknown> = {
    stageName: gate.stageName,
    actionName: gate.actionName,
    now: now.toISOString(),
    bakeStart: gate.since.toISOString(),
    ...(blockers.length > 0 ? { blockers: blockers.map(describeBlocker) } : {}),
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
  decision = applyBlockers(decision, target, blockers);

  const status = decision.decision === BakeVerdict.PASS ? ApprovalStatus.Approved
    : decision.decision === BakeVerdict.FAIL ? ApprovalStatus.Rejected : undefined;
  if (status !== ApprovalStatus.Rejected) return finish(deps, log, gate, decision, inputs, status);
  // The target's deployments and aliases roll back before the gate is rejected, so no crash can
  // leave a rejected bake with its target still deploying; repeating the rollback is harmless.
  let outcome: GateOutcome | undefined;
  const rollback = await rollbackTarget({ ...deps, log }, target, decision.reason, {
    beforeStage: async () => {
      outcome = await finish(deps, log, gate, decision, inputs, status);
    },
  });
  return { ...outcome!, rollback };
}

/**
 * A bake of a release with an alarm blocker never passes. In the blocker's own stage it fails:
 * CodePipeline rolls back only a stage that stopped running, so the stage must fail for the
 * alarmed target to return to the previous release. In a later stage it waits until the blocker
 * clears. A blocker that could not be read only holds (fail closed, nothing known to be wrong).
 */
function applyBlockers(decision: BakeDecision, target: PlannedTarget, blockers: Blocker[]): BakeDecision {
  if (blockers.length === 0 || decision.decision === BakeVerdict.FAIL) return decision;
  const sameStage = blockers.filter((b) => b.state === BLOCKER_STATE.ALARM && b.target?.stageName === target.stageName);
  if (sameStage.length > 0) {
    return {
      decision: BakeVerdict.FAIL,
      reason: `${target.id}: rejected so that stage ${target.stageName} fails and rolls back: ${sameStage.map((b) => b.reason).join('; ')}`,
    };
  }
  return { decision: BakeVerdict.WAIT, reason: `${target.id}: ${heldBy(blockers)} (own bake: ${decision.reason})` };
}

function heldBy(blockers: Blocker[]): string {
  const alarm = blockers.some((b) => b.state === BLOCKER_STATE.ALARM);
  return `held by ${blockers.length === 1 ? 'an alarm blocker' : `${blockers.length} alarm blockers`} until ${alarm ? 'OK again' : 'readable'}: ${blockers.map((b) => b.reason).join('; ')}`;
}

function describeBlocker(b: Blocker): Record<string, string> {
  return { target: b.targetId, executionId: b.executionId, state: b.state };
}

/** Approves or rejects (when `status` is set), logs the decision, and returns the outcome. */
async function finish(
  deps: ControllerDeps, log: DecisionLogger, gate: OpenGate,
  decision: { decision: string; reason: string; warning?: string }, inputs: Record<string, unknown>, status: ApprovalStatus | undefined,
): Promise<GateOutcome> {
  const { ApprovalStatus, PutApprovalResultCommand } = sdk.codePipeline();
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
