import { CreateAliasCommand, GetAliasCommand, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { handleOneBoxAlias } from '../../lib/runtime/one-box-alias';

function fakeLambda(alias?: { FunctionVersion: string; RoutingConfig?: { AdditionalVersionWeights: Record<string, number> } }) {
  const calls: Array<{ name: string; input: any }> = [];
  return {
    calls,
    send: async (command: any) => {
      calls.push({ name: command.constructor.name, input: command.input });
      if (command instanceof GetAliasCommand) {
        if (!alias) throw Object.assign(new Error('Alias not found'), { name: 'ResourceNotFoundException' });
        return alias;
      }
      return {};
    },
  };
}
const NOW = new Date('2026-12-01T15:00:00Z');
const props = (Version: string, Weight: string) => ({ FunctionName: 'orders', AliasName: 'live', Version, Weight });

test('one-box: reads the alias at deploy time and gives the new version 10%', async () => {
  const lambda = fakeLambda({ FunctionVersion: '6' });
  const out = await handleOneBoxAlias(lambda as any, { RequestType: 'Update', ResourceProperties: props('7', '0.1') }, NOW);
  expect(lambda.calls.map((c) => c.name)).toEqual([GetAliasCommand.name, UpdateAliasCommand.name]);
  expect(lambda.calls[1].input).toEqual({ FunctionName: 'orders', Name: 'live', FunctionVersion: '6', RoutingConfig: { AdditionalVersionWeights: { 7: 0.1 } } });
  expect(out).toMatchObject({ PhysicalResourceId: 'orders:live', Data: { PrimaryVersion: '6' } });
});

test('fleet: moves every request to the new version and notes the move in the alias description (the fleet rollback reads it)', async () => {
  const lambda = fakeLambda({ FunctionVersion: '6', RoutingConfig: { AdditionalVersionWeights: { 7: 0.1 } } });
  await handleOneBoxAlias(lambda as any, { RequestType: 'Update', ResourceProperties: props('7', '1') }, new Date('2026-12-01T15:04:05.250Z'));
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
  await handleOneBoxAlias(lambda as any, { RequestType: 'Update', ResourceProperties: props('8', '0.1') }, NOW);
  expect(lambda.calls[1].input).not.toHaveProperty('Description');
});

test('first release: creates the alias on the new version', async () => {
  const lambda = fakeLambda(undefined);
  await handleOneBoxAlias(lambda as any, { RequestType: 'Create', ResourceProperties: props('1', '0.1') }, NOW);
  expect(lambda.calls[1]).toEqual({ name: CreateAliasCommand.name, input: { FunctionName: 'orders', Name: 'live', FunctionVersion: '1' } });
});

test('an error other than a missing alias fails the deployment', async () => {
  const lambda = { send: async () => { throw Object.assign(new Error('denied'), { name: 'AccessDeniedException' }); } };
  await expect(handleOneBoxAlias(lambda as any, { RequestType: 'Update', ResourceProperties: props('7', '0.1') }, NOW)).rejects.toThrow('denied');
});

test('delete leaves the alias to its function', async () => {
  const lambda = fakeLambda({ FunctionVersion: '6' });
  await handleOneBoxAlias(lambda as any, { RequestType: 'Delete', PhysicalResourceId: 'orders:live', ResourceProperties: props('7', '0.1') }, NOW);
  expect(lambda.calls).toEqual([]);
});

test('a bad version or weight is refused with both values', async () => {
  await expect(handleOneBoxAlias(fakeLambda() as any, { RequestType: 'Create', ResourceProperties: props('$LATEST', '0.1') }, NOW))
    .rejects.toThrow('Version "$LATEST" must be a published version number and Weight "0.1" a number above 0 and at most 1');
});
