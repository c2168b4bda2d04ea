// The test a team copies into its own repository: one snapshot of the whole pipeline (the pipeline
// stack and every stage it deploys), stable across machines and runs because asset hashes of your
// own code are normalized. Review snapshot diffs like code: they show what the next deploy changes.
import { PipelineSnapshot } from '../../lib';
import { buildExampleApp } from '../app';

test('the orders-api pipeline matches its snapshot', () => {
  const { app } = buildExampleApp();
  expect(PipelineSnapshot.templates(app)).toMatchSnapshot();
});

test('the snapshot covers the pipeline and every stage it deploys', () => {
  const { app } = buildExampleApp();
  const keys = Object.keys(PipelineSnapshot.templates(app));
  expect(keys).toContain('OrdersPipeline');
  expect(keys.filter((k) => k.endsWith('/OrdersPipelinePipelineProdWave1euwest1OneBoxOrders7E4F0F9A') || k.includes('Prod-Wave-1-eu-west-1-OneBox/'))).toHaveLength(1);
  // alpha, beta, 2 gamma regions, then one-box + fleet in 8 production regions
  expect(keys.filter((k) => k.includes('/'))).toHaveLength(1 + 1 + 2 + 8 * 2);
});
