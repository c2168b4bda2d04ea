/**
 * The drill world: the example's synthesized pipeline running in emulated AWS, its targets with
 * alarms, canaries, CodeDeploy groups and aliases, and the REAL controller handler
 * (`createControllerHandler`) invoked by the rules of the pipeline stack: the 1-minute sweep,
 * approval starts and forwarded health alarms. Simulated time only.
 */
import { Call, CallJournal, EmulatedAccounts, EmulatedClientFactory, InvocationContext, TargetServices } from './emulator/client-factory';
import { AlarmStateChange, CloudWatchEmulator } from './emulator/cloudwatch';
import { CodeDeployEmulator } from './emulator/codedeploy';
import { ActionRun, ActionStateChange, CodePipelineEmulator } from './emulator/codepipeline';
import { EventRule, matchesPattern, rateMinutes } from './emulator/eventbridge';
import { LambdaEmulator } from './emulator/lambda';
import { MINUTE, SECOND, SimClock } from './emulator/sim-clock';
import { SsmEmulator } from './emulator/ssm';
import { StsEmulator } from './emulator/sts';
import { SynthesizedApp } from './emulator/synthesized-app';
import { SyntheticsEmulator } from './emulator/synthetics';
import { HEALTH_MANIFEST_VERSION, HealthManifest } from '../../lib/model/health-manifest';
import { compositeAlarmName, healthParameterName } from '../../lib/model/naming';
import { PlannedTarget, planTargets, ReleasePlan } from '../../lib/model/plan';
import { AlarmActionEvent, alarmRollbackConfig, createAlarmRollbackHandler } from '../../lib/runtime/alarm-rollback';
import { ControllerResult, createControllerHandler } from '../../lib/runtime/controller';
import { DecisionLine } from '../../lib/runtime/decision-log';
import { createRollbackHandler, monitorRoleArn, RollbackReport } from '../../lib/runtime/rollback';

/** Simulated durations of the actions CodePipeline hands to other services. */
export const DURATIONS = {
  source: 1 * MINUTE,
  synth: 6 * MINUTE,
  selfMutate: 3 * MINUTE,
  validation: 8 * MINUTE,
  changeSetReplace: 1 * MINUTE,
  /** CloudFormation before and after the CodeDeploy deployment it waits for. */
  stackUpdate: 1 * MINUTE,
} as const;

/** Delays of EventBridge deliveries (documented as "typically within seconds"; these are choices). */
export const DELAYS = {
  actionEvent: 1 * SECOND,
  /** Alarm state change -> target bus -> forwarded to the pipeline account's health bus -> controller. */
  alarmEvent: 3 * SECOND,
  /** The schedule fires this long after the minute. */
  schedule: 0,
  /** Lambda's retries of an asynchronous invocation that failed: after 1 minute, then 2 more. */
  lambdaRetries: [1 * MINUTE, 2 * MINUTE],
  /**
   * Alarm state change -> the alarm's Lambda action runs. CloudWatch invokes it asynchronously and
   * retries until Lambda accepts it (alarms-and-actions-Lambda.html); the delay is a choice.
   */
  alarmAction: 2 * SECOND,
} as const;

/** Invocation ids of the alarm rollbacks start here, apart from the controller's. */
const ALARM_ROLLBACK_INVOCATIONS = 1_000_000;

export interface TargetResources {
  readonly target: PlannedTarget;
  readonly services: TargetServices;
  readonly composite: string;
  readonly metricAlarms: { readonly errors: string; readonly latency: string; readonly canary: string };
  readonly canary: string;
  readonly applicationName: string;
  readonly deploymentGroupName: string;
  readonly functionName: string;
  readonly aliasName: string;
}

/** How events reach the controller; a drill sets faults here. */
export interface DeliveryFaults {
  /** Whether this delivery of the event is lost (after EventBridge's retries). */
  lost?: (event: ControllerEvent) => boolean;
  /** How many times the event is delivered (at least once). */
  copies?: (event: ControllerEvent) => number;
  /** Extra delay before delivery. */
  delay?: (event: ControllerEvent) => number;
}

export interface ControllerEvent {
  readonly 'source': string;
  readonly 'detail-type': string;
  readonly 'account': string;
  readonly 'region': string;
  readonly 'time': string;
  readonly 'resources'?: string[];
  readonly 'detail': Record<string, unknown>;
}

export interface Invocation {
  readonly id: number;
  readonly at: Date;
  readonly trigger: string;
  readonly outcome: 'OK' | 'ERROR' | 'CRASHED' | 'UNAVAILABLE';
  readonly error?: string;
  readonly result?: ControllerResult;
}

export interface WorldOptions {
  readonly app: SynthesizedApp;
  readonly start: Date;
  /** The release already in production before the drill (its stages all succeeded). */
  readonly previousRevision?: number;
}

const PIPELINE_HEALTHY_ERRORS = 0;
const BAD_ERRORS = 12;

export class World {
  readonly clock: SimClock;
  plan: ReleasePlan;
  readonly codePipeline: CodePipelineEmulator;
  readonly pipelineSsm = new SsmEmulator();
  readonly sts: StsEmulator;
  readonly targets = new Map<string, TargetResources>();
  readonly journal: CallJournal = { calls: [], faults: [], afterCall: [] };
  readonly delivery: DeliveryFaults = {};
  readonly decisions: DecisionLine[] = [];
  readonly invocations: Invocation[] = [];
  readonly actionChanges: ActionStateChange[] = [];
  readonly alarmChanges: AlarmStateChange[] = [];
  /** Times the stop switch changed, with its new value. */
  readonly switchHistory: Array<{ at: Date; value: string }> = [];
  /** When the controller cannot be invoked (Lambda outage, a bad deploy of it). */
  readonly controllerDown: Array<{ from: number; to: number }> = [];
  private readonly accountsByKey = new Map<string, TargetServices>();
  private rules: EventRule[];
  protected app: SynthesizedApp;
  private readonly invocation: InvocationContext = { id: 0, crashed: false };
  private handler!: (event: unknown) => Promise<ControllerResult>;
  private rollbackHandler!: (event: { targetId: string; reason?: string }) => Promise<RollbackReport>;
  /** Reports of the operators' rollback Lambda. */
  readonly operatorRollbacks: Array<{ at: Date; targetId: string; report?: RollbackReport; error?: string }> = [];
  /** Invocations of the targets' alarm rollbacks (their health alarms' actions). */
  readonly alarmRollbacks: Array<{ at: Date; targetId: string; report?: RollbackReport; error?: string }> = [];
  private alarmRollbackInvocations = ALARM_ROLLBACK_INVOCATIONS;
  private factory!: EmulatedClientFactory;
  private readonly hooks: Array<{
    when: (change: ActionStateChange) => boolean; run: (change: ActionStateChange) => void; once: boolean; done?: boolean;
  }> = [];
  /** A new version of the app that SelfMutate deploys when a release reaches it. */
  pendingApp?: SynthesizedApp;
  private releaseCounter: number;
  /** Grants removed from monitor roles by a drill (someone edited the role). */
  private readonly denied = new Map<string, Set<string>>();

  constructor(options: WorldOptions) {
    this.clock = new SimClock(options.start);
    this.app = options.app;
    this.plan = options.app.plan;
    this.rules = options.app.rules;
    const now = () => this.clock.now();
    const roles = new Set(planTargets(this.plan).map((t) => monitorRoleArn(this.plan, t)));
    this.sts = new StsEmulator(now, roles);
    const runner = { start: (run: ActionRun, finish: (ok: boolean, summary?: string) => void) => this.runAction(run, finish) };
    this.codePipeline = new CodePipelineEmulator(this.clock, options.app.pipeline, runner, this.plan.pipelineAccount, this.plan.pipelineRegion);
    this.codePipeline.onActionStateChange((change) => this.onActionStateChange(change));
    this.pipelineSsm.put(this.plan.stopSwitchParameterName, 'OFF');
    this.switchHistory.push({ at: options.start, value: 'OFF' });
    const previous = options.previousRevision ?? 1;
    this.releaseCounter = previous;
    for (const target of planTargets(this.plan)) this.targets.set(target.id, this.createTarget(target, previous));
    this.codePipeline.recordSucceededExecution(`r${previous}`, new Date(options.start.getTime() - 3 * 24 * 60 * MINUTE));
    this.coldStart();
    this.scheduleSweeps();
  }

  // -------------------------------------------------------------------------------------------
  // Accounts and targets
  // -------------------------------------------------------------------------------------------

  protected servicesOf(account: string, region: string): TargetServices {
    const key = `${account}/${region}`;
    let services = this.accountsByKey.get(key);
    if (!services) {
      const now = () => this.clock.now();
      const lambda = new LambdaEmulator(now);
      services = {
        ssm: new SsmEmulator(),
        cloudWatch: new CloudWatchEmulator(this.clock, account, region),
        synthetics: new SyntheticsEmulator(now),
        codeDeploy: new CodeDeployEmulator(this.clock, lambda),
        lambda,
      };
      services.cloudWatch.onStateChange((change) => this.onAlarmStateChange(change));
      this.accountsByKey.set(key, services);
    }
    return services;
  }

  protected createTarget(target: PlannedTarget, version: number): TargetResources {
    const services = this.servicesOf(target.account, target.region);
    const resources: TargetResources = {
      target,
      services,
      composite: compositeAlarmName(this.plan.pipelineName, target.id),
      metricAlarms: { errors: `${target.id}-errors`, latency: `${target.id}-latency`, canary: `${target.id}-canary-failed` },
      canary: `c-${target.id}`.slice(0, 21),
      applicationName: `orders-${target.id}`,
      deploymentGroupName: `${target.id}-deployment`,
      functionName: `${target.id}-handler`,
      aliasName: 'live',
    };
    const at = this.clock.now();
    const cw = services.cloudWatch;
    const dims = [{ Name: 'ApiName', Value: target.id }];
    const breaching = (name: string) => cw.state(name) === 'ALARM';
    // The metric reads bad while its alarm is in ALARM: the drills drive alarm states, datapoints follow.
    cw.putMetricAlarm({
      name: resources.metricAlarms.errors,
      namespace: 'AWS/ApiGateway',
      metricName: '5XXError',
      dimensions: dims,
      statistic: 'Sum',
      period: 60,
      threshold: 5,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      value: () => (breaching(resources.metricAlarms.errors) ? BAD_ERRORS : PIPELINE_HEALTHY_ERRORS),
    }, at);
    cw.putMetricAlarm({
      name: resources.metricAlarms.latency,
      namespace: 'AWS/ApiGateway',
      metricName: 'Latency',
      dimensions: dims,
      statistic: 'p99',
      period: 60,
      threshold: 1500,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      value: () => (breaching(resources.metricAlarms.latency) ? 2400 : 180),
    }, at);
    cw.putMetricAlarm({
      name: resources.metricAlarms.canary,
      namespace: 'CloudWatchSynthetics',
      metricName: 'Failed',
      dimensions: [{ Name: 'CanaryName', Value: resources.canary }],
      statistic: 'Sum',
      period: 60,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      value: () => (breaching(resources.metricAlarms.canary) ? 1 : 0),
    }, at);
    cw.putCompositeAlarm(resources.composite, Object.values(resources.metricAlarms), at);
    services.synthetics.addCanary(resources.canary, { failing: () => breaching(resources.metricAlarms.canary) });
    services.lambda.setAlias(resources.functionName, resources.aliasName, { functionVersion: String(version), weights: {} });
    const oneBox = target.kind === 'ONE_BOX';
    services.codeDeploy.addGroup({
      applicationName: resources.applicationName,
      deploymentGroupName: resources.deploymentGroupName,
      functionName: resources.functionName,
      aliasName: resources.aliasName,
      // examples/service/service-stack.ts: one-box 10% for 10 minutes, fleet 25% for 5 minutes.
      canaryPercentage: oneBox ? 10 : 25,
      canaryMinutes: oneBox ? 10 : 5,
      alarmInAlarm: () => cw.state(resources.composite) === 'ALARM',
    });
    const manifest: HealthManifest = {
      schemaVersion: HEALTH_MANIFEST_VERSION,
      targetId: target.id,
      compositeAlarmName: resources.composite,
      alarmNames: Object.values(resources.metricAlarms),
      canaryNames: [resources.canary],
      deploymentGroups: [{ applicationName: resources.applicationName, deploymentGroupName: resources.deploymentGroupName }],
      aliases: [{ functionName: resources.functionName, aliasName: resources.aliasName }],
    };
    services.ssm.put(healthParameterName(this.plan.pipelineName, target.id), JSON.stringify(manifest));
    return resources;
  }

  target(id: string): TargetResources {
    const t = this.targets.get(id);
    if (!t) throw new Error(`drills: no target ${id}`);
    return t;
  }

  // -------------------------------------------------------------------------------------------
  // Actions CodePipeline hands to other services
  // -------------------------------------------------------------------------------------------

  protected runAction(run: ActionRun, finish: (ok: boolean, summary?: string) => void): void {
    const a = run.action;
    const label = `${run.stageName}/${a.name}`;
    if (a.category === 'Source') {
      this.clock.after(DURATIONS.source, label, () => finish(true));
    } else if (a.category === 'Build' && a.name === 'SelfMutate') {
      this.clock.after(DURATIONS.selfMutate, label, () => {
        const next = this.pendingApp;
        if (next) {
          // The self-mutation deploys the new pipeline stack: the controller with the new plan (a
          // new Lambda version, so a cold start) and, when its Stages differ, a new pipeline
          // structure, on which CodePipeline restarts the execution.
          this.pendingApp = undefined;
          this.upgrade(next);
          if (JSON.stringify(next.pipeline) !== JSON.stringify(this.codePipeline.definitionNow)) {
            this.codePipeline.updateStructure(next.pipeline, run.execution.revision);
            return;
          }
        }
        finish(true);
      });
    } else if (a.category === 'Build') {
      this.clock.after(a.name === 'Synth' ? DURATIONS.synth : DURATIONS.validation, label, () => finish(true));
    } else if (a.category === 'Deploy' && a.provider === 'CloudFormation') {
      if (a.configuration.ActionMode === 'CHANGE_SET_REPLACE') {
        this.clock.after(DURATIONS.changeSetReplace, label, () => finish(true));
        return;
      }
      const resources = this.target(a.targetId!);
      // The stack update shifts the alias through CodeDeploy (CodeDeployLambdaAliasUpdate) and
      // completes, or fails, with the deployment.
      this.clock.after(DURATIONS.stackUpdate, label, () => {
        resources.services.codeDeploy.deploy(resources.applicationName, resources.deploymentGroupName, versionOf(run.execution.revision), 'CloudFormation', (ok, summary) => {
          this.clock.after(ok ? DURATIONS.stackUpdate : 0, `${label} stack ${ok ? 'complete' : 'rollback'}`, () => finish(ok, summary));
        });
      });
    } else {
      throw new Error(`emulator: unimplemented action ${a.category}/${a.provider} (${label})`);
    }
  }

  private upgrade(app: SynthesizedApp): void {
    const known = new Set(this.targets.keys());
    const added = planTargets(app.plan).filter((t) => !known.has(t.id));
    if (added.length > 0) throw new Error(`emulator: unimplemented structure change adding targets ${added.map((t) => t.id).join(', ')}`);
    this.app = app;
    this.plan = app.plan;
    this.rules = app.rules;
    this.coldStart();
  }

  /** Starts a new release through the pipeline; returns its revision. */
  release(): string {
    const revision = `r${++this.releaseCounter}`;
    this.codePipeline.startExecution(revision);
    return revision;
  }

  // -------------------------------------------------------------------------------------------
  // Events and the controller
  // -------------------------------------------------------------------------------------------

  /** Runs `run` on the first action state change that matches (or every one, `once: false`). */
  when(predicate: (change: ActionStateChange) => boolean, run: (change: ActionStateChange) => void, once = true): void {
    this.hooks.push({ when: predicate, run, once });
  }

  private onActionStateChange(change: ActionStateChange): void {
    this.actionChanges.push(change);
    for (const hook of this.hooks) {
      if (hook.done || !hook.when(change)) continue;
      if (hook.once) hook.done = true;
      hook.run(change);
    }
    // https://docs.aws.amazon.com/codepipeline/latest/userguide/detect-state-changes-cloudwatch-events.html
    const event: ControllerEvent = {
      'source': 'aws.codepipeline',
      'detail-type': 'CodePipeline Action Execution State Change',
      'account': this.plan.pipelineAccount,
      'region': this.plan.pipelineRegion,
      'time': change.at.toISOString(),
      'detail': {
        'pipeline': change.pipeline,
        'execution-id': change.executionId,
        'stage': change.stage,
        'action': change.action,
        'state': change.state,
        'region': change.region,
        'type': { owner: 'AWS', provider: change.provider, category: change.category, version: '1' },
      },
    };
    this.publish('default', event, DELAYS.actionEvent);
  }

  private onAlarmStateChange(change: AlarmStateChange): void {
    this.alarmChanges.push(change);
    if (change.newState === 'ALARM') this.runAlarmAction(change);
    // Each target's ReleaseMonitor forwards its composite alarm's ALARM transitions to the health bus.
    if (change.type !== 'CompositeAlarm' || change.newState !== 'ALARM') return;
    const event: ControllerEvent = {
      'source': 'aws.cloudwatch',
      'detail-type': 'CloudWatch Alarm State Change',
      'account': change.account,
      'region': change.region,
      'time': change.at.toISOString(),
      'resources': [change.alarmArn],
      'detail': { alarmName: change.alarmName, state: { value: change.newState }, previousState: { value: change.oldState } },
    };
    this.publish('health', event, DELAYS.alarmEvent);
  }

  /**
   * The health alarm's Lambda action, as the target's stage template declares it: the REAL alarm
   * rollback, configured from the function's environment, calling as the target's monitor role in
   * the target's account and Region. Not invoked without a resource policy for CloudWatch; a failed
   * invocation is retried by Lambda like any asynchronous one.
   */
  private runAlarmAction(change: AlarmStateChange): void {
    const t = [...this.targets.values()]
      .find((x) => x.composite === change.alarmName && x.target.account === change.account && x.target.region === change.region);
    const spec = t ? this.app.alarmActions.get(t.target.id) : undefined;
    if (!t || !spec || !spec.permitted) return;
    if (!spec.runsAsMonitorRole) throw new Error(`drills: the alarm rollback of ${t.target.id} runs as a role the emulator does not model`);
    const event: AlarmActionEvent = {
      source: 'aws.cloudwatch',
      alarmArn: change.alarmArn,
      accountId: change.account,
      time: change.at.toISOString(),
      region: change.region,
      alarmData: {
        alarmName: change.alarmName,
        state: { value: change.newState, reason: 'drill', timestamp: change.at.toISOString() },
        previousState: { value: change.oldState },
      },
    };
    const attempt = async (retry: number) => {
      const invocation = { id: ++this.alarmRollbackInvocations, crashed: false };
      const factory = new EmulatedClientFactory(this.accounts(), invocation, this.journal);
      const handler = createAlarmRollbackHandler({
        config: alarmRollbackConfig({ ...spec.environment, AWS_REGION: t.target.region }),
        clients: factory.clientsAs({ account: t.target.account, region: t.target.region, roleArn: monitorRoleArn(this.plan, t.target) }),
        now: () => this.clock.now(),
        log: (line) => this.decisions.push({ ...line, inputs: { ...line.inputs, at: this.clock.now().toISOString() } }),
      });
      try {
        this.alarmRollbacks.push({ at: this.clock.now(), targetId: t.target.id, report: await handler(event) });
      } catch (err) {
        this.alarmRollbacks.push({ at: this.clock.now(), targetId: t.target.id, error: err instanceof Error ? err.message : String(err) });
        if (retry < DELAYS.lambdaRetries.length) this.clock.after(DELAYS.lambdaRetries[retry], 'alarm rollback: lambda async retry', () => attempt(retry + 1));
      }
    };
    this.clock.after(DELAYS.alarmAction, `alarm action of ${change.alarmName}`, () => attempt(0));
  }

  private publish(bus: 'default' | 'health', event: ControllerEvent, delay: number): void {
    const rule = this.rules.find((r) => r.bus === bus && r.pattern && matchesPattern(r.pattern, event));
    if (!rule) return;
    if (this.delivery.lost?.(event)) return;
    const copies = Math.max(1, this.delivery.copies?.(event) ?? 1);
    for (let i = 0; i < copies; i++) {
      this.clock.after(delay + (this.delivery.delay?.(event) ?? 0) + i * SECOND, `deliver ${event['detail-type']}`, () => this.deliver(rule, event, 0));
    }
  }

  private scheduleSweeps(): void {
    const rule = this.rules.find((r) => r.schedule);
    if (!rule) throw new Error('drills: the pipeline stack has no schedule rule for the controller');
    const every = rateMinutes(rule.schedule!) * MINUTE;
    const first = Math.ceil(this.clock.millis / every) * every + DELAYS.schedule;
    const tick = (at: number) => {
      this.clock.at(at, 'sweep', async () => {
        tick(at + every);
        const event: ControllerEvent = {
          'source': 'aws.events',
          'detail-type': 'Scheduled Event',
          'account': this.plan.pipelineAccount,
          'region': this.plan.pipelineRegion,
          'time': new Date(at).toISOString(),
          'resources': [`arn:aws:events:${this.plan.pipelineRegion}:${this.plan.pipelineAccount}:rule/${rule.id}`],
          'detail': {},
        };
        await this.deliver(rule, event, 0);
      });
    };
    tick(first);
  }

  /**
   * EventBridge invokes the Lambda asynchronously. When the function is unavailable the delivery is
   * retried (MaximumRetryAttempts); a function error is retried by Lambda itself, twice.
   * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
   */
  private async deliver(rule: EventRule, event: ControllerEvent, attempt: number): Promise<void> {
    const now = this.clock.millis;
    if (this.controllerDown.some((d) => now >= d.from && now < d.to)) {
      this.invocations.push({ id: 0, at: this.clock.now(), trigger: event['detail-type'], outcome: 'UNAVAILABLE' });
      if (attempt < rule.maximumRetryAttempts) {
        this.clock.after(MINUTE * 2 ** attempt, 'eventbridge retry', () => this.deliver(rule, event, attempt + 1));
      }
      return;
    }
    const outcome = await this.invoke(event);
    if (outcome === 'ERROR' && attempt < DELAYS.lambdaRetries.length) {
      this.clock.after(DELAYS.lambdaRetries[attempt], 'lambda async retry', () => this.retryAfterError(event, attempt + 1));
    }
  }

  private async retryAfterError(event: ControllerEvent, attempt: number): Promise<void> {
    const outcome = await this.invoke(event);
    if (outcome === 'ERROR' && attempt < DELAYS.lambdaRetries.length) {
      this.clock.after(DELAYS.lambdaRetries[attempt], 'lambda async retry', () => this.retryAfterError(event, attempt + 1));
    }
  }

  /** The emulated accounts as the handlers' clients reach them, with the grants of the roles as synthesized (minus a drill's denials). */
  private accounts(): EmulatedAccounts {
    return {
      pipelineAccount: this.plan.pipelineAccount,
      pipelineRegion: this.plan.pipelineRegion,
      codePipeline: this.codePipeline,
      pipelineSsm: this.pipelineSsm,
      sts: this.sts,
      target: (account, region) => this.servicesOf(account, region),
      grantsOf: (roleArn) => {
        const target = planTargets(this.plan).find((t) => monitorRoleArn(this.plan, t) === roleArn);
        const grants = target ? this.app.grants.get(target.id) : undefined;
        const denied = target ? this.denied.get(target.id) : undefined;
        if (!grants || !denied) return grants;
        return { ...grants, actions: new Set([...grants.actions].filter((a) => !denied.has(a))) };
      },
      controllerActions: this.app.controllerActions,
      now: () => this.clock.now(),
    };
  }

  /** A new Lambda container: fresh client caches and a fresh handler, the same journal. */
  private coldStart(): void {
    this.factory = new EmulatedClientFactory(this.accounts(), this.invocation, this.journal);
    this.handler = createControllerHandler({
      plan: this.plan,
      now: () => this.clock.now(),
      clients: this.factory,
      log: (line) => this.decisions.push({ ...line, inputs: { ...line.inputs, at: this.clock.now().toISOString() } }),
    });
    // The operators' rollback Lambda shares the controller's role (ReleaseController).
    this.rollbackHandler = createRollbackHandler({
      plan: this.plan,
      now: () => this.clock.now(),
      clients: this.factory,
      log: (line) => this.decisions.push({ ...line, inputs: { ...line.inputs, at: this.clock.now().toISOString() } }),
    });
  }

  /** An operator invokes the rollback Lambda (`{ "targetId": ... }`) at `at`. */
  operatorRollback(targetId: string, at: number): void {
    this.clock.at(at, `operator rollback ${targetId}`, async () => {
      this.invocation.id++;
      this.invocation.crashed = false;
      try {
        const report = await this.rollbackHandler({ targetId, reason: 'drill: operator rollback' });
        this.operatorRollbacks.push({ at: this.clock.now(), targetId, report });
      } catch (err) {
        this.operatorRollbacks.push({ at: this.clock.now(), targetId, error: err instanceof Error ? err.message : String(err) });
      }
    });
  }

  /** One controller invocation, run to completion at this simulated instant (or until it dies). */
  private async invoke(event: ControllerEvent): Promise<Invocation['outcome']> {
    this.invocation.id++;
    this.invocation.crashed = false;
    const id = this.invocation.id;
    let crashed!: () => void;
    const died = new Promise<'CRASHED'>((resolve) => {
      crashed = () => resolve('CRASHED');
    });
    this.invocation.onCrash = crashed;
    const record = (outcome: Invocation['outcome'], extra: Partial<Invocation> = {}) => {
      this.invocations.push({ id, at: this.clock.now(), trigger: event['detail-type'], outcome, ...extra });
      return outcome;
    };
    try {
      const result = await Promise.race([this.handler(event), died]);
      if (result === 'CRASHED') {
        // The Lambda timed out mid-invocation: the next invocation is a cold start.
        this.coldStart();
        return record('CRASHED');
      }
      return record('OK', { result });
    } catch (err) {
      return record('ERROR', { error: err instanceof Error ? err.message : String(err) });
    }
  }

  // -------------------------------------------------------------------------------------------
  // Drill controls
  // -------------------------------------------------------------------------------------------

  /** Sets a metric alarm of a target at `at` (its composite follows). */
  alarm(targetId: string, which: keyof TargetResources['metricAlarms'], state: 'ALARM' | 'OK', at: number): void {
    const t = this.target(targetId);
    this.clock.at(at, `alarm ${targetId} ${which} ${state}`, () => t.services.cloudWatch.setState(t.metricAlarms[which], state, `drill: ${which} ${state}`));
  }

  /** Removes `action` (e.g. `cloudwatch:DescribeAlarms`) from a target's monitor role. */
  denyGrant(targetId: string, action: string): void {
    this.denied.set(targetId, new Set([...(this.denied.get(targetId) ?? []), action]));
  }

  /**
   * A bad release: the target's metric alarm goes to ALARM at `at` and stays there while the alias
   * still routes traffic to the version it served then (the newest), recovering two minutes after
   * that version stops serving.
   */
  alarmWhileServed(targetId: string, which: keyof TargetResources['metricAlarms'], at: number): void {
    const t = this.target(targetId);
    const alias = () => t.services.lambda.aliases.get(`${t.functionName}:${t.aliasName}`)!;
    this.clock.at(at, `alarm ${targetId} ${which} while served`, () => {
      const a = alias();
      const bad = String(Math.max(Number(a.functionVersion), ...Object.keys(a.weights).map(Number)));
      t.services.cloudWatch.setState(t.metricAlarms[which], 'ALARM', `drill: version ${bad} fails`);
      const watch = () => {
        const now = alias();
        if (now.functionVersion !== bad && now.weights[bad] === undefined) {
          this.clock.after(2 * MINUTE, `alarm ${targetId} ${which} recovers`, () => t.services.cloudWatch.setState(t.metricAlarms[which], 'OK', `drill: version ${bad} no longer serves`));
          return;
        }
        this.clock.after(MINUTE, `alarm ${targetId} watch`, watch);
      };
      this.clock.after(MINUTE, `alarm ${targetId} watch`, watch);
    });
  }

  setStopSwitch(value: 'ON' | 'OFF', at: number): void {
    this.clock.at(at, `stop switch ${value}`, () => {
      this.pipelineSsm.put(this.plan.stopSwitchParameterName, value);
      this.switchHistory.push({ at: this.clock.now(), value });
    });
  }

  stopSwitchAt(at: Date): string {
    return [...this.switchHistory].reverse().find((s) => s.at.getTime() <= at.getTime())?.value ?? 'OFF';
  }

  /** Runs until `until` or until nothing is in flight and the clock passed `settleAfter`. */
  async run(until: number, done?: () => boolean): Promise<void> {
    await this.clock.runUntil(until, done);
  }

  callsOf(invocation: number): Call[] {
    return this.journal.calls.filter((c) => c.invocation === invocation);
  }
}

/** The Lambda version a release deploys: `r7` -> `7`. */
export function versionOf(revision: string): string {
  return revision.replace(/^r/, '');
}
