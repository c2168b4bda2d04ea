/**
 * What must hold after every ECS one-box drill, checked against what the emulated AWS recorded:
 *
 * - The gate invariants of every drill (test/drills/invariants.ts): no bake approved while a
 *   watched alarm was in ALARM during it or without reading what it watches; no wave outside its
 *   window; no gate of a ROLLBACK execution waiting over 60 s.
 * 1. **Rollback starts.** A target's health composite entering ALARM while its stack serves the
 *    image of a release in flight starts a ROLLBACK execution of its stage within 60 s.
 * 2. **The fleet keeps the previous release.** A one-box deployment never changes the fleet
 *    service's task definition, except by creating the service (the first release into a region).
 * 3. **Share.** During a one-box bake the one-box target group takes about its listener weight of
 *    the requests (within 3 points over at least 1000 requests), all on the release's image, and
 *    the fleet target group none on it (unless the release is the first into the region, or the
 *    fleet ran it before: the same release deployed again).
 * 4. **A rejected release stays out of the fleet.** The fleet service never runs the image of a
 *    release whose one-box bake was rejected, and the fleet target group serves no 5XX meanwhile.
 * 5. **Disjoint signals.** Alarms on the one-box target group are in no fleet manifest; the
 *    one-box watches at least one.
 */
import { EcsStack, EcsWorld } from './ecs-world';
import { GATE, healthParameterName, parseGateToken } from '../../../lib/model/naming';
import { TARGET_KIND } from '../../../lib/model/plan';
import { ActionRun } from '../emulator/codepipeline';
import {
  bakeApprovedWhileAlarmed, rejectedByController, ROLLBACK_DEADLINE_SECONDS, rollbackGatesWaited, unreadApproval, windowOpenedWrongly,
} from '../invariants';

export const SHARE_TOLERANCE = 0.03;
const MIN_REQUESTS_FOR_SHARE = 1000;

export interface EcsRollback {
  readonly targetId: string;
  readonly alarmAt: Date;
  /** Seconds to the ROLLBACK execution of the stage. */
  readonly seconds?: number;
  /** Seconds to the stack serving none of the release's requests. */
  readonly restoredSeconds?: number;
}

export interface EcsReport {
  readonly violations: string[];
  readonly rollbacks: EcsRollback[];
}

const iso = (at: number | Date) => new Date(at).toISOString().replace('.000Z', 'Z');

/** The bake gate runs of a target in STANDARD executions. */
export function bakeRuns(world: EcsWorld, targetId: string): ActionRun[] {
  return world.codePipeline.actionRuns.filter((r) => {
    const token = parseGateToken(r.action.configuration.CustomData);
    return r.execution.type === 'STANDARD' && token?.gate === GATE.BAKE && token.target === targetId;
  });
}

export function checkEcsInvariants(world: EcsWorld): EcsReport {
  const violations: string[] = [];
  for (const run of world.codePipeline.actionRuns.filter((r) => r.action.category === 'Approval' && r.execution.type === 'STANDARD')) {
    const token = parseGateToken(run.action.configuration.CustomData);
    if (token?.gate === GATE.BAKE && run.status === 'Succeeded') {
      violations.push(...bakeApprovedWhileAlarmed(world, run, token.target), ...unreadApproval(world, run, token.target));
    } else if (token?.gate === GATE.WINDOW && run.status === 'Succeeded') {
      violations.push(...windowOpenedWrongly(world, run, token.target));
    }
  }
  violations.push(...rollbackGatesWaited(world));
  const rollbacks = ecsRollbacks(world);
  for (const r of rollbacks) {
    if (r.seconds === undefined) violations.push(`rollback: ${r.targetId}'s health alarm entered ALARM at ${iso(r.alarmAt)} and no ROLLBACK execution started`);
    else if (r.seconds > ROLLBACK_DEADLINE_SECONDS) violations.push(`rollback: ${r.targetId}'s health alarm entered ALARM at ${iso(r.alarmAt)}; the ROLLBACK execution started ${r.seconds} s later, over ${ROLLBACK_DEADLINE_SECONDS} s`);
  }
  for (const stack of world.stacks()) {
    violations.push(...fleetKept(stack), ...share(world, stack), ...rejectedStaysOut(world, stack), ...disjoint(world, stack));
  }
  return { violations, rollbacks };
}

/** Invariant 1, and the time to the stack serving none of the bad release. */
function ecsRollbacks(world: EcsWorld): EcsRollback[] {
  const results: EcsRollback[] = [];
  for (const change of world.alarmChanges.filter((c) => c.type === 'CompositeAlarm' && c.newState === 'ALARM')) {
    const t = [...world.targets.values()].find((x) => x.composite === change.alarmName);
    if (!t) continue;
    const stack = world.stackOf(t.target.id);
    const at = change.at.getTime();
    const served = servedReleases(world, stack, at);
    const inFlight = world.codePipeline.executions.filter((e) => e.type === 'STANDARD' && e.startTime.getTime() <= at
      && (e.status === 'InProgress' || e.lastUpdateTime.getTime() >= at) && served.has(e.revision));
    if (inFlight.length === 0) continue;
    const bad = inFlight[0].revision;
    const rollback = world.codePipeline.executions
      .filter((e) => e.type === 'ROLLBACK' && e.rollback?.stageName === t.target.stageName && e.startTime.getTime() >= at)
      .sort((a, b) => a.startTime.getTime() - b.startTime.getTime())[0];
    let restored: number | undefined;
    for (let m = at; m <= world.clock.millis; m += 1000) {
      if (!servedReleases(world, stack, m).has(bad)) {
        restored = m;
        break;
      }
    }
    results.push({
      targetId: t.target.id,
      alarmAt: change.at,
      ...(rollback ? { seconds: Math.round((rollback.startTime.getTime() - at) / 1000) } : {}),
      ...(restored !== undefined ? { restoredSeconds: Math.round((restored - at) / 1000) } : {}),
    });
  }
  return results;
}

/** Releases whose image the stack's services serve at `at`. */
function servedReleases(world: EcsWorld, stack: EcsStack, at: number): Set<string> {
  const releases = new Set<string>();
  for (const service of stack.ecs.services.values()) {
    const td = stack.ecs.servingAt(service, at);
    if (td) releases.add(world.releaseOf(stack, td));
  }
  return releases;
}

/** Invariant 2. */
function fleetKept(stack: EcsStack): string[] {
  const oneBoxIds = new Set(stack.targets.filter((t) => t.kind === TARGET_KIND.ONE_BOX).map((t) => t.id));
  return stack.deploymentLog.filter((d) => oneBoxIds.has(d.targetId))
    .flatMap((d) => d.serviceChanges.filter((c) => c.service === fleetServiceOf(stack) && c.from !== undefined)
      .map((c) => `fleet kept: the one-box deployment of ${d.revision} at ${iso(d.at)} moved the fleet service ${c.service} from ${c.from} to ${c.to}`));
}

function fleetServiceOf(stack: EcsStack): string {
  const deployed = stack.deployed!;
  const weights = [...deployed.forward].sort((a, b) => b.weight - a.weight);
  return deployed.services.find((s) => s.targetGroupFullName === weights[0].targetGroupFullName)!.serviceName;
}

function groupsOf(stack: EcsStack): { oneBox: string; fleet: string; oneBoxWeight: number } {
  const forward = [...stack.deployed!.forward].sort((a, b) => a.weight - b.weight);
  const total = forward.reduce((a, g) => a + g.weight, 0);
  return { oneBox: forward[0].targetGroupFullName, fleet: forward[forward.length - 1].targetGroupFullName, oneBoxWeight: forward[0].weight / total };
}

/** Invariant 3. */
function share(world: EcsWorld, stack: EcsStack): string[] {
  const oneBox = stack.targets.find((t) => t.kind === TARGET_KIND.ONE_BOX);
  if (!oneBox || !stack.traffic || !stack.deployed) return [];
  const problems: string[] = [];
  const { oneBox: oneBoxGroup, fleet: fleetGroup, oneBoxWeight } = groupsOf(stack);
  for (const run of bakeRuns(world, oneBox.id)) {
    const from = run.startedAt.getTime();
    const to = run.status === 'InProgress' ? world.clock.millis : run.lastStatusChange.getTime();
    const release = run.execution.revision;
    const ofRelease = (td: string) => world.releaseOf(stack, td) === release;
    const all = stack.traffic.served(undefined, from, to);
    const oneBoxAll = stack.traffic.served(oneBoxGroup, from, to);
    const oneBoxNew = stack.traffic.served(oneBoxGroup, from, to, ofRelease);
    const fleetNew = stack.traffic.served(fleetGroup, from, to, ofRelease);
    const what = `${oneBox.id} (${release}) bake ${iso(from)}..${iso(to)}`;
    if (all.requests >= MIN_REQUESTS_FOR_SHARE && Math.abs(oneBoxAll.requests / all.requests - oneBoxWeight) > SHARE_TOLERANCE) {
      problems.push(`share: ${what}: the one-box target group took ${oneBoxAll.requests} of ${all.requests} requests, not about ${oneBoxWeight * 100}%`);
    }
    if (oneBoxNew.requests !== oneBoxAll.requests) problems.push(`share: ${what}: the one-box served ${oneBoxAll.requests - oneBoxNew.requests} requests on another image than ${release}`);
    // Allowed: the first release into the region (the one-box deployment created the fleet on
    // it), and a release the fleet already ran before this one-box deployment (deployed again).
    const deployment = stack.deploymentLog.filter((d) => d.targetId === oneBox.id && d.revision === release && d.ok && d.at.getTime() <= from).pop();
    const firstRelease = deployment?.serviceChanges.some((c) => c.service === fleetServiceOf(stack) && c.from === undefined);
    const fleetService = [...stack.ecs.services.values()].find((s) => s.serviceName === fleetServiceOf(stack));
    const fleetHadIt = deployment !== undefined && fleetService !== undefined
      && fleetService.deployments.some((d) => d.startedAt < deployment.at.getTime() && world.releaseOf(stack, d.taskDefinition) === release);
    if (fleetNew.requests > 0 && !firstRelease && !fleetHadIt) problems.push(`share: ${what}: the fleet target group served ${fleetNew.requests} requests on ${release} while the one-box baked it`);
  }
  return problems;
}

/** Invariant 4. */
function rejectedStaysOut(world: EcsWorld, stack: EcsStack): string[] {
  const oneBox = stack.targets.find((t) => t.kind === TARGET_KIND.ONE_BOX);
  if (!oneBox || !stack.deployed) return [];
  const problems: string[] = [];
  const fleetService = [...stack.ecs.services.values()].find((s) => s.serviceName === fleetServiceOf(stack));
  const { fleet: fleetGroup } = groupsOf(stack);
  for (const run of bakeRuns(world, oneBox.id).filter((r) => r.status === 'Failed' && rejectedByController(world, r))) {
    const release = run.execution.revision;
    const onIt = (fleetService?.deployments ?? []).filter((d) => world.releaseOf(stack, d.taskDefinition) === release);
    const created = stack.deploymentLog.some((d) => d.revision === release
      && d.serviceChanges.some((c) => c.service === fleetService?.serviceName && c.from === undefined));
    if (onIt.length > 0 && !created) problems.push(`rejected: ${release}'s one-box bake was rejected at ${iso(run.lastStatusChange)}, yet the fleet service ran it from ${iso(onIt[0].startedAt)}`);
    const fleetErrors = stack.traffic!.served(fleetGroup, run.startedAt.getTime(), world.clock.millis);
    if (fleetErrors.errors > 0 && !created) problems.push(`rejected: the fleet target group answered ${fleetErrors.errors} 5XX while ${release} was baked and rolled back`);
  }
  return problems;
}

/** Invariant 5. */
function disjoint(world: EcsWorld, stack: EcsStack): string[] {
  const oneBox = stack.targets.find((t) => t.kind === TARGET_KIND.ONE_BOX);
  const fleet = stack.targets.find((t) => t.kind === TARGET_KIND.FLEET);
  if (!oneBox || !fleet || !stack.deployed) return [];
  const { oneBox: oneBoxGroup } = groupsOf(stack);
  const scoped = new Set(stack.deployed.alarms.filter((a) => a.dimensions.some((d) => d.Name === 'TargetGroup' && d.Value === oneBoxGroup)).map((a) => a.definition.name));
  const watched = (targetId: string) => Object.values(world.target(targetId).metricAlarms) as string[];
  const fleetManifest = JSON.parse(stack.services.ssm.value(healthParameterName(world.plan.pipelineName, fleet.id)) ?? '{"alarmNames":[]}');
  const problems: string[] = [];
  const leaked = (fleetManifest.alarmNames as string[]).filter((n) => scoped.has(n));
  if (leaked.length > 0) problems.push(`disjoint: the fleet ${fleet.id} watches one-box-scoped alarms ${leaked.join(', ')}`);
  if (!watched(oneBox.id).some((n) => scoped.has(n))) problems.push(`disjoint: the one-box ${oneBox.id} watches no alarm of its own target group`);
  return problems;
}
