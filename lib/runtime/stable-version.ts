/* eslint-disable import/no-extraneous-dependencies -- types only; the SDK itself loads on first use (aws-clients.ts `sdk`) */
/**
 * The version a Lambda alias served before the release that is being rolled back, learnt from
 * CodeDeploy: the newest deployment of the target's deployment groups that deployed the alias, and
 * the `currentVersion` -> `targetVersion` it moved the alias between
 * (LambdaFunctionInfo, https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_LambdaFunctionInfo.html:
 * currentVersion "the version of a Lambda function that production traffic points to",
 * targetVersion "the version ... that production traffic points to after the Lambda function is
 * deployed"). Lambda keeps no alias history, and "the previous version number" is no stable
 * version (a release that failed before published one too), so CodeDeploy's record is the only
 * one that says which version was stable.
 */
import type { DeploymentInfo, DeploymentStatus, LambdaFunctionInfo } from '@aws-sdk/client-codedeploy';
import { TargetClients, sdk } from './aws-clients';
import { DeploymentGroupRef } from '../model/health-manifest';

/**
 * How far back the newest deployment is looked for, which bounds the calls (one GetDeployment per
 * deployment listed). A deployment older than this belongs to no release a rollback could still
 * concern; when the look-back finds none the alias is left to the stage rollback.
 */
export const DEPLOYMENT_LOOKBACK_DAYS = 30;

/** The statuses of a CodeDeploy deployment that has not ended (a function: the SDK loads on first use). */
export function inFlightStatuses(): DeploymentStatus[] {
  const { DeploymentStatus: Status } = sdk.codeDeploy();
  return [Status.CREATED, Status.QUEUED, Status.IN_PROGRESS, Status.READY];
}

/** The newest finished deployment of an alias, and how it moved the alias. */
export interface AliasDeployment {
  readonly deploymentId: string;
  readonly status: string;
  readonly createTime: Date;
  readonly currentVersion: string;
  readonly targetVersion: string;
}

/**
 * The newest finished deployment (any status) of the groups that deployed `functionName:aliasName`
 * in the look-back, or `undefined` when none did. In-flight deployments and CodeDeploy's own
 * rollback deployments (creator `codeDeployRollback`) are skipped: the first are stopped with
 * rollback by the caller, the second only undo a deployment that is itself listed.
 */
export async function newestAliasDeployment(
  clients: TargetClients, groups: DeploymentGroupRef[], functionName: string, aliasName: string, now: Date,
): Promise<AliasDeployment | undefined> {
  const { GetDeploymentCommand, ListDeploymentsCommand } = sdk.codeDeploy();
  const start = new Date(now.getTime() - DEPLOYMENT_LOOKBACK_DAYS * 24 * 3600_000);
  const candidates: DeploymentInfo[] = [];
  for (const group of groups) {
    let nextToken: string | undefined;
    do {
      const out = await clients.codeDeploy.send(new ListDeploymentsCommand({
        applicationName: group.applicationName, deploymentGroupName: group.deploymentGroupName, createTimeRange: { start, end: now }, nextToken,
      }));
      for (const deploymentId of out.deployments ?? []) {
        const info = (await clients.codeDeploy.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo;
        const lambda = info?.computePlatform === undefined || info.computePlatform === sdk.codeDeploy().ComputePlatform.LAMBDA;
        if (info?.deploymentId && info.createTime && lambda && !inFlightStatuses().includes(info.status as DeploymentStatus) && !/rollback$/i.test(info.creator ?? '')) {
          candidates.push(info);
        }
      }
      nextToken = out.nextToken;
    } while (nextToken);
  }
  // Newest first: the first one that deployed this alias says how the alias got where it is.
  candidates.sort((a, b) => b.createTime!.getTime() - a.createTime!.getTime());
  for (const info of candidates) {
    const lambdaInfo = await aliasTargetOf(clients, info.deploymentId!, functionName, aliasName);
    if (lambdaInfo?.currentVersion && lambdaInfo.targetVersion) {
      return {
        deploymentId: info.deploymentId!,
        status: info.status ?? 'unknown',
        createTime: info.createTime!,
        currentVersion: lambdaInfo.currentVersion,
        targetVersion: lambdaInfo.targetVersion,
      };
    }
  }
  return undefined;
}

/** The deployment's Lambda target for this alias, if it deployed it. */
async function aliasTargetOf(
  clients: TargetClients, deploymentId: string, functionName: string, aliasName: string,
): Promise<LambdaFunctionInfo | undefined> {
  const { GetDeploymentTargetCommand, ListDeploymentTargetsCommand } = sdk.codeDeploy();
  let nextToken: string | undefined;
  do {
    const out = await clients.codeDeploy.send(new ListDeploymentTargetsCommand({ deploymentId, nextToken }));
    for (const targetId of out.targetIds ?? []) {
      const target = (await clients.codeDeploy.send(new GetDeploymentTargetCommand({ deploymentId, targetId }))).deploymentTarget;
      const info = target?.lambdaTarget?.lambdaFunctionInfo;
      if (info && nameOf(info.functionName) === nameOf(functionName) && info.functionAlias === aliasName) return info;
    }
    nextToken = out.nextToken;
  } while (nextToken);
  return undefined;
}

/** A function's name, from a name or an ARN (`arn:aws:lambda:region:account:function:name[:qualifier]`). */
function nameOf(nameOrArn: string | undefined): string | undefined {
  const match = /:function:([^:]+)/.exec(nameOrArn ?? '');
  return match ? match[1] : nameOrArn;
}

/**
 * Whether `target` is a later version than `current`. Lambda numbers the versions it publishes in
 * increasing order and never reuses a number
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-versions.html), so a release moves
 * an alias to a higher number; a deployment to a lower one is itself a rollback.
 */
export function isLaterVersion(target: string, current: string): boolean {
  return /^\d+$/.test(target) && /^\d+$/.test(current) && Number(target) > Number(current);
}
