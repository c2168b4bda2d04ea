// ECS one-box drills: a release of a small ECS service through its real EcsOneBox (the fleet pin
// custom resource, weighted target groups, per-target-group ELB metrics, request-count bakes) with
// the REAL release controller and rollback, minute by minute of simulated time.
// docs/drills.md, "ECS one-box drills". DRILLS_PRINT=1 prints what each drill showed.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkEcsInvariants } from './ecs-invariants';
import { EcsDrill, runEcsDrill } from './ecs-runner';
import { ecsDrills, WAVE_1_FLEET } from './ecs-scenarios';
import { ECS_RELEASE, EcsDrillServiceFactory, FLEET_SERVICE } from './ecs-service-app';
import { healthParameterName } from '../../../lib/model/naming';
import { synthesizeExample, SynthesizedApp } from '../emulator/synthesized-app';

const outdirs: string[] = [];
function synth(name: string, withLatency: boolean): SynthesizedApp {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `wave-ecs-one-box-${name}-`));
  outdirs.push(dir);
  return synthesizeExample(dir, ECS_RELEASE, { stageFactory: new EcsDrillServiceFactory(withLatency), keepRequestBakes: true });
}

let latency: SynthesizedApp;
beforeAll(() => {
  // The fleet pin logs one line a request, as it does in Lambda; CDK warns about the pinned task definition.
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
  latency = synth('latency', true);
}, 120_000);
afterAll(() => {
  outdirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
  jest.restoreAllMocks();
});

async function run(drill: EcsDrill) {
  const result = await runEcsDrill(drill, latency);
  if (process.env.DRILLS_PRINT) process.stdout.write(`${drill.name}\n  ${drill.summary?.(result.world) ?? ''}\n  rollbacks ${JSON.stringify(result.rollbacks)}\n  violations ${JSON.stringify(result.violations)}\n`);
  return result;
}
const drill = (name: RegExp) => ecsDrills().find((d) => name.test(d.name))!;

describe('ECS one-box drills', () => {
  // ELB reports HTTPCode_* counts only when nonzero (load-balancer-cloudwatch-metrics.html): a
  // healthy service watched by them alone has no datapoint in a bake, which noData FAIL fails. The
  // declaration is refused before anything is synthesized, with the fix.
  test('a service whose stages watch 5XX counts alone is refused at synth, saying what to watch as well', () => {
    expect(() => synth('errors-only', false)).toThrow(/watches a load balancer HTTPCode_\* count, which AWS reports only when it is nonzero: a healthy target produces no datapoint during its \d+-minute bake, and with noData FAIL \(the default\) the bake fails; also watch a metric reported whenever requests flow/);
  });

  for (const d of ecsDrills()) {
    if (d.knownDefect) {
      test.failing(`${d.name} -- known open defect: ${d.knownDefect}`, async () => {
        expect((await run(d)).violations).toEqual([]);
      }, 120_000);
    } else {
      test(d.name, async () => {
        expect((await run(d)).violations).toEqual([]);
      }, 120_000);
    }
  }
});

describe('the ECS one-box invariants catch what they guard', () => {
  test('a one-box deployment that moves the fleet to the new task definition is reported', async () => {
    const result = await run({
      ...drill(/^healthy release/),
      // A fleet pin that answered the new task definition instead of the one the fleet runs.
      world: { pinAnswer: (event, answer) => ({ ...answer, Data: { TaskDefinition: event.ResourceProperties.NewTaskDefinition } }) },
    });
    expect(result.violations).toEqual(expect.arrayContaining([
      expect.stringMatching(new RegExp(`^fleet kept: the one-box deployment of r2 at .* moved the fleet service ${FLEET_SERVICE} from .*task-definition/([\\w-]+):1 to .*task-definition/\\1:2$`)),
      expect.stringMatching(/^share: prod-wave-1-eu-west-1-onebox \(r2\) bake .*: the fleet target group served \d+ requests on r2 while the one-box baked it$/),
    ]));
  }, 120_000);

  test('a fleet manifest watching a one-box target-group alarm is reported', async () => {
    const result = await run(drill(/^healthy release/));
    expect(result.violations).toEqual([]);
    const world = result.world;
    const stack = world.stackOf(WAVE_1_FLEET);
    const name = healthParameterName(world.plan.pipelineName, WAVE_1_FLEET);
    const manifest = JSON.parse(stack.services.ssm.value(name)!);
    const oneBoxAlarm = [...stack.alarms.keys()].find((a) => a.includes('OneBoxErrors'))!;
    stack.services.ssm.put(name, JSON.stringify({ ...manifest, alarmNames: [...manifest.alarmNames, oneBoxAlarm] }));
    expect(checkEcsInvariants(world).violations).toEqual([`disjoint: the fleet ${WAVE_1_FLEET} watches one-box-scoped alarms ${oneBoxAlarm}`]);
  }, 120_000);
});
