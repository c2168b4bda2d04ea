import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { handleFleetPin } from '../../lib/runtime/ecs-fleet-pin';

const props = { Cluster: 'shop', Service: 'shop-fleet', NewTaskDefinition: 'arn:aws:ecs:eu-west-1:333333333333:task-definition/shop:8' };
const ecs = (out: object) => {
  const calls: any[] = [];
  return { calls, send: async (c: any) => { calls.push(c); return out; } };
};

test('the fleet keeps the task definition it runs now while the one-box takes the new one', async () => {
  const client = ecs({ services: [{ serviceName: 'shop-fleet', status: 'ACTIVE', taskDefinition: 'arn:aws:ecs:eu-west-1:333333333333:task-definition/shop:7' }] });
  const out = await handleFleetPin(client as any, { RequestType: 'Create', ResourceProperties: props });
  expect(client.calls[0]).toBeInstanceOf(DescribeServicesCommand);
  expect(client.calls[0].input).toEqual({ cluster: 'shop', services: ['shop-fleet'] });
  expect(out.Data).toEqual({ TaskDefinition: 'arn:aws:ecs:eu-west-1:333333333333:task-definition/shop:7' });
});

test('first release: no fleet service yet, so it starts on the new task definition', async () => {
  const out = await handleFleetPin(ecs({ services: [], failures: [{ arn: 'x', reason: 'MISSING' }] }) as any, { RequestType: 'Create', ResourceProperties: props });
  expect(out.Data).toEqual({ TaskDefinition: props.NewTaskDefinition });
});

test('an answer naming neither the service nor MISSING fails the deployment rather than guess', async () => {
  await expect(handleFleetPin(ecs({ services: [], failures: [{ reason: 'ACCESS_DENIED' }] }) as any, { RequestType: 'Update', ResourceProperties: props }))
    .rejects.toThrow('DescribeServices returned neither service shop-fleet of cluster shop nor a MISSING failure');
});
