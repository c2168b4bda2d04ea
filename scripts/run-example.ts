/**
 * `npm run example`: bundles the Lambda handlers, synthesizes the example app with the CDK CLI
 * (offline: no AWS account, no lookups), then prints the release plan of its pipeline with
 * `wave-pipelines plan` and writes the timeline picture next to the assembly.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';

const root = path.resolve(__dirname, '..');
const assembly = path.join('examples', 'cdk.out');
const env = { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', CDK_DISABLE_VERSION_CHECK: 'true' };

function run(what: string, command: string, args: string[]): void {
  console.log(`\n> ${what}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error(`\n${what} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}

run('bundle the Lambda handlers', 'npx', ['ts-node', '--transpile-only', 'scripts/bundle-runtime.ts']);
run('synthesize the example app', 'npx', ['cdk', 'synth', '--no-notices', '--quiet', '--output', assembly]);
run('show the release plan', 'npx', ['ts-node', '--prefer-ts-exts', '--transpile-only', 'lib/cli/main.ts', 'plan',
  '--assembly', assembly, '--html', path.join(assembly, 'orders-api.plan.html'), ...process.argv.slice(2)]);
