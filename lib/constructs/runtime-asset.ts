import * as fs from 'fs';
import * as path from 'path';

/**
 * Directory of a pre-bundled Lambda handler (`assets/runtime/<name>`), built by
 * `npm run bundle:runtime` from `lib/runtime/<name>.lambda.ts`.
 */
export function runtimeBundleDir(name: string): string {
  const dir = path.resolve(__dirname, '..', '..', 'assets', 'runtime', name);
  if (!fs.existsSync(path.join(dir, 'index.js'))) {
    throw new Error(`cdk-wave-pipelines: the Lambda bundle "${name}" is missing at ${dir}; run "npx projen bundle:runtime" (part of "npm run build")`);
  }
  return dir;
}
