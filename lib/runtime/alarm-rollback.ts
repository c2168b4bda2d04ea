/**
 * The alarm rollback: the second, independent way a target rolls back. Its health alarm invokes
 * this function as its alarm action, in the target's own account and Region, as the target's
 * monitor role. It stops the target's in-flight CodeDeploy deployments and puts its aliases back
 * on their stable version, the same steps (and code) as the controller's rollback, without the
 * pipeline: no release controller, no pipeline account, no EventBridge delivery between accounts.
 *
 * Why a second path: the controller hears of an alarm through a forwarded event or its next sweep,
 * and while it cannot run (a Lambda outage, a bad deploy of it, its Region impaired) nothing rolls
 * back, and CodeDeploy's own alarm rollback watches only a deployment in progress, which for a
 * fleet ended before its bake. CloudWatch "guarantees an asynchronous invocation of the Lambda
 * function for a given state change" and retries until Lambda takes it
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-actions-Lambda.html).
 *
 * What it leaves to the controller: failing the bake (the pipeline's stage rollback) and stopping
 * the release. When the controller runs again it finds the ALARM in the alarm's history, rejects the
 * bake and rolls the stage back; the target itself is already back on the stable version.
 *
 * An alarm long after a release is not the release's fault as far as this function can tell, so
 * an alias that serves all traffic on a version it was moved to before the alarm's
 * `windowMinutes` is left alone (only the pipeline knows whether that release is still in flight).
 * A weighted alias (a one-box or a CodeDeploy shift still going) and an in-flight deployment are
 * always rolled back: both mean new code is taking a share of traffic right now.
 */
import { TargetClients } from './aws-clients';
import { DecisionLogger, consoleDecisionLogger } from './decision-log';
import { readManifest } from './health-signal';
import { ROLLBACK_ACTION, RollbackItem, RollbackReport, rollBackDeploymentsAndAliases, rollbackActed } from './rollback';
import { ALARM_ROLLBACK_ENV } from '../model/alarm-rollback';
import { compositeAlarmName } from '../model/naming';

/**
 * The event CloudWatch gives a Lambda alarm action ("Lambda alarm action payload",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#Lambda-action-payload);
 * the parts read here.
 */
export interface AlarmActionEvent {
  readonly source: string;
  readonly alarmArn: string;
  readonly accountId: string;
  /** e.g. `2023-08-04T12:36:15.490+0000`. */
  readonly time: string;
  readonly region: string;
  readonly alarmData: {
    readonly alarmName: string;
    readonly state: { readonly value: string; readonly reason?: string; readonly timestamp?: string };
    readonly previousState?: { readonly value: string; readonly timestamp?: string };
  };
}

/** Which target the function rolls back; from its environment (`ReleaseMonitor` sets it). */
export interface AlarmRollbackConfig {
  readonly pipelineName: string;
  readonly targetId: string;
  /** `ONE_BOX` or `FLEET`. */
  readonly targetKind: string;
  readonly account: string;
  readonly region: string;
  /** An alias moved to its version more than this long before the alarm is left to the pipeline. */
  readonly windowMinutes: number;
}

export interface AlarmRollbackDeps {
  readonly config: AlarmRollbackConfig;
  /** Clients with the function's own role (the target's monitor role), in its own account and Region. */
  readonly clients: TargetClients;
  readonly now: () => Date;
  /** @default - JSON lines on stdout */
  readonly log?: DecisionLogger;
}

/** Reads the configuration from the function's environment; one error names every variable missing or wrong. */
export function alarmRollbackConfig(env: Record<string, string | undefined>): AlarmRollbackConfig {
  const problems: string[] = [];
  const text = (name: string) => {
    const value = env[name];
    if (!value) problems.push(`${name} is not set`);
    return value ?? '';
  };
  const pipelineName = text(ALARM_ROLLBACK_ENV.pipelineName);
  const targetId = text(ALARM_ROLLBACK_ENV.targetId);
  const targetKind = text(ALARM_ROLLBACK_ENV.targetKind);
  const account = text(ALARM_ROLLBACK_ENV.account);
  const minutes = Number(text(ALARM_ROLLBACK_ENV.windowMinutes));
  if (!(Number.isInteger(minutes) && minutes > 0)) problems.push(`${ALARM_ROLLBACK_ENV.windowMinutes} is ${JSON.stringify(env[ALARM_ROLLBACK_ENV.windowMinutes])}, not whole minutes above 0`);
  const region = text('AWS_REGION');
  if (problems.length > 0) throw new Error(`alarm rollback: ${problems.join('; ')}; redeploy the ReleaseMonitor with this version of cdk-wave-pipelines`);
  return { pipelineName, targetId, targetKind, account, region, windowMinutes: minutes };
}

/** The Lambda handler over its dependencies. */
export function createAlarmRollbackHandler(deps: AlarmRollbackDeps): (event: AlarmActionEvent) => Promise<RollbackReport> {
  const { config } = deps;
  const log = deps.log ?? consoleDecisionLogger;
  const expectedAlarm = compositeAlarmName(config.pipelineName, config.targetId);
  return async (event) => {
    const now = deps.now();
    const report = (reason: string, items: RollbackItem[]): RollbackReport => ({
      targetId: config.targetId,
      account: config.account,
      region: config.region,
      at: now.toISOString(),
      reason,
      items,
      complete: items.every((i) => i.action !== ROLLBACK_ACTION.ERROR),
    });

    const alarmName = event?.alarmData?.alarmName;
    const state = event?.alarmData?.state?.value;
    if (alarmName !== expectedAlarm || state !== 'ALARM') {
      // Not this target's health alarm entering ALARM (an OK action wired by hand, a test event):
      // nothing to roll back, and a retry would not change that.
      const detail = `the event is ${JSON.stringify(alarmName)} in ${JSON.stringify(state)}; this function rolls ${config.targetId} back only when ${expectedAlarm} enters ALARM`;
      log({ level: 'warn', gate: 'ALARM_ROLLBACK', target: config.targetId, decision: 'IGNORED', reason: detail, inputs: { alarmArn: event?.alarmArn } });
      return report('not the health alarm entering ALARM', [{ kind: 'ALARM', resource: String(alarmName), action: ROLLBACK_ACTION.NONE, detail }]);
    }

    const alarmAt = alarmTime(event) ?? now;
    const movedSince = new Date(alarmAt.getTime() - config.windowMinutes * 60_000);
    const reason = `${expectedAlarm} entered ALARM at ${alarmAt.toISOString()} (the alarm's own action, without the pipeline)`;
    let items: RollbackItem[];
    try {
      const manifest = await readManifest(deps.clients, config.pipelineName, config.targetId, `account ${config.account} ${config.region}`);
      items = await rollBackDeploymentsAndAliases(deps.clients, manifest, config.targetKind, now, movedSince);
    } catch (err) {
      items = [{ kind: 'HEALTH_MANIFEST', resource: config.targetId, action: ROLLBACK_ACTION.ERROR, detail: `deployments and aliases were not rolled back: ${err instanceof Error ? err.message : String(err)}` }];
    }
    const result = report(reason, items);
    log({
      level: result.complete ? 'info' : 'error',
      gate: 'ALARM_ROLLBACK',
      target: config.targetId,
      decision: !result.complete ? 'INCOMPLETE' : rollbackActed(result) ? 'ROLLED_BACK' : 'NOTHING_TO_ROLL_BACK',
      reason,
      inputs: { items, movedSince: movedSince.toISOString() },
    });
    if (!result.complete) {
      // A failed asynchronous invocation is retried by Lambda, twice by default
      // (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html); the
      // steps are idempotent, so a retry finishes what this one could not.
      throw new Error(`alarm rollback of ${config.targetId} incomplete: ${items.filter((i) => i.action === ROLLBACK_ACTION.ERROR).map((i) => `${i.resource}: ${i.detail}`).join('; ')}`);
    }
    return result;
  };
}

/** When the alarm entered ALARM, from the event (CloudWatch writes `2023-08-04T12:36:15.490+0000`). */
function alarmTime(event: AlarmActionEvent): Date | undefined {
  for (const text of [event.alarmData.state.timestamp, event.time]) {
    const at = text ? new Date(text) : undefined;
    if (at && !isNaN(at.getTime())) return at;
  }
  return undefined;
}
