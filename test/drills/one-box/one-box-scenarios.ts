/**
 * The one-box drills (docs/drills.md, "One-box drills"): a release of the example through its
 * real `LambdaOneBox` in wave 1 (eu-west-1), healthy, bad, first into the region, and with too
 * few requests for `bake.minRequests`.
 */
import { aliasHistory, declaredShare } from './one-box-invariants';
import { OneBoxDrill } from './one-box-runner';
import { OneBoxWorld, ServiceStack } from './one-box-world';
import { parseAliasMove } from '../../../lib/model/alias-move-record';
import { GATE, parseGateToken } from '../../../lib/model/naming';
import { ActionRun } from '../emulator/codepipeline';
import { HOUR, MINUTE } from '../emulator/sim-clock';

export const WAVE_1_ONE_BOX = 'prod-wave-1-eu-west-1-onebox';
export const WAVE_1_FLEET = 'prod-wave-1-eu-west-1-fleet';
const ALPHA = 'alpha-us-west-2-fleet';
const BETA = 'beta-us-west-2-fleet';
const WAVE_1 = 'Prod-Wave-1';
/** Tuesday 9 February 2027, 07:00 UTC: the release reaches wave 1 within eu-west-1's business hours. */
const TUESDAY = '2027-02-09T07:00:00Z';
/** The example's one-box bake: 30 minutes, 100 requests, `noTraffic: FAIL` 60 minutes after. */
const ONE_BOX = { minutes: 30, minRequests: 100, waitMinutes: 60 };
const RELEASE = 'r2';

/** The bake gate of a target in the release's STANDARD execution. */
export function bakeRun(world: OneBoxWorld, targetId: string, revision = RELEASE): ActionRun | undefined {
  return world.codePipeline.actionRuns.find((r) => {
    const token = parseGateToken(r.action.configuration.CustomData);
    return r.execution.type === 'STANDARD' && r.execution.revision === revision && token?.gate === GATE.BAKE && token.target === targetId;
  });
}

const approved = (world: OneBoxWorld, targetId: string) => bakeRun(world, targetId)?.status === 'Succeeded';
const failed = (world: OneBoxWorld, targetId: string) => bakeRun(world, targetId)?.status === 'Failed';
const wave1 = (world: OneBoxWorld) => world.stackOf(WAVE_1_ONE_BOX);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** Customers' requests per minute: `perMinute` in wave 1's stack, 200 elsewhere. */
function wave1Customers(perMinute: number): (stack: ServiceStack) => number {
  return (stack) => (stack.stageName === WAVE_1 ? perMinute : 200);
}

/** Invocations of the release's version in wave 1 during its one-box bake, and all requests then. */
function oneBoxBakeTraffic(world: OneBoxWorld, until?: number) {
  const stack = wave1(world);
  const run = bakeRun(world, WAVE_1_ONE_BOX)!;
  const version = world.versionOfRevision(stack, RELEASE)!;
  const from = run.startedAt.getTime();
  const to = until ?? (run.status === 'InProgress' ? world.clock.millis : run.lastStatusChange.getTime());
  const traffic = stack.traffic!;
  return { stack, run, version, from, to, invocations: traffic.invocationsOf(version, from, to), requests: traffic.requestsBetween(from, to) };
}

function decisionsAbout(world: OneBoxWorld, targetId: string): string[] {
  return world.decisions.filter((d) => JSON.stringify(d).includes(targetId)).map((d) => JSON.stringify(d));
}

export function oneBoxDrills(): OneBoxDrill[] {
  return [
    {
      name: 'healthy release: the one-box serves about 10% of the invocations, then the fleet moves all of them',
      start: TUESDAY,
      hours: 12,
      until: (world) => approved(world, WAVE_1_FLEET) || failed(world, WAVE_1_ONE_BOX) || failed(world, WAVE_1_FLEET),
      expect: (world) => {
        const problems: string[] = [];
        if (!approved(world, WAVE_1_ONE_BOX) || !approved(world, WAVE_1_FLEET)) {
          return [`wave 1: one-box bake ${bakeRun(world, WAVE_1_ONE_BOX)?.status ?? 'never started'}, fleet bake ${bakeRun(world, WAVE_1_FLEET)?.status ?? 'never started'}; both should be approved`];
        }
        const { stack, version, invocations, requests } = oneBoxBakeTraffic(world);
        const declared = declaredShare(stack)!;
        if (declared !== 0.1) problems.push(`the example's one-box template declares a share of ${declared}, not 0.1 (oneBoxPercent: 10)`);
        const share = invocations / requests;
        // 200 requests a minute for 30 minutes: the share's standard deviation is about 0.4 points.
        if (Math.abs(share - declared) > 0.03) problems.push(`one-box bake: version ${version} served ${invocations} of ${requests} requests (${(share * 100).toFixed(1)}%), not about ${declared * 100}%`);
        if (invocations < ONE_BOX.minRequests) problems.push(`one-box bake approved after ${invocations} invocations of version ${version}, under minRequests ${ONE_BOX.minRequests}`);
        const fleetDeploy = stack.deployments.find((d) => d.targetId === WAVE_1_FLEET && d.revision === RELEASE && d.ok);
        if (!fleetDeploy) return [...problems, 'the fleet of wave 1 never deployed r2'];
        const fleetBake = bakeRun(world, WAVE_1_FLEET)!;
        const after = stack.traffic!;
        const from = fleetDeploy.at.getTime() + MINUTE;
        const all = after.requestsBetween(from, fleetBake.lastStatusChange.getTime());
        const onNew = after.invocationsOf(version, from, fleetBake.lastStatusChange.getTime());
        if (all === 0 || onNew !== all) problems.push(`after the fleet deployment version ${version} served ${onNew} of ${all} requests, not all`);
        const requests2 = stack.customResources.requests.map((r) => `${r.event.RequestType} ${r.event.OldResourceProperties?.Weight ?? '-'}->${r.event.ResourceProperties.Weight} v${r.event.OldResourceProperties?.Version ?? '-'}->v${r.event.ResourceProperties.Version}`);
        const expected = [`Update 1->0.1 v1->v${version}`, `Update 0.1->1 v${version}->v${version}`];
        if (JSON.stringify(requests2) !== JSON.stringify(expected)) problems.push(`custom resource requests ${JSON.stringify(requests2)}, expected ${JSON.stringify(expected)}`);
        const fleetComposite = world.target(WAVE_1_FLEET).composite;
        if (world.alarmChanges.some((c) => c.alarmName === fleetComposite && c.newState === 'ALARM')) problems.push(`the fleet composite ${fleetComposite} went to ALARM in a healthy release`);
        return problems;
      },
    },
    {
      name: 'bad version: its one-box alarm (ExecutedVersion) fires, the one-box rolls back and the fleet never gets it',
      start: TUESDAY,
      hours: 12,
      world: { badRevisions: { r2: { behaviour: { errorRate: 0.05, durationMs: 120 }, stages: [WAVE_1] } } },
      expect: (world) => badVersionExpectations(world),
    },
    {
      name: 'bad version, its alarm event lost: the 1-minute sweep of the controller rolls the one-box back',
      start: TUESDAY,
      hours: 12,
      world: { badRevisions: { r2: { behaviour: { errorRate: 0.05, durationMs: 120 }, stages: [WAVE_1] } } },
      setup: (world) => {
        world.delivery.lost = (event) => event.source === 'aws.cloudwatch';
      },
      expect: (world) => badVersionExpectations(world),
    },
    {
      // The README's 3 a.m. story with the example's own deployment kind: the alias goes back at once.
      name: 'a version bad only at full traffic: the fleet bake fails and the alias is back on the previous version within 60 s',
      start: TUESDAY,
      hours: 12,
      world: { badRevisions: { r2: { behaviour: { errorRate: 0.2, durationMs: 120 }, stages: [WAVE_1], onlyAtFullTraffic: true } } },
      until: (world) => failed(world, WAVE_1_FLEET) && world.clock.millis > bakeRun(world, WAVE_1_FLEET)!.lastStatusChange.getTime() + 10 * MINUTE,
      expect: (world) => {
        const problems: string[] = [];
        if (!approved(world, WAVE_1_ONE_BOX)) problems.push(`the one-box bake ended ${bakeRun(world, WAVE_1_ONE_BOX)?.status ?? 'never started'}; at 10% the version is healthy and should pass`);
        if (!failed(world, WAVE_1_FLEET)) return [...problems, `the fleet bake ended ${bakeRun(world, WAVE_1_FLEET)?.status ?? 'never started'}; it should be rejected`];
        const stack = wave1(world);
        const version = world.versionOfRevision(stack, RELEASE)!;
        const fleetComposite = world.target(WAVE_1_FLEET).composite;
        const fired = world.alarmChanges.find((c) => c.alarmName === fleetComposite && c.newState === 'ALARM');
        if (!fired) return [...problems, `the fleet composite ${fleetComposite} never went to ALARM`];
        const history = aliasHistory(stack);
        const before = history.filter((h) => h.from < fired.at.getTime() && h.state.functionVersion !== version).pop();
        if (!before) return [...problems, `no version served the alias before ${version}`];
        const back = history.find((h) => h.from >= fired.at.getTime() && h.state.functionVersion === before.state.functionVersion
          && Object.keys(h.state.weights).length === 0);
        if (!back) {
          problems.push(`after the fleet composite went to ALARM at ${iso(fired.at.getTime())} the alias never routed all traffic to version ${before.state.functionVersion} again`);
        } else if (back.from - fired.at.getTime() > 60_000) {
          problems.push(`the alias went back to version ${before.state.functionVersion} ${(back.from - fired.at.getTime()) / 1000} s after the fleet composite went to ALARM, over 60 s (${back.by})`);
        }
        return problems;
      },
    },
    {
      name: 'first release into a region: the alias is created on the new version, the fleet deployment moves nothing',
      start: TUESDAY,
      hours: 12,
      world: { newRegions: ['eu-west-1'] },
      until: (world) => approved(world, WAVE_1_FLEET) || failed(world, WAVE_1_ONE_BOX) || failed(world, WAVE_1_FLEET),
      expect: (world) => {
        const problems: string[] = [];
        if (!approved(world, WAVE_1_ONE_BOX) || !approved(world, WAVE_1_FLEET)) {
          problems.push(`wave 1: one-box bake ${bakeRun(world, WAVE_1_ONE_BOX)?.status ?? 'never started'}, fleet bake ${bakeRun(world, WAVE_1_FLEET)?.status ?? 'never started'}; both should be approved`);
        }
        const stack = wave1(world);
        const requests = stack.customResources.requests.map(({ event, error }) => ({
          type: event.RequestType, id: event.PhysicalResourceId, old: event.OldResourceProperties, props: event.ResourceProperties, error,
        }));
        if (requests[0]?.type !== 'Create' || requests[0].id !== undefined || requests[0].old !== undefined) problems.push(`the one-box deployment sent ${JSON.stringify(requests[0])}, not a Create without PhysicalResourceId`);
        if (requests[1]?.type !== 'Update' || requests[1].old?.Weight !== '0.1' || requests[1].props.Weight !== '1') problems.push(`the fleet deployment sent ${JSON.stringify(requests[1])}, not an Update from Weight 0.1 to 1`);
        if (requests.some((r) => r.type === 'Delete' || r.error)) problems.push(`unexpected custom resource requests ${JSON.stringify(requests)}`);
        const version = world.versionOfRevision(stack, RELEASE);
        if (version !== '1') problems.push(`the first version Lambda published in a new region is ${version}, not 1`);
        const history = aliasHistory(stack);
        if (history[0]?.by !== 'CreateAlias' || history[0].state.functionVersion !== version || Object.keys(history[0].state.weights).length > 0) {
          problems.push(`the alias began as ${JSON.stringify(history[0])}, not created on version ${version} with all traffic`);
        }
        const updates = stack.handlerCalls.filter((c) => c.operation !== 'GetAlias');
        if (updates.map((c) => c.operation).join() !== 'CreateAlias') problems.push(`the handler called ${updates.map((c) => c.operation).join(', ')}; only CreateAlias (the fleet finds the alias on its version) expected`);
        return problems;
      },
    },
    {
      name: 'minRequests: low traffic holds the one-box bake past its 30 minutes until 100 requests came',
      start: TUESDAY,
      hours: 12,
      // About 2.6 one-box requests a minute: 100 after about 38 minutes, within noTraffic's 60-minute wait.
      world: { customers: wave1Customers(25) },
      until: (world) => approved(world, WAVE_1_ONE_BOX) || failed(world, WAVE_1_ONE_BOX),
      expect: (world) => {
        if (!approved(world, WAVE_1_ONE_BOX)) return [`the one-box bake ended ${bakeRun(world, WAVE_1_ONE_BOX)?.status ?? 'never started'}; it should be approved once 100 requests came`];
        const { run, version, invocations, from, to } = oneBoxBakeTraffic(world);
        const problems: string[] = [];
        const atBakeTime = oneBoxBakeTraffic(world, from + ONE_BOX.minutes * MINUTE).invocations;
        if (atBakeTime >= ONE_BOX.minRequests) problems.push(`the drill proves nothing: version ${version} had ${atBakeTime} requests when the bake time ended`);
        if (to < from + ONE_BOX.minutes * MINUTE) problems.push(`approved at ${iso(to)}, before the bake time`);
        if (invocations < ONE_BOX.minRequests) problems.push(`approved at ${iso(to)} after ${invocations} requests to version ${version}, under ${ONE_BOX.minRequests}`);
        if (!decisionsAbout(world, WAVE_1_ONE_BOX).some((d) => d.includes('bake.minRequests asks for'))) problems.push('no decision line says the bake waits for requests');
        if (run.status !== 'Succeeded') problems.push(`bake ${run.status}`);
        return problems;
      },
    },
    {
      name: 'minRequests, noTraffic FAIL: no customers, the one-box bake fails 60 minutes after its bake time and rolls back',
      start: TUESDAY,
      hours: 12,
      world: { customers: wave1Customers(0) },
      expect: (world) => {
        if (!failed(world, WAVE_1_ONE_BOX)) return [`the one-box bake ended ${bakeRun(world, WAVE_1_ONE_BOX)?.status ?? 'never started'}; with no customers and noTraffic FAIL it should be rejected`];
        const { run, invocations, from, to } = oneBoxBakeTraffic(world);
        const problems: string[] = [];
        const deadline = from + (ONE_BOX.minutes + ONE_BOX.waitMinutes) * MINUTE;
        if (to < deadline) problems.push(`rejected at ${iso(to)}, before the noTraffic deadline ${iso(deadline)}`);
        if (to > deadline + 2 * MINUTE) problems.push(`rejected at ${iso(to)}, over 2 minutes after the noTraffic deadline ${iso(deadline)}`);
        if (invocations >= ONE_BOX.minRequests) problems.push(`the drill proves nothing: the one-box served ${invocations} requests`);
        if (!decisionsAbout(world, WAVE_1_ONE_BOX).some((d) => d.includes('noTraffic is FAIL'))) problems.push('no decision line gives noTraffic FAIL as the reason');
        problems.push(...fleetNeverDeployed(world));
        if (run.status !== 'Failed') problems.push(`bake ${run.status}`);
        return problems;
      },
    },
    {
      name: 'minRequests, noTraffic HOLD: no customers, the one-box bake holds and the fleet waits',
      start: TUESDAY,
      hours: 12,
      app: 'hold',
      world: { customers: wave1Customers(0) },
      until: (world) => {
        const run = bakeRun(world, WAVE_1_ONE_BOX);
        return run !== undefined && (run.status !== 'InProgress' || world.clock.millis >= run.startedAt.getTime() + 4 * HOUR);
      },
      expect: (world) => {
        const run = bakeRun(world, WAVE_1_ONE_BOX);
        if (!run) return ['the one-box bake never started'];
        const problems: string[] = [];
        if (run.status !== 'InProgress') problems.push(`the one-box bake ended ${run.status} after ${Math.round((run.lastStatusChange.getTime() - run.startedAt.getTime()) / MINUTE)} minutes; with noTraffic HOLD it should still wait`);
        if (!decisionsAbout(world, WAVE_1_ONE_BOX).some((d) => d.includes('holds until they come (noTraffic is HOLD)'))) problems.push('no decision line says the bake holds for requests');
        problems.push(...fleetNeverDeployed(world));
        const alias = aliasHistory(wave1(world)).pop()!.state;
        const version = world.versionOfRevision(wave1(world), RELEASE)!;
        if (alias.functionVersion !== '1' || alias.weights[version] !== 0.1) problems.push(`while the bake holds the alias should keep 10% on version ${version}: ${JSON.stringify(alias)}`);
        return problems;
      },
    },
    {
      name: 'fleet stack update fails after the alias moved: CloudFormation rolls the alias shift back to the one-box',
      start: TUESDAY,
      hours: 12,
      world: { failingUpdate: failFleetOfRelease },
      expect: (world) => fleetRolledBackExpectations(world),
    },
    {
      name: 'pre-production signals: a version bad in beta only leaves alpha\'s alarms alone',
      start: TUESDAY,
      hours: 6,
      world: { badRevisions: { r2: { behaviour: { errorRate: 0.2, durationMs: 120 }, stages: ['beta'] } } },
      until: (world) => {
        const beta = bakeRun(world, BETA);
        return beta !== undefined && beta.status !== 'InProgress' && world.clock.millis >= beta.lastStatusChange.getTime() + 10 * MINUTE;
      },
      expect: (world) => {
        const problems: string[] = [];
        if (bakeRun(world, BETA)?.status !== 'Failed') problems.push(`beta's bake ended ${bakeRun(world, BETA)?.status ?? 'never started'}; the version bad in beta should fail it`);
        const alpha = world.target(ALPHA).composite;
        for (const change of world.alarmChanges.filter((c) => c.alarmName === alpha && c.newState === 'ALARM')) {
          problems.push(`alpha's composite ${alpha} went to ALARM at ${change.at.toISOString()} though alpha served no error`);
        }
        return problems;
      },
    },
  ];
}

/** A resource after the alias shift fails in the fleet's stack update of the release in wave 1. */
export function failFleetOfRelease(_stack: ServiceStack, targetId: string, revision: string): string | undefined {
  return targetId === WAVE_1_FLEET && revision === RELEASE ? 'ApiDeployment: UPDATE_FAILED (drill: a resource after the alias shift fails)' : undefined;
}

/**
 * The failed fleet deployment's own checks: CloudFormation's rollback Update (sent while the stack
 * is UPDATE_ROLLBACK_IN_PROGRESS) puts the alias back as the one-box left it, with a note that
 * records no move, and only that request read the stack's status.
 */
export function fleetRolledBackExpectations(world: OneBoxWorld): string[] {
  const stack = wave1(world);
  const problems: string[] = [];
  const rollback = stack.customResources.requests.find((r) => r.phase === 'ROLLBACK');
  if (rollback?.event.RequestType !== 'Update' || rollback.event.OldResourceProperties?.Weight !== '1' || rollback.event.ResourceProperties.Weight !== '0.1'
    || rollback.stackStatus !== 'UPDATE_ROLLBACK_IN_PROGRESS') {
    return [`CloudFormation's rollback sent ${JSON.stringify(rollback?.event)} (stack ${rollback?.stackStatus}), not an Update back from Weight 1 to 0.1 during UPDATE_ROLLBACK_IN_PROGRESS`];
  }
  if (rollback.error) problems.push(`the handler failed CloudFormation's rollback Update: ${rollback.error}`);
  if (bakeRun(world, WAVE_1_FLEET)) problems.push('the fleet bake started though the fleet deployment failed');
  const version = world.versionOfRevision(stack, RELEASE)!;
  const rolledBackAt = rollback.at.getTime();
  const history = aliasHistory(stack);
  const allOnNew = (h: (typeof history)[number]) => h.state.functionVersion === version && Object.keys(h.state.weights).length === 0;
  const fleetMove = history.filter((h) => h.from <= rolledBackAt && allOnNew(h)).pop();
  if (!fleetMove) problems.push(`the fleet deployment never moved all traffic to version ${version} before the rollback: the drill proves nothing`);
  const oneBoxState = history.filter((h) => h.from < (fleetMove?.from ?? rolledBackAt)).pop()?.state;
  const after = history.filter((h) => h.from <= rolledBackAt).pop();
  const routing = (state?: { functionVersion: string; weights: Record<string, number> }) =>
    state && JSON.stringify({ functionVersion: state.functionVersion, weights: state.weights });
  if (!oneBoxState || oneBoxState.functionVersion === version || oneBoxState.weights[version] !== 0.1) {
    problems.push(`before the fleet moved it the alias routed ${routing(oneBoxState)}, not 10% to version ${version}`);
  } else if (routing(after?.state) !== routing(oneBoxState)) {
    problems.push(`after CloudFormation's rollback the alias routes ${routing(after?.state)} (${after?.by}), not as the one-box left it: ${routing(oneBoxState)}`);
  }
  if (parseAliasMove(after?.state.description) !== undefined) {
    problems.push(`after the rollback the alias's description "${after?.state.description}" still records a move a fleet rollback would act on`);
  }
  const reads = stack.handlerCalls.filter((c) => c.operation === 'DescribeStacks');
  if (reads.length !== 1 || reads[0].at.getTime() !== rolledBackAt) {
    problems.push(`the handler read the stack's status at ${reads.map((c) => iso(c.at.getTime())).join(', ') || 'no time'}; only CloudFormation's rollback Update (${iso(rolledBackAt)}) needs it`);
  }
  return problems;
}

/** The bad-version drill's own checks (also run by the drill that proves the invariants can fail). */
export function badVersionExpectations(world: OneBoxWorld): string[] {
  const problems: string[] = [];
  if (!failed(world, WAVE_1_ONE_BOX)) return [`the one-box bake of wave 1 ended ${bakeRun(world, WAVE_1_ONE_BOX)?.status ?? 'never started'}; the bad version should be rejected there`];
  const stack = wave1(world);
  const own = [...stack.alarms.values()].filter((a) => JSON.stringify(a.queries).includes('ExecutedVersion')).map((a) => a.name);
  const rejectedAt = bakeRun(world, WAVE_1_ONE_BOX)!.lastStatusChange.getTime();
  const ownFired = world.alarmChanges.filter((c) => own.includes(c.alarmName) && c.newState === 'ALARM' && c.at.getTime() <= rejectedAt);
  if (ownFired.length === 0) problems.push(`none of the one-box's own alarms (${own.join(', ')}) went to ALARM before the rejection`);
  const fleetComposite = world.target(WAVE_1_FLEET).composite;
  const fleetFired = world.alarmChanges.filter((c) => c.alarmName === fleetComposite && c.newState === 'ALARM');
  if (fleetFired.length > 0) problems.push(`the fleet composite went to ALARM at ${fleetFired.map((c) => c.at.toISOString()).join(', ')}: 10% of a 5% error rate should not reach the aggregate alarm`);
  problems.push(...fleetNeverDeployed(world));
  const r2 = world.codePipeline.executions.find((e) => e.type === 'STANDARD' && e.revision === RELEASE)!;
  if (r2.status !== 'Failed') problems.push(`release r2 ended ${r2.status}, not Failed`);
  return problems;
}

function fleetNeverDeployed(world: OneBoxWorld): string[] {
  const deploys = wave1(world).deployments.filter((d) => d.targetId === WAVE_1_FLEET && d.revision === RELEASE);
  return deploys.length > 0 ? [`the fleet of wave 1 deployed r2 at ${deploys.map((d) => d.at.toISOString()).join(', ')}`] : [];
}
