/**
 * Named bake ladders: how long each production target bakes when the declaration does not say.
 * A bake written in the declaration always wins over the preset.
 *
 * `BUILDERS_LIBRARY` follows the pace AWS describes in the Builder's Library article "Automating
 * safe, hands-off deployments" (https://aws.amazon.com/builders-library/automating-safe-hands-off-deployments/):
 * at least an hour after each one-box, about twelve hours after the first production wave, and a few
 * hours after later waves, which takes a release about four to five business days to reach every region.
 */

/** Which bake ladder fills the production bakes a declaration leaves out. */
export enum BakePreset {
  /** Today's defaults: 30/60 minutes in the first two waves, 15/30 after (one-box/fleet). */
  QUICK = 'QUICK',
  /** Amazon's pace: 60 minutes after every one-box; 12 h after wave 1, 4 h after wave 2, 2 h after later waves. */
  BUILDERS_LIBRARY = 'BUILDERS_LIBRARY',
}

/** Bake minutes of one production wave under a preset. */
export interface PresetWaveBake {
  readonly oneBoxMinutes: number;
  readonly fleetMinutes: number;
}

/** Bake minutes of production wave `waveIndex` (0-based) under `preset`. */
export function presetWaveBake(preset: BakePreset, waveIndex: number): PresetWaveBake {
  switch (preset) {
    case BakePreset.QUICK:
      return waveIndex < 2 ? { oneBoxMinutes: 30, fleetMinutes: 60 } : { oneBoxMinutes: 15, fleetMinutes: 30 };
    case BakePreset.BUILDERS_LIBRARY:
      if (waveIndex === 0) return { oneBoxMinutes: 60, fleetMinutes: 12 * 60 };
      if (waveIndex === 1) return { oneBoxMinutes: 60, fleetMinutes: 4 * 60 };
      return { oneBoxMinutes: 60, fleetMinutes: 2 * 60 };
    default:
      throw new Error(`unknown bake preset ${JSON.stringify(preset)}; use ${Object.values(BakePreset).join(' or ')}`);
  }
}

interface PresetTarget {
  readonly bake: { readonly minutes: number };
}

/** Stage fields `withBakePreset` reads (kept structural so this file imports nothing). */
interface PresetPlan {
  readonly bakePreset?: string;
  readonly stages: ReadonlyArray<{
    readonly kind: string;
    readonly wave: number;
    readonly regions: ReadonlyArray<{ readonly oneBox?: PresetTarget; readonly fleet: PresetTarget }>;
  }>;
}

/**
 * The same plan with every production bake's minutes taken from `preset` (declared bakes
 * included): what `wave-pipelines plan` simulates to show the lead time each preset gives.
 */
export function withBakePreset<P extends PresetPlan>(plan: P, preset: BakePreset): P {
  const stages = plan.stages.map((stage) => {
    if (stage.kind !== 'PRODUCTION') return stage;
    const ladder = presetWaveBake(preset, stage.wave - 1);
    return {
      ...stage,
      regions: stage.regions.map((r) => ({
        ...r,
        ...(r.oneBox ? { oneBox: { ...r.oneBox, bake: { ...r.oneBox.bake, minutes: ladder.oneBoxMinutes } } } : {}),
        fleet: { ...r.fleet, bake: { ...r.fleet.bake, minutes: ladder.fleetMinutes } },
      })),
    };
  });
  return { ...plan, bakePreset: preset, stages };
}
