// `wave-pipelines plan` shows what a bake waits for besides time, and the lead time each bake preset gives.
import { memoryIo } from './memory-io';
import { runCli } from '../../lib/cli/run';
import { BakePreset } from '../../lib/model/bake-presets';
import { NoTrafficPolicy } from '../../lib/model/declaration';
import { THREE_WAVES, planOf } from '../fixtures/plans/declarations';

function planText(production: object): string {
  const plan = planOf({ ...THREE_WAVES, production: { ...THREE_WAVES.production, ...production } });
  const io = memoryIo({ 'cdk.out/manifest.json': '{}', 'cdk.out/wave-pipelines.checkout.plan.json': JSON.stringify(plan) });
  expect(runCli(['plan', '--start', '2026-11-30T07:00:00Z'], io)).toBe(0);
  return io.out.stdout;
}

test('minRequests and the no-traffic policy are shown per region', () => {
  const text = planText({ oneBoxBake: { minRequests: 100, noTraffic: NoTrafficPolicy.FAIL, trafficWaitMinutes: 45 }, bake: { minRequests: 1000 } });
  expect(text).toContain('    requests     one-box bakes until 100 requests reached the new code (fails 45 min after its bake time without them); '
    + 'fleet bakes until 1000 requests reached the new code (holds until they come)\n');
});

test('every preset\'s lead time is shown; the slower ladder gives the longer lead time, and the plan\'s own preset is marked', () => {
  const text = planText({ bakePreset: BakePreset.BUILDERS_LIBRARY });
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.startsWith('Bake presets'));
  expect(at).toBeGreaterThan(0);
  const minutes = (preset: string) => Number(/\((\d+) min\)/.exec(lines.slice(at + 1, at + 3).find((l) => l.trim().startsWith(preset))!)![1]);
  expect(minutes('BUILDERS_LIBRARY')).toBeGreaterThan(minutes('QUICK'));
  expect(lines.slice(at + 1, at + 3).find((l) => l.includes('<- this plan'))).toContain('BUILDERS_LIBRARY');
  // the plan's own lead time is the one its preset gives
  const own = Number(/lead time .* \((\d+) min\)/.exec(text)![1]);
  expect(own).toBe(minutes('BUILDERS_LIBRARY'));
});
