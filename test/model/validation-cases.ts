/**
 * Release declarations for the property tests of validation: a generator of valid declarations,
 * mutations that each make a declaration invalid at a known field (the oracle: which field, which
 * value), and the table of every case listed in issue 13.
 */
import * as fc from 'fast-check';
import { knownRegions } from '../../lib/model/regions';
import { valueText } from '../../lib/model/value-text';

/** A declaration (any shape: users of JavaScript and JSON can write anything) and its options. */
export interface Case {
  readonly name: string;
  readonly release: any;
  readonly options: any;
  /** Undefined when the case is valid; else the fields where an error must be reported. */
  readonly invalidAt?: Expectation[];
}

/** One problem the validator must report: at `path` (or below it), naming `value`. */
export interface Expectation {
  /** Any of these paths (a problem at or below one of them counts). */
  readonly paths: string[];
  /** Text the message must contain (the bad value as shown, or a fixed phrase). */
  readonly mentions?: string;
}

export const FIX_WORDS = /\b(use|set|write|remove|rename|did you mean|give|choose|move|expected|split|put|list|shorten|declare|deploy|synthesize|upgrade|add|bake)\b/i;

export const PIPELINE = 'orders';
export const ACCOUNTS = ['222222222222', '333333333333'];

const PRE_NAMES = ['alpha', 'integ', 'beta', 'perf', 'gamma', 'zeta'];
const WAVE_NAMES = ['Wave-A', 'Europe', 'Americas', 'Asia', 'Wave-Z'];

/** A valid declaration: what a careful user writes. */
export function validDeclaration(): fc.Arbitrary<any> {
  const regions = knownRegions();
  const bake = (maxMinutes: number) => fc.option(fc.integer({ min: 0, max: maxMinutes }).chain((minutes) => fc.record({
    minutes: fc.constant(minutes),
    minHealthyDatapoints: fc.option(fc.integer({ min: 0, max: Math.min(minutes, 30) }), { nil: undefined }),
    noData: fc.option(fc.constantFrom('FAIL', 'PASS_WITH_WARNING'), { nil: undefined }),
  }, { requiredKeys: ['minutes'] })), { nil: undefined });
  const pre = fc.subarray(PRE_NAMES, { maxLength: 3 }).chain((names) => fc.tuple(...names.map((name) => fc.record({
    name: fc.constant(name),
    account: fc.constantFrom(...ACCOUNTS),
    regions: fc.uniqueArray(fc.constantFrom(...regions), { minLength: 1, maxLength: 3 }),
    bake: bake(120),
    oneBox: fc.option(fc.boolean(), { nil: undefined }),
    validations: fc.option(fc.subarray(['Integ', 'Load-Tests', 'a11y'], { minLength: 1 }).map((vs) => vs.map((v) => ({ name: v, commands: ['npm test'] }))), { nil: undefined }),
  }, { requiredKeys: ['name', 'account', 'regions'] }))));
  const production = fc.shuffledSubarray(regions, { minLength: 1, maxLength: 8 }).chain((picked) =>
    fc.array(fc.integer({ min: 1, max: 3 }), { minLength: picked.length, maxLength: picked.length }).chain((sizes) => {
      const groups: string[][] = [];
      for (let i = 0, s = 0; i < picked.length; i += sizes[s++]) groups.push(picked.slice(i, i + sizes[s]));
      const multi = groups.some((g) => g.length > 1);
      return fc.record({
        account: fc.constantFrom(...ACCOUNTS),
        oneBox: fc.option(fc.boolean(), { nil: undefined }),
        bake: fc.option(fc.integer({ min: 0, max: 240 }).map((minutes) => ({ minutes })), { nil: undefined }),
        maxWindowHoldMinutes: fc.option(fc.integer({ min: 1, max: 10_020 }), { nil: undefined }),
        // Regions of a wave start together; one UTC window keeps multi-region waves startable.
        window: multi
          ? fc.record({ timeZone: fc.constant('UTC'), weekdays: fc.constant(['MON', 'TUE', 'WED']), startHour: fc.integer({ min: 0, max: 12 }), endHour: fc.integer({ min: 13, max: 24 }) })
          : fc.constant(undefined),
        waves: fc.tuple(...groups.map((g, w) => fc.record({
          regions: fc.constant(g),
          name: w < WAVE_NAMES.length ? fc.option(fc.constant(WAVE_NAMES[w]), { nil: undefined }) : fc.constant(undefined),
          bake: bake(600),
          oneBoxBake: bake(60),
        }, { requiredKeys: ['regions'] }))),
      }, { requiredKeys: ['account', 'waves', 'window'] });
    }));
  return fc.record({ preProduction: fc.option(pre, { nil: undefined }), production }, { requiredKeys: ['production'] }).map(withoutUndefined);
}

/** JSON has no `undefined`: drop the keys fast-check left undefined, as a JSON user would. */
function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutUndefined) as unknown as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, withoutUndefined(v)])) as T;
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Mutations: each makes the declaration invalid at a known field, or says it cannot apply
// ---------------------------------------------------------------------------------------------

type Mutation = (c: { release: any; options: any }, pick: (n: number) => number) => Expectation | undefined;

const WRONG_TYPE: Record<string, unknown[]> = {
  string: [null, 15, true, ['x'], {}, Infinity],
  integer: [null, '15', 'false', true, [], {}, Infinity, -Infinity, NaN, 1.5, -1, 'x'.repeat(10_000)],
  boolean: [null, 'false', 'true', 0, 1, [], {}],
  array: [null, 'MON', 'npm test', '2026-12-24', 15, false, {}],
  object: [null, 15, 'x', true, []],
};

/** Fields of a declaration with the type the schema wants, as [path, parent, key, type]. */
function fields(release: any): Array<[string, any, string, string]> {
  const out: Array<[string, any, string, string]> = [];
  const bakeFields = (b: any, at: string) => {
    if (!b || typeof b !== 'object') return;
    if ('minutes' in b) out.push([`${at}.minutes`, b, 'minutes', 'integer']);
    if ('minHealthyDatapoints' in b) out.push([`${at}.minHealthyDatapoints`, b, 'minHealthyDatapoints', 'integer']);
  };
  (release.preProduction ?? []).forEach((s: any, i: number) => {
    const at = `preProduction[${i}]`;
    out.push([`${at}.name`, s, 'name', 'string'], [`${at}.account`, s, 'account', 'string'], [`${at}.regions`, s, 'regions', 'array']);
    out.push([`${at}.bake`, s, 'bake', 'object'], [`${at}.oneBox`, s, 'oneBox', 'boolean'], [`${at}.validations`, s, 'validations', 'array']);
    bakeFields(s.bake, `${at}.bake`);
  });
  const p = release.production;
  out.push(['production.waves', p, 'waves', 'array'], ['production.account', p, 'account', 'string'], ['production.oneBox', p, 'oneBox', 'boolean']);
  out.push(['production.bake', p, 'bake', 'object'], ['production.window', p, 'window', 'object'], ['production.maxWindowHoldMinutes', p, 'maxWindowHoldMinutes', 'integer']);
  bakeFields(p.bake, 'production.bake');
  if (p.window) {
    out.push(['production.window.weekdays', p.window, 'weekdays', 'array'], ['production.window.startHour', p.window, 'startHour', 'integer']);
    out.push(['production.window.timeZone', p.window, 'timeZone', 'string'], ['production.window.blackouts', p.window, 'blackouts', 'array']);
  }
  p.waves.forEach((w: any, i: number) => {
    const at = `production.waves[${i}]`;
    out.push([`${at}.regions`, w, 'regions', 'array'], [`${at}.name`, w, 'name', 'string'], [`${at}.bake`, w, 'bake', 'object'], [`${at}.oneBoxBake`, w, 'oneBoxBake', 'object']);
    bakeFields(w.bake, `${at}.bake`);
  });
  return out;
}

const MUTATIONS: Mutation[] = [
  // A value of the wrong type (null, a string for a number, a single value for a list, ...).
  ({ release }, pick) => {
    const all = fields(release);
    const [path, parent, key, type] = all[pick(all.length)];
    const values = WRONG_TYPE[type];
    const value = values[pick(values.length)];
    parent[key] = value;
    return { paths: [path], mentions: valueText(value) };
  },
  // An unknown key: a typo of a known one, or a key of another level.
  ({ release }, pick) => {
    const spots: Array<[any, string, string[]]> = [[release, '', ['preproduction', 'Production', 'waves', 'pipelineName']]];
    (release.preProduction ?? []).forEach((s: any, i: number) => spots.push([s, `preProduction[${i}]`, ['window', 'bakee', 'regoins', 'Name', 'oneBoxBake']]));
    release.production.waves.forEach((w: any, i: number) => spots.push([w, `production.waves[${i}]`, ['oneBox', 'bakee', 'windows', 'acount', 'validation']]));
    spots.push([release.production, 'production', ['wave', 'onebox', 'windows', 'maxWindowHold']]);
    const [obj, at, keys] = spots[pick(spots.length)];
    const key = keys[pick(keys.length)];
    obj[key] = key === 'preproduction' ? [{ name: 'beta', account: ACCOUNTS[0], regions: ['us-east-1'] }] : pick(2) ? true : {};
    return { paths: [at ? `${at}.${key}` : key], mentions: 'is not a known field' };
  },
  // A required field removed.
  ({ release }, pick) => {
    const spots: Array<[any, string, string]> = [[release.production, 'production', 'waves'], [release, '', 'production']];
    (release.preProduction ?? []).forEach((s: any, i: number) => ['name', 'account', 'regions'].forEach((k) => spots.push([s, `preProduction[${i}]`, k])));
    release.production.waves.forEach((w: any, i: number) => spots.push([w, `production.waves[${i}]`, 'regions']));
    const [obj, at, key] = spots[pick(spots.length)];
    delete obj[key];
    return { paths: [at ? `${at}.${key}` : key], mentions: 'is missing' };
  },
  // A name no derived name can carry, or one CDK Pipelines uses itself.
  ({ release }, pick) => {
    const bad = ['beta.1', 'beta_2', '1beta', 'Build', 'UpdatePipeline', 'Source', 'Assets', 'SelfMutate', '', 'x'.repeat(65), '...', 'beta 2', 'a/b'];
    const value = bad[pick(bad.length)];
    const stages = [...(release.preProduction ?? []).map((s: any, i: number) => [s, `preProduction[${i}]`]), ...release.production.waves.map((w: any, i: number) => [w, `production.waves[${i}]`])];
    const [obj, at] = stages[pick(stages.length)];
    obj.name = value;
    return { paths: [`${at}.name`], mentions: valueText(value) };
  },
  // Two stages whose names derive the same target ids (same name in another case, or the same slug).
  ({ release }) => {
    const pre = release.preProduction ?? [];
    const taken = new Set(pre.map((s: any) => String(s.name).toLowerCase()));
    if (taken.has('integ-1')) return undefined;
    if (!taken.has('integ')) pre.push({ name: 'integ', account: ACCOUNTS[0], regions: ['us-east-1'] });
    pre.push({ name: 'integ--1', account: ACCOUNTS[0], regions: ['us-east-1'] }, { name: 'integ-1', account: ACCOUNTS[0], regions: ['us-east-1'] });
    release.preProduction = pre;
    return { paths: [`preProduction[${pre.length - 1}].name`, `preProduction[${pre.length - 2}].name`], mentions: 'both become "integ-1"' };
  },
  // A region that is not a commercial AWS region (misspelt, another partition, absurdly long).
  ({ release }, pick) => {
    const bad = ['us-east-9', 'us-gov-west-1', 'cn-north-1', 'cn-northwest-1', 'us-iso-east-1', 'us-isob-east-1', 'eusc-de-east-1', '', 'x'.repeat(10_000), 'US-EAST-1'];
    const value = bad[pick(bad.length)];
    const lists = [...(release.preProduction ?? []).map((s: any, i: number) => [s.regions, `preProduction[${i}].regions`]), ...release.production.waves.map((w: any, i: number) => [w.regions, `production.waves[${i}].regions`])];
    const [regions, at] = lists[pick(lists.length)];
    const r = pick(regions.length);
    regions[r] = value;
    return { paths: [`${at}[${r}]`], mentions: valueText(value) };
  },
  // A production region in two waves.
  ({ release }) => {
    const waves = release.production.waves;
    const region = waves[0].regions[0];
    waves.push({ regions: [region] });
    // The first occurrence is listed too: a later mutation there takes the duplicate away.
    return { paths: [`production.waves[${waves.length - 1}].regions[0]`, 'production.waves[0].regions'], mentions: 'already deployed' };
  },
  // Numbers beyond what AWS accepts downstream.
  ({ release }, pick) => {
    const p = release.production;
    const spots: Array<() => Expectation> = [
      () => { p.maxWindowHoldMinutes = [10_021, 10_080, 1e9][pick(3)]; return { paths: ['production.maxWindowHoldMinutes'], mentions: valueText(p.maxWindowHoldMinutes) }; },
      () => { const w = pick(p.waves.length); p.waves[w].bake = { minutes: [10_021, 10_080, 86_400][pick(3)] }; return { paths: [`production.waves[${w}].bake.minutes`], mentions: valueText(p.waves[w].bake.minutes) }; },
      () => { const w = pick(p.waves.length); p.waves[w].bake = { minutes: 10, minHealthyDatapoints: 11 + pick(100) }; return { paths: [`production.waves[${w}].bake.minHealthyDatapoints`], mentions: 'cannot be reached' }; },
      () => { p.bake = { minutes: 10, minHealthyDatapoints: 11 + pick(100) }; return { paths: ['production.bake.minHealthyDatapoints'], mentions: 'cannot be reached' }; },
      () => { p.window = { ...p.window, startHour: 24 }; return { paths: ['production.window.startHour'], mentions: '24' }; },
      () => { p.window = { ...p.window, startHour: 18, endHour: 9 }; return { paths: ['production.window.endHour'], mentions: '9' }; },
    ];
    return spots[pick(spots.length)]();
  },
  // Account ids that are not 12 digits (or not strings).
  ({ release }, pick) => {
    const bad: unknown[] = ['1234', '1234-5678-9012', 123456789012, '', ' 123456789012'];
    const value = bad[pick(bad.length)];
    release.production.account = value;
    return { paths: ['production.account'], mentions: value === '' ? 'is empty' : valueText(value) };
  },
  // Pipeline names CodePipeline refuses, or that slug to nothing.
  ({ options }, pick) => {
    const bad: unknown[] = [123, '...', 'bad name!', 'x'.repeat(101), null, '', '@@'];
    const value = bad[pick(bad.length)];
    options.pipelineName = value;
    return { paths: ['pipelineName'], mentions: valueText(value) };
  },
  // Window fields: blackouts, weekdays, time zones.
  ({ release }, pick) => {
    const p = release.production;
    const spots: Array<() => Expectation> = [
      () => { p.window = { ...p.window, blackouts: ['2026-02-30'] }; return { paths: ['production.window.blackouts[0]'], mentions: '2026-02-30' }; },
      () => { p.window = { ...p.window, blackouts: ['2026-12-24..2026-12-01'] }; return { paths: ['production.window.blackouts[0]'], mentions: 'ends before it starts' }; },
      () => { p.window = { ...p.window, weekdays: ['MON', 'MON'] }; return { paths: ['production.window.weekdays[1]'], mentions: 'listed twice' }; },
      () => { p.window = { ...p.window, weekdays: ['Mon'] }; return { paths: ['production.window.weekdays[0]'], mentions: '"Mon"' }; },
      () => { p.window = { ...p.window, weekdays: [] }; return { paths: ['production.window.weekdays'], mentions: 'no weekday' }; },
      () => { p.window = { ...p.window, timeZone: 'Europe/Dublinn' }; return { paths: ['production.window.timeZone'], mentions: 'did you mean "Europe/Dublin"' }; },
      () => { p.window = { ...p.window, timeZone: 'x'.repeat(10_000) }; return { paths: ['production.window.timeZone'], mentions: '10000 characters' }; },
    ];
    return spots[pick(spots.length)]();
  },
];

/** A declaration from `validDeclaration` with 0 to 3 mutations applied; the mutations say where it broke. */
export function mutatedCase(): fc.Arbitrary<Case> {
  const seedList = fc.array(fc.nat(), { minLength: 8, maxLength: 8 });
  return fc.tuple(validDeclaration(), fc.array(fc.tuple(fc.nat(MUTATIONS.length - 1), seedList), { maxLength: 3 }))
    .map(([base, mutations]) => {
      const c = { release: structuredClone(base), options: { pipelineName: PIPELINE } };
      const invalidAt: Expectation[] = [];
      for (const [m, seeds] of mutations) {
        let s = 0;
        const pick = (n: number) => (n <= 0 ? 0 : seeds[s++ % seeds.length] % n);
        // Mutations read the declaration's structure; once an earlier one broke it, later ones may not apply.
        try {
          const expectation = MUTATIONS[m](c, pick);
          if (expectation) {
            // A later mutation at, above or below an earlier one's field replaces what that one broke.
            const related = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`) || b.startsWith(`${a}.`) || b.startsWith(`${a}[`);
            const kept = invalidAt.filter((e) => !e.paths.some((p) => expectation.paths.some((q) => related(p, q))));
            invalidAt.splice(0, invalidAt.length, ...kept, expectation);
          }
        } catch {
          // Not applicable to this shape: the declaration stays as the earlier mutations left it.
        }
      }
      return { name: `mutations ${mutations.map(([m]) => m).join(',') || 'none'}`, release: c.release, options: c.options, invalidAt: invalidAt.length ? invalidAt : undefined };
    });
}

// ---------------------------------------------------------------------------------------------
// The table: every case issue 13 lists
// ---------------------------------------------------------------------------------------------

const A = ACCOUNTS[0];
const B = ACCOUNTS[1];
function declaration(over: { pre?: any; prod?: any } = {}): any {
  return {
    preProduction: over.pre ?? [{ name: 'beta', account: A, regions: ['us-west-2'] }],
    production: { account: B, waves: [{ regions: ['eu-west-1'] }, { regions: ['us-east-1'] }], ...over.prod },
  };
}
const opts = (pipelineName: unknown = PIPELINE) => ({ pipelineName });
const at = (paths: string | string[], mentions?: string): Expectation => ({ paths: Array.isArray(paths) ? paths : [paths], mentions });

export const ISSUE_CASES: Case[] = [
  // Crashes
  { name: 'weekdays: "MON"', release: declaration({ prod: { window: { weekdays: 'MON' } } }), options: opts(), invalidAt: [at('production.window.weekdays', 'write it in brackets, e.g. ["MON"]')] },
  { name: 'preProduction: {}', release: { ...declaration(), preProduction: {} }, options: opts(), invalidAt: [at('preProduction', '{}')] },
  { name: 'bake: null', release: declaration({ prod: { bake: null } }), options: opts(), invalidAt: [at('production.bake', 'null')] },
  { name: 'blackouts: "2026-12-24"', release: declaration({ prod: { window: { blackouts: '2026-12-24' } } }), options: opts(), invalidAt: [at('production.window.blackouts', '["2026-12-24"]')] },
  { name: 'validations: "npm test"', release: declaration({ pre: [{ name: 'beta', account: A, regions: ['us-west-2'], validations: 'npm test' }] }), options: opts(), invalidAt: [at('preProduction[0].validations', '"npm test"')] },
  { name: 'pipelineName: 123', release: declaration(), options: opts(123), invalidAt: [at('pipelineName', 'write it in quotes: "123"')] },
  { name: 'a wave name that is not a string', release: declaration({ prod: { waves: [{ name: 7, regions: ['eu-west-1'] }] } }), options: opts(), invalidAt: [at('production.waves[0].name', 'write it in quotes: "7"')] },
  ...['beta.1', 'beta_2', '1beta'].map((name): Case => ({ name: `stage name ${name}`, release: declaration({ pre: [{ name, account: A, regions: ['us-west-2'] }] }), options: opts(), invalidAt: [at('preProduction[0].name', `"${name}" is not a valid stage name`)] })),
  ...['Build', 'UpdatePipeline', 'Source', 'Assets', 'SelfMutate', 'build'].map((name): Case => ({ name: `wave named ${name}`, release: declaration({ prod: { waves: [{ name, regions: ['eu-west-1'] }] } }), options: opts(), invalidAt: [at('production.waves[0].name', 'CDK Pipelines adds itself')] })),
  { name: 'pre-production stage named Assets', release: declaration({ pre: [{ name: 'Assets', account: A, regions: ['us-west-2'] }] }), options: opts(), invalidAt: [at('preProduction[0].name', 'CDK Pipelines adds itself')] },
  // Silently accepted
  { name: 'preproduction instead of preProduction', release: { preproduction: [{ name: 'beta', account: A, regions: ['us-west-2'] }], production: declaration().production }, options: opts(), invalidAt: [at('preproduction', 'did you mean "preProduction"?')] },
  { name: 'bakee', release: declaration({ prod: { waves: [{ regions: ['eu-west-1'], bakee: { minutes: 5 } }] } }), options: opts(), invalidAt: [at('production.waves[0].bakee', 'did you mean "bake"?')] },
  { name: 'window on a pre-production stage', release: declaration({ pre: [{ name: 'beta', account: A, regions: ['us-west-2'], window: { startHour: 9 } }] }), options: opts(), invalidAt: [at('preProduction[0].window', '"window" belongs to production or a production wave')] },
  { name: 'oneBox on a wave', release: declaration({ prod: { waves: [{ regions: ['eu-west-1'], oneBox: false }] } }), options: opts(), invalidAt: [at('production.waves[0].oneBox', '"oneBox" belongs to')] },
  { name: 'oneBox: "false"', release: declaration({ prod: { oneBox: 'false' } }), options: opts(), invalidAt: [at('production.oneBox', 'write false without quotes')] },
  { name: 'bake: 15', release: declaration({ prod: { bake: 15 } }), options: opts(), invalidAt: [at('production.bake', 'write { minutes: 15 }')] },
  { name: 'a bake of 10,080 minutes', release: declaration({ prod: { bake: { minutes: 10_080 } } }), options: opts(), invalidAt: [at('production.bake.minutes', 'use at most 10020')] },
  { name: 'maxWindowHoldMinutes: 1e9', release: declaration({ prod: { maxWindowHoldMinutes: 1e9 } }), options: opts(), invalidAt: [at('production.maxWindowHoldMinutes', 'use at most 10020')] },
  { name: 'minHealthyDatapoints unreachable in the bake', release: declaration({ prod: { waves: [{ regions: ['eu-west-1'], bake: { minutes: 10, minHealthyDatapoints: 20 } }] } }), options: opts(), invalidAt: [at('production.waves[0].bake.minHealthyDatapoints', 'use at most 10')] },
  { name: 'minHealthyDatapoints inherited by a later wave with a shorter default bake', release: declaration({ prod: { bake: { minHealthyDatapoints: 45 }, waves: [{ regions: ['eu-west-1'] }, { regions: ['us-east-1'] }, { regions: ['us-west-2'] }] } }), options: opts(), invalidAt: [at('production.bake.minHealthyDatapoints', 'wave 3')] },
  { name: 'integ-1 and integ--1', release: declaration({ pre: [{ name: 'integ-1', account: A, regions: ['us-west-2'] }, { name: 'integ--1', account: A, regions: ['us-west-2'] }] }), options: opts(), invalidAt: [at('preProduction[1].name', 'both become "integ-1"')] },
  { name: 'pipeline name "..."', release: declaration(), options: opts('...'), invalidAt: [at('pipelineName', 'has no letter or digit')] },
  // Unhelpful messages
  { name: 'Infinity minutes', release: declaration({ prod: { bake: { minutes: Infinity } } }), options: opts(), invalidAt: [at('production.bake.minutes', 'Infinity is not a finite number')] },
  { name: 'an account id given as a number', release: declaration({ prod: { account: 123456789012 } }), options: opts(), invalidAt: [at('production.account', 'write it in quotes: "123456789012"')] },
  { name: 'regions: false', release: declaration({ prod: { waves: [{ regions: false }] } }), options: opts(), invalidAt: [at('production.waves[0].regions', 'false is a boolean')] },
  { name: 'a GovCloud region', release: declaration({ prod: { waves: [{ regions: ['us-gov-west-1'] }] } }), options: opts(), invalidAt: [at('production.waves[0].regions[0]', 'AWS GovCloud (US) region')] },
  { name: 'a China region', release: declaration({ pre: [{ name: 'beta', account: A, regions: ['cn-north-1'] }] }), options: opts(), invalidAt: [at('preProduction[0].regions[0]', 'AWS China region')] },
  { name: 'an ISO region', release: declaration({ prod: { waves: [{ regions: ['us-iso-east-1'] }] } }), options: opts(), invalidAt: [at('production.waves[0].regions[0]', 'AWS ISO (US) region')] },
  { name: 'a 10,000-character time zone', release: declaration({ prod: { window: { timeZone: 'Europe/'.padEnd(10_000, 'x') } } }), options: opts(), invalidAt: [at('production.window.timeZone', '10000 characters')] },
  // All at once
  {
    name: 'bake: null does not hide five other problems',
    release: {
      preProduction: [{ name: 'beta.1', account: '1234', regions: ['us-east-9'], bake: null }],
      production: { account: B, oneBox: 'yes', waves: [{ regions: ['eu-west-1'], bakee: {} }], maxWindowHoldMinutes: -3 },
    },
    options: opts(),
    invalidAt: [
      at('preProduction[0].bake', 'null'), at('preProduction[0].name', '"beta.1"'), at('preProduction[0].account', '"1234"'),
      at('preProduction[0].regions[0]', 'did you mean "us-east-1"'), at('production.oneBox', '"yes"'), at('production.waves[0].bakee', 'did you mean "bake"'),
      at('production.maxWindowHoldMinutes', '-3'),
    ],
  },
];

/** Valid declarations of the table: opt-in regions, every field set, custom stages between standard ones. */
export const VALID_CASES: Case[] = [
  { name: 'opt-in regions', release: declaration({ prod: { waves: [{ regions: ['af-south-1'] }, { regions: ['me-south-1'] }, { regions: ['ap-east-1'] }] } }), options: opts() },
  {
    name: 'every field set',
    release: {
      preProduction: [
        { name: 'alpha', account: A, regions: ['us-west-2'], oneBox: true, bake: { minutes: 10, minHealthyDatapoints: 10, noData: 'PASS_WITH_WARNING' }, validations: [{ name: 'Integ', commands: ['npm run integ'], kind: 'INTEGRATION' }] },
        { name: 'integ-2', account: A, regions: ['us-east-1', 'eu-west-1'] },
        { name: 'gamma', account: A, regions: ['us-east-1'], bake: { minutes: 30 } },
      ],
      production: {
        account: B,
        oneBox: true,
        bake: { minutes: 45, minHealthyDatapoints: 15 },
        oneBoxBake: { minutes: 20 },
        maxWindowHoldMinutes: 10_020,
        window: { timeZone: 'UTC', weekdays: ['MON', 'TUE'], startHour: 8, endHour: 18, blackouts: ['2026-12-24..2026-12-26'], publicHolidays: false },
        waves: [
          { name: 'Europe', account: B, regions: ['eu-west-1', 'eu-central-1'], bake: { minutes: 10_020 } },
          { regions: ['us-east-1'], window: { timeZone: 'America/New_York', holidayCountry: 'US' } },
        ],
      },
    },
    options: { pipelineName: 'Orders.Service@v2_main', stacksPerTarget: 2 },
  },
  { name: 'no pre-production, one wave', release: { production: { account: B, waves: [{ regions: ['us-east-1'] }] } }, options: opts() },
];
