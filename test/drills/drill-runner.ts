/**
 * Runs one drill: a world built from the synthesized example, a release started at the drill's
 * start time, the drill's faults and alarms, simulated minute by minute until the release is over
 * (or the drill's time limit), then the invariants.
 */
import { ActionStateChange } from './emulator/codepipeline';
import { HOUR } from './emulator/sim-clock';
import { SynthesizedApp } from './emulator/synthesized-app';
import { AlarmRollback, checkInvariants } from './invariants';
import { World } from './world';
import { GATE, parseGateToken } from '../../lib/model/naming';

/** How alarm state changes reach the controller: forwarded events, or none (lost). */
export type AlarmPath = 'event' | 'lost';

export interface DrillContext {
  readonly world: World;
  readonly path: AlarmPath;
}

export interface Drill {
  readonly name: string;
  /** Start of the release, ISO 8601 UTC. */
  readonly start: string;
  /** Whether a health alarm fires in it: then it runs once per alarm path. */
  readonly alarm: boolean;
  /** Simulated hours after which the drill stops even if the release is still going. */
  readonly hours: number;
  readonly setup: (ctx: DrillContext) => void;
  /** What this drill must show besides the invariants; returns violations. */
  readonly expect?: (ctx: DrillContext) => string[];
  /** Keep running at least this long after the start (a later release, a late alarm). */
  readonly minHours?: number;
  /**
   * The app the drill runs (default: the example as synthesized; `controllerOnly`: the same with the
   * targets' alarm rollback turned off, so the controller alone rolls back).
   */
  readonly app?: 'example' | 'longBake' | 'controllerOnly';
}

export interface DrillResult {
  readonly drill: string;
  readonly path: AlarmPath;
  readonly violations: string[];
  readonly rollbacks: AlarmRollback[];
  readonly simulatedMinutes: number;
  readonly invocations: number;
  readonly world: World;
}

export async function runDrill(drill: Drill, path: AlarmPath, app: SynthesizedApp): Promise<DrillResult> {
  const start = new Date(drill.start);
  const world = new World({ app, start });
  if (path === 'lost') {
    const previous = world.delivery.lost;
    world.delivery.lost = (event) => event.source === 'aws.cloudwatch' || (previous?.(event) ?? false);
  }
  const ctx: DrillContext = { world, path };
  world.release();
  drill.setup(ctx);
  const limit = start.getTime() + drill.hours * HOUR;
  const earliestEnd = start.getTime() + (drill.minHours ?? 0) * HOUR;
  await world.run(limit, () => world.clock.millis >= earliestEnd
    && world.codePipeline.executions.every((e) => e.status !== 'InProgress' && e.status !== 'Stopping'));
  const report = checkInvariants(world);
  const extra = drill.expect?.(ctx) ?? [];
  if (drill.alarm && report.rollbacks.length === 0) {
    // A drill whose alarm never hit a deployed target proved nothing: say so rather than pass.
    extra.push('the drill\'s health alarm never fired on a target serving the release (the release did not get that far)');
  }
  return {
    drill: drill.name,
    path,
    violations: [...report.violations, ...extra],
    rollbacks: report.rollbacks,
    simulatedMinutes: Math.round((world.clock.millis - start.getTime()) / 60_000),
    invocations: world.invocations.length,
    world,
  };
}

// ---------------------------------------------------------------------------------------------
// Predicates drills hook on
// ---------------------------------------------------------------------------------------------

/** The action state change of a gate (`BAKE`/`WINDOW`) of a target or stage key, in a STANDARD execution. */
export function gate(gateKind: string, key: string, state: string, revision?: string): (change: ActionStateChange) => boolean {
  return (change) => {
    if (change.executionType !== 'STANDARD' || change.state !== state) return false;
    if (revision !== undefined && change.run.execution.revision !== revision) return false;
    const token = parseGateToken(change.run.action.configuration.CustomData);
    return token?.gate === gateKind && token.target === key;
  };
}

export const bakeStarted = (targetId: string, revision?: string) => gate(GATE.BAKE, targetId, 'STARTED', revision);
export const bakeApproved = (targetId: string, revision?: string) => gate(GATE.BAKE, targetId, 'SUCCEEDED', revision);

/** The deploy action (CHANGE_SET_EXECUTE) of a target in a STANDARD execution. */
export function deployed(targetId: string, state: string): (change: ActionStateChange) => boolean {
  return (change) => change.executionType === 'STANDARD' && change.state === state
    && change.run.action.targetId === targetId && change.run.action.configuration.ActionMode === 'CHANGE_SET_EXECUTE';
}

/** Deterministic pseudo-random numbers, so a drill replays exactly. */
export function seeded(seed: number): () => number {
  // A linear congruential generator (Numerical Recipes constants), modulo 2^32.
  let state = seed % 2 ** 32;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223 + 2 ** 32) % 2 ** 32;
    return state / 2 ** 32;
  };
}

/** What happened to a target's bakes in STANDARD executions. */
export function bakeOutcomes(world: World, targetId: string): string[] {
  return world.codePipeline.actionRuns
    .filter((r) => r.execution.type === 'STANDARD' && parseGateToken(r.action.configuration.CustomData)?.target === targetId
      && parseGateToken(r.action.configuration.CustomData)?.gate === GATE.BAKE)
    .map((r) => r.status);
}

/** Status of every release the drill started, oldest first, e.g. `r2:Succeeded` (r1 is the release before the drill). */
export function releaseStatuses(world: World): string[] {
  return world.codePipeline.executions.filter((e) => e.type === 'STANDARD' && e.revision !== 'r1').map((e) => `${e.revision}:${e.status}`);
}
