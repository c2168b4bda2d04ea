/**
 * Property test of validation (issue 13): for 1,000 generated declarations (valid ones and ones
 * broken at known fields) and the table of every case the issue lists, either one error names the
 * field, the bad value and the fix, or the plan matches the declaration. Zero crashes, zero invalid
 * declarations accepted. The synthesized pipelines of a sample are checked in
 * validation.synth.test.ts.
 */
import * as fc from 'fast-check';
import { Case, FIX_WORDS, ISSUE_CASES, mutatedCase, VALID_CASES } from './validation-cases';
import { ReleasePlan } from '../../lib/model/plan';
import { Problem } from '../../lib/model/problem';
import { buildReleasePlan, RELEASE_DEFAULTS } from '../../lib/model/release-plan';
import { defaultWaveName, ReleaseValidationError } from '../../lib/model/validation';

const SEED = 20261126;
const RUNS = 1000;

type Outcome = { kind: 'error'; problems: Problem[] } | { kind: 'valid'; plan: ReleasePlan } | { kind: 'crash'; error: unknown };

function outcome(c: Case): Outcome {
  try {
    return { kind: 'valid', plan: buildReleasePlan(c.release, c.options) };
  } catch (error) {
    if (error instanceof ReleaseValidationError) return { kind: 'error', problems: error.problems };
    return { kind: 'crash', error };
  }
}

/** What is wrong with the outcome of a case; empty when it is right. */
function verdict(c: Case, result: Outcome): string[] {
  if (result.kind === 'crash') return [`crashed: ${(result.error as Error)?.stack ?? String(result.error)}`];
  if (result.kind === 'valid') return c.invalidAt ? [`accepted although invalid at ${c.invalidAt.map((e) => e.paths.join(' or ')).join(', ')}`] : planMismatches(c.release, result.plan);
  if (!c.invalidAt) return [`refused although valid: ${result.problems.map((p) => `${p.path}: ${p.message}`).join(' | ')}`];
  const wrong: string[] = [];
  for (const p of result.problems) {
    if (!p.path || !p.message) wrong.push(`a problem without path or message: ${JSON.stringify(p)}`);
    else if (!FIX_WORDS.test(p.message) && !/did you mean/.test(p.message)) wrong.push(`no fix in "${p.path}: ${p.message}"`);
    if (/\bTypeError\b|Cannot read propert|undefined is not/.test(p.message)) wrong.push(`a crash worded as a problem: ${p.message}`);
  }
  for (const expected of c.invalidAt) {
    const near = result.problems.filter((p) => expected.paths.some((path) => p.path === path || p.path.startsWith(`${path}.`) || p.path.startsWith(`${path}[`)));
    if (near.length === 0) {
      wrong.push(`no problem at ${expected.paths.join(' or ')}; got ${result.problems.map((p) => `${p.path}: ${p.message}`).join(' | ')}`);
    } else if (expected.mentions && !near.some((p) => p.message.includes(expected.mentions!))) {
      wrong.push(`the problem at ${expected.paths.join(' or ')} does not mention ${expected.mentions}: ${near.map((p) => p.message).join(' | ')}`);
    }
  }
  return wrong;
}

/** The plan must say what the declaration says: stages in order, regions, accounts, one-box, bakes. */
function planMismatches(release: any, plan: ReleasePlan): string[] {
  const wrong: string[] = [];
  const pre: any[] = release.preProduction ?? [];
  const waves: any[] = release.production.waves;
  const expectedNames = [...pre.map((s) => s.name), ...waves.map((w, i) => w.name ?? defaultWaveName(i))];
  const names = plan.stages.map((s) => s.name);
  if (JSON.stringify(names) !== JSON.stringify(expectedNames)) wrong.push(`stages ${names} instead of ${expectedNames}`);
  plan.stages.forEach((stage, s) => {
    const declared = s < pre.length ? pre[s] : waves[s - pre.length];
    if (!declared) return;
    const regions = stage.regions.map((r) => r.region);
    if (JSON.stringify(regions) !== JSON.stringify(declared.regions)) wrong.push(`${stage.name}: regions ${regions} instead of ${declared.regions}`);
    const production = s >= pre.length;
    const w = s - pre.length;
    const account = production ? declared.account ?? release.production.account : declared.account;
    const oneBox = production ? release.production.oneBox ?? true : declared.oneBox ?? false;
    const early = w < RELEASE_DEFAULTS.earlyWaves;
    const waveDefault = early ? RELEASE_DEFAULTS.earlyWaveBakeMinutes : RELEASE_DEFAULTS.laterWaveBakeMinutes;
    const fleetMinutes = production
      ? declared.bake?.minutes ?? release.production.bake?.minutes ?? waveDefault
      : declared.bake?.minutes ?? RELEASE_DEFAULTS.preProductionBakeMinutes;
    for (const region of stage.regions) {
      if (region.account !== account) wrong.push(`${stage.name}/${region.region}: account ${region.account} instead of ${account}`);
      if (Boolean(region.oneBox) !== oneBox) wrong.push(`${stage.name}/${region.region}: one-box ${Boolean(region.oneBox)} instead of ${oneBox}`);
      if (region.fleet.bake.minutes !== fleetMinutes) wrong.push(`${stage.name}/${region.region}: bake ${region.fleet.bake.minutes} instead of ${fleetMinutes}`);
      if (production !== (region.window !== undefined)) wrong.push(`${stage.name}/${region.region}: window ${region.window !== undefined}`);
    }
  });
  return wrong;
}

describe('validation properties (issue 13)', () => {
  test(`${RUNS} generated declarations: a clear error or a matching plan, never a crash, never an invalid one accepted`, () => {
    const counts = { error: 0, valid: 0, crash: 0, invalidAccepted: 0, validRefused: 0 };
    const failures: string[] = [];
    fc.assert(fc.property(mutatedCase(), (c) => {
      const result = outcome(c);
      counts[result.kind]++;
      const wrong = verdict(c, result);
      if (result.kind === 'valid' && c.invalidAt) counts.invalidAccepted++;
      if (result.kind === 'error' && !c.invalidAt) counts.validRefused++;
      if (wrong.length > 0 && failures.length < 5) failures.push(`${c.name}: ${JSON.stringify(c.release).slice(0, 400)} -> ${wrong.join('; ')}`);
      return true;
    }), { seed: SEED, numRuns: RUNS });
    console.log(`validation property test, seed ${SEED}: ${RUNS} generated -> ${counts.error} errors, ${counts.valid} valid, ${counts.crash} crashes, ${counts.invalidAccepted} invalid accepted, ${counts.validRefused} valid refused`);
    expect(failures).toEqual([]);
    expect(counts.crash).toBe(0);
    expect(counts.invalidAccepted).toBe(0);
    // The generator must exercise both sides, or the property says little.
    expect(counts.valid).toBeGreaterThan(100);
    expect(counts.error).toBeGreaterThan(500);
  });

  test.each(ISSUE_CASES.map((c) => [c.name, c] as const))('issue case: %s', (_name, c) => {
    const result = outcome(c);
    expect(verdict(c, result)).toEqual([]);
    expect(result.kind).toBe('error');
  });

  test.each(VALID_CASES.map((c) => [c.name, c] as const))('valid case: %s', (_name, c) => {
    const result = outcome(c);
    expect(verdict(c, result)).toEqual([]);
    expect(result.kind).toBe('valid');
  });

  test('the table covers every case of the issue and the counts add up', () => {
    const results = [...ISSUE_CASES, ...VALID_CASES].map((c) => outcome(c).kind);
    console.log(`validation issue table: ${results.length} cases -> ${results.filter((k) => k === 'error').length} errors, ${results.filter((k) => k === 'valid').length} valid, ${results.filter((k) => k === 'crash').length} crashes`);
    expect(results.filter((k) => k === 'crash')).toEqual([]);
    expect(results.filter((k) => k === 'valid')).toHaveLength(VALID_CASES.length);
  });
});
