import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PLAN, SCHEDULED_EVENT } from './fixtures';
import { handler as controllerHandler } from '../../lib/runtime/controller.lambda';
import { consoleDecisionLogger } from '../../lib/runtime/decision-log';
import { cachedPlan, readPlanFile } from '../../lib/runtime/plan-file';
import { handler as rollbackHandler } from '../../lib/runtime/rollback.lambda';

describe('plan file', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wave-plan-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('reads a plan once per container', () => {
    const file = path.join(dir, 'plan.json');
    fs.writeFileSync(file, JSON.stringify(PLAN));
    const plan = cachedPlan(file);
    expect(plan()).toEqual(PLAN);
    fs.rmSync(file);
    expect(plan().pipelineName).toBe('orders');
  });

  test.each([
    ['not JSON', '{', /^release plan .*plan\.json is not JSON \(.*JSON.*\); run `cdk synth` again to rewrite it\.$/],
    ['another schema version', JSON.stringify({ ...PLAN, schemaVersion: 2 }),
      /plan\.json is not a valid release plan:\n {2}- schemaVersion: 2 is not supported; this version of cdk-wave-pipelines reads schemaVersion 1: upgrade cdk-wave-pipelines to the version the app uses$/],
    ['missing fields', JSON.stringify({ schemaVersion: 1 }), new RegExp([
      'plan\\.json is not a valid release plan:',
      '  - pipelineName: is missing; set it to a string',
      '  - pipelineAccount: is missing; set it to a string \\(Account of the pipeline, or `unknown` when the pipeline stack is environment-agnostic\\)',
      '  - pipelineRegion: is missing; set it to a string',
      '  - stopSwitchParameterName: is missing; .*',
      '  - maxWindowHoldMinutes: is missing; set it to a finite number .*',
      '  - stages: is missing; set it to a list of objects \\(name, kind, wave, regions, preSteps\\?, postSteps\\?\\)$',
    ].join('\n'))],
    ['nonsense values in a hand-edited plan', JSON.stringify({ ...PLAN, maxWindowHoldMinutes: 1e9, stages: [{ ...PLAN.stages[0], kind: 'PROD', regions: [{ ...PLAN.stages[0].regions[0], region: 'us-east-9' }] }] }),
      /maxWindowHoldMinutes: 1000000000 is not a whole number of minutes from 1 to 10020\n.*stages\[0\]\.kind: "PROD" is not a stage kind; use "PRE_PRODUCTION" or "PRODUCTION"\n.*stages\[0\]\.regions\[0\]\.region: "us-east-9" is not an AWS region; did you mean "us-east-1"\?/],
  ])('%s is refused with the reason', (_name, text, message) => {
    const file = path.join(dir, 'plan.json');
    fs.writeFileSync(file, text);
    expect(() => readPlanFile(file)).toThrow(message);
  });

  test('the Lambda entries refuse to run without the staged plan.json', async () => {
    await expect(controllerHandler(SCHEDULED_EVENT)).rejects.toThrow(/^cannot read the release plan \/opt\/plan\.json/);
    await expect(rollbackHandler({ targetId: 'x' })).rejects.toThrow(/^cannot read the release plan \/opt\/plan\.json/);
  });
});

describe('decision log', () => {
  test('writes one JSON line per decision', () => {
    const spy = jest.spyOn(console, 'log').mockImplementation(() => {});
    consoleDecisionLogger({ level: 'info', gate: 'BAKE', target: 'beta-us-west-2-fleet', decision: 'PASS', reason: 'ok', inputs: { now: '2025-03-04T14:00:00.000Z' } });
    expect(spy).toHaveBeenCalledWith('{"level":"info","gate":"BAKE","target":"beta-us-west-2-fleet","decision":"PASS","reason":"ok","inputs":{"now":"2025-03-04T14:00:00.000Z"}}');
    spy.mockRestore();
  });
});
