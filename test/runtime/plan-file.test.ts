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
    ['not JSON', '{', /^cannot read the release plan .*plan\.json: .*JSON.*; the construct stages it in the function's plan layer$/],
    ['another schema version', JSON.stringify({ ...PLAN, schemaVersion: 2 }),
      /plan\.json: schemaVersion is 2, expected 1 \(redeploy the pipeline with this version of cdk-wave-pipelines\)$/],
    ['missing fields', JSON.stringify({ schemaVersion: 1 }),
      /plan\.json: pipelineName is missing; pipelineRegion is missing; stopSwitchParameterName is missing; maxWindowHoldMinutes is missing; stages is not a list$/],
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
