/* eslint-disable import/no-extraneous-dependencies -- types only; the SDK itself loads on first use (aws-clients.ts `sdk`) */
/**
 * Rolls one deployment target back: stops its in-flight CodeDeploy deployments with rollback,
 * resets weighted Lambda aliases to their stable version, and rolls the pipeline stage back to
 * the last execution that succeeded in it. Safe to run any number of times: it reports what it
 * found and touches only what is still in flight.
 */
import type { DeploymentInfo, DeploymentStatus } from '@aws-sdk/client-codedeploy';
import type { PipelineExecutionSummary } from '@aws-sdk/client-codepipeline';
import { ClientFactory, TargetClients, errorName, errorText, sdk } from './aws-clients';
import { DecisionLogger, consoleDecisionLogger } from './decision-log';
import { readHealthManifest } from './health-signal';
import { HealthManifest } from '../model/health-manifest';
import { monitorRoleName } from '../model/naming';
import { PlannedTarget, ReleasePlan, findTarget, planTargets } from '../model/plan';

/** What the rollback did to one thing. */
export const ROLLBACK_ACTION = {
  /** Nothing needed doing (or it is already being done); `found` says why. */
  NONE: 'NONE',
  STOPPED: 'STOPPED',
  RESET: 'RESET',
  ROLLBACK_STARTED: 'ROLLBACK_STARTED',
  /** The item could not be read or changed; `detail` says what and how to fix it. */
  ERROR: 'ERROR',
} as const;

export interface RollbackItem {
  /** `HEALTH_MANIFEST`, `DEPLOYMENT_GROUP`, `DEPLOYMENT`, `ALIAS` or `PIPELINE_STAGE`. */
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

/** Statuses of a deployment still in flight (read from the SDK when first needed: it loads on first use). */
function inFlight(): DeploymentStatus[] {
  const { DeploymentStatus: Status } = sdk.codeDeploy();
  return [Status.CREATED, Status.QUEUED, Status.IN_PROGRESS, Status.READY];
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

  if (targetClients && manifest) {
    for (const group of manifest.deploymentGroups) {
      items.push(...await stopDeployments(targetClients, group.applicationName, group.deploymentGroupName));
    }
    for (const alias of manifest.aliases) {
      items.push(await resetAlias(targetClients, alias.functionName, alias.aliasName));
    }
  }
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
  if (options.logOnlyWhenActing && report.complete && items.every((i) => i.action === ROLLBACK_ACTION.NONE)) return report;
  (deps.log ?? consoleDecisionLogger)({
    level: report.complete ? 'info' : 'error',
    gate: 'ROLLBACK',
    target: target.id,
    decision: report.complete ? 'ROLLED_BACK' : 'INCOMPLETE',
    reason,
    inputs: { items },
  });
  return report;
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
    return rollbackTarget(deps, target, event.reason ?? 'requested by an operator');
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
        applicationName, deploymentGroupName, includeOnlyStatuses: inFlight(), nextToken,
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

/** Why a listed deployment must not be stopped, or `undefined` when it should be. */
function leaveAlone(info: DeploymentInfo): string | undefined {
  if (/rollback$/i.test(info.creator ?? '')) {
    return `is itself a rollback (created by ${info.creator}, ${info.status}); left alone`;
  }
  if (info.rollbackInfo?.rollbackDeploymentId) {
    return `already rolled back by ${info.rollbackInfo.rollbackDeploymentId} (${info.status})`;
  }
  if (!inFlight().includes(info.status as DeploymentStatus)) {
    return `no longer in flight (${info.status})`;
  }
  return undefined;
}

async function resetAlias(clients: TargetClients, functionName: string, aliasName: string): Promise<RollbackItem> {
  const { GetAliasCommand, UpdateAliasCommand } = sdk.lambda();
  const resource = `${functionName}:${aliasName}`;
  try {
    const alias = await clients.lambda.send(new GetAliasCommand({ FunctionName: functionName, Name: aliasName }));
    const weights = alias.RoutingConfig?.AdditionalVersionWeights ?? {};
    if (Object.keys(weights).length === 0) {
      return { kind: 'ALIAS', resource, action: ROLLBACK_ACTION.NONE, detail: `routes all traffic to version ${alias.FunctionVersion}` };
    }
    await clients.lambda.send(new UpdateAliasCommand({
      FunctionName: functionName,
      Name: aliasName,
      FunctionVersion: alias.FunctionVersion,
      RoutingConfig: { AdditionalVersionWeights: {} },
    }));
    const shifted = Object.entries(weights).map(([version, weight]) => `${Math.round(weight * 1000) / 10}% to version ${version}`).join(', ');
    return { kind: 'ALIAS', resource, action: ROLLBACK_ACTION.RESET, detail: `was routing ${shifted}; now all traffic to version ${alias.FunctionVersion}` };
  } catch (err) {
    return { kind: 'ALIAS', resource, action: ROLLBACK_ACTION.ERROR, detail: `cannot reset: ${errorText(err)}` };
  }
}

async function rollBackStage(deps: RollbackDeps, target: PlannedTarget, evenIfSucceeded: boolean): Promise<RollbackItem> {
  const { codePipeline } = deps.clients.pipeline();
  const { GetPipelineCommand, GetPipelineStateCommand, ListPipelineExecutionsCommand, RollbackStageCommand } = sdk.codePipeline();
  const pipelineName = deps.plan.pipelineName;
  const stageName = target.stageName;
  const item = (action: string, detail: string): RollbackItem => ({ kind: 'PIPELINE_STAGE', resource: `${pipelineName}/${stageName}`, action, detail });
  try {
    const pipeline = (await codePipeline.send(new GetPipelineCommand({ name: pipelineName }))).pipeline;
    const stage = pipeline?.stages?.find((s) => s.name === stageName);
    if (!stage) return item(ROLLBACK_ACTION.ERROR, `pipeline ${pipelineName} has no stage ${stageName}; was the pipeline deployed from this plan?`);
    const selfRollingBack = stage.onFailure?.result === 'ROLLBACK';
    if (selfRollingBack && !evenIfSucceeded) {
      return item(ROLLBACK_ACTION.NONE, 'the stage rolls back by itself when it fails (onFailure ROLLBACK)');
    }

    const state = await codePipeline.send(new GetPipelineStateCommand({ name: pipelineName }));
    const latest = state.stageStates?.find((s) => s.stageName === stageName)?.latestExecution;
    if (!latest) return item(ROLLBACK_ACTION.NONE, 'the stage has never run; nothing to roll back');
    if (latest.type === 'ROLLBACK') {
      return item(ROLLBACK_ACTION.NONE, `rollback execution ${latest.pipelineExecutionId} is already ${latest.status === 'InProgress' ? 'running' : latest.status}`);
    }
    if (latest.status === 'Failed' && selfRollingBack) {
      return item(ROLLBACK_ACTION.NONE, 'the stage rolls back by itself when it fails (onFailure ROLLBACK)');
    }
    const rollable = latest.status === 'Failed' || (evenIfSucceeded && latest.status === 'Succeeded');
    if (!rollable) {
      return item(ROLLBACK_ACTION.NONE, latest.status === 'InProgress'
        ? 'the stage is running; CodePipeline rolls back a stage only once it stopped running (it fails when its next gate is rejected)'
        : `the stage is ${latest.status}; CodePipeline rolls back only a failed stage (run this rollback again once it failed, or set onFailure ROLLBACK)`);
    }

    const summaries: PipelineExecutionSummary[] = [];
    let nextToken: string | undefined;
    do {
      const out = await codePipeline.send(new ListPipelineExecutionsCommand({
        pipelineName, filter: { succeededInStage: { stageName } }, nextToken,
      }));
      summaries.push(...(out.pipelineExecutionSummaries ?? []));
      nextToken = out.nextToken;
      // the newest comes first; one page is enough once we have a candidate
    } while (nextToken && !summaries.some((s) => s.pipelineExecutionId !== latest.pipelineExecutionId));
    const previous = summaries
      .filter((s) => s.pipelineExecutionId !== latest.pipelineExecutionId)
      .sort((a, b) => (b.startTime?.getTime() ?? 0) - (a.startTime?.getTime() ?? 0))[0];
    if (!previous?.pipelineExecutionId) {
      return item(ROLLBACK_ACTION.NONE, `the stage ${latest.status === 'Failed' ? 'failed' : 'succeeded'} in execution ${latest.pipelineExecutionId} and no earlier execution succeeded in it; nothing to roll back to`);
    }
    const out = await codePipeline.send(new RollbackStageCommand({
      pipelineName, stageName, targetPipelineExecutionId: previous.pipelineExecutionId,
    }));
    return item(ROLLBACK_ACTION.ROLLBACK_STARTED,
      `the stage ${latest.status === 'Failed' ? 'failed' : 'succeeded'} in execution ${latest.pipelineExecutionId}; rolling back to execution ${previous.pipelineExecutionId} (rollback execution ${out.pipelineExecutionId})`);
  } catch (err) {
    return item(ROLLBACK_ACTION.ERROR, `cannot roll the stage back: ${errorText(err)}`);
  }
}
