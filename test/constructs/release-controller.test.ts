import * as fs from 'fs';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { runtimeBundleDir } from '../../lib/constructs/runtime-asset';
import { THREE_WAVES, pipelineApp } from '../fixtures/apps';

/** Asset staging of the release controller: the bundles are shared, the plan rides in a layer. */
describe('ReleaseController assets', () => {
  const built = pipelineApp(THREE_WAVES);
  const assembly = built.app.synth();
  const template = Template.fromStack(built.stack);
  const outdir = assembly.directory;
  const resources = template.toJSON().Resources as Record<string, any>;
  // The staged asset directory of a function's code or a layer's content: cdk.out/asset.<hash>.
  const assetDir = (resource: any) => {
    const key: string = (resource.Properties.Code ?? resource.Properties.Content).S3Key;
    return path.join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
  };

  const functions = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function' && /cdk-wave-pipelines/.test(r.Properties.Description));
  const layers = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::LayerVersion');

  test('each function\'s code is exactly its pre-built bundle (nothing else, so its hash is the bundle\'s)', () => {
    expect(functions).toHaveLength(2);
    for (const fn of functions) {
      const name = /release controller/.test(fn.Properties.Description) ? 'controller' : 'rollback';
      expect(fs.readdirSync(assetDir(fn))).toStrictEqual(['index.js']);
      expect(fs.readFileSync(path.join(assetDir(fn), 'index.js'))).toStrictEqual(fs.readFileSync(path.join(runtimeBundleDir(name), 'index.js')));
    }
  });

  test('both functions read the plan from one layer holding plan.json alone, with the dated holidays', () => {
    expect(layers).toHaveLength(1);
    const layerId = Object.keys(resources).find((k) => resources[k] === layers[0]);
    for (const fn of functions) expect(fn.Properties.Layers).toStrictEqual([{ Ref: layerId }]);
    expect(fs.readdirSync(assetDir(layers[0]))).toStrictEqual(['plan.json']);
    const plan = JSON.parse(fs.readFileSync(path.join(assetDir(layers[0]), 'plan.json'), 'utf8'));
    expect(plan).toStrictEqual(JSON.parse(JSON.stringify(built.pipeline.plan)));
    const windows = plan.stages.flatMap((s: any) => s.regions).filter((r: any) => r.window?.holidayCountry);
    expect(windows.length).toBeGreaterThan(0);
    for (const r of windows) expect(r.window.holidays.length).toBeGreaterThan(0);
  });

  test('two pipelines share the bundle assets; only their plan layers differ', () => {
    const other = pipelineApp(THREE_WAVES, { pipelineName: 'payments' });
    const otherResources = other.template().toJSON().Resources as Record<string, any>;
    const code = (rs: Record<string, any>) => Object.values(rs).filter((r) => r.Type === 'AWS::Lambda::Function' && /cdk-wave-pipelines/.test(r.Properties.Description))
      .map((r) => r.Properties.Code.S3Key).sort();
    const layerKey = (rs: Record<string, any>) => Object.values(rs).find((r) => r.Type === 'AWS::Lambda::LayerVersion').Properties.Content.S3Key;
    expect(code(otherResources)).toStrictEqual(code(resources));
    expect(layerKey(otherResources)).not.toBe(layerKey(resources));
  });
});
