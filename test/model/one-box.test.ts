import { BakeVerdict, decideBake } from '../../lib/model/bake';
import { BakePreset, presetWaveBake } from '../../lib/model/bake-presets';
import { NoTrafficPolicy } from '../../lib/model/declaration';
import { ALIAS_ACTION, decideAliasShift } from '../../lib/model/one-box-shift';
import { buildReleasePlan } from '../../lib/model/release-plan';
import { checkMinRequests } from '../../lib/model/request-bake';
import { ReleaseValidationError } from '../../lib/model/validation';

// Weights: https://docs.aws.amazon.com/lambda/latest/api/API_AliasRoutingConfiguration.html (0.0-1.0, one additional version)
describe('decideAliasShift: how a deployment moves the alias customers call', () => {
  test('the first release into a region creates the alias on the new version: nothing to share with', () => {
    const shift = decideAliasShift(undefined, '1', 0.1);
    expect(shift).toMatchObject({ action: ALIAS_ACTION.CREATE, functionVersion: '1', additionalVersionWeights: {} });
  });
  test('a one-box gives the new version its share; the version customers are on keeps the rest', () => {
    const shift = decideAliasShift({ functionVersion: '6', additionalVersionWeights: {} }, '7', 0.1);
    expect(shift).toMatchObject({ action: ALIAS_ACTION.UPDATE, functionVersion: '6', additionalVersionWeights: { 7: 0.1 } });
    expect(shift.summary).toBe('one-box: 10% to version 7, the rest stays on version 6');
  });
  test('the fleet moves every request to the new version and removes the split', () => {
    const shift = decideAliasShift({ functionVersion: '6', additionalVersionWeights: { 7: 0.1 } }, '7', 1);
    expect(shift).toMatchObject({ action: ALIAS_ACTION.UPDATE, functionVersion: '7', additionalVersionWeights: {} });
  });
  test('the same one-box deployed again with the version the alias already serves removes any split', () => {
    const shift = decideAliasShift({ functionVersion: '6', additionalVersionWeights: { 7: 0.1 } }, '6', 0.1);
    expect(shift).toMatchObject({ action: ALIAS_ACTION.UPDATE, functionVersion: '6', additionalVersionWeights: {} });
  });
  test('a one-box replaces a stale split of another version', () => {
    const shift = decideAliasShift({ functionVersion: '6', additionalVersionWeights: { 5: 0.2 } }, '7', 0.1);
    expect(shift.additionalVersionWeights).toEqual({ 7: 0.1 });
  });
  test('nothing to do when the alias already routes as asked', () => {
    expect(decideAliasShift({ functionVersion: '7', additionalVersionWeights: {} }, '7', 1).action).toBe(ALIAS_ACTION.NONE);
    expect(decideAliasShift({ functionVersion: '6', additionalVersionWeights: { 7: 0.1 } }, '7', 0.1).action).toBe(ALIAS_ACTION.NONE);
  });
  test('a weight outside (0, 1] is refused', () => {
    expect(() => decideAliasShift(undefined, '1', 0)).toThrow('weight 0 must be above 0 and at most 1');
  });
});

describe('bake.minRequests', () => {
  const bake = (extra: object) => ({ minutes: 60, minHealthyDatapoints: 0, noData: 'FAIL', ...extra });
  test('no rule without minRequests', () => {
    expect(checkMinRequests('t', bake({}), 60, undefined)).toBeUndefined();
  });
  test('holds until the requests come (HOLD, the default)', () => {
    const check = checkMinRequests('t', bake({ minRequests: 100 }), 600, 40);
    expect(check).toEqual({ decision: 'WAIT', reason: 't: baked 600 minutes with no alarm; the new code served 40 of the 100 requests bake.minRequests asks for; holds until they come (noTraffic is HOLD)' });
    expect(checkMinRequests('t', bake({ minRequests: 100 }), 600, 100)).toBeUndefined();
  });
  test('FAIL waits trafficWaitMinutes past the bake time, then fails', () => {
    const spec = bake({ minRequests: 100, noTraffic: NoTrafficPolicy.FAIL, trafficWaitMinutes: 30 });
    expect(checkMinRequests('t', spec, 89, 0)?.decision).toBe('WAIT');
    expect(checkMinRequests('t', spec, 90, 0)?.decision).toBe('FAIL');
  });
  test('requests not read while required is a bug, not a pass', () => {
    expect(() => checkMinRequests('t', bake({ minRequests: 1 }), 60, undefined)).toThrow('were not read');
  });
  test('decideBake applies it after the time and the alarms', () => {
    const ok = { name: 'a', state: 'OK', alarmedAt: [] };
    const input = {
      targetId: 'prod-wave-1-eu-west-1-onebox',
      bake: bake({ minRequests: 100, noTraffic: NoTrafficPolicy.FAIL }),
      bakeStart: new Date('2026-01-05T10:00:00Z'),
      now: new Date('2026-01-05T11:00:00Z'),
      compositeAlarm: ok,
      metricAlarms: [{ ...ok, name: 'm', values: [0, 0, 0] }],
      canaries: [],
    };
    expect(decideBake({ ...input, requestsServed: 99 }).decision).toBe(BakeVerdict.WAIT);
    expect(decideBake({ ...input, requestsServed: 100 }).decision).toBe(BakeVerdict.PASS);
    expect(decideBake({ ...input, now: new Date('2026-01-05T12:00:00Z'), requestsServed: 3 }).decision).toBe(BakeVerdict.FAIL);
  });
});

describe('bake presets', () => {
  const decl = (preset?: BakePreset) => ({
    production: { account: '333333333333', bakePreset: preset, waves: [{ regions: ['eu-west-1'] }, { regions: ['us-east-1'] }, { regions: ['us-west-2'] }] },
  });
  const bakes = (preset?: BakePreset) => buildReleasePlan(decl(preset), { pipelineName: 'p' }).stages
    .map((s) => `${s.regions[0].oneBox!.bake.minutes}/${s.regions[0].fleet.bake.minutes}`);
  test('BUILDERS_LIBRARY: 1 h after every one-box, 12 h after wave 1, 4 h after wave 2, 2 h after later waves', () => {
    expect(bakes(BakePreset.BUILDERS_LIBRARY)).toEqual(['60/720', '60/240', '60/120']);
    expect(buildReleasePlan(decl(BakePreset.BUILDERS_LIBRARY), { pipelineName: 'p' }).bakePreset).toBe('BUILDERS_LIBRARY');
  });
  test('QUICK is the default and keeps the earlier defaults', () => {
    expect(bakes()).toEqual(['30/60', '30/60', '15/30']);
    expect(presetWaveBake(BakePreset.QUICK, 5)).toEqual({ oneBoxMinutes: 15, fleetMinutes: 30 });
  });
  test('a bake written in the declaration wins over the preset', () => {
    const plan = buildReleasePlan({ production: { ...decl(BakePreset.BUILDERS_LIBRARY).production, oneBoxBake: { minutes: 90 } } }, { pipelineName: 'p' });
    expect(plan.stages[0].regions[0].oneBox!.bake.minutes).toBe(90);
    expect(plan.stages[0].regions[0].fleet.bake.minutes).toBe(720);
  });
  test('bad preset and request fields are reported together, with path, value and fix', () => {
    const bad = { production: { account: '333333333333', bakePreset: 'AMAZON' as BakePreset, oneBoxBake: { minRequests: -1, noTraffic: 'WAIT' as NoTrafficPolicy, trafficWaitMinutes: 1.5 }, waves: [{ regions: ['eu-west-1'] }] } };
    let message = '';
    try {
      buildReleasePlan(bad, { pipelineName: 'p' });
    } catch (e) {
      expect(e).toBeInstanceOf(ReleaseValidationError);
      message = (e as Error).message;
    }
    expect(message).toContain('production.oneBoxBake.minRequests: -1 must be a whole number of requests between 0 and 10000000, e.g. 100');
    expect(message).toContain('production.oneBoxBake.noTraffic: "WAIT" is not one of "HOLD", "FAIL"');
    expect(message).toContain('production.oneBoxBake.trafficWaitMinutes: 1.5 must be whole minutes between 0 and 10080 (a week), e.g. 60');
    expect(message).toContain('production.bakePreset: "AMAZON" is not one of "QUICK", "BUILDERS_LIBRARY"; use one of them');
    expect(message).toMatch(/^Invalid release declaration \(4 problems\):/);
  });
});
