/* eslint-disable import/no-extraneous-dependencies -- types only; the SDK itself loads on first use (aws-clients.ts `sdk`) */
/**
 * The custom resource behind `EcsOneBox` in a one-box deployment: reads the fleet service's task
 * definition at deploy time so the fleet keeps running it while the one-box takes the new one.
 */
import type { ECSClient } from '@aws-sdk/client-ecs';
import { sdk } from './aws-clients';
import { fleetTaskDefinitionForOneBox } from '../model/ecs-fleet-pin';

export interface FleetPinProperties {
  readonly Cluster: string;
  readonly Service: string;
  readonly NewTaskDefinition: string;
}

export interface FleetPinEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: FleetPinProperties;
}

export interface FleetPinResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}

export async function handleFleetPin(ecs: Pick<ECSClient, 'send'>, event: FleetPinEvent): Promise<FleetPinResponse> {
  const props = event.ResourceProperties;
  const physicalId = `${props.Cluster}|${props.Service}`;
  // Reading has nothing to undo.
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId ?? physicalId };
  const { DescribeServicesCommand } = sdk.ecs();
  const out = await ecs.send(new DescribeServicesCommand({ cluster: props.Cluster, services: [props.Service] }));
  const service = out.services?.find((s) => s.serviceName === props.Service || s.serviceArn?.endsWith(`/${props.Service}`));
  const missing = (out.failures ?? []).some((f) => f.reason === 'MISSING');
  if (!service && !missing) {
    throw new Error(`fleet pin: DescribeServices returned neither service ${props.Service} of cluster ${props.Cluster} nor a MISSING failure: ${JSON.stringify(out.failures ?? [])}`);
  }
  const pin = fleetTaskDefinitionForOneBox(service ? { status: service.status ?? 'ACTIVE', taskDefinition: service.taskDefinition! } : undefined, props.NewTaskDefinition);
  console.log(JSON.stringify({ service: physicalId, summary: pin.summary }));
  return { PhysicalResourceId: physicalId, Data: { TaskDefinition: pin.taskDefinition } };
}
