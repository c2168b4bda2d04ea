/**
 * What must hold in every one-box drill, on top of the invariants of every drill
 * (test/drills/invariants.ts), read from what the emulated AWS recorded:
 *
 * 1. Share: while a one-box deployment is the last that succeeded in its stack (a failed one rolls
 *    back to it), the version it deployed takes at most the one-box template's declared share of
 *    the alias (never its primary version), unless the alias did not exist before (the first
 *    release into a region: there is no one else to serve). A state replaced within the millisecond
 *    it began routed no request and is not counted: the emulated stack update is one step, so a
 *    fleet deployment that fails after its alias shift moves the alias and has CloudFormation's
 *    rollback put it back at the same instant. A rollback that leaves the alias moved shows as a
 *    state that lasts, and is reported.
 * 2. Rejected stays out: a version whose one-box bake the controller rejected is never the
 *    alias's primary version, its release's fleet deployment never starts in that stage, and
 *    within 60 s of the rejection the alias routes nothing to it.
 * 3. Disjoint signals: the one-box's own alarms (metrics with `ExecutedVersion`) are in no fleet
 *    manifest and under no fleet composite; the one-box watches at least one of them; the two
 *    composites differ.
 */
import { OneBoxWorld, ServiceStack } from './one-box-world';
import { readTemplate, resolveService } from './service-template';
import { HealthManifest } from '../../../lib/model/health-manifest';
import { GATE, healthParameterName, parseGateToken } from '../../../lib/model/naming';
import { TARGET_KIND } from '../../../lib/model/plan';
import { AliasRecord, LambdaEmulator } from '../emulator/lambda';
import { ROLLBACK_DEADLINE_SECONDS } from '../invariants';

export function checkOneBoxInvariants(world: OneBoxWorld): string[] {
  return [...shareBound(world), ...rejectedStaysOut(world), ...disjointSignals(world)];
}

/** The one-box share the stack's one-box template declares (the alias-shift custom resource's `Weight`). */
export function declaredShare(stack: ServiceStack): number | undefined {
  const oneBox = stack.targets.find((t) => t.kind === TARGET_KIND.ONE_BOX);
  if (!oneBox) return undefined;
  const resolved = resolveService(readTemplate(stack.templates.get(oneBox.id)!), { stackName: stack.stackName, account: stack.account, region: stack.region, version: '0' });
  return Number(resolved.customResources[0].properties.Weight);
}

/** Every state of the alias, oldest first, with when it began. */
export function aliasHistory(stack: ServiceStack): Array<{ from: number; state: AliasRecord; by: string }> {
  const key = LambdaEmulator.key(stack.functionName, stack.aliasName);
  const lambda = stack.services.lambda;
  const updates = lambda.updates.filter((u) => u.key === key);
  const created = lambda.created.find((c) => c.key === key);
  const history: Array<{ from: number; state: AliasRecord; by: string }> = [];
  if (created) history.push({ from: created.at.getTime(), state: created.record, by: 'CreateAlias' });
  else if (updates.length > 0) history.push({ from: -Infinity, state: updates[0].before, by: 'before the drill' });
  else if (lambda.aliases.get(key)) history.push({ from: -Infinity, state: lambda.aliases.get(key)!, by: 'before the drill' });
  for (const u of updates) history.push({ from: u.at.getTime(), state: u.after, by: u.by });
  return history;
}

function statesBetween(stack: ServiceStack, from: number, to: number): Array<{ from: number; state: AliasRecord; by: string }> {
  const history = aliasHistory(stack);
  const atStart = history.filter((h) => h.from <= from).pop();
  return [...(atStart ? [atStart] : []), ...history.filter((h) => h.from > from && h.from < to)];
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function shareBound(world: OneBoxWorld): string[] {
  const problems: string[] = [];
  const end = world.clock.millis;
  for (const stack of world.stacks()) {
    const oneBox = stack.targets.find((t) => t.kind === TARGET_KIND.ONE_BOX);
    const declared = declaredShare(stack);
    if (!oneBox || declared === undefined) continue;
    stack.deployments.forEach((d, i) => {
      if (d.targetId !== oneBox.id || !d.ok) return;
      const from = d.at.getTime();
      const to = stack.deployments.slice(i + 1).find((next) => next.ok)?.at.getTime() ?? end;
      const existedBefore = aliasHistory(stack).some((h) => h.from < from);
      if (!existedBefore) return;
      const before = statesBetween(stack, from - 1, from)[0]?.state;
      // The same one-box deployed again on a version already serving everything moves nothing.
      if (before && before.functionVersion === d.version && Object.keys(before.weights).length === 0) return;
      const states = statesBetween(stack, from, to);
      for (const [n, { from: at, state, by }] of states.entries()) {
        if (states[n + 1]?.from === at) continue;
        const share = state.functionVersion === d.version ? 1 : state.weights[d.version] ?? 0;
        if (share > declared + 1e-9) {
          problems.push(`share: ${oneBox.id} (${d.revision}) deployed version ${d.version} at ${iso(from)}; from ${iso(Math.max(at, from))} the alias routed ${Math.round(share * 1000) / 10}% to it (${by}: version ${state.functionVersion}, weights ${JSON.stringify(state.weights)}), over the declared ${declared * 100}%`);
        }
      }
    });
  }
  return problems;
}

function rejectedStaysOut(world: OneBoxWorld): string[] {
  const problems: string[] = [];
  const end = world.clock.millis;
  for (const run of world.codePipeline.actionRuns) {
    const token = parseGateToken(run.action.configuration.CustomData);
    if (!token || token.gate !== GATE.BAKE || run.execution.type !== 'STANDARD' || run.status !== 'Failed') continue;
    const answer = world.journal.calls.find((c) => c.operation === 'PutApprovalResult' && c.ok && c.input.token === run.token);
    if (answer?.input.result.status !== 'Rejected') continue;
    const target = world.target(token.target).target;
    if (target.kind !== TARGET_KIND.ONE_BOX) continue;
    const stack = world.stackOf(target.id);
    const revision = run.execution.revision;
    const version = world.versionOfRevision(stack, revision);
    if (!version) {
      problems.push(`rejected: ${target.id} (${revision}) was rejected but its stack never published a version of ${revision}`);
      continue;
    }
    const rejectedAt = run.lastStatusChange.getTime();
    for (const { from, state, by } of aliasHistory(stack)) {
      if (state.functionVersion === version) {
        problems.push(`rejected: ${target.id}'s version ${version} (${revision}, one-box bake rejected at ${iso(rejectedAt)}) was the alias's primary version from ${iso(from)} (${by})`);
      }
    }
    const fleet = stack.targets.find((t) => t.kind === TARGET_KIND.FLEET);
    const fleetDeploys = world.codePipeline.actionRuns.filter((r) => r.execution.id === run.execution.id && r.action.targetId === fleet?.id && r.action.category === 'Deploy');
    if (fleetDeploys.length > 0) {
      problems.push(`rejected: the fleet of ${stack.stackName} (${stack.region}) started deploying ${revision} (${fleetDeploys.map((r) => r.action.name).join(', ')}) though its one-box bake was rejected at ${iso(rejectedAt)}`);
    }
    const routed = statesBetween(stack, rejectedAt + ROLLBACK_DEADLINE_SECONDS * 1000, end + 1)
      .filter(({ state }) => state.functionVersion === version || state.weights[version] !== undefined);
    if (routed.length > 0) {
      const first = routed[0];
      problems.push(`rejected: ${ROLLBACK_DEADLINE_SECONDS} s after ${target.id}'s one-box bake was rejected (${iso(rejectedAt)}) the alias still routed to version ${version} (version ${first.state.functionVersion}, weights ${JSON.stringify(first.state.weights)}, ${first.by})`);
    }
  }
  return problems;
}

function disjointSignals(world: OneBoxWorld): string[] {
  const problems: string[] = [];
  for (const stack of world.stacks()) {
    const oneBox = stack.targets.find((t) => t.kind === TARGET_KIND.ONE_BOX);
    const fleet = stack.targets.find((t) => t.kind === TARGET_KIND.FLEET);
    if (!oneBox || !fleet) continue;
    const manifest = (targetId: string): HealthManifest | undefined => {
      try {
        return JSON.parse(stack.services.ssm.value(healthParameterName(world.plan.pipelineName, targetId)) ?? 'null') ?? undefined;
      } catch {
        return undefined;
      }
    };
    const one = manifest(oneBox.id);
    const all = manifest(fleet.id);
    if (!one || !all) continue;
    const scoped = (name: string) => JSON.stringify(stack.services.cloudWatch.handle('DescribeAlarms', { AlarmNames: [name] }, { alarmHistoryOnWildcard: true })).includes('"ExecutedVersion"');
    const ownAlarms = one.alarmNames.filter(scoped);
    if (ownAlarms.length === 0) problems.push(`disjoint: ${oneBox.id} watches no alarm of its own (none with ExecutedVersion): ${one.alarmNames.join(', ')}`);
    const leaked = all.alarmNames.filter(scoped);
    if (leaked.length > 0) problems.push(`disjoint: the fleet ${fleet.id} watches one-box-scoped alarms ${leaked.join(', ')}`);
    if (one.compositeAlarmName === all.compositeAlarmName) problems.push(`disjoint: ${oneBox.id} and ${fleet.id} share the composite alarm ${one.compositeAlarmName}`);
    const fleetComposite = stack.services.cloudWatch.handle('DescribeAlarms', { AlarmNames: [all.compositeAlarmName], AlarmTypes: ['CompositeAlarm'] }, { alarmHistoryOnWildcard: true });
    const rule: string = fleetComposite.CompositeAlarms[0]?.AlarmRule ?? '';
    const under = ownAlarms.filter((name) => rule.includes(`"${name}"`));
    if (under.length > 0) problems.push(`disjoint: the fleet composite ${all.compositeAlarmName} fires on one-box alarms ${under.join(', ')}`);
  }
  return problems;
}
