/**
 * The drills: the example's whole release, each with one thing going wrong. Times are UTC; the
 * example's waves open Monday to Thursday 09:00-17:00 local, so a release started Tuesday
 * 2027-02-09 07:00 UTC reaches wave 1 (Dublin) at 09:00 UTC, wave 2 (New York) at 14:00 UTC,
 * wave 3 (Los Angeles, Toronto, Sao Paulo) at 17:00 UTC and wave 4 (Tokyo, Sydney, Mumbai) at
 * 03:30 UTC the next day.
 */
import { DateTime } from 'luxon';
import { bakeApproved, bakeOutcomes, bakeStarted, deployed, Drill, DrillContext, releaseStatuses, seeded } from './drill-runner';
import { awsError, networkError, THROTTLING_ERROR } from './emulator/aws-errors';
import { Call } from './emulator/client-factory';
import { HOUR, MINUTE, SECOND } from './emulator/sim-clock';
import { SynthesizedApp } from './emulator/synthesized-app';
import { DURATIONS, World } from './world';
import { GATE, parseGateToken, stageKey } from '../../lib/model/naming';

const TUESDAY = '2027-02-09T07:00:00Z';
const WAVE1_FLEET = 'prod-wave-1-eu-west-1-fleet';
const WAVE2_ONEBOX = 'prod-wave-2-us-east-1-onebox';
const WAVE2_FLEET = 'prod-wave-2-us-east-1-fleet';
const WAVE3_FLEET = 'prod-wave-3-us-west-2-fleet';

/** Drill checks: the problems found, as sentences (empty = fine). */
function check(condition: boolean, problem: string): string[] {
  return condition ? [] : [problem];
}

function windowOpenings(world: World, stageName: string): Date[] {
  return world.codePipeline.actionRuns
    .filter((r) => r.execution.type === 'STANDARD' && r.status === 'Succeeded')
    .filter((r) => {
      const t = parseGateToken(r.action.configuration.CustomData);
      return t?.gate === GATE.WINDOW && t.target === stageKey(stageName);
    })
    .map((r) => r.lastStatusChange);
}

function noBakeRejected(world: World): string[] {
  const rejected = world.codePipeline.actionRuns.filter((r) => r.execution.type === 'STANDARD' && r.action.category === 'Approval' && r.status === 'Failed');
  return rejected.map((r) => `a healthy target was rejected: ${r.stageName}/${r.action.name} at ${r.lastStatusChange.toISOString()} (${r.summary})`);
}

function releaseSucceeded(world: World): string[] {
  const statuses = releaseStatuses(world);
  return check(statuses.every((s) => s.endsWith(':Succeeded')), `the release did not complete: ${statuses.join(', ')}`);
}

function bakeNeverApproved(world: World, targetId: string, why: string): string[] {
  const outcomes = bakeOutcomes(world, targetId);
  if (outcomes.length === 0) return [`the release never reached the bake of ${targetId}, so the drill proved nothing`];
  return check(!outcomes.includes('Succeeded'), `the bake of ${targetId} was approved although ${why}`);
}

/** The errors alarm of a target goes off `after` its bake started and stays while the bad version serves. */
function alarmDuringBake(world: World, targetId: string, after: number, revision?: string): void {
  world.when(bakeStarted(targetId, revision), (change) => world.alarmWhileServed(targetId, 'errors', change.at.getTime() + after));
}

/**
 * Wave 2's fleet goes bad during its bake, and the controller invocation that rejects the bake
 * times out right after the rejection: every later call of that invocation hangs.
 */
function crashAfterRejection(world: World): void {
  let crashed: number | undefined;
  world.journal.afterCall.push((call) => {
    if (crashed === undefined && call.operation === 'PutApprovalResult' && call.input.result?.status === 'Rejected') crashed = call.invocation;
  });
  world.journal.faults.push((call) => (call.invocation === crashed ? 'HANG' : undefined));
  alarmDuringBake(world, WAVE2_FLEET, 25 * MINUTE + 31 * SECOND);
}

const laterWavesNeverStart = (stageNames: string[]) => ({ world }: DrillContext) =>
  stageNames.flatMap((s) => check(windowOpenings(world, s).length === 0, `${s} started although an earlier wave failed`));

export function drills(apps: { longBake: SynthesizedApp }): Drill[] {
  return [
    {
      name: 'nominal release',
      start: TUESDAY,
      alarm: false,
      hours: 72,
      setup: () => undefined,
      expect: ({ world }) => [...releaseSucceeded(world), ...noBakeRejected(world)],
    },
    {
      name: "alarm at 03:00 local in wave 2's bake (20-hour production bakes)",
      start: TUESDAY,
      alarm: true,
      hours: 120,
      app: 'longBake',
      setup: ({ world }) => {
        world.when(bakeStarted(WAVE2_FLEET), (change) => {
          const local = DateTime.fromJSDate(change.at, { zone: 'America/New_York' });
          let night = local.set({ hour: 3, minute: 0, second: 0, millisecond: 0 });
          if (night <= local) night = night.plus({ days: 1 });
          world.alarmWhileServed(WAVE2_FLEET, 'errors', night.toMillis() + 20 * SECOND);
        });
      },
      expect: (ctx) => {
        const alarmed = ctx.world.alarmChanges.find((c) => c.alarmName.includes(WAVE2_FLEET) && c.newState === 'ALARM');
        const local = alarmed ? DateTime.fromJSDate(alarmed.at, { zone: 'America/New_York' }).toFormat('HH:mm') : 'never';
        return [...check(local === '03:00', `the alarm fired at ${local} New York time, not 03:00 (the bake did not span 03:00)`), ...laterWavesNeverStart(['Prod-Wave-3', 'Prod-Wave-4'])(ctx)];
      },
    },
    {
      name: 'alarm already in ALARM at bake start, recovers within a second',
      start: TUESDAY,
      alarm: true,
      hours: 72,
      setup: ({ world }) => {
        // The stack update finishes one minute after CodeDeploy shifted all traffic: the alarm goes
        // off in that minute (CodeDeploy no longer watches) and recovers just after the bake started.
        world.when(deployed(WAVE1_FLEET, 'STARTED'), (change) => {
          const shifted = change.at.getTime() + DURATIONS.stackUpdate + 5 * MINUTE;
          world.alarm(WAVE1_FLEET, 'errors', 'ALARM', shifted + 10 * SECOND);
          world.alarm(WAVE1_FLEET, 'errors', 'OK', shifted + DURATIONS.stackUpdate + 800);
        });
      },
      expect: ({ world }) => bakeNeverApproved(world, WAVE1_FLEET, 'its alarm was in ALARM when the bake started'),
    },
    {
      name: 'alarm flaps while the controller is down 30 minutes',
      start: TUESDAY,
      alarm: true,
      hours: 72,
      setup: ({ world }) => {
        world.when(bakeStarted(WAVE2_FLEET), (change) => {
          const t = change.at.getTime();
          world.controllerDown.push({ from: t + 5 * MINUTE, to: t + 35 * MINUTE });
          world.alarm(WAVE2_FLEET, 'errors', 'ALARM', t + 10 * MINUTE);
          world.alarm(WAVE2_FLEET, 'errors', 'OK', t + 12 * MINUTE);
        });
      },
      expect: ({ world }) => bakeNeverApproved(world, WAVE2_FLEET, 'its alarm flapped during the bake'),
    },
    {
      name: 'late ALARM one minute after a bake approval',
      start: TUESDAY,
      alarm: true,
      hours: 72,
      setup: ({ world }) => {
        world.when(bakeApproved(WAVE1_FLEET), (change) => world.alarmWhileServed(WAVE1_FLEET, 'errors', change.at.getTime() + MINUTE));
      },
      expect: ({ world }) => {
        const t = world.target(WAVE1_FLEET);
        const alarmed = t.services.cloudWatch.alarmIntervals(t.composite, world.clock.now());
        return windowOpenings(world, 'Prod-Wave-2')
          .filter((at) => alarmed.some((i) => i.from.getTime() <= at.getTime() && at.getTime() < i.to.getTime()))
          .map((at) => `wave 2 started at ${at.toISOString()} while wave 1's health alarm (a target this release deployed) was in ALARM`);
      },
    },
    {
      name: "alarm in wave 2's fleet bake (the lost column: alarm event lost)",
      start: TUESDAY,
      alarm: true,
      hours: 72,
      setup: ({ world }) => alarmDuringBake(world, WAVE2_FLEET, 20 * MINUTE + 17 * SECOND),
      expect: laterWavesNeverStart(['Prod-Wave-3', 'Prod-Wave-4']),
    },
    {
      name: 'events duplicated (every event delivered 3 times)',
      start: TUESDAY,
      alarm: true,
      hours: 72,
      setup: ({ world }) => {
        world.delivery.copies = () => 3;
        alarmDuringBake(world, WAVE3_FLEET, 12 * MINUTE + 41 * SECOND);
      },
      expect: laterWavesNeverStart(['Prod-Wave-4']),
    },
    {
      name: 'throttling storm (2 h of throttling, 10 min DNS failures, 5xx)',
      start: TUESDAY,
      alarm: false,
      hours: 72,
      setup: ({ world }) => {
        const random = seeded(12);
        world.when(bakeStarted('prod-wave-1-eu-west-1-onebox'), (change) => {
          const from = change.at.getTime();
          world.journal.faults.push((call: Call) => {
            const t = call.at.getTime();
            if (t < from || t >= from + 2 * HOUR) return undefined;
            if (t < from + 10 * MINUTE && call.service === 'cloudwatch') return networkError('EAI_AGAIN', `monitoring.${call.region}.amazonaws.com`);
            if (t >= from + 30 * MINUTE && t < from + 35 * MINUTE && call.service === 'codepipeline' && random() < 0.5) {
              return awsError('InternalFailure', 'We encountered an internal error. Please try again.', 500);
            }
            if (random() < 0.6) {
              const e = THROTTLING_ERROR[call.service];
              return awsError(e.name, 'Rate exceeded', e.status, { throttling: true });
            }
            return undefined;
          });
        });
      },
      expect: ({ world }) => [...releaseSucceeded(world), ...noBakeRejected(world)],
    },
    {
      name: 'AccessDenied on a monitor role (wave 2 fleet lost cloudwatch:DescribeAlarms)',
      start: TUESDAY,
      alarm: false,
      hours: 72,
      setup: ({ world }) => world.denyGrant(WAVE2_FLEET, 'cloudwatch:DescribeAlarms'),
      expect: ({ world }) => [
        ...bakeNeverApproved(world, WAVE2_FLEET, 'its alarms could not be read'),
        ...laterWavesNeverStart(['Prod-Wave-3', 'Prod-Wave-4'])({ world, path: 'event' }),
      ],
    },
    {
      name: 'stop switch ON mid-release (waves hold, a rollback still runs)',
      start: TUESDAY,
      alarm: true,
      hours: 72,
      setup: ({ world }) => {
        world.when(bakeStarted(WAVE1_FLEET), (change) => world.setStopSwitch('ON', change.at.getTime()));
        world.setStopSwitch('OFF', Date.parse('2027-02-09T15:00:00Z'));
        world.when(bakeStarted(WAVE2_ONEBOX), (change) => {
          world.setStopSwitch('ON', change.at.getTime() + 5 * MINUTE);
          world.alarmWhileServed(WAVE2_ONEBOX, 'errors', change.at.getTime() + 10 * MINUTE + 23 * SECOND);
        });
      },
      expect: ({ world }) => {
        const opened = windowOpenings(world, 'Prod-Wave-2');
        return check(opened.length === 1 && opened[0].getTime() >= Date.parse('2027-02-09T15:00:00Z'), `wave 2 should have held until the switch went OFF at 15:00Z, opened at ${opened.map((d) => d.toISOString()).join(', ') || 'never'}`);
      },
    },
    {
      name: 'a newer release supersedes one waiting while another bakes',
      start: TUESDAY,
      alarm: false,
      hours: 96,
      setup: ({ world }) => {
        world.clock.after(40 * MINUTE, 'release r3', () => { world.release(); });
        world.clock.after(55 * MINUTE, 'release r4', () => { world.release(); });
      },
      expect: ({ world }) => {
        const statuses = releaseStatuses(world);
        return [
          ...check(statuses.includes('r3:Superseded'), `r3 should have been superseded by r4 while it waited: ${statuses.join(', ')}`),
          ...check(statuses.includes('r2:Succeeded') && statuses.includes('r4:Succeeded'), `r2 and r4 should complete: ${statuses.join(', ')}`),
          ...noBakeRejected(world),
        ];
      },
    },
    {
      name: 'pipeline structure change between releases (next release rolls back)',
      start: TUESDAY,
      alarm: true,
      hours: 120,
      minHours: 26,
      setup: ({ world }) => {
        world.clock.after(25 * HOUR, 'release r3 with a new pipeline structure', () => {
          world.pendingApp = apps.longBake;
          world.release();
        });
        alarmDuringBake(world, WAVE1_FLEET, 30 * MINUTE + 9 * SECOND, 'r3');
      },
      expect: ({ world }) => [
        ...check(world.codePipeline.version === 2, `the pipeline should be at structure version 2, is ${world.codePipeline.version}`),
        // No stage rollback is possible (no execution of structure version 2 succeeded in wave 1):
        // the target itself is rolled back, the release stops, and the decision log says so.
        ...check(releaseStatuses(world).includes('r3:Failed'), `release r3 should have stopped (Failed) at wave 1: ${releaseStatuses(world).join(', ')}`),
        ...check(world.decisions.some((l) => l.gate === 'ROLLBACK' && l.target === WAVE1_FLEET && l.decision === 'ROLLED_BACK_WITHOUT_STAGE'),
          `no decision line says that ${WAVE1_FLEET}'s stage could not be rolled back`),
      ],
    },
    {
      name: 'controller crash between rejection and rollback',
      start: TUESDAY,
      alarm: true,
      hours: 72,
      setup: ({ world }) => crashAfterRejection(world),
      expect: ({ world }) => check(world.invocations.some((i) => i.outcome === 'CRASHED'), 'the drill did not crash the controller'),
    },
    {
      name: "alarm in wave 2's fleet bake, alarm rollback off (the controller alone)",
      start: TUESDAY,
      alarm: true,
      hours: 72,
      app: 'controllerOnly',
      setup: ({ world }) => alarmDuringBake(world, WAVE2_FLEET, 25 * MINUTE + 31 * SECOND),
      expect: (ctx) => [
        ...check(ctx.world.alarmRollbacks.length === 0, `the alarm rollback ran ${ctx.world.alarmRollbacks.length} times though it is turned off`),
        ...bakeNeverApproved(ctx.world, WAVE2_FLEET, 'its alarm went off during the bake'),
        ...laterWavesNeverStart(['Prod-Wave-3', 'Prod-Wave-4'])(ctx),
      ],
    },
    {
      name: 'controller crash between rejection and rollback, alarm rollback off (the sweep finishes it)',
      start: TUESDAY,
      alarm: true,
      hours: 72,
      app: 'controllerOnly',
      setup: ({ world }) => crashAfterRejection(world),
      expect: ({ world }) => [
        ...check(world.invocations.some((i) => i.outcome === 'CRASHED'), 'the drill did not crash the controller'),
        ...check(world.alarmRollbacks.length === 0, 'the alarm rollback ran though it is turned off'),
      ],
    },
    {
      name: 'an alarm days after the release completed: the alarm rollback leaves it to the pipeline',
      start: TUESDAY,
      // The release is done: no release in flight, so invariant 3 does not apply; the drill checks
      // that the alarm rollback did not undo a release days old on its own.
      alarm: false,
      hours: 80,
      minHours: 73,
      setup: ({ world }) => world.alarm(WAVE1_FLEET, 'errors', 'ALARM', new Date(TUESDAY).getTime() + 72 * HOUR),
      expect: ({ world }) => {
        const t = world.target(WAVE1_FLEET);
        const alarmAt = new Date(TUESDAY).getTime() + 72 * HOUR;
        const ran = world.alarmRollbacks.filter((r) => r.targetId === WAVE1_FLEET && r.at.getTime() >= alarmAt);
        const alias = ran[0]?.report?.items.find((i) => i.kind === 'ALIAS');
        const moved = t.services.lambda.updates.filter((u) => u.key === `${t.functionName}:${t.aliasName}` && u.at.getTime() >= alarmAt);
        return [
          ...releaseSucceeded(world),
          ...check(ran.length === 1, `the health alarm's action should have run once, ran ${ran.length} times`),
          ...check(alias?.action === 'NONE' && alias.detail.includes('too long ago'), `the alarm rollback should leave the alias to the pipeline: ${JSON.stringify(alias)}`),
          ...check(moved.length === 0, `the alias moved after the alarm: ${moved.map((u) => `${u.at.toISOString()} -> ${u.after.functionVersion} (${u.by})`).join(', ')}`),
        ];
      },
    },
    {
      name: 'canary stopped: no completed run during the bake',
      start: TUESDAY,
      alarm: false,
      hours: 72,
      setup: ({ world }) => {
        // Someone stopped the canary while the fleet deployed: not one run completes in the bake.
        world.when(deployed(WAVE1_FLEET, 'STARTED'), (change) => {
          const t = world.target(WAVE1_FLEET);
          t.services.synthetics.canary(t.canary).stoppedAt = new Date(change.at.getTime() + MINUTE);
        });
      },
      expect: ({ world }) => bakeNeverApproved(world, WAVE1_FLEET, 'its canary stopped running during the bake'),
    },
    {
      name: 'operator invokes the rollback Lambda during a bake',
      start: TUESDAY,
      alarm: false,
      hours: 72,
      setup: ({ world }) => {
        world.when(bakeStarted(WAVE2_FLEET), (change) => world.operatorRollback(WAVE2_FLEET, change.at.getTime() + 20 * MINUTE));
      },
      expect: ({ world }) => {
        const call = world.operatorRollbacks[0];
        if (!call) return ['the operator rollback never ran'];
        if (call.error) return [`the rollback Lambda failed: ${call.error}`];
        const t = world.target(WAVE2_FLEET);
        const deadline = call.at.getTime() + 60 * SECOND;
        const restored = t.services.lambda.updates.some((u) => u.key === `${t.functionName}:${t.aliasName}` && u.at.getTime() >= call.at.getTime()
          && u.at.getTime() <= deadline && u.after.functionVersion === '1' && Object.keys(u.after.weights).length === 0);
        const stageRolledBack = world.codePipeline.executions.some((e) => e.type === 'ROLLBACK' && e.rollback?.stageName === t.target.stageName
          && e.startTime.getTime() >= call.at.getTime() && e.startTime.getTime() <= deadline);
        const rejected = call.report!.items.some((i) => i.kind === 'GATE' && i.action === 'REJECTED');
        return [
          ...check(rejected, `the operator's rollback did not reject the waiting bake of ${WAVE2_FLEET} (report: ${call.report!.items.map((i) => `${i.kind} ${i.action}`).join('; ')})`),
          ...check(restored || stageRolledBack, `an operator rolled ${WAVE2_FLEET} back at ${call.at.toISOString()}, but within 60 s neither its alias returned to version 1 nor did a ROLLBACK execution of ${t.target.stageName} start (report: ${call.report!.items.map((i) => `${i.kind} ${i.action}: ${i.detail}`).join('; ')})`),
          ...check(!bakeOutcomes(world, WAVE2_FLEET).includes('Succeeded'), `the bake of ${WAVE2_FLEET} was approved after an operator rolled it back`),
        ];
      },
    },
    {
      name: "public holiday in one region of a wave (Sao Paulo's Dia de Finados, wave 3)",
      // Tuesday 2027-11-02 is a public holiday in Sao Paulo only: wave 3 (Los Angeles, Toronto,
      // Sao Paulo) must wait for Wednesday's common window, 16:00-20:00 UTC.
      start: '2027-11-02T07:00:00Z',
      alarm: false,
      hours: 72,
      setup: () => undefined,
      expect: ({ world }) => {
        const opened = windowOpenings(world, 'Prod-Wave-3');
        return [
          ...releaseSucceeded(world),
          ...check(opened.length === 1 && opened[0].toISOString() >= '2027-11-03T16:00', `wave 3 should wait for Wednesday 2027-11-03 16:00 UTC, opened ${opened.map((d) => d.toISOString()).join(', ') || 'never'}`),
        ];
      },
    },
  ];
}

/** The structure-change drill's long-bake variant of the example's release. */
export const LONG_BAKE_MINUTES = 1200;
