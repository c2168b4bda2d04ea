/**
 * Which task definition the fleet service of an ECS one-box pair runs after a deployment. Pure: the
 * custom resource reads the fleet service at deploy time, this decides.
 *
 * The one-box and the fleet deploy one stack. In the one-box deployment the one-box service takes
 * the new task definition and the fleet service keeps the one it runs now, which the template does
 * not know: it is read at deploy time. The fleet deployment gives the fleet the new one.
 */

/** The fleet service as read at deploy time; `undefined` when it does not exist (yet). */
export interface FleetServiceState {
  /** ECS service status: `ACTIVE`, `DRAINING` or `INACTIVE`. */
  readonly status: string;
  readonly taskDefinition: string;
}

export interface FleetPin {
  readonly taskDefinition: string;
  readonly summary: string;
}

/** The task definition the fleet service runs during a one-box bake. */
export function fleetTaskDefinitionForOneBox(current: FleetServiceState | undefined, newTaskDefinition: string): FleetPin {
  if (!current || current.status !== 'ACTIVE') {
    return {
      taskDefinition: newTaskDefinition,
      summary: `first release: the fleet service ${current ? `is ${current.status}` : 'does not exist yet'}, so there is no previous release to keep; it starts on the new task definition`,
    };
  }
  return { taskDefinition: current.taskDefinition, summary: `the fleet keeps ${current.taskDefinition} while the one-box runs ${newTaskDefinition}` };
}
