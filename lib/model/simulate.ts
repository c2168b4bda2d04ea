/**
 * The schedule simulator: when would a release reach each region, and what happens when a target
 * fails its bake? Pure: the start time is an input, windows are evaluated with `nextCommonOpening()`,
 * and nothing reads the wall clock, so any moment (a Friday afternoon, a DST change, a blackout
 * week) can be replayed.
 *
 * How a release moves, as simulated:
 * - CodePipeline stages (`plan.stages`) run one after another; a stage starts when the previous one
 *   ended.
 * - A stage has one window gate (CodePipeline runs a stage's actions by run order, so its regions
 *   pass the gate together): when any of its regions has a window, the whole stage waits until
 *   every region's window is open at the same instant (`nextCommonOpening()`); each region shows
 *   that wait as its own `WINDOW_WAIT` entry.
 * - Then the regions run in parallel, in the order of the pipeline's layout (`stageLayout()`, the
 *   one `WavePipeline` renders): one-box deploy, one-box bake, fleet deploy, its validations all
 *   at once, fleet bake. A stage ends when its last region ends.
 * - A window gate that would hold longer than `plan.maxWindowHoldMinutes`, or whose windows are
 *   never open together within the horizon, fails without deploying: no region of the stage
 *   deploys, the release is `STUCK` and no later stage starts.
 * - A replayed failure (`options.failure`) happens `afterBakeMinutes` into the target's bake. The
 *   stage fails at that instant and CodePipeline's stage rollback redeploys the previous version of
 *   every target of that stage that had started deploying, in every region of the stage, not only
 *   the failed one. Work in progress elsewhere in the stage stops; no later stage starts.
 */
import { LayoutAction, LayoutActionKind, phases, stageLayout } from './layout';
import { PlannedRegion, PlannedStage, PlannedStep, PlannedTarget, ReleasePlan, planTargets } from './plan';
import { nextCommonOpening } from './window/common';
import { DEFAULT_HORIZON_DAYS } from './window/compiled';

const MINUTE_MS = 60_000;

/** Phases of a timeline entry. */
export const TIMELINE_PHASE = {
  WINDOW_WAIT: 'WINDOW_WAIT',
  DEPLOY: 'DEPLOY',
  BAKE: 'BAKE',
  VALIDATE: 'VALIDATE',
  ROLLBACK: 'ROLLBACK',
} as const;

/** How a timeline entry ended. */
export const TIMELINE_STATUS = {
  /** The step ran to completion. */
  DONE: 'DONE',
  /** The step failed: the replayed bake failure, or a window gate that gave up. */
  FAILED: 'FAILED',
  /** The step was stopped or undone by the stage rollback; also the status of ROLLBACK entries. */
  ROLLED_BACK: 'ROLLED_BACK',
} as const;

/** How a simulated release ended. */
export const TIMELINE_OUTCOME = {
  COMPLETED: 'COMPLETED',
  ROLLED_BACK: 'ROLLED_BACK',
  STUCK: 'STUCK',
} as const;

/** A bake failure to replay. */
export interface SimulatedFailure {
  /** Id of the deployment target that fails, e.g. `prod-wave-1-eu-west-1-fleet`. */
  readonly targetId: string;
  /** Minutes into the target's bake at which its health signal goes into alarm. */
  readonly afterBakeMinutes: number;
}

/** Durations the plan does not know, and an optional failure to replay. */
export interface SimulationOptions {
  /**
   * Minutes one CloudFormation deployment of one target takes.
   * @default 10
   */
  readonly deployMinutes?: number;
  /**
   * Minutes one validation (CodeBuild) run takes.
   * @default 15
   */
  readonly validationMinutes?: number;
  /**
   * A bake failure to replay.
   * @default - every bake passes
   */
  readonly failure?: SimulatedFailure;
}

/** One bar of the timeline: one phase of one region (and target) in one stage. */
export interface TimelineEntry {
  readonly stageName: string;
  readonly region: string;
  /** Deployment target the entry belongs to; absent for window waits and validations. */
  readonly targetId?: string;
  /** `WINDOW_WAIT`, `DEPLOY`, `BAKE`, `VALIDATE` or `ROLLBACK` (see `TIMELINE_PHASE`). */
  readonly phase: string;
  readonly start: Date;
  readonly end: Date;
  /** `DONE`, `FAILED` or `ROLLED_BACK` (see `TIMELINE_STATUS`). */
  readonly status: string;
  /** One sentence for people, e.g. `one-box bake, 30 min`. */
  readonly detail: string;
}

/** When one stage ran, as simulated. */
export interface TimelineStage {
  readonly name: string;
  /** Absent when the stage never started. */
  readonly start?: Date;
  readonly end?: Date;
  /** `DONE`, `FAILED`, `ROLLED_BACK` or `NOT_STARTED`. */
  readonly status: string;
}

/** A simulated release. */
export interface Timeline {
  readonly start: Date;
  /** When the last entry ended (the last rollback, when the release was rolled back). */
  readonly finish: Date;
  readonly leadTimeMinutes: number;
  /** `COMPLETED`, `ROLLED_BACK` or `STUCK` (see `TIMELINE_OUTCOME`). */
  readonly outcome: string;
  /** Every step, in pipeline order: stage by stage, region by region, in time order within a region. */
  readonly entries: TimelineEntry[];
  /** Targets redeployed to the previous version by the stage rollback. */
  readonly rolledBack: string[];
  /** Stages that never started. */
  readonly neverStarted: string[];
  /** Why the release is stuck (outcome `STUCK` only). */
  readonly stuck?: string;
  /** Every stage, in pipeline order. */
  readonly stages: TimelineStage[];
}

interface MutableEntry {
  stageName: string;
  region: string;
  targetId?: string;
  phase: string;
  start: number;
  end: number;
  status: string;
  detail: string;
}

interface RegionRun {
  readonly region: PlannedRegion;
  readonly entries: MutableEntry[];
  /** Targets whose deployment started, with the time it started. */
  readonly deployed: Array<{ target: PlannedTarget; start: number }>;
  end: number;
  /** The replayed failure happens at this time, in this region. */
  failsAt?: number;
}

/**
 * Simulates one release of `plan` started at `start`.
 *
 * @throws Error when `options.failure` names a target the plan does not have, or a minute outside
 *   that target's bake.
 */
export function simulateRelease(plan: ReleasePlan, start: Date, options: SimulationOptions = {}): Timeline {
  const deployMs = minutes('deployMinutes', options.deployMinutes ?? 10) * MINUTE_MS;
  const validationMs = minutes('validationMinutes', options.validationMinutes ?? 15) * MINUTE_MS;
  checkFailure(plan, options.failure);
  const maxHoldMs = plan.maxWindowHoldMinutes * MINUTE_MS;

  const entries: MutableEntry[] = [];
  const stages: TimelineStage[] = [];
  const rolledBack: string[] = [];
  const neverStarted: string[] = [];
  let outcome: string = TIMELINE_OUTCOME.COMPLETED;
  let stuck: string | undefined;
  let t = start.getTime();
  let finish = t;

  for (const stage of plan.stages) {
    if (outcome !== TIMELINE_OUTCOME.COMPLETED) {
      neverStarted.push(stage.name);
      stages.push({ name: stage.name, status: 'NOT_STARTED' });
      continue;
    }
    const stageStart = t;
    const gate = windowGate(stage, stageStart, maxHoldMs);
    if (gate.failsAt !== undefined) {
      // The gate's approval is rejected: the stage fails before any region deploys.
      for (const region of stage.regions) {
        entries.push({
          stageName: stage.name,
          region: region.region,
          phase: TIMELINE_PHASE.WINDOW_WAIT,
          start: stageStart,
          end: gate.failsAt,
          status: TIMELINE_STATUS.FAILED,
          detail: `window gate gives up at ${new Date(gate.failsAt).toISOString()}: ${gate.why}`,
        });
      }
      outcome = TIMELINE_OUTCOME.STUCK;
      stuck = `${gate.who}: the window gate fails at ${new Date(gate.failsAt).toISOString()} without deploying, because ${gate.why}.`;
      stages.push({ name: stage.name, start: new Date(stageStart), end: new Date(gate.failsAt), status: TIMELINE_STATUS.FAILED });
      t = gate.failsAt;
      finish = Math.max(finish, t);
      continue;
    }

    const stagePhases = phases(stageLayout(stage));
    const runs = stage.regions.map((region) =>
      runRegion(stage, stagePhases, region, stageStart, gate, { deployMs, validationMs, failure: options.failure }));
    const failing = runs.find((r) => r.failsAt !== undefined);
    let stageEnd: number;
    let stageStatus: string = TIMELINE_STATUS.DONE;
    if (failing) {
      stageEnd = rollBackStage(runs, failing.failsAt!, deployMs, options.failure!.targetId, rolledBack);
      outcome = TIMELINE_OUTCOME.ROLLED_BACK;
      stageStatus = TIMELINE_STATUS.ROLLED_BACK;
    } else {
      stageEnd = Math.max(stageStart, ...runs.map((r) => r.end));
      // Steps of your own after every region baked (CDK Pipelines wave "post" steps).
      if (stage.postSteps && stage.postSteps.length > 0) {
        for (const run of runs) {
          for (const step of stage.postSteps) {
            run.entries.push({
              stageName: stage.name,
              region: run.region.region,
              phase: TIMELINE_PHASE.VALIDATE,
              start: stageEnd,
              end: stageEnd + validationMs,
              status: TIMELINE_STATUS.DONE,
              detail: stepText(step),
            });
          }
        }
        stageEnd += validationMs;
      }
    }

    for (const run of runs) entries.push(...run.entries);
    stages.push({ name: stage.name, start: new Date(stageStart), end: new Date(stageEnd), status: stageStatus });
    t = stageEnd;
    finish = Math.max(finish, stageEnd);
  }

  return {
    start: new Date(start.getTime()),
    finish: new Date(finish),
    leadTimeMinutes: Math.round((finish - start.getTime()) / MINUTE_MS),
    outcome,
    entries: entries.map((e) => ({ ...e, start: new Date(e.start), end: new Date(e.end) })),
    rolledBack,
    neverStarted,
    stuck,
    stages,
  };
}

interface RunSettings {
  readonly deployMs: number;
  readonly validationMs: number;
  readonly failure?: SimulatedFailure;
}

/** When a stage's window gate opens, or when it gives up and why. */
interface StageGate {
  /** The gate opens at this time (the stage start when there is nothing to wait for). */
  readonly opensAt?: number;
  /** The gate gives up at this time: no region of the stage deploys. */
  readonly failsAt?: number;
  /** Who waits, for the `stuck` sentence: the stage, and its region when it has one. */
  readonly who: string;
  /** Why it waits or gives up, in words. */
  readonly why: string;
}

/** The stage's one window gate: open when every region's window is open at the same instant. */
function windowGate(stage: PlannedStage, stageStart: number, maxHoldMs: number): StageGate {
  const windows = stage.regions.flatMap((r) => (r.window ? [r.window] : []));
  const single = stage.regions.length === 1;
  const who = single ? `${stage.name} ${stage.regions[0].region}` : `${stage.name} (${stage.regions.map((r) => r.region).join(', ')})`;
  if (windows.length === 0) return { opensAt: stageStart, who, why: 'no deployment window' };
  const opening = nextCommonOpening(windows, new Date(stageStart));
  const waitMs = opening ? opening.getTime() - stageStart : Number.POSITIVE_INFINITY;
  if (waitMs <= maxHoldMs) {
    const why = single
      ? `waits for the deployment window, opens ${opening!.toISOString()}`
      : `waits for the stage's window gate: every region's window is open from ${opening!.toISOString()}`;
    return { opensAt: opening!.getTime(), who, why };
  }
  const holdLimit = `the gate's ${maxHoldMs / MINUTE_MS}-minute hold limit`;
  let why: string;
  if (single) {
    why = opening
      ? `its window next opens at ${opening.toISOString()}, after ${holdLimit}`
      : `its window does not open again within the ${DEFAULT_HORIZON_DAYS} days the gate looks ahead`;
  } else {
    why = opening
      ? `the windows of its regions are next all open at ${opening.toISOString()}, after ${holdLimit}`
      : `the windows of its regions are never all open at the same instant within the ${DEFAULT_HORIZON_DAYS} days the gate looks ahead`;
  }
  return { failsAt: stageStart + maxHoldMs, who, why };
}

/** Schedules one region of one stage, from when the stage's gate opens, as if nothing else in the stage went wrong. */
function runRegion(
  stage: PlannedStage, stagePhases: LayoutAction[][], region: PlannedRegion, stageStart: number, gate: StageGate, settings: RunSettings,
): RegionRun {
  const run: RegionRun = { region, entries: [], deployed: [], end: stageStart };
  const add = (entry: Omit<MutableEntry, 'stageName' | 'region'>) => {
    run.entries.push({ stageName: stage.name, region: region.region, ...entry });
    run.end = entry.end;
  };
  let t = stageStart;

  if (gate.opensAt! > t) {
    add({ phase: TIMELINE_PHASE.WINDOW_WAIT, start: t, end: gate.opensAt!, status: TIMELINE_STATUS.DONE, detail: gate.why });
    t = gate.opensAt!;
  }
  // Steps of your own before the deployments run together, each as long as a validation.
  if (stage.preSteps && stage.preSteps.length > 0) {
    for (const step of stage.preSteps) {
      add({ phase: TIMELINE_PHASE.VALIDATE, start: t, end: t + settings.validationMs, status: TIMELINE_STATUS.DONE, detail: stepText(step) });
    }
    t += settings.validationMs;
  }

  // The region's actions in the layout's order: one-box deploy, one-box bake, fleet deploy, its
  // validations (in parallel), fleet bake.
  const targets = new Map([region.oneBox, region.fleet].filter((x): x is PlannedTarget => x !== undefined).map((x) => [x.id, x]));
  const mine = stagePhases.map((p) => p.filter((a) => a.region === region.region)).filter((p) => p.length > 0);
  for (const phase of mine) {
    const validations = phase.filter((a) => a.kind === LayoutActionKind.VALIDATION);
    if (validations.length > 0) {
      for (const v of validations) {
        const planned = region.validations.find((x) => x.name === v.name)!;
        add({
          phase: TIMELINE_PHASE.VALIDATE,
          start: t,
          end: t + settings.validationMs,
          status: TIMELINE_STATUS.DONE,
          detail: `validation ${planned.name} (${planned.kind})`,
        });
      }
      t += settings.validationMs;
      continue;
    }
    const [action] = phase;
    const target = targets.get(action.targetId!)!;
    const label = target.kind === 'ONE_BOX' ? 'one-box' : 'fleet';
    if (action.kind === LayoutActionKind.DEPLOY) {
      run.deployed.push({ target, start: t });
      add({ targetId: target.id, phase: TIMELINE_PHASE.DEPLOY, start: t, end: t + settings.deployMs, status: TIMELINE_STATUS.DONE, detail: `${label} deployment` });
      t += settings.deployMs;
      continue;
    }
    const bakeMs = target.bake.minutes * MINUTE_MS;
    if (settings.failure?.targetId === target.id) {
      const failsAt = t + settings.failure.afterBakeMinutes * MINUTE_MS;
      add({
        targetId: target.id,
        phase: TIMELINE_PHASE.BAKE,
        start: t,
        end: failsAt,
        status: TIMELINE_STATUS.FAILED,
        detail: `${label} bake fails after ${settings.failure.afterBakeMinutes} of ${target.bake.minutes} min: health signal in alarm`,
      });
      run.failsAt = failsAt;
      return run;
    }
    add({ targetId: target.id, phase: TIMELINE_PHASE.BAKE, start: t, end: t + bakeMs, status: TIMELINE_STATUS.DONE, detail: `${label} bake, ${target.bake.minutes} min` });
    t += bakeMs;
  }
  return run;
}

/**
 * The stage fails at `failsAt`: stop everything still running in the stage, then redeploy the
 * previous version of every target that had started deploying, region by region in parallel, in
 * the order they were deployed. Returns when the last rollback ends.
 */
function rollBackStage(runs: RegionRun[], failsAt: number, deployMs: number, failedTarget: string, rolledBack: string[]): number {
  let end = failsAt;
  for (const run of runs) {
    const kept: MutableEntry[] = [];
    for (const entry of run.entries) {
      if (entry.start >= failsAt && entry.status !== TIMELINE_STATUS.FAILED) continue;
      if (entry.end > failsAt) {
        entry.end = failsAt;
        entry.status = TIMELINE_STATUS.ROLLED_BACK;
        entry.detail = `${entry.detail}; stopped by the stage rollback`;
      }
      kept.push(entry);
    }
    run.entries.length = 0;
    run.entries.push(...kept);

    let t = failsAt;
    for (const { target } of run.deployed.filter((d) => d.start < failsAt)) {
      const label = target.kind === 'ONE_BOX' ? 'one-box' : 'fleet';
      run.entries.push({
        stageName: target.stageName,
        region: run.region.region,
        targetId: target.id,
        phase: TIMELINE_PHASE.ROLLBACK,
        start: t,
        end: t + deployMs,
        status: TIMELINE_STATUS.ROLLED_BACK,
        detail: target.id === failedTarget
          ? `${label} redeploys the previous version: its bake failed`
          : `${label} redeploys the previous version: stage rollback after a failure elsewhere in the stage`,
      });
      rolledBack.push(target.id);
      t += deployMs;
    }
    run.end = t;
    end = Math.max(end, t);
  }
  return end;
}

function minutes(field: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(`${field}: ${value} is not a duration; give a number of minutes, 0 or more`);
  }
  return value;
}

function checkFailure(plan: ReleasePlan, failure: SimulatedFailure | undefined): void {
  if (!failure) return;
  const targets = planTargets(plan);
  const target = targets.find((t) => t.id === failure.targetId);
  if (!target) {
    throw new Error(
      `failure.targetId: "${failure.targetId}" is not a target of pipeline ${plan.pipelineName}; ` +
      `targets are ${targets.map((t) => t.id).join(', ')}`,
    );
  }
  const m = failure.afterBakeMinutes;
  if (!Number.isFinite(m) || m < 0 || m > target.bake.minutes) {
    throw new Error(
      `failure.afterBakeMinutes: ${m} is outside the ${target.bake.minutes}-minute bake of ${target.id}; ` +
      `give a minute from 0 to ${target.bake.minutes}`,
    );
  }
}

function stepText(step: PlannedStep): string {
  return step.kind === 'MANUAL_APPROVAL'
    ? `step ${step.name} (manual approval: a person's time is not simulated)`
    : `step ${step.name} (${step.kind})`;
}
