import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CreateAliasCommand, GetAliasCommand, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { handleOneBoxAlias, OneBoxAliasEvent } from '../../lib/runtime/one-box-alias';

type AliasRead = { FunctionVersion: string; RoutingConfig?: { AdditionalVersionWeights: Record<string, number> }; Description?: string };

/** A Lambda client that answers GetAlias with `alias`, and a CloudFormation client whose stack is in `stackStatus`. */
function fakeClients(alias?: AliasRead, stackStatus: string | Error = 'UPDATE_IN_PROGRESS') {
  const calls: Array<{ name: string; input: any }> = [];
  const record = (command: any) => calls.push({ name: command.constructor.name, input: command.input });
  const lambda = {
    send: async (command: any) => {
      record(command);
      if (command instanceof GetAliasCommand) {
        if (!alias) throw Object.assign(new Error('Alias not found'), { name: 'ResourceNotFoundException' });
        return alias;
      }
      return {};
    },
  };
  const cloudFormation = {
    send: async (command: any) => {
      record(command);
      if (stackStatus instanceof Error) throw stackStatus;
      return { Stacks: [{ StackId: STACK_ID, StackName: 'orders', StackStatus: stackStatus }] };
    },
  };
  return { calls, clients: { lambda, cloudFormation } as any };
}
/** The old single-client helper's shape, for the tests that only touch Lambda. */
function fakeLambda(alias?: AliasRead) {
  const { calls, clients } = fakeClients(alias);
  return Object.assign(clients, { calls });
}
const STACK_ID = 'arn:aws:cloudformation:eu-west-1:333333333333:stack/orders/0a1b2c3d';
const NOW = new Date('2026-12-01T15:00:00Z');
const props = (Version: string, Weight: string) => ({ FunctionName: 'orders', AliasName: 'live', Version, Weight });

test('one-box: reads the alias at deploy time and gives the new version 10%', async () => {
  const lambda = fakeLambda({ FunctionVersion: '6' });
  const out = await handleOneBoxAlias(lambda, { RequestType: 'Update', ResourceProperties: props('7', '0.1') }, NOW);
  expect(lambda.calls.map((c) => c.name)).toEqual([GetAliasCommand.name, UpdateAliasCommand.name]);
  expect(lambda.calls[1].input).toEqual({ FunctionName: 'orders', Name: 'live', FunctionVersion: '6', RoutingConfig: { AdditionalVersionWeights: { 7: 0.1 } } });
  expect(out).toMatchObject({ PhysicalResourceId: 'orders:live', Data: { PrimaryVersion: '6' } });
});

test('fleet: moves every request to the new version and notes the move in the alias description (the fleet rollback reads it)', async () => {
  const lambda = fakeLambda({ FunctionVersion: '6', RoutingConfig: { AdditionalVersionWeights: { 7: 0.1 } } });
  await handleOneBoxAlias(lambda, { RequestType: 'Update', ResourceProperties: props('7', '1') }, new Date('2026-12-01T15:04:05.250Z'));
  expect(lambda.calls[1].input).toEqual({
    FunctionName: 'orders',
    Name: 'live',
    FunctionVersion: '7',
    RoutingConfig: { AdditionalVersionWeights: {} },
    Description: 'cdk-wave-pipelines: moved from version 6 to version 7 at 2026-12-01T15:04:05Z',
  });
});

test('one-box: a split keeps the primary, so the note of the move before it stays (no Description sent)', async () => {
  const lambda = fakeLambda({ FunctionVersion: '7' });
  await handleOneBoxAlias(lambda, { RequestType: 'Update', ResourceProperties: props('8', '0.1') }, NOW);
  expect(lambda.calls[1].input).not.toHaveProperty('Description');
});

test('first release: creates the alias on the new version', async () => {
  const lambda = fakeLambda(undefined);
  await handleOneBoxAlias(lambda, { RequestType: 'Create', ResourceProperties: props('1', '0.1') }, NOW);
  expect(lambda.calls[1]).toEqual({ name: CreateAliasCommand.name, input: { FunctionName: 'orders', Name: 'live', FunctionVersion: '1' } });
});

test('an error other than a missing alias fails the deployment', async () => {
  const lambda = { send: async () => { throw Object.assign(new Error('denied'), { name: 'AccessDeniedException' }); } };
  await expect(handleOneBoxAlias({ lambda, cloudFormation: fakeClients().clients.cloudFormation }, { RequestType: 'Update', ResourceProperties: props('7', '0.1') }, NOW)).rejects.toThrow('denied');
});

test('delete leaves the alias to its function', async () => {
  const lambda = fakeLambda({ FunctionVersion: '6' });
  await handleOneBoxAlias(lambda, { RequestType: 'Delete', PhysicalResourceId: 'orders:live', ResourceProperties: props('7', '0.1') }, NOW);
  expect(lambda.calls).toEqual([]);
});

test('a bad version or weight is refused with both values', async () => {
  await expect(handleOneBoxAlias(fakeLambda(), { RequestType: 'Create', ResourceProperties: props('$LATEST', '0.1') }, NOW))
    .rejects.toThrow('Version "$LATEST" must be a published version number and Weight "0.1" a number above 0 and at most 1');
});

// CloudFormation's rollback of a failed fleet stack update sends an Update back to the one-box's
// properties with the failed fleet's as OldResourceProperties, while the stack is
// UPDATE_ROLLBACK_IN_PROGRESS (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requesttypes-update.html,
// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Stack.html).
describe('CloudFormation rolls the fleet deployment back', () => {
  const afterFleet: AliasRead = { FunctionVersion: '7', Description: 'cdk-wave-pipelines: moved from version 6 to version 7 at 2026-12-01T15:04:05Z' };
  const rollbackUpdate: OneBoxAliasEvent = {
    RequestType: 'Update', StackId: STACK_ID, PhysicalResourceId: 'orders:live', ResourceProperties: props('7', '0.1'), OldResourceProperties: props('7', '1'),
  };
  const ROLLBACK_AT = new Date('2026-12-01T15:09:00.400Z');

  test('puts the alias back as the one-box left it and replaces the note with one that records no move', async () => {
    const { calls, clients } = fakeClients(afterFleet, 'UPDATE_ROLLBACK_IN_PROGRESS');
    const out = await handleOneBoxAlias(clients, rollbackUpdate, ROLLBACK_AT);
    expect(calls.map((c) => c.name)).toEqual([GetAliasCommand.name, DescribeStacksCommand.name, UpdateAliasCommand.name]);
    expect(calls[1].input).toEqual({ StackName: STACK_ID });
    expect(calls[2].input).toEqual({
      FunctionName: 'orders',
      Name: 'live',
      FunctionVersion: '6',
      RoutingConfig: { AdditionalVersionWeights: { 7: 0.1 } },
      Description: 'cdk-wave-pipelines: a stack rollback undid the move from version 6 to version 7 at 2026-12-01T15:09:00Z',
    });
    expect(out).toMatchObject({ PhysicalResourceId: 'orders:live', Data: { PrimaryVersion: '6' } });
  });

  test('the same Update while the stack deploys forward (the next release with unchanged code) moves nothing', async () => {
    const { calls, clients } = fakeClients(afterFleet, 'UPDATE_IN_PROGRESS');
    const out = await handleOneBoxAlias(clients, rollbackUpdate, ROLLBACK_AT);
    expect(calls.map((c) => c.name)).toEqual([GetAliasCommand.name, DescribeStacksCommand.name]);
    expect(out.Data).toEqual({ PrimaryVersion: '7', Summary: 'already routes all traffic to version 7' });
  });

  test('a description someone else wrote leaves the alias where it is, and the summary says why', async () => {
    const { calls, clients } = fakeClients({ FunctionVersion: '7', Description: 'orders live traffic' }, 'UPDATE_ROLLBACK_IN_PROGRESS');
    const out = await handleOneBoxAlias(clients, rollbackUpdate, ROLLBACK_AT);
    expect(calls.map((c) => c.name)).not.toContain(UpdateAliasCommand.name);
    expect(out.Data?.Summary).toContain("the alias's description records no move of ours, so the version customers were on before is unknown");
  });

  test('deployments that cannot be this rollback never read the stack', async () => {
    for (const [alias, event] of [
      [{ FunctionVersion: '6', RoutingConfig: { AdditionalVersionWeights: { 7: 0.1 } } }, { ...rollbackUpdate, ResourceProperties: props('7', '1'), OldResourceProperties: props('7', '0.1') }],
      [{ FunctionVersion: '6' }, { ...rollbackUpdate, OldResourceProperties: props('6', '1') }],
      [undefined, { RequestType: 'Create', StackId: STACK_ID, ResourceProperties: props('1', '0.1') }],
      [afterFleet, { ...rollbackUpdate, OldResourceProperties: undefined }],
    ] as Array<[AliasRead | undefined, OneBoxAliasEvent]>) {
      const { calls, clients } = fakeClients(alias, new Error('the stack should not be read'));
      await handleOneBoxAlias(clients, event, NOW);
      expect(calls.map((c) => c.name)).not.toContain(DescribeStacksCommand.name);
    }
  });

  test('a stack status it cannot read fails the request and says what it could not read', async () => {
    const denied = Object.assign(new Error('not authorized to perform: cloudformation:DescribeStacks'), { name: 'AccessDenied' });
    await expect(handleOneBoxAlias(fakeClients(afterFleet, denied).clients, rollbackUpdate, ROLLBACK_AT)).rejects.toThrow(
      `one-box alias orders:live: cannot tell whether CloudFormation is rolling the stack back: DescribeStacks ${STACK_ID} failed: AccessDenied: not authorized to perform: cloudformation:DescribeStacks`,
    );
    await expect(handleOneBoxAlias(fakeClients(afterFleet, 'UPDATE_ROLLBACK_IN_PROGRESS').clients, { ...rollbackUpdate, StackId: undefined }, ROLLBACK_AT))
      .rejects.toThrow('one-box alias orders:live: cannot tell whether CloudFormation is rolling the stack back: the request has no StackId');
  });
});
