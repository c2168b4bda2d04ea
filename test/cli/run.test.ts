import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { memoryIo } from './memory-io';
import { nodeIo } from '../../lib/cli/cli-io';
import { USAGE, runCli } from '../../lib/cli/run';
import { ReleasePlan, planFileName } from '../../lib/model/plan';
import { DUBLIN_ONLY, THREE_WAVES, planOf } from '../fixtures/plans/declarations';

const checkout = planOf(THREE_WAVES);
const planJson = (plan: ReleasePlan = checkout) => JSON.stringify(plan, undefined, 2);
const assembly = (extra: Record<string, string> = {}) => ({ 'cdk.out/manifest.json': '{}', 'cdk.out/wave-pipelines.checkout.plan.json': planJson(), ...extra });

function run(argv: string[], files: Record<string, string> = assembly(), now?: Date, modified?: Record<string, Date>) {
  const io = memoryIo(files, now, modified);
  const code = runCli(argv, io);
  return { code, ...io.out };
}

describe('wave-pipelines plan: text output', () => {
  const { code, stdout, stderr } = run(['plan', '--start', '2025-03-04T08:00:00Z']);

  test('exits 0 and writes nothing to stderr', () => {
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });

  test('the pipeline, its plan file and the simulation settings', () => {
    expect(stdout.startsWith('Pipeline Checkout (account 999999999999, region us-east-1)\n'
      + '  plan file    cdk.out/wave-pipelines.checkout.plan.json\n'
      + '  stop switch  /cdk-wave-pipelines/checkout/stop-all-releases\n'
      + '  window hold  a window gate fails after holding 3 d\n'
      + '  simulation   release starts Tue 2025-03-04 08:00 UTC; each deployment 10 min, each validation 15 min\n')).toBe(true);
  });

  test('stages in order, with regions, accounts, one-box, bakes and each stage\'s window', () => {
    const headings = stdout.split('\n').filter((l) => l.startsWith('Stage '));
    expect(headings).toEqual([
      'Stage 1/4  beta  (pre-production, 1 region in parallel)',
      'Stage 2/4  Prod-Wave-1  (production wave 1, 1 region in parallel)',
      'Stage 3/4  Prod-Wave-2  (production wave 2, 1 region in parallel)',
      'Stage 4/4  Prod-Wave-3  (production wave 3, 2 regions in parallel)',
    ]);
    expect(stdout).toContain('  window       none (deploys as soon as the stage starts)\n'
      + '  us-east-1  account 111111111111  one-box: no  bake: fleet 0 min\n'
      + '    validations  integ (INTEGRATION)\n');
    expect(stdout).toContain('  window       eu-west-1 Mon-Thu 09:00-17:00 Europe/Dublin, closed on IE public holidays\n');
    expect(stdout).toContain('  eu-west-1  account 222222222222  one-box: yes  bake: one-box 30 min, fleet 60 min\n');
    // A wave has one window gate: it opens when the windows of all its regions are open at once.
    expect(stdout).toContain('Stage 4/4  Prod-Wave-3  (production wave 3, 2 regions in parallel)\n'
      + '  starts Tue 2025-03-04 15:50 UTC, ends Tue 2025-03-04 23:05 UTC (7 h 15 min)\n'
      + '  window       opens when every region\'s window is open:\n'
      + '                 us-west-2       Mon-Thu 09:00-17:00 America/Los_Angeles, closed on US-OR public holidays\n'
      + '                 ap-southeast-2  Mon-Thu 09:00-17:00 Australia/Sydney, closed on AU-NSW public holidays\n');
    expect(stdout.match(/ {2}window {7}/g)).toHaveLength(4);
  });

  test('names each public holiday that closes a stage\'s window soon after the start, from the plan\'s dates', () => {
    expect(stdout).toContain('  window       eu-west-1 Mon-Thu 09:00-17:00 Europe/Dublin, closed on IE public holidays\n'
      + '  holidays     closing a window within 60 days of the release start (holiday dates in the plan until 2030-12-31):\n'
      + '                 2025-03-17 St. Patrick’s Day, IE\n'
      + '                 2025-04-21 Easter Monday, IE\n');
    expect(stdout).toContain('  holidays     none close a window within 60 days of the release start (holiday dates in the plan until 2030-12-31)\n');
    // A holiday dropped from the plan is not named: the report reads the plan, not a holiday library.
    const withoutEaster = JSON.parse(planJson());
    withoutEaster.stages[1].regions[0].window.holidays = withoutEaster.stages[1].regions[0].window.holidays.filter((h: { date: string }) => h.date !== '2025-04-21');
    const out = run(['plan', '--start', '2025-03-04T08:00:00Z'], assembly({ 'cdk.out/wave-pipelines.checkout.plan.json': JSON.stringify(withoutEaster) })).stdout;
    expect(out).toContain('2025-03-17 St. Patrick’s Day, IE\n');
    expect(out).not.toContain('Easter Monday, IE');
  });

  test('simulated times of each stage and region, in UTC and region-local time', () => {
    // The wave waits once, until 22:00 UTC, when Sydney opens and Los Angeles is still open;
    // then both regions deploy, each shown in its own local time.
    expect(stdout).toContain('  waits        from Tue 2025-03-04 15:50 UTC\n'
      + '               until Tue 2025-03-04 22:00 UTC, 6 h 10 min later\n'
      + '  us-west-2  account 222222222222  one-box: yes  bake: one-box 15 min, fleet 30 min\n'
      + '    deploys      Tue 2025-03-04 22:00 UTC (Tue 2025-03-04 14:00 America/Los_Angeles)\n'
      + '    ends         Tue 2025-03-04 23:05 UTC (Tue 2025-03-04 15:05 America/Los_Angeles)\n'
      + '  ap-southeast-2  account 222222222222  one-box: yes  bake: one-box 15 min, fleet 30 min\n'
      + '    deploys      Tue 2025-03-04 22:00 UTC (Wed 2025-03-05 09:00 Australia/Sydney)\n'
      + '    ends         Tue 2025-03-04 23:05 UTC (Wed 2025-03-05 10:05 Australia/Sydney)\n');
    // A stage in one time zone shows its wait in local time too.
    expect(stdout).toContain('  waits        from Tue 2025-03-04 10:50 UTC (Tue 2025-03-04 05:50 America/New_York)\n'
      + '               until Tue 2025-03-04 14:00 UTC (Tue 2025-03-04 09:00 America/New_York), 3 h 10 min later\n');
    expect(stdout).toContain('    deploys      Tue 2025-03-04 14:00 UTC (Tue 2025-03-04 09:00 America/New_York)\n');
  });

  test('lead time and outcome', () => {
    expect(stdout).toContain('Release COMPLETED\n'
      + '  from Tue 2025-03-04 08:00 UTC to Tue 2025-03-04 23:05 UTC\n'
      + '  lead time 15 h 5 min (905 min)\n');
  });

  test('the estimated cost of one release', () => {
    expect(stdout).toContain('Estimated pipeline cost of one release: $0.36\n');
    expect(stdout).toContain('  $  0.1800  CodePipeline: CloudFormation deploy actions (90 action-minute x $0.002)\n');
    expect(stdout).toContain('  $  0.0000  CodePipeline: bake and window gates, manual approvals driven by the controller Lambda, '
      + 'not charged (865 action-minute x $0)\n');
    expect(stdout).toContain('Holding the same 270 bake minutes inside a Lambda or Step Functions action would add $0.54 per release');
    expect(stdout).not.toContain('Rollback replay');
  });

  test('the same --start prints the same text', () => {
    expect(run(['plan', '--start', '2025-03-04T09:00:00+01:00'], assembly(), new Date('2030-01-01T00:00:00Z')).stdout).toBe(stdout);
  });
});

describe('wave-pipelines plan: options', () => {
  test('without --start the release starts now, to the minute', () => {
    const { stdout } = run(['plan'], assembly(), new Date('2025-03-07T16:00:42.500Z'));
    expect(stdout).toContain('release starts Fri 2025-03-07 16:00 UTC');
    expect(stdout).toContain('  waits        from Fri 2025-03-07 16:25 UTC (Fri 2025-03-07 16:25 Europe/Dublin)\n'
      + '               until Mon 2025-03-10 09:00 UTC (Mon 2025-03-10 09:00 Europe/Dublin), 2 d 16 h 35 min later\n');
  });

  test('--fail replays a bake failure and its stage rollback', () => {
    const { code, stdout } = run(['plan', '--start', '2025-03-04T08:00:00Z', '--fail', 'prod-wave-2-us-east-1-fleet@20']);
    expect(code).toBe(0);
    expect(stdout).toContain('Release ROLLED_BACK\n'
      + '  from Tue 2025-03-04 08:00 UTC to Tue 2025-03-04 15:30 UTC\n'
      + '  lead time 7 h 30 min (450 min)\n'
      + '  never started: Prod-Wave-3\n');
    expect(stdout).toContain('Rollback replay: prod-wave-2-us-east-1-fleet fails 20 min into its bake\n'
      + '  fails at Tue 2025-03-04 15:10 UTC (Tue 2025-03-04 10:10 America/New_York)\n'
      + "  Prod-Wave-2 fails; CodePipeline's stage rollback redeploys the previous version of every target of Prod-Wave-2 "
      + 'that had started deploying, in every region of the stage, not only us-east-1:\n'
      + '    prod-wave-2-us-east-1-onebox  Tue 2025-03-04 15:10 UTC to Tue 2025-03-04 15:20 UTC\n'
      + '    prod-wave-2-us-east-1-fleet  Tue 2025-03-04 15:20 UTC to Tue 2025-03-04 15:30 UTC\n'
      + '  rolled back: prod-wave-2-us-east-1-onebox, prod-wave-2-us-east-1-fleet\n'
      + '  never started: Prod-Wave-3\n'
      + '  release ends Tue 2025-03-04 15:30 UTC\n');
    expect(stdout).toContain('Stage 4/4  Prod-Wave-3  (production wave 3, 2 regions in parallel)\n  never starts\n');
    expect(stdout).toContain('CodePipeline: CloudFormation deploy actions of the stage rollback (20 action-minute x $0.002)');
  });

  test('a stuck release says why', () => {
    const { stdout } = run(['plan', '--start', '2025-03-14T16:00:00Z']);
    expect(stdout).toContain('Release STUCK\n');
    expect(stdout).toContain('  stuck: Prod-Wave-1 eu-west-1: the window gate fails at 2025-03-17T16:25:00.000Z without deploying, '
      + "because its window next opens at 2025-03-18T09:00:00.000Z, after the gate's 4320-minute hold limit.\n");
    expect(stdout).toContain('               until Mon 2025-03-17 16:25 UTC (Mon 2025-03-17 16:25 Europe/Dublin), 3 d later, the gate gives up\n');
  });

  test('--json prints the plan, the timeline and the cost', () => {
    const { code, stdout } = run(['plan', '--start', '2025-03-04T08:00:00Z', '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.planFile).toBe('cdk.out/wave-pipelines.checkout.plan.json');
    expect(result.plan).toEqual(JSON.parse(planJson()));
    expect(result.timeline.finish).toBe('2025-03-04T23:05:00.000Z');
    expect(result.timeline.leadTimeMinutes).toBe(905);
    expect(result.timeline.entries).toHaveLength(22);
    // 0.022 fixed + 0.18 deploy + 0.03 validation + 0.125 CodeBuild + 0.003883 + 0.000186 Lambda
    expect(result.cost.totalUsd).toBe(0.361069);
  });

  test('--html writes the chart and says where', () => {
    const io = memoryIo(assembly());
    expect(runCli(['plan', '--start', '2025-03-04T08:00:00Z', '--html', 'out/release.html'], io)).toBe(0);
    expect(Object.keys(io.out.written)).toEqual(['out/release.html']);
    expect(io.out.written['out/release.html']).toMatch(/^<!DOCTYPE html>\n/);
    expect(io.out.stdout.endsWith('Timeline written to out/release.html\n')).toBe(true);
  });

  test('--pipeline picks one of several pipelines, by name or by file name', () => {
    const files = assembly({ 'cdk.out/wave-pipelines.payments.plan.json': planJson(planOf(DUBLIN_ONLY, 'Payments')) });
    expect(run(['plan', '--pipeline', 'Payments', '--start', '2025-03-04T08:00:00Z'], files).stdout)
      .toMatch(/^Pipeline Payments \(account 999999999999, region us-east-1\)\n/);
    expect(run(['plan', '--pipeline', 'payments', '--start', '2025-03-04T08:00:00Z'], files).code).toBe(0);
  });

  test('plan files in nested stage assemblies are found', () => {
    const files = {
      'out/manifest.json': '{}',
      'out/assembly-Deploy/manifest.json': '{}',
      'out/assembly-Deploy/wave-pipelines.checkout.plan.json': planJson(),
    };
    const { code, stdout } = run(['plan', '--assembly', 'out', '--start', '2025-03-04T08:00:00Z'], files);
    expect(code).toBe(0);
    expect(stdout).toContain('  plan file    out/assembly-Deploy/wave-pipelines.checkout.plan.json\n');
  });

  test('--help prints the usage', () => {
    const { code, stdout } = run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toBe(USAGE);
    expect(USAGE).toContain('  --fail <target>@<minutes>  replay a failure: <target> fails <minutes> into its bake,\n');
  });
});

describe('wave-pipelines plan: errors', () => {
  test('no assembly directory: run cdk synth first', () => {
    const { code, stderr, stdout } = run(['plan', '--assembly', 'missing.out'], {});
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe('wave-pipelines: No cloud assembly at "missing.out". Run `cdk synth` (or `npm run example` in this '
      + 'repository) first, or point --assembly at the directory cdk synth wrote.\n');
  });

  test('no plan file: the app has no WavePipeline', () => {
    const { code, stderr } = run(['plan'], { 'cdk.out/manifest.json': '{}', 'cdk.out/assembly-Beta/manifest.json': '{}' });
    expect(code).toBe(1);
    expect(stderr).toBe('wave-pipelines: No wave-pipelines plan file in "cdk.out" (looked for wave-pipelines.<pipeline>.plan.json '
      + 'there and in its assembly-* directories): the app has no WavePipeline, or it was synthesized before it had one. '
      + 'Add a WavePipeline to the app and run `cdk synth` again.\n');
  });

  test('a bad --start shows the expected format', () => {
    for (const start of ['friday', '2025-03-07 16:00', '2025-03-07T16:00', '2025-02-30T16:00:00Z']) {
      const { code, stderr } = run(['plan', '--start', start]);
      expect(code).toBe(2);
      expect(stderr).toBe(`wave-pipelines: --start: "${start}" is not a time; expected ISO 8601 with a zone, `
        + 'YYYY-MM-DDTHH:MM[:SS]Z or YYYY-MM-DDTHH:MM[:SS]+HH:MM, e.g. 2025-03-07T16:00:00Z\n');
    }
  });

  test('a bad --fail shows the expected format', () => {
    const { code, stderr } = run(['plan', '--fail', 'prod-wave-1-eu-west-1-fleet']);
    expect(code).toBe(2);
    expect(stderr).toBe('wave-pipelines: --fail: "prod-wave-1-eu-west-1-fleet" is not <target>@<minutes>, '
      + 'e.g. prod-wave-1-eu-west-1-fleet@20\n');
  });

  test('an unknown --fail target lists the targets', () => {
    const { code, stderr } = run(['plan', '--fail', 'prod-wave-9-eu-west-1-fleet@5']);
    expect(code).toBe(2);
    expect(stderr).toBe('wave-pipelines: --fail: "prod-wave-9-eu-west-1-fleet" is not a target of pipeline Checkout; targets are '
      + 'beta-us-east-1-fleet, prod-wave-1-eu-west-1-onebox, prod-wave-1-eu-west-1-fleet, prod-wave-2-us-east-1-onebox, '
      + 'prod-wave-2-us-east-1-fleet, prod-wave-3-us-west-2-onebox, prod-wave-3-us-west-2-fleet, '
      + 'prod-wave-3-ap-southeast-2-onebox, prod-wave-3-ap-southeast-2-fleet\n');
  });

  test('a --fail minute beyond the bake is refused', () => {
    const { code, stderr } = run(['plan', '--fail', 'prod-wave-3-us-west-2-onebox@16']);
    expect(code).toBe(2);
    expect(stderr).toBe('wave-pipelines: --fail: 16 is outside the 15-minute bake of prod-wave-3-us-west-2-onebox; '
      + 'give a minute from 0 to 15\n');
  });

  test('a plan file of another schema version', () => {
    const newer = { ...JSON.parse(planJson()), schemaVersion: 2 };
    const { code, stderr } = run(['plan'], assembly({ 'cdk.out/wave-pipelines.checkout.plan.json': JSON.stringify(newer) }));
    expect(code).toBe(1);
    expect(stderr).toBe('wave-pipelines: Plan file "cdk.out/wave-pipelines.checkout.plan.json" is not a valid release plan:\n'
      + '  - schemaVersion: 2 is not supported; this version of cdk-wave-pipelines reads schemaVersion 1: upgrade cdk-wave-pipelines '
      + 'to the version the app uses\n');
  });

  test('a plan file that is not JSON, or misses fields, names every problem', () => {
    expect(run(['plan'], assembly({ 'cdk.out/wave-pipelines.checkout.plan.json': '{"schemaVersion": 1,' })).stderr)
      .toMatch(/^wave-pipelines: Plan file "cdk\.out\/wave-pipelines\.checkout\.plan\.json" is not JSON \(.+\); run `cdk synth` again to rewrite it\.\n$/);
    const broken = JSON.parse(planJson());
    delete broken.pipelineName;
    broken.stages[1].regions[0].fleet.bake.minutes = '60';
    delete broken.stages[1].regions[0].window.timeZone;
    expect(run(['plan'], assembly({ 'cdk.out/wave-pipelines.checkout.plan.json': JSON.stringify(broken) })).stderr)
      .toBe('wave-pipelines: Plan file "cdk.out/wave-pipelines.checkout.plan.json" is not a valid release plan:\n'
        + '  - pipelineName: is missing; set it to a string\n'
        + '  - stages[1].regions[0].window.timeZone: is missing; set it to a string (IANA time zone the hours are read in)\n'
        + '  - stages[1].regions[0].fleet.bake.minutes: "60" is a string; write 60 without quotes; expected a finite number\n');
  });

  test('several pipelines without --pipeline, or an unknown --pipeline', () => {
    const files = assembly({ 'cdk.out/wave-pipelines.payments.plan.json': planJson(planOf(DUBLIN_ONLY, 'Payments')) });
    expect(run(['plan'], files).stderr)
      .toBe('wave-pipelines: "cdk.out" has 2 pipelines (Checkout, Payments); choose one with --pipeline <name>\n');
    expect(run(['plan', '--pipeline', 'Billing'], files).stderr)
      .toBe('wave-pipelines: --pipeline: no pipeline "Billing" in "cdk.out"; pipelines there: Checkout, Payments\n');
  });

  test('an --html file that cannot be written', () => {
    const { code, stderr } = run(['plan', '--html', '/read-only/release.html']);
    expect(code).toBe(1);
    expect(stderr).toBe('wave-pipelines: --html: cannot write "/read-only/release.html": '
      + "EACCES: permission denied, open '/read-only/release.html'\n");
  });

  test('unknown commands and options print the usage', () => {
    expect(run([]).stderr).toBe(`wave-pipelines: missing command\n\n${USAGE}`);
    expect(run(['deploy']).stderr).toBe(`wave-pipelines: unknown command "deploy"; the commands are \`plan\` and \`bootstrap\`\n\n${USAGE}`);
    const unknown = run(['plan', '--colour']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^wave-pipelines: Unknown option '--colour'/);
  });
});

describe('wave-pipelines plan: a plan file older than the last synth attempt', () => {
  const marker = 'cdk.out/wave-pipelines.checkout.synth-attempt';
  const planPath = 'cdk.out/wave-pipelines.checkout.plan.json';
  const files = assembly({ [marker]: 'started' });
  const at = (iso: string) => new Date(iso);

  test('warns on stderr, names both times, and still shows the plan', () => {
    const { code, stdout, stderr } = run(['plan', '--start', '2025-03-04T08:00:00Z'], files, undefined,
      { [planPath]: at('2025-03-03T10:00:00Z'), [marker]: at('2025-03-04T07:59:00Z') });
    expect(code).toBe(0);
    expect(stderr).toBe('wave-pipelines: warning: the plan file cdk.out/wave-pipelines.checkout.plan.json was written Mon 2025-03-03 10:00 UTC, '
      + 'before the last synth attempt (Tue 2025-03-04 07:59 UTC), which did not finish: it shows the pipeline as of the last successful synth. '
      + 'Run `cdk synth` again and fix its errors to see the current plan.\n');
    expect(stdout).toContain('Release COMPLETED\n');
  });

  test('no warning when the plan was written after the attempt started, or when there is no marker', () => {
    expect(run(['plan'], files, undefined, { [planPath]: at('2025-03-04T07:59:30Z'), [marker]: at('2025-03-04T07:59:00Z') }).stderr).toBe('');
    expect(run(['plan'], files, undefined, { [planPath]: at('2025-03-04T07:59:00Z'), [marker]: at('2025-03-04T07:59:00Z') }).stderr).toBe('');
    expect(run(['plan'], assembly(), undefined, { [planPath]: at('2025-03-03T10:00:00Z') }).stderr).toBe('');
  });
});

describe('wave-pipelines plan: on a real disk', () => {
  test('reads the assembly and writes the chart through nodeIo', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wave-pipelines-'));
    try {
      fs.mkdirSync(path.join(dir, 'cdk.out'));
      fs.writeFileSync(path.join(dir, 'cdk.out', planFileName('Checkout')), planJson());
      const html = path.join(dir, 'release.html');
      const io = nodeIo();
      const stdout: string[] = [];
      io.stdout = (text) => { stdout.push(text); };
      expect(runCli(['plan', '--assembly', path.join(dir, 'cdk.out'), '--start', '2025-03-04T08:00:00Z', '--html', html], io)).toBe(0);
      expect(stdout.join('')).toContain('  lead time 15 h 5 min (905 min)\n');
      expect(fs.readFileSync(html, 'utf-8')).toContain('<svg ');
      expect(io.listDir(html)).toBeUndefined();
      expect(io.listDir(path.join(dir, 'nothing-here'))).toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the checked-in sample plan file is what the model builds today', () => {
    const sample = fs.readFileSync(path.join(__dirname, '../fixtures/plans/wave-pipelines.checkout.plan.json'), 'utf-8');
    expect(JSON.parse(sample)).toEqual(JSON.parse(planJson()));
  });
});
