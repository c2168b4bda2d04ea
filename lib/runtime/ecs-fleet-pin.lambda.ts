/** Lambda entry of the `EcsOneBox` fleet-pin custom resource (CDK provider framework `onEvent`). */
// eslint-disable-next-line import/no-extraneous-dependencies -- a type only; the runtime provides the SDK
import type { ECSClient } from '@aws-sdk/client-ecs';
import { sdk } from './aws-clients';
import { FleetPinEvent, FleetPinResponse, handleFleetPin } from './ecs-fleet-pin';

// Created on the first event, not at import (aws-clients.ts says why), then reused by the container.
let ecs: ECSClient | undefined;

export async function handler(event: FleetPinEvent): Promise<FleetPinResponse> {
  ecs ??= new (sdk.ecs().ECSClient)({});
  return handleFleetPin(ecs, event);
}
