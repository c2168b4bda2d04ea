// A failed synth must not leave a plan that reads as current: the plan file is written only when
// the app synthesizes (atomically), and `wave-pipelines plan` warns when it is older than the last
// synth attempt.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { ReleaseDeclaration, WavePipeline } from '../../lib';
import { nodeIo } from '../../lib/cli/cli-io';
import { runCli } from '../../lib/cli/run';
import { planFileName } from '../../lib/model/plan';
import { synthAttemptFileName } from '../../lib/model/synth-attempt';
import { PIPELINE_ACCOUNT, THREE_WAVES, TinyFactory } from '../fixtures/apps';

/** Runs the app `cdk synth` would run, into `outdir`; `afterPipeline` is the user's code after the pipeline. */
function synthApp(outdir: string, release: ReleaseDeclaration, afterPipeline: () => void = () => {}): void {
  const app = new cdk.App({ outdir });
  const stack = new cdk.Stack(app, 'PipelineStack', { env: { account: PIPELINE_ACCOUNT, region: 'us-east-1' } });
  new WavePipeline(stack, 'Pipeline', {
    pipelineName: 'orders',
    release,
    stageFactory: new TinyFactory(),
    synth: new pipelines.ShellStep('Synth', { input: pipelines.CodePipelineSource.gitHub('org/repo', 'main'), commands: ['npx cdk synth'] }),
  });
  afterPipeline();
  app.synth();
}

function plan(outdir: string) {
  const io = nodeIo();
  const out = { stdout: '', stderr: '' };
  io.stdout = (text) => { out.stdout += text; };
  io.stderr = (text) => { out.stderr += text; };
  const code = runCli(['plan', '--assembly', outdir, '--start', '2025-03-04T08:00:00Z'], io);
  return { code, ...out };
}

const TWO_WAVES: ReleaseDeclaration = { ...THREE_WAVES, production: { ...THREE_WAVES.production, waves: THREE_WAVES.production.waves.slice(0, 2) } };
const planFile = (outdir: string) => path.join(outdir, planFileName('orders'));

describe('a synth that fails after a good one', () => {
  let outdir: string;
  beforeEach(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'failed-synth-'));
    synthApp(outdir, THREE_WAVES);
  });
  afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('after a good synth: the plan and the marker are there, no temporary files, and no warning', () => {
    expect(fs.readdirSync(outdir).filter((f) => f.startsWith('wave-pipelines.')).sort())
      .toEqual([planFileName('orders'), synthAttemptFileName('orders')]);
    const shown = plan(outdir);
    expect(shown.code).toBe(0);
    expect(shown.stderr).toBe('');
    expect(shown.stdout).toContain('Stage 5/5  Prod-Wave-3');
  });

  test('an invalid release: the old plan stays untouched and the command warns that it predates the attempt', () => {
    const before = fs.readFileSync(planFile(outdir), 'utf8');
    const invalid: ReleaseDeclaration = { ...TWO_WAVES, production: { ...TWO_WAVES.production, waves: [{ regions: ['us-east-9'] }] } };
    expect(() => synthApp(outdir, invalid)).toThrow(/us-east-9/);
    expect(fs.readFileSync(planFile(outdir), 'utf8')).toBe(before);
    const shown = plan(outdir);
    expect(shown.code).toBe(0);
    expect(shown.stderr).toMatch(/^wave-pipelines: warning: the plan file .*wave-pipelines\.orders\.plan\.json was written .* UTC, before the last synth attempt \(.* UTC\), which did not finish/);
  });

  test('the user\'s own code throws after the pipeline was built: no plan is written for an app that never synthesized', () => {
    const before = fs.readFileSync(planFile(outdir), 'utf8');
    expect(() => synthApp(outdir, TWO_WAVES, () => { throw new Error('boom in the service stack'); })).toThrow('boom');
    expect(fs.readFileSync(planFile(outdir), 'utf8')).toBe(before);
    expect(plan(outdir).stderr).toMatch(/warning: the plan file .* was written .* before the last synth attempt/);
  });

  test('the next good synth rewrites the plan and the warning goes away', () => {
    expect(() => synthApp(outdir, TWO_WAVES, () => { throw new Error('boom'); })).toThrow('boom');
    synthApp(outdir, TWO_WAVES);
    const shown = plan(outdir);
    expect(shown.stderr).toBe('');
    expect(shown.stdout).toContain('Stage 4/4  Prod-Wave-2');
  });
});
