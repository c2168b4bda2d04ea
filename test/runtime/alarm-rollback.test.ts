import {
  GetDeploymentCommand, GetDeploymentTargetCommand, ListDeploymentTargetsCommand, ListDeploymentsCommand, StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import { GetAliasCommand, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { FLEET, FLEET_COMPOSITE, FLEET_HEALTH_PARAMETER, MANIFEST, ONEBOX, PIPELINE, PROD_ACCOUNT, awsError, captureLog, mockAws } from './fixtures';
import { ALARM_ROLLBACK_ENV } from '../../lib/model/alarm-rollback';
import { aliasMoveDescription } from '../../lib/model/alias-move-record';
import { compositeAlarmName, healthParameterName } from '../../lib/model/naming';
import { AlarmActionEvent, alarmRollbackConfig, createAlarmRollbackHandler } from '../../lib/runtime/alarm-rollback';
import { createOwnTargetClients } from '../../lib/runtime/aws-clients';

const aws = mockAws();
const ALARM_AT = '2025-03-04T15:00:40.138+0000';
const NOW = new Date('2025-03-04T15:00:43Z');
/** The fleet's bake is 60 minutes: the default window is 120. */
const WINDOW_MINUTES = 120;

/**
 * The payload CloudWatch gives a Lambda alarm action, as documented for a composite alarm
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#Lambda-action-payload).
 */
function alarmAction(alarmName = FLEET_COMPOSITE, value = 'ALARM', timestamp = ALARM_AT): AlarmActionEvent {
  return {
    source: 'aws.cloudwatch',
    alarmArn: `arn:aws:cloudwatch:us-east-1:${PROD_ACCOUNT}:alarm:${alarmName}`,
    accountId: PROD_ACCOUNT,
    time: timestamp,
    region: 'us-east-1',
    alarmData: {
      alarmName,
      state: {
        value,
        reason: `arn:aws:cloudwatch:us-east-1:${PROD_ACCOUNT}:alarm:OrdersApi-5xx transitioned to ALARM at Tuesday 04 March, 2025 15:00:40 UTC`,
        timestamp,
      },
      previousState: { value: 'OK', timestamp: '2025-03-04T14:01:00.000+0000' },
    },
  };
}

function handler(targetId = FLEET, targetKind = 'FLEET', now = NOW) {
  const { lines, log } = captureLog();
  const rollback = createAlarmRollbackHandler({
    config: { pipelineName: PIPELINE, targetId, targetKind, account: PROD_ACCOUNT, region: 'us-east-1', windowMinutes: WINDOW_MINUTES },
    clients: createOwnTargetClients('us-east-1', { retryBaseDelayMs: 1 }),
    now: () => now,
    log,
  });
  return { rollback, lines };
}

/** The newest CodeDeploy deployment of the fleet moved the alias from 6 to 7, created at `created`. */
function fleetDeployed(created: string, alias = { FunctionVersion: '7', RevisionId: 'rev-7' }) {
  aws.ssm.on(GetParameterCommand, { Name: FLEET_HEALTH_PARAMETER }).resolves({ Parameter: { Name: FLEET_HEALTH_PARAMETER, Type: 'String', Value: JSON.stringify(MANIFEST) } });
  aws.codeDeploy.on(ListDeploymentsCommand).callsFake((input) => ({ deployments: input.createTimeRange ? ['d-RELEASE7'] : [] }));
  aws.codeDeploy.on(GetDeploymentCommand).resolves({
    deploymentInfo: { deploymentId: 'd-RELEASE7', status: 'Succeeded', creator: 'CloudFormation', createTime: new Date(created), computePlatform: 'Lambda' },
  });
  aws.codeDeploy.on(ListDeploymentTargetsCommand).resolves({ targetIds: ['orders-api-handler:live'] });
  aws.codeDeploy.on(GetDeploymentTargetCommand).resolves({
    deploymentTarget: {
      deploymentTargetType: 'LambdaTarget',
      lambdaTarget: {
        deploymentId: 'd-RELEASE7',
        targetId: 'orders-api-handler:live',
        status: 'Succeeded',
        lambdaFunctionInfo: { functionName: 'orders-api-handler', functionAlias: 'live', currentVersion: '6', targetVersion: '7', targetVersionWeight: 1 },
      },
    },
  });
  aws.lambda.on(GetAliasCommand).resolves({ Name: 'live', ...alias });
  aws.lambda.on(UpdateAliasCommand).resolves({});
}

beforeEach(() => Object.values(aws).forEach((m) => m.reset()));

describe('the alarm rollback: the health alarm\'s own action, in the target account, without the pipeline', () => {
  test('an ALARM during the fleet\'s bake points the alias back at the version the deployment started from, with the RevisionId read', async () => {
    fleetDeployed('2025-03-04T14:05:00Z');
    const { rollback, lines } = handler();
    const report = await rollback(alarmAction());
    expect(report.items).toEqual([
      { kind: 'DEPLOYMENT_GROUP', resource: 'orders-api/orders-api-prod-us-east-1', action: 'NONE', detail: 'no deployment in flight' },
      {
        kind: 'ALIAS',
        resource: 'orders-api-handler:live',
        action: 'RESET',
        detail: 'routed all traffic to version 7, where deployment d-RELEASE7 (Succeeded, created 2025-03-04T14:05:00.000Z) moved it from version 6 to 7; now all traffic to version 6',
      },
    ]);
    expect(aws.lambda).toHaveReceivedCommandWith(UpdateAliasCommand, {
      FunctionName: 'orders-api-handler', Name: 'live', FunctionVersion: '6', RoutingConfig: { AdditionalVersionWeights: {} }, RevisionId: 'rev-7',
    });
    // Nothing of the pipeline account: no role assumed, no CodePipeline call.
    expect(aws.sts.calls()).toHaveLength(0);
    expect(aws.codePipeline.calls()).toHaveLength(0);
    expect(report).toMatchObject({ targetId: FLEET, account: PROD_ACCOUNT, region: 'us-east-1', complete: true, at: NOW.toISOString() });
    expect(lines).toEqual([expect.objectContaining({
      level: 'info',
      gate: 'ALARM_ROLLBACK',
      target: FLEET,
      decision: 'ROLLED_BACK',
      reason: `${FLEET_COMPOSITE} entered ALARM at 2025-03-04T15:00:40.138Z (the alarm's own action, without the pipeline)`,
    })]);
    expect(lines[0].inputs.movedSince).toBe('2025-03-04T13:00:40.138Z');
  });

  test('an alias moved before the window (a release long done) is left to the pipeline', async () => {
    fleetDeployed('2025-03-04T12:59:00Z');
    const { rollback, lines } = handler();
    const report = await rollback(alarmAction());
    expect(report.items[1]).toEqual({
      kind: 'ALIAS',
      resource: 'orders-api-handler:live',
      action: 'NONE',
      detail: 'routes all traffic to version 7; deployment d-RELEASE7 moved it at 2025-03-04T12:59:00.000Z, before 2025-03-04T13:00:40.138Z: '
        + 'too long ago to be the release baking here, so only the pipeline may roll it back',
    });
    expect(aws.lambda).not.toHaveReceivedCommand(UpdateAliasCommand);
    expect(lines[0]).toMatchObject({ level: 'info', decision: 'NOTHING_TO_ROLL_BACK' });
  });

  test('the window counts from the alarm, not from a late invocation', async () => {
    fleetDeployed('2025-03-04T14:05:00Z');
    // Lambda ran the invocation three hours after the alarm (async retries, an outage).
    const { rollback } = handler(FLEET, 'FLEET', new Date('2025-03-04T18:00:00Z'));
    const report = await rollback(alarmAction());
    expect(report.items[1].action).toBe('RESET');
  });

  test('an in-flight deployment is stopped with rollback and a weighted alias dropped, whatever their age', async () => {
    aws.ssm.on(GetParameterCommand).resolves({ Parameter: { Value: JSON.stringify(MANIFEST) } });
    aws.codeDeploy.on(ListDeploymentsCommand).resolves({ deployments: ['d-SHIFTING'] });
    aws.codeDeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { deploymentId: 'd-SHIFTING', status: 'InProgress', creator: 'CloudFormation', createTime: new Date('2025-02-01T00:00:00Z') } });
    aws.codeDeploy.on(StopDeploymentCommand).resolves({ status: 'Pending', statusMessage: 'Stopping Pending. Stop ID: s-1' });
    aws.lambda.on(GetAliasCommand).resolves({ Name: 'live', FunctionVersion: '6', RoutingConfig: { AdditionalVersionWeights: { 7: 0.1 } }, RevisionId: 'r' });
    aws.lambda.on(UpdateAliasCommand).resolves({});
    const report = await handler().rollback(alarmAction());
    expect(report.items.map((i) => [i.kind, i.action])).toEqual([['DEPLOYMENT', 'STOPPED'], ['ALIAS', 'RESET']]);
    expect(aws.codeDeploy).toHaveReceivedCommandWith(StopDeploymentCommand, { deploymentId: 'd-SHIFTING', autoRollbackEnabled: true });
    expect(aws.lambda).toHaveReceivedCommandWith(UpdateAliasCommand, { FunctionVersion: '6', RoutingConfig: { AdditionalVersionWeights: {} } });
  });

  describe('a LambdaOneBox fleet (no CodeDeploy): the alias note dates the move', () => {
    function noted(description: string) {
      aws.ssm.on(GetParameterCommand).resolves({ Parameter: { Value: JSON.stringify({ ...MANIFEST, deploymentGroups: [] }) } });
      aws.lambda.on(GetAliasCommand).resolves({ Name: 'live', FunctionVersion: '7', Description: description, RevisionId: 'rev-7' });
      aws.lambda.on(UpdateAliasCommand).resolves({});
    }

    test('a move within the window is undone', async () => {
      noted(aliasMoveDescription({ from: '6', to: '7', at: new Date('2025-03-04T14:10:00Z') }));
      const report = await handler().rollback(alarmAction());
      expect(report.items[0]).toMatchObject({ action: 'RESET', detail: expect.stringContaining('now all traffic to version 6') });
      expect(aws.lambda).toHaveReceivedCommandWith(UpdateAliasCommand, { FunctionVersion: '6', RevisionId: 'rev-7' });
    });

    test('a note without a time (an older version of the library wrote it) is not proof of a young release', async () => {
      noted('cdk-wave-pipelines: moved from version 6 to version 7');
      const report = await handler().rollback(alarmAction());
      expect(report.items[0]).toMatchObject({ action: 'NONE', detail: expect.stringContaining('at a time nobody recorded') });
      expect(aws.lambda).not.toHaveReceivedCommand(UpdateAliasCommand);
    });

    test('a one-box target never reads the fleet\'s note (it is the previous release\'s)', async () => {
      const parameter = healthParameterName(PIPELINE, ONEBOX);
      const manifest = { ...MANIFEST, targetId: ONEBOX, deploymentGroups: [] };
      aws.ssm.on(GetParameterCommand, { Name: parameter }).resolves({ Parameter: { Value: JSON.stringify(manifest) } });
      aws.lambda.on(GetAliasCommand).resolves({ Name: 'live', FunctionVersion: '7', Description: aliasMoveDescription({ from: '6', to: '7', at: new Date('2025-03-04T14:10:00Z') }) });
      const report = await handler(ONEBOX, 'ONE_BOX').rollback(alarmAction(compositeAlarmName(PIPELINE, ONEBOX)));
      expect(report.items[0]).toMatchObject({ action: 'NONE' });
      expect(aws.lambda).not.toHaveReceivedCommand(UpdateAliasCommand);
    });
  });

  test.each([
    ['another alarm', compositeAlarmName(PIPELINE, ONEBOX), 'ALARM'],
    ['the health alarm returning to OK', FLEET_COMPOSITE, 'OK'],
  ])('%s is not a reason to roll back: nothing is called, a warning says why', async (_name, alarmName, value) => {
    const { rollback, lines } = handler();
    const report = await rollback(alarmAction(alarmName, value));
    expect(report.items).toEqual([{ kind: 'ALARM', resource: alarmName, action: 'NONE', detail: expect.stringContaining(`only when ${FLEET_COMPOSITE} enters ALARM`) }]);
    expect(lines[0]).toMatchObject({ level: 'warn', decision: 'IGNORED' });
    expect(aws.ssm.calls()).toHaveLength(0);
    expect(aws.lambda.calls()).toHaveLength(0);
  });

  test('a manifest it cannot read fails the invocation (Lambda retries it) after an error line', async () => {
    aws.ssm.on(GetParameterCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: ssm:GetParameter'));
    const { rollback, lines } = handler();
    await expect(rollback(alarmAction())).rejects.toThrow(`alarm rollback of ${FLEET} incomplete: ${FLEET}: deployments and aliases were not rolled back: cannot read health parameter`);
    expect(lines[0]).toMatchObject({ level: 'error', decision: 'INCOMPLETE' });
  });

  test('a step that fails (a conflicting alias update) fails the invocation so that Lambda retries it', async () => {
    fleetDeployed('2025-03-04T14:05:00Z');
    aws.lambda.on(UpdateAliasCommand).rejects(awsError('PreconditionFailedException', 'The Revision Id provided does not match the latest Revision Id.', 412));
    await expect(handler().rollback(alarmAction())).rejects.toThrow('orders-api-handler:live: cannot reset: PreconditionFailedException');
  });
});

describe('its configuration comes from the environment ReleaseMonitor sets', () => {
  test('read whole', () => {
    expect(alarmRollbackConfig({
      [ALARM_ROLLBACK_ENV.pipelineName]: PIPELINE,
      [ALARM_ROLLBACK_ENV.targetId]: FLEET,
      [ALARM_ROLLBACK_ENV.targetKind]: 'FLEET',
      [ALARM_ROLLBACK_ENV.account]: PROD_ACCOUNT,
      [ALARM_ROLLBACK_ENV.windowMinutes]: '120',
      AWS_REGION: 'us-east-1',
    })).toEqual({ pipelineName: PIPELINE, targetId: FLEET, targetKind: 'FLEET', account: PROD_ACCOUNT, region: 'us-east-1', windowMinutes: 120 });
  });

  test('one error names every variable missing or wrong', () => {
    expect(() => alarmRollbackConfig({ [ALARM_ROLLBACK_ENV.targetId]: FLEET, [ALARM_ROLLBACK_ENV.windowMinutes]: '1.5', AWS_REGION: 'us-east-1' }))
      .toThrow('alarm rollback: WAVE_PIPELINE_NAME is not set; WAVE_TARGET_KIND is not set; WAVE_TARGET_ACCOUNT is not set; '
        + 'WAVE_ROLLBACK_WINDOW_MINUTES is "1.5", not whole minutes above 0; redeploy the ReleaseMonitor with this version of cdk-wave-pipelines');
  });
});
