/**
 * Benchmarks of cdk-wave-pipelines (`npm run bench`, after `npx projen compile`; not part of
 * `npm test`). Every figure is printed beside its target from issue 16 (met / MISSED), ratios
 * against a baseline measured in the same run on the same machine; the whole report is written
 * with the machine's description to bench/RESULTS.md.
 *
 * 1. Whole-process synth: a node process synthesizing a WavePipeline app against one synthesizing
 *    the equivalent plain CDK Pipelines app, at 1, 10 and 30 production regions, interleaved.
 * 2. Growth of synth time with regions, and where the time goes (node --cpu-prof).
 * 3. The Lambda bundles: size and cold import, with the AWS SDK left to the Lambda runtime (the
 *    choice) and, for the record, with the SDK bundled.
 * 4. The package as users install it (`npm pack`), and asset staging across synths.
 * 5. The holiday horizon of plans built with this version.
 * 6. The example pipeline: detection-latency bound and the cost of one release.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import * as zlib from 'zlib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import * as esbuild from 'esbuild';
import { benchWaves } from './synth-app';
import { buildExampleApp } from '../examples/app';
import { estimateReleaseCost } from '../lib/model/cost';
import { HOLIDAY_HORIZON_WARNING_DAYS, holidayHorizon } from '../lib/model/holidays';
import { knownRegions } from '../lib/model/regions';
import { simulateRelease } from '../lib/model/simulate';
import { bundleOptions, handlerEntries } from '../scripts/bundle-runtime';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'bench', 'out');
const lines: string[] = [];
const say = (line = '') => { console.log(line); lines.push(line); };
const fmt = (n: number, digits = 2) => n.toFixed(digits);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
const kib = (bytes: number) => `${fmt(bytes / 1024, 0)} KiB`;

/** Targets of issue 16, printed beside each figure. */
const TARGETS = {
  synthRatio: 1.2,
  /** t(30) measured / t(30) extrapolated linearly from t(1) and t(10). */
  linearGrowth: 1.2,
  bundleBytes: 250 * 1024,
  coldImportMs: 60,
  tarballBytes: 3_000_000,
};

// ---------------------------------------------------------------------------------------------
// 1 + 2. Whole-process synth
// ---------------------------------------------------------------------------------------------

const SYNTH_APP = path.join(OUT, 'synth-app.js');

/** Bundles bench/synth-app.ts into one file that loads aws-cdk-lib and the compiled library at run time. */
function buildSynthApp() {
  const stale = staleCompiledFiles();
  if (stale.length > 0) {
    throw new Error(`bench: the compiled library is missing or older than its source (${stale.slice(0, 3).join(', ')}${stale.length > 3 ? ', ...' : ''}); run "npx projen compile" first`);
  }
  esbuild.buildSync({
    entryPoints: [path.join(ROOT, 'bench', 'synth-app.ts')], outfile: SYNTH_APP, bundle: true, platform: 'node', format: 'cjs',
    target: 'node20', external: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs'], logLevel: 'warning',
  });
}

function staleCompiledFiles(): string[] {
  const stale: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        const js = file.replace(/\.ts$/, '.js');
        if (!fs.existsSync(js) || fs.statSync(js).mtimeMs < fs.statSync(file).mtimeMs) stale.push(path.relative(ROOT, js));
      }
    }
  };
  walk(path.join(ROOT, 'lib'));
  return stale;
}

interface ProcessTime { wallMs: number; cpuMs: number }

/**
 * Wall time, and CPU time (user + system, from /usr/bin/time), of one node process that
 * synthesizes the variant's app into a fresh directory. CPU time is shown beside wall time because
 * other processes on a shared machine stretch wall time without changing the work done.
 */
function synthProcess(variant: 'wave' | 'base', regionCount: number, extraArgs: string[] = [], inspect?: (outdir: string) => void): ProcessTime {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `wave-bench-${variant}-`));
  try {
    const regions = knownRegions().slice(0, regionCount).join(',');
    const start = performance.now();
    const r = spawnSync('/usr/bin/time', ['-f', 'cpu %U %S', process.execPath, ...extraArgs, SYNTH_APP, variant, regions, outdir], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    const wallMs = performance.now() - start;
    if (r.status !== 0) throw new Error(`bench: synth of ${variant} with ${regionCount} regions failed: ${r.stderr}`);
    const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
    inspect?.(outdir);
    return { wallMs, cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : NaN };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function allStacks(assembly: cxapi.CloudAssembly): cxapi.CloudFormationStackArtifact[] {
  return [...assembly.stacks, ...assembly.nestedAssemblies.flatMap((n) => allStacks(n.nestedAssembly))];
}

const SYNTH_SIZES = [1, 10, 30];
const SYNTH_RUNS = 5;

function synthBenchmarks() {
  say('## 1. Whole-process synth: WavePipeline vs plain CDK Pipelines');
  say();
  say('Each figure is the wall time of one `node bench/out/synth-app.js` process (start node, load aws-cdk-lib and, for WavePipeline, the '
    + 'compiled cdk-wave-pipelines, build the app, `app.synth()` into a fresh directory, exit), as `cdk synth` runs an app. Both apps: a pipeline '
    + 'account and one production account, one Stage per region (a function, an alarm and a `ReleaseMonitor`), one wave per `addWave`; '
    + `WavePipeline with \`oneBox: false\`, so both deploy one Stage per region. Waves: ${SYNTH_SIZES.map((n) => `${n} = [${benchWaves(knownRegions().slice(0, n)).map((w) => w.length).join(',')}]`).join('; ')}. `
    + `Median of ${SYNTH_RUNS} runs per size and variant, the variants interleaved run by run, after one warm-up each.`);
  say();
  buildSynthApp();
  synthProcess('wave', 1);
  synthProcess('base', 1);
  const samples: Record<string, Record<number, ProcessTime[]>> = { wave: {}, base: {} };
  for (const n of SYNTH_SIZES) {
    samples.wave[n] = [];
    samples.base[n] = [];
  }
  // Interleaved across sizes too, so a burst of load from other processes on the machine spreads over every figure.
  for (let r = 0; r < SYNTH_RUNS; r++) {
    for (const n of SYNTH_SIZES) {
      samples.wave[n].push(synthProcess('wave', n));
      samples.base[n].push(synthProcess('base', n));
    }
  }
  const med: Record<string, Record<number, number>> = { wave: {}, base: {} };
  say(`| regions | WavePipeline wall | CDK Pipelines wall | ratio | target <= ${TARGETS.synthRatio}x | WavePipeline CPU | CDK Pipelines CPU | CPU ratio | target <= ${TARGETS.synthRatio}x | wall runs (Wave; CDK), s |`);
  say('|---|---|---|---|---|---|---|---|---|---|');
  for (const n of SYNTH_SIZES) {
    med.wave[n] = median(samples.wave[n].map((x) => x.wallMs));
    med.base[n] = median(samples.base[n].map((x) => x.wallMs));
    const ratio = med.wave[n] / med.base[n];
    const [cw, cb] = [median(samples.wave[n].map((x) => x.cpuMs)), median(samples.base[n].map((x) => x.cpuMs))];
    const runs = (xs: ProcessTime[]) => xs.map((x) => fmt(x.wallMs / 1000, 1)).join(' ');
    say(`| ${n} | ${fmt(med.wave[n] / 1000)} s | ${fmt(med.base[n] / 1000)} s | ${fmt(ratio)}x | ${verdict(ratio <= TARGETS.synthRatio)} `
      + `| ${fmt(cw / 1000)} s | ${fmt(cb / 1000)} s | ${fmt(cw / cb)}x | ${verdict(cw / cb <= TARGETS.synthRatio)} | ${runs(samples.wave[n])}; ${runs(samples.base[n])} |`);
  }
  say();
  say('## 2. Growth of synth time with regions');
  say();
  say(`Linear extrapolation from 1 -> 10 regions: t(30) = t(1) + (t(10) - t(1)) x 29/9. Target: growth linear, measured t(30) <= ${TARGETS.linearGrowth}x the extrapolation.`);
  say();
  say('| variant | t(1) | t(10) | t(30) measured | t(30) linear | measured / linear | target |');
  say('|---|---|---|---|---|---|---|');
  for (const [key, name] of [['wave', 'WavePipeline'], ['base', 'CDK Pipelines']] as const) {
    const [t1, t10, t30] = SYNTH_SIZES.map((n) => med[key][n] / 1000);
    const linear = t1 + (t10 - t1) * 29 / 9;
    const ratio = t30 / linear;
    say(`| ${name} | ${fmt(t1)} s | ${fmt(t10)} s | ${fmt(t30)} s | ${fmt(linear)} s | ${fmt(ratio)}x | ${verdict(ratio <= TARGETS.linearGrowth)} |`);
  }
  say();
  profileSynth();
}

/** Self time (ms) by where the code lives, from a V8 CPU profile. */
function profileBuckets(file: string): Map<string, number> {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    nodes: Array<{ id: number; callFrame: { functionName: string; url: string } }>; samples: number[]; timeDeltas: number[];
  };
  const bucketOf = new Map<number, string>();
  for (const node of profile.nodes) bucketOf.set(node.id, bucket(node.callFrame.functionName, node.callFrame.url));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const key = bucketOf.get(id) ?? '?';
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return totals;
}

function bucket(functionName: string, url: string): string {
  if (url === '') return functionName.startsWith('(') ? `V8 ${functionName}` : 'V8 built-ins';
  if (url.includes('@aws/cloudformation-validate') || url.startsWith('wasm://')) return 'aws-cdk-lib template validation (@aws/cloudformation-validate, WebAssembly)';
  if (url.startsWith('node:internal/modules') || /node:internal\/(vm|fs)/.test(url)) return 'node: module loading (resolve, read, compile)';
  if (url.startsWith('node:')) return 'node: other internals';
  const cdk = /node_modules\/aws-cdk-lib\/([^/]+)/.exec(url);
  if (cdk) return `aws-cdk-lib/${cdk[1]}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const own = /\/lib\/(.+)\.js$/.exec(url);
  if (own) return `cdk-wave-pipelines lib/${own[1]}`;
  if (url.includes('synth-app')) return 'bench app (stages, monitors)';
  return url;
}

function profileSynth() {
  say('### Where the time goes (node --cpu-prof, 30 regions, one run each)');
  say();
  const dir = path.join(OUT, 'profiles');
  fs.rmSync(dir, { recursive: true, force: true });
  const buckets: Record<string, Map<string, number>> = {};
  const templates: Record<string, TemplateSizes> = {};
  for (const variant of ['wave', 'base'] as const) {
    const vdir = path.join(dir, variant);
    fs.mkdirSync(vdir, { recursive: true });
    synthProcess(variant, 30, ['--cpu-prof', `--cpu-prof-dir=${vdir}`], (outdir) => { templates[variant] = templateSizes(outdir); });
    buckets[variant] = profileBuckets(path.join(vdir, fs.readdirSync(vdir)[0]));
  }
  const keys = [...new Set([...buckets.wave.keys(), ...buckets.base.keys()])];
  const get = (v: string, k: string) => buckets[v].get(k) ?? 0;
  const total = (v: string) => [...buckets[v].values()].reduce((a, b) => a + b, 0);
  keys.sort((a, b) => Math.max(get('wave', b), get('base', b)) - Math.max(get('wave', a), get('base', a)));
  say(`Self time by where the code lives; profiles in bench/out/profiles. Total sampled: WavePipeline ${fmt(total('wave'), 0)} ms, CDK Pipelines ${fmt(total('base'), 0)} ms.`);
  say();
  say('| code | WavePipeline ms | CDK Pipelines ms | difference ms |');
  say('|---|---|---|---|');
  for (const k of keys.slice(0, 14)) say(`| ${k} | ${fmt(get('wave', k), 0)} | ${fmt(get('base', k), 0)} | ${fmt(get('wave', k) - get('base', k), 0)} |`);
  const ours = keys.filter((k) => k.startsWith('cdk-wave-pipelines')).reduce((sum, k) => sum + get('wave', k), 0);
  say(`| (all of cdk-wave-pipelines lib/) | ${fmt(ours, 0)} | 0 | ${fmt(ours, 0)} |`);
  say();
  say('What the validation reads (same runs): aws-cdk-lib validates every template at synth, so its time follows their content.');
  say();
  say('| | templates | all templates | pipeline stack template | its resources | of which IAM roles | pipeline actions (of which approvals) |');
  say('|---|---|---|---|---|---|---|');
  for (const [key, name] of [['wave', 'WavePipeline'], ['base', 'CDK Pipelines']] as const) {
    const t = templates[key];
    say(`| ${name} | ${t.count} | ${kib(t.bytes)} | ${kib(t.pipelineBytes)} | ${t.pipelineResources} | ${t.pipelineRoles} | ${t.actions} (${t.approvals}) |`);
  }
  say();
}

interface TemplateSizes { count: number; bytes: number; pipelineBytes: number; pipelineResources: number; pipelineRoles: number; actions: number; approvals: number }

/** Sizes of the templates of a cloud assembly, and what the pipeline stack (PipelineStack) holds. */
function templateSizes(outdir: string): TemplateSizes {
  const files = (fs.readdirSync(outdir, { recursive: true }) as string[]).filter((f) => f.endsWith('.template.json'));
  const pipelineText = fs.readFileSync(path.join(outdir, 'PipelineStack.template.json'), 'utf8');
  const resources = Object.values<any>(JSON.parse(pipelineText).Resources);
  const actions = resources.filter((r) => r.Type === 'AWS::CodePipeline::Pipeline')
    .flatMap((r) => r.Properties.Stages.flatMap((st: any) => st.Actions));
  return {
    count: files.length,
    bytes: files.reduce((sum, f) => sum + fs.statSync(path.join(outdir, f)).size, 0),
    pipelineBytes: Buffer.byteLength(pipelineText),
    pipelineResources: resources.length,
    pipelineRoles: resources.filter((r) => r.Type === 'AWS::IAM::Role').length,
    actions: actions.length,
    approvals: actions.filter((a: any) => a.ActionTypeId.Category === 'Approval').length,
  };
}

// ---------------------------------------------------------------------------------------------
// 3. Lambda bundles
// ---------------------------------------------------------------------------------------------

/**
 * Wall and CPU time (user + system, from /usr/bin/time) of a fresh node process running `code`.
 * NODE_PATH plays the Lambda runtime's /var/runtime/node_modules.
 */
function timeNode(code: string): ProcessTime {
  const start = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'cpu %U %S', process.execPath, '-e', code], {
    stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') },
  });
  const wallMs = performance.now() - start;
  if (r.status !== 0) throw new Error(`node -e ${code} failed: ${r.stderr}`);
  const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  return { wallMs, cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : NaN };
}

/** The `@aws-sdk/*` packages a bundle names (it loads each on first use). */
function sdkRequires(file: string): string[] {
  return [...new Set([...fs.readFileSync(file, 'utf8').matchAll(/require\("(@aws-sdk\/[^"]+)"\)/g)].map((m) => m[1]))].sort();
}

/**
 * What an invocation loads from the SDK beyond the import, by the path it takes (lib/runtime: the
 * controller's sweep reads the pipeline state and the stop switch; a bake also assumes the monitor
 * role and reads alarms and canaries; a rollback stops deployments, resets aliases and rolls the stage back).
 */
const FIRST_CALLS: Record<string, Array<{ path: string; packages: string[] }>> = {
  'controller': [
    { path: 'a sweep with no bake open', packages: ['client-codepipeline', 'client-ssm'] },
    { path: 'a bake or an alarm event', packages: ['client-codepipeline', 'client-ssm', 'client-sts', 'client-cloudwatch', 'client-synthetics'] },
  ],
  'rollback': [{ path: 'a rollback', packages: ['client-codepipeline', 'client-sts', 'client-ssm', 'client-codedeploy', 'client-lambda'] }],
  'one-box-alias': [{ path: 'a deployment', packages: ['client-lambda'] }],
  'ecs-fleet-pin': [{ path: 'a deployment', packages: ['client-ecs'] }],
};

/** Code that loads the packages and creates their clients, as the first call of an invocation does. */
function firstCallCode(packages: string[]): string {
  return packages.map((p) => `{const m=require("@aws-sdk/${p}");new m[Object.keys(m).find((k)=>/^[A-Z]\\w*Client$/.test(k))]({region:"us-east-1"})}`).join(';');
}

const IMPORT_RUNS = 11;

/**
 * Cold import, as issue 16 means it: a fresh node process that `require`s the bundle, minus a fresh
 * empty node. The SDK counts: NODE_PATH points at node_modules, as the Lambda runtime resolves
 * its own copy in /var/runtime/node_modules (from disk, not preloaded), so every SDK package a bundle
 * loads at import is in the figure. The handlers load none at import (aws-clients.ts `sdk`); the
 * rows "+ first call" add what the SDK costs when an invocation first needs it, so that moving the
 * load out of the import does not hide it.
 */
function bundleBenchmarks(): Record<string, number> {
  say('## 3. Lambda bundles');
  say();
  say('The handlers are bundled with `@aws-sdk/*` left to the Lambda runtime, as aws-cdk-lib\'s `NodejsFunction` does on Node.js 18 and later: '
    + 'the nodejs24.x runtime includes the AWS SDK for JavaScript v3 (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-package.html). '
    + 'The SDK-bundled variant is built in this run for comparison.');
  say();
  say(`**Cold import** (the issue's figure) = median time of a fresh \`node -e "require(bundle)"\` minus a fresh \`node -e ""\` (${IMPORT_RUNS} runs each, interleaved). `
    + '**The SDK counts**: `NODE_PATH` points at node_modules, as the Lambda runtime resolves its own copy from /var/runtime/node_modules (read from disk, not preloaded), '
    + 'so any SDK package a bundle loads at import is in the figure. The handlers load the SDK on first use (lib/runtime/aws-clients.ts), so their import loads none; '
    + 'the rows **+ first call** add the SDK packages (and clients) an invocation of that path loads, which a cold start pays on its first invocation instead: '
    + 'moving the load out of the import does not make it free, and those rows are held to the same target. '
    + 'Wall = elapsed time; CPU = user + system CPU time, which other processes on a shared machine disturb less.');
  say();
  say(`| bundle | what runs | size | gzip | target <= ${TARGETS.bundleBytes / 1024} KiB | SDK packages loaded | wall above empty node | target <= ${TARGETS.coldImportMs} ms `
    + `| CPU above empty node | target <= ${TARGETS.coldImportMs} ms | holiday library inside |`);
  say('|---|---|---|---|---|---|---|---|---|---|---|');
  const dir = path.join(ROOT, 'assets', 'runtime');
  const altDir = path.join(OUT, 'sdk-bundled');
  const importMs: Record<string, number> = {};
  for (const entry of handlerEntries()) {
    const name = entry.replace(/\.lambda\.ts$/, '');
    const file = path.join(dir, name, 'index.js');
    if (!fs.existsSync(file)) throw new Error(`bench: ${file} is missing; run "npx projen bundle:runtime"`);
    const calls = FIRST_CALLS[name];
    if (!calls) throw new Error(`bench: FIRST_CALLS has no entry for the ${name} handler; add the SDK packages its invocations load`);
    const named = sdkRequires(file).map((m) => m.replace('@aws-sdk/', ''));
    const unknown = calls.flatMap((c) => c.packages).filter((p) => !named.includes(p));
    if (unknown.length > 0) throw new Error(`bench: FIRST_CALLS of ${name} names ${unknown.join(', ')}, which the bundle never loads`);
    const alt = path.join(altDir, name, 'index.js');
    esbuild.buildSync(bundleOptions(entry, alt, true));
    const variants: Array<{ key: string; label: string; code: string; file: string; packages: string }> = [
      { key: 'import', label: 'import (runtime\'s SDK, chosen)', code: `require(${JSON.stringify(file)})`, file, packages: 'none at import' },
      ...calls.map((c, i) => ({
        key: `call${i}`, label: `import + the SDK of the first call of ${c.path}`, code: `require(${JSON.stringify(file)});${firstCallCode(c.packages)}`, file: '',
        packages: c.packages.map((p) => p.replace('client-', '')).join(', '),
      })),
      { key: 'alt', label: 'import (SDK bundled, alternative)', code: `require(${JSON.stringify(alt)})`, file: alt, packages: 'inside the bundle' },
    ];
    const t: Record<string, ProcessTime[]> = { empty: [] };
    for (const v of variants) t[v.key] = [];
    timeNode('');
    for (let i = 0; i < IMPORT_RUNS; i++) {
      t.empty.push(timeNode(''));
      for (const v of variants) t[v.key].push(timeNode(v.code));
    }
    const above = (key: string, kind: 'wallMs' | 'cpuMs') => median(t[key].map((x) => x[kind])) - median(t.empty.map((x) => x[kind]));
    // Section 6 quotes the cold start of the heaviest path (for the controller: an alarm event).
    importMs[name] = above(`call${calls.length - 1}`, 'wallMs');
    for (const v of variants) {
      const sizeCells = v.file === '' ? ' |  | ' : (() => {
        const bytes = fs.statSync(v.file).size;
        return `${kib(bytes)} | ${kib(zlib.gzipSync(fs.readFileSync(v.file)).length)} | ${verdict(bytes <= TARGETS.bundleBytes)}`;
      })();
      // Code of the library or its data, not the word in a schema description.
      const holidayLib = v.file === '' ? '' : /require\("date-holidays"\)|moment-timezone|Coming of Age Day/.test(fs.readFileSync(v.file, 'utf8')) ? 'YES' : 'no';
      const [wall, cpu] = [above(v.key, 'wallMs'), above(v.key, 'cpuMs')];
      say(`| ${name} | ${v.label} | ${sizeCells} | ${v.packages} | ${fmt(wall, 0)} ms | ${verdict(wall <= TARGETS.coldImportMs)} `
        + `| ${fmt(cpu, 0)} ms | ${verdict(cpu <= TARGETS.coldImportMs)} | ${holidayLib} |`);
    }
    say(`| | empty node | | | | | ${fmt(median(t.empty.map((x) => x.wallMs)), 0)} ms | | ${fmt(median(t.empty.map((x) => x.cpuMs)), 0)} ms | | |`);
  }
  say();
  return importMs;
}

// ---------------------------------------------------------------------------------------------
// 4. Package and asset staging
// ---------------------------------------------------------------------------------------------

function packageBenchmarks() {
  say('## 4. The package users install, and asset staging');
  say();
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm pack failed: ${r.stderr}`);
  const pack = JSON.parse(r.stdout)[0] as { size: number; unpackedSize: number; entryCount: number; files: Array<{ path: string; size: number }>; bundled: string[] };
  const byTop = new Map<string, number>();
  for (const f of pack.files) {
    const m = /^(node_modules\/(?:@[^/]+\/)?[^/]+|assets\/runtime\/[^/]+|lib\/model\/holiday-table\.json|lib|[^/]+)/.exec(f.path);
    const key = m ? m[1] : f.path;
    byTop.set(key, (byTop.get(key) ?? 0) + f.size);
  }
  const heavy = pack.files.filter((f) => /moment|date-holidays/.test(f.path));
  say(`\`npm pack\`: tarball ${fmt(pack.size / 1e6)} MB (target <= ${TARGETS.tarballBytes / 1e6} MB: ${verdict(pack.size <= TARGETS.tarballBytes)}), `
    + `${fmt(pack.unpackedSize / 1e6, 1)} MB unpacked, ${pack.entryCount} files; bundled dependencies: ${pack.bundled.join(', ') || 'none'}; `
    + `moment-timezone or date-holidays files: ${heavy.length}.`);
  say();
  say('| part (unpacked) | size |');
  say('|---|---|');
  for (const [k, v] of [...byTop.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8)) say(`| ${k} | ${kib(v)} |`);
  say();

  // Two synths of the example into one cloud assembly: CDK stages an asset once per hash and skips
  // it when the directory exists, so the second synth must not rewrite the bundles.
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'wave-bench-staging-'));
  try {
    buildExampleApp(outdir).app.synth();
    const bundles = handlerEntries().map((e) => fs.readFileSync(path.join(ROOT, 'assets', 'runtime', e.replace(/\.lambda\.ts$/, ''), 'index.js')));
    const staged = () => fs.readdirSync(outdir).filter((d) => d.startsWith('asset.')).flatMap((d) => {
      const f = path.join(outdir, d, 'index.js');
      return fs.existsSync(f) && bundles.some((b) => b.equals(fs.readFileSync(f))) ? [{ f, mtime: fs.statSync(f).mtimeMs, bytes: fs.statSync(f).size }] : [];
    });
    const first = staged();
    // Bundles the example uses (it has no EcsOneBox, so not every handler is staged), each staged once.
    const distinct = new Set(first.map((x) => fs.readFileSync(x.f).toString('base64'))).size;
    buildExampleApp(outdir).app.synth();
    const second = staged();
    const rewritten = second.filter((s) => first.find((f) => f.f === s.f)?.mtime !== s.mtime);
    const leftovers = fs.readdirSync(outdir).filter((d) => d.startsWith('.wave-pipelines'))
      .flatMap((d) => fs.readdirSync(path.join(outdir, d), { recursive: true }) as string[]).filter((f) => f.endsWith('index.js'));
    say(`Asset staging (the example synthesized twice into one cdk.out): the first synth stages ${first.length} copies of ${distinct} of the ${bundles.length} runtime bundles `
      + `(the ones the example uses), ${kib(first.reduce((s, x) => s + x.bytes, 0))} in all; the second synth rewrites ${rewritten.length} of them; `
      + `bundle copies outside CDK's asset directories: ${leftovers.length}. Target: built once, not re-copied per synth: `
      + `${verdict(rewritten.length === 0 && leftovers.length === 0 && first.length === distinct && distinct > 0)}.`);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
  say();
}

// ---------------------------------------------------------------------------------------------
// 5. Holiday horizon
// ---------------------------------------------------------------------------------------------

function horizonBenchmarks() {
  const h = holidayHorizon();
  const now = new Date(); // the bench reports on the day it runs; the model itself never reads the clock
  const daysLeft = Math.floor((Date.parse(`${h.until}T00:00:00Z`) + 86_400_000 - now.getTime()) / 86_400_000);
  const table = path.join(ROOT, 'lib', 'model', 'holiday-table.json');
  say('## 5. Holiday horizon');
  say();
  say(`Public holidays are resolved at synth time into dates in the plan (${h.source}, ${h.from}..${h.until}; the table lib/model/holiday-table.json, `
    + `${kib(fs.statSync(table).size)}, ${kib(zlib.gzipSync(fs.readFileSync(table)).length)} gzip, generated at build time). On ${now.toISOString().slice(0, 10)} `
    + `the horizon has ${daysLeft} days left; synth warns below ${HOLIDAY_HORIZON_WARNING_DAYS} days, and a window gate fails closed past it.`);
  say();
}

// ---------------------------------------------------------------------------------------------
// 6. The example pipeline: detection latency and cost of one release
// ---------------------------------------------------------------------------------------------

function exampleBenchmarks(importMs: Record<string, number>) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'wave-bench-example-'));
  try {
    const built = buildExampleApp(outdir);
    const { stack } = built;
    const assembly = built.app.synth();
    const template = assembly.getStackByName('OrdersPipeline').template;
    const resources = Object.values<any>(template.Resources);
    const controller = resources.find((r) => r.Type === 'AWS::Lambda::Function' && /release controller/.test(r.Properties.Description ?? ''));
    const sweep = resources.find((r) => r.Type === 'AWS::Events::Rule' && r.Properties.ScheduleExpression);
    const healthRule = resources.find((r) => r.Type === 'AWS::Events::Rule' && r.Properties.EventBusName && r.Properties.EventPattern?.source?.includes('aws.cloudwatch'));
    // The fleet stack of the first production wave (the one-box stack of the same region has the same stack name).
    const stage = allStacks(assembly).find((s) => s.stackName === 'orders-api-prod-wave-1' && s.environment.region === 'eu-west-1' && !/OneBox/i.test(s.displayName));
    if (!stage) throw new Error('bench: the example has no fleet stack orders-api-prod-wave-1 in eu-west-1; update the stack this section reads the alarms of');
    const alarms = Object.values<any>(stage.template.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    const sweepMinutes = Number(/rate\((\d+) minutes?\)/.exec(sweep?.Properties.ScheduleExpression ?? '')?.[1] ?? NaN);
    const timeoutS = controller?.Properties.Timeout;
    const concurrency = controller?.Properties.ReservedConcurrentExecutions;
    const retries = healthRule?.Properties.Targets?.[0]?.RetryPolicy?.MaximumRetryAttempts;

    say('## 6. The example pipeline (examples/app.ts)');
    say();
    say('### Detection latency: health alarm ALARM -> bake gate rejected');
    say();
    say('**Measured** (simulated seconds, emulated AWS): the drills (test/drills) run the example\'s service through failures and report, per drill, the seconds from a '
      + 'health alarm entering ALARM to the rollback starting, for the forwarded event and for a lost event; the table is in docs/drills.md (results section, '
      + 'written by test/drills/latency-table.ts; `DRILLS_WRITE_DOCS=1 npx jest test/drills`). This bench does not repeat them. '
      + 'Below: the design bound, from the synthesized example (not measured against AWS: there is no account in this run).');
    say('Each component is read from the template where it can be; AWS service latencies are typical published figures, marked *assumed*.');
    say();
    say('| # | component | from the example | latency |');
    say('|---|---|---|---|');
    say('| 1 | Composite alarm (ReleaseMonitor) follows a child alarm into ALARM | `AnyOf` the watched alarms | seconds (*assumed*) |');
    say('| 2 | EventBridge rule in the target account matches `CloudWatch Alarm State Change` (ALARM) and puts the event on the pipeline account\'s health bus (cross-account) | rule `ForwardAlarm` -> `orders-api-release-health` | typically < 1 s (*assumed*) |');
    say(`| 3 | Health bus rule invokes the controller (async) | retry attempts ${retries ?? 'default'} | < 1 s to start (*assumed*) |`);
    say(`| 4 | Controller cold start (only if no warm instance; one runs every ${sweepMinutes} min) | bundle import + the SDK of an alarm event, measured above | ${fmt(importMs.controller ?? NaN, 0)} ms + runtime init |`);
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
      say(`- ${a.Properties.AlarmDescription ?? a.Properties.MetricName}: ${a.Properties.Period ?? a.Properties.Metrics?.find((m: any) => m.MetricStat)?.MetricStat?.Period} s period, `
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
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim() !== '';
  return [
    `- Run: ${new Date().toISOString()}, commit ${commit || 'unknown'}${dirty ? ' (with uncommitted changes)' : ''}`,
    `- CPU: ${cpus[0]?.model ?? 'unknown'} x ${cpus.length} cores, load average ${os.loadavg().map((l) => fmt(l, 1)).join(' / ')} at the start (shared machine)`,
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
  say('Written by `npm run bench` (bench/run.ts). Targets are issue 16\'s; ratios are against baselines measured in the same run on this machine:');
  say();
  machine().forEach((l) => say(l));
  say();
  // `npm run bench -- bundles package` runs only those sections and leaves RESULTS.md alone.
  const only = process.argv.slice(2);
  const runs = (section: string) => only.length === 0 || only.includes(section);
  if (runs('synth')) synthBenchmarks();
  const importMs = runs('bundles') ? bundleBenchmarks() : {};
  if (runs('package')) packageBenchmarks();
  if (runs('horizon')) horizonBenchmarks();
  if (runs('example')) exampleBenchmarks(importMs);
  // bench/validation.ts (from the validation helper) adds its section here: call its exported function with `say`.
  say(`Whole run: ${fmt((performance.now() - began) / 1000, 0)} s.`);
  if (only.length === 0) fs.writeFileSync(path.join(ROOT, 'bench', 'RESULTS.md'), lines.join('\n') + '\n');
}

main();
