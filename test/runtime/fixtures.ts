/**
 * A small release plan and realistic AWS responses for the runtime tests.
 */
import { CloudWatchClient, MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { CodePipelineClient, GetPipelineCommandOutput, GetPipelineStateCommandOutput } from '@aws-sdk/client-codepipeline';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { GetCanaryRunsCommand, SyntheticsClient } from '@aws-sdk/client-synthetics';
import { AwsStub, mockClient } from 'aws-sdk-client-mock';
import { HealthManifest } from '../../lib/model/health-manifest';
import { compositeAlarmName, gateToken, healthParameterName, stageKey } from '../../lib/model/naming';
import { ReleasePlan } from '../../lib/model/plan';
import { createAwsClientFactory } from '../../lib/runtime/aws-clients';
import { DecisionLine } from '../../lib/runtime/decision-log';

export const PIPELINE = 'orders';
export const PIPELINE_ACCOUNT = '111111111111';
export const BETA_ACCOUNT = '222222222222';
export const PROD_ACCOUNT = '333333333333';
export const STOP_SWITCH = '/cdk-wave-pipelines/orders/stop-all-releases';

export const FLEET = 'prod-wave-1-us-east-1-fleet';
export const ONEBOX = 'prod-wave-1-us-east-1-onebox';
export const BETA = 'beta-us-west-2-fleet';
/** The window gate is per CodePipeline stage: its key is the stage's. */
export const WINDOW_KEY = stageKey('Prod-Wave-1');
export const FLEET_ROLE_ARN = `arn:aws:iam::${PROD_ACCOUNT}:role/wave-orders-${FLEET}`;
export const FLEET_COMPOSITE = compositeAlarmName(PIPELINE, FLEET);
export const FLEET_HEALTH_PARAMETER = healthParameterName(PIPELINE, FLEET);

export const PLAN: ReleasePlan = {
  schemaVersion: 1,
  pipelineName: PIPELINE,
  pipelineAccount: PIPELINE_ACCOUNT,
  pipelineRegion: 'us-east-1',
  stopSwitchParameterName: STOP_SWITCH,
  maxWindowHoldMinutes: 4320,
  stages: [
    {
      name: 'Beta',
      kind: 'PRE_PRODUCTION',
      wave: 0,
      regions: [{
        region: 'us-west-2',
        account: BETA_ACCOUNT,
        fleet: { id: BETA, kind: 'FLEET', stageName: 'Beta', region: 'us-west-2', account: BETA_ACCOUNT, bake: { minutes: 0, minHealthyDatapoints: 0, noData: 'FAIL' } },
        validations: [],
      }],
    },
    {
      name: 'Prod-Wave-1',
      kind: 'PRODUCTION',
      wave: 1,
      regions: [{
        region: 'us-east-1',
        account: PROD_ACCOUNT,
        window: { timeZone: 'America/New_York', weekdays: ['MON', 'TUE', 'WED', 'THU'], startHour: 9, endHour: 17, blackouts: [] },
        oneBox: {
          id: ONEBOX, kind: 'ONE_BOX', stageName: 'Prod-Wave-1', region: 'us-east-1', account: PROD_ACCOUNT, bake: { minutes: 30, minHealthyDatapoints: 0, noData: 'FAIL' },
        },
        fleet: {
          id: FLEET, kind: 'FLEET', stageName: 'Prod-Wave-1', region: 'us-east-1', account: PROD_ACCOUNT, bake: { minutes: 360, minHealthyDatapoints: 3, noData: 'FAIL' },
        },
        validations: [],
      }],
    },
  ],
};

/**
 * The same pipeline with a second region in Prod-Wave-1: us-west-2, Mon-Thu 09:00-17:00
 * America/Los_Angeles. The wave's one window gate opens only when both windows are open.
 */
export const TWO_REGION_PLAN: ReleasePlan = {
  ...PLAN,
  stages: PLAN.stages.map((stage) => stage.name !== 'Prod-Wave-1' ? stage : {
    ...stage,
    regions: [...stage.regions, {
      region: 'us-west-2',
      account: PROD_ACCOUNT,
      window: { timeZone: 'America/Los_Angeles', weekdays: ['MON', 'TUE', 'WED', 'THU'], startHour: 9, endHour: 17, blackouts: [] },
      fleet: {
        id: 'prod-wave-1-us-west-2-fleet', kind: 'FLEET', stageName: 'Prod-Wave-1', region: 'us-west-2', account: PROD_ACCOUNT, bake: { minutes: 360, minHealthyDatapoints: 0, noData: 'FAIL' },
      },
      validations: [],
    }],
  }),
};

export const MANIFEST: HealthManifest = {
  schemaVersion: 1,
  targetId: FLEET,
  compositeAlarmName: FLEET_COMPOSITE,
  alarmNames: ['OrdersApi-5xx', 'OrdersApi-p99-latency'],
  canaryNames: ['orders-checkout'],
  deploymentGroups: [{ applicationName: 'orders-api', deploymentGroupName: 'orders-api-prod-us-east-1' }],
  aliases: [{ functionName: 'orders-api-handler', aliasName: 'live' }],
};

export const WINDOW_ACTION = 'Window';
export const BAKE_ACTION = 'us-east-1.Bake-Fleet';
export const ONEBOX_BAKE_ACTION = 'us-east-1.Bake-OneBox';
export const EXECUTION_ID = 'c7d5b0e2-8f1a-4b7e-9f3c-2a1d4e5f6a7b';
export const APPROVAL_TOKEN = '1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d';

/** GetPipeline of the plan's pipeline, with the gate tokens the constructs write. */
export function pipelineDefinition(version = 3, onFailure?: 'ROLLBACK'): GetPipelineCommandOutput {
  const approval = { category: 'Approval' as const, owner: 'AWS' as const, provider: 'Manual', version: '1' };
  return {
    $metadata: {},
    pipeline: {
      name: PIPELINE,
      roleArn: `arn:aws:iam::${PIPELINE_ACCOUNT}:role/orders-pipeline-role`,
      version,
      pipelineType: 'V2',
      stages: [
        { name: 'Source', actions: [{ name: 'GitHub', actionTypeId: { category: 'Source', owner: 'AWS', provider: 'CodeStarSourceConnection', version: '1' } }] },
        {
          name: 'Prod-Wave-1',
          ...(onFailure ? { onFailure: { result: onFailure } } : {}),
          actions: [
            {
              name: WINDOW_ACTION,
              actionTypeId: approval,
              runOrder: 1,
              configuration: { CustomData: `Prod-Wave-1 starts when the window of us-east-1 is open (Mon-Thu 09:00-17:00 America/New_York). ${gateToken('WINDOW', WINDOW_KEY)}` },
            },
            { name: 'us-east-1.Deploy-Fleet', actionTypeId: { category: 'Deploy', owner: 'AWS', provider: 'CloudFormation', version: '1' }, runOrder: 2 },
            {
              name: BAKE_ACTION,
              actionTypeId: approval,
              runOrder: 3,
              configuration: { CustomData: `Bake of ${FLEET}: 360 min healthy. Approved or rejected by the release controller. ${gateToken('BAKE', FLEET)}` },
            },
            {
              name: ONEBOX_BAKE_ACTION,
              actionTypeId: approval,
              runOrder: 1,
              configuration: { CustomData: `Bake of ${ONEBOX}. ${gateToken('BAKE', ONEBOX)}` },
            },
            { name: 'us-east-1.ManualCheck', actionTypeId: approval, runOrder: 4, configuration: { CustomData: 'Someone please look at the dashboard' } },
          ],
        },
      ],
    },
    metadata: { pipelineArn: `arn:aws:codepipeline:us-east-1:${PIPELINE_ACCOUNT}:${PIPELINE}` },
  };
}

/** GetPipelineState with these approval actions in progress since their start time. */
export function pipelineState(inProgress: Array<{ actionName: string; since: Date }>, version = 3): GetPipelineStateCommandOutput {
  return {
    $metadata: {},
    pipelineName: PIPELINE,
    pipelineVersion: version,
    created: new Date('2025-01-10T12:00:00Z'),
    updated: new Date('2025-02-20T12:00:00Z'),
    stageStates: [
      {
        stageName: 'Source',
        latestExecution: { pipelineExecutionId: EXECUTION_ID, status: 'Succeeded' },
        actionStates: [{ actionName: 'GitHub', latestExecution: { actionExecutionId: 'src-1', status: 'Succeeded', lastStatusChange: new Date('2025-03-03T08:00:00Z') } }],
      },
      {
        stageName: 'Prod-Wave-1',
        latestExecution: { pipelineExecutionId: EXECUTION_ID, status: 'InProgress' },
        actionStates: [
          ...inProgress.map((a, i) => ({
            actionName: a.actionName,
            latestExecution: {
              actionExecutionId: `9f8e7d6c-0000-4000-8000-00000000000${i}`,
              status: 'InProgress' as const,
              lastStatusChange: a.since,
              token: a.actionName === BAKE_ACTION ? APPROVAL_TOKEN : `token-${a.actionName}`,
            },
          })),
          {
            actionName: 'us-east-1.ManualCheck',
            latestExecution: { actionExecutionId: 'manual-1', status: 'InProgress', lastStatusChange: new Date('2025-03-03T08:00:00Z'), token: 'manual-token' },
          },
        ],
      },
    ],
  };
}

export const ALARM_5XX: MetricAlarm = {
  AlarmName: 'OrdersApi-5xx',
  AlarmArn: `arn:aws:cloudwatch:us-east-1:${PROD_ACCOUNT}:alarm:OrdersApi-5xx`,
  ActionsEnabled: true,
  StateValue: 'OK',
  StateReason: 'Threshold Crossed: 1 datapoint [0.0 (04/03/25 09:58:00)] was not greater than or equal to the threshold (1.0).',
  StateUpdatedTimestamp: new Date('2025-03-01T00:00:00Z'),
  MetricName: '5XXError',
  Namespace: 'AWS/ApiGateway',
  Statistic: 'Sum',
  Dimensions: [{ Name: 'ApiName', Value: 'orders-api' }],
  Period: 60,
  EvaluationPeriods: 3,
  DatapointsToAlarm: 2,
  Threshold: 1,
  ComparisonOperator: 'GreaterThanOrEqualToThreshold',
  TreatMissingData: 'notBreaching',
};

export const ALARM_LATENCY: MetricAlarm = {
  AlarmName: 'OrdersApi-p99-latency',
  AlarmArn: `arn:aws:cloudwatch:us-east-1:${PROD_ACCOUNT}:alarm:OrdersApi-p99-latency`,
  ActionsEnabled: true,
  StateValue: 'OK',
  StateReason: 'Threshold Crossed: no datapoints were breaching',
  StateUpdatedTimestamp: new Date('2025-03-01T00:00:00Z'),
  EvaluationPeriods: 5,
  Threshold: 500,
  ComparisonOperator: 'GreaterThanThreshold',
  TreatMissingData: 'missing',
  Metrics: [
    {
      Id: 'latency',
      MetricStat: { Metric: { Namespace: 'AWS/ApiGateway', MetricName: 'Latency', Dimensions: [{ Name: 'ApiName', Value: 'orders-api' }] }, Period: 300, Stat: 'p99' },
      ReturnData: false,
    },
    { Id: 'e1', Expression: 'FILL(latency, 0)', Label: 'p99 latency (filled)', ReturnData: true },
  ],
};

export function compositeAlarm(state = 'OK', reason = 'arn:aws:cloudwatch:...:alarm:OrdersApi-5xx transitioned to OK') {
  return {
    AlarmName: FLEET_COMPOSITE,
    AlarmArn: `arn:aws:cloudwatch:us-east-1:${PROD_ACCOUNT}:alarm:${FLEET_COMPOSITE}`,
    ActionsEnabled: true,
    AlarmRule: 'ALARM("OrdersApi-5xx") OR ALARM("OrdersApi-p99-latency") OR ALARM("orders-checkout-failed")',
    StateValue: state as any,
    StateReason: reason,
    StateUpdatedTimestamp: new Date('2025-03-01T00:00:00Z'),
    StateTransitionedTimestamp: new Date('2025-03-01T00:00:00Z'),
  };
}

/** One history item: `from` -> `to` at `when`, as DescribeAlarmHistory returns it. */
export function stateUpdate(alarmName: string, from: string, to: string, when: Date) {
  return {
    AlarmName: alarmName,
    AlarmType: 'MetricAlarm' as const,
    Timestamp: when,
    HistoryItemType: 'StateUpdate' as const,
    HistorySummary: `Alarm updated from ${from} to ${to}`,
    HistoryData: JSON.stringify({
      version: '1.0',
      oldState: { stateValue: from, stateReason: 'Threshold Crossed' },
      newState: { stateValue: to, stateReason: 'Threshold Crossed: 2 out of the last 3 datapoints were greater than or equal to the threshold (1.0).' },
    }),
  };
}

export function canaryRun(id: string, state: 'PASSED' | 'FAILED' | 'RUNNING', started: Date, reason = '') {
  return {
    Id: id,
    Name: 'orders-checkout',
    Status: { State: state, StateReason: reason, StateReasonCode: state === 'FAILED' ? 'CANARY_FAILURE' as const : undefined },
    Timeline: { Started: started, ...(state === 'RUNNING' ? {} : { Completed: new Date(started.getTime() + 40_000) }) },
    ArtifactS3Location: `cw-syn-results-${PROD_ACCOUNT}-us-east-1/canary/us-east-1/orders-checkout/${id}`,
  };
}

/** An SDK-shaped service error. */
export function awsError(name: string, message: string, httpStatusCode = 400): Error {
  const err = new Error(message);
  err.name = name;
  Object.assign(err, { $fault: httpStatusCode >= 500 ? 'server' : 'client', $metadata: { httpStatusCode, requestId: 'b5c6d7e8-0000-4000-8000-000000000000', attempts: 1 } });
  return err;
}

export const STS_CREDENTIALS = {
  Credentials: {
    AccessKeyId: 'ASIAEXAMPLEEXAMPLE12',
    SecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    SessionToken: 'FwoGZXIvYXdzEXAMPLE',
    Expiration: new Date('2030-01-01T00:00:00Z'),
  },
  AssumedRoleUser: { AssumedRoleId: 'AROAEXAMPLE:wave-pipelines-controller', Arn: `arn:aws:sts::${PROD_ACCOUNT}:assumed-role/wave-orders-${FLEET}/wave-pipelines-controller` },
};

/**
 * `GetCanaryRunsCommand`, typed loosely: client-synthetics is pinned to an older SDK release whose
 * smithy types differ from those aws-sdk-client-mock is typed against.
 */
export const GetCanaryRuns: any = GetCanaryRunsCommand;

/** Mocks of every client class the runtime uses (mockClient stubs all instances of a class). */
export function mockAws() {
  return {
    codePipeline: mockClient(CodePipelineClient),
    ssm: mockClient(SSMClient),
    sts: mockClient(STSClient),
    cloudWatch: mockClient(CloudWatchClient),
    // client-synthetics is pinned to an older SDK release whose smithy types differ from the mock's
    synthetics: mockClient(SyntheticsClient as any) as AwsStub<any, any, any>,
    codeDeploy: mockClient(CodeDeployClient),
    lambda: mockClient(LambdaClient),
  };
}
export type AwsMocks = ReturnType<typeof mockAws>;

/** The real client factory (caching, role assumption) over mocked clients. */
export function testClients(now: () => Date) {
  return createAwsClientFactory({ pipelineRegion: 'us-east-1', now, retryBaseDelayMs: 1 });
}

/** Collects decision lines instead of printing them. */
export function captureLog(): { lines: DecisionLine[]; log: (line: DecisionLine) => void } {
  const lines: DecisionLine[] = [];
  return { lines, log: (line) => lines.push(JSON.parse(JSON.stringify(line))) };
}

export const SCHEDULED_EVENT = {
  'version': '0',
  'id': '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
  'detail-type': 'Scheduled Event',
  'source': 'aws.events',
  'account': PIPELINE_ACCOUNT,
  'time': '2025-03-04T15:00:00Z',
  'region': 'us-east-1',
  'resources': [`arn:aws:events:us-east-1:${PIPELINE_ACCOUNT}:rule/orders-controller-sweep`],
  'detail': {},
};

export function alarmEvent(alarmName: string, value: string, account = PROD_ACCOUNT, region = 'us-east-1') {
  return {
    'version': '0',
    'id': 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
    'detail-type': 'CloudWatch Alarm State Change',
    'source': 'aws.cloudwatch',
    'account': account,
    'time': '2025-03-04T15:03:12Z',
    'region': region,
    'resources': [`arn:aws:cloudwatch:${region}:${account}:alarm:${alarmName}`],
    'detail': {
      alarmName,
      state: { value, reason: 'OrdersApi-5xx transitioned to ALARM', timestamp: '2025-03-04T15:03:12.000+0000' },
      previousState: { value: 'OK', reason: '', timestamp: '2025-03-04T14:00:00.000+0000' },
      configuration: { alarmRule: 'ALARM("OrdersApi-5xx")' },
    },
  };
}

export const ACTION_STARTED_EVENT = {
  'version': '0',
  'id': 'CWE-event-id',
  'detail-type': 'CodePipeline Action Execution State Change',
  'source': 'aws.codepipeline',
  'account': PIPELINE_ACCOUNT,
  'time': '2025-03-04T15:00:00Z',
  'region': 'us-east-1',
  'resources': [`arn:aws:codepipeline:us-east-1:${PIPELINE_ACCOUNT}:${PIPELINE}`],
  'detail': {
    'pipeline': PIPELINE,
    'execution-id': EXECUTION_ID,
    'stage': 'Prod-Wave-1',
    'action': BAKE_ACTION,
    'state': 'STARTED',
    'region': 'us-east-1',
    'type': { owner: 'AWS', provider: 'Manual', category: 'Approval', version: '1' },
    'version': 3,
  },
};
