// Whole-release drills: the example's pipeline, read from its synthesized templates, running in an
// emulated AWS with the REAL release controller, minute by minute of simulated time. Every drill
// checks the invariants of test/drills/invariants.ts; docs/drills.md explains them and holds the
// latest results (DRILLS_WRITE_DOCS=1 npx jest test/drills rewrites them).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AlarmPath, DrillResult, runDrill } from './drill-runner';
import { synthesizeExample, SynthesizedApp } from './emulator/synthesized-app';
import { GradualServiceFactory } from './gradual-service';
import { latencyTable, violationList, writeResults } from './latency-table';
import { drills, LONG_BAKE_MINUTES } from './scenarios';
import { ORDERS_RELEASE } from '../../examples/app';

const outdirs: string[] = [];
function synth(name: string, release = ORDERS_RELEASE, alarmRollback = true): SynthesizedApp {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `wave-drills-${name}-`));
  outdirs.push(dir);
  return synthesizeExample(dir, release, { stageFactory: new GradualServiceFactory(alarmRollback) });
}

// Synthesized once for the whole file: the example as it is, and the same release with 20-hour
// production bakes and one more gamma validation (the night drill, and the new pipeline structure
// of the structure-change drill).
const example = synth('example');
const preProduction = ORDERS_RELEASE.preProduction ?? [];
const gamma = preProduction.find((s) => s.name === 'gamma')!;
const longBake = synth('long-bake', {
  ...ORDERS_RELEASE,
  preProduction: preProduction.map((s) => (s !== gamma ? s : {
    ...gamma, validations: [...(gamma.validations ?? []), { name: 'SmokeTests', commands: ['npm ci', 'npm run smoke'] }],
  })),
  production: { ...ORDERS_RELEASE.production, bake: { minutes: LONG_BAKE_MINUTES, minHealthyDatapoints: 10 } },
});
// The example with every target's alarm rollback turned off: the drills of the controller's own
// rollback paths (forwarded event, sweep, interrupted rollbacks), which the alarm rollback would
// otherwise beat to it.
const controllerOnly = synth('controller-only', ORDERS_RELEASE, false);
const results: DrillResult[] = [];

afterAll(() => {
  outdirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
  const table = latencyTable(results);
  // eslint-disable-next-line no-console
  console.log(`Drill results (simulated seconds from the health alarm entering ALARM to the rollback starting):\n\n${table}\n\n${violationList(results)}`);
  writeResults(path.join(__dirname, '..', '..', 'docs', 'drills.md'), process.env.DRILLS_RESULTS_TITLE ?? 'current', results);
});

/**
 * Drills that still break an invariant, with the open defect that breaks it (issue 12 stays open
 * until this list is empty). They run as `test.failing`: each must still fail, so fixing a defect
 * turns its drill red here until it is taken off the list. The invariants are never weakened.
 */
const KNOWN_FAILURES: Array<[RegExp, string]> = [];

describe('whole-release drills of the example pipeline', () => {
  const cases = drills({ longBake }).flatMap((drill) => (drill.alarm ? ['event', 'lost'] : ['event']).map((p) => ({ drill, path: p as AlarmPath })));
  const known = (name: string) => KNOWN_FAILURES.find(([pattern]) => pattern.test(name))?.[1];
  const run = async (c: typeof cases[number]) => {
    const apps = { example, longBake, controllerOnly };
    const result = await runDrill(c.drill, c.path, apps[c.drill.app ?? 'example']);
    results.push(result);
    expect(result.violations).toEqual([]);
  };
  for (const c of cases) {
    const name = `${c.drill.name} [alarm path: ${c.path}]`;
    const reason = known(c.drill.name);
    if (reason) {
      test.failing(`${name} -- known open defect: ${reason}`, () => run(c), 300_000);
    } else {
      test(name, () => run(c), 300_000);
    }
  }
});
