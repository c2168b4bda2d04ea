/**
 * CodeDeploy Lambda deployments of one account and region: a time-based canary shifts a weight of
 * the alias to the new version, then all of it. A deployment group with alarms stops and rolls back
 * a deployment whose alarm goes off (DEPLOYMENT_STOP_ON_ALARM); StopDeployment with
 * autoRollbackEnabled rolls back too (DEPLOYMENT_STOP_ON_REQUEST).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-codedeploy-deploymentgroup-autorollbackconfiguration.html
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_StopDeployment.html
 *
 * Each deployment records how it moves the alias, as its Lambda target's LambdaFunctionInfo
 * (currentVersion: "the version ... that production traffic points to", targetVersion: "... after
 * the Lambda function is deployed"), returned by ListDeploymentTargets/GetDeploymentTarget:
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_LambdaFunctionInfo.html
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_GetDeploymentTarget.html
 */
import { awsError, unimplemented } from './aws-errors';
import { LambdaEmulator } from './lambda';
import { MINUTE, SimClock } from './sim-clock';

export type DeploymentStatus = 'Created' | 'Queued' | 'InProgress' | 'Baking' | 'Succeeded' | 'Failed' | 'Stopped' | 'Ready';
const IN_FLIGHT: DeploymentStatus[] = ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'];

export interface DeploymentGroupSpec {
  readonly applicationName: string;
  readonly deploymentGroupName: string;
  readonly functionName: string;
  readonly aliasName: string;
  /** Time-based canary: this share of traffic for `canaryMinutes`, then all of it. */
  readonly canaryPercentage: number;
  readonly canaryMinutes: number;
  /** Whether an alarm of the group is in ALARM now. */
  readonly alarmInAlarm: () => boolean;
}

export interface DeploymentRecord {
  readonly id: string;
  readonly group: DeploymentGroupSpec;
  status: DeploymentStatus;
  /** `user`, `CloudFormation`, `codeDeployRollback`, ... (DeploymentInfo.creator) */
  readonly creator: string;
  readonly fromVersion: string;
  readonly toVersion: string;
  readonly createdAt: Date;
  completedAt?: Date;
  rollbackDeploymentId?: string;
  stoppedBy?: 'ALARM' | 'REQUEST';
  readonly onDone?: (ok: boolean, summary: string) => void;
}

export class CodeDeployEmulator {
  private readonly groups = new Map<string, DeploymentGroupSpec>();
  readonly deployments: DeploymentRecord[] = [];
  /** Every StopDeployment accepted, for the drills' journal. */
  readonly stops: Array<{ deploymentId: string; at: Date; autoRollback: boolean }> = [];
  private counter = 0;

  constructor(private readonly clock: SimClock, private readonly lambda: LambdaEmulator) {}

  addGroup(spec: DeploymentGroupSpec): void {
    this.groups.set(`${spec.applicationName}/${spec.deploymentGroupName}`, spec);
  }

  /**
   * A deployment of a new version (CloudFormation's CodeDeployLambdaAliasUpdate creates it and the
   * stack update waits for it), calling `onDone` when it succeeds, fails or is stopped.
   */
  deploy(
    applicationName: string, deploymentGroupName: string, toVersion: string, creator: string, onDone?: (ok: boolean, summary: string) => void,
  ): DeploymentRecord {
    const group = this.groups.get(`${applicationName}/${deploymentGroupName}`);
    if (!group) throw new Error(`emulator: no deployment group ${applicationName}/${deploymentGroupName}`);
    const alias = this.lambda.aliases.get(LambdaEmulator.key(group.functionName, group.aliasName))!;
    const record: DeploymentRecord = {
      id: `d-${(++this.counter).toString(36).toUpperCase().padStart(9, '0')}`,
      group,
      status: 'InProgress',
      creator,
      fromVersion: alias.functionVersion,
      toVersion,
      createdAt: this.clock.now(),
      onDone,
    };
    this.deployments.push(record);
    if (record.fromVersion === toVersion) {
      this.complete(record, 'Succeeded', 'no change');
      return record;
    }
    const weights = { [toVersion]: group.canaryPercentage / 100 };
    this.lambda.setAlias(group.functionName, group.aliasName, { functionVersion: record.fromVersion, weights });
    this.watchAlarms(record, 0);
    this.clock.after(group.canaryMinutes * MINUTE, `codedeploy ${record.id} shift all traffic`, () => {
      if (record.status !== 'InProgress') return;
      this.lambda.setAlias(group.functionName, group.aliasName, { functionVersion: toVersion, weights: {} });
      this.complete(record, 'Succeeded', `shifted all traffic to version ${toVersion}`);
    });
    return record;
  }

  /** CodeDeploy polls the group's alarms while the deployment runs. */
  private watchAlarms(record: DeploymentRecord, elapsed: number): void {
    if (record.status !== 'InProgress') return;
    if (record.group.alarmInAlarm()) {
      this.stop(record, true, 'ALARM');
      return;
    }
    this.clock.after(MINUTE, `codedeploy ${record.id} alarm poll`, () => this.watchAlarms(record, elapsed + 1));
  }

  private complete(record: DeploymentRecord, status: DeploymentStatus, summary: string): void {
    record.status = status;
    record.completedAt = this.clock.now();
    record.onDone?.(status === 'Succeeded', summary);
  }

  private stop(record: DeploymentRecord, rollback: boolean, by: 'ALARM' | 'REQUEST'): void {
    record.stoppedBy = by;
    if (rollback) {
      // The rollback is a deployment of its own (creator codeDeployRollback) back to the old version.
      const group = record.group;
      const back: DeploymentRecord = {
        id: `d-${(++this.counter).toString(36).toUpperCase().padStart(9, '0')}`,
        group,
        status: 'Succeeded',
        creator: 'codeDeployRollback',
        fromVersion: record.toVersion,
        toVersion: record.fromVersion,
        createdAt: this.clock.now(),
        completedAt: this.clock.now(),
      };
      this.deployments.push(back);
      record.rollbackDeploymentId = back.id;
      this.lambda.setAlias(group.functionName, group.aliasName, { functionVersion: record.fromVersion, weights: {} });
    }
    this.complete(record, 'Stopped', `stopped (${by === 'ALARM' ? 'alarm' : 'StopDeployment'})${rollback ? ' and rolled back' : ''}`);
  }

  handle(operation: string, input: any): any {
    switch (operation) {
      case 'ListDeployments': {
        const key = `${input.applicationName}/${input.deploymentGroupName}`;
        if (!this.groups.has(key)) throw awsError('DeploymentGroupDoesNotExistException', `No deployment group ${key}`, 400);
        const statuses: string[] | undefined = input.includeOnlyStatuses;
        // createTimeRange: "the start time of the time range" and "the end time", both optional.
        // https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_TimeRange.html
        const range: { start?: Date; end?: Date } | undefined = input.createTimeRange;
        const ids = this.deployments
          .filter((d) => `${d.group.applicationName}/${d.group.deploymentGroupName}` === key)
          .filter((d) => !statuses || statuses.includes(d.status))
          .filter((d) => !range?.start || d.createdAt.getTime() >= new Date(range.start).getTime())
          .filter((d) => !range?.end || d.createdAt.getTime() <= new Date(range.end).getTime())
          .map((d) => d.id)
          .reverse();
        return { deployments: ids };
      }
      case 'GetDeployment': {
        const d = this.find(input.deploymentId);
        return {
          deploymentInfo: {
            deploymentId: d.id,
            applicationName: d.group.applicationName,
            deploymentGroupName: d.group.deploymentGroupName,
            status: d.status,
            computePlatform: 'Lambda',
            creator: d.creator,
            createTime: d.createdAt,
            ...(d.completedAt ? { completeTime: d.completedAt } : {}),
            ...(d.rollbackDeploymentId ? { rollbackInfo: { rollbackDeploymentId: d.rollbackDeploymentId } } : {}),
          },
        };
      }
      case 'ListDeploymentTargets': {
        const d = this.find(input.deploymentId);
        return { targetIds: [targetIdOf(d)] };
      }
      case 'GetDeploymentTarget': {
        const d = this.find(input.deploymentId);
        if (input.targetId !== targetIdOf(d)) throw awsError('DeploymentTargetDoesNotExistException', `No target ${input.targetId} in ${d.id}`, 400);
        return {
          deploymentTarget: {
            deploymentTargetType: 'LambdaTarget',
            lambdaTarget: {
              deploymentId: d.id,
              targetId: targetIdOf(d),
              status: d.status,
              lambdaFunctionInfo: {
                functionName: d.group.functionName,
                functionAlias: d.group.aliasName,
                currentVersion: d.fromVersion,
                targetVersion: d.toVersion,
              },
            },
          },
        };
      }
      case 'StopDeployment': {
        const d = this.find(input.deploymentId);
        // "DeploymentAlreadyCompletedException: The deployment is already complete." (HTTP 400)
        if (!IN_FLIGHT.includes(d.status)) throw awsError('DeploymentAlreadyCompletedException', `The deployment ${d.id} is already complete (${d.status})`, 400);
        this.stops.push({ deploymentId: d.id, at: this.clock.now(), autoRollback: input.autoRollbackEnabled === true });
        this.stop(d, input.autoRollbackEnabled === true, 'REQUEST');
        return { status: 'Succeeded', statusMessage: 'Deployment stopped' };
      }
      default:
        throw unimplemented('codedeploy', operation);
    }
  }

  private find(id: string): DeploymentRecord {
    const d = this.deployments.find((x) => x.id === id);
    if (!d) throw awsError('DeploymentDoesNotExistException', `The deployment ${id} does not exist`, 400);
    return d;
  }

  inFlight(applicationName: string, deploymentGroupName: string): DeploymentRecord[] {
    return this.deployments.filter((d) => d.group.applicationName === applicationName
      && d.group.deploymentGroupName === deploymentGroupName && IN_FLIGHT.includes(d.status));
  }
}

/** A Lambda deployment's one target: its function and alias. */
function targetIdOf(d: DeploymentRecord): string {
  return `${d.group.functionName}:${d.group.aliasName}`;
}
