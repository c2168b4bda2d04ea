/** Lambda entry of the `EcsOneBox` fleet-pin custom resource (CDK provider framework `onEvent`). */
// eslint-disable-next-line import/no-extraneous-dependencies -- bundled at build time
import { ECSClient } from '@aws-sdk/client-ecs';
import { FleetPinEvent, FleetPinResponse, handleFleetPin } from './ecs-fleet-pin';

const ecs = new ECSClient({});

export async function handler(event: FleetPinEvent): Promise<FleetPinResponse> {
  return handleFleetPin(ecs, event);
}
