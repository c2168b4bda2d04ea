import { DeploymentTarget } from './deployment-target';

/** The one-box (when the region has one) and the fleet target of a target's region and stage. */
export interface RegionTargets {
  readonly oneBox?: DeploymentTarget;
  readonly fleet: DeploymentTarget;
}

/**
 * Both targets of `target`'s region. A service whose one-box and fleet deploy the same stack (a
 * weighted alias, a one-box service in the same load balancer) creates the `ReleaseMonitor` of
 * both in that stack: if each deployment created only its own, the next would delete the other's.
 */
export function regionTargets(target: DeploymentTarget): RegionTargets {
  const fleetId = target.fleetTargetId ?? (target.isOneBox ? undefined : target.id);
  if (!fleetId) throw new Error(`regionTargets: one-box target "${target.id}" does not name its fleet (fleetTargetId); use the DeploymentTarget WavePipeline passes to your stage factory`);
  const oneBoxId = target.oneBoxTargetId ?? (target.isOneBox ? target.id : undefined);
  return {
    ...(oneBoxId ? { oneBox: { ...target, id: oneBoxId, kind: 'ONE_BOX', isOneBox: true } } : {}),
    fleet: { ...target, id: fleetId, kind: 'FLEET', isOneBox: false },
  };
}
