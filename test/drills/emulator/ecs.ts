/**
 * Amazon ECS in one account and region, as far as `EcsOneBox` relies on it: clusters, task
 * definitions and services updated by rolling deployments.
 *
 * - A task definition registered into a family gets the next revision of that family: "The first
 *   task definition that's registered into a particular family is given a revision of 1, and any
 *   task definitions registered after that are given a sequential revision number."
 *   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html
 * - DescribeServices answers every name it was given: the services it found in `services` (their
 *   `status` ACTIVE, DRAINING or INACTIVE and the `taskDefinition` of the service), each name it
 *   did not find in `failures` with reason `MISSING`; a cluster that does not exist is a
 *   `ClusterNotFoundException`.
 *   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServices.html
 *   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/api_failures_messages.html
 * - A deleted service moves from ACTIVE to DRAINING while its tasks stop, then to INACTIVE; both
 *   "can still be viewed with DescribeServices".
 *   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteService.html
 * - A service update to a new task definition is a rolling deployment: the scheduler starts new
 *   tasks (with maximumPercent 200 all of them at once) and stops the old ones as the new ones
 *   become healthy, never going under minimumHealthyPercent (100: the old tasks serve until then).
 *   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html
 *
 * Choices where the documentation is silent: a new task is healthy `TASK_READY_MS` after the
 * deployment starts, and at that instant the old tasks are deregistered (the load balancer "stops
 * sending requests to targets that are deregistering",
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DeregisterTargets.html);
 * a draining service is INACTIVE a minute after its deletion.
 */
import { awsError, unimplemented } from './aws-errors';
import { MINUTE } from './sim-clock';

/** From a deployment's start to its new tasks serving (image pull, start, two health checks). */
export const TASK_READY_MS = 2 * MINUTE;
const DRAINING_MS = 1 * MINUTE;

export type EcsServiceStatus = 'ACTIVE' | 'DRAINING' | 'INACTIVE';

export interface TaskDefinitionRecord {
  readonly arn: string;
  readonly family: string;
  readonly revision: number;
  /** What the tasks run: the drills put the release's revision here (the image tag). */
  readonly image: string;
  readonly registeredAt: number;
}

/** One rolling deployment of a service (ECS lists them as PRIMARY and ACTIVE while they overlap). */
export interface ServiceDeployment {
  readonly taskDefinition: string;
  readonly startedAt: number;
  /** When its tasks serve and the previous deployment's tasks stop. */
  readonly servingAt: number;
}

export interface EcsServiceRecord {
  readonly clusterName: string;
  readonly serviceName: string;
  readonly serviceArn: string;
  status: EcsServiceStatus;
  /** The task definition of the service (its newest deployment's), as DescribeServices returns it. */
  taskDefinition: string;
  desiredCount: number;
  readonly deployments: ServiceDeployment[];
  deletedAt?: number;
}

export class EcsEmulator {
  private readonly clusters = new Set<string>();
  private readonly families = new Map<string, number>();
  readonly taskDefinitions = new Map<string, TaskDefinitionRecord>();
  readonly services = new Map<string, EcsServiceRecord>();
  /** Every DescribeServices call and its answer, for the drills' checks. */
  readonly describeCalls: Array<{ at: number; input: any; output?: any; error?: string }> = [];

  constructor(readonly account: string, readonly region: string, private readonly now: () => number) {}

  createCluster(name: string): void {
    this.clusters.add(name);
  }

  registerTaskDefinition(family: string, image: string): TaskDefinitionRecord {
    const revision = (this.families.get(family) ?? 0) + 1;
    this.families.set(family, revision);
    const record = { arn: `arn:aws:ecs:${this.region}:${this.account}:task-definition/${family}:${revision}`, family, revision, image, registeredAt: this.now() };
    this.taskDefinitions.set(record.arn, record);
    return record;
  }

  taskDefinition(arn: string): TaskDefinitionRecord {
    const record = this.taskDefinitions.get(arn);
    if (!record) throw new Error(`emulator: no task definition ${arn} in ${this.account} ${this.region}`);
    return record;
  }

  service(clusterName: string, serviceName: string): EcsServiceRecord | undefined {
    return this.services.get(`${clusterName}/${serviceName}`);
  }

  /**
   * CreateService, or UpdateService with a new task definition: a rolling deployment. Returns when
   * it is steady. `at`: when it started (a service deployed before the drill).
   */
  deploy(clusterName: string, serviceName: string, taskDefinition: string, desiredCount: number, at = this.now()): number {
    if (!this.clusters.has(clusterName)) throw awsError('ClusterNotFoundException', 'Cluster not found.', 400);
    this.taskDefinition(taskDefinition);
    const existing = this.service(clusterName, serviceName);
    if (existing && existing.status === 'ACTIVE') {
      existing.desiredCount = desiredCount;
      if (existing.taskDefinition === taskDefinition) return this.steadyAt(existing);
      existing.taskDefinition = taskDefinition;
      existing.deployments.push({ taskDefinition, startedAt: at, servingAt: at + TASK_READY_MS });
      return this.steadyAt(existing);
    }
    const record: EcsServiceRecord = {
      clusterName,
      serviceName,
      serviceArn: `arn:aws:ecs:${this.region}:${this.account}:service/${clusterName}/${serviceName}`,
      status: 'ACTIVE',
      taskDefinition,
      desiredCount,
      deployments: [{ taskDefinition, startedAt: at, servingAt: at + TASK_READY_MS }],
    };
    this.services.set(`${clusterName}/${serviceName}`, record);
    return this.steadyAt(record);
  }

  deleteService(clusterName: string, serviceName: string): void {
    const service = this.service(clusterName, serviceName);
    if (!service || service.status !== 'ACTIVE') throw awsError('ServiceNotActiveException', 'Service was not ACTIVE.', 400);
    service.status = 'DRAINING';
    service.deletedAt = this.now();
  }

  /** When the service's newest deployment serves all its tasks (CloudFormation waits for it). */
  steadyAt(service: EcsServiceRecord): number {
    return service.deployments[service.deployments.length - 1].servingAt;
  }

  /** The task definition whose tasks serve the service's requests at `at`; undefined before any does. */
  servingAt(service: EcsServiceRecord, at: number): string | undefined {
    if (service.deletedAt !== undefined && at >= service.deletedAt) return undefined;
    const serving = service.deployments.filter((d) => d.servingAt <= at);
    return serving.length > 0 ? serving[serving.length - 1].taskDefinition : undefined;
  }

  handle(operation: string, input: any): any {
    if (operation !== 'DescribeServices') throw unimplemented('ecs', operation);
    const call: { at: number; input: any; output?: any; error?: string } = { at: this.now(), input };
    this.describeCalls.push(call);
    const clusterName = String(input.cluster ?? 'default').split('/').pop()!;
    if (!this.clusters.has(clusterName)) {
      call.error = 'ClusterNotFoundException';
      throw awsError('ClusterNotFoundException', 'Cluster not found.', 400);
    }
    const services: any[] = [];
    const failures: any[] = [];
    for (const name of input.services ?? []) {
      const serviceName = String(name).split('/').pop()!;
      const service = this.service(clusterName, serviceName);
      if (!service) {
        failures.push({ arn: `arn:aws:ecs:${this.region}:${this.account}:service/${clusterName}/${serviceName}`, reason: 'MISSING' });
        continue;
      }
      const status = service.status === 'DRAINING' && this.now() >= service.deletedAt! + DRAINING_MS ? 'INACTIVE' : service.status;
      services.push({
        serviceArn: service.serviceArn,
        serviceName: service.serviceName,
        clusterArn: `arn:aws:ecs:${this.region}:${this.account}:cluster/${clusterName}`,
        status,
        taskDefinition: service.taskDefinition,
        desiredCount: status === 'ACTIVE' ? service.desiredCount : 0,
        deployments: service.deployments.slice(-1).map((d) => ({ status: 'PRIMARY', taskDefinition: d.taskDefinition, createdAt: new Date(d.startedAt) })),
      });
    }
    call.output = { services, failures };
    return call.output;
  }
}
