import { buildExampleApp } from '../../examples/app';
import { nodeIo } from '../../lib/cli/cli-io';
import { EXIT, runCli } from '../../lib/cli/run';
import { removeDir, tempOutdir } from '../verify/assemblies';

function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io = { ...nodeIo(), stdout: (t: string) => { stdout += t; }, stderr: (t: string) => { stderr += t; } };
  return { code: runCli(argv, io), stdout, stderr };
}

describe('wave-pipelines bootstrap', () => {
  const outdir = tempOutdir('bootstrap');
  beforeAll(() => { buildExampleApp(outdir).app.synth(); });
  afterAll(() => removeDir(outdir));

  test('prints one cdk bootstrap per environment the example deploys to; targets trust the pipeline account', () => {
    const { code, stdout, stderr } = run(['bootstrap', '--assembly', outdir]);
    expect([code, stderr]).toEqual([EXIT.OK, '']);
    const commands = stdout.split('\n').filter((l) => l.startsWith('npx cdk bootstrap'));
    const admin = '--cloudformation-execution-policies arn:aws:iam::aws:policy/AdministratorAccess';
    const trust = '--trust 111111111111 --trust-for-lookup 111111111111';
    expect(commands).toEqual([
      `npx cdk bootstrap aws://111111111111/us-east-1 ${admin}`,
      ...['eu-west-1', 'us-east-1', 'us-west-2'].map((r) => `npx cdk bootstrap aws://222222222222/${r} ${trust} ${admin}`),
      ...['ap-northeast-1', 'ap-south-1', 'ap-southeast-2', 'ca-central-1', 'eu-west-1', 'sa-east-1', 'us-east-1', 'us-west-2']
        .map((r) => `npx cdk bootstrap aws://333333333333/${r} ${trust} ${admin}`),
    ]);
    expect(stdout).toContain('# account 333333333333: deploys Prod-Wave-1, Prod-Wave-2, Prod-Wave-3, Prod-Wave-4; trusts the pipeline account 111111111111');
    // The pipeline's cross-region support stacks use the pipeline region's roles (their manifest says so).
    expect(stdout).toContain('# No bootstrap needed for 7 cross-region support stacks');
    expect(stdout).toContain('OrdersPipeline-support-us-west-2 (111111111111/us-west-2)');
  });

  test('no assembly: a clear error', () => {
    const { code, stderr } = run(['bootstrap', '--assembly', `${outdir}/missing`]);
    expect(code).toBe(EXIT.ERROR);
    expect(stderr).toContain('No cloud assembly at');
  });
});
