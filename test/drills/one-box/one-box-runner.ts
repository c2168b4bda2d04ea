/**
 * Runs one one-box drill: the example with its real `LambdaOneBox` service, a release started at
 * the drill's start time, simulated until the drill has seen what it drills (or its time limit),
 * then the invariants of every drill and those of the one-box.
 */
import { checkOneBoxInvariants } from './one-box-invariants';
import { OneBoxWorld, OneBoxWorldOptions } from './one-box-world';
import { HOUR } from '../emulator/sim-clock';
import { SynthesizedApp } from '../emulator/synthesized-app';
import { checkInvariants } from '../invariants';

export interface OneBoxDrill {
  readonly name: string;
  /** Start of the release, ISO 8601 UTC. */
  readonly start: string;
  /** Simulated hours after which the drill stops whatever happened. */
  readonly hours: number;
  /** The release as the example declares it, or with `noTraffic: HOLD` one-box bakes. */
  readonly app?: 'example' | 'hold';
  readonly world?: Omit<OneBoxWorldOptions, 'app' | 'start'>;
  /** Before the release starts (faults, denied grants). */
  readonly setup?: (world: OneBoxWorld) => void;
  /** Stops the drill once it holds; absent = when no execution is in progress. */
  readonly until?: (world: OneBoxWorld) => boolean;
  /** What this drill must show besides the invariants; returns violations. */
  readonly expect: (world: OneBoxWorld) => string[];
  /** The open defect that still breaks an invariant in this drill: it then runs as `test.failing`. */
  readonly knownDefect?: string;
}

export interface OneBoxDrillResult {
  readonly drill: string;
  readonly violations: string[];
  readonly simulatedMinutes: number;
  readonly world: OneBoxWorld;
}

export async function runOneBoxDrill(drill: OneBoxDrill, app: SynthesizedApp): Promise<OneBoxDrillResult> {
  const start = new Date(drill.start);
  const world = new OneBoxWorld({ app, start, ...drill.world });
  drill.setup?.(world);
  world.release();
  const idle = () => world.codePipeline.executions.every((e) => e.status !== 'InProgress' && e.status !== 'Stopping');
  await world.run(start.getTime() + drill.hours * HOUR, () => (drill.until ? drill.until(world) : idle()));
  return {
    drill: drill.name,
    violations: [...checkInvariants(world).violations, ...checkOneBoxInvariants(world), ...drill.expect(world)],
    simulatedMinutes: Math.round((world.clock.millis - start.getTime()) / 60_000),
    world,
  };
}
