/**
 * Validation speed (issue 13): any declaration up to the quotas validates in under 50 ms. Three
 * declarations at the quotas: the most stages CodePipeline allows, the widest waves with region-local
 * windows (the window-overlap check is the costliest rule), and one that is wrong everywhere
 * (misspelt regions and zones, 10,000-character strings: the "did you mean" work). Each is timed
 * cold (first call in the process, including compiling the schema with Ajv) and warm (median of
 * repeated calls), against a baseline measured in the same run: a JSON round trip of the same
 * declaration, the least any check of it costs.
 *
 * `npx ts-node --transpile-only bench/validation.ts` runs it alone; bench/run.ts can call
 * `benchValidation()` and append its lines to RESULTS.md.
 */
import { performance } from 'perf_hooks';
import { ReleaseDeclaration } from '../lib/model/declaration';
import { knownRegions } from '../lib/model/regions';
import { CODEPIPELINE_QUOTAS, FRAMEWORK_STAGES, validateRelease } from '../lib/model/validation';

/** The target for one validation, milliseconds. */
export const VALIDATION_TARGET_MS = 50;

const PRE_ACCOUNT = '222222222222';
const PROD_ACCOUNT = '333333333333';

/** 50 pipeline stages: 12 pre-production stages of 8 regions (one-box, validations), 34 one-region waves. */
function mostStages(): ReleaseDeclaration {
  const regions = knownRegions();
  const preCount = 12;
  const waveCount = CODEPIPELINE_QUOTAS.stagesPerPipeline - FRAMEWORK_STAGES - preCount;
  return {
    preProduction: Array.from({ length: preCount }, (_, i) => ({
      name: `stage-${i + 1}`,
      account: PRE_ACCOUNT,
      regions: regions.slice(i % 20, (i % 20) + 6),
      oneBox: true,
      bake: { minutes: 30, minHealthyDatapoints: 10 },
      validations: [{ name: 'Integ', commands: ['npm run integ'] }, { name: 'Load', commands: ['npm run load'] }],
    })),
    production: {
      account: PROD_ACCOUNT,
      bake: { minutes: 60, minHealthyDatapoints: 20 },
      window: { blackouts: Array.from({ length: 60 }, (_, d) => `2026-${String(1 + (d % 12)).padStart(2, '0')}-${String(1 + (d % 28)).padStart(2, '0')}`) },
      waves: regions.slice(0, waveCount).map((region) => ({ regions: [region] })),
    },
  };
}

/** Waves of 8 regions each (8 x 6 actions + the window gate <= 50), region-local windows that overlap. */
function widestWaves(): ReleaseDeclaration {
  const europe = ['eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2'];
  const americas = ['us-east-1', 'us-east-2', 'ca-central-1', 'sa-east-1', 'us-west-1', 'us-west-2', 'ca-west-1', 'mx-central-1'];
  const asia = ['ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-east-1', 'ap-east-2', 'ap-southeast-1', 'ap-southeast-3', 'ap-southeast-5'];
  return {
    production: {
      account: PROD_ACCOUNT,
      window: { weekdays: ['MON', 'TUE', 'WED', 'THU'] as any, startHour: 6, endHour: 22 },
      waves: [europe, americas, asia].map((regions) => ({ regions })),
    },
  };
}

/** Wrong everywhere: every region misspelt, zones and names of 10,000 characters, values of wrong types. */
function wrongEverywhere(): unknown {
  const long = 'x'.repeat(10_000);
  const regions = knownRegions().map((r) => r.replace(/-(\d)$/, '-9$1'));
  return {
    preProduction: Array.from({ length: 12 }, (_, i) => ({
      name: i % 2 ? long : `beta.${i}`,
      account: long,
      regions: regions.slice(i, i + 8),
      bake: { minutes: Infinity, minHealthyDatapoints: -1, noData: long },
      validations: [{ name: long, commands: 'npm test' }],
      window: { timeZone: long },
    })),
    production: {
      account: 123456789012,
      oneBox: 'false',
      window: { timeZone: `Europe/${long}`, weekdays: 'MON', blackouts: Array.from({ length: 60 }, () => long), holidayCountry: long },
      waves: Array.from({ length: 34 }, (_, w) => ({ regions: [regions[w], `${long}-${w}`], name: long, bakee: {} })),
    },
  };
}

function timeMs(run: () => unknown): number {
  const began = performance.now();
  run();
  return performance.now() - began;
}

function medianOf(runs: number, run: () => unknown): number {
  const times = Array.from({ length: runs }, () => timeMs(run)).sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Runs the validation benchmark; returns the markdown lines for RESULTS.md (also printed). */
export function benchValidation(say: (line?: string) => void = (line = '') => console.log(line)): string[] {
  const lines: string[] = [];
  const out = (line = '') => { lines.push(line); say(line); };
  const cases: Array<[string, unknown]> = [
    ['50 stages (12 pre-production x 6 regions, 34 waves)', mostStages()],
    ['3 waves x 8 regions, region-local windows', widestWaves()],
    ['wrong everywhere (misspelt, 10,000-character strings)', wrongEverywhere()],
  ];
  const options = { pipelineName: 'orders' };
  out('## Validation speed');
  out();
  out(`Target: any declaration up to the quotas validates in under ${VALIDATION_TARGET_MS} ms (issue 13). Cold = the first call in the process, including compiling the JSON Schema with Ajv (once per process); warm = median of 25 calls. Baseline: a JSON round trip of the same declaration.`);
  out();
  out('| declaration | problems | cold | warm | JSON round trip | warm / round trip | target (warm) |');
  out('|---|---|---|---|---|---|---|');
  for (const [name, decl] of cases) {
    let problems = 0;
    const cold = timeMs(() => { problems = validateRelease(decl, options).length; });
    const warm = medianOf(25, () => validateRelease(decl, options));
    const baseline = medianOf(25, () => JSON.parse(JSON.stringify(decl)));
    const met = warm < VALIDATION_TARGET_MS ? 'met' : 'MISSED';
    out(`| ${name} | ${problems} | ${cold.toFixed(1)} ms | ${warm.toFixed(1)} ms | ${baseline.toFixed(2)} ms | ${(warm / baseline).toFixed(0)}x | < ${VALIDATION_TARGET_MS} ms ${met} |`);
  }
  out();
  return lines;
}

if (require.main === module) benchValidation();
