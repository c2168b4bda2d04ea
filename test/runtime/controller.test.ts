import {
  DescribeAlarmHistoryCommand, DescribeAlarmsCommand, GetMetricDataCommand, GetMetricDataCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { GetDeploymentCommand, ListDeploymentsCommand, StopDeploymentCommand } from '@aws-sdk/client-codedeploy';
import {
  GetPipelineCommand, GetPipelineExecutionCommand, GetPipelineStateCommand, GetPipelineStateCommandOutput, ListActionExecutionsCommand,
  ListPipelineExecutionsCommand, PutApprovalResultCommand, RollbackStageCommand,
} from '@aws-sdk/client-codepipeline';
import { GetAliasCommand, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import {
  ACTION_STARTED_EVENT, ALARM_5XX, ALARM_LATENCY, APPROVAL_TOKEN, BAKE_ACTION, EXECUTION_ID, FLEET, FLEET_COMPOSITE, FLEET_HEALTH_PARAMETER,
  FLEET_ROLE_ARN,
  MANIFEST, ONEBOX, ONEBOX_BAKE_ACTION, PIPELINE, PLAN, PROD_ACCOUNT, SCHEDULED_EVENT, STOP_SWITCH, STS_CREDENTIALS, TWO_REGION_PLAN,
  WINDOW_ACTION, WINDOW_KEY,
  GetCanaryRuns, alarmEvent, awsError, canaryRun, captureLog, compositeAlarm, mockAws, pipelineDefinition, pipelineState, stateUpdate, testClients,
} from './fixtures';
import { compositeAlarmName, healthParameterName } from '../../lib/model/naming';
import { ReleasePlan } from '../../lib/model/plan';
import { createControllerHandler, MAX_APPROVAL_SUMMARY } from '../../lib/runtime/controller';

// Tuesday 4 March 2025, 09:00 in New York (EST): the fleet's approval starts holding.
const T0 = new Date('2025-03-04T14:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

const aws = mockAws();

/** Metric values by query id: the 5xx alarm's `m0` and the latency alarm's expression `e1`. */
let metricValues: Record<string, number[]>;

function healthyTarget(bakeSince = T0) {
  aws.codePipeline.on(GetPipelineCommand).resolves(pipelineDefinition());
  aws.codePipeline.on(GetPipelineStateCommand).resolves(pipelineState([{ actionName: BAKE_ACTION, since: bakeSince }]));
  aws.codePipeline.on(PutApprovalResultCommand).resolves({ approvedAt: new Date() });
  aws.sts.on(AssumeRoleCommand).resolves(STS_CREDENTIALS);
  aws.ssm.on(GetParameterCommand, { Name: FLEET_HEALTH_PARAMETER }).resolves({
    Parameter: {
      Name: FLEET_HEALTH_PARAMETER,
      Type: 'String',
      Value: JSON.stringify(MANIFEST),
      Version: 1,
      ARN: `arn:aws:ssm:us-east-1:${PROD_ACCOUNT}:parameter${FLEET_HEALTH_PARAMETER}`,
      DataType: 'text',
    },
  });
  aws.ssm.on(GetParameterCommand, { Name: STOP_SWITCH }).resolves({ Parameter: { Name: STOP_SWITCH, Type: 'String', Value: 'OFF', Version: 4 } });
  aws.cloudWatch.on(DescribeAlarmsCommand).resolves({ CompositeAlarms: [compositeAlarm()], MetricAlarms: [ALARM_5XX, ALARM_LATENCY] });
  aws.cloudWatch.on(DescribeAlarmHistoryCommand).resolves({ AlarmHistoryItems: [] });
  metricValues = { m0: [0, 0, 0, 0, 0], e1: [212.5, 230.1, 198.7, 251.0] };
  aws.cloudWatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => ({
    MetricDataResults: (input.MetricDataQueries ?? []).filter((q) => q.ReturnData !== false).map((q) => ({
      Id: q.Id,
      Label: q.Label ?? q.MetricStat?.Metric?.MetricName,
      Timestamps: (metricValues[q.Id!] ?? []).map((_, i) => at(i * 5)),
      Values: metricValues[q.Id!] ?? [],
      StatusCode: 'Complete',
    })),
    Messages: [],
  }));
  aws.synthetics.on(GetCanaryRuns).resolves({ CanaryRuns: [canaryRun('0f8a7b6c-run-2', 'PASSED', at(55)), canaryRun('0f8a7b6c-run-1', 'PASSED', at(0))] });
  // nothing in flight to roll back unless a test says otherwise
  aws.codeDeploy.on(ListDeploymentsCommand).resolves({ deployments: [] });
  aws.lambda.on(GetAliasCommand).resolves({
    AliasArn: `arn:aws:lambda:us-east-1:${PROD_ACCOUNT}:function:orders-api-handler:live`, Name: 'live', FunctionVersion: '7', RevisionId: 'r-1',
  });
}

function controller(now: () => Date, plan: ReleasePlan = PLAN) {
  const { lines, log } = captureLog();
  return { handler: createControllerHandler({ plan, now, clients: testClients(now), log }), lines };
}

beforeEach(() => {
  Object.values(aws).forEach((m) => m.reset());
});

describe('BAKE gate', () => {
  test('a healthy target waits until the bake time has passed, without reading datapoints', async () => {
    healthyTarget();
    const { handler, lines } = controller(() => at(42));
    const result = await handler(SCHEDULED_EVENT);
    expect(result.gates).toEqual([expect.objectContaining({
      gate: 'BAKE', target: FLEET, decision: 'WAIT', result: 'NONE', reason: `${FLEET}: baking, 42 of 360 minutes elapsed; healthy so far`,
    })]);
    expect(aws.codePipeline).not.toHaveReceivedCommand(PutApprovalResultCommand);
    expect(aws.cloudWatch).not.toHaveReceivedCommand(GetMetricDataCommand);
    expect(aws.sts).toHaveReceivedCommandWith(AssumeRoleCommand, { RoleArn: FLEET_ROLE_ARN, RoleSessionName: 'wave-pipelines-controller' });
    expect(aws.cloudWatch).toHaveReceivedCommandWith(DescribeAlarmsCommand, {
      AlarmNames: [FLEET_COMPOSITE, 'OrdersApi-5xx', 'OrdersApi-p99-latency'], AlarmTypes: ['CompositeAlarm', 'MetricAlarm'],
    });
    expect(aws.cloudWatch).toHaveReceivedCommandWith(DescribeAlarmHistoryCommand, {
      AlarmName: 'OrdersApi-5xx', HistoryItemType: 'StateUpdate', StartDate: T0, EndDate: at(42),
    });
    expect(aws.synthetics).toHaveReceivedCommandWith(GetCanaryRuns, { Name: 'orders-checkout' });
    expect(lines).toEqual([{
      level: 'info',
      gate: 'BAKE',
      target: FLEET,
      decision: 'WAIT',
      reason: `${FLEET}: baking, 42 of 360 minutes elapsed; healthy so far`,
      inputs: expect.objectContaining({
        stageName: 'Prod-Wave-1', actionName: BAKE_ACTION, bakeStart: T0.toISOString(), now: at(42).toISOString(), result: 'NONE',
      }),
    }]);
  });

  test('a healthy target is approved once the bake time passed, with datapoints from MetricStat and metric math', async () => {
    healthyTarget();
    const { handler } = controller(() => at(361));
    const result = await handler(SCHEDULED_EVENT);
    expect(result.gates[0]).toMatchObject({ decision: 'PASS', result: 'APPROVED' });
    expect(aws.codePipeline).toHaveReceivedCommandWith(PutApprovalResultCommand, {
      pipelineName: PIPELINE,
      stageName: 'Prod-Wave-1',
      actionName: BAKE_ACTION,
      token: APPROVAL_TOKEN,
      result: { status: 'Approved', summary: `${FLEET}: baked 361 of 360 minutes with no alarm` },
    });
    expect(aws.cloudWatch).toHaveReceivedCommandWith(GetMetricDataCommand, {
      StartTime: T0,
      EndTime: at(361),
      MetricDataQueries: [{
        Id: 'm0',
        MetricStat: {
          Metric: { Namespace: 'AWS/ApiGateway', MetricName: '5XXError', Dimensions: [{ Name: 'ApiName', Value: 'orders-api' }] }, Period: 60, Stat: 'Sum', Unit: undefined,
        },
        ReturnData: true,
      }],
    });
    expect(aws.cloudWatch).toHaveReceivedCommandWith(GetMetricDataCommand, {
      MetricDataQueries: [expect.objectContaining({ Id: 'latency', ReturnData: false }), expect.objectContaining({ Id: 'e1', Expression: 'FILL(latency, 0)', ReturnData: true })],
    });
    expect(aws.codeDeploy).not.toHaveReceivedAnyCommand();
  });

  type Case = [string, () => void, number, string, string];
  const rejections: Case[] = [
    ['composite alarm in ALARM', () => {
      aws.cloudWatch.on(DescribeAlarmsCommand).resolves({
        CompositeAlarms: [compositeAlarm('ALARM', 'arn:aws:cloudwatch:us-east-1:333333333333:alarm:OrdersApi-5xx transitioned to ALARM')],
        MetricAlarms: [{ ...ALARM_5XX, StateValue: 'ALARM', StateReason: 'Threshold Crossed: 2 out of the last 3 datapoints [7.0, 4.0] were >= 1.0' }, ALARM_LATENCY],
      });
    }, 12, 'FAIL',
    `${FLEET}: alarm ${FLEET_COMPOSITE} is in ALARM (arn:aws:cloudwatch:us-east-1:333333333333:alarm:OrdersApi-5xx transitioned to ALARM); `
      + 'alarm OrdersApi-5xx is in ALARM (Threshold Crossed: 2 out of the last 3 datapoints [7.0, 4.0] were >= 1.0)'],
    ['flapping alarm (ALARM then OK during the bake)', () => {
      aws.cloudWatch.on(DescribeAlarmHistoryCommand, { AlarmName: 'OrdersApi-p99-latency' }).resolves({
        AlarmHistoryItems: [stateUpdate('OrdersApi-p99-latency', 'ALARM', 'OK', at(25)), stateUpdate('OrdersApi-p99-latency', 'OK', 'ALARM', at(20))],
      });
    }, 30, 'FAIL', `${FLEET}: alarm OrdersApi-p99-latency went into ALARM at 2025-03-04T14:20:00.000Z during the bake (now OK)`],
    ['failing canary run before its alarm fires', () => {
      aws.synthetics.on(GetCanaryRuns).resolves({
        CanaryRuns: [
          canaryRun('0f8a7b6c-run-4', 'RUNNING', at(14)),
          canaryRun('0f8a7b6c-run-3', 'FAILED', at(9), 'Error: Timed out after 30000ms waiting for selector "#checkout"'),
          canaryRun('0f8a7b6c-run-2', 'PASSED', at(4)),
        ],
      });
    }, 14, 'FAIL', `${FLEET}: canary orders-checkout run 0f8a7b6c-run-3 started at 2025-03-04T14:09:00.000Z failed: Error: Timed out after 30000ms waiting for selector "#checkout"`],
    ['AccessDenied from STS', () => {
      aws.sts.on(AssumeRoleCommand).rejects(awsError('AccessDenied',
        `User: arn:aws:sts::111111111111:assumed-role/orders-release-controller/orders-controller is not authorized to perform: sts:AssumeRole on resource: ${FLEET_ROLE_ARN}`, 403));
    }, 5, 'FAIL',
    `${FLEET}: health signal unreadable, cannot assume role ${FLEET_ROLE_ARN}: AccessDenied: User: arn:aws:sts::111111111111:assumed-role/orders-release-controller/orders-controller `
      + `is not authorized to perform: sts:AssumeRole on resource: ${FLEET_ROLE_ARN}; deploy the target's ReleaseMonitor and check that its trust policy allows the release controller's role`],
    ['AccessDenied from CloudWatch', () => {
      aws.cloudWatch.on(DescribeAlarmsCommand).rejects(awsError('AccessDenied',
        `User: arn:aws:sts::${PROD_ACCOUNT}:assumed-role/wave-orders-${FLEET}/wave-pipelines-controller is not authorized to perform: cloudwatch:DescribeAlarms`, 403));
    }, 5, 'FAIL',
    `${FLEET}: health signal unreadable, cannot read alarms ${FLEET_COMPOSITE}, OrdersApi-5xx, OrdersApi-p99-latency in account ${PROD_ACCOUNT} us-east-1: AccessDenied: `
      + `User: arn:aws:sts::${PROD_ACCOUNT}:assumed-role/wave-orders-${FLEET}/wave-pipelines-controller is not authorized to perform: cloudwatch:DescribeAlarms; `
      + "check the target's monitor role (deploy the target's ReleaseMonitor)"],
    ['missing composite alarm', () => {
      aws.cloudWatch.on(DescribeAlarmsCommand).resolves({ CompositeAlarms: [], MetricAlarms: [ALARM_5XX, ALARM_LATENCY] });
    }, 5, 'FAIL',
    `${FLEET}: health signal unreadable, cannot read alarm ${FLEET_COMPOSITE} in account ${PROD_ACCOUNT} us-east-1; `
      + `the alarm does not exist (or ${FLEET_COMPOSITE} is not a composite alarm); deploy the target's ReleaseMonitor`],
    ['missing health parameter', () => {
      aws.ssm.on(GetParameterCommand, { Name: FLEET_HEALTH_PARAMETER }).rejects(awsError('ParameterNotFound', ''));
    }, 5, 'FAIL',
    `${FLEET}: health signal unreadable, cannot read health parameter ${FLEET_HEALTH_PARAMETER} in account ${PROD_ACCOUNT} us-east-1: ParameterNotFound: ; `
      + `deploy the ReleaseMonitor of target ${FLEET} to account ${PROD_ACCOUNT} us-east-1`],
    ['missing canary', () => {
      aws.synthetics.on(GetCanaryRuns).rejects(awsError('ResourceNotFoundException', 'Canary orders-checkout not found', 404));
    }, 5, 'FAIL',
    `${FLEET}: health signal unreadable, cannot read runs of canary orders-checkout in account ${PROD_ACCOUNT} us-east-1: ResourceNotFoundException: Canary orders-checkout not found; `
      + "the canary does not exist; deploy the target's ReleaseMonitor"],
    ['a health manifest of another schema', () => {
      const stale = { ...MANIFEST, schemaVersion: 2, aliases: undefined };
      aws.ssm.on(GetParameterCommand, { Name: FLEET_HEALTH_PARAMETER }).resolves({ Parameter: { Value: JSON.stringify(stale) } });
    }, 5, 'FAIL',
    `${FLEET}: health signal unreadable, cannot read health parameter ${FLEET_HEALTH_PARAMETER} in account ${PROD_ACCOUNT} us-east-1; `
      + 'schemaVersion is 2, expected 1, aliases is not a list; redeploy the ReleaseMonitor with this version of cdk-wave-pipelines'],
    ['no datapoints for the whole bake with noData FAIL', () => {
      metricValues = {};
    }, 361, 'FAIL',
    `${FLEET}: no metric alarm had a datapoint during the 360-minute bake (OrdersApi-5xx, OrdersApi-p99-latency); a target nobody measured is not known to be healthy (noData is FAIL)`],
  ];

  test.each(rejections)('%s: rejects and rolls back', async (_name, arrange, minute, decision, reason) => {
    healthyTarget();
    arrange();
    const { handler, lines } = controller(() => at(minute));
    const result = await handler(SCHEDULED_EVENT);
    expect(result.gates).toEqual([expect.objectContaining({ gate: 'BAKE', target: FLEET, decision, reason, result: 'REJECTED' })]);
    expect(aws.codePipeline).toHaveReceivedCommandWith(PutApprovalResultCommand, {
      pipelineName: PIPELINE,
      stageName: 'Prod-Wave-1',
      actionName: BAKE_ACTION,
      token: APPROVAL_TOKEN,
      result: { status: 'Rejected', summary: reason.length > MAX_APPROVAL_SUMMARY ? `${reason.slice(0, MAX_APPROVAL_SUMMARY - 1)}…` : reason },
    });
    expect(result.gates[0].rollback).toMatchObject({ targetId: FLEET, reason });
    expect(lines.map((l) => [l.gate, l.decision, l.level])).toEqual([['BAKE', decision, 'warn'], ['ROLLBACK', expect.any(String), expect.any(String)]]);
  });

  test('a failed bake stops the in-flight deployment and resets the alias', async () => {
    healthyTarget();
    aws.cloudWatch.on(DescribeAlarmsCommand).resolves({ CompositeAlarms: [compositeAlarm('ALARM', 'OrdersApi-5xx')], MetricAlarms: [ALARM_5XX, ALARM_LATENCY] });
    aws.codeDeploy.on(ListDeploymentsCommand).resolves({ deployments: ['d-8X1EXAMPLE'] });
    aws.codeDeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { deploymentId: 'd-8X1EXAMPLE', status: 'InProgress', creator: 'user' } });
    aws.codeDeploy.on(StopDeploymentCommand).resolves({ status: 'Pending', statusMessage: 'Stopping Pending. Stopping to schedule update.' });
    aws.lambda.on(GetAliasCommand).resolves({ Name: 'live', FunctionVersion: '7', RoutingConfig: { AdditionalVersionWeights: { 8: 0.1 } } });
    const { handler } = controller(() => at(12));
    await handler(SCHEDULED_EVENT);
    expect(aws.codeDeploy).toHaveReceivedCommandWith(ListDeploymentsCommand, {
      applicationName: 'orders-api', deploymentGroupName: 'orders-api-prod-us-east-1', includeOnlyStatuses: ['Created', 'Queued', 'InProgress', 'Ready'],
    });
    expect(aws.codeDeploy).toHaveReceivedCommandWith(StopDeploymentCommand, { deploymentId: 'd-8X1EXAMPLE', autoRollbackEnabled: true });
    expect(aws.lambda).toHaveReceivedCommandWith(UpdateAliasCommand, {
      FunctionName: 'orders-api-handler', Name: 'live', FunctionVersion: '7', RoutingConfig: { AdditionalVersionWeights: {} },
    });
  });

  test('the approval summary is cut to the API limit', async () => {
    healthyTarget();
    const many = Array.from({ length: 30 }, (_, i) => `OrdersApi-dependency-${i}-errors`);
    aws.ssm.on(GetParameterCommand, { Name: FLEET_HEALTH_PARAMETER })
      .resolves({ Parameter: { Value: JSON.stringify({ ...MANIFEST, alarmNames: many }) } });
    aws.cloudWatch.on(DescribeAlarmsCommand).resolves({
      CompositeAlarms: [compositeAlarm('ALARM', 'many')],
      MetricAlarms: many.map((n) => ({ ...ALARM_5XX, AlarmName: n, StateValue: 'ALARM', StateReason: 'Threshold Crossed: 3 datapoints were >= 1.0' })),
    });
    const { handler } = controller(() => at(3));
    await handler(SCHEDULED_EVENT);
    const summary = aws.codePipeline.commandCalls(PutApprovalResultCommand)[0].args[0].input.result!.summary!;
    expect(summary).toHaveLength(MAX_APPROVAL_SUMMARY);
    expect(summary.endsWith('…')).toBe(true);
    expect(summary.startsWith(`${FLEET}: alarm ${FLEET_COMPOSITE} is in ALARM (many); alarm OrdersApi-dependency-0-errors is in ALARM`)).toBe(true);
  });

  test('INSUFFICIENT_DATA is not a failure before the bake ends', async () => {
    healthyTarget();
    aws.cloudWatch.on(DescribeAlarmsCommand).resolves({
      CompositeAlarms: [compositeAlarm('INSUFFICIENT_DATA', 'Unchecked: Initial alarm creation')],
      MetricAlarms: [{ ...ALARM_5XX, StateValue: 'INSUFFICIENT_DATA', StateReason: 'Insufficient Data: 3 datapoints were unknown.' }, ALARM_LATENCY],
    });
    const { handler } = controller(() => at(20));
    const result = await handler(SCHEDULED_EVENT);
    expect(result.gates[0]).toMatchObject({ decision: 'WAIT', result: 'NONE' });
    expect(aws.codePipeline).not.toHaveReceivedCommand(PutApprovalResultCommand);
  });

  test('throttling that outlasts the retries leaves the gate closed, neither approved nor rejected, and fails the invocation', async () => {
    healthyTarget();
    aws.cloudWatch.on(DescribeAlarmsCommand).rejects(awsError('Throttling', 'Rate exceeded'));
    const { handler, lines } = controller(() => at(400));
    await expect(handler(SCHEDULED_EVENT)).rejects.toThrow(
      `could not decide 1 gate(s), left closed: BAKE ${FLEET}: health signal of ${FLEET} not read this time: SignalUnreadableError: cannot read alarms`,
    );
    expect(aws.codePipeline).not.toHaveReceivedCommand(PutApprovalResultCommand);
    expect(aws.codeDeploy).not.toHaveReceivedAnyCommand();
    expect(lines[0]).toMatchObject({ level: 'error', gate: 'BAKE', decision: 'ERROR' });
  });

  test('an approval decided by someone else first is reported; the rollback, harmless to repeat, touches nothing already stopped', async () => {
    healthyTarget();
    aws.cloudWatch.on(DescribeAlarmsCommand).resolves({ CompositeAlarms: [compositeAlarm('ALARM', 'x')], MetricAlarms: [ALARM_5XX, ALARM_LATENCY] });
    aws.codePipeline.on(PutApprovalResultCommand).rejects(awsError('ApprovalAlreadyCompletedException', 'The approval request already received a response or has expired.'));
    const { handler } = controller(() => at(3));
    const result = await handler(SCHEDULED_EVENT);
    expect(result.gates[0]).toMatchObject({ decision: 'FAIL', result: 'ALREADY_DECIDED' });
    expect(result.gates[0].rollback?.items.every((i) => i.action === 'NONE')).toBe(true);
    expect(aws.codeDeploy).not.toHaveReceivedCommand(StopDeploymentCommand);
    expect(aws.lambda).not.toHaveReceivedCommand(UpdateAliasCommand);
  });

  // Issue 12, item 3: no crash can leave a rejected bake with its target still deploying.
  test('a failed bake stops the deployment and resets the alias before it rejects the gate', async () => {
    healthyTarget();
    aws.cloudWatch.on(DescribeAlarmsCommand).resolves({ CompositeAlarms: [compositeAlarm('ALARM', 'OrdersApi-5xx')], MetricAlarms: [ALARM_5XX, ALARM_LATENCY] });
    aws.codeDeploy.on(ListDeploymentsCommand).resolves({ deployments: ['d-8X1EXAMPLE'] });
    aws.codeDeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { deploymentId: 'd-8X1EXAMPLE', status: 'InProgress', creator: 'user' } });
    aws.codeDeploy.on(StopDeploymentCommand).resolves({ status: 'Pending' });
    aws.lambda.on(GetAliasCommand).resolves({ Name: 'live', FunctionVersion: '7', RoutingConfig: { AdditionalVersionWeights: { 8: 0.1 } } });
    const { handler, lines } = controller(() => at(12));
    await handler(SCHEDULED_EVENT);
    const reject = aws.codePipeline.commandCalls(PutApprovalResultCommand)[0];
    expect(aws.codeDeploy.commandCalls(StopDeploymentCommand)[0].calledBefore(reject)).toBe(true);
    expect(aws.lambda.commandCalls(UpdateAliasCommand)[0].calledBefore(reject)).toBe(true);
    expect(lines.map((l) => l.gate)).toEqual(['BAKE', 'ROLLBACK']);
  });

  test('a zero-minute bake passes at once', async () => {
    healthyTarget();
    const plan: ReleasePlan = {
      ...PLAN,
      stages: PLAN.stages.map((s) => ({
        ...s, regions: s.regions.map((r) => ({ ...r, fleet: { ...r.fleet, bake: { minutes: 0, minHealthyDatapoints: 3, noData: 'FAIL' } } })),
      })),
    };
    const { handler } = controller(() => T0, plan);
    await handler(SCHEDULED_EVENT);
    expect(aws.codePipeline).toHaveReceivedCommandWith(PutApprovalResultCommand, { result: { status: 'Approved', summary: `${FLEET}: no bake time; no alarm in ALARM` } });
    expect(aws.cloudWatch).not.toHaveReceivedCommand(GetMetricDataCommand);
  });

  test('a 6-hour bake continues across minute-by-minute invocations and is approved right after 6 hours', async () => {
    healthyTarget();
    let now = T0;
    const { handler } = controller(() => now);
    for (let minute = 0; minute < 360; minute++) {
      now = at(minute);
      const result = await handler(SCHEDULED_EVENT);
      expect(result.gates[0]).toMatchObject({ decision: 'WAIT', result: 'NONE' });
    }
    expect(aws.codePipeline).not.toHaveReceivedCommand(PutApprovalResultCommand);
    now = at(360);
    const result = await handler(SCHEDULED_EVENT);
    expect(result.gates[0]).toMatchObject({ decision: 'PASS', result: 'APPROVED' });
    expect(aws.codePipeline).toHaveReceivedCommandTimes(PutApprovalResultCommand, 1);
    expect(aws.codePipeline).toHaveReceivedCommandWith(PutApprovalResultCommand, { result: { status: 'Approved', summary: `${FLEET}: baked 360 of 360 minutes with no alarm` } });
    // the definition is read once per container while the pipeline version stays the same;
    // the role is assumed once (credentials last an hour... and are refreshed 5 minutes before expiry)
    expect(aws.codePipeline).toHaveReceivedCommandTimes(GetPipelineCommand, 1);
    expect(aws.sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 1);
  });

  test('a 6-hour bake with too few healthy datapoints keeps waiting past 6 hours', async () => {
    healthyTarget();
    metricValues = { m0: [0, 0, 5], e1: [100, 120, 140] };
    const { handler } = controller(() => at(365));
    const result = await handler(SCHEDULED_EVENT);
    expect(result.gates[0]).toMatchObject({
      decision: 'WAIT', reason: `${FLEET}: baked 365 minutes; waiting for 3 healthy datapoints: OrdersApi-5xx has 2`,
    });
  });

  test('a new pipeline version re-reads the definition', async () => {
    healthyTarget();
    const { handler } = controller(() => at(1));
    await handler(SCHEDULED_EVENT);
    await handler(SCHEDULED_EVENT);
    aws.codePipeline.on(GetPipelineStateCommand).resolves(pipelineState([{ actionName: BAKE_ACTION, since: T0 }], 4));
    aws.codePipeline.on(GetPipelineCommand).resolves(pipelineDefinition(4));
    await handler(SCHEDULED_EVENT);
    expect(aws.codePipeline).toHaveReceivedCommandTimes(GetPipelineCommand, 2);
  });

  test('approvals without a token, and actions not in progress, are left alone', async () => {
    healthyTarget();
    aws.codePipeline.on(GetPipelineStateCommand).resolves(pipelineState([]));
    const { handler, lines } = controller(() => at(1));
    expect(await handler(SCHEDULED_EVENT)).toEqual({ trigger: 'SCHEDULE', gates: [] });
    expect(lines).toEqual([]);
    expect(aws.sts).not.toHaveReceivedAnyCommand();
  });
});

describe('plan mismatch', () => {
  test.each([
    ['a bake gate of a target the plan does not know', 'BAKE', 'prod-wave-7-us-east-1-fleet',
      'the plan has no target prod-wave-7-us-east-1-fleet; redeploy the pipeline so that its gates and plan.json match'],
    ['a window gate of a stage the plan does not know', 'WINDOW', 'prod-wave-7',
      'the plan has no stage prod-wave-7; redeploy the pipeline so that its gates and plan.json match'],
    // A pipeline deployed before window gates were per stage carries region keys: fail closed.
    ['a window gate with an old per-region key', 'WINDOW', 'prod-wave-1-us-east-1',
      'the plan has no stage prod-wave-1-us-east-1; redeploy the pipeline so that its gates and plan.json match'],
  ])('%s is rejected', async (_name, gate, target, reason) => {
    healthyTarget();
    const definition = pipelineDefinition();
    const bake = definition.pipeline!.stages![1].actions!.find((a) => a.name === BAKE_ACTION)!;
    (bake as any).configuration = { CustomData: `[wave-pipelines:${gate}:${target}]` };
    aws.codePipeline.on(GetPipelineCommand).resolves(definition);
    const { handler } = controller(() => at(5));
    const result = await handler(SCHEDULED_EVENT);
    expect(result.gates).toEqual([expect.objectContaining({ gate, target, decision: 'FAIL', result: 'REJECTED', reason })]);
    expect(aws.codePipeline).toHaveReceivedCommandWith(PutApprovalResultCommand, { result: { status: 'Rejected', summary: reason } });
    expect(aws.codeDeploy).not.toHaveReceivedAnyCommand();
  });
});

describe('events', () => {
  const bothBakesWaiting = pipelineState([{ actionName: BAKE_ACTION, since: T0 }, { actionName: ONEBOX_BAKE_ACTION, since: T0 }]);

  test('an ALARM forwarded from the target account decides that target\'s bake gate at once', async () => {
    healthyTarget();
    aws.codePipeline.on(GetPipelineStateCommand).resolves(bothBakesWaiting);
    aws.cloudWatch.on(DescribeAlarmsCommand).resolves({ CompositeAlarms: [compositeAlarm('ALARM', 'OrdersApi-5xx transitioned to ALARM')], MetricAlarms: [ALARM_5XX, ALARM_LATENCY] });
    const { handler } = controller(() => at(3));
    const result = await handler(alarmEvent(FLEET_COMPOSITE, 'ALARM'));
    expect(result.trigger).toBe('ALARM');
    expect(result.gates.map((g) => [g.target, g.result])).toEqual([[FLEET, 'REJECTED']]);
    expect(aws.codePipeline).toHaveReceivedCommandTimes(PutApprovalResultCommand, 1);
  });

  test('an ALARM for a target with no bake in progress is logged and changes nothing', async () => {
    healthyTarget();
    aws.codePipeline.on(GetPipelineStateCommand).resolves(pipelineState([{ actionName: WINDOW_ACTION, since: T0 }]));
    const { handler, lines } = controller(() => at(3));
    expect((await handler(alarmEvent(FLEET_COMPOSITE, 'ALARM'))).gates).toEqual([]);
    expect(lines).toEqual([expect.objectContaining({ gate: 'BAKE', target: FLEET, decision: 'NONE' })]);
    expect(aws.codePipeline).not.toHaveReceivedCommand(PutApprovalResultCommand);
  });

  test('an action state change sweeps every gate', async () => {
    healthyTarget();
    aws.codePipeline.on(GetPipelineStateCommand).resolves(bothBakesWaiting);
    const { handler } = controller(() => at(3));
    const result = await handler(ACTION_STARTED_EVENT);
    expect(result.trigger).toBe('ACTION_STATE_CHANGE');
    expect(result.gates.map((g) => g.target)).toEqual([FLEET, ONEBOX]);
  });

  test.each([
    ['an unknown event', { 'source': 'aws.s3', 'detail-type': 'Object Created', 'detail': {} },
      'unexpected event (source "aws.s3", detail-type "Object Created"): the release controller handles scheduled events, CodePipeline Action Execution State Change and CloudWatch Alarm State Change'],
    ['no event', undefined, 'unexpected event (source undefined, detail-type undefined)'],
    ['an alarm event without alarmName', { ...alarmEvent(FLEET_COMPOSITE, 'ALARM'), detail: { state: { value: 'ALARM' } } }, 'malformed CloudWatch Alarm State Change event'],
    ['an alarm nobody planned', alarmEvent('SomeoneElses-alarm', 'ALARM'), `alarm SomeoneElses-alarm is not the release-health alarm of any target of pipeline ${PIPELINE}`],
    ['an alarm from the wrong account', alarmEvent(FLEET_COMPOSITE, 'ALARM', '999999999999'),
      `alarm ${FLEET_COMPOSITE} arrived from account 999999999999 us-east-1, but target ${FLEET} is in account ${PROD_ACCOUNT} us-east-1`],
    ['a state change of another pipeline', { ...ACTION_STARTED_EVENT, detail: { ...ACTION_STARTED_EVENT.detail, pipeline: 'payments' } },
      `action state change of pipeline "payments"; this controller drives pipeline ${PIPELINE}`],
  ])('%s is refused', async (_name, event, message) => {
    healthyTarget();
    const { handler } = controller(() => at(3));
    await expect(handler(event)).rejects.toThrow(message);
    expect(aws.codePipeline).not.toHaveReceivedAnyCommand();
  });
});

describe('WINDOW gate', () => {
  function windowWaiting(since: Date, stopSwitch: { value?: string; error?: Error }) {
    aws.codePipeline.on(GetPipelineCommand).resolves(pipelineDefinition());
    aws.codePipeline.on(GetPipelineStateCommand).resolves(pipelineState([{ actionName: WINDOW_ACTION, since }]));
    aws.codePipeline.on(PutApprovalResultCommand).resolves({ approvedAt: new Date() });
    if (stopSwitch.error) {
      aws.ssm.on(GetParameterCommand, { Name: STOP_SWITCH }).rejects(stopSwitch.error);
    } else {
      aws.ssm.on(GetParameterCommand, { Name: STOP_SWITCH }).resolves({ Parameter: { Name: STOP_SWITCH, Type: 'String', Value: stopSwitch.value, Version: 2 } });
    }
  }

  // Monday 3 March 2025 13:30Z is 08:30 EST (closed); a week later, after the switch to daylight
  // time on Sunday 9 March, the same instant is 09:30 EDT (open).
  const BEFORE_DST = new Date('2025-03-03T13:30:00Z');
  const AFTER_DST = new Date('2025-03-10T13:30:00Z');

  test.each([
    ['closed at 08:30 EST before the DST change', BEFORE_DST, 'OFF', 'HOLD', 'NONE'],
    ['open at 09:30 EDT after the DST change (same UTC time)', AFTER_DST, 'OFF', 'OPEN', 'APPROVED'],
    ['stop switch ON holds an open window', AFTER_DST, 'ON', 'HOLD', 'NONE'],
  ])('%s', async (_name, now, value, decision, result) => {
    windowWaiting(new Date(now.getTime() - 10 * 60_000), { value });
    const { handler, lines } = controller(() => now);
    const out = await handler(SCHEDULED_EVENT);
    expect(out.gates).toEqual([expect.objectContaining({ gate: 'WINDOW', target: WINDOW_KEY, decision, result })]);
    expect(lines[0]).toMatchObject({ gate: 'WINDOW', target: WINDOW_KEY, decision, inputs: { stopSwitch: value, result } });
    expect(aws.ssm).toHaveReceivedCommandWith(GetParameterCommand, { Name: STOP_SWITCH });
    if (result === 'APPROVED') {
      expect(aws.codePipeline).toHaveReceivedCommandWith(PutApprovalResultCommand, {
        actionName: WINDOW_ACTION, token: `token-${WINDOW_ACTION}`, result: { status: 'Approved', summary: out.gates[0].reason },
      });
      expect(out.gates[0].reason).toBe('window of us-east-1 open: inside hours 09:00-17:00 America/New_York on Monday');
    } else {
      expect(aws.codePipeline).not.toHaveReceivedCommand(PutApprovalResultCommand);
    }
  });

  test('closed before DST: says when it opens', async () => {
    windowWaiting(BEFORE_DST, { value: 'OFF' });
    const { handler, lines } = controller(() => BEFORE_DST);
    const out = await handler(SCHEDULED_EVENT);
    expect(out.gates[0].reason).toContain('2025-03-03T14:00:00.000Z');
    expect(lines[0].inputs.opensAt).toBe('2025-03-03T14:00:00.000Z');
  });

  test.each([
    ['missing', awsError('ParameterNotFound', ''), 'MISSING'],
    ['unreadable', awsError('AccessDeniedException', `User: arn:aws:sts::111111111111:assumed-role/orders-release-controller/x is not authorized to perform: ssm:GetParameter on resource: arn:aws:ssm:us-east-1:111111111111:parameter${STOP_SWITCH}`), 'UNREADABLE'],
  ])('stop switch %s holds the gate (fail closed)', async (_name, error, state) => {
    windowWaiting(AFTER_DST, { error });
    const { handler, lines } = controller(() => AFTER_DST);
    const out = await handler(SCHEDULED_EVENT);
    expect(out.gates[0]).toMatchObject({ decision: 'HOLD', result: 'NONE' });
    expect(out.gates[0].reason).toContain(STOP_SWITCH);
    expect(lines[0].inputs.stopSwitch).toBe(state);
    expect(aws.codePipeline).not.toHaveReceivedCommand(PutApprovalResultCommand);
  });

  test('an odd stop switch value is unreadable', async () => {
    windowWaiting(AFTER_DST, { value: 'maybe' });
    const { handler, lines } = controller(() => AFTER_DST);
    await handler(SCHEDULED_EVENT);
    expect(lines[0].inputs).toMatchObject({ stopSwitch: 'UNREADABLE', stopSwitchDetail: 'unexpected value "maybe" (expected ON or OFF)' });
  });

  describe('a wave of two regions has one gate, open only when both windows are', () => {
    // Monday 10 March 2025 (daylight time in the US since Sunday): 13:30Z is 09:30 in New York but
    // 06:30 in Los Angeles; 16:30Z is 12:30 and 09:30.
    const NY_ONLY = AFTER_DST;
    const BOTH = new Date('2025-03-10T16:30:00Z');

    test('New York open, Los Angeles closed: HOLD naming Los Angeles, until 09:00 there', async () => {
      windowWaiting(new Date(NY_ONLY.getTime() - 10 * 60_000), { value: 'OFF' });
      const { handler, lines } = controller(() => NY_ONLY, TWO_REGION_PLAN);
      const out = await handler(SCHEDULED_EVENT);
      expect(out.gates).toEqual([expect.objectContaining({
        gate: 'WINDOW',
        target: WINDOW_KEY,
        decision: 'HOLD',
        result: 'NONE',
        reason: 'window of us-west-2 closed: outside hours 09:00-17:00 America/Los_Angeles; all 2 windows are next open together at 2025-03-10T16:00:00.000Z '
          + '(us-east-1 Mon 2025-03-10 12:00 America/New_York, us-west-2 Mon 2025-03-10 09:00 America/Los_Angeles)',
      })]);
      expect(lines[0].inputs).toMatchObject({ opensAt: '2025-03-10T16:00:00.000Z', windows: [{ region: 'us-east-1' }, { region: 'us-west-2' }] });
      expect(aws.codePipeline).not.toHaveReceivedCommand(PutApprovalResultCommand);
    });

    test('both open: Approved', async () => {
      windowWaiting(new Date(BOTH.getTime() - 180 * 60_000), { value: 'OFF' });
      const { handler } = controller(() => BOTH, TWO_REGION_PLAN);
      const out = await handler(SCHEDULED_EVENT);
      expect(out.gates).toEqual([expect.objectContaining({ gate: 'WINDOW', target: WINDOW_KEY, decision: 'OPEN', result: 'APPROVED' })]);
      expect(aws.codePipeline).toHaveReceivedCommandWith(PutApprovalResultCommand, {
        stageName: 'Prod-Wave-1',
        actionName: WINDOW_ACTION,
        result: {
          status: 'Approved',
          summary: 'windows of all 2 regions open: us-east-1 inside hours 09:00-17:00 America/New_York on Monday; '
            + 'us-west-2 inside hours 09:00-17:00 America/Los_Angeles on Monday',
        },
      });
    });
  });

  test('a window closed for longer than maxWindowHoldMinutes rejects the gate', async () => {
    const since = new Date('2025-03-06T22:00:00Z'); // Thursday 17:00 EST, just closed
    const now = new Date('2025-03-10T03:00:00Z'); // Sunday 23:00 EDT, 77 hours later
    windowWaiting(since, { value: 'OFF' });
    const { handler } = controller(() => now);
    const out = await handler(SCHEDULED_EVENT);
    expect(out.gates[0]).toMatchObject({ decision: 'FAIL', result: 'REJECTED' });
    expect(out.gates[0].reason).toMatch(/^held 4620 min, longer than maxWindowHoldMinutes=4320/);
    expect(aws.codePipeline).toHaveReceivedCommandWith(PutApprovalResultCommand, { result: { status: 'Rejected', summary: out.gates[0].reason } });
    expect(aws.codeDeploy).not.toHaveReceivedAnyCommand();
  });
});

/**
 * Issue 12: paths where a bad release moved on or a rollback was lost. Each test fails on the
 * controller as it was before the issue.
 */
describe('issue 12: no fail-open path', () => {
  const ONEBOX_COMPOSITE = compositeAlarmName(PIPELINE, ONEBOX);
  const ONEBOX_PARAMETER = healthParameterName(PIPELINE, ONEBOX);

  /** GetPipelineState of Prod-Wave-1 running `executionId` (of `type`) with these actions. */
  function waveState(actions: Array<{ actionName: string; status: string; since: Date; token?: string }>, options: {
    type?: 'STANDARD' | 'ROLLBACK'; stageStatus?: string; executionId?: string;
  } = {}): GetPipelineStateCommandOutput {
    const base = pipelineState([]);
    return {
      ...base,
      stageStates: base.stageStates!.map((s) => s.stageName !== 'Prod-Wave-1' ? s : {
        stageName: 'Prod-Wave-1',
        latestExecution: { pipelineExecutionId: options.executionId ?? EXECUTION_ID, status: (options.stageStatus ?? 'InProgress') as any, type: options.type ?? 'STANDARD' },
        actionStates: actions.map((a, i) => ({
          actionName: a.actionName,
          latestExecution: {
            actionExecutionId: `9f8e7d6c-0000-4000-8000-00000000001${i}`, status: a.status as any, lastStatusChange: a.since, ...(a.token ? { token: a.token } : {}),
          },
        })),
      }),
    };
  }

  /** ListActionExecutions of EXECUTION_ID: these actions of Prod-Wave-1 with these statuses. */
  function executionHistory(actions: Array<{ actionName: string; status: string }>) {
    aws.codePipeline.on(ListActionExecutionsCommand, { filter: { pipelineExecutionId: EXECUTION_ID } }).resolves({
      actionExecutionDetails: actions.map((a, i) => ({
        pipelineExecutionId: EXECUTION_ID,
        actionExecutionId: `ae-${i}`,
        pipelineVersion: 3,
        stageName: 'Prod-Wave-1',
        actionName: a.actionName,
        startTime: T0,
        lastUpdateTime: at(31),
        status: a.status as any,
      })),
    });
  }

  /** The one-box target's manifest (its own deployment group) and its release-health alarm. */
  function oneBoxWatched(state: 'OK' | 'ALARM') {
    aws.ssm.on(GetParameterCommand, { Name: ONEBOX_PARAMETER }).resolves({
      Parameter: {
        Name: ONEBOX_PARAMETER,
        Type: 'String',
        Value: JSON.stringify({
          ...MANIFEST,
          targetId: ONEBOX,
          compositeAlarmName: ONEBOX_COMPOSITE,
          deploymentGroups: [{ applicationName: 'orders-api', deploymentGroupName: 'orders-api-onebox-us-east-1' }],
          aliases: [],
        }),
      },
    });
    aws.cloudWatch.on(DescribeAlarmsCommand, { AlarmNames: [ONEBOX_COMPOSITE] }).resolves({
      CompositeAlarms: [{ ...compositeAlarm(state, 'OrdersApi-5xx of the one-box transitioned to ALARM'), AlarmName: ONEBOX_COMPOSITE }],
    });
    aws.codeDeploy.on(ListDeploymentsCommand, { deploymentGroupName: 'orders-api-onebox-us-east-1' }).resolves({ deployments: ['d-ONEBOX1'] });
    aws.codeDeploy.on(GetDeploymentCommand, { deploymentId: 'd-ONEBOX1' }).resolves({ deploymentInfo: { deploymentId: 'd-ONEBOX1', status: 'Ready', creator: 'user' } });
    aws.codeDeploy.on(StopDeploymentCommand).resolves({ status: 'Pending' });
  }

  test('#1 an alarm already in ALARM when the bake starts, OK again minutes later, fails the bake', async () => {
    healthyTarget();
    // The only state change in the bake is ALARM -> OK at minute 5: it never *entered* ALARM in the bake.
    aws.cloudWatch.on(DescribeAlarmHistoryCommand, { AlarmName: 'OrdersApi-5xx' }).resolves({
      AlarmHistoryItems: [stateUpdate('OrdersApi-5xx', 'ALARM', 'OK', at(5))],
    });
    const { handler } = controller(() => at(361));
    const result = await handler(SCHEDULED_EVENT);
    expect(result.gates).toEqual([expect.objectContaining({
      decision: 'FAIL', result: 'REJECTED', reason: `${FLEET}: alarm OrdersApi-5xx was in ALARM when the bake started at ${T0.toISOString()} (now OK)`,
    })]);
    expect(aws.codePipeline).not.toHaveReceivedCommandWith(PutApprovalResultCommand, { result: expect.objectContaining({ status: 'Approved' }) });
  });

  test('#1 an alarm that changed state in the bake while its history does not show it yet keeps the gate closed', async () => {
    healthyTarget();
    aws.cloudWatch.on(DescribeAlarmsCommand).resolves({
      CompositeAlarms: [{ ...compositeAlarm(), StateTransitionedTimestamp: at(300) }], MetricAlarms: [ALARM_5XX, ALARM_LATENCY],
    });
    const { handler } = controller(() => at(361));
    await expect(handler(SCHEDULED_EVENT)).rejects.toThrow(`the alarm changed state at ${at(300).toISOString()}, during the bake, but its history shows no change yet`);
    expect(aws.codePipeline).not.toHaveReceivedCommand(PutApprovalResultCommand);
  });

  test('#2 a late ALARM of a target this release already approved rejects the next bake of its stage and rolls both back', async () => {
    healthyTarget();
    oneBoxWatched('ALARM');
    executionHistory([{ actionName: ONEBOX_BAKE_ACTION, status: 'Succeeded' }]);
    const { handler, lines } = controller(() => at(361));
    const result = await handler(SCHEDULED_EVENT);
    // the fleet itself is healthy: before, it was approved
    expect(result.gates).toEqual([expect.objectContaining({ target: FLEET, decision: 'FAIL', result: 'REJECTED' })]);
    expect(result.gates[0].reason).toContain(`rejected so that stage Prod-Wave-1 fails and rolls back: alarm blocker: ${ONEBOX}, approved earlier in this release`);
    expect(result.rollbacks).toEqual([expect.objectContaining({ targetId: ONEBOX })]);
    expect(aws.codeDeploy).toHaveReceivedCommandWith(StopDeploymentCommand, { deploymentId: 'd-ONEBOX1', autoRollbackEnabled: true });
    expect(aws.codePipeline).toHaveReceivedCommandWith(ListActionExecutionsCommand, {
      pipelineName: PIPELINE, filter: { pipelineExecutionId: EXECUTION_ID },
    });
    expect(lines[0]).toMatchObject({ level: 'warn', gate: 'BLOCKER', target: ONEBOX, decision: 'ALARM' });
    expect(lines[0].reason).toContain(`every later gate of execution ${EXECUTION_ID} holds until it is OK again`);
  });

  test('#2 an alarm blocker holds the window gate of a later wave, also with the window open, until the alarm is OK again', async () => {
    healthyTarget();
    const AFTER_DST = new Date('2025-03-10T13:30:00Z'); // 09:30 EDT Monday: the window is open
    oneBoxWatched('ALARM');
    aws.codePipeline.on(GetPipelineStateCommand).resolves(waveState([{ actionName: WINDOW_ACTION, status: 'InProgress', since: at(0), token: 'window-token' }]));
    executionHistory([{ actionName: ONEBOX_BAKE_ACTION, status: 'Succeeded' }]);
    const { handler } = controller(() => AFTER_DST);
    const held = await handler(SCHEDULED_EVENT);
    expect(held.gates).toEqual([expect.objectContaining({ gate: 'WINDOW', decision: 'HOLD', result: 'NONE' })]);
    expect(held.gates[0].reason).toMatch(/^held by an alarm blocker until OK again: alarm blocker: prod-wave-1-us-east-1-onebox/);
    expect(aws.codePipeline).not.toHaveReceivedCommand(PutApprovalResultCommand);

    oneBoxWatched('OK');
    const open = await handler(SCHEDULED_EVENT);
    expect(open.gates).toEqual([expect.objectContaining({ gate: 'WINDOW', decision: 'OPEN', result: 'APPROVED' })]);
  });

  test('#2 the ALARM event of an approved target with no bake waiting rolls it back (it used to be logged at info and dropped)', async () => {
    healthyTarget();
    oneBoxWatched('ALARM');
    aws.codePipeline.on(GetPipelineStateCommand).resolves(waveState([{ actionName: 'us-east-1.Deploy-Fleet', status: 'InProgress', since: at(31) }]));
    executionHistory([{ actionName: ONEBOX_BAKE_ACTION, status: 'Succeeded' }]);
    const { handler, lines } = controller(() => at(32));
    const result = await handler(alarmEvent(ONEBOX_COMPOSITE, 'ALARM'));
    expect(result.rollbacks).toEqual([expect.objectContaining({ targetId: ONEBOX })]);
    expect(aws.codeDeploy).toHaveReceivedCommandWith(StopDeploymentCommand, { deploymentId: 'd-ONEBOX1', autoRollbackEnabled: true });
    expect(lines.map((l) => [l.gate, l.decision])).toEqual([['BLOCKER', 'ALARM'], ['ROLLBACK', 'ROLLED_BACK']]);
  });

  test('#3 after a crash between rejection and rollback, the sweep finishes the rollback, once', async () => {
    healthyTarget();
    aws.codePipeline.on(GetPipelineCommand).resolves(pipelineDefinition(3, 'ROLLBACK'));
    aws.codePipeline.on(GetPipelineStateCommand).resolves(waveState([{ actionName: BAKE_ACTION, status: 'Failed', since: at(12) }], { stageStatus: 'Failed' }));
    executionHistory([{ actionName: ONEBOX_BAKE_ACTION, status: 'Succeeded' }, { actionName: BAKE_ACTION, status: 'Failed' }]);
    aws.codeDeploy.on(ListDeploymentsCommand).resolves({ deployments: ['d-8X1EXAMPLE'] });
    aws.codeDeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { deploymentId: 'd-8X1EXAMPLE', status: 'InProgress', creator: 'user' } });
    aws.codeDeploy.on(StopDeploymentCommand).resolves({ status: 'Pending' });
    aws.lambda.on(GetAliasCommand).resolves({ Name: 'live', FunctionVersion: '7', RoutingConfig: { AdditionalVersionWeights: { 8: 0.1 } } });
    // CodePipeline can roll the stage back: the last success ran in the current structure version.
    aws.codePipeline.on(ListPipelineExecutionsCommand).resolves({ pipelineExecutionSummaries: [{ pipelineExecutionId: 'a0b1c2d3-1111-4000-8000-000000000001', status: 'Succeeded' }] });
    aws.codePipeline.on(GetPipelineExecutionCommand).resolves({ pipelineExecution: { pipelineExecutionId: 'a0b1c2d3-1111-4000-8000-000000000001', pipelineVersion: 3 } });
    const { handler, lines } = controller(() => at(20));
    const result = await handler(SCHEDULED_EVENT);
    expect(result.rollbacks).toEqual([expect.objectContaining({ targetId: FLEET, reason: `finishing the rollback of ${FLEET}: its bake gate was rejected in execution ${EXECUTION_ID}` })]);
    expect(aws.codeDeploy).toHaveReceivedCommandWith(StopDeploymentCommand, { deploymentId: 'd-8X1EXAMPLE', autoRollbackEnabled: true });
    expect(aws.lambda).toHaveReceivedCommandWith(UpdateAliasCommand, { FunctionName: 'orders-api-handler', Name: 'live', FunctionVersion: '7', RoutingConfig: { AdditionalVersionWeights: {} } });
    expect(lines.filter((l) => l.gate === 'ROLLBACK')).toHaveLength(1);

    // Finished: the next sweeps find nothing in flight and stay quiet.
    aws.codeDeploy.on(ListDeploymentsCommand).resolves({ deployments: [] });
    aws.lambda.on(GetAliasCommand).resolves({ Name: 'live', FunctionVersion: '7' });
    const again = await handler(SCHEDULED_EVENT);
    expect(again.rollbacks).toBeUndefined();
    expect(lines.filter((l) => l.gate === 'ROLLBACK')).toHaveLength(1);
  });

  // After a pipeline structure change CodePipeline cannot roll the stage back
  // (https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-rollback-auto.html): the sweep
  // finds the rejected bake every minute, but a stage that must stay failed is nothing to report again.
  test('#3 a rejected bake whose stage cannot roll back (older structure version) is not re-reported by every sweep', async () => {
    healthyTarget();
    aws.codePipeline.on(GetPipelineCommand).resolves(pipelineDefinition(3, 'ROLLBACK'));
    aws.codePipeline.on(GetPipelineStateCommand).resolves(waveState([{ actionName: BAKE_ACTION, status: 'Failed', since: at(12) }], { stageStatus: 'Failed' }));
    executionHistory([{ actionName: ONEBOX_BAKE_ACTION, status: 'Succeeded' }, { actionName: BAKE_ACTION, status: 'Failed' }]);
    aws.codeDeploy.on(ListDeploymentsCommand).resolves({ deployments: [] });
    aws.lambda.on(GetAliasCommand).resolves({ Name: 'live', FunctionVersion: '6' });
    aws.codePipeline.on(ListPipelineExecutionsCommand).resolves({ pipelineExecutionSummaries: [{ pipelineExecutionId: 'a0b1c2d3-1111-4000-8000-000000000001', status: 'Succeeded' }] });
    aws.codePipeline.on(GetPipelineExecutionCommand).resolves({ pipelineExecution: { pipelineExecutionId: 'a0b1c2d3-1111-4000-8000-000000000001', pipelineVersion: 2 } });
    const { handler, lines } = controller(() => at(20));
    const result = await handler(SCHEDULED_EVENT);
    expect(result.rollbacks).toBeUndefined();
    expect(lines.filter((l) => l.gate === 'ROLLBACK')).toEqual([]);
    expect(aws.codePipeline).toHaveReceivedCommandWith(GetPipelineExecutionCommand, { pipelineName: PIPELINE, pipelineExecutionId: 'a0b1c2d3-1111-4000-8000-000000000001' });
    expect(aws.codePipeline).not.toHaveReceivedCommand(RollbackStageCommand);
  });

  test('#3 a rejected bake GetPipelineState shows from an older execution never rolls back the release now running', async () => {
    healthyTarget();
    aws.codePipeline.on(GetPipelineStateCommand).resolves(waveState([{ actionName: BAKE_ACTION, status: 'Failed', since: at(-2000) }]));
    executionHistory([{ actionName: WINDOW_ACTION, status: 'Succeeded' }]);
    aws.codeDeploy.on(ListDeploymentsCommand).resolves({ deployments: ['d-NEWRELEASE'] });
    const { handler } = controller(() => at(20));
    const result = await handler(SCHEDULED_EVENT);
    expect(result.rollbacks).toBeUndefined();
    expect(aws.codeDeploy).not.toHaveReceivedAnyCommand();
  });

  test.each([
    ['LimitExceededException', awsError('LimitExceededException', 'Rate exceeded', 400)],
    ['an HTTP 429', awsError('SlowDownPlease', 'Too Many Requests', 429)],
    ['ECONNREFUSED', Object.assign(new Error('connect ECONNREFUSED 52.94.0.1:443'), { code: 'ECONNREFUSED' })],
    ['EAI_AGAIN', Object.assign(new Error('getaddrinfo EAI_AGAIN monitoring.us-east-1.amazonaws.com'), { code: 'EAI_AGAIN' })],
  ])('#4 %s keeps the gate closed and rolls nothing back', async (_name, error) => {
    healthyTarget();
    aws.cloudWatch.on(DescribeAlarmsCommand).rejects(error);
    const { handler } = controller(() => at(400));
    await expect(handler(SCHEDULED_EVENT)).rejects.toThrow(`could not decide 1 gate(s), left closed: BAKE ${FLEET}: health signal of ${FLEET} not read this time`);
    expect(aws.codePipeline).not.toHaveReceivedCommand(PutApprovalResultCommand);
    expect(aws.codeDeploy).not.toHaveReceivedAnyCommand();
  });

  test('#5 a composite alarm among the monitor\'s alarms counts by its state and history', async () => {
    healthyTarget();
    aws.ssm.on(GetParameterCommand, { Name: FLEET_HEALTH_PARAMETER })
      .resolves({ Parameter: { Value: JSON.stringify({ ...MANIFEST, alarmNames: [...MANIFEST.alarmNames, 'OrdersApi-dependencies'] }) } });
    const dependencies = { ...compositeAlarm(), AlarmName: 'OrdersApi-dependencies', AlarmRule: 'ALARM("Payments-5xx") OR ALARM("Inventory-5xx")' };
    aws.cloudWatch.on(DescribeAlarmsCommand).resolves({
      CompositeAlarms: [compositeAlarm(), dependencies], MetricAlarms: [ALARM_5XX, ALARM_LATENCY],
    });
    const { handler } = controller(() => at(361));
    expect((await handler(SCHEDULED_EVENT)).gates[0]).toMatchObject({ decision: 'PASS', result: 'APPROVED' });
    expect(aws.cloudWatch).toHaveReceivedCommandWith(DescribeAlarmHistoryCommand, { AlarmName: 'OrdersApi-dependencies', AlarmTypes: ['CompositeAlarm', 'MetricAlarm'] });

    aws.cloudWatch.on(DescribeAlarmHistoryCommand, { AlarmName: 'OrdersApi-dependencies' }).resolves({
      AlarmHistoryItems: [{ ...stateUpdate('OrdersApi-dependencies', 'OK', 'ALARM', at(100)), AlarmType: 'CompositeAlarm' }],
    });
    const flapped = await handler(SCHEDULED_EVENT);
    expect(flapped.gates[0]).toMatchObject({ decision: 'FAIL', reason: `${FLEET}: alarm OrdersApi-dependencies went into ALARM at ${at(100).toISOString()} during the bake (now OK)` });
  });

  test('#6 an in-progress approval without a token is skipped with an error line; the other gates are decided', async () => {
    healthyTarget();
    aws.codePipeline.on(GetPipelineStateCommand).resolves(waveState([
      { actionName: BAKE_ACTION, status: 'InProgress', since: T0 },
      { actionName: ONEBOX_BAKE_ACTION, status: 'InProgress', since: T0, token: 'onebox-token' },
    ]));
    const { handler, lines } = controller(() => at(3));
    await expect(handler(SCHEDULED_EVENT)).rejects.toThrow(`could not decide 1 gate(s), left closed: BAKE ${FLEET}: action Prod-Wave-1/${BAKE_ACTION} is in progress but GetPipelineState returned no approval token`);
    expect(lines.map((l) => [l.gate, l.target, l.decision, l.level])).toEqual([['BAKE', FLEET, 'ERROR', 'error'], ['BAKE', ONEBOX, 'FAIL', 'warn'], ['ROLLBACK', ONEBOX, 'INCOMPLETE', 'error']]);
    expect(aws.codePipeline).toHaveReceivedCommandWith(PutApprovalResultCommand, { actionName: ONEBOX_BAKE_ACTION, token: 'onebox-token' });
  });

  test('#7 the clock is read after GetPipelineState: an approval that started meanwhile never bakes backwards', async () => {
    healthyTarget();
    let clock = new Date(T0.getTime() - 1000);
    aws.codePipeline.on(GetPipelineStateCommand).callsFake(() => {
      clock = new Date(T0.getTime() + 500); // the state is answered after the approval started at T0
      return pipelineState([{ actionName: BAKE_ACTION, since: T0 }]);
    });
    const { handler, lines } = controller(() => clock);
    await handler(SCHEDULED_EVENT);
    for (const call of aws.cloudWatch.commandCalls(DescribeAlarmHistoryCommand)) {
      const { StartDate, EndDate } = call.args[0].input;
      expect(StartDate!.getTime()).toBeLessThanOrEqual(EndDate!.getTime());
    }
    expect(lines[0].inputs).toMatchObject({ bakeStart: T0.toISOString(), now: new Date(T0.getTime() + 500).toISOString() });
  });

  test('#8 a canary that completed no run during the bake fails it, even when metric alarms have data', async () => {
    healthyTarget();
    aws.synthetics.on(GetCanaryRuns).resolves({ CanaryRuns: [canaryRun('0f8a7b6c-run-0', 'PASSED', at(-30))] });
    const { handler } = controller(() => at(361));
    const result = await handler(SCHEDULED_EVENT);
    expect(result.gates[0]).toMatchObject({
      decision: 'FAIL',
      result: 'REJECTED',
      reason: `${FLEET}: canary orders-checkout completed no run during the 360-minute bake; a stopped canary watches nothing (start it, or set requireCanaryRuns: false)`,
    });
  });
});

/**
 * A V2 stage rollback starts an execution of type ROLLBACK that runs the stage's actions again
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-rollback.html; the type is
 * `StageExecution.type`, https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_StageExecution.html).
 */
describe('rollback executions never wait', () => {
  function rollbackState(actionName: string, since: Date): GetPipelineStateCommandOutput {
    const state = pipelineState([{ actionName, since }]);
    return {
      ...state,
      stageStates: state.stageStates!.map((s) => s.stageName !== 'Prod-Wave-1' ? s : {
        ...s, latestExecution: { pipelineExecutionId: 'f00dfeed-2222-4000-8000-000000000002', status: 'InProgress', type: 'ROLLBACK' },
      }),
    };
  }

  test('at 03:00 New York time with the stop switch ON, the window gate of a rollback opens at once', async () => {
    healthyTarget();
    aws.ssm.on(GetParameterCommand, { Name: STOP_SWITCH }).resolves({ Parameter: { Name: STOP_SWITCH, Type: 'String', Value: 'ON', Version: 5 } });
    const threeAm = new Date('2025-03-05T08:00:00Z'); // Wednesday 03:00 EST
    aws.codePipeline.on(GetPipelineStateCommand).resolves(rollbackState(WINDOW_ACTION, new Date(threeAm.getTime() - 5_000)));
    const { handler, lines } = controller(() => threeAm);
    const result = await handler(SCHEDULED_EVENT);
    const reason = 'rollback execution f00dfeed-2222-4000-8000-000000000002: a rollback never waits for a deployment window or the stop switch';
    expect(result.gates).toEqual([expect.objectContaining({ gate: 'WINDOW', decision: 'OPEN', result: 'APPROVED', reason })]);
    expect(aws.codePipeline).toHaveReceivedCommandWith(PutApprovalResultCommand, { actionName: WINDOW_ACTION, result: { status: 'Approved', summary: reason } });
    expect(aws.ssm).not.toHaveReceivedCommandWith(GetParameterCommand, { Name: STOP_SWITCH });
    expect(lines[0].inputs).toMatchObject({ executionType: 'ROLLBACK' });
  });

  test('the bake gate of a rollback is approved at once, saying why, without waiting for bake time', async () => {
    healthyTarget();
    aws.codePipeline.on(GetPipelineStateCommand).resolves(rollbackState(BAKE_ACTION, T0));
    const { handler, lines } = controller(() => at(1));
    const result = await handler(SCHEDULED_EVENT);
    expect(result.gates).toEqual([expect.objectContaining({ gate: 'BAKE', decision: 'PASS', result: 'APPROVED' })]);
    expect(lines[0].reason).toBe('rollback execution f00dfeed-2222-4000-8000-000000000002: approved without baking; '
      + 'the stage is returning to the release that last succeeded in it, and holding the bake would only delay that');
    expect(aws.sts).not.toHaveReceivedAnyCommand();
  });
});
