/* eslint-disable import/no-extraneous-dependencies -- types only; the SDK itself loads on first use (aws-clients.ts `sdk`) */
/**
 * Rolls one deployment target back: stops its in-flight CodeDeploy deployments with rollback,
 * puts its Lambda aliases back on their stable version (weights dropped, or the version the newest
 * deployment started from), and rolls the pipeline stage back to the last execution that succeeded
 * in it, saying so when CodePipeline cannot. Safe to run any number of times: it reports what it
 * found and touches only what is still in flight.
 */
import type { DeploymentInfo, DeploymentStatus } from '@aws-sdk/client-codedeploy';
import type { CodePipelineClient, PipelineExecutionSummary } from '@aws-sdk/client-codepipeline';
import type { Action as ListenerAction } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ClientFactory, TargetClients, errorName, errorText, sdk } from './aws-clients';
import { DecisionLogger, consoleDecisionLogger } from './decision-log';
import { readHealthManifest } from './health-signal';
import { DEPLOYMENT_LOOKBACK_DAYS, inFlightStatuses, isLaterVersion, newestAliasDeployment } from './stable-version';
import { parseAliasMove } from '../model/alias-move-record';
import { DeploymentGroupRef, HealthManifest, WeightedListenerRef } from '../model/health-manifest';
import { monitorRoleName, parseGateToken } from '../model/naming';
import { PlannedTarget, ReleasePlan, TARGET_KIND, findTarget, planTargets } from '../model/plan';

/** What the rollback did to one thing. */
export const ROLLBACK_ACTION = {
  /** Nothing needed doing (or it is already being done); `found` says why. */
  NONE: 'NONE',
  STOPPED: 'STOPPED',
  RESET: 'RESET',
  ROLLBACK_STARTED: 'ROLLBACK_STARTED',
  /** A gate of the release waiting in the target's stage was rejected: the release stops there. */
  REJECTED: 'REJECTED',
  /**
   * CodePipeline cannot roll the stage back (e.g. no execution of the current pipeline structure
   * version succeeded in it); `detail` says why and what the target itself got instead.
   */
  NOT_POSSIBLE: 'NOT_POSSIBLE',
  /** The item could not be read or changed; `detail` says what and how to fix it. */
  ERROR: 'ERROR',
} as const;

export interface RollbackItem {
  /** `HEALTH_MANIFEST`, `DEPLOYMENT_GROUP`, `DEPLOYMENT`, `ALIAS`, `LISTENER`, `GATE` or `PIPELINE_STAGE`. */
  readonly kind: string;
  /** e.g. `orders/orders-prod-fleet`, `d-8X1EXAMPLE`, `orders-api:live`, `Prod-Wave-1`. */
  readonly resource: string;
  /** A `ROLLBACK_ACTION`. */
  readonly action: string;
  /** What was found and, when something was done, what. */
  readonly detail: string;
}

export interface RollbackReport {
  readonly targetId: string;
  readonly account: string;
  readonly region: string;
  /** When the rollback ran (ISO 8601). */
  readonly at: string;
  /** Why the rollback ran. */
  readonly reason: string;
  readonly items: RollbackItem[];
  /** False when any item is an `ERROR`. */
  readonly complete: boolean;
}

export interface RollbackDeps {
  readonly plan: ReleasePlan;
  readonly now: () => Date;
  readonly clients: ClientFactory;
  /** @default - JSON lines on stdout */
  readonly log?: DecisionLogger;
}

/** Event of the standalone rollback Lambda. */
export interface RollbackEvent {
  readonly targetId: string;
  /** Shown in the report and the log. @default 'requested by an operator' */
  readonly reason?: string;
}

/** The monitor role of a target, as an ARN. */
export function monitorRoleArn(plan: ReleasePlan, target: PlannedTarget): string {
  return `arn:${partitionOf(target.region)}:iam::${target.account}:role/${monitorRoleName(plan.pipelineName, target.id)}`;
}

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export interface RollbackOptions {
  /**
   * Also roll back a stage that succeeded (a late ALARM of a target whose stage completed).
   * `RollbackStage` refuses only a stage that is running (UnableToRollbackStageException:
   * https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_RollbackStage.html), and the
   * target execution must have succeeded in the stage
   * (https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-rollback.html).
   * @default false - only a failed stage
   */
  readonly evenIfStageSucceeded?: boolean;
  /**
   * Write the decision line only when something was done or failed (the sweep re-checks
   * unfinished rollbacks every minute and must not flood the log).
   * @default false
   */
  readonly logOnlyWhenActing?: boolean;
  /**
   * Runs after the target's deployments are stopped and its aliases reset, before its stage is
   * rolled back. The controller rejects the bake gate here: a crash before it leaves the gate open
   * (decided, and rolled back, again on the next run); a crash after it left nothing in flight.
   */
  readonly beforeStage?: () => Promise<void>;
  /**
   * Reject every gate of the release waiting in the target's stage (its bake, another target's
   * bake, the stage's window), so that the stage fails, rolls back by itself (onFailure ROLLBACK)
   * and the release cannot move on. The operators' rollback does this: nothing else would stop a
   * healthy-looking bake from being approved after a person rolled its target back.
   * @default false
   */
  readonly rejectWaitingGates?: boolean;
}

/** Actions that leave nothing more for a later run to do. */
const STANDING: string[] = [ROLLBACK_ACTION.NONE, ROLLBACK_ACTION.NOT_POSSIBLE];

/** Whether the rollback changed something or failed (not only found things as they should be, or as they must stay). */
export function rollbackActed(report: RollbackReport): boolean {
  return report.items.some((i) => !STANDING.includes(i.action));
}

/** Rolls a target back and reports what it found and did, item by item. */
export async function rollbackTarget(
  deps: RollbackDeps, target: PlannedTarget, reason: string, options: RollbackOptions = {},
): Promise<RollbackReport> {
  const items: RollbackItem[] = [];

  let targetClients: TargetClients | undefined;
  let manifest: HealthManifest | undefined;
  try {
    targetClients = await deps.clients.target({ account: target.account, region: target.region, roleArn: monitorRoleArn(deps.plan, target) });
    manifest = await readHealthManifest(targetClients, deps.plan, target);
  } catch (err) {
    items.push({
      kind: 'HEALTH_MANIFEST',
      resource: target.id,
      action: ROLLBACK_ACTION.ERROR,
      detail: `deployments and aliases of the target were not rolled back: ${errorText(err)}`,
    });
  }

  if (targetClients && manifest) items.push(...await rollBackDeploymentsAndAliases(targetClients, manifest, target.kind, deps.now()));
  if (options.rejectWaitingGates) items.push(...await rejectWaitingGates(deps, target, reason));
  if (options.beforeStage) await options.beforeStage();
  items.push(await rollBackStage(deps, target, options.evenIfStageSucceeded ?? false));

  const report: RollbackReport = {
    targetId: target.id,
    account: target.account,
    region: target.region,
    at: deps.now().toISOString(),
    reason,
    items,
    complete: items.every((i) => i.action !== ROLLBACK_ACTION.ERROR),
  };
  if (options.logOnlyWhenActing && !rollbackActed(report)) return report;
  const stageImpossible = items.some((i) => i.action === ROLLBACK_ACTION.NOT_POSSIBLE);
  (deps.log ?? consoleDecisionLogger)({
    level: report.complete && !stageImpossible ? 'info' : 'error',
    gate: 'ROLLBACK',
    target: target.id,
    decision: !report.complete ? 'INCOMPLETE' : stageImpossible ? 'ROLLED_BACK_WITHOUT_STAGE' : 'ROLLED_BACK',
    reason,
    inputs: { items },
  });
  return report;
}

/**
 * The part of a rollback a target does in its own account and region, without the pipeline: its
 * in-flight CodeDeploy deployments stopped with rollback, its aliases back on their stable version.
 * `movedSince` (the alarm rollback) leaves alone an alias that serves all traffic on a version it
 * was moved to before that instant: a release that old is no longer the one baking, and only the
 * pipeline knows whether it is still in flight. A one-box also drains its target group from its
 * weighted listeners (an ECS one-box): no request reaches its release within seconds.
 */
export async function rollBackDeploymentsAndAliases(
  clients: TargetClients, manifest: HealthManifest, kind: string, now: Date, movedSince?: Date,
): Promise<RollbackItem[]> {
  const items: RollbackItem[] = [];
  for (const group of manifest.deploymentGroups) {
    items.push(...await stopDeployments(clients, group.applicationName, group.deploymentGroupName));
  }
  const fleet = kind === TARGET_KIND.FLEET;
  for (const alias of manifest.aliases) {
    items.push(await restoreAlias(clients, manifest.deploymentGroups, alias.functionName, alias.aliasName, now, fleet, movedSince));
  }
  // Only a one-box drains: the fleet's deployment keeps the one-box's weight (the one-box runs the
  // release by then too), and its stage rollback puts the template back.
  if (kind === TARGET_KIND.ONE_BOX) {
    for (const listener of manifest.listeners ?? []) items.push(await drainOneBox(clients, listener));
  }
  return items;
}

/** The standalone rollback Lambda: `{ "targetId": "prod-wave-1-us-east-1-fleet" }`. */
export function createRollbackHandler(deps: RollbackDeps): (event: RollbackEvent) => Promise<RollbackReport> {
  return async (event) => {
    if (typeof event?.targetId !== 'string' || event.targetId === '') {
      throw new Error(`rollback: expected an event like {"targetId": "prod-wave-1-us-east-1-fleet"}, got ${JSON.stringify(event)}`);
    }
    const target = findTarget(deps.plan, event.targetId);
    if (!target) {
      const known = planTargets(deps.plan).map((t) => t.id);
      throw new Error(`rollback: pipeline ${deps.plan.pipelineName} has no target "${event.targetId}"; targets are: ${known.join(', ')}`);
    }
    // An operator's rollback also stops the release: the waiting gates of the target's stage are
    // rejected, and a stage that already succeeded is rolled back too.
    return rollbackTarget(deps, target, event.reason ?? 'requested by an operator', { rejectWaitingGates: true, evenIfStageSucceeded: true });
  };
}

async function stopDeployments(clients: TargetClients, applicationName: string, deploymentGroupName: string): Promise<RollbackItem[]> {
  const { GetDeploymentCommand, ListDeploymentsCommand, StopDeploymentCommand } = sdk.codeDeploy();
  const resource = `${applicationName}/${deploymentGroupName}`;
  const ids: string[] = [];
  try {
    let nextToken: string | undefined;
    do {
      const out = await clients.codeDeploy.send(new ListDeploymentsCommand({
        applicationName, deploymentGroupName, includeOnlyStatuses: inFlightStatuses(), nextToken,
      }));
      ids.push(...(out.deployments ?? []));
      nextToken = out.nextToken;
    } while (nextToken);
  } catch (err) {
    return [{ kind: 'DEPLOYMENT_GROUP', resource, action: ROLLBACK_ACTION.ERROR, detail: `cannot list deployments: ${errorText(err)}` }];
  }
  if (ids.length === 0) {
    return [{ kind: 'DEPLOYMENT_GROUP', resource, action: ROLLBACK_ACTION.NONE, detail: 'no deployment in flight' }];
  }

  const items: RollbackItem[] = [];
  for (const deploymentId of ids) {
    try {
      const info = (await clients.codeDeploy.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo ?? {};
      const untouched = leaveAlone(info);
      if (untouched) {
        items.push({ kind: 'DEPLOYMENT', resource: deploymentId, action: ROLLBACK_ACTION.NONE, detail: `${resource}: ${untouched}` });
        continue;
      }
      const out = await clients.codeDeploy.send(new StopDeploymentCommand({ deploymentId, autoRollbackEnabled: true }));
      items.push({
        kind: 'DEPLOYMENT',
        resource: deploymentId,
        action: ROLLBACK_ACTION.STOPPED,
        detail: `${resource}: was ${info.status}; stopped with rollback (${out.status ?? 'no status'}${out.statusMessage ? `: ${out.statusMessage}` : ''})`,
      });
    } catch (err) {
      if (errorName(err) === 'DeploymentAlreadyCompletedException') {
        // "The deployment is already complete" (StopDeployment errors,
        // https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_StopDeployment.html): it ended between
        // the listing and the stop (another invocation stopped it, or it finished); nothing is left to stop.
        items.push({ kind: 'DEPLOYMENT', resource: deploymentId, action: ROLLBACK_ACTION.NONE, detail: `${resource}: already completed before it could be stopped` });
        continue;
      }
      items.push({ kind: 'DEPLOYMENT', resource: deploymentId, action: ROLLBACK_ACTION.ERROR, detail: `${resource}: cannot stop: ${errorText(err)}` });
    }
  }
  return items;
}

/**
 * Sets the one-box target group's weight to 0 in the listener's weighted forward default action,
 * the others keeping theirs: the ECS one-box's equivalent of resetting an alias.
 * DescribeListeners returns the default actions
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeListeners.html);
 * ModifyListener replaces a list property whole ("To add an item to a list, remove an item from a
 * list, or update an item in a list, you must provide the entire list",
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ModifyListener.html),
 * so every default action is sent back. A weight is 0 to 999
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroupTuple.html);
 * a forward whose weights are all 0 leaves no group to route to, so when the other groups all
 * weigh 0 each takes the one-box's former weight instead.
 */
async function drainOneBox(clients: TargetClients, ref: WeightedListenerRef): Promise<RollbackItem> {
  const { DescribeListenersCommand, ModifyListenerCommand } = sdk.elbv2();
  const resource = ref.listenerArn;
  const item = (action: string, detail: string): RollbackItem => ({ kind: 'LISTENER', resource, action, detail });
  const group = ref.oneBoxTargetGroupArn;
  try {
    const listener = (await clients.elbv2.send(new DescribeListenersCommand({ ListenerArns: [ref.listenerArn] }))).Listeners?.[0];
    if (!listener) return item(ROLLBACK_ACTION.ERROR, 'DescribeListeners returned no such listener; is the health manifest of this stack?');
    const actions = listener.DefaultActions ?? [];
    const forward = actions.find((a) => a.Type === 'forward' && a.ForwardConfig?.TargetGroups?.some((g) => g.TargetGroupArn === group));
    if (!forward) {
      return item(ROLLBACK_ACTION.NONE, `the default action forwards to no target group ${group}; no request reaches the one-box through this listener`);
    }
    const groups = forward.ForwardConfig!.TargetGroups!;
    // An omitted weight is 1 in a forward to several groups (CfnListener TargetGroupTuple, and the CDK's default).
    const weight = (g: { Weight?: number }) => g.Weight ?? 1;
    const oneBoxWeight = weight(groups.find((g) => g.TargetGroupArn === group)!);
    if (oneBoxWeight === 0) return item(ROLLBACK_ACTION.NONE, `the one-box target group ${group} already weighs 0: no request reaches it`);
    const others = groups.filter((g) => g.TargetGroupArn !== group);
    if (others.length === 0) {
      return item(ROLLBACK_ACTION.ERROR, `the default action forwards to the one-box target group ${group} alone; weight 0 would leave no group to route to: forward to the fleet's target group too`);
    }
    const othersAllZero = others.every((g) => weight(g) === 0);
    const drained = groups.map((g) => ({
      TargetGroupArn: g.TargetGroupArn,
      Weight: g.TargetGroupArn === group ? 0 : othersAllZero ? oneBoxWeight : weight(g),
    }));
    const defaultActions = actions.map((a): ListenerAction => (a === forward ? withForward(a, drained) : resendable(a)));
    await clients.elbv2.send(new ModifyListenerCommand({ ListenerArn: ref.listenerArn, DefaultActions: defaultActions }));
    const now = drained.map((g) => `${g.TargetGroupArn} ${g.Weight}`).join(', ');
    return item(ROLLBACK_ACTION.RESET, `the one-box target group ${group} weighed ${oneBoxWeight}; now 0, no new request reaches it (weights: ${now})`);
  } catch (err) {
    return item(ROLLBACK_ACTION.ERROR, `cannot drain the one-box target group ${group}: ${errorText(err)}`);
  }
}

/** The forward action with new weights; `TargetGroupArn` dropped, as it names a single group only. */
function withForward(action: ListenerAction, groups: Array<{ TargetGroupArn?: string; Weight: number }>): ListenerAction {
  const { TargetGroupArn: _single, ...rest } = action;
  return { ...rest, ForwardConfig: { ...action.ForwardConfig, TargetGroups: groups } };
}

/**
 * An action as DescribeListeners returned it, fit to send back: DescribeListeners does not return an
 * OIDC client secret, and ModifyListener then needs `UseExistingClientSecret`
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_AuthenticateOidcActionConfig.html).
 */
function resendable(action: ListenerAction): ListenerAction {
  if (!action.AuthenticateOidcConfig || action.AuthenticateOidcConfig.ClientSecret) return action;
  return { ...action, AuthenticateOidcConfig: { ...action.AuthenticateOidcConfig, UseExistingClientSecret: true } };
}

/** Why a listed deployment must not be stopped, or `undefined` when it should be. */
function leaveAlone(info: DeploymentInfo): string | undefined {
  if (/rollback$/i.test(info.creator ?? '')) {
    return `is itself a rollback (created by ${info.creator}, ${info.status}); left alone`;
  }
  if (info.rollbackInfo?.rollbackDeploymentId) {
    return `already rolled back by ${info.rollbackInfo.rollbackDeploymentId} (${info.status})`;
  }
  if (!inFlightStatuses().includes(info.status as DeploymentStatus)) {
    return `no longer in flight (${info.status})`;
  }
  return undefined;
}

/**
 * Puts an alias back on its stable version. A weighted alias (a CodeDeploy deployment or a
 * one-box still shifting) drops its extra weight. An alias that routes all traffic to the version
 * the newest CodeDeploy deployment moved it to, after that deployment finished, is pointed back at
 * the version the deployment started from (for a LambdaOneBox fleet, which has no CodeDeploy
 * deployment, the version its alias-description note says the fleet deployment moved it from):
 * waiting for the stage rollback to redeploy it takes
 * minutes (the stage re-runs in order), and that redeploy goes through the same deployment group,
 * whose alarm is still in ALARM. `RevisionId` makes that update fail rather than overwrite a
 * change made since the read (https://docs.aws.amazon.com/lambda/latest/api/API_UpdateAlias.html);
 * the next sweep looks again.
 */
async function restoreAlias(
  clients: TargetClients, groups: DeploymentGroupRef[], functionName: string, aliasName: string, now: Date, fleet: boolean, movedSince?: Date,
): Promise<RollbackItem> {
  const { GetAliasCommand, UpdateAliasCommand } = sdk.lambda();
  const resource = `${functionName}:${aliasName}`;
  try {
    const alias = await clients.lambda.send(new GetAliasCommand({ FunctionName: functionName, Name: aliasName }));
    const weights = alias.RoutingConfig?.AdditionalVersionWeights ?? {};
    if (Object.keys(weights).length > 0) {
      await clients.lambda.send(new UpdateAliasCommand({
        FunctionName: functionName,
        Name: aliasName,
        FunctionVersion: alias.FunctionVersion,
        RoutingConfig: { AdditionalVersionWeights: {} },
      }));
      const shifted = Object.entries(weights).map(([version, weight]) => `${Math.round(weight * 1000) / 10}% to version ${version}`).join(', ');
      return { kind: 'ALIAS', resource, action: ROLLBACK_ACTION.RESET, detail: `was routing ${shifted}; now all traffic to version ${alias.FunctionVersion}` };
    }
    const serving = alias.FunctionVersion ?? '';
    /** Every request back on `version`, unless the alias changed since the read; `where` says how we know it is stable. */
    const pointBack = async (version: string, where: string): Promise<RollbackItem> => {
      await clients.lambda.send(new UpdateAliasCommand({
        FunctionName: functionName,
        Name: aliasName,
        FunctionVersion: version,
        RoutingConfig: { AdditionalVersionWeights: {} },
        RevisionId: alias.RevisionId,
      }));
      return { kind: 'ALIAS', resource, action: ROLLBACK_ACTION.RESET, detail: `routed all traffic to version ${serving}, where ${where}; now all traffic to version ${version}` };
    };
    /** Why a move at `at` is too old to undo here, or undefined when it is young enough (or no limit applies). */
    const tooOld = (at: Date | undefined, how: string): RollbackItem | undefined => {
      if (!movedSince || (at && at.getTime() >= movedSince.getTime())) return undefined;
      return {
        kind: 'ALIAS',
        resource,
        action: ROLLBACK_ACTION.NONE,
        detail: `routes all traffic to version ${serving}; ${how} ${at ? `at ${at.toISOString()}` : 'at a time nobody recorded'}, before ${movedSince.toISOString()}: `
          + 'too long ago to be the release baking here, so only the pipeline may roll it back',
      };
    };
    if (groups.length === 0) {
      // A LambdaOneBox fleet deployment notes how it moved the alias (alias-move-record.ts). Only a
      // fleet target reads the note: a one-box never moves the primary, so for it the note is the
      // previous release's, which must stay.
      const move = parseAliasMove(alias.Description);
      if (fleet && move && serving === move.to && isLaterVersion(move.to, move.from)) {
        const how = `the fleet deployment moved it from version ${move.from}`;
        return tooOld(move.at, how) ?? await pointBack(move.from, `${how} (the alias's description says so)`);
      }
      return {
        kind: 'ALIAS',
        resource,
        action: ROLLBACK_ACTION.NONE,
        detail: `routes all traffic to version ${serving}; no CodeDeploy deployment group of the target records a stable version`,
      };
    }
    const last = await newestAliasDeployment(clients, groups, functionName, aliasName, now);
    if (!last) {
      return {
        kind: 'ALIAS',
        resource,
        action: ROLLBACK_ACTION.NONE,
        detail: `routes all traffic to version ${serving}; no deployment of the target's deployment groups moved it in the last ${DEPLOYMENT_LOOKBACK_DAYS} days`,
      };
    }
    const how = `deployment ${last.deploymentId} (${last.status}, created ${last.createTime.toISOString()}) moved it from version ${last.currentVersion} to ${last.targetVersion}`;
    const succeeded = last.status === sdk.codeDeploy().DeploymentStatus.SUCCEEDED;
    if (!succeeded || serving !== last.targetVersion || !isLaterVersion(last.targetVersion, last.currentVersion)) {
      return { kind: 'ALIAS', resource, action: ROLLBACK_ACTION.NONE, detail: `routes all traffic to version ${serving}; the newest ${how}` };
    }
    return tooOld(last.createTime, `deployment ${last.deploymentId} moved it`) ?? await pointBack(last.currentVersion, how);
  } catch (err) {
    return { kind: 'ALIAS', resource, action: ROLLBACK_ACTION.ERROR, detail: `cannot reset: ${errorText(err)}` };
  }
}

async function rollBackStage(deps: RollbackDeps, target: PlannedTarget, evenIfSucceeded: boolean): Promise<RollbackItem> {
  const { GetPipelineCommand, GetPipelineExecutionCommand, GetPipelineStateCommand, RollbackStageCommand } = sdk.codePipeline();
  const { codePipeline } = deps.clients.pipeline();
  const pipelineName = deps.plan.pipelineName;
  const stageName = target.stageName;
  const item = (action: string, detail: string): RollbackItem => ({ kind: 'PIPELINE_STAGE', resource: `${pipelineName}/${stageName}`, action, detail });
  const selfRollback = 'the stage rolls back by itself when it fails (onFailure ROLLBACK)';
  try {
    const pipeline = (await codePipeline.send(new GetPipelineCommand({ name: pipelineName }))).pipeline;
    const stage = pipeline?.stages?.find((s) => s.name === stageName);
    if (!stage) return item(ROLLBACK_ACTION.ERROR, `pipeline ${pipelineName} has no stage ${stageName}; was the pipeline deployed from this plan?`);
    const selfRollingBack = stage.onFailure?.result === 'ROLLBACK';

    const state = await codePipeline.send(new GetPipelineStateCommand({ name: pipelineName }));
    const latest = state.stageStates?.find((s) => s.stageName === stageName)?.latestExecution;
    if (!latest) return item(ROLLBACK_ACTION.NONE, 'the stage has never run; nothing to roll back');
    if (latest.type === 'ROLLBACK') {
      return item(ROLLBACK_ACTION.NONE, `rollback execution ${latest.pipelineExecutionId} is already ${latest.status === 'InProgress' ? 'running' : latest.status}`);
    }
    const rollable = latest.status === 'Failed' || (evenIfSucceeded && latest.status === 'Succeeded');
    if (!rollable) {
      if (selfRollingBack) return item(ROLLBACK_ACTION.NONE, selfRollback);
      return item(ROLLBACK_ACTION.NONE, latest.status === 'InProgress'
        ? 'the stage is running; CodePipeline rolls back a stage only once it stopped running (it fails when its next gate is rejected)'
        : `the stage is ${latest.status}; CodePipeline rolls back only a failed stage (run this rollback again once it failed, or set onFailure ROLLBACK)`);
    }

    const outcome = `the stage ${latest.status === 'Failed' ? 'failed' : 'succeeded'} in execution ${latest.pipelineExecutionId}`;
    const previous = await lastSuccessBefore(codePipeline, pipelineName, stageName, latest.pipelineExecutionId);
    if (!previous) {
      return item(latest.status === 'Failed' ? ROLLBACK_ACTION.NOT_POSSIBLE : ROLLBACK_ACTION.NONE,
        `${outcome} and no earlier execution succeeded in it; nothing to roll back to${latest.status === 'Failed' ? `; ${STAGE_STAYS}` : ''}`);
    }
    // "The pipeline can only roll back to a previous execution if the previous execution was
    // started in the current pipeline structure version"
    // (https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-rollback-auto.html); the first
    // release after a pipeline update has no such execution, and its stage stays failed.
    const previousVersion = (await codePipeline.send(new GetPipelineExecutionCommand({ pipelineName, pipelineExecutionId: previous })))
      ?.pipelineExecution?.pipelineVersion;
    if (pipeline?.version !== undefined && previousVersion !== undefined && previousVersion !== pipeline.version) {
      return item(ROLLBACK_ACTION.NOT_POSSIBLE, `${outcome}; the last execution that succeeded in it, ${previous}, ran in pipeline structure version `
        + `${previousVersion} and the pipeline is at version ${pipeline.version}: CodePipeline rolls a stage back only to an execution of the current `
        + `structure version, so no stage rollback is possible; ${STAGE_STAYS}`);
    }
    if (latest.status === 'Failed' && selfRollingBack) return item(ROLLBACK_ACTION.NONE, selfRollback);
    const out = await codePipeline.send(new RollbackStageCommand({
      pipelineName, stageName, targetPipelineExecutionId: previous,
    }));
    return item(ROLLBACK_ACTION.ROLLBACK_STARTED, `${outcome}; rolling back to execution ${previous} (rollback execution ${out.pipelineExecutionId})`);
  } catch (err) {
    return item(ROLLBACK_ACTION.ERROR, `cannot roll the stage back: ${errorText(err)}`);
  }
}

/** What a failed stage that cannot roll back keeps, and what the rollback did instead. */
const STAGE_STAYS = 'the release stays stopped at this stage, whose stacks keep the failed release until a release deploys over them; '
  + 'the target itself was rolled back above (deployments stopped, aliases back on their stable version)';

/** The newest execution other than `exclude` that succeeded in the stage, or `undefined`. */
async function lastSuccessBefore(
  codePipeline: CodePipelineClient, pipelineName: string, stageName: string, exclude: string | undefined,
): Promise<string | undefined> {
  const { ListPipelineExecutionsCommand } = sdk.codePipeline();
  const summaries: PipelineExecutionSummary[] = [];
  let nextToken: string | undefined;
  do {
    const out = await codePipeline.send(new ListPipelineExecutionsCommand({
      pipelineName, filter: { succeededInStage: { stageName } }, nextToken,
    }));
    summaries.push(...(out.pipelineExecutionSummaries ?? []));
    nextToken = out.nextToken;
    // the newest comes first; one page is enough once we have a candidate
  } while (nextToken && !summaries.some((s) => s.pipelineExecutionId !== exclude));
  return summaries
    .filter((s) => s.pipelineExecutionId !== exclude)
    .sort((a, b) => (b.startTime?.getTime() ?? 0) - (a.startTime?.getTime() ?? 0))[0]?.pipelineExecutionId;
}

/**
 * Rejects every gate (bake or window approval of this library) waiting in the target's stage in a
 * STANDARD execution: the stage fails, CodePipeline rolls it back, and the release stops there.
 */
async function rejectWaitingGates(deps: RollbackDeps, target: PlannedTarget, reason: string): Promise<RollbackItem[]> {
  const { GetPipelineCommand, GetPipelineStateCommand, PutApprovalResultCommand } = sdk.codePipeline();
  const { codePipeline } = deps.clients.pipeline();
  const pipelineName = deps.plan.pipelineName;
  const stageName = target.stageName;
  try {
    const definition = (await codePipeline.send(new GetPipelineCommand({ name: pipelineName }))).pipeline;
    const actions = definition?.stages?.find((s) => s.name === stageName)?.actions ?? [];
    const customData = new Map(actions.map((a) => [a.name, a.configuration?.CustomData]));
    const state = await codePipeline.send(new GetPipelineStateCommand({ name: pipelineName }));
    const stage = state.stageStates?.find((s) => s.stageName === stageName);
    const execution = stage?.latestExecution;
    const waiting = execution?.type === 'ROLLBACK' || execution?.status !== 'InProgress' ? [] : (stage?.actionStates ?? [])
      .filter((a) => parseGateToken(customData.get(a.actionName)) && a.latestExecution?.status === 'InProgress' && a.latestExecution.token);
    if (waiting.length === 0) {
      return [{
        kind: 'GATE',
        resource: `${pipelineName}/${stageName}`,
        action: ROLLBACK_ACTION.NONE,
        detail: `no gate of a release is waiting in the stage (${execution ? `${execution.type ?? 'STANDARD'} execution ${execution.pipelineExecutionId} is ${execution.status}` : 'it has never run'})`,
      }];
    }
    const items: RollbackItem[] = [];
    for (const action of waiting) {
      const resource = `${pipelineName}/${stageName}/${action.actionName}`;
      const summary = truncateSummary(`rejected by the rollback of ${target.id} (${reason}): the release stops here and the stage rolls back`);
      try {
        await codePipeline.send(new PutApprovalResultCommand({
          pipelineName, stageName, actionName: action.actionName!, token: action.latestExecution!.token!, result: { status: 'Rejected', summary },
        }));
        items.push({
          kind: 'GATE',
          resource,
          action: ROLLBACK_ACTION.REJECTED,
          detail: `rejected in execution ${execution!.pipelineExecutionId}, so that the release cannot move on past ${stageName}`,
        });
      } catch (err) {
        const name = errorName(err);
        if (name === 'ApprovalAlreadyCompletedException' || name === 'InvalidApprovalTokenException') {
          items.push({ kind: 'GATE', resource, action: ROLLBACK_ACTION.NONE, detail: `already decided before it could be rejected (${name})` });
        } else {
          items.push({ kind: 'GATE', resource, action: ROLLBACK_ACTION.ERROR, detail: `cannot reject: ${errorText(err)}` });
        }
      }
    }
    return items;
  } catch (err) {
    return [{ kind: 'GATE', resource: `${pipelineName}/${stageName}`, action: ROLLBACK_ACTION.ERROR, detail: `cannot read the stage's gates: ${errorText(err)}` }];
  }
}

/** `PutApprovalResult` takes a summary of at most 512 characters. */
function truncateSummary(text: string): string {
  return text.length <= 512 ? text : `${text.slice(0, 511)}…`;
}
