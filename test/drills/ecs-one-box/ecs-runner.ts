/**
 * Runs one ECS one-box drill: the drill service with its real `EcsOneBox`, a release started at
 * the drill's start time, simulated until the drill has seen what it drills (or its time limit),
 * then the invariants (ecs-invariants.ts) and the drill's own checks.
 */
import { checkEcsInvariants, EcsRollback } from './ecs-invariants';
import { EcsWorld, EcsWorldOptions } from './ecs-world';
import { HOUR } from '../emulator/sim-clock';
import { SynthesizedApp } from '../emulator/synthesized-app';

export interface EcsDrill {
  readonly name: string;
  /** Start of the release, ISO 8601 UTC. */
  readonly start: string;
  /** Simulated hours after which the drill stops whatever happened. */
  readonly hours: number;
  /** The drill service with latency alarms (`latency`), or with the 5XX alarms alone (`errorsOnly`). */
  readonly app?: 'latency' | 'errorsOnly';
  readonly world?: Omit<EcsWorldOptions, 'app' | 'start'>;
  /** Before the release starts. */
  readonly setup?: (world: EcsWorld) => void;
  /** Stops the drill once it holds; absent = when no execution is in progress. */
  readonly until?: (world: EcsWorld) => boolean;
  /** What this drill must show besides the invariants; returns violations. */
  readonly expect: (world: EcsWorld) => string[];
  /** What the drill showed, for docs/drills.md. */
  readonly summary?: (world: EcsWorld) => string;
  /** The open defect that still breaks this drill: it then runs as `test.failing`. */
  readonly knownDefect?: string;
}

export interface EcsDrillResult {
  readonly drill: string;
  readonly violations: string[];
  readonly rollbacks: EcsRollback[];
  readonly simulatedMinutes: number;
  readonly world: EcsWorld;
}

export async function runEcsDrill(drill: EcsDrill, app: SynthesizedApp): Promise<EcsDrillResult> {
  const start = new Date(drill.start);
  const world = new EcsWorld({ app, start, ...drill.world });
  drill.setup?.(world);
  world.release();
  const idle = () => world.codePipeline.executions.every((e) => e.status !== 'InProgress' && e.status !== 'Stopping');
  await world.run(start.getTime() + drill.hours * HOUR, () => (drill.until ? drill.until(world) : idle()));
  const report = checkEcsInvariants(world);
  return {
    drill: drill.name,
    violations: [...report.violations, ...drill.expect(world)],
    rollbacks: report.rollbacks,
    simulatedMinutes: Math.round((world.clock.millis - start.getTime()) / 60_000),
    world,
  };
}
