// The fleet pin's decision. A deleted service goes ACTIVE -> DRAINING -> INACTIVE and DescribeServices
// still returns it in those states
// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteService.html): its task
// definition is no release the fleet runs, so the fleet starts on the new one, as on a first release.
import { fleetTaskDefinitionForOneBox } from '../../lib/model/ecs-fleet-pin';

const NEW = 'arn:aws:ecs:eu-west-1:333333333333:task-definition/shop:8';
const RUNNING = 'arn:aws:ecs:eu-west-1:333333333333:task-definition/shop:7';

test('an ACTIVE fleet keeps the task definition it runs', () => {
  expect(fleetTaskDefinitionForOneBox({ status: 'ACTIVE', taskDefinition: RUNNING }, NEW)).toEqual({
    taskDefinition: RUNNING, summary: `the fleet keeps ${RUNNING} while the one-box runs ${NEW}`,
  });
});

test.each(['DRAINING', 'INACTIVE'])('a %s fleet service (deleted) runs nothing to keep: the new task definition', (status) => {
  const pin = fleetTaskDefinitionForOneBox({ status, taskDefinition: RUNNING }, NEW);
  expect(pin.taskDefinition).toBe(NEW);
  expect(pin.summary).toContain(`is ${status}`);
});

test('no fleet service yet (MISSING): the new task definition', () => {
  expect(fleetTaskDefinitionForOneBox(undefined, NEW).taskDefinition).toBe(NEW);
});
