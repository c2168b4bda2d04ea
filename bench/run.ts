/**
 * Benchmarks of cdk-wave-pipelines (`npm run bench`; not part of `npm test`). Every number is
 * printed next to a baseline measured in the same run, on the same machine, and written with the
 * machine's description and the targets to bench/RESULTS.md.
 *
 * 1. Synth time and template size of a WavePipeline with 1, 10 and 30 production regions, against
 *    a plain CDK Pipelines CodePipeline deploying the same Stage per region (addWave per wave).
 * 2. Growth of synth time with regions: 30 regions against the linear growth of 1 -> 10.
 * 3. Size and cold import time of each Lambda bundle (assets/runtime/<name>/index.js).
 * 4. The example pipeline: the detection-latency bound of the design (health alarm ALARM ->
 *    EventBridge -> controller -> approval rejected; the sweep backstop), and the estimated cost of
 *    one release (the model's simulator and cost estimate on the example's plan).
 */
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import * as zlib from 'zlib';
import * as cdk from 'aws-cdk-lib';
import * as pipelines from 'aws-cdk-lib/pipelines';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { buildExampleApp } from '../examples/app';
import { DeploymentTarget, ReleaseDeclaration, WavePipeline } from '../lib';
import { estimateReleaseCost } from '../lib/model/cost';
import { knownRegions } from '../lib/model/regions';
import { simulateRelease } from '../lib/model/simulate';
import { PIPELINE_ACCOUNT, PROD_ACCOUNT, TinyFactory, TinyServiceStage } from '../test/fixtures/apps';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'bench', 'out');
const lines: string[] = [];
const say = (line = '') => { console.log(line); lines.push(line); };
const fmt = (n: number, digits = 2) => n.toFixed(digits);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// ---------------------------------------------------------------------------------------------
// 1 + 2. Synth time and template size vs plain CDK Pipelines
// ---------------------------------------------------------------------------------------------

/** Production regions split into waves of growing size (at most 12 regions: 4 actions each <= 50). */
function waves(regionCount: number): string[][] {
  const regions = knownRegions().slice(0, regionCount);
  const sizes = [1, 2, 3, 4, 8, 12];
  const out: string[][] = [];
  for (let i = 0, w = 0; i < regions.length; w++) {
    const size = sizes[Math.min(w, sizes.length - 1)];
    out.push(regions.slice(i, i + size));
    i += size;
  }
  return out;
}

function synthSource() {
  return new pipelines.ShellStep('Synth', {
    input: pipelines.CodePipelineSource.connection('org/repo', 'main', { connectionArn: `arn:aws:codeconnections:us-east-1:${PIPELINE_ACCOUNT}:connection/abc` }),
    commands: ['npx cdk synth'],
  });
}

/** WavePipeline, no one-box (so both variants deploy one Stage per region). */
function wavePipelineApp(outdir: string, regionCount: number): cdk.App {
  const app = new cdk.App({ outdir });
  const stack = new cdk.Stack(app, 'PipelineStack', { env: { account: PIPELINE_ACCOUNT, region: 'us-east-1' } });
  // One UTC window: the waves mix continents (region table order), whose local business hours would not overlap.
  const release: ReleaseDeclaration = {
    production: { account: PROD_ACCOUNT, oneBox: false, window: { timeZone: 'UTC' }, waves: waves(regionCount).map((regions) => ({ regions })) },
  };
  new WavePipeline(stack, 'Pipeline', { pipelineName: 'bench', release, stageFactory: new TinyFactory(), synth: synthSource() });
  return app;
}

/** The baseline: CDK Pipelines CodePipeline, the same Stage (with its ReleaseMonitor) per region, one addWave per wave. */
function baselineApp(outdir: string, regionCount: number): cdk.App {
  const app = new cdk.App({ outdir });
  const stack = new cdk.Stack(app, 'PipelineStack', { env: { account: PIPELINE_ACCOUNT, region: 'us-east-1' } });
  const pipeline = new pipelines.CodePipeline(stack, 'Pipeline', {
    pipelineName: 'bench', synth: synthSource(), crossAccountKeys: true, pipelineType: cdk.aws_codepipeline.PipelineType.V2,
  });
  waves(regionCount).forEach((regions, w) => {
    const wave = pipeline.addWave(`Prod-Wave-${w + 1}`);
    for (const region of regions) {
      const target: DeploymentTarget = {
        id: `prod-wave-${w + 1}-${region}-fleet`, kind: 'FLEET', isOneBox: false, stageName: `Prod-Wave-${w + 1}`, stageKind: 'PRODUCTION',
        account: PROD_ACCOUNT, region, pipelineName: 'bench', pipelineAccount: PIPELINE_ACCOUNT, pipelineRegion: 'us-east-1',
      };
      wave.addStage(new TinyServiceStage(stack, `Prod-Wave-${w + 1}-${region}`, target));
    }
  });
  return app;
}

interface SynthResult { ms: number; templateBytes: number; pipelineStackBytes: number; pipelineStackResources: number; stacks: number }

function allStacks(assembly: cxapi.CloudAssembly): cxapi.CloudFormationStackArtifact[] {
  return [...assembly.stacks, ...assembly.nestedAssemblies.flatMap((n) => allStacks(n.nestedAssembly))];
}

/** Runs `fn`, waiting out a Lambda bundle that `npm run bundle:runtime` is rewriting at that moment. */
function withBundles<T>(fn: () => T): T {
  for (let attempt = 1; ; attempt++) {
    try {
      return fn();
    } catch (e) {
      if (attempt >= 30 || !/Lambda bundle .* is missing/.test(String(e))) throw e;
      spawnSync('sleep', ['2']);
    }
  }
}

function measureSynth(build: (outdir: string, n: number) => cdk.App, regions: number, label: string): SynthResult {
  return withBundles(() => measureSynthOnce(build, regions, label));
}

function measureSynthOnce(build: (outdir: string, n: number) => cdk.App, regions: number, label: string): SynthResult {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `wave-bench-${label}-`));
  try {
    const start = performance.now();
    const assembly = build(outdir, regions).synth();
    const ms = performance.now() - start;
    const stacks = allStacks(assembly);
    const size = (s: cxapi.CloudFormationStackArtifact) => fs.statSync(path.join(s.assembly.directory, s.templateFile)).size;
    const pipelineStack = assembly.getStackByName('PipelineStack');
    return {
      ms,
      templateBytes: stacks.reduce((sum, s) => sum + size(s), 0),
      pipelineStackBytes: size(pipelineStack),
      pipelineStackResources: Object.keys(pipelineStack.template.Resources).length,
      stacks: stacks.length,
    };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function synthBenchmarks() {
  say('## 1. Synth time and template size: WavePipeline vs plain CDK Pipelines');
  say();
  say('Both variants: pipeline account + 1 production account, the same `TinyServiceStage` (a function, an alarm and a');
  say('`ReleaseMonitor`) per region, one wave per `addWave`; WavePipeline with `oneBox: false` so both deploy one Stage per');
  say('region. WavePipeline adds the window and bake gates, the release controller and stage rollback. Waves: ' +
    '1 region = [1]; 10 = [1,2,3,4]; 30 = [1,2,3,4,8,12]. Synth time is the fastest of 9 (1 region), 7 (10) and 5 (30) interleaved runs, after one warm-up of each.');
  say();
  measureSynth(wavePipelineApp, 1, 'warm');
  measureSynth(baselineApp, 1, 'warm');
  const runs: Record<number, number> = { 1: 9, 10: 7, 30: 5 };
  const results: Record<string, Record<number, SynthResult>> = { wave: {}, base: {} };
  for (const n of [1, 10, 30]) {
    // Interleaved, so load from other processes on the machine hits both variants alike; the
    // fastest run is the one least disturbed by it.
    const samples: Record<string, SynthResult[]> = { wave: [], base: [] };
    for (let r = 0; r < runs[n]; r++) {
      samples.wave.push(measureSynth(wavePipelineApp, n, 'wave'));
      samples.base.push(measureSynth(baselineApp, n, 'base'));
    }
    for (const key of ['wave', 'base']) results[key][n] = { ...samples[key][0], ms: Math.min(...samples[key].map((x) => x.ms)) };
  }
  say('| regions | WavePipeline synth | CDK Pipelines synth | ratio | target | all templates (Wave / CDK) | ratio | pipeline stack (Wave / CDK) | pipeline stack resources (Wave / CDK; quota 500) |');
  say('|---|---|---|---|---|---|---|---|---|');
  for (const n of [1, 10, 30]) {
    const [w, b] = [results.wave[n], results.base[n]];
    const ratio = w.ms / b.ms;
    say(`| ${n} | ${fmt(w.ms / 1000)} s | ${fmt(b.ms / 1000)} s | ${fmt(ratio)}x | <= 2.0x ${ratio <= 2 ? 'met' : 'MISSED'} `
      + `| ${kib(w.templateBytes)} / ${kib(b.templateBytes)} | ${fmt(w.templateBytes / b.templateBytes)}x `
      + `| ${kib(w.pipelineStackBytes)} / ${kib(b.pipelineStackBytes)} (quota 1024 KiB) | ${w.pipelineStackResources} / ${b.pipelineStackResources} |`);
  }
  say();
  const staging = median(Array.from({ length: 5 }, () => stageBundlesMs()));
  say('WavePipeline has a fixed cost the baseline does not: the release controller (two functions, their roles, rules, the health bus, '
    + 'the stop switch), the plan and the plan file, and the window and bake approval gates (each with the action role CodePipeline gives every action). '
    + `Of it, staging the Lambda bundles (copy + sha256 of assets/runtime/*/index.js, as \`Code.fromAsset\` does) takes ${fmt(staging, 0)} ms. `
    + 'Timings are wall-clock on a shared 2-core machine; small absolute times (1 region) are the noisiest.');
  say();
  say('## 2. Growth of synth time with regions');
  say();
  say('Linear extrapolation from 1 -> 10 regions: t(30) = t(1) + (t(10) - t(1)) x 29/9. Target: measured t(30) <= 2x the extrapolation.');
  say();
  say('| variant | t(1) | t(10) | t(30) measured | t(30) linear | measured / linear | target |');
  say('|---|---|---|---|---|---|---|');
  for (const [key, name] of [['wave', 'WavePipeline'], ['base', 'CDK Pipelines']] as const) {
    const [t1, t10, t30] = [1, 10, 30].map((n) => results[key][n].ms / 1000);
    const linear = t1 + (t10 - t1) * 29 / 9;
    const ratio = t30 / linear;
    say(`| ${name} | ${fmt(t1)} s | ${fmt(t10)} s | ${fmt(t30)} s | ${fmt(linear)} s | ${fmt(ratio)}x | <= 2.0x ${ratio <= 2 ? 'met' : 'MISSED'} |`);
  }
  say();
}

/** What staging the runtime bundles as assets costs: copy each into a new directory and hash it. */
function stageBundlesMs(): number {
  const dir = path.join(ROOT, 'assets', 'runtime');
  const target = fs.mkdtempSync(path.join(os.tmpdir(), 'wave-bench-staging-'));
  const start = performance.now();
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name, 'index.js');
    if (!fs.existsSync(file)) continue;
    fs.mkdirSync(path.join(target, name));
    fs.copyFileSync(file, path.join(target, name, 'index.js'));
    crypto.createHash('sha256').update(fs.readFileSync(path.join(target, name, 'index.js'))).digest('hex');
  }
  const ms = performance.now() - start;
  fs.rmSync(target, { recursive: true, force: true });
  return ms;
}

const kib = (bytes: number) => `${fmt(bytes / 1024, 0)} KiB`;

// ---------------------------------------------------------------------------------------------
// 3. Lambda bundles
// ---------------------------------------------------------------------------------------------

function timeNode(args: string[]): number {
  const start = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${r.stderr}`);
  return ms;
}

function bundleBenchmarks(): Record<string, number> {
  say('## 3. Lambda bundles');
  say();
  say('Cold import = wall time of a fresh `node -e "require(bundle)"` minus a fresh `node -e ""` (median of 9 each, interleaved).');
  say('Targets: bundle <= 1 MiB (minified, AWS SDK v3 clients included); cold import <= 300 ms.');
  say();
  say('| bundle | size | gzip | cold import | target |');
  say('|---|---|---|---|---|');
  const dir = path.join(ROOT, 'assets', 'runtime');
  const names = fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => fs.existsSync(path.join(dir, n, 'index.js'))).sort() : [];
  const importMs: Record<string, number> = {};
  for (const name of names) {
    const file = path.join(dir, name, 'index.js');
    const bytes = fs.statSync(file).size;
    const gz = zlib.gzipSync(fs.readFileSync(file)).length;
    const empty: number[] = [];
    const loaded: number[] = [];
    timeNode(['-e', '']);
    for (let i = 0; i < 9; i++) {
      empty.push(timeNode(['-e', '']));
      loaded.push(timeNode(['-e', `require(${JSON.stringify(file)})`]));
    }
    const ms = median(loaded) - median(empty);
    importMs[name] = ms;
    const ok = bytes <= 1024 * 1024 && ms <= 300;
    say(`| ${name} | ${kib(bytes)} | ${kib(gz)} | ${fmt(ms, 0)} ms (node ${fmt(median(empty), 0)} ms empty) | ${ok ? 'met' : 'MISSED'} |`);
  }
  if (names.length === 0) say('| (no bundles in assets/runtime: run `npm run bundle:runtime`) | | | | |');
  say();
  return importMs;
}

// ---------------------------------------------------------------------------------------------
// 4. The example pipeline: detection latency and cost of one release
// ---------------------------------------------------------------------------------------------

function exampleBenchmarks(importMs: Record<string, number>) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'wave-bench-example-'));
  try {
    const { stack, assembly } = withBundles(() => {
      const built = buildExampleApp(outdir);
      return { ...built, assembly: built.app.synth() };
    });
    const template = assembly.getStackByName('OrdersPipeline').template;
    const resources = Object.values<any>(template.Resources);
    const controller = resources.find((r) => r.Type === 'AWS::Lambda::Function' && /release controller/.test(r.Properties.Description ?? ''));
    const sweep = resources.find((r) => r.Type === 'AWS::Events::Rule' && r.Properties.ScheduleExpression);
    const healthRule = resources.find((r) => r.Type === 'AWS::Events::Rule' && r.Properties.EventBusName && r.Properties.EventPattern?.source?.includes('aws.cloudwatch'));
    const stage = allStacks(assembly).find((s) => s.stackName === 'Prod-Wave-1-eu-west-1-Orders')!;
    const alarms = Object.values<any>(stage.template.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    const sweepMinutes = Number(/rate\((\d+) minutes?\)/.exec(sweep?.Properties.ScheduleExpression ?? '')?.[1] ?? NaN);
    const timeoutS = controller?.Properties.Timeout;
    const concurrency = controller?.Properties.ReservedConcurrentExecutions;
    const retries = healthRule?.Properties.Targets?.[0]?.RetryPolicy?.MaximumRetryAttempts;

    say('## 4. The example pipeline (examples/app.ts)');
    say();
    say('### Detection latency: health alarm ALARM -> bake gate rejected');
    say();
    say('Design bound, from the synthesized example (not measured against AWS: there is no account in this run).');
    say('Each component is read from the template where it can be; AWS service latencies are typical published figures, marked *assumed*.');
    say();
    say('| # | component | from the example | latency |');
    say('|---|---|---|---|');
    say('| 1 | Composite alarm (ReleaseMonitor) follows a child alarm into ALARM | `AnyOf` the watched alarms | seconds (*assumed*) |');
    say('| 2 | EventBridge rule in the target account matches `CloudWatch Alarm State Change` (ALARM) and puts the event on the pipeline account\'s health bus (cross-account) | rule `ForwardAlarm` -> `orders-api-release-health` | typically < 1 s (*assumed*) |');
    say(`| 3 | Health bus rule invokes the controller (async) | retry attempts ${retries ?? 'default'} | < 1 s to start (*assumed*) |`);
    say(`| 4 | Controller cold start (only if no warm instance; one runs every ${sweepMinutes} min) | bundle import measured above | ${fmt(importMs.controller ?? NaN, 0)} ms import + runtime init |`);
    say('| 5 | Controller decides: reads the target\'s health (AssumeRole into the monitor role, DescribeAlarms) and calls PutApprovalResult(Rejected) | 3 API calls | ~1 s (*assumed*) |');
    say();
    say(`**Event path bound: a few seconds** (sum of 1-5, about 2-4 s with a warm controller). **Backstop: ${sweepMinutes}-minute sweep** (\`${sweep?.Properties.ScheduleExpression}\`): `
      + `if the event is lost or throttled, the next sweep rejects the gate within ${sweepMinutes * 60} s + one controller run. `
      + `The controller has ${concurrency === undefined ? 'no reserved concurrency, so an alarm event is never throttled behind a running sweep (answers are idempotent)' : `reserved concurrency ${concurrency}, so an alarm event arriving during a sweep is throttled and retried`}; `
      + `if the event is lost, the worst case is the next sweep plus one controller run (${timeoutS} s timeout): `
      + `bound = ${sweepMinutes * 60} s + ${timeoutS} s = ${sweepMinutes * 60 + timeoutS} s. Target: event path < 10 s, backstop <= 5 min: `
      + `${sweepMinutes * 60 + timeoutS <= 300 ? 'met' : 'MISSED'} (by design; not measured).`);
    say();
    say('Before component 1: a metric alarm needs its datapoints. The example\'s alarms (period x datapoints to alarm):');
    for (const a of alarms) {
      say(`- ${a.Properties.AlarmDescription ?? a.Properties.MetricName}: ${a.Properties.Period ?? a.Properties.Metrics?.[0]?.MetricStat?.Period} s period, `
        + `${a.Properties.DatapointsToAlarm ?? a.Properties.EvaluationPeriods} of ${a.Properties.EvaluationPeriods} datapoints -> ALARM at the earliest `
        + `${(a.Properties.DatapointsToAlarm ?? a.Properties.EvaluationPeriods) * (a.Properties.Period ?? 60) / 60} min after the first bad minute (+ metric ingestion).`);
    }
    say();

    say('### Estimated cost of one release');
    say();
    const start = new Date('2026-03-02T07:00:00Z'); // a Monday, before the 09:00 windows open in Europe
    const plan = stack.pipeline.plan;
    for (const [label, options] of [
      ['every bake passes', {}],
      ['the fleet of Prod-Wave-2 (us-east-1) fails 20 minutes into its bake and rolls back', { failure: { targetId: 'prod-wave-2-us-east-1-fleet', afterBakeMinutes: 20 } }],
    ] as const) {
      const timeline = simulateRelease(plan, start, options);
      const cost = estimateReleaseCost(plan, timeline);
      say(`**${label}** (start ${start.toISOString()}, simulator defaults: 10 min per deployment, 15 min per validation): outcome ${timeline.outcome}, `
        + `lead time ${fmt(timeline.leadTimeMinutes / 60, 1)} h, **estimated $${fmt(cost.totalUsd, 4)}**; holding the same `
        + `${cost.inActionBakeComparison.bakeMinutes} bake minutes inside a charged action instead would add $${fmt(cost.inActionBakeComparison.costUsd, 2)}.`);
      say();
      say('| line item | quantity | unit price | cost |');
      say('|---|---|---|---|');
      for (const item of cost.lineItems) say(`| ${item.description} | ${fmt(item.quantity, 1)} ${item.unit} | $${Number(item.unitPriceUsd.toPrecision(6))} | $${fmt(item.costUsd, 4)} |`);
      say();
    }
    const nominal = estimateReleaseCost(plan, simulateRelease(plan, start)).totalUsd;
    say(`Target: one nominal release of the example <= $1.00 (gates are free approvals; the charge is deployments and builds): `
      + `$${fmt(nominal, 4)}, ${nominal <= 1 ? 'met' : 'MISSED'}.`);
    say();
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------

function machine(): string[] {
  const cpus = os.cpus();
  return [
    `- CPU: ${cpus[0]?.model ?? 'unknown'} x ${cpus.length} cores`,
    `- Memory: ${fmt(os.totalmem() / 1024 ** 3, 1)} GiB`,
    `- Node.js: ${process.version} (${os.platform()} ${os.release()}, ${os.arch()})`,
    `- aws-cdk-lib: ${JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'aws-cdk-lib', 'package.json'), 'utf8')).version}`,
  ];
}

function main() {
  const began = performance.now();
  fs.mkdirSync(OUT, { recursive: true });
  say('# cdk-wave-pipelines benchmarks');
  say();
  say('Written by `npm run bench` (bench/run.ts). Ratios are against baselines measured in the same run on this machine:');
  say();
  machine().forEach((l) => say(l));
  say();
  synthBenchmarks();
  const importMs = bundleBenchmarks();
  exampleBenchmarks(importMs);
  say(`Whole run: ${fmt((performance.now() - began) / 1000, 0)} s.`);
  fs.writeFileSync(path.join(ROOT, 'bench', 'RESULTS.md'), lines.join('\n') + '\n');
}

main();
