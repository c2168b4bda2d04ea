/**
 * CodePipeline V2 as the release controller meets it: executions moving stage by stage, actions by
 * run order, manual approvals with tokens, SUPERSEDED executions, OnFailure ROLLBACK creating
 * ROLLBACK executions that re-run the failed stage, and pipeline structure versions.
 *
 * Each rule cites the page it follows. Where the documentation is silent the choice is written down
 * (see docs/drills.md, "Emulator assumptions").
 */
import { awsError, unimplemented } from './aws-errors';
import { SimClock } from './sim-clock';
import { ActionDefinition, PipelineDefinition, StageDefinition } from './synthesized-app';

export type ExecutionType = 'STANDARD' | 'ROLLBACK';
export type ExecutionStatus = 'InProgress' | 'Succeeded' | 'Failed' | 'Superseded' | 'Cancelled' | 'Stopped' | 'Stopping';
export type ActionStatus = 'InProgress' | 'Succeeded' | 'Failed' | 'Abandoned';

export interface PipelineExecution {
  readonly id: string;
  readonly type: ExecutionType;
  status: ExecutionStatus;
  readonly startTime: Date;
  lastUpdateTime: Date;
  /** Pipeline structure version the execution started in. */
  readonly pipelineVersion: number;
  /** The release (source revision) it carries. */
  readonly revision: string;
  /** Stages it completed successfully. */
  readonly succeededStages: Set<string>;
  /** ROLLBACK executions: the stage they re-run and the execution they roll back to. */
  readonly rollback?: { readonly stageName: string; readonly targetExecutionId: string; readonly rolledBackExecutionId: string };
}

export interface ActionRun {
  readonly actionExecutionId: string;
  readonly execution: PipelineExecution;
  readonly stageName: string;
  readonly action: ActionDefinition;
  status: ActionStatus;
  readonly startedAt: Date;
  lastStatusChange: Date;
  /** Approval token (approvals only). */
  readonly token?: string;
  summary?: string;
}

/** What the engine reports to the world (EventBridge, the drills' journal). */
export interface ActionStateChange {
  readonly pipeline: string;
  readonly executionId: string;
  readonly executionType: ExecutionType;
  readonly stage: string;
  readonly action: string;
  /** `STARTED`, `SUCCEEDED`, `FAILED` or `ABANDONED`. */
  readonly state: string;
  readonly category: string;
  readonly provider: string;
  readonly region: string;
  readonly at: Date;
  readonly run: ActionRun;
}

/** Runs the actions CodePipeline hands to other services (deployments, builds). */
export interface ActionRunner {
  start(run: ActionRun, finish: (ok: boolean, summary?: string) => void): void;
}

interface StageRuntime {
  /** The execution running in the stage. */
  occupant?: PipelineExecution;
  /** The execution waiting to enter (SUPERSEDED mode keeps one). */
  inbound?: PipelineExecution;
  latest?: PipelineExecution;
  runOrder: number;
  readonly actions: Map<string, ActionRun>;
}

/** Approvals wait this long without TimeoutInMinutes. */
const DEFAULT_APPROVAL_TIMEOUT_MINUTES = 7 * 24 * 60;

export class CodePipelineEmulator {
  private definition: PipelineDefinition;
  private versionNumber = 1;
  private readonly stages = new Map<string, StageRuntime>();
  readonly executions: PipelineExecution[] = [];
  readonly actionRuns: ActionRun[] = [];
  private counter = 0;
  private readonly listeners: Array<(change: ActionStateChange) => void> = [];
  private readonly created: Date;
  private updated: Date;

  constructor(
    private readonly clock: SimClock, definition: PipelineDefinition, private readonly runner: ActionRunner,
    readonly account: string, readonly region: string,
  ) {
    this.definition = definition;
    for (const stage of definition.stages) this.stages.set(stage.name, { runOrder: 0, actions: new Map() });
    this.created = clock.now();
    this.updated = clock.now();
  }

  get name(): string {
    return this.definition.name;
  }

  /** The pipeline's current definition. */
  get definitionNow(): PipelineDefinition {
    return this.definition;
  }

  get version(): number {
    return this.versionNumber;
  }

  get stageNames(): string[] {
    return this.definition.stages.map((s) => s.name);
  }

  onActionStateChange(listener: (change: ActionStateChange) => void): void {
    this.listeners.push(listener);
  }

  private id(prefix: number): string {
    this.counter++;
    return `${prefix.toString(16).padStart(8, '0')}-0000-4000-8000-${this.counter.toString(16).padStart(12, '0')}`;
  }

  // -------------------------------------------------------------------------------------------
  // The world's side: start releases, update the structure, record history
  // -------------------------------------------------------------------------------------------

  /**
   * Records an execution that already went through every stage (the release before the drill), so
   * that stage rollback has a target: "your pipeline stage will auto-rollback only after there is
   * a successful pipeline execution in the pipeline stage".
   * https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-rollback-auto.html
   */
  recordSucceededExecution(revision: string, at: Date): PipelineExecution {
    const execution: PipelineExecution = {
      id: this.id(0xa),
      type: 'STANDARD',
      status: 'Succeeded',
      startTime: at,
      lastUpdateTime: at,
      pipelineVersion: this.versionNumber,
      revision,
      succeededStages: new Set(this.stageNames),
    };
    this.executions.push(execution);
    for (const stage of this.stages.values()) stage.latest = execution;
    return execution;
  }

  /** A source change starts an execution (StartPipelineExecution or a change detected by the source action). */
  startExecution(revision: string): PipelineExecution {
    const execution: PipelineExecution = {
      id: this.id(0xe),
      type: 'STANDARD',
      status: 'InProgress',
      startTime: this.clock.now(),
      lastUpdateTime: this.clock.now(),
      pipelineVersion: this.versionNumber,
      revision,
      succeededStages: new Set(),
    };
    this.executions.push(execution);
    this.enterStage(execution, 0);
    return execution;
  }

  /**
   * UpdatePipeline: a new structure version. "A status of cancelled means that the pipeline's
   * definition was updated before the stage execution could be completed" (GetPipelineState), and
   * RestartExecutionOnUpdate reruns the pipeline after the update.
   * https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_GetPipelineState.html
   * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-codepipeline-pipeline.html
   */
  updateStructure(definition: PipelineDefinition, restartRevision?: string): void {
    this.definition = definition;
    this.versionNumber++;
    this.updated = this.clock.now();
    for (const execution of this.executions.filter((e) => e.status === 'InProgress' || e.status === 'Stopping')) {
      this.finishExecution(execution, 'Cancelled');
    }
    for (const [name, stage] of [...this.stages]) {
      if (!definition.stages.some((s) => s.name === name)) this.stages.delete(name);
      stage.occupant = undefined;
      stage.inbound = undefined;
    }
    for (const stage of definition.stages) if (!this.stages.has(stage.name)) this.stages.set(stage.name, { runOrder: 0, actions: new Map() });
    if (restartRevision && definition.restartExecutionOnUpdate) this.startExecution(restartRevision);
  }

  // -------------------------------------------------------------------------------------------
  // Execution engine
  // -------------------------------------------------------------------------------------------

  private stageDef(name: string): StageDefinition {
    const stage = this.definition.stages.find((s) => s.name === name);
    if (!stage) throw new Error(`emulator: pipeline has no stage ${name}`);
    return stage;
  }

  private enterStage(execution: PipelineExecution, index: number): void {
    if (execution.status !== 'InProgress') return;
    if (index >= this.definition.stages.length) {
      this.finishExecution(execution, 'Succeeded');
      return;
    }
    const stageName = this.definition.stages[index].name;
    const stage = this.stages.get(stageName)!;
    if (stage.occupant) {
      // SUPERSEDED mode: a stage runs one execution at a time; a newer execution that reaches the
      // stage replaces the one waiting there, which ends as Superseded.
      // https://docs.aws.amazon.com/codepipeline/latest/userguide/concepts-how-it-works.html
      if (stage.inbound && stage.inbound !== execution) this.finishExecution(stage.inbound, 'Superseded');
      stage.inbound = execution;
      return;
    }
    stage.occupant = execution;
    stage.latest = execution;
    stage.actions.clear();
    stage.runOrder = 0;
    this.startNextRunOrder(stageName);
  }

  private startNextRunOrder(stageName: string): void {
    const stage = this.stages.get(stageName)!;
    const execution = stage.occupant!;
    const definition = this.stageDef(stageName);
    const pending = definition.actions.filter((a) => a.runOrder > stage.runOrder);
    if (pending.length === 0 || execution.status === 'Stopping') {
      this.leaveStage(stageName, execution.status === 'Stopping' ? 'Stopped' : 'Succeeded');
      return;
    }
    // Actions with the same runOrder run in parallel; the next runOrder starts when all succeeded.
    // https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-pipeline-structure.html
    stage.runOrder = Math.min(...pending.map((a) => a.runOrder));
    for (const action of definition.actions.filter((a) => a.runOrder === stage.runOrder)) this.startAction(stageName, action, execution);
  }

  private startAction(stageName: string, action: ActionDefinition, execution: PipelineExecution): void {
    const stage = this.stages.get(stageName)!;
    const now = this.clock.now();
    const approval = action.category === 'Approval';
    const run: ActionRun = {
      actionExecutionId: this.id(0xac),
      execution,
      stageName,
      action,
      status: 'InProgress',
      startedAt: now,
      lastStatusChange: now,
      ...(approval ? { token: this.id(0x70) } : {}),
    };
    stage.actions.set(action.name, run);
    this.actionRuns.push(run);
    this.emit(run, 'STARTED');
    if (approval) {
      // An approval not answered within its timeout fails: "the approval request expires".
      // https://docs.aws.amazon.com/codepipeline/latest/userguide/approvals.html
      const minutes = action.timeoutMinutes ?? DEFAULT_APPROVAL_TIMEOUT_MINUTES;
      this.clock.after(minutes * 60_000, `approval timeout ${stageName}/${action.name}`, () => {
        if (run.status === 'InProgress') this.completeAction(run, false, 'Approval timed out');
      });
      return;
    }
    this.runner.start(run, (ok, summary) => {
      if (run.status === 'InProgress') this.completeAction(run, ok, summary);
    });
  }

  private completeAction(run: ActionRun, ok: boolean, summary?: string): void {
    run.status = ok ? 'Succeeded' : 'Failed';
    run.lastStatusChange = this.clock.now();
    run.summary = summary;
    this.emit(run, ok ? 'SUCCEEDED' : 'FAILED');
    const stage = this.stages.get(run.stageName)!;
    if (stage.occupant !== run.execution) return;
    if (!ok) {
      // The stage fails with its action; the other actions still running in it are abandoned
      // (ActionExecution status Abandoned). See docs/drills.md for this choice.
      for (const other of stage.actions.values()) {
        if (other.status === 'InProgress') {
          other.status = 'Abandoned';
          other.lastStatusChange = this.clock.now();
          this.emit(other, 'ABANDONED');
        }
      }
      this.leaveStage(run.stageName, 'Failed');
      return;
    }
    const current = [...stage.actions.values()].filter((a) => a.action.runOrder === stage.runOrder);
    if (current.every((a) => a.status === 'Succeeded')) this.startNextRunOrder(run.stageName);
  }

  private leaveStage(stageName: string, result: 'Succeeded' | 'Failed' | 'Stopped'): void {
    const stage = this.stages.get(stageName)!;
    const execution = stage.occupant!;
    stage.occupant = undefined;
    const index = this.definition.stages.findIndex((s) => s.name === stageName);
    if (result === 'Succeeded') {
      execution.succeededStages.add(stageName);
      execution.lastUpdateTime = this.clock.now();
      // A ROLLBACK execution re-runs one stage and ends there.
      if (execution.type === 'ROLLBACK') this.finishExecution(execution, 'Succeeded');
      else this.enterStage(execution, index + 1);
    } else if (result === 'Stopped') {
      this.finishExecution(execution, 'Stopped');
    } else {
      this.finishExecution(execution, 'Failed');
      if (execution.type === 'STANDARD' && this.stageDef(stageName).onFailure === 'ROLLBACK') this.rollBackAutomatically(stageName, execution);
    }
    this.admitInbound(stageName);
  }

  private admitInbound(stageName: string): void {
    const stage = this.stages.get(stageName)!;
    if (stage.occupant || !stage.inbound) return;
    const next = stage.inbound;
    stage.inbound = undefined;
    this.enterStage(next, this.definition.stages.findIndex((s) => s.name === stageName));
  }

  private finishExecution(execution: PipelineExecution, status: ExecutionStatus): void {
    if (!['InProgress', 'Stopping'].includes(execution.status)) return;
    execution.status = status;
    execution.lastUpdateTime = this.clock.now();
    if (status === 'Cancelled' || status === 'Superseded') {
      for (const run of this.actionRuns.filter((r) => r.execution === execution && r.status === 'InProgress')) {
        run.status = 'Abandoned';
        run.lastStatusChange = this.clock.now();
        this.emit(run, 'ABANDONED');
      }
    }
  }

  /**
   * "When the stage fails, the stage is rolled back to the most recent successful execution. The
   * pipeline can only roll back to a previous execution if the previous execution was started in
   * the current pipeline structure version." A rollback is a new execution of type ROLLBACK.
   * https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-rollback-auto.html
   * https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-rollback.html
   */
  private rollBackAutomatically(stageName: string, failed: PipelineExecution): void {
    const target = this.rollbackTargetFor(stageName, failed.id);
    if (!target) return;
    this.startRollback(stageName, target, failed);
  }

  private rollbackTargetFor(stageName: string, excludeId: string): PipelineExecution | undefined {
    return this.executions
      .filter((e) => e.id !== excludeId && e.type === 'STANDARD' && e.succeededStages.has(stageName) && e.pipelineVersion === this.versionNumber)
      .sort((a, b) => b.startTime.getTime() - a.startTime.getTime())[0];
  }

  private startRollback(stageName: string, target: PipelineExecution, rolledBack: PipelineExecution): PipelineExecution {
    const rollback: PipelineExecution = {
      id: this.id(0xb),
      type: 'ROLLBACK',
      status: 'InProgress',
      startTime: this.clock.now(),
      lastUpdateTime: this.clock.now(),
      pipelineVersion: this.versionNumber,
      // "CodePipeline will use the variables and artifacts from the execution to which it is rolling back."
      revision: target.revision,
      succeededStages: new Set(),
      rollback: { stageName, targetExecutionId: target.id, rolledBackExecutionId: rolledBack.id },
    };
    this.executions.push(rollback);
    const stage = this.stages.get(stageName)!;
    stage.occupant = rollback;
    stage.latest = rollback;
    stage.actions.clear();
    stage.runOrder = 0;
    this.startNextRunOrder(stageName);
    return rollback;
  }

  private emit(run: ActionRun, state: string): void {
    const change: ActionStateChange = {
      pipeline: this.definition.name,
      executionId: run.execution.id,
      executionType: run.execution.type,
      stage: run.stageName,
      action: run.action.name,
      state,
      category: run.action.category,
      provider: run.action.provider,
      region: run.action.region,
      at: this.clock.now(),
      run,
    };
    for (const listener of this.listeners) listener(change);
  }

  /** The approval of this stage/action that is waiting, if any. */
  openApproval(stageName: string, actionName: string): ActionRun | undefined {
    const run = this.stages.get(stageName)?.actions.get(actionName);
    return run && run.status === 'InProgress' && run.token ? run : undefined;
  }

  /** The execution running in a stage, if any. */
  occupantOf(stageName: string): PipelineExecution | undefined {
    return this.stages.get(stageName)?.occupant;
  }

  // -------------------------------------------------------------------------------------------
  // API
  // -------------------------------------------------------------------------------------------

  async handle(operation: string, input: any): Promise<any> {
    switch (operation) {
      case 'GetPipeline': return this.getPipeline(input);
      case 'GetPipelineState': return this.getPipelineState(input);
      case 'PutApprovalResult': return this.putApprovalResult(input);
      case 'ListPipelineExecutions': return this.listPipelineExecutions(input);
      case 'GetPipelineExecution': return this.getPipelineExecution(input);
      case 'RollbackStage': return this.rollbackStage(input);
      case 'ListActionExecutions': return this.listActionExecutions(input);
      case 'StopPipelineExecution': return this.stopPipelineExecution(input);
      default: throw unimplemented('codepipeline', operation);
    }
  }

  private checkName(name: unknown): void {
    if (name !== this.definition.name) throw awsError('PipelineNotFoundException', `The pipeline ${String(name)} does not exist`, 400);
  }

  /** https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_GetPipeline.html */
  private getPipeline(input: { name: string; version?: number }) {
    this.checkName(input.name);
    if (input.version !== undefined && input.version !== this.versionNumber) {
      throw unimplemented('codepipeline', 'GetPipeline of an older version');
    }
    return {
      pipeline: {
        name: this.definition.name,
        roleArn: `arn:aws:iam::${this.account}:role/orders-pipeline-role`,
        version: this.versionNumber,
        pipelineType: this.definition.pipelineType,
        executionMode: this.definition.executionMode,
        stages: this.definition.stages.map((stage) => ({
          name: stage.name,
          ...(stage.onFailure ? { onFailure: { result: stage.onFailure } } : {}),
          actions: stage.actions.map((a) => ({
            name: a.name,
            actionTypeId: { category: a.category, owner: 'AWS', provider: a.provider, version: '1' },
            runOrder: a.runOrder,
            configuration: { ...a.configuration },
            region: a.region,
          })),
        })),
      },
      metadata: { pipelineArn: `arn:aws:codepipeline:${this.region}:${this.account}:${this.definition.name}`, created: this.created, updated: this.updated },
    };
  }

  /**
   * Approval tokens and lastStatusChange of each action's latest execution; the stage's latest
   * execution with its type (STANDARD or ROLLBACK).
   * https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_GetPipelineState.html
   * https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ActionExecution.html
   */
  private getPipelineState(input: { name: string }) {
    this.checkName(input.name);
    return {
      pipelineName: this.definition.name,
      pipelineVersion: this.versionNumber,
      created: this.created,
      updated: this.updated,
      stageStates: this.definition.stages.map((definition) => {
        const stage = this.stages.get(definition.name)!;
        const latest = stage.latest;
        return {
          stageName: definition.name,
          inboundTransitionState: { enabled: true },
          ...(stage.inbound ? { inboundExecution: { pipelineExecutionId: stage.inbound.id, status: 'InProgress' } } : {}),
          actionStates: definition.actions.map((action) => {
            const run = stage.actions.get(action.name);
            return {
              actionName: action.name,
              ...(run ? {
                latestExecution: {
                  actionExecutionId: run.actionExecutionId,
                  status: run.status,
                  lastStatusChange: run.lastStatusChange,
                  ...(run.summary ? { summary: run.summary } : {}),
                  ...(run.token && run.status === 'InProgress' ? { token: run.token } : {}),
                },
              } : {}),
            };
          }),
          ...(latest ? {
            latestExecution: {
              pipelineExecutionId: latest.id,
              status: stageStatus(latest, definition.name, stage),
              type: latest.type,
            },
          } : {}),
        };
      }),
    };
  }

  /**
   * "The token for each open approval request can be obtained using the GetPipelineState action.
   * It is used to validate that the approval request corresponding to this token is still valid."
   * An answered approval raises ApprovalAlreadyCompletedException; a token of no approval,
   * InvalidApprovalTokenException.
   * https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PutApprovalResult.html
   */
  private putApprovalResult(input: {
    pipelineName: string; stageName: string; actionName: string; token: string; result: { status: string; summary: string };
  }) {
    this.checkName(input.pipelineName);
    const definition = this.definition.stages.find((s) => s.name === input.stageName);
    if (!definition) throw awsError('StageNotFoundException', `Stage ${input.stageName} not found`, 400);
    if (!definition.actions.some((a) => a.name === input.actionName)) throw awsError('ActionNotFoundException', `Action ${input.actionName} not found`, 400);
    if (!['Approved', 'Rejected'].includes(input.result?.status)) throw awsError('ValidationException', `result.status must be Approved or Rejected, got ${input.result?.status}`, 400);
    if (typeof input.result.summary !== 'string' || input.result.summary.length > 512) {
      throw awsError('ValidationException', 'result.summary must be a string of at most 512 characters', 400);
    }
    const run = this.actionRuns.find((r) => r.token === input.token && r.stageName === input.stageName && r.action.name === input.actionName);
    if (!run) throw awsError('InvalidApprovalTokenException', `The approval token ${input.token} is not valid`, 400);
    if (run.status !== 'InProgress') throw awsError('ApprovalAlreadyCompletedException', 'The approval action has already been approved or rejected', 400);
    this.completeAction(run, input.result.status === 'Approved', input.result.summary);
    return { approvedAt: this.clock.now() };
  }

  /** Newest first; `succeededInStage` keeps executions that succeeded in that stage. */
  private listPipelineExecutions(input: {
    pipelineName: string; filter?: { succeededInStage?: { stageName?: string } }; maxResults?: number; nextToken?: string;
  }) {
    this.checkName(input.pipelineName);
    const stageName = input.filter?.succeededInStage?.stageName;
    const all = this.executions
      .filter((e) => !stageName || e.succeededStages.has(stageName))
      .sort((a, b) => b.startTime.getTime() - a.startTime.getTime());
    const start = input.nextToken ? Number(input.nextToken) : 0;
    const size = input.maxResults ?? 100;
    const page = all.slice(start, start + size);
    return {
      pipelineExecutionSummaries: page.map((e) => ({
        pipelineExecutionId: e.id,
        status: e.status,
        startTime: e.startTime,
        lastUpdateTime: e.lastUpdateTime,
        executionType: e.type,
        ...(e.rollback ? { rollbackMetadata: { targetPipelineExecutionId: e.rollback.targetExecutionId } } : {}),
      })),
      ...(start + size < all.length ? { nextToken: String(start + size) } : {}),
    };
  }

  /** https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PipelineExecution.html */
  private getPipelineExecution(input: { pipelineName: string; pipelineExecutionId: string }) {
    this.checkName(input.pipelineName);
    const e = this.executions.find((x) => x.id === input.pipelineExecutionId);
    if (!e) throw awsError('PipelineExecutionNotFoundException', `Execution ${input.pipelineExecutionId} not found`, 400);
    return {
      pipelineExecution: {
        pipelineName: this.definition.name,
        pipelineVersion: e.pipelineVersion,
        pipelineExecutionId: e.id,
        status: e.status,
        executionType: e.type,
        executionMode: this.definition.executionMode,
        ...(e.rollback ? { rollbackMetadata: { rollbackTargetPipelineExecutionId: e.rollback.targetExecutionId } } : {}),
      },
    };
  }

  /**
   * Manual stage rollback. UnableToRollbackStageException "might be if the pipeline version has
   * changed since the target pipeline execution was deployed, the stage is currently running, or
   * an incorrect target execution ID was provided"; a ROLLBACK execution is never a target.
   * https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_RollbackStage.html
   */
  private rollbackStage(input: { pipelineName: string; stageName: string; targetPipelineExecutionId: string }) {
    this.checkName(input.pipelineName);
    const definition = this.definition.stages.find((s) => s.name === input.stageName);
    if (!definition) throw awsError('StageNotFoundException', `Stage ${input.stageName} not found`, 400);
    const target = this.executions.find((e) => e.id === input.targetPipelineExecutionId);
    if (!target) throw awsError('PipelineExecutionNotFoundException', `Execution ${input.targetPipelineExecutionId} not found`, 400);
    const stage = this.stages.get(input.stageName)!;
    if (stage.occupant) throw awsError('UnableToRollbackStageException', `Stage ${input.stageName} is currently running`, 400);
    if (target.type === 'ROLLBACK' || !target.succeededStages.has(input.stageName) || target.pipelineVersion !== this.versionNumber) {
      throw awsError('UnableToRollbackStageException', `Execution ${target.id} cannot be the target of a rollback of ${input.stageName}`, 400);
    }
    const rolledBack = stage.latest ?? target;
    const rollback = this.startRollback(input.stageName, target, rolledBack);
    return { pipelineExecutionId: rollback.id };
  }

  /** https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ListActionExecutions.html */
  private listActionExecutions(input: { pipelineName: string; filter?: { pipelineExecutionId?: string } }) {
    this.checkName(input.pipelineName);
    const runs = this.actionRuns.filter((r) => !input.filter?.pipelineExecutionId || r.execution.id === input.filter.pipelineExecutionId);
    return {
      actionExecutionDetails: [...runs].reverse().map((r) => ({
        pipelineExecutionId: r.execution.id,
        actionExecutionId: r.actionExecutionId,
        pipelineVersion: r.execution.pipelineVersion,
        stageName: r.stageName,
        actionName: r.action.name,
        startTime: r.startedAt,
        lastUpdateTime: r.lastStatusChange,
        status: r.status,
        ...(r.token && r.status === 'InProgress' ? { output: { executionResult: { externalExecutionId: r.token } } } : {}),
      })),
    };
  }

  /**
   * "Stop and abandon" abandons in-progress actions at once; "stop and wait" lets them finish and
   * starts nothing after. https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-stop.html
   */
  private stopPipelineExecution(input: { pipelineName: string; pipelineExecutionId: string; abandon?: boolean; reason?: string }) {
    this.checkName(input.pipelineName);
    const e = this.executions.find((x) => x.id === input.pipelineExecutionId);
    if (!e) throw awsError('PipelineExecutionNotFoundException', `Execution ${input.pipelineExecutionId} not found`, 400);
    if (e.status !== 'InProgress') throw awsError('PipelineExecutionNotStoppableException', `Execution ${e.id} is ${e.status}`, 400);
    e.status = 'Stopping';
    const stageName = [...this.stages].find(([, s]) => s.occupant === e)?.[0];
    for (const stage of this.stages.values()) if (stage.inbound === e) stage.inbound = undefined;
    if (!stageName) {
      this.finishExecution(e, 'Stopped');
      return { pipelineExecutionId: e.id };
    }
    const stage = this.stages.get(stageName)!;
    const running = [...stage.actions.values()].filter((r) => r.status === 'InProgress');
    for (const run of running) {
      if (input.abandon || run.token) {
        run.status = 'Abandoned';
        run.lastStatusChange = this.clock.now();
        this.emit(run, 'ABANDONED');
      }
    }
    if ([...stage.actions.values()].every((r) => r.status !== 'InProgress')) this.leaveStage(stageName, 'Stopped');
    return { pipelineExecutionId: e.id };
  }
}

function stageStatus(latest: PipelineExecution, stageName: string, stage: StageRuntime): string {
  if (stage.occupant === latest) return latest.status === 'Stopping' ? 'Stopping' : 'InProgress';
  if (latest.succeededStages.has(stageName)) return 'Succeeded';
  if (latest.status === 'Cancelled') return 'Cancelled';
  if (latest.status === 'Stopped') return 'Stopped';
  return 'Failed';
}
