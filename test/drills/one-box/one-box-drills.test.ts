// One-box drills: the example's release through its real LambdaOneBox (custom resource handler,
// weighted alias routing, ExecutedVersion metrics, request-count bakes) with the REAL release
// controller and rollback, minute by minute of simulated time. docs/drills.md, "One-box drills".
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runOneBoxDrill } from './one-box-runner';
import { oneBoxDrills } from './one-box-scenarios';
import { synthesizeExample, SynthesizedApp } from '../emulator/synthesized-app';
import { ORDERS_RELEASE } from '../../../examples/app';
import { ServiceStage } from '../../../examples/service/service-stack';
import { IDeploymentStageFactory, NoTrafficPolicy, ReleaseDeclaration } from '../../../lib';

/** The example's own service (examples/app.ts deploys it to every target). */
const exampleService: IDeploymentStageFactory = { createStage: (scope, id, target) => new ServiceStage(scope, id, target) };

const outdirs: string[] = [];
function synth(name: string, release: ReleaseDeclaration): SynthesizedApp {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `wave-one-box-${name}-`));
  outdirs.push(dir);
  return synthesizeExample(dir, release, { stageFactory: exampleService, keepRequestBakes: true });
}

const example = synth('example', ORDERS_RELEASE);
const hold = synth('hold', {
  ...ORDERS_RELEASE,
  production: { ...ORDERS_RELEASE.production, oneBoxBake: { ...ORDERS_RELEASE.production.oneBoxBake, noTraffic: NoTrafficPolicy.HOLD } },
});

afterAll(() => outdirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

describe('one-box drills of the example pipeline', () => {
  for (const drill of oneBoxDrills()) {
    test(drill.name, async () => {
      const result = await runOneBoxDrill(drill, drill.app === 'hold' ? hold : example);
      if (process.env.ONE_BOX_DEBUG) {
        const w = result.world;
        const st = w.stackOf('prod-wave-1-eu-west-1-onebox');
        // eslint-disable-next-line no-console
        console.error(drill.name, result.simulatedMinutes, JSON.stringify({
          deployments: st.deployments, requests: st.customResources.requests.map((r) => [r.event.RequestType, r.event.ResourceProperties.Weight, r.event.ResourceProperties.Version, r.error]),
          alarms: w.alarmChanges.filter((c) => c.region === 'eu-west-1').map((c) => `${c.at.toISOString()} ${c.alarmName} ${c.newState}`),
          bakes: w.codePipeline.actionRuns.filter((r) => r.action.category === 'Approval' && r.stageName === 'Prod-Wave-1').map((r) => `${r.execution.type} ${r.execution.revision} ${r.action.name} ${r.startedAt.toISOString()} ${r.status} ${r.lastStatusChange.toISOString()}`),
          decisions: w.decisions.filter((d) => JSON.stringify(d).includes('eu-west-1-onebox')).slice(-3).map((d) => `${d.inputs?.at} ${d.decision} ${d.reason}`),
          violations: result.violations,
        }, null, 1));
      }
      expect(result.violations).toEqual([]);
    }, 300_000);
  }
});
