/**
 * The drill world with the example's real service: each region's one-box and fleet deploy ONE
 * stack (examples/service/service-stack.ts) whose `LambdaOneBox` custom resource moves the alias
 * customers call. Deploying a target runs the REAL custom-resource handler
 * (lib/runtime/one-box-alias.ts) with the Create/Update/Delete requests CloudFormation sends;
 * customers' requests are routed by the alias's weights and counted per executed version; the
 * alarms of the synthesized templates are evaluated from those counts. The controller and its
 * rollback are the real ones, as in every drill.
 */
import * as path from 'path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { readTemplate, resolveService, ResolvedService } from './service-template';
import { HealthManifest } from '../../../lib/model/health-manifest';
import { healthParameterName } from '../../../lib/model/naming';
import { PlannedTarget, TARGET_KIND } from '../../../lib/model/plan';
import { handleOneBoxAlias, OneBoxAliasEvent } from '../../../lib/runtime/one-box-alias';
import { seeded } from '../drill-runner';
import { TargetServices } from '../emulator/client-factory';
import { ActionRun } from '../emulator/codepipeline';
import { CustomResourceEvent, CustomResourceStack } from '../emulator/custom-resource';
import { LambdaEmulator } from '../emulator/lambda';
import { AliasTraffic, VersionBehaviour } from '../emulator/lambda-alias-routing';
import { AlarmDefinition, answerGetMetricData, DatapointSource, evaluateAlarm } from '../emulator/metric-alarm-evaluation';
import { MINUTE, SECOND } from '../emulator/sim-clock';
import { DURATIONS, TargetResources, World, WorldOptions } from '../world';

/** How the release's code behaves, by revision (`r2`), where it is deployed. */
export interface BadRevision {
  readonly behaviour: VersionBehaviour;
  /** Pipeline stages where it misbehaves (a bug that shows on production data only); absent = everywhere. */
  readonly stages?: string[];
  /** Misbehaves only while the alias routes all its requests to it (a bug that shows under full load). */
  readonly onlyAtFullTraffic?: boolean;
}

export interface OneBoxWorldOptions extends WorldOptions {
  /** Regions of production whose service stack does not exist before the drill: the release is the first into them. */
  readonly newRegions?: string[];
  /** Customers' requests per minute to a stack (the canary adds one a minute). @default 200 */
  readonly customers?: (stack: ServiceStack, periodStart: number) => number;
  readonly badRevisions?: Record<string, BadRevision>;
  readonly seed?: number;
  /**
   * A resource of the stack other than the alias shift fails in this deployment (returns why), so
   * CloudFormation rolls the whole update back, the custom resource included.
   */
  readonly failingUpdate?: (stack: ServiceStack, targetId: string, revision: string) => string | undefined;
  /** API operations the alias-shift handler's role is denied (e.g. `DescribeStacks`): they fail with AccessDeniedException. */
  readonly handlerDenied?: string[];
}

export const HEALTHY: VersionBehaviour = { errorRate: 0, durationMs: 120 };
export const DEFAULT_CUSTOMERS_PER_MINUTE = 200;

/** One deployment of a target's template to its region's stack. */
export interface StackDeployment {
  readonly at: Date;
  readonly targetId: string;
  readonly revision: string;
  readonly version: string;
  readonly ok: boolean;
  readonly reason?: string;
}

/** A region's service stack, shared by its one-box and fleet targets. */
export interface ServiceStack {
  readonly key: string;
  readonly stackName: string;
  readonly account: string;
  readonly region: string;
  readonly stageName: string;
  readonly services: TargetServices;
  /** Target id -> its stage template file. */
  readonly templates: Map<string, string>;
  readonly targets: PlannedTarget[];
  functionName: string;
  aliasName: string;
  apiName: string;
  /** The revision whose code the function holds; undefined before the stack exists. */
  code?: string;
  /** Versions Lambda published, oldest first. */
  readonly versions: Array<{ version: string; code: string }>;
  readonly customResources: CustomResourceStack;
  readonly alarms: Map<string, AlarmDefinition>;
  traffic?: AliasTraffic;
  /** Whether this drill deployed it (its alarms are then evaluated from its traffic). */
  active: boolean;
  readonly deployments: StackDeployment[];
  /** The AWS API calls of the custom-resource handler (Lambda, and CloudFormation's DescribeStacks). */
  readonly handlerCalls: Array<{ at: Date; operation: string; input: any; error?: string }>;
}

export class OneBoxWorld extends World {
  // Declared, not initialised: the base constructor calls createTarget before initialisers would run.
  declare private serviceStacks: Map<string, ServiceStack>;
  declare private evaluatedRegions: Set<string>;
  private readonly oneBoxOptions: OneBoxWorldOptions;
  private readonly random: () => number;

  constructor(options: OneBoxWorldOptions) {
    super(options);
    this.oneBoxOptions = options;
    this.random = seeded(options.seed ?? 15);
    const previous = `r${options.previousRevision ?? 1}`;
    for (const stack of this.stacks()) {
      stack.traffic = this.trafficOf(stack);
      const isNew = stack.stageName.startsWith('Prod') && (options.newRegions ?? []).includes(stack.region);
      if (!isNew) this.adoptPreviousRelease(stack, previous);
    }
  }

  stacks(): ServiceStack[] {
    return [...this.serviceStacks.values()];
  }

  stackOf(targetId: string): ServiceStack {
    const stack = this.stacks().find((s) => s.targets.some((t) => t.id === targetId));
    if (!stack) throw new Error(`drills: no service stack for target ${targetId}`);
    return stack;
  }

  /** The version Lambda published for `revision` in the stack (the first one, if it was published again). */
  versionOfRevision(stack: ServiceStack, revision: string): string | undefined {
    return stack.versions.find((v) => v.code === revision)?.version;
  }

  // -------------------------------------------------------------------------------------------
  // Targets: one service stack per stage and region
  // -------------------------------------------------------------------------------------------

  protected override createTarget(target: PlannedTarget, _version: number): TargetResources {
    this.serviceStacks ??= new Map();
    const deploy = this.codePipeline.definitionNow.stages.flatMap((s) => s.actions)
      .find((a) => a.targetId === target.id && a.configuration.ActionMode === 'CHANGE_SET_REPLACE');
    if (!deploy?.configuration.TemplatePath) throw new Error(`drills: no change set of target ${target.id} in the pipeline`);
    const templateFile = path.join(this.app.outdir, deploy.configuration.TemplatePath.split('::')[1]);
    const stackName = deploy.configuration.StackName;
    const key = `${target.account}/${target.region}/${stackName}`;
    let stack = this.serviceStacks.get(key);
    if (!stack) {
      stack = {
        key,
        stackName,
        account: target.account,
        region: target.region,
        stageName: target.stageName,
        services: this.servicesOf(target.account, target.region),
        templates: new Map(),
        targets: [],
        functionName: '',
        aliasName: '',
        apiName: '',
        versions: [],
        customResources: new CustomResourceStack(`arn:aws:cloudformation:${target.region}:${target.account}:stack/${stackName}/emulated`, () => this.clock.now()),
        alarms: new Map(),
        active: false,
        deployments: [],
        handlerCalls: [],
      };
      this.serviceStacks.set(key, stack);
    }
    stack.templates.set(target.id, templateFile);
    stack.targets.push(target);
    const resolved = this.resolve(stack, target.id, '1');
    stack.functionName = resolved.functionName;
    stack.aliasName = resolved.aliasName;
    stack.apiName = resolved.apiName;
    const manifest = this.manifestOf(resolved, target.id);
    return {
      target,
      services: stack.services,
      composite: manifest.compositeAlarmName,
      // The invariants read every watched alarm; the keys only name them.
      metricAlarms: Object.fromEntries(manifest.alarmNames.map((n, i) => [`alarm${i}`, n])) as unknown as TargetResources['metricAlarms'],
      canary: manifest.canaryNames[0],
      // LambdaOneBox shifts the alias itself: no CodeDeploy deployment group.
      applicationName: '',
      deploymentGroupName: '',
      functionName: resolved.functionName,
      aliasName: resolved.aliasName,
    };
  }

  private resolve(stack: ServiceStack, targetId: string, version: string): ResolvedService {
    const values = { stackName: stack.stackName, account: stack.account, region: stack.region, version };
    return resolveService(readTemplate(stack.templates.get(targetId)!), values);
  }

  private manifestOf(resolved: ResolvedService, targetId: string): HealthManifest {
    const name = healthParameterName(this.plan.pipelineName, targetId);
    const parameter = resolved.parameters.find((p) => p.name === name);
    if (!parameter) throw new Error(`drills: the stack of ${targetId} has no health manifest ${name}`);
    return JSON.parse(parameter.value);
  }

  /** The release before the drill, deployed by its fleet: version 1 on all traffic, the custom resource as the fleet left it. */
  private adoptPreviousRelease(stack: ServiceStack, revision: string): void {
    const fleet = stack.targets.find((t) => t.kind === TARGET_KIND.FLEET)!;
    stack.code = revision;
    stack.versions.push({ version: '1', code: revision });
    const resolved = this.resolve(stack, fleet.id, '1');
    this.applyResources(stack, resolved);
    stack.services.lambda.setAlias(stack.functionName, stack.aliasName, { functionVersion: '1', weights: {} });
    const shift = resolved.customResources[0];
    stack.customResources.adopt(shift, `${shift.properties.FunctionName}:${shift.properties.AliasName}`);
  }

  /** Alarms, composite alarms, health manifests and canaries of a deployment (updated in place: an alarm keeps its state). */
  private applyResources(stack: ServiceStack, resolved: ResolvedService): void {
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
        ...(alarm.metrics ? { metrics: alarm.metrics } : {}),
        value: () => undefined,
      };
      if (cw.has(spec.name)) cw.updateMetricAlarm(spec); else cw.putMetricAlarm(spec, at);
    }
    for (const composite of resolved.composites) {
      if (!cw.has(composite.name)) cw.putCompositeAlarm(composite.name, composite.children, at);
    }
    for (const parameter of resolved.parameters) stack.services.ssm.put(parameter.name, parameter.value);
    for (const canary of resolved.canaries) stack.services.synthetics.addCanary(canary, { failing: () => false });
    cw.metricData ??= (input) => answerGetMetricData(input, this.datapointsOf(stack.account, stack.region));
  }

  // -------------------------------------------------------------------------------------------
  // Traffic and metrics
  // -------------------------------------------------------------------------------------------

  private trafficOf(stack: ServiceStack): AliasTraffic {
    const customers = this.oneBoxOptions.customers ?? (() => DEFAULT_CUSTOMERS_PER_MINUTE);
    return new AliasTraffic({
      lambda: stack.services.lambda,
      functionName: stack.functionName,
      aliasName: stack.aliasName,
      apiName: stack.apiName,
      // The canary calls the API once a minute too.
      requestsPerMinute: (start) => customers(stack, start) + 1,
      behaviour: (version) => this.behaviourOf(stack, version),
      random: this.random,
      now: () => this.clock.millis,
    });
  }

  private behaviourOf(stack: ServiceStack, version: string): VersionBehaviour {
    const code = stack.versions.find((v) => v.version === version)?.code;
    const bad = code ? this.oneBoxOptions.badRevisions?.[code] : undefined;
    if (!bad || (bad.stages && !bad.stages.includes(stack.stageName))) return HEALTHY;
    if (bad.onlyAtFullTraffic) {
      const alias = stack.services.lambda.aliases.get(LambdaEmulator.key(stack.functionName, stack.aliasName));
      if (alias?.functionVersion !== version || Object.keys(alias.weights).length > 0) return HEALTHY;
    }
    return bad.behaviour;
  }

  /** A datapoint in one account and region: API metrics add up over the stacks whose API has that name. */
  private datapointsOf(account: string, region: string): DatapointSource {
    return (namespace, metricName, dims, start) => this.datapoint(account, region, namespace, metricName, dims, start);
  }

  private datapoint(
    account: string, region: string, namespace: string, metricName: string, dims: Record<string, string>, start: number,
  ): number | undefined {
    if (namespace === 'CloudWatchSynthetics' && metricName === 'Failed') {
      // The canary runs every minute and passes: the drills' faults are in the release's code.
      return this.stacks().some((s) => s.account === account && s.region === region && s.code !== undefined) ? 0 : undefined;
    }
    const values = this.stacks().filter((s) => s.account === account && s.region === region && s.traffic)
      .map((s) => s.traffic!.datapoint(namespace, metricName, dims, start))
      .filter((v): v is number => v !== undefined);
    if (values.length === 0) return undefined;
    return metricName === 'Latency' || metricName === 'Duration' ? Math.max(...values) : values.reduce((a, b) => a + b, 0);
  }

  private evaluateAlarms(account: string, region: string): void {
    const key = `${account}/${region}`;
    this.evaluatedRegions ??= new Set();
    if (this.evaluatedRegions.has(key)) return;
    this.evaluatedRegions.add(key);
    const tick = (at: number) => {
      this.clock.at(at, `evaluate alarms ${key}`, () => {
        tick(at + MINUTE);
        for (const stack of this.stacks().filter((s) => s.account === account && s.region === region && s.code !== undefined)) {
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
      // The custom resource answers within seconds; the stack update takes its minute around it.
      this.clock.after(DURATIONS.stackUpdate / 2, label, async () => {
        const outcome = await this.deployStack(this.stackOf(targetId), targetId, run.execution.revision);
        this.clock.after(DURATIONS.stackUpdate / 2, `${label} stack ${outcome.ok ? 'complete' : 'rolled back'}`, () => finish(outcome.ok, outcome.reason));
      });
      return;
    }
    super.runAction(run, finish);
  }

  private async deployStack(stack: ServiceStack, targetId: string, revision: string): Promise<{ ok: boolean; reason?: string }> {
    const before = { code: stack.code, version: stack.versions[stack.versions.length - 1]?.version };
    const version = this.publishVersion(stack, revision);
    const resolved = this.resolve(stack, targetId, version);
    this.applyResources(stack, resolved);
    stack.active = true;
    this.evaluateAlarms(stack.account, stack.region);
    const laterFailure = this.oneBoxOptions.failingUpdate?.(stack, targetId, revision);
    const outcome = await stack.customResources.update(resolved.customResources, (event) => this.aliasShiftHandler(stack, event), laterFailure);
    if (!outcome.ok) {
      // UPDATE_ROLLBACK: the function's code and the other resources go back to the previous template.
      stack.code = before.code;
      const previousTarget = stack.deployments.filter((d) => d.ok).pop()?.targetId ?? targetId;
      if (before.version) this.applyResources(stack, this.resolve(stack, previousTarget, before.version));
    }
    const deployment = { at: this.clock.now(), targetId, revision, version, ok: outcome.ok };
    stack.deployments.push(outcome.reason ? { ...deployment, reason: outcome.reason } : deployment);
    return outcome;
  }

  /**
   * CloudFormation updates the function's code and publishes the `AWS::Lambda::Version`: "Lambda
   * doesn't publish a version if the function's configuration and code haven't changed since the
   * last version" (the fleet deploying the code its one-box published); the previous code deployed
   * again (a stage rollback) is a new version.
   * https://docs.aws.amazon.com/lambda/latest/api/API_PublishVersion.html
   */
  private publishVersion(stack: ServiceStack, revision: string): string {
    stack.code = revision;
    const latest = stack.versions[stack.versions.length - 1];
    if (latest?.code === revision) return latest.version;
    const version = String(stack.versions.length === 0 ? 1 : Number(latest.version) + 1);
    stack.versions.push({ version, code: revision });
    return version;
  }

  /**
   * The REAL handler of the `LambdaOneBox` custom resource, with a Lambda client answered by the
   * emulator and a CloudFormation client whose DescribeStacks answers with the stack's status.
   */
  private async aliasShiftHandler(stack: ServiceStack, event: CustomResourceEvent) {
    const credentials = { accessKeyId: 'EMULATED', secretAccessKey: 'emulated' };
    const answered = <T extends { send: unknown }>(client: T, answer: (operation: string, input: any) => any): T => {
      (client as { send: unknown }).send = async (command: any) => {
        const operation = String(command.constructor.name).replace(/Command$/, '');
        const call: { at: Date; operation: string; input: any; error?: string } = { at: this.clock.now(), operation, input: command.input };
        stack.handlerCalls.push(call);
        try {
          if (this.oneBoxOptions.handlerDenied?.includes(operation)) {
            throw Object.assign(new Error(`drills: the alias-shift handler's role may not call ${operation}`), { name: 'AccessDeniedException' });
          }
          return { $metadata: { httpStatusCode: 200 }, ...answer(operation, command.input) };
        } catch (err) {
          call.error = err instanceof Error ? err.name : String(err);
          throw err;
        }
      };
      return client;
    };
    const lambda = answered(new LambdaClient({ region: stack.region, credentials }),
      (operation, input) => stack.services.lambda.handle(operation, input));
    const cloudFormation = answered(new CloudFormationClient({ region: stack.region, credentials }), (operation, input) => {
      if (operation !== 'DescribeStacks') throw new Error(`drills: the alias-shift handler called CloudFormation ${operation}, which its role does not allow`);
      return stack.customResources.describeStacks(input);
    });
    return handleOneBoxAlias({ lambda, cloudFormation }, event as unknown as OneBoxAliasEvent, this.clock.now());
  }
}

/** Seconds between two dates. */
export function secondsBetween(from: Date, to: Date): number {
  return Math.round((to.getTime() - from.getTime()) / SECOND);
}
