/**
 * The drill world with the ECS drill service (ecs-service-app.ts): each region's one-box and
 * fleet deploy ONE stack, two ECS services behind one listener that forwards to their target
 * groups by weight, with `EcsOneBox`'s fleet pin in the one-box template. Deploying a target runs
 * the REAL custom-resource handler (`handleFleetPin`, lib/runtime/ecs-fleet-pin.ts) with the
 * requests CloudFormation sends and an ECS client answered by the emulator; customers' requests
 * go through the listener to the tasks the services run; the alarms of the synthesized templates
 * are evaluated from the metrics ELB publishes about them. The controller and its rollback are the
 * real ones, as in every drill.
 */
import * as path from 'path';
import { ECSClient } from '@aws-sdk/client-ecs';
import { FLEET_PIN_TYPE, resolveEcsStack, ResolvedEcsStack } from './ecs-template';
import { HealthManifest } from '../../../lib/model/health-manifest';
import { healthParameterName } from '../../../lib/model/naming';
import { PlannedTarget, TARGET_KIND } from '../../../lib/model/plan';
import { FleetPinEvent, FleetPinResponse, handleFleetPin } from '../../../lib/runtime/ecs-fleet-pin';
import { seeded } from '../drill-runner';
import { awsError } from '../emulator/aws-errors';
import { TargetServices } from '../emulator/client-factory';
import { ActionRun } from '../emulator/codepipeline';
import { CustomResourceEvent, CustomResourceStack } from '../emulator/custom-resource';
import { EcsEmulator, TaskDefinitionRecord } from '../emulator/ecs';
import { ListenerEmulator, LoadBalancerTraffic, TaskBehaviour } from '../emulator/elbv2';
import { AlarmDefinition, answerGetMetricData, DatapointSource, evaluateAlarm } from '../emulator/metric-alarm-evaluation';
import { MINUTE } from '../emulator/sim-clock';
import { readTemplate } from '../one-box/service-template';
import { DURATIONS, TargetResources, World, WorldOptions } from '../world';

export const HEALTHY_TASKS: TaskBehaviour = { errorRate: 0, responseTimeMs: 80 };
export const DEFAULT_REQUESTS_PER_MINUTE = 200;

export interface BadRelease {
  readonly behaviour: TaskBehaviour;
  /** Pipeline stages where it misbehaves (a bug that shows on production data only); absent = everywhere. */
  readonly stages?: string[];
  /** Misbehaves only once its task definition is this many minutes old (a leak); absent = at once. */
  readonly afterMinutes?: number;
}

export interface EcsWorldOptions extends WorldOptions {
  /** Regions of production whose service stack does not exist before the drill: the release is the first into them. */
  readonly newRegions?: string[];
  readonly requestsPerMinute?: (stack: EcsStack, periodStart: number) => number;
  /** How the tasks of a release's image behave, by revision (`r2`). */
  readonly badReleases?: Record<string, BadRelease>;
  readonly seed?: number;
  /** Replaces the fleet pin's answer (the invariants' own test: a pin that answers wrongly). */
  readonly pinAnswer?: (event: FleetPinEvent, answer: FleetPinResponse) => FleetPinResponse;
}

/** One deployment of a target's template to its region's stack. */
export interface EcsStackDeployment {
  readonly at: Date;
  readonly targetId: string;
  readonly revision: string;
  readonly taskDefinition: string;
  readonly ok: boolean;
  /** When CloudFormation finished: its services were steady. */
  readonly doneAt: number;
  /** Services whose task definition this deployment changed (`from` undefined: created). */
  readonly serviceChanges: Array<{ readonly service: string; readonly from?: string; readonly to: string }>;
  readonly reason?: string;
}

/** A region's service stack, shared by its one-box and fleet targets. */
export interface EcsStack {
  readonly key: string;
  readonly stackName: string;
  readonly account: string;
  readonly region: string;
  readonly stageName: string;
  readonly services: TargetServices;
  readonly ecs: EcsEmulator;
  /** Target id -> its stage template file. */
  readonly templates: Map<string, string>;
  readonly targets: PlannedTarget[];
  /** The revision ECS registered for the stack's AWS::ECS::TaskDefinition; undefined before the stack exists. */
  taskDefinition?: TaskDefinitionRecord;
  /** Names and weights as deployed; undefined before the stack exists. */
  deployed?: ResolvedEcsStack;
  /** When the stack (its load balancer) was created; before the drill for a region that had a release. */
  createdAt?: number;
  readonly customResources: CustomResourceStack;
  readonly alarms: Map<string, AlarmDefinition>;
  traffic?: LoadBalancerTraffic;
  /** The listener's default actions as the template last deployed declared them (JSON). */
  listenerTemplate?: string;
  /** The SDK call of each `Custom::AWS` resource as last deployed, by logical ID (absent: the resource does not exist). */
  readonly sdkCalls: Map<string, string>;
  readonly deploymentLog: EcsStackDeployment[];
}

export class EcsWorld extends World {
  // Declared, not initialised: the base constructor calls createTarget before initialisers would run.
  declare private ecsStacks: Map<string, EcsStack>;
  declare private ecsByRegion: Map<string, EcsEmulator>;
  declare private evaluatedRegions: Set<string>;
  private readonly ecsOptions: EcsWorldOptions;
  private readonly random: () => number;

  constructor(options: EcsWorldOptions) {
    super(options);
    this.ecsOptions = options;
    this.random = seeded(options.seed ?? 15);
    const previous = `r${options.previousRevision ?? 1}`;
    for (const stack of this.stacks()) {
      const isNew = stack.stageName.startsWith('Prod') && (options.newRegions ?? []).includes(stack.region);
      if (!isNew) this.adoptPreviousRelease(stack, previous);
    }
  }

  stacks(): EcsStack[] {
    return [...this.ecsStacks.values()];
  }

  stackOf(targetId: string): EcsStack {
    const stack = this.stacks().find((s) => s.targets.some((t) => t.id === targetId));
    if (!stack) throw new Error(`drills: no service stack for target ${targetId}`);
    return stack;
  }

  /** The release a task definition runs (its image). */
  releaseOf(stack: EcsStack, taskDefinition: string): string {
    return stack.ecs.taskDefinition(taskDefinition).image;
  }

  // -------------------------------------------------------------------------------------------
  // Targets: one service stack per stage and region
  // -------------------------------------------------------------------------------------------

  protected override createTarget(target: PlannedTarget, _version: number): TargetResources {
    this.ecsStacks ??= new Map();
    const deploy = this.codePipeline.definitionNow.stages.flatMap((s) => s.actions)
      .find((a) => a.targetId === target.id && a.configuration.ActionMode === 'CHANGE_SET_REPLACE');
    if (!deploy?.configuration.TemplatePath) throw new Error(`drills: no change set of target ${target.id} in the pipeline`);
    const templateFile = path.join(this.app.outdir, deploy.configuration.TemplatePath.split('::')[1]);
    const stackName = deploy.configuration.StackName;
    const key = `${target.account}/${target.region}/${stackName}`;
    let stack = this.ecsStacks.get(key);
    if (!stack) {
      stack = {
        key,
        stackName,
        account: target.account,
        region: target.region,
        stageName: target.stageName,
        services: this.servicesOf(target.account, target.region),
        ecs: this.ecsOf(target.account, target.region),
        templates: new Map(),
        targets: [],
        customResources: new CustomResourceStack(`arn:aws:cloudformation:${target.region}:${target.account}:stack/${stackName}/emulated`, () => this.clock.now()),
        alarms: new Map(),
        sdkCalls: new Map(),
        deploymentLog: [],
      };
      this.ecsStacks.set(key, stack);
    }
    stack.templates.set(target.id, templateFile);
    stack.targets.push(target);
    const manifest = this.manifestOf(this.resolve(stack, target.id, 'arn:aws:ecs:unresolved'), target.id);
    return {
      target,
      services: stack.services,
      composite: manifest.compositeAlarmName,
      // The invariants read every watched alarm; the keys only name them.
      metricAlarms: Object.fromEntries(manifest.alarmNames.map((n, i) => [`alarm${i}`, n])) as unknown as TargetResources['metricAlarms'],
      canary: '',
      // An ECS one-box has no CodeDeploy group and no alias.
      applicationName: '',
      deploymentGroupName: '',
      functionName: '',
      aliasName: '',
    };
  }

  /** The account's services, with its load balancers' listeners. */
  protected override servicesOf(account: string, region: string): TargetServices {
    const services = super.servicesOf(account, region) as TargetServices & { elbv2?: ListenerEmulator };
    services.elbv2 ??= new ListenerEmulator(() => this.clock.millis);
    return services;
  }

  listenersOf(stack: EcsStack): ListenerEmulator {
    return stack.services.elbv2!;
  }

  private ecsOf(account: string, region: string): EcsEmulator {
    this.ecsByRegion ??= new Map();
    const key = `${account}/${region}`;
    let ecs = this.ecsByRegion.get(key);
    if (!ecs) {
      ecs = new EcsEmulator(account, region, () => this.clock.millis);
      this.ecsByRegion.set(key, ecs);
    }
    return ecs;
  }

  resolve(stack: EcsStack, targetId: string, taskDefinitionArn: string): ResolvedEcsStack {
    return resolveEcsStack(readTemplate(stack.templates.get(targetId)!), {
      stackName: stack.stackName,
      account: stack.account,
      region: stack.region,
      taskDefinitionArn,
      customResourceData: (logicalId) => this.customResourceData(stack, logicalId),
    });
  }

  /** A custom resource's attributes: the `Data` of the last request its provider answered (none is sent when its properties did not change). */
  private customResourceData(stack: EcsStack, logicalId: string): Record<string, string> | undefined {
    const answered = stack.customResources.requests
      .filter((r) => r.event.LogicalResourceId === logicalId && r.event.RequestType !== 'Delete' && r.response);
    return answered[answered.length - 1]?.response?.Data;
  }

  private manifestOf(resolved: ResolvedEcsStack, targetId: string): HealthManifest {
    const name = healthParameterName(this.plan.pipelineName, targetId);
    const parameter = resolved.parameters.find((p) => p.name === name);
    if (!parameter) throw new Error(`drills: the stack of ${targetId} has no health manifest ${name}`);
    return JSON.parse(parameter.value);
  }

  /** The release before the drill, deployed by its fleet long ago: both services on it, steady. */
  private adoptPreviousRelease(stack: EcsStack, revision: string): void {
    const fleet = stack.targets.find((t) => t.kind === TARGET_KIND.FLEET)!;
    const family = this.resolve(stack, fleet.id, 'arn:aws:ecs:unresolved').taskDefinitionFamily;
    stack.taskDefinition = stack.ecs.registerTaskDefinition(family, revision);
    const resolved = this.resolve(stack, fleet.id, stack.taskDefinition.arn);
    stack.ecs.createCluster(resolved.clusterName);
    const longAgo = this.clock.millis - 3 * 24 * 60 * MINUTE;
    for (const service of resolved.services) {
      stack.ecs.deploy(resolved.clusterName, service.serviceName, service.taskDefinition(), service.desiredCount, longAgo);
    }
    stack.createdAt = longAgo;
    this.applyResources(stack, resolved, longAgo);
  }

  /** Alarms, composite alarms, health manifests and the listener of a deployment (an alarm keeps its state). */
  private applyResources(stack: EcsStack, resolved: ResolvedEcsStack, listenerFrom = this.clock.millis): void {
    stack.deployed = resolved;
    stack.createdAt ??= this.clock.millis;
    // CloudFormation updates a resource only when its template properties changed: a listener
    // whose declared actions are the same keeps the weights a ModifyListener gave it (drift).
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-update-behaviors.html
    const listenerTemplate = JSON.stringify(resolved.defaultActions);
    if (stack.listenerTemplate !== listenerTemplate) {
      this.listenersOf(stack).put(resolved.listenerArn, resolved.defaultActions, listenerFrom);
      stack.listenerTemplate = listenerTemplate;
    }
    stack.traffic ??= this.trafficOf(stack, resolved.loadBalancerFullName);
    const cw = stack.services.cloudWatch;
    const at = this.clock.now();
    for (const alarm of resolved.alarms) {
      stack.alarms.set(alarm.definition.name, alarm.definition);
      const spec = {
        name: alarm.definition.name,
        namespace: alarm.namespace,
        metricName: alarm.metricName,
        dimensions: alarm.dimensions,
        statistic: alarm.statistic,
        period: alarm.definition.period,
        threshold: alarm.definition.threshold,
        comparisonOperator: alarm.definition.comparisonOperator,
        value: () => undefined,
      };
      if (cw.has(spec.name)) cw.updateMetricAlarm(spec); else cw.putMetricAlarm(spec, at);
    }
    for (const composite of resolved.composites) {
      if (!cw.has(composite.name)) cw.putCompositeAlarm(composite.name, composite.children, at);
    }
    for (const parameter of resolved.parameters) stack.services.ssm.put(parameter.name, parameter.value);
    cw.metricData ??= (input) => answerGetMetricData(input, this.datapointsOf(stack.account, stack.region));
  }

  // -------------------------------------------------------------------------------------------
  // Traffic and metrics
  // -------------------------------------------------------------------------------------------

  private trafficOf(stack: EcsStack, loadBalancerFullName: string): LoadBalancerTraffic {
    const perMinute = this.ecsOptions.requestsPerMinute ?? (() => DEFAULT_REQUESTS_PER_MINUTE);
    return new LoadBalancerTraffic({
      loadBalancerFullName,
      targetGroups: (at) => {
        // Both templates declare the same listener: the one deployed last answers for the past too.
        const deployed = stack.deployed;
        if (!deployed || stack.createdAt === undefined || at < stack.createdAt) return [];
        // The weights in force at `at`: the template's, or a rollback's ModifyListener since.
        return this.listenersOf(stack).forwardAt(deployed.listenerArn, at).map((g) => {
          const fullName = g.targetGroupArn.split(':').pop()!;
          const service = deployed.services.find((s) => s.targetGroupFullName === fullName)!;
          const record = stack.ecs.service(deployed.clusterName, service.serviceName);
          const servingAt = (t: number) => (record ? stack.ecs.servingAt(record, t) : undefined);
          return { fullName, weight: g.weight, servingAt };
        });
      },
      requestsPerMinute: (start) => perMinute(stack, start),
      behaviour: (taskDefinition, at) => this.behaviourOf(stack, taskDefinition, at),
      random: this.random,
      now: () => this.clock.millis,
    });
  }

  private behaviourOf(stack: EcsStack, taskDefinition: string, at: number): TaskBehaviour {
    const record = stack.ecs.taskDefinition(taskDefinition);
    const bad = this.ecsOptions.badReleases?.[record.image];
    if (!bad || (bad.stages && !bad.stages.includes(stack.stageName))) return HEALTHY_TASKS;
    if (bad.afterMinutes !== undefined && at < record.registeredAt + bad.afterMinutes * MINUTE) return HEALTHY_TASKS;
    return bad.behaviour;
  }

  private datapointsOf(account: string, region: string): DatapointSource {
    return (namespace, metricName, dims, start) => {
      const values = this.stacks().filter((s) => s.account === account && s.region === region && s.traffic)
        .map((s) => s.traffic!.datapoint(namespace, metricName, dims, start))
        .filter((v): v is number => v !== undefined);
      return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0);
    };
  }

  private evaluateAlarms(account: string, region: string): void {
    const key = `${account}/${region}`;
    this.evaluatedRegions ??= new Set();
    if (this.evaluatedRegions.has(key)) return;
    this.evaluatedRegions.add(key);
    const tick = (at: number) => {
      this.clock.at(at, `evaluate alarms ${key}`, () => {
        tick(at + MINUTE);
        for (const stack of this.stacks().filter((s) => s.account === account && s.region === region && s.taskDefinition)) {
          for (const alarm of stack.alarms.values()) {
            evaluateAlarm(stack.services.cloudWatch, alarm, this.clock.millis, this.datapointsOf(account, region));
          }
        }
      });
    };
    tick(Math.ceil((this.clock.millis + 1) / MINUTE) * MINUTE);
  }

  // -------------------------------------------------------------------------------------------
  // Deployments
  // -------------------------------------------------------------------------------------------

  protected override runAction(run: ActionRun, finish: (ok: boolean, summary?: string) => void): void {
    const a = run.action;
    if (a.category === 'Deploy' && a.provider === 'CloudFormation' && a.configuration.ActionMode === 'CHANGE_SET_EXECUTE' && a.targetId) {
      const targetId = a.targetId;
      const label = `${run.stageName}/${a.name}`;
      // The custom resource answers within seconds; CloudFormation then waits for the services to be steady.
      this.clock.after(DURATIONS.stackUpdate / 2, label, async () => {
        const outcome = await this.deployStack(this.stackOf(targetId), targetId, run.execution.revision);
        this.clock.at(outcome.doneAt + DURATIONS.stackUpdate / 2, `${label} stack ${outcome.ok ? 'complete' : 'rolled back'}`, () => finish(outcome.ok, outcome.reason));
      });
      return;
    }
    super.runAction(run, finish);
  }

  /**
   * A stack update to the target's template with the release's image. When the task definition's
   * container definitions or family changed, CloudFormation replaces it ("Update requires:
   * Replacement"): ECS registers a new revision (the old one is retained: `UpdateReplacePolicy:
   * Retain`).
   * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecs-taskdefinition.html
   * The fleet pin (its `Ref`s name the cluster and the new revision) is updated before the fleet
   * service that reads its attribute; an AWS::ECS::Service update completes once the service is
   * steady.
   */
  async deployStack(stack: EcsStack, targetId: string, revision: string): Promise<EcsStackDeployment> {
    const before = stack.taskDefinition;
    const family = this.resolve(stack, targetId, 'arn:aws:ecs:unresolved').taskDefinitionFamily;
    // The one-box and the fleet template name the family differently (CDK derives it from the
    // construct path, and the two stages differ): a changed Family is a replacement too.
    if (stack.taskDefinition?.image !== revision || stack.taskDefinition.family !== family) {
      stack.taskDefinition = stack.ecs.registerTaskDefinition(family, revision);
    }
    const taskDefinition = stack.taskDefinition!.arn;
    const resolved = this.resolve(stack, targetId, taskDefinition);
    stack.ecs.createCluster(resolved.clusterName);
    const outcome = await stack.customResources.update(resolved.fleetPins, (event) => this.fleetPinHandler(stack, resolved, event));
    const base = { at: this.clock.now(), targetId, revision, taskDefinition };
    let deployment: EcsStackDeployment;
    if (!outcome.ok) {
      // UPDATE_ROLLBACK: the task definition resource goes back to the revision before.
      stack.taskDefinition = before;
      deployment = { ...base, ok: false, doneAt: this.clock.millis, serviceChanges: [], ...(outcome.reason ? { reason: outcome.reason } : {}) };
    } else {
      let doneAt = this.clock.millis;
      const serviceChanges: EcsStackDeployment['serviceChanges'] = [];
      for (const service of resolved.services) {
        const existing = stack.ecs.service(resolved.clusterName, service.serviceName);
        const from = existing?.status === 'ACTIVE' ? existing.taskDefinition : undefined;
        const to = service.taskDefinition();
        if (from !== to) serviceChanges.push({ service: service.serviceName, ...(from ? { from } : {}), to });
        doneAt = Math.max(doneAt, stack.ecs.deploy(resolved.clusterName, service.serviceName, to, service.desiredCount));
      }
      this.applyResources(stack, resolved);
      this.runSdkCalls(stack, resolved, doneAt);
      this.evaluateAlarms(stack.account, stack.region);
      deployment = { ...base, ok: true, doneAt, serviceChanges };
    }
    stack.deploymentLog.push(deployment);
    return deployment;
  }

  /**
   * `AwsCustomResource`s (`Custom::AWS`): CloudFormation sends Create for a new one and Update when
   * its properties changed, and Delete for one the template no longer has; the provider makes the
   * call of the request (create or update) with the SDK. EcsOneBox's weight reset, after the
   * services it depends on are steady (`doneAt`), is the only one the drills' stack has; its
   * ModifyListener runs against the listener emulator under the grants of the stack's roles.
   * https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.custom_resources.AwsCustomResource.html
   */
  private runSdkCalls(stack: EcsStack, resolved: ResolvedEcsStack, doneAt: number): void {
    const present = new Set(resolved.sdkCalls.map((c) => c.logicalId));
    for (const logicalId of [...stack.sdkCalls.keys()]) if (!present.has(logicalId)) stack.sdkCalls.delete(logicalId);
    for (const resource of resolved.sdkCalls) {
      const before = stack.sdkCalls.get(resource.logicalId);
      const json = before === undefined ? resource.create : resource.update;
      if (before === json) continue;
      stack.sdkCalls.set(resource.logicalId, json);
      const call = JSON.parse(json);
      if (call.service !== 'ElasticLoadBalancingV2' || call.action !== 'ModifyListener') throw new Error(`drills: unimplemented Custom::AWS call ${call.service}.${call.action}`);
      this.clock.at(doneAt, `${stack.stackName} ${resource.logicalId} ModifyListener`, () => {
        if (!resolved.modifyListenerGrants.includes(call.parameters.ListenerArn)) {
          throw new Error(`drills: ${resource.logicalId} may not call elasticloadbalancing:ModifyListener on ${call.parameters.ListenerArn}`);
        }
        this.listenersOf(stack).handle('ModifyListener', call.parameters);
      });
    }
  }

  /** The REAL handler of `EcsOneBox`'s fleet pin, with an ECS client answered by the emulator under the handler role's grants. */
  private async fleetPinHandler(stack: EcsStack, resolved: ResolvedEcsStack, event: CustomResourceEvent) {
    if (event.ResourceType !== FLEET_PIN_TYPE) throw new Error(`drills: no provider for ${event.ResourceType}`);
    const client = new ECSClient({ region: stack.region, credentials: { accessKeyId: 'EMULATED', secretAccessKey: 'emulated' } });
    (client as { send: unknown }).send = async (command: any) => {
      const operation = String(command.constructor.name).replace(/Command$/, '');
      // DescribeServices is authorised on the service's ARN.
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html
      for (const name of command.input.services ?? []) {
        const arn = `arn:aws:ecs:${stack.region}:${stack.account}:service/${command.input.cluster}/${name}`;
        if (!resolved.describeServicesGrants.includes(arn)) {
          throw awsError('AccessDeniedException', `User is not authorized to perform: ecs:${operation} on resource: ${arn}`, 400);
        }
      }
      return { $metadata: { httpStatusCode: 200 }, ...stack.ecs.handle(operation, command.input) };
    };
    const answer = await handleFleetPin(client, event as unknown as FleetPinEvent);
    return this.ecsOptions.pinAnswer ? this.ecsOptions.pinAnswer(event as unknown as FleetPinEvent, answer) : answer;
  }
}

