import {
  GetDeploymentCommand, GetDeploymentTargetCommand, ListDeploymentTargetsCommand, ListDeploymentsCommand, StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import {
  GetPipelineCommand, GetPipelineExecutionCommand, GetPipelineStateCommand, GetPipelineStateCommandOutput, ListPipelineExecutionsCommand,
  PutApprovalResultCommand, RollbackStageCommand,
} from '@aws-sdk/client-codepipeline';
import { GetAliasCommand, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import {
  APPROVAL_TOKEN, BAKE_ACTION, EXECUTION_ID, FLEET, FLEET_HEALTH_PARAMETER, FLEET_ROLE_ARN, MANIFEST, ONEBOX, PIPELINE, PLAN, PROD_ACCOUNT,
  STS_CREDENTIALS,
  awsError, captureLog, mockAws, pipelineDefinition, pipelineState, testClients,
} from './fixtures';
import { createRollbackHandler, rollbackTarget } from '../../lib/runtime/rollback';

const NOW = new Date('2025-03-04T15:03:12.000Z');
const aws = mockAws();
const GROUP = 'orders-api/orders-api-prod-us-east-1';
const PREVIOUS_EXECUTION = 'a0b1c2d3-1111-4000-8000-000000000001';
const OLDER_EXECUTION = 'a0b1c2d3-0000-4000-8000-000000000000';

function stageState(status: string, type: 'STANDARD' | 'ROLLBACK' = 'STANDARD', executionId = EXECUTION_ID): GetPipelineStateCommandOutput {
  const state = pipelineState([]);
  return {
    ...state,
    stageStates: state.stageStates!.map((s) => s.stageName === 'Prod-Wave-1'
      ? { ...s, latestExecution: { pipelineExecutionId: executionId, status: status as any, type } }
      : s),
  };
}

function target(options: { onFailure?: 'ROLLBACK' } = {}) {
  aws.sts.on(AssumeRoleCommand).resolves(STS_CREDENTIALS);
  aws.ssm.on(GetParameterCommand, { Name: FLEET_HEALTH_PARAMETER }).resolves({ Parameter: { Name: FLEET_HEALTH_PARAMETER, Type: 'String', Value: JSON.stringify(MANIFEST) } });
  aws.codeDeploy.on(ListDeploymentsCommand).resolves({ deployments: [] });
  aws.lambda.on(GetAliasCommand).resolves({
    AliasArn: `arn:aws:lambda:us-east-1:${PROD_ACCOUNT}:function:orders-api-handler:live`, Name: 'live', FunctionVersion: '7', RevisionId: '5b8c0a77',
  });
  aws.lambda.on(UpdateAliasCommand).resolves({ Name: 'live', FunctionVersion: '7' });
  aws.codePipeline.on(GetPipelineCommand).resolves(pipelineDefinition(3, options.onFailure));
  aws.codePipeline.on(GetPipelineStateCommand).resolves(stageState('Failed'));
  aws.codePipeline.on(ListPipelineExecutionsCommand).resolves({
    pipelineExecutionSummaries: [
      { pipelineExecutionId: OLDER_EXECUTION, status: 'Succeeded', startTime: new Date('2025-02-20T10:00:00Z'), executionMode: 'SUPERSEDED', executionType: 'STANDARD' },
      { pipelineExecutionId: PREVIOUS_EXECUTION, status: 'Succeeded', startTime: new Date('2025-02-27T10:00:00Z'), executionMode: 'SUPERSEDED', executionType: 'STANDARD' },
    ],
  });
  aws.codePipeline.on(RollbackStageCommand).resolves({ pipelineExecutionId: 'f00dfeed-2222-4000-8000-000000000002' });
  // The last success ran in the pipeline's current structure version (pipelineDefinition(3)).
  aws.codePipeline.on(GetPipelineExecutionCommand).resolves({ pipelineExecution: { pipelineExecutionId: PREVIOUS_EXECUTION, pipelineVersion: 3 } });
}

const NO_DEPLOYMENT = 'routes all traffic to version 7; no deployment of the target\'s deployment groups moved it in the last 30 days';
const NO_GATE_WAITING = `no gate of a release is waiting in the stage (STANDARD execution ${EXECUTION_ID} is Failed)`;

function rollback() {
  const { lines, log } = captureLog();
  return { handler: createRollbackHandler({ plan: PLAN, now: () => NOW, clients: testClients(() => NOW), log }), lines };
}

beforeEach(() => {
  Object.values(aws).forEach((m) => m.reset());
});

describe('rollback', () => {
  test('nothing in flight: reports what it found and changes nothing', async () => {
    target({ onFailure: 'ROLLBACK' });
    const { handler, lines } = rollback();
    const report = await handler({ targetId: FLEET });
    expect(report).toEqual({
      targetId: FLEET,
      account: PROD_ACCOUNT,
      region: 'us-east-1',
      at: NOW.toISOString(),
      reason: 'requested by an operator',
      complete: true,
      items: [
        { kind: 'DEPLOYMENT_GROUP', resource: GROUP, action: 'NONE', detail: 'no deployment in flight' },
        { kind: 'ALIAS', resource: 'orders-api-handler:live', action: 'NONE', detail: NO_DEPLOYMENT },
        { kind: 'GATE', resource: `${PIPELINE}/Prod-Wave-1`, action: 'NONE', detail: NO_GATE_WAITING },
        { kind: 'PIPELINE_STAGE', resource: `${PIPELINE}/Prod-Wave-1`, action: 'NONE', detail: 'the stage rolls back by itself when it fails (onFailure ROLLBACK)' },
      ],
    });
    expect(aws.codeDeploy).toHaveReceivedCommandWith(ListDeploymentsCommand, {
      applicationName: 'orders-api',
      deploymentGroupName: 'orders-api-prod-us-east-1',
      createTimeRange: { start: new Date(NOW.getTime() - 30 * 24 * 3600_000), end: NOW },
    });
    expect(aws.sts).toHaveReceivedCommandWith(AssumeRoleCommand, { RoleArn: FLEET_ROLE_ARN, RoleSessionName: 'wave-pipelines-controller' });
    expect(aws.codeDeploy).toHaveReceivedCommandWith(ListDeploymentsCommand, {
      applicationName: 'orders-api', deploymentGroupName: 'orders-api-prod-us-east-1', includeOnlyStatuses: ['Created', 'Queued', 'InProgress', 'Ready'],
    });
    expect(aws.codeDeploy).not.toHaveReceivedCommand(StopDeploymentCommand);
    expect(aws.lambda).not.toHaveReceivedCommand(UpdateAliasCommand);
    expect(aws.codePipeline).not.toHaveReceivedCommand(RollbackStageCommand);
    expect(lines).toEqual([{
      level: 'info', gate: 'ROLLBACK', target: FLEET, decision: 'ROLLED_BACK', reason: 'requested by an operator', inputs: { items: report.items },
    }]);
  });

  test('one deployment in flight and a weighted alias: stops it with rollback, resets the alias, rolls the failed stage back', async () => {
    target();
    aws.codeDeploy.on(ListDeploymentsCommand).resolves({ deployments: ['d-8X1EXAMPLE'] });
    aws.codeDeploy.on(GetDeploymentCommand).resolves({
      deploymentInfo: {
        applicationName: 'orders-api',
        deploymentGroupName: 'orders-api-prod-us-east-1',
        deploymentId: 'd-8X1EXAMPLE',
        status: 'InProgress',
        creator: 'user',
        computePlatform: 'Lambda',
        createTime: new Date('2025-03-04T14:00:00Z'),
      },
    });
    aws.codeDeploy.on(StopDeploymentCommand).resolves({ status: 'Pending', statusMessage: 'Stopping Pending. Stopping to schedule update.' });
    aws.lambda.on(GetAliasCommand).resolves({ Name: 'live', FunctionVersion: '7', RoutingConfig: { AdditionalVersionWeights: { 8: 0.1 } } });

    const report = await rollback().handler({ targetId: FLEET, reason: 'alarm OrdersApi-5xx is in ALARM' });
    expect(report.items).toEqual([
      {
        kind: 'DEPLOYMENT',
        resource: 'd-8X1EXAMPLE',
        action: 'STOPPED',
        detail: `${GROUP}: was InProgress; stopped with rollback (Pending: Stopping Pending. Stopping to schedule update.)`,
      },
      { kind: 'ALIAS', resource: 'orders-api-handler:live', action: 'RESET', detail: 'was routing 10% to version 8; now all traffic to version 7' },
      { kind: 'GATE', resource: `${PIPELINE}/Prod-Wave-1`, action: 'NONE', detail: NO_GATE_WAITING },
      {
        kind: 'PIPELINE_STAGE',
        resource: `${PIPELINE}/Prod-Wave-1`,
        action: 'ROLLBACK_STARTED',
        detail: `the stage failed in execution ${EXECUTION_ID}; rolling back to execution ${PREVIOUS_EXECUTION} (rollback execution f00dfeed-2222-4000-8000-000000000002)`,
      },
    ]);
    expect(report.reason).toBe('alarm OrdersApi-5xx is in ALARM');
    expect(aws.codeDeploy).toHaveReceivedCommandWith(StopDeploymentCommand, { deploymentId: 'd-8X1EXAMPLE', autoRollbackEnabled: true });
    expect(aws.lambda).toHaveReceivedCommandWith(UpdateAliasCommand, {
      FunctionName: 'orders-api-handler', Name: 'live', FunctionVersion: '7', RoutingConfig: { AdditionalVersionWeights: {} },
    });
    expect(aws.codePipeline).toHaveReceivedCommandWith(ListPipelineExecutionsCommand, { pipelineName: PIPELINE, filter: { succeededInStage: { stageName: 'Prod-Wave-1' } } });
    expect(aws.codePipeline).toHaveReceivedCommandWith(RollbackStageCommand, {
      pipelineName: PIPELINE, stageName: 'Prod-Wave-1', targetPipelineExecutionId: PREVIOUS_EXECUTION,
    });
  });

  // Issue 12, item 9: "The deployment is already complete" means there is nothing left to stop.
  // https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_StopDeployment.html
  test('a deployment that completed between listing and stopping (DeploymentAlreadyCompletedException) is done, not an error', async () => {
    target({ onFailure: 'ROLLBACK' });
    aws.codeDeploy.on(ListDeploymentsCommand).resolves({ deployments: ['d-8X1EXAMPLE'] });
    aws.codeDeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { deploymentId: 'd-8X1EXAMPLE', status: 'InProgress', creator: 'user' } });
    aws.codeDeploy.on(StopDeploymentCommand).rejects(awsError('DeploymentAlreadyCompletedException', 'The deployment is already completed.'));
    const { handler, lines } = rollback();
    const report = await handler({ targetId: FLEET });
    expect(report.items[0]).toEqual({ kind: 'DEPLOYMENT', resource: 'd-8X1EXAMPLE', action: 'NONE', detail: `${GROUP}: already completed before it could be stopped` });
    expect(report.complete).toBe(true);
    expect(lines[0]).toMatchObject({ level: 'info', decision: 'ROLLED_BACK' });
  });

  test.each([
    ['a rollback deployment CodeDeploy already started', { deploymentId: 'd-ROLLBACK1', status: 'InProgress' as const, creator: 'codeDeployRollback' as const },
      `${GROUP}: is itself a rollback (created by codeDeployRollback, InProgress); left alone`],
    ['a deployment already rolled back', {
      deploymentId: 'd-8X1EXAMPLE',
      status: 'InProgress' as const,
      creator: 'user' as const,
      rollbackInfo: { rollbackDeploymentId: 'd-ROLLBACK1', rollbackMessage: 'Automatic rollback triggered by alarm' },
    }, `${GROUP}: already rolled back by d-ROLLBACK1 (InProgress)`],
    ['a deployment stopped since it was listed', { deploymentId: 'd-8X1EXAMPLE', status: 'Stopped' as const, creator: 'user' as const },
      `${GROUP}: no longer in flight (Stopped)`],
  ])('%s is reported, not stopped', async (_name, info, detail) => {
    target({ onFailure: 'ROLLBACK' });
    aws.codeDeploy.on(ListDeploymentsCommand).resolves({ deployments: [info.deploymentId] });
    aws.codeDeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: info });
    const report = await rollback().handler({ targetId: FLEET });
    expect(report.items[0]).toEqual({ kind: 'DEPLOYMENT', resource: info.deploymentId, action: 'NONE', detail });
    expect(aws.codeDeploy).not.toHaveReceivedCommand(StopDeploymentCommand);
  });

  test.each([
    ['a rollback already running', stageState('InProgress', 'ROLLBACK', 'f00dfeed-2222-4000-8000-000000000002'),
      'rollback execution f00dfeed-2222-4000-8000-000000000002 is already running'],
    ['a stage still in progress', stageState('InProgress'),
      'the stage is running; CodePipeline rolls back a stage only once it stopped running (it fails when its next gate is rejected)'],
  ])('pipeline stage: %s is reported', async (_name, state, detail) => {
    target();
    aws.codePipeline.on(GetPipelineStateCommand).resolves(state);
    const report = await rollback().handler({ targetId: FLEET });
    expect(report.items[3]).toEqual({ kind: 'PIPELINE_STAGE', resource: `${PIPELINE}/Prod-Wave-1`, action: 'NONE', detail });
    expect(aws.codePipeline).not.toHaveReceivedCommand(RollbackStageCommand);
  });

  test('pipeline stage: no earlier success means nothing to roll back to', async () => {
    target();
    aws.codePipeline.on(ListPipelineExecutionsCommand).resolves({
      pipelineExecutionSummaries: [{ pipelineExecutionId: EXECUTION_ID, status: 'Failed', startTime: new Date('2025-03-04T13:00:00Z') }],
    });
    const report = await rollback().handler({ targetId: FLEET });
    expect(report.items[3].action).toBe('NOT_POSSIBLE');
    expect(report.items[3].detail).toMatch(new RegExp(`^the stage failed in execution ${EXECUTION_ID} and no earlier execution succeeded in it; nothing to roll back to; the release stays stopped`));
    expect(aws.codePipeline).not.toHaveReceivedCommand(RollbackStageCommand);
  });

  test('is idempotent: a second call finds everything rolled back and touches nothing', async () => {
    target();
    aws.codeDeploy.on(ListDeploymentsCommand)
      .resolvesOnce({ deployments: ['d-8X1EXAMPLE'] })
      .resolves({ deployments: ['d-ROLLBACK1'] });
    aws.codeDeploy.on(GetDeploymentCommand, { deploymentId: 'd-8X1EXAMPLE' }).resolves({ deploymentInfo: { deploymentId: 'd-8X1EXAMPLE', status: 'InProgress', creator: 'user' } });
    aws.codeDeploy.on(GetDeploymentCommand, { deploymentId: 'd-ROLLBACK1' }).resolves({ deploymentInfo: { deploymentId: 'd-ROLLBACK1', status: 'InProgress', creator: 'codeDeployRollback' } });
    aws.codeDeploy.on(StopDeploymentCommand).resolves({ status: 'Pending' });
    aws.lambda.on(GetAliasCommand)
      .resolvesOnce({ Name: 'live', FunctionVersion: '7', RoutingConfig: { AdditionalVersionWeights: { 8: 0.25 } } })
      .resolves({ Name: 'live', FunctionVersion: '7', RoutingConfig: { AdditionalVersionWeights: {} } });
    // Read once for the gates and once for the stage in each call.
    aws.codePipeline.on(GetPipelineStateCommand)
      .resolvesOnce(stageState('Failed'))
      .resolvesOnce(stageState('Failed'))
      .resolves(stageState('InProgress', 'ROLLBACK', 'f00dfeed-2222-4000-8000-000000000002'));

    const { handler } = rollback();
    const first = await handler({ targetId: FLEET });
    const second = await handler({ targetId: FLEET });
    expect(first.items.map((i) => i.action)).toEqual(['STOPPED', 'RESET', 'NONE', 'ROLLBACK_STARTED']);
    expect(second.items.map((i) => [i.action, i.detail])).toEqual([
      ['NONE', `${GROUP}: is itself a rollback (created by codeDeployRollback, InProgress); left alone`],
      ['NONE', NO_DEPLOYMENT],
      ['NONE', 'no gate of a release is waiting in the stage (ROLLBACK execution f00dfeed-2222-4000-8000-000000000002 is InProgress)'],
      ['NONE', 'rollback execution f00dfeed-2222-4000-8000-000000000002 is already running'],
    ]);
    expect(aws.codeDeploy).toHaveReceivedCommandTimes(StopDeploymentCommand, 1);
    expect(aws.lambda).toHaveReceivedCommandTimes(UpdateAliasCommand, 1);
    expect(aws.codePipeline).toHaveReceivedCommandTimes(RollbackStageCommand, 1);
  });

  test('a monitor role that cannot be assumed still rolls the pipeline stage back, and the report says what failed', async () => {
    target();
    aws.sts.on(AssumeRoleCommand).rejects(awsError('AccessDenied', `not authorized to perform: sts:AssumeRole on resource: ${FLEET_ROLE_ARN}`, 403));
    const { handler, lines } = rollback();
    const report = await handler({ targetId: FLEET });
    expect(report.complete).toBe(false);
    expect(report.items).toEqual([
      {
        kind: 'HEALTH_MANIFEST',
        resource: FLEET,
        action: 'ERROR',
        detail: `deployments and aliases of the target were not rolled back: RoleAssumptionError: cannot assume role ${FLEET_ROLE_ARN}: AccessDenied: not authorized to perform: `
          + `sts:AssumeRole on resource: ${FLEET_ROLE_ARN}; deploy the target's ReleaseMonitor and check that its trust policy allows the release controller's role`,
      },
      { kind: 'GATE', resource: `${PIPELINE}/Prod-Wave-1`, action: 'NONE', detail: NO_GATE_WAITING },
      expect.objectContaining({ kind: 'PIPELINE_STAGE', action: 'ROLLBACK_STARTED' }),
    ]);
    expect(lines[0]).toMatchObject({ level: 'error', decision: 'INCOMPLETE' });
  });

  test('errors of single items are reported and the rest still runs', async () => {
    target({ onFailure: 'ROLLBACK' });
    aws.codeDeploy.on(ListDeploymentsCommand).rejects(awsError('DeploymentGroupDoesNotExistException', 'No Deployment Group found for name: orders-api-prod-us-east-1'));
    aws.lambda.on(GetAliasCommand).resolves({ Name: 'live', FunctionVersion: '7', RoutingConfig: { AdditionalVersionWeights: { 8: 0.5 } } });
    aws.lambda.on(UpdateAliasCommand).rejects(awsError('ResourceConflictException', 'The operation cannot be performed at this time. An update is in progress for resource', 409));
    const report = await rollback().handler({ targetId: FLEET });
    expect(report.items.map((i) => [i.action, i.detail])).toEqual([
      ['ERROR', 'cannot list deployments: DeploymentGroupDoesNotExistException: No Deployment Group found for name: orders-api-prod-us-east-1'],
      ['ERROR', 'cannot reset: ResourceConflictException: The operation cannot be performed at this time. An update is in progress for resource'],
      ['NONE', NO_GATE_WAITING],
      ['NONE', 'the stage rolls back by itself when it fails (onFailure ROLLBACK)'],
    ]);
    expect(report.complete).toBe(false);
  });

  describe('an alias the newest deployment finished moving (no weights left to reset)', () => {
    // How a deployment moved the alias: LambdaFunctionInfo currentVersion -> targetVersion of its
    // Lambda target (https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_LambdaFunctionInfo.html).
    interface Past { id: string; status: string; created: string; current: string; target: string; creator?: string }
    function deployed(alias: string, past: Past[]) {
      aws.codeDeploy.on(ListDeploymentsCommand).callsFake((input) => ({ deployments: input.createTimeRange ? past.map((d) => d.id) : [] }));
      aws.codeDeploy.on(GetDeploymentCommand).callsFake(({ deploymentId }) => {
        const d = past.find((x) => x.id === deploymentId)!;
        return { deploymentInfo: { deploymentId: d.id, status: d.status, creator: d.creator ?? 'CloudFormation', createTime: new Date(d.created), computePlatform: 'Lambda' } };
      });
      aws.codeDeploy.on(ListDeploymentTargetsCommand).resolves({ targetIds: ['orders-api-handler:live'] });
      aws.codeDeploy.on(GetDeploymentTargetCommand).callsFake(({ deploymentId, targetId }) => {
        const d = past.find((x) => x.id === deploymentId)!;
        return {
          deploymentTarget: {
            deploymentTargetType: 'LambdaTarget',
            lambdaTarget: {
              deploymentId,
              targetId,
              status: 'Succeeded',
              lambdaFunctionInfo: { functionName: 'orders-api-handler', functionAlias: 'live', currentVersion: d.current, targetVersion: d.target, targetVersionWeight: 1 },
            },
          },
        };
      });
      aws.lambda.on(GetAliasCommand).resolves({ Name: 'live', FunctionVersion: alias, RevisionId: `rev-${alias}` });
    }
    const RELEASE_6 = { id: 'd-RELEASE6', status: 'Succeeded', created: '2025-02-27T10:30:00Z', current: '5', target: '6' };
    const RELEASE_7 = { id: 'd-RELEASE7', status: 'Succeeded', created: '2025-03-04T14:00:00Z', current: '6', target: '7' };

    test('points it back at the version the deployment started from, only if nothing changed it since the read', async () => {
      target({ onFailure: 'ROLLBACK' });
      deployed('7', [RELEASE_6, RELEASE_7]);
      const report = await rollback().handler({ targetId: FLEET });
      expect(report.items[1]).toEqual({
        kind: 'ALIAS',
        resource: 'orders-api-handler:live',
        action: 'RESET',
        detail: 'routed all traffic to version 7, where deployment d-RELEASE7 (Succeeded, created 2025-03-04T14:00:00.000Z) moved it from version 6 to 7; now all traffic to version 6',
      });
      expect(aws.lambda).toHaveReceivedCommandWith(UpdateAliasCommand, {
        FunctionName: 'orders-api-handler', Name: 'live', FunctionVersion: '6', RoutingConfig: { AdditionalVersionWeights: {} }, RevisionId: 'rev-7',
      });
      // The newest deployment answers: the older one's targets are never read.
      expect(aws.codeDeploy).toHaveReceivedCommandTimes(ListDeploymentTargetsCommand, 1);
      expect(aws.codeDeploy).toHaveReceivedCommandWith(GetDeploymentTargetCommand, { deploymentId: 'd-RELEASE7', targetId: 'orders-api-handler:live' });
    });

    test.each([
      ['already back on the version the newest deployment started from', '6', [RELEASE_6, RELEASE_7],
        'routes all traffic to version 6; the newest deployment d-RELEASE7 (Succeeded, created 2025-03-04T14:00:00.000Z) moved it from version 6 to 7'],
      ['the newest deployment was stopped (CodeDeploy rolled it back itself)', '6', [RELEASE_6, { ...RELEASE_7, status: 'Stopped' }],
        'routes all traffic to version 6; the newest deployment d-RELEASE7 (Stopped, created 2025-03-04T14:00:00.000Z) moved it from version 6 to 7'],
      // e.g. the stage rollback's redeploy of the stable release: never "roll back" forward to 7.
      ['the newest deployment moved it to a lower version', '6', [RELEASE_7, { id: 'd-REDEPLOY6', status: 'Succeeded', created: '2025-03-04T15:00:00Z', current: '7', target: '6' }],
        'routes all traffic to version 6; the newest deployment d-REDEPLOY6 (Succeeded, created 2025-03-04T15:00:00.000Z) moved it from version 7 to 6'],
    ])('left alone: %s', async (_name, alias, past, detail) => {
      target({ onFailure: 'ROLLBACK' });
      deployed(alias, past);
      const report = await rollback().handler({ targetId: FLEET });
      expect(report.items[1]).toEqual({ kind: 'ALIAS', resource: 'orders-api-handler:live', action: 'NONE', detail });
      expect(aws.lambda).not.toHaveReceivedCommand(UpdateAliasCommand);
    });
  });

  describe('a LambdaOneBox alias (no CodeDeploy): the fleet deployment noted how it moved the alias', () => {
    const ONEBOX_HEALTH_PARAMETER = FLEET_HEALTH_PARAMETER.replace(FLEET, ONEBOX);
    function oneBoxService(alias: { FunctionVersion: string; Description?: string; RoutingConfig?: any }) {
      const noGroups = (targetId: string) => ({ ...MANIFEST, targetId, deploymentGroups: [] });
      aws.ssm.on(GetParameterCommand, { Name: FLEET_HEALTH_PARAMETER })
        .resolves({ Parameter: { Name: FLEET_HEALTH_PARAMETER, Type: 'String', Value: JSON.stringify(noGroups(FLEET)) } });
      aws.ssm.on(GetParameterCommand, { Name: ONEBOX_HEALTH_PARAMETER })
        .resolves({ Parameter: { Name: ONEBOX_HEALTH_PARAMETER, Type: 'String', Value: JSON.stringify(noGroups(ONEBOX)) } });
      aws.lambda.on(GetAliasCommand).resolves({ Name: 'live', RevisionId: 'rev-9', ...alias });
    }
    const MOVED_6_TO_7 = 'cdk-wave-pipelines: moved from version 6 to version 7';

    test('fleet: points the alias back at the version the note says it moved from, only if nothing changed it since the read', async () => {
      target({ onFailure: 'ROLLBACK' });
      oneBoxService({ FunctionVersion: '7', Description: MOVED_6_TO_7 });
      const report = await rollback().handler({ targetId: FLEET });
      expect(report.items[0]).toEqual({
        kind: 'ALIAS',
        resource: 'orders-api-handler:live',
        action: 'RESET',
        detail: 'routed all traffic to version 7, where the fleet deployment moved it from version 6 (the alias\'s description says so); now all traffic to version 6',
      });
      expect(aws.lambda).toHaveReceivedCommandWith(UpdateAliasCommand, {
        FunctionName: 'orders-api-handler', Name: 'live', FunctionVersion: '6', RoutingConfig: { AdditionalVersionWeights: {} }, RevisionId: 'rev-9',
      });
    });

    test.each([
      // The one-box never moves the primary: the note is the previous release's, which must stay.
      ['the one-box target', ONEBOX, { FunctionVersion: '7', Description: MOVED_6_TO_7 }],
      // A second run, or the alias moved on since: the note no longer describes what it serves.
      ['already back (the alias serves the version it moved from)', FLEET, { FunctionVersion: '6', Description: MOVED_6_TO_7 }],
      ['a description that is not our note', FLEET, { FunctionVersion: '7', Description: 'orders API, live traffic' }],
      ['a note of a move to a lower version (a redeploy of the stable release)', FLEET, { FunctionVersion: '6', Description: 'cdk-wave-pipelines: moved from version 7 to version 6' }],
    ])('left alone: %s', async (_name, targetId, alias) => {
      target({ onFailure: 'ROLLBACK' });
      oneBoxService(alias);
      const report = await rollback().handler({ targetId });
      expect(report.items[0]).toMatchObject({ kind: 'ALIAS', action: 'NONE' });
      expect(aws.lambda).not.toHaveReceivedCommand(UpdateAliasCommand);
    });
  });

  // Issue 12 drill "operator invokes the rollback Lambda during a bake": the bake must not be
  // approved afterwards, so the operator's rollback rejects it (the stage then rolls back by itself).
  test('an operator rollback rejects the gates waiting in the target\'s stage, so the release cannot move on', async () => {
    target({ onFailure: 'ROLLBACK' });
    const rollbackId = 'f00dfeed-2222-4000-8000-000000000002';
    aws.codePipeline.on(GetPipelineStateCommand)
      .resolvesOnce(pipelineState([{ actionName: BAKE_ACTION, since: new Date('2025-03-04T14:10:00Z') }]))
      .resolves(stageState('InProgress', 'ROLLBACK', rollbackId));
    aws.codePipeline.on(PutApprovalResultCommand).resolves({ approvedAt: NOW });
    const { handler, lines } = rollback();
    const report = await handler({ targetId: FLEET, reason: 'bad checkout flow' });
    expect(report.items.slice(2)).toEqual([
      {
        kind: 'GATE',
        resource: `${PIPELINE}/Prod-Wave-1/${BAKE_ACTION}`,
        action: 'REJECTED',
        detail: `rejected in execution ${EXECUTION_ID}, so that the release cannot move on past Prod-Wave-1`,
      },
      { kind: 'PIPELINE_STAGE', resource: `${PIPELINE}/Prod-Wave-1`, action: 'NONE', detail: `rollback execution ${rollbackId} is already running` },
    ]);
    expect(aws.codePipeline).toHaveReceivedCommandWith(PutApprovalResultCommand, {
      pipelineName: PIPELINE,
      stageName: 'Prod-Wave-1',
      actionName: BAKE_ACTION,
      token: APPROVAL_TOKEN,
      result: { status: 'Rejected', summary: `rejected by the rollback of ${FLEET} (bad checkout flow): the release stops here and the stage rolls back` },
    });
    // A person's own approval in the stage (no gate token) is not the rollback's to answer.
    expect(aws.codePipeline).toHaveReceivedCommandTimes(PutApprovalResultCommand, 1);
    expect(lines).toEqual([expect.objectContaining({ level: 'info', gate: 'ROLLBACK', decision: 'ROLLED_BACK', reason: 'bad checkout flow' })]);
  });

  // Issue 12 drill "pipeline structure change between releases": "The pipeline can only roll back
  // to a previous execution if the previous execution was started in the current pipeline structure
  // version" (https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-rollback-auto.html).
  test('no stage rollback is possible after a pipeline structure change: the report and an error line say so, and nothing is attempted', async () => {
    target({ onFailure: 'ROLLBACK' });
    aws.codePipeline.on(GetPipelineExecutionCommand).resolves({ pipelineExecution: { pipelineExecutionId: PREVIOUS_EXECUTION, pipelineVersion: 2 } });
    const { lines, log } = captureLog();
    const deps = { plan: PLAN, now: () => NOW, clients: testClients(() => NOW), log };
    const fleet = PLAN.stages[1].regions[0].fleet!;
    const report = await rollbackTarget(deps, fleet, 'alarm OrdersApi-5xx is in ALARM');
    expect(report.items[2]).toEqual({
      kind: 'PIPELINE_STAGE',
      resource: `${PIPELINE}/Prod-Wave-1`,
      action: 'NOT_POSSIBLE',
      detail: `the stage failed in execution ${EXECUTION_ID}; the last execution that succeeded in it, ${PREVIOUS_EXECUTION}, ran in pipeline structure version 2 `
        + 'and the pipeline is at version 3: CodePipeline rolls a stage back only to an execution of the current structure version, so no stage rollback is '
        + 'possible; the release stays stopped at this stage, whose stacks keep the failed release until a release deploys over them; the target itself '
        + 'was rolled back above (deployments stopped, aliases back on their stable version)',
    });
    expect(aws.codePipeline).toHaveReceivedCommandWith(GetPipelineExecutionCommand, {
      pipelineName: PIPELINE, pipelineExecutionId: PREVIOUS_EXECUTION,
    });
    expect(aws.codePipeline).not.toHaveReceivedCommand(RollbackStageCommand);
    expect(lines).toEqual([expect.objectContaining({ level: 'error', gate: 'ROLLBACK', target: FLEET, decision: 'ROLLED_BACK_WITHOUT_STAGE' })]);
    // The sweep's later look finds nothing more to do and keeps the log quiet.
    await rollbackTarget(deps, fleet, 'finishing', { logOnlyWhenActing: true });
    expect(lines).toHaveLength(1);
  });

  test.each([
    [{}, 'rollback: expected an event like {"targetId": "prod-wave-1-us-east-1-fleet"}, got {}'],
    [{ targetId: 'prod-wave-9-us-east-1-fleet' }, `rollback: pipeline ${PIPELINE} has no target "prod-wave-9-us-east-1-fleet"; targets are: beta-us-west-2-fleet, prod-wave-1-us-east-1-onebox, ${FLEET}`],
  ])('refuses %j', async (event, message) => {
    await expect(rollback().handler(event as any)).rejects.toThrow(message);
    expect(aws.sts).not.toHaveReceivedAnyCommand();
  });
});
