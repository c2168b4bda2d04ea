/**
 * Bundles every `lib/runtime/*.lambda.ts` into `assets/runtime/<name>/index.js` with esbuild.
 * The output depends only on the sources and the locked esbuild version (no timestamps, no absolute
 * paths, no source maps with machine paths), so the Lambda asset hash is the same on every machine.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as esbuild from 'esbuild';

const root = path.resolve(__dirname, '..');
const runtimeDir = path.join(root, 'lib', 'runtime');
const outRoot = path.join(root, 'assets', 'runtime');

async function main(): Promise<void> {
  const entries = fs.readdirSync(runtimeDir).filter((f) => f.endsWith('.lambda.ts')).sort();
  if (entries.length === 0) throw new Error(`no *.lambda.ts handlers found in ${runtimeDir}`);
  fs.rmSync(outRoot, { recursive: true, force: true });
  for (const entry of entries) {
    const name = entry.replace(/\.lambda\.ts$/, '');
    const outfile = path.join(outRoot, name, 'index.js');
    const result = await esbuild.build({
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
    });
    const bytes = fs.statSync(outfile).size;
    console.log(`bundled ${entry} -> ${path.relative(root, outfile)} (${(bytes / 1024).toFixed(0)} KiB, ${Object.keys(result.metafile!.inputs).length} inputs)`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
