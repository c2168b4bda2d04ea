// Gate: synthesizing the example twice, in two separate node processes and two directories, gives
// byte-identical templates, asset manifests (asset hashes), asset directories and plan file. A
// wall-clock value, a machine path or a random id in any of them would show up here.
import { spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { removeDir, tempOutdir } from './assemblies';

const ROOT = path.resolve(__dirname, '..', '..');

function synthInNewProcess(outdir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['ts-node', '--transpile-only', path.join('test', 'verify', 'synth-example.ts'), outdir], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`synth-example.ts exited with ${code}: ${stderr}`))));
  });
}

/** Every file below `dir`, as relative path -> sha256 of its bytes. */
function fingerprint(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.set(path.relative(dir, full), crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

describe('synthesis is deterministic across processes and directories', () => {
  const [first, second] = [tempOutdir('det-a'), tempOutdir('det-b')];
  let a: Map<string, string>;
  let b: Map<string, string>;

  beforeAll(async () => {
    await Promise.all([synthInNewProcess(first), synthInNewProcess(second)]);
    [a, b] = [fingerprint(first), fingerprint(second)];
  }, 180_000);
  afterAll(() => [first, second].forEach(removeDir));

  const differing = (filter: (file: string) => boolean) => [...new Set([...a.keys(), ...b.keys()])]
    .filter(filter)
    .filter((f) => a.get(f) !== b.get(f))
    .sort();

  test('the same files', () => {
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
  });

  test('every template, byte for byte (pipeline, support and all stage stacks)', () => {
    // Pipeline stack, support stacks and a stage stack per target (over 20 for the example).
    const templates = [...a.keys()].filter((f) => f.endsWith('.template.json'));
    expect(templates.length).toBeGreaterThan(20);
    expect(differing((f) => f.endsWith('.template.json'))).toEqual([]);
  });

  test('asset manifests (asset hashes) and the asset directories they point at', () => {
    const manifests = [...a.keys()].filter((f) => f.endsWith('.assets.json'));
    expect(manifests.length).toBeGreaterThan(10);
    expect(differing((f) => f.endsWith('.assets.json'))).toEqual([]);
    const assetFiles = [...a.keys()].filter((f) => f.split(path.sep).some((part) => part.startsWith('asset.')));
    expect(assetFiles.length).toBeGreaterThan(0);
    expect(differing((f) => f.split(path.sep).some((part) => part.startsWith('asset.')))).toEqual([]);
  });

  test('the plan file', () => {
    expect(a.get('wave-pipelines.orders-api.plan.json')).toBeDefined();
    expect(differing((f) => /wave-pipelines\.[a-z0-9-]+\.plan\.json$/.test(f))).toEqual([]);
  });
});
