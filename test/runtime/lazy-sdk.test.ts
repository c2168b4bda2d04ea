/**
 * The handler bundles load the AWS SDK on first use, not when Lambda imports them (issue 16: cold
 * import <= 60 ms above an empty node; the seven client packages took about 300 ms of CPU at import).
 * Each bundle is imported in a fresh node process with the SDK resolvable from node_modules, as
 * the Lambda runtime resolves its own copy (`NODE_PATH`), and the modules it loaded are listed.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const BUNDLES = fs.readdirSync(path.join(ROOT, 'lib', 'runtime')).filter((f) => f.endsWith('.lambda.ts')).map((f) => f.replace(/\.lambda\.ts$/, '')).sort();

/** The `@aws-sdk/*` packages loaded by a fresh node process after running `code`. */
function sdkPackagesLoaded(code: string): string[] {
  const out = execFileSync(process.execPath, ['-e', `${code}; console.log(JSON.stringify(Object.keys(require.cache)))`], {
    env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') }, encoding: 'utf8',
  });
  const files: string[] = JSON.parse(out.trim().split('\n').pop()!);
  return [...new Set(files.flatMap((f) => /node_modules\/(@aws-sdk\/[^/]+)\//.exec(f)?.[1] ?? []))].sort();
}

test('every handler has a bundle', () => {
  expect(BUNDLES).toEqual(['alarm-rollback', 'controller', 'ecs-fleet-pin', 'one-box-alias', 'rollback']);
});

test.each(BUNDLES)('importing the %s bundle loads no AWS SDK package', (name) => {
  const bundle = path.join(ROOT, 'assets', 'runtime', name, 'index.js');
  expect(sdkPackagesLoaded(`require(${JSON.stringify(bundle)})`)).toEqual([]);
});

// The check above would pass vacuously if the way the SDK is counted were wrong.
test('the same count sees a client package once it is loaded', () => {
  expect(sdkPackagesLoaded('require("@aws-sdk/client-ssm")')).toContain('@aws-sdk/client-ssm');
});
