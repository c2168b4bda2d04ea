/**
 * Choices a release may make that are allowed but remove a safety net. `WavePipeline` shows each
 * as a warning a user can acknowledge (`cdk-wave-pipelines:<id>`).
 */
import { PlannedTarget, ReleasePlan, STAGE_KIND } from './plan';

export interface RiskyChoice {
  /** Acknowledgeable id, e.g. `productionWithoutBake`. */
  readonly id: string;
  readonly message: string;
}

export function riskyChoices(plan: ReleasePlan): RiskyChoice[] {
  const choices: RiskyChoice[] = [];
  const production = plan.stages.filter((s) => s.kind === STAGE_KIND.PRODUCTION);
  const unbaked = production.flatMap((s) => s.regions).filter((r) => r.fleet.bake.minutes === 0).map((r) => r.fleet.id);
  if (unbaked.length > 0) {
    choices.push({
      id: 'productionWithoutBake',
      message: `production targets without a bake: ${unbaked.join(', ')}; nothing watches them after deployment, so a bad release reaches the next wave. Give them bake: { minutes: 30 } or acknowledge this warning.`,
    });
  }
  if (production.length > 0 && production.every((s) => s.regions.every((r) => !r.oneBox))) {
    choices.push({
      id: 'productionWithoutOneBox',
      message: 'production has no one-box deployments (production.oneBox: false): every region takes the new release on its whole fleet at once. Acknowledge this warning if that is intended.',
    });
  }
  const passWithoutData = production.flatMap((s) => s.regions).flatMap((r) => [r.oneBox, r.fleet])
    .filter((t): t is PlannedTarget => t !== undefined && t.bake.minutes > 0 && t.bake.noData === 'PASS_WITH_WARNING');
  if (passWithoutData.length > 0) {
    choices.push({
      id: 'bakePassesWithoutData',
      message: `bakes that pass when no alarm had data: ${passWithoutData.map((t) => t.id).join(', ')}; a target nobody measured is not known to be healthy.`,
    });
  }
  return choices;
}
