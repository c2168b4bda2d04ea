/**
 * The ECS one-box drills (docs/drills.md, "ECS one-box drills"): a release of the drill service
 * (ecs-service-app.ts) through its real `EcsOneBox` in wave 1 (eu-west-1): healthy, a bad task
 * definition, the first release into the region, the same release deployed again, and the 5XX
 * alarms alone.
 */
import { bakeRuns } from './ecs-invariants';
import { EcsDrill } from './ecs-runner';
import { FLEET_SERVICE, ONE_BOX_SERVICE } from './ecs-service-app';
import { DEFAULT_REQUESTS_PER_MINUTE, EcsStack, EcsWorld } from './ecs-world';
import { MINUTE } from '../emulator/sim-clock';

export const WAVE_1_ONE_BOX = 'prod-wave-1-eu-west-1-onebox';
export const WAVE_1_FLEET = 'prod-wave-1-eu-west-1-fleet';
const WAVE_1 = 'Prod-Wave-1';
/** Tuesday 9 February 2027, 07:00 UTC, as the Lambda one-box drills. */
const TUESDAY = '2027-02-09T07:00:00Z';
const RELEASE = 'r2';
/** The release after r2 (a fix). */
const NEXT = 'r3';
const ONE_BOX_WEIGHT = 0.1;
const MIN_REQUESTS = 100;

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const lastBake = (world: EcsWorld, targetId: string, revision = RELEASE) =>
  bakeRuns(world, targetId).filter((r) => r.execution.revision === revision).pop();
const approved = (world: EcsWorld, targetId: string, revision = RELEASE) => lastBake(world, targetId, revision)?.status === 'Succeeded';
const failed = (world: EcsWorld, targetId: string, revision = RELEASE) => lastBake(world, targetId, revision)?.status === 'Failed';
const wave1 = (world: EcsWorld) => world.stackOf(WAVE_1_ONE_BOX);

function serviceOf(stack: EcsStack, name: string) {
  const service = [...stack.ecs.services.values()].find((s) => s.serviceName === name);
  if (!service) throw new Error(`drills: no service ${name} in ${stack.stackName}`);
  return service;
}

/** The release each service's tasks serve at the end, e.g. `shop-onebox r2`. */
function servingNow(world: EcsWorld, stack: EcsStack): string[] {
  return [ONE_BOX_SERVICE, FLEET_SERVICE].map((name) => {
    const td = stack.ecs.servingAt(serviceOf(stack, name), world.clock.millis);
    return `${name} ${td ? world.releaseOf(stack, td) : 'nothing'}`;
  });
}

/** The fleet pin's requests, e.g. `Create -> ...:2` or `Delete`. */
function pinRequests(stack: EcsStack): string[] {
  return stack.customResources.requests.map((r) => `${r.event.RequestType}${r.phase === 'UPDATE' ? '' : ` (${r.phase})`}${r.response?.Data ? ` -> ${r.response.Data.TaskDefinition.split('/').pop()}` : ''}${r.error ? ` failed: ${r.error}` : ''}`);
}

/** Requests of the one-box bake: all, the one-box's, and those on the release's image in each target group. */
function oneBoxBakeTraffic(world: EcsWorld) {
  const stack = wave1(world);
  const run = lastBake(world, WAVE_1_ONE_BOX)!;
  const from = run.startedAt.getTime();
  const to = run.status === 'InProgress' ? world.clock.millis : run.lastStatusChange.getTime();
  const groupOf = (name: string) => stack.deployed!.services.find((s) => s.serviceName === name)!.targetGroupFullName;
  const [oneBoxGroup, fleetGroup] = [groupOf(ONE_BOX_SERVICE), groupOf(FLEET_SERVICE)];
  const ofRelease = (td: string) => world.releaseOf(stack, td) === RELEASE;
  return {
    stack,
    run,
    from,
    to,
    all: stack.traffic!.served(undefined, from, to),
    oneBox: stack.traffic!.served(oneBoxGroup, from, to),
    oneBoxOnRelease: stack.traffic!.served(oneBoxGroup, from, to, ofRelease),
    fleet: stack.traffic!.served(fleetGroup, from, to),
    fleetOnRelease: stack.traffic!.served(fleetGroup, from, to, ofRelease),
    fleetGroup,
    oneBoxGroup,
  };
}

/**
 * The release's tasks answer 30% of their requests with a 5XX in wave 1 (production data only),
 * from their start or from `afterMinutes` on.
 */
function badTaskDefinition(name: string, options: { afterMinutes?: number; setup?: (world: EcsWorld) => void } = {}): EcsDrill {
  const { afterMinutes, setup } = options;
  return {
    name,
    setup,
    start: TUESDAY,
    hours: 12,
    world: {
      badReleases: { r2: { behaviour: { errorRate: 0.3, responseTimeMs: 80 }, stages: [WAVE_1], ...(afterMinutes ? { afterMinutes } : {}) } },
    },
    until: (world) => {
      const rollback = world.codePipeline.executions.find((e) => e.type === 'ROLLBACK' && e.rollback?.stageName === WAVE_1);
      return failed(world, WAVE_1_FLEET) || (rollback !== undefined && rollback.status !== 'InProgress' && world.clock.millis > rollback.lastUpdateTime.getTime() + 10 * MINUTE);
    },
    expect: (world) => {
      const problems: string[] = [];
      if (!failed(world, WAVE_1_ONE_BOX)) return [`the one-box bake of r2 ended ${lastBake(world, WAVE_1_ONE_BOX)?.status ?? 'never started'}; it should be rejected`];
      const stack = wave1(world);
      const oneBoxAlarm = [...stack.alarms.keys()].find((n) => n.includes('OneBoxErrors'))!;
      if (!stack.services.cloudWatch.history.some((h) => h.alarmName === oneBoxAlarm && h.newState === 'ALARM')) problems.push(`the one-box 5XX alarm ${oneBoxAlarm} never went to ALARM`);
      if (lastBake(world, WAVE_1_FLEET)) problems.push('the fleet bake of r2 started; the release should stop at the one-box');
      if (stack.deploymentLog.some((d) => d.targetId === WAVE_1_FLEET && d.revision === RELEASE)) problems.push('the fleet deployment of r2 ran');
      const fleet = serviceOf(stack, FLEET_SERVICE);
      const onBad = fleet.deployments.filter((d) => world.releaseOf(stack, d.taskDefinition) === RELEASE);
      if (onBad.length > 0) problems.push(`the fleet service ran r2 from ${iso(onBad[0].startedAt)}`);
      const w = badWindow(world);
      if (w.fleet.errors !== 0 || w.fleet.requests === 0) problems.push(`the fleet target group answered ${w.fleet.errors} 5XX of ${w.fleet.requests} requests; it should serve all without error`);
      if (w.oneBox.errors === 0) problems.push('the one-box served no 5XX: the bad task definition was never exercised');
      const serving = servingNow(world, stack);
      if (serving.join() !== `${ONE_BOX_SERVICE} r1,${FLEET_SERVICE} r1`) problems.push(`at the end ${serving.join(', ')}; the stage rollback should have put the one-box back on r1`);
      const rollback = world.codePipeline.executions.find((e) => e.type === 'ROLLBACK' && e.rollback?.stageName === WAVE_1);
      if (rollback?.status !== 'Succeeded') problems.push(`the ROLLBACK execution of ${WAVE_1} ended ${rollback?.status ?? 'never started'}`);
      return problems;
    },
    summary: (world) => {
      const stack = wave1(world);
      const w = badWindow(world);
      const run = lastBake(world, WAVE_1_ONE_BOX)!;
      const reason = world.decisions.find((d) => d.gate === 'BAKE' && d.target === WAVE_1_ONE_BOX && d.decision === 'FAIL')?.reason;
      return `one-box bake rejected at ${iso(run.lastStatusChange.getTime())} (${reason ?? 'no FAIL decision logged'}); from the one-box deployment to the end the one-box answered ${w.oneBox.errors} 5XX of ${w.oneBox.requests} requests, the fleet ${w.fleet.errors} of ${w.fleet.requests}; fleet pin: ${pinRequests(stack).join(', ')}; at the end ${servingNow(world, stack).join(', ')}`;
    },
  };
}

/** The first ModifyListener of the wave-1 one-box's rollback: seconds after its health alarm, by which role, the weights it set. */
function drainOf(world: EcsWorld): { seconds: number; by: string; weights: string } | undefined {
  const composite = world.target(WAVE_1_ONE_BOX).composite;
  const alarm = world.alarmChanges.find((c) => c.alarmName === composite && c.newState === 'ALARM');
  const call = world.journal.calls.find((c) => c.service === 'elbv2' && c.operation === 'ModifyListener' && c.ok);
  if (!alarm || !call) return undefined;
  const weights = (call.input.DefaultActions as any[]).flatMap((a) => a.ForwardConfig?.TargetGroups ?? [])
    .map((g: any) => `${String(g.TargetGroupArn).split('/')[1]} ${g.Weight}`).join(', ');
  const by = world.alarmRollbacks.some((r) => r.report?.items.some((i) => i.kind === 'LISTENER' && i.action === 'RESET' && r.at.getTime() === call.at.getTime()))
    ? 'the alarm rollback' : 'the release controller';
  return { seconds: Math.round((call.at.getTime() - alarm.at.getTime()) / 1000), by, weights };
}

/** Fleet bake and one-box bake both approved, else why not. */
function bothApproved(world: EcsWorld, revision = RELEASE): string[] {
  if (approved(world, WAVE_1_ONE_BOX, revision) && approved(world, WAVE_1_FLEET, revision)) return [];
  return [`wave 1 (${revision}): one-box bake ${lastBake(world, WAVE_1_ONE_BOX, revision)?.status ?? 'never started'}, fleet bake ${lastBake(world, WAVE_1_FLEET, revision)?.status ?? 'never started'}; both should be approved`];
}

/** Requests of each target group from the one-box deployment of r2 to the end of the drill. */
function badWindow(world: EcsWorld) {
  const stack = wave1(world);
  const from = stack.deploymentLog.find((d) => d.targetId === WAVE_1_ONE_BOX && d.revision === RELEASE)!.at.getTime();
  const group = (name: string) => stack.deployed!.services.find((s) => s.serviceName === name)!.targetGroupFullName;
  return {
    oneBox: stack.traffic!.served(group(ONE_BOX_SERVICE), from, world.clock.millis),
    fleet: stack.traffic!.served(group(FLEET_SERVICE), from, world.clock.millis),
  };
}

function healthyExpectations(world: EcsWorld): string[] {
  const problems = bothApproved(world);
  if (problems.length > 0) return problems;
  const t = oneBoxBakeTraffic(world);
  const share = t.oneBox.requests / t.all.requests;
  if (Math.abs(share - ONE_BOX_WEIGHT) > 0.03) problems.push(`one-box bake: the one-box served ${t.oneBox.requests} of ${t.all.requests} requests (${(share * 100).toFixed(1)}%), not about ${ONE_BOX_WEIGHT * 100}%`);
  if (t.oneBoxOnRelease.requests !== t.oneBox.requests) problems.push(`one-box bake: ${t.oneBox.requests - t.oneBoxOnRelease.requests} one-box requests were not on ${RELEASE}`);
  if (t.oneBoxOnRelease.requests < MIN_REQUESTS) problems.push(`one-box bake approved after ${t.oneBoxOnRelease.requests} requests on ${RELEASE}, under minRequests ${MIN_REQUESTS}`);
  if (t.fleetOnRelease.requests !== 0 || t.fleet.requests === 0) problems.push(`one-box bake: the fleet served ${t.fleetOnRelease.requests} of its ${t.fleet.requests} requests on ${RELEASE}; it should keep r1`);
  const fleetDeploy = t.stack.deploymentLog.find((d) => d.targetId === WAVE_1_FLEET && d.revision === RELEASE && d.ok);
  if (!fleetDeploy) return [...problems, 'the fleet of wave 1 never deployed r2'];
  const fleetBake = lastBake(world, WAVE_1_FLEET)!;
  const [from, to] = [fleetDeploy.doneAt + MINUTE, fleetBake.lastStatusChange.getTime()];
  const after = t.stack.traffic!.served(undefined, from, to);
  const afterOnRelease = t.stack.traffic!.served(undefined, from, to, (td) => world.releaseOf(t.stack, td) === RELEASE);
  if (after.requests === 0 || afterOnRelease.requests !== after.requests) problems.push(`after the fleet deployment ${afterOnRelease.requests} of ${after.requests} requests were on ${RELEASE}, not all`);
  const pins = pinRequests(t.stack);
  const r1 = serviceOf(t.stack, FLEET_SERVICE).deployments[0].taskDefinition.split('/').pop();
  const expected = [`Create -> ${r1}`, 'Delete (CLEANUP)'];
  if (JSON.stringify(pins) !== JSON.stringify(expected)) problems.push(`fleet pin requests ${JSON.stringify(pins)}, expected ${JSON.stringify(expected)}`);
  const fleetComposite = world.target(WAVE_1_FLEET).composite;
  if (world.alarmChanges.some((c) => c.alarmName === fleetComposite && c.newState === 'ALARM')) problems.push(`the fleet composite ${fleetComposite} went to ALARM in a healthy release`);
  return problems;
}

function healthySummary(world: EcsWorld): string {
  const t = oneBoxBakeTraffic(world);
  const minutes = Math.round((t.to - t.from) / MINUTE);
  return `one-box bake approved after ${minutes} min with ${t.oneBox.requests} of ${t.all.requests} requests (${(t.oneBox.requests / t.all.requests * 100).toFixed(1)}%) on the one-box, all on r2; the fleet served its ${t.fleet.requests} on r1; fleet pin: ${pinRequests(t.stack).join(', ')}; at the end ${servingNow(world, t.stack).join(', ')}`;
}

export function ecsDrills(): EcsDrill[] {
  return [
    {
      name: 'healthy release: the one-box takes about 10% of the requests on the new task definition, the fleet keeps the previous one, then the fleet deployment moves everything',
      start: TUESDAY,
      hours: 12,
      until: (world) => approved(world, WAVE_1_FLEET) || failed(world, WAVE_1_ONE_BOX) || failed(world, WAVE_1_FLEET),
      expect: healthyExpectations,
      summary: healthySummary,
    },
    badTaskDefinition('bad task definition: the one-box target group\'s 5XX alarm fails its bake, the fleet never runs it and serves no error'),
    badTaskDefinition('a task definition that goes bad 15 minutes after it starts: the one-box bake is rejected on the alarm event', { afterMinutes: 15 }),
    badTaskDefinition('a task definition that goes bad 15 minutes after it starts, its alarm event lost: the 1-minute sweep rejects the one-box bake', {
      afterMinutes: 15,
      setup: (world) => {
        world.delivery.lost = (event) => event.source === 'aws.cloudwatch';
      },
    }),
    {
      ...badTaskDefinition('bad task definition: 60 s after the rejection no request reaches it'),
      expect: (world) => {
        const run = lastBake(world, WAVE_1_ONE_BOX);
        if (run?.status !== 'Failed') return [`the one-box bake of r2 ended ${run?.status ?? 'never started'}; it should be rejected`];
        const stack = wave1(world);
        const from = Math.ceil((run.lastStatusChange.getTime() + 60_000) / MINUTE) * MINUTE;
        const late = stack.traffic!.served(undefined, from, world.clock.millis, (td) => world.releaseOf(stack, td) === RELEASE);
        const problems = late.requests === 0 ? [] : [`from ${iso(from)}, a minute after the rejection, ${late.requests} requests still reached r2 (${late.errors} of them 5XX)`];
        // Stronger than the release's requests: the one-box target group itself takes none until the
        // stage rollback's redeploy has its service steady on r1 again (EcsOneBox then gives the weight back).
        const oneBoxGroup = stack.deployed!.services.find((s) => s.serviceName === ONE_BOX_SERVICE)!.targetGroupFullName;
        const redeploy = stack.deploymentLog
          .find((d) => d.targetId === WAVE_1_ONE_BOX && d.revision !== RELEASE && d.at.getTime() > run.lastStatusChange.getTime());
        if (!redeploy) problems.push('the stage rollback never redeployed the one-box');
        const drainedUntil = Math.floor((redeploy?.doneAt ?? world.clock.millis) / MINUTE) * MINUTE;
        const toOneBox = stack.traffic!.served(oneBoxGroup, from, drainedUntil);
        if (toOneBox.requests > 0) problems.push(`from ${iso(from)} to ${iso(drainedUntil)} the one-box target group still took ${toOneBox.requests} requests`);
        const drain = drainOf(world);
        if (!drain) problems.push('no ModifyListener drained the one-box target group');
        else if (drain.seconds > 60) problems.push(`the one-box target group was drained ${drain.seconds} s after the one-box health alarm; it should be within 60 s`);
        return problems;
      },
      summary: (world) => {
        const drain = drainOf(world);
        const alarmRollback = world.alarmRollbacks.filter((r) => r.targetId === WAVE_1_ONE_BOX)
          .map((r) => `${iso(r.at.getTime())} ${r.error ?? r.report?.items.filter((i) => i.kind === 'LISTENER').map((i) => `${i.action}: ${i.detail}`).join('; ')}`);
        return `${drain ? `the one-box target group's weight set to 0 by ${drain.by} ${drain.seconds} s after the one-box health alarm; weights then ${drain.weights}` : 'no drain'}; alarm rollback: ${alarmRollback.join(' | ') || 'none'}`;
      },
    },
    {
      ...badTaskDefinition('after a drained rollback, the next release\'s one-box takes its share again: the one-box deployment gives the weight back (CloudFormation leaves the drained listener as it is)'),
      setup: (world) => {
        // A fix, r3, released 10 minutes after wave 1's stage rollback of r2 completed.
        world.when((change) => change.executionType === 'ROLLBACK' && change.state === 'SUCCEEDED' && change.run.stageName === WAVE_1,
          () => world.clock.after(10 * MINUTE, 'the fix is released', () => {
            world.release();
          }), false);
      },
      hours: 24,
      until: (world) => lastBake(world, WAVE_1_ONE_BOX, NEXT)?.status === 'Succeeded' || lastBake(world, WAVE_1_ONE_BOX, NEXT)?.status === 'Failed',
      expect: (world) => {
        const run = lastBake(world, WAVE_1_ONE_BOX, NEXT);
        if (run?.status !== 'Succeeded') return [`the one-box bake of ${NEXT} ended ${run?.status ?? 'never started'}; it should be approved`];
        const stack = wave1(world);
        const oneBoxGroup = stack.deployed!.services.find((s) => s.serviceName === ONE_BOX_SERVICE)!.targetGroupFullName;
        const bake = stack.traffic!.served(oneBoxGroup, run.startedAt.getTime(), run.lastStatusChange.getTime());
        const all = stack.traffic!.served(undefined, run.startedAt.getTime(), run.lastStatusChange.getTime());
        const share = bake.requests / all.requests;
        return Math.abs(share - ONE_BOX_WEIGHT) > 0.03 ? [`the one-box took ${bake.requests} of ${all.requests} requests (${(share * 100).toFixed(1)}%) during the bake of ${NEXT}, not about ${ONE_BOX_WEIGHT * 100}%`] : [];
      },
      summary: (world) => {
        const run = lastBake(world, WAVE_1_ONE_BOX, NEXT);
        const stack = wave1(world);
        const forward = stack.services.elbv2!.forwardAt(stack.deployed!.listenerArn, world.clock.millis).map((g) => `${g.targetGroupArn.split('/')[1]} ${g.weight}`).join(', ');
        return `one-box bake of ${NEXT} ${run?.status ?? 'never started'}; listener weights at the end: ${forward}`;
      },
    },
    {
      name: 'minRequests, 20 requests a minute: the one-box bake holds past its 30 minutes until the one-box target group counted 100 requests',
      start: TUESDAY,
      hours: 12,
      world: { requestsPerMinute: (stack) => (stack.stageName === WAVE_1 ? 20 : DEFAULT_REQUESTS_PER_MINUTE) },
      until: (world) => approved(world, WAVE_1_FLEET) || failed(world, WAVE_1_ONE_BOX) || failed(world, WAVE_1_FLEET),
      expect: (world) => {
        const problems = bothApproved(world);
        if (problems.length > 0) return problems;
        const t = oneBoxBakeTraffic(world);
        const atBakeTime = wave1(world).traffic!.served(t.oneBoxGroup, t.from, t.from + 30 * MINUTE);
        if (atBakeTime.requests >= MIN_REQUESTS) problems.push(`the one-box served ${atBakeTime.requests} requests in the 30 bake minutes; the drill needs fewer than ${MIN_REQUESTS}`);
        if (t.to - t.from <= 30 * MINUTE) problems.push(`the one-box bake was approved after ${Math.round((t.to - t.from) / MINUTE)} minutes with ${atBakeTime.requests} requests at its 30th; it should hold`);
        if (t.oneBox.requests < MIN_REQUESTS) problems.push(`the one-box bake was approved with ${t.oneBox.requests} one-box requests, under ${MIN_REQUESTS}`);
        return problems;
      },
      summary: (world) => {
        const t = oneBoxBakeTraffic(world);
        const atBakeTime = wave1(world).traffic!.served(t.oneBoxGroup, t.from, t.from + 30 * MINUTE);
        return `${atBakeTime.requests} one-box requests at the 30th bake minute; approved at minute ${Math.round((t.to - t.from) / MINUTE)} with ${t.oneBox.requests} of ${t.all.requests} requests on the one-box`;
      },
    },
    {
      name: 'first release into a region: no fleet service yet (MISSING), both services start on the new task definition',
      start: TUESDAY,
      hours: 12,
      world: { newRegions: ['eu-west-1'] },
      until: (world) => approved(world, WAVE_1_FLEET) || failed(world, WAVE_1_ONE_BOX) || failed(world, WAVE_1_FLEET),
      expect: (world) => {
        const problems = bothApproved(world);
        const stack = wave1(world);
        const first = stack.ecs.describeCalls[0];
        if (!first || first.output?.failures?.[0]?.reason !== 'MISSING' || first.output.services.length !== 0) problems.push(`the fleet pin's first DescribeServices answered ${JSON.stringify(first?.output ?? first?.error)}; expected a MISSING failure`);
        const oneBoxDeploy = stack.deploymentLog.find((d) => d.targetId === WAVE_1_ONE_BOX && d.revision === RELEASE);
        const created = oneBoxDeploy?.serviceChanges.map((c) => `${c.service}${c.from ? ' updated' : ' created'} on ${world.releaseOf(stack, c.to)}`).sort();
        if (JSON.stringify(created) !== JSON.stringify([`${FLEET_SERVICE} created on r2`, `${ONE_BOX_SERVICE} created on r2`])) problems.push(`the one-box deployment: ${JSON.stringify(created)}; both services should be created on r2`);
        const serving = servingNow(world, stack);
        if (serving.join() !== `${ONE_BOX_SERVICE} r2,${FLEET_SERVICE} r2`) problems.push(`at the end ${serving.join(', ')}`);
        return problems;
      },
      summary: (world) => {
        const stack = wave1(world);
        return `fleet pin: ${pinRequests(stack).join(', ')} (DescribeServices: ${JSON.stringify(stack.ecs.describeCalls[0]?.output?.failures?.map((f: any) => f.reason))}); at the end ${servingNow(world, stack).join(', ')}`;
      },
    },
    {
      name: 'the same release deployed again (a second execution of r2 after it completed): the one-box deployment pins the fleet to r2 and leaves the fleet service alone',
      start: TUESDAY,
      hours: 24,
      setup: releaseAgain,
      until: againDone,
      expect: (world) => {
        const again = secondRun(world);
        if (typeof again === 'string') return [again];
        const { stack, oneBoxDeployment } = again;
        const problems: string[] = [];
        const fleetChanges = oneBoxDeployment.serviceChanges.filter((c) => c.service === FLEET_SERVICE);
        if (fleetChanges.length > 0) problems.push(`the second one-box deployment of r2 changed the fleet service: ${JSON.stringify(fleetChanges)}`);
        const otherImage = oneBoxDeployment.serviceChanges.filter((c) => world.releaseOf(stack, c.to) !== RELEASE);
        if (otherImage.length > 0) problems.push(`the second one-box deployment of r2 put another release on ${JSON.stringify(otherImage)}`);
        // The pin answers what the fleet runs at that moment: r2, from the first fleet deployment.
        const firstFleetDeployment = stack.deploymentLog.find((d) => d.targetId === WAVE_1_FLEET && d.revision === RELEASE)!;
        const fleetR2 = firstFleetDeployment.serviceChanges.find((c) => c.service === FLEET_SERVICE)!.to;
        const pin = stack.customResources.requests.filter((r) => r.event.RequestType !== 'Delete')[1];
        if (pin?.event.RequestType !== 'Create' || pin.response?.Data?.TaskDefinition !== fleetR2) {
          problems.push(`the second one-box deployment's fleet pin: ${pin ? `${pin.event.RequestType} answering ${pin.response?.Data?.TaskDefinition ?? pin.error}` : 'no request'}; expected a Create answering ${fleetR2}`);
        }
        return problems;
      },
      summary: rerunSummary,
    },
    {
      name: 'the same release deployed again: its fleet deployment replaces no task',
      start: TUESDAY,
      hours: 24,
      setup: releaseAgain,
      until: againDone,
      expect: (world) => {
        const again = secondRun(world);
        if (typeof again === 'string') return [again];
        const changes = again.fleetDeployment?.serviceChanges ?? [];
        return changes.length === 0 ? [] : [`the second fleet deployment of r2 replaced the tasks of ${changes.map((c) => `${c.service} (${c.from!.split('/').pop()} -> ${c.to.split('/').pop()}, both ${RELEASE})`).join(', ')}`];
      },
      summary: rerunSummary,
    },
  ];
}

/** Ten minutes after r2's fleet bake is approved, the same commit is released again. */
function releaseAgain(world: EcsWorld): void {
  world.when(
    (change) => change.executionType === 'STANDARD' && change.run.execution.revision === RELEASE && change.state === 'SUCCEEDED'
      && bakeRuns(world, WAVE_1_FLEET).includes(change.run),
    () => world.clock.after(10 * MINUTE, 'an operator releases the same commit again', () => {
      world.codePipeline.startExecution(RELEASE);
    }));
}

function againDone(world: EcsWorld): boolean {
  return bakeRuns(world, WAVE_1_FLEET).filter((r) => r.execution.revision === RELEASE && r.status !== 'InProgress').length >= 2;
}

/** The second pass of r2 through wave 1, or why there was none. */
function secondRun(world: EcsWorld) {
  const runs = [...bakeRuns(world, WAVE_1_ONE_BOX), ...bakeRuns(world, WAVE_1_FLEET)].filter((r) => r.execution.revision === RELEASE);
  if (runs.length < 4) return `r2 reached wave 1's bakes ${runs.length} times; the drill needs both bakes twice`;
  if (!runs.every((r) => r.status === 'Succeeded')) return `wave 1 bakes of r2: ${runs.map((r) => r.status).join(', ')}; all should be approved`;
  const stack = wave1(world);
  const oneBoxDeployment = stack.deploymentLog.filter((d) => d.targetId === WAVE_1_ONE_BOX && d.revision === RELEASE)[1];
  if (!oneBoxDeployment?.ok) return `the second one-box deployment of r2: ${oneBoxDeployment ? oneBoxDeployment.reason : 'never ran'}`;
  const fleetDeployment = stack.deploymentLog.filter((d) => d.targetId === WAVE_1_FLEET && d.revision === RELEASE)[1];
  return { stack, oneBoxDeployment, fleetDeployment };
}

function rerunSummary(world: EcsWorld): string {
  const stack = wave1(world);
  const name = (td: string) => td.split('/').pop()!.replace(/^OrdersPipelineProdWave1euwest1/, '');
  const history = (service: string) => serviceOf(stack, service).deployments.slice(1).map((d) => `${name(d.taskDefinition)} (${world.releaseOf(stack, d.taskDefinition)})`).join(', ');
  return `fleet pin: ${pinRequests(stack).map((p) => p.replace(/OrdersPipelineProdWave1euwest1/g, '')).join(', ')}; fleet service deployments in the drill: ${history(FLEET_SERVICE)}; one-box service deployments: ${history(ONE_BOX_SERVICE)}`;
}
