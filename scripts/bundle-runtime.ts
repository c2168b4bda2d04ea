/**
 * Bundles every `lib/runtime/*.lambda.ts` into `assets/runtime/<name>/index.js` with esbuild.
 * The output depends only on the sources and the locked esbuild version (no timestamps, no absolute
 * paths, no source maps with machine paths), so the Lambda asset hash is the same on every machine.
 *
 * The AWS SDK stays out of the bundles, as aws-cdk-lib's `NodejsFunction` leaves `@aws-sdk/*`
 * external on Node.js 18 and later: the nodejs24.x runtime provides AWS SDK for JavaScript v3
 * (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-package.html). Measured in bench/RESULTS.md
 * ("Lambda bundles"): with the SDK inside, the controller is about 1.6 MiB and misses the 250 KiB
 * target; without it, about 130 KiB.
 *
 * A bundle must not carry a holiday library: windows are judged from the dated closures in the
 * plan. The build fails when one creeps back in through an import.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as esbuild from 'esbuild';

const root = path.resolve(__dirname, '..');
const runtimeDir = path.join(root, 'lib', 'runtime');
const outRoot = path.join(root, 'assets', 'runtime');

/** What the Lambda runtime provides (the SDK) and so stays out of the bundles. */
export const RUNTIME_PROVIDED = ['@aws-sdk/*'];
/** Inputs a bundle must never contain, and why. */
const FORBIDDEN_INPUTS: Array<[RegExp, string]> = [
  [/node_modules\/date-holidays|node_modules\/moment|holiday-table\.json$/, 'the runtime must judge windows from the plan\'s dates, not a holiday library'],
  // The handlers read plans, never declarations: these schemas are for synth (about 60 KiB a bundle).
  [/schema\/(release-declaration|plan-options)\./, 'a handler checks plans only; the declaration and plan-options schemas are for synth'],
];

/** Options of one handler's bundle; `bundleSdk` builds the alternative with the SDK inside (bench only). */
export function bundleOptions(entry: string, outfile: string, bundleSdk = false): esbuild.BuildOptions & { metafile: true } {
  return {
    absWorkingDir: root,
    entryPoints: [path.relative(root, path.join(runtimeDir, entry))],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
    external: bundleSdk ? [] : RUNTIME_PROVIDED,
  };
}

export function handlerEntries(): string[] {
  const entries = fs.readdirSync(runtimeDir).filter((f) => f.endsWith('.lambda.ts')).sort();
  if (entries.length === 0) throw new Error(`no *.lambda.ts handlers found in ${runtimeDir}`);
  return entries;
}

async function main(): Promise<void> {
  const entries = handlerEntries();
  fs.rmSync(outRoot, { recursive: true, force: true });
  for (const entry of entries) {
    const name = entry.replace(/\.lambda\.ts$/, '');
    const outfile = path.join(outRoot, name, 'index.js');
    const result = await esbuild.build(bundleOptions(entry, outfile));
    const inputs = Object.keys(result.metafile.inputs);
    for (const [pattern, why] of FORBIDDEN_INPUTS) {
      const forbidden = inputs.filter((i) => pattern.test(i));
      if (forbidden.length > 0) throw new Error(`${entry} bundles ${forbidden.join(', ')}: ${why}; find the import that pulls it in`);
    }
    const bytes = fs.statSync(outfile).size;
    console.log(`bundled ${entry} -> ${path.relative(root, outfile)} (${(bytes / 1024).toFixed(0)} KiB, ${inputs.length} inputs, ${RUNTIME_PROVIDED.join(', ')} from the Lambda runtime)`);
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
