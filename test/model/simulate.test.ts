import { ReleasePlan, ResolvedWindow } from '../../lib/model/plan';
import { simulateRelease, Timeline, TimelineEntry } from '../../lib/model/simulate';
import { isOpen } from '../../lib/model/window/evaluate';
import { resolveWindow } from '../../lib/model/window/resolve';
import {
  DUBLIN_ONLY, THREE_WAVES, TWENTY_REGIONS, VIRGINIA_ONLY, planOf, thirtyRegions,
} from '../fixtures/plans/declarations';

/** Entries as `phase region target start..end status`, times as HH:MM UTC when on the start day. */
function bars(timeline: Timeline, filter: (e: TimelineEntry) => boolean = () => true): string[] {
  return timeline.entries.filter(filter).map((e) =>
    `${e.phase} ${e.region}${e.targetId ? ` ${e.targetId}` : ''} ${e.start.toISOString()}..${e.end.toISOString()} ${e.status}`);
}

function stageWindow(timeline: Timeline, name: string): [string | undefined, string | undefined] {
  const stage = timeline.stages.find((s) => s.name === name)!;
  return [stage.start?.toISOString(), stage.end?.toISOString()];
}

describe('simulateRelease: beta and three production waves with default windows', () => {
  // Tuesday 4 March 2025, 08:00 UTC: Dublin is on GMT, New York on EST, Los Angeles on PST, Sydney on AEDT.
  const start = new Date('2025-03-04T08:00:00Z');
  const timeline = simulateRelease(planOf(THREE_WAVES), start);

  test('every step starts and ends at a concrete instant', () => {
    expect(bars(timeline)).toEqual([
      'DEPLOY us-east-1 beta-us-east-1-fleet 2025-03-04T08:00:00.000Z..2025-03-04T08:10:00.000Z DONE',
      'VALIDATE us-east-1 2025-03-04T08:10:00.000Z..2025-03-04T08:25:00.000Z DONE',
      // Dublin opens at 09:00 local = 09:00 UTC.
      'WINDOW_WAIT eu-west-1 2025-03-04T08:25:00.000Z..2025-03-04T09:00:00.000Z DONE',
      'DEPLOY eu-west-1 prod-wave-1-eu-west-1-onebox 2025-03-04T09:00:00.000Z..2025-03-04T09:10:00.000Z DONE',
      'BAKE eu-west-1 prod-wave-1-eu-west-1-onebox 2025-03-04T09:10:00.000Z..2025-03-04T09:40:00.000Z DONE',
      'DEPLOY eu-west-1 prod-wave-1-eu-west-1-fleet 2025-03-04T09:40:00.000Z..2025-03-04T09:50:00.000Z DONE',
      'BAKE eu-west-1 prod-wave-1-eu-west-1-fleet 2025-03-04T09:50:00.000Z..2025-03-04T10:50:00.000Z DONE',
      // New York opens at 09:00 EST = 14:00 UTC.
      'WINDOW_WAIT us-east-1 2025-03-04T10:50:00.000Z..2025-03-04T14:00:00.000Z DONE',
      'DEPLOY us-east-1 prod-wave-2-us-east-1-onebox 2025-03-04T14:00:00.000Z..2025-03-04T14:10:00.000Z DONE',
      'BAKE us-east-1 prod-wave-2-us-east-1-onebox 2025-03-04T14:10:00.000Z..2025-03-04T14:40:00.000Z DONE',
      'DEPLOY us-east-1 prod-wave-2-us-east-1-fleet 2025-03-04T14:40:00.000Z..2025-03-04T14:50:00.000Z DONE',
      'BAKE us-east-1 prod-wave-2-us-east-1-fleet 2025-03-04T14:50:00.000Z..2025-03-04T15:50:00.000Z DONE',
      // Wave 3 has one window gate for both regions. Los Angeles opens at 09:00 PST = 17:00 UTC,
      // Sydney at 09:00 AEDT on Wednesday = 22:00 UTC on Tuesday (14:00 in Los Angeles), so both
      // wait until 22:00 UTC. Later waves bake 15 + 30 minutes.
      'WINDOW_WAIT us-west-2 2025-03-04T15:50:00.000Z..2025-03-04T22:00:00.000Z DONE',
      'DEPLOY us-west-2 prod-wave-3-us-west-2-onebox 2025-03-04T22:00:00.000Z..2025-03-04T22:10:00.000Z DONE',
      'BAKE us-west-2 prod-wave-3-us-west-2-onebox 2025-03-04T22:10:00.000Z..2025-03-04T22:25:00.000Z DONE',
      'DEPLOY us-west-2 prod-wave-3-us-west-2-fleet 2025-03-04T22:25:00.000Z..2025-03-04T22:35:00.000Z DONE',
      'BAKE us-west-2 prod-wave-3-us-west-2-fleet 2025-03-04T22:35:00.000Z..2025-03-04T23:05:00.000Z DONE',
      'WINDOW_WAIT ap-southeast-2 2025-03-04T15:50:00.000Z..2025-03-04T22:00:00.000Z DONE',
      'DEPLOY ap-southeast-2 prod-wave-3-ap-southeast-2-onebox 2025-03-04T22:00:00.000Z..2025-03-04T22:10:00.000Z DONE',
      'BAKE ap-southeast-2 prod-wave-3-ap-southeast-2-onebox 2025-03-04T22:10:00.000Z..2025-03-04T22:25:00.000Z DONE',
      'DEPLOY ap-southeast-2 prod-wave-3-ap-southeast-2-fleet 2025-03-04T22:25:00.000Z..2025-03-04T22:35:00.000Z DONE',
      'BAKE ap-southeast-2 prod-wave-3-ap-southeast-2-fleet 2025-03-04T22:35:00.000Z..2025-03-04T23:05:00.000Z DONE',
    ]);
  });

  test('lead time, outcome and stage boundaries', () => {
    expect(timeline.start.toISOString()).toBe('2025-03-04T08:00:00.000Z');
    expect(timeline.finish.toISOString()).toBe('2025-03-04T23:05:00.000Z');
    expect(timeline.leadTimeMinutes).toBe(905);
    expect(timeline.outcome).toBe('COMPLETED');
    expect(timeline.rolledBack).toEqual([]);
    expect(timeline.neverStarted).toEqual([]);
    expect(timeline.stuck).toBeUndefined();
    expect(stageWindow(timeline, 'beta')).toEqual(['2025-03-04T08:00:00.000Z', '2025-03-04T08:25:00.000Z']);
    expect(stageWindow(timeline, 'Prod-Wave-1')).toEqual(['2025-03-04T08:25:00.000Z', '2025-03-04T10:50:00.000Z']);
    expect(stageWindow(timeline, 'Prod-Wave-2')).toEqual(['2025-03-04T10:50:00.000Z', '2025-03-04T15:50:00.000Z']);
    // The stage waits until both windows are open (Sydney's opens last), then both regions deploy.
    expect(stageWindow(timeline, 'Prod-Wave-3')).toEqual(['2025-03-04T15:50:00.000Z', '2025-03-04T23:05:00.000Z']);
  });

  test('the regions of a wave pass its gate together, at an instant inside every one of their windows', () => {
    for (const stage of planOf(THREE_WAVES).stages.filter((st) => st.kind === 'PRODUCTION')) {
      const firstDeploys = stage.regions.map((r) => timeline.entries.find((e) => e.stageName === stage.name && e.region === r.region && e.phase === 'DEPLOY')!.start.toISOString());
      expect(new Set(firstDeploys).size).toBe(1);
      const opened = new Date(firstDeploys[0]);
      expect(stage.regions.map((r) => `${r.region} ${isOpen(r.window!, opened)}`)).toEqual(stage.regions.map((r) => `${r.region} true`));
    }
  });

  test('a failure in the last wave rolls back what had started in every region of the wave', () => {
    const failed = simulateRelease(planOf(THREE_WAVES), start, {
      failure: { targetId: 'prod-wave-3-us-west-2-onebox', afterBakeMinutes: 5 },
    });
    expect(failed.outcome).toBe('ROLLED_BACK');
    // Both regions passed the wave's gate at 22:00 and deployed their one-boxes; Los Angeles's
    // fails at 22:15, five minutes into its bake, which stops Sydney's bake and rolls back both.
    expect(failed.rolledBack).toEqual(['prod-wave-3-us-west-2-onebox', 'prod-wave-3-ap-southeast-2-onebox']);
    expect(failed.neverStarted).toEqual([]);
    expect(bars(failed, (e) => e.stageName === 'Prod-Wave-3')).toEqual([
      'WINDOW_WAIT us-west-2 2025-03-04T15:50:00.000Z..2025-03-04T22:00:00.000Z DONE',
      'DEPLOY us-west-2 prod-wave-3-us-west-2-onebox 2025-03-04T22:00:00.000Z..2025-03-04T22:10:00.000Z DONE',
      'BAKE us-west-2 prod-wave-3-us-west-2-onebox 2025-03-04T22:10:00.000Z..2025-03-04T22:15:00.000Z FAILED',
      'ROLLBACK us-west-2 prod-wave-3-us-west-2-onebox 2025-03-04T22:15:00.000Z..2025-03-04T22:25:00.000Z ROLLED_BACK',
      'WINDOW_WAIT ap-southeast-2 2025-03-04T15:50:00.000Z..2025-03-04T22:00:00.000Z DONE',
      'DEPLOY ap-southeast-2 prod-wave-3-ap-southeast-2-onebox 2025-03-04T22:00:00.000Z..2025-03-04T22:10:00.000Z DONE',
      'BAKE ap-southeast-2 prod-wave-3-ap-southeast-2-onebox 2025-03-04T22:10:00.000Z..2025-03-04T22:15:00.000Z ROLLED_BACK',
      'ROLLBACK ap-southeast-2 prod-wave-3-ap-southeast-2-onebox 2025-03-04T22:15:00.000Z..2025-03-04T22:25:00.000Z ROLLED_BACK',
    ]);
    // 08:00 to 22:25 = 14 h 25 min.
    expect(failed.finish.toISOString()).toBe('2025-03-04T22:25:00.000Z');
    expect(failed.leadTimeMinutes).toBe(865);
  });
});

describe('simulateRelease: twenty regions in six waves, windows always open', () => {
  const start = new Date('2025-06-02T00:00:00Z');
  const plan = planOf(TWENTY_REGIONS);
  const timeline = simulateRelease(plan, start);

  test('waves of 110 minutes (waves 1-2) and 65 minutes (waves 3-6) run back to back', () => {
    expect(timeline.stages.map((s) => `${s.name} ${s.start!.toISOString().slice(11, 16)}-${s.end!.toISOString().slice(11, 16)}`)).toEqual([
      'Prod-Wave-1 00:00-01:50',
      'Prod-Wave-2 01:50-03:40',
      'Prod-Wave-3 03:40-04:45',
      'Prod-Wave-4 04:45-05:50',
      'Prod-Wave-5 05:50-06:55',
      'Prod-Wave-6 06:55-08:00',
    ]);
    expect(timeline.finish.toISOString()).toBe('2025-06-02T08:00:00.000Z');
    expect(timeline.leadTimeMinutes).toBe(480);
    expect(timeline.outcome).toBe('COMPLETED');
    // 20 regions x (one-box deploy, one-box bake, fleet deploy, fleet bake); no window waits.
    expect(timeline.entries).toHaveLength(80);
    expect(timeline.entries.filter((e) => e.phase === 'WINDOW_WAIT')).toEqual([]);
  });

  test('wave N+1 deploys only after the last bake of wave N ended', () => {
    for (let wave = 2; wave <= 6; wave++) {
      const firstDeploy = Math.min(...timeline.entries
        .filter((e) => e.stageName === `Prod-Wave-${wave}` && e.phase === 'DEPLOY').map((e) => e.start.getTime()));
      const lastBake = Math.max(...timeline.entries
        .filter((e) => e.stageName === `Prod-Wave-${wave - 1}` && e.phase === 'BAKE').map((e) => e.end.getTime()));
      expect(firstDeploy).toBe(lastBake);
    }
  });

  test('in every region the one-box bake ends before the fleet deployment starts', () => {
    for (const stage of plan.stages) {
      for (const region of stage.regions) {
        const oneBoxBake = timeline.entries.find((e) => e.targetId === region.oneBox!.id && e.phase === 'BAKE')!;
        const fleetDeploy = timeline.entries.find((e) => e.targetId === region.fleet.id && e.phase === 'DEPLOY')!;
        expect(fleetDeploy.start.getTime()).toBe(oneBoxBake.end.getTime());
      }
    }
  });

  test('regions of a wave run in parallel', () => {
    const wave6Deploys = timeline.entries.filter((e) => e.stageName === 'Prod-Wave-6' && e.phase === 'DEPLOY');
    expect(new Set(wave6Deploys.map((e) => e.start.toISOString()))).toEqual(
      new Set(['2025-06-02T06:55:00.000Z', '2025-06-02T07:20:00.000Z']));
  });

  test('a fleet failure in wave 4 rolls back the whole wave; waves 5 and 6 never start', () => {
    const failed = simulateRelease(plan, start, { failure: { targetId: 'prod-wave-4-eu-west-2-fleet', afterBakeMinutes: 10 } });
    expect(failed.outcome).toBe('ROLLED_BACK');
    expect(failed.neverStarted).toEqual(['Prod-Wave-5', 'Prod-Wave-6']);
    expect(failed.rolledBack).toEqual([
      'prod-wave-4-us-east-2-onebox', 'prod-wave-4-us-east-2-fleet',
      'prod-wave-4-eu-west-2-onebox', 'prod-wave-4-eu-west-2-fleet',
      'prod-wave-4-ap-southeast-1-onebox', 'prod-wave-4-ap-southeast-1-fleet',
      'prod-wave-4-ca-central-1-onebox', 'prod-wave-4-ca-central-1-fleet',
    ]);
    expect(bars(failed, (e) => e.region === 'eu-west-2' || e.region === 'ca-central-1')).toEqual([
      'DEPLOY eu-west-2 prod-wave-4-eu-west-2-onebox 2025-06-02T04:45:00.000Z..2025-06-02T04:55:00.000Z DONE',
      'BAKE eu-west-2 prod-wave-4-eu-west-2-onebox 2025-06-02T04:55:00.000Z..2025-06-02T05:10:00.000Z DONE',
      'DEPLOY eu-west-2 prod-wave-4-eu-west-2-fleet 2025-06-02T05:10:00.000Z..2025-06-02T05:20:00.000Z DONE',
      'BAKE eu-west-2 prod-wave-4-eu-west-2-fleet 2025-06-02T05:20:00.000Z..2025-06-02T05:30:00.000Z FAILED',
      'ROLLBACK eu-west-2 prod-wave-4-eu-west-2-onebox 2025-06-02T05:30:00.000Z..2025-06-02T05:40:00.000Z ROLLED_BACK',
      'ROLLBACK eu-west-2 prod-wave-4-eu-west-2-fleet 2025-06-02T05:40:00.000Z..2025-06-02T05:50:00.000Z ROLLED_BACK',
      'DEPLOY ca-central-1 prod-wave-4-ca-central-1-onebox 2025-06-02T04:45:00.000Z..2025-06-02T04:55:00.000Z DONE',
      'BAKE ca-central-1 prod-wave-4-ca-central-1-onebox 2025-06-02T04:55:00.000Z..2025-06-02T05:10:00.000Z DONE',
      'DEPLOY ca-central-1 prod-wave-4-ca-central-1-fleet 2025-06-02T05:10:00.000Z..2025-06-02T05:20:00.000Z DONE',
      // The healthy region's bake is cut short by the stage rollback.
      'BAKE ca-central-1 prod-wave-4-ca-central-1-fleet 2025-06-02T05:20:00.000Z..2025-06-02T05:30:00.000Z ROLLED_BACK',
      'ROLLBACK ca-central-1 prod-wave-4-ca-central-1-onebox 2025-06-02T05:30:00.000Z..2025-06-02T05:40:00.000Z ROLLED_BACK',
      'ROLLBACK ca-central-1 prod-wave-4-ca-central-1-fleet 2025-06-02T05:40:00.000Z..2025-06-02T05:50:00.000Z ROLLED_BACK',
    ]);
    expect(failed.stages.map((s) => s.status)).toEqual(['DONE', 'DONE', 'DONE', 'ROLLED_BACK', 'NOT_STARTED', 'NOT_STARTED']);
    expect(failed.finish.toISOString()).toBe('2025-06-02T05:50:00.000Z');
    expect(failed.leadTimeMinutes).toBe(350);
    // Earlier waves stay deployed: a stage rollback only undoes its own stage.
    expect(failed.entries.filter((e) => e.phase === 'ROLLBACK' && !e.stageName.endsWith('4'))).toEqual([]);
  });

  test('a failure in the one-box stops the region before its fleet deploys', () => {
    const failed = simulateRelease(plan, start, { failure: { targetId: 'prod-wave-1-us-east-1-onebox', afterBakeMinutes: 0 } });
    expect(failed.rolledBack).toEqual(['prod-wave-1-us-east-1-onebox']);
    expect(failed.entries.some((e) => e.targetId === 'prod-wave-1-us-east-1-fleet')).toBe(false);
    expect(failed.neverStarted).toEqual(['Prod-Wave-2', 'Prod-Wave-3', 'Prod-Wave-4', 'Prod-Wave-5', 'Prod-Wave-6']);
    expect(failed.finish.toISOString()).toBe('2025-06-02T00:20:00.000Z');
  });

  test('deployment and validation durations are options', () => {
    const slow = simulateRelease(plan, start, { deployMinutes: 25 });
    // (25 + 30 + 25 + 60) x 2 + (25 + 15 + 25 + 30) x 4 = 280 + 380
    expect(slow.leadTimeMinutes).toBe(660);
    const beta = simulateRelease(planOf(THREE_WAVES), new Date('2025-03-04T08:00:00Z'), { validationMinutes: 40 });
    expect(stageWindow(beta, 'beta')).toEqual(['2025-03-04T08:00:00.000Z', '2025-03-04T08:50:00.000Z']);
  });
});

describe('simulateRelease: deployment windows', () => {
  test('a release started Friday 16:00 in Dublin holds until Monday 09:00', () => {
    const timeline = simulateRelease(planOf(DUBLIN_ONLY), new Date('2025-03-07T16:00:00Z'));
    expect(bars(timeline, (e) => e.phase === 'WINDOW_WAIT')).toEqual([
      'WINDOW_WAIT eu-west-1 2025-03-07T16:00:00.000Z..2025-03-10T09:00:00.000Z DONE',
    ]);
    expect(timeline.entries[1].start.toISOString()).toBe('2025-03-10T09:00:00.000Z');
    // 65 h of waiting + 110 min of deployments and bakes.
    expect(timeline.leadTimeMinutes).toBe(65 * 60 + 110);
  });

  test('across the spring DST change Dublin opens at 09:00 IST = 08:00 UTC', () => {
    // Clocks go forward on Sunday 30 March 2025.
    const timeline = simulateRelease(planOf(DUBLIN_ONLY), new Date('2025-03-28T16:00:00Z'));
    expect(timeline.entries[0].end.toISOString()).toBe('2025-03-31T08:00:00.000Z');
    expect(timeline.finish.toISOString()).toBe('2025-03-31T09:50:00.000Z');
  });

  test('across the US DST change New York opens at 09:00 EDT = 13:00 UTC', () => {
    // Friday 7 March 2025 17:00 EST; clocks go forward on Sunday 9 March.
    const timeline = simulateRelease(planOf(VIRGINIA_ONLY), new Date('2025-03-07T22:00:00Z'));
    expect(timeline.entries[0].end.toISOString()).toBe('2025-03-10T13:00:00.000Z');
  });

  test('an open window does not add a wait', () => {
    const timeline = simulateRelease(planOf(DUBLIN_ONLY), new Date('2025-03-04T10:00:00Z'));
    expect(timeline.entries[0].phase).toBe('DEPLOY');
    expect(timeline.entries[0].start.toISOString()).toBe('2025-03-04T10:00:00.000Z');
    expect(timeline.leadTimeMinutes).toBe(110);
  });

  test('a window closed longer than maxWindowHoldMinutes leaves the release stuck', () => {
    // Friday 14 March 2025; Monday 17 March is St Patrick's Day, so Dublin next opens on Tuesday 18
    // March 09:00, 89 hours later, beyond the 72-hour hold limit.
    const timeline = simulateRelease(planOf(THREE_WAVES), new Date('2025-03-14T16:00:00Z'));
    expect(timeline.outcome).toBe('STUCK');
    expect(timeline.stuck).toBe('Prod-Wave-1 eu-west-1: the window gate fails at 2025-03-17T16:25:00.000Z without deploying, '
      + "because its window next opens at 2025-03-18T09:00:00.000Z, after the gate's 4320-minute hold limit.");
    expect(timeline.neverStarted).toEqual(['Prod-Wave-2', 'Prod-Wave-3']);
    expect(bars(timeline, (e) => e.stageName === 'Prod-Wave-1')).toEqual([
      'WINDOW_WAIT eu-west-1 2025-03-14T16:25:00.000Z..2025-03-17T16:25:00.000Z FAILED',
    ]);
    expect(timeline.finish.toISOString()).toBe('2025-03-17T16:25:00.000Z');
    expect(timeline.stages.map((s) => s.status)).toEqual(['DONE', 'FAILED', 'NOT_STARTED', 'NOT_STARTED']);
  });

  test('a window that never opens leaves the release stuck', () => {
    const plan = planOf({
      production: {
        account: '444444444444',
        window: { timeZone: 'Europe/Dublin', publicHolidays: false, blackouts: ['2025-01-01..2026-12-31'] },
        waves: [{ regions: ['eu-west-1'] }],
      },
    });
    // The default hold limit is five days (7200 minutes).
    const timeline = simulateRelease(plan, new Date('2025-03-04T10:00:00Z'));
    expect(timeline.outcome).toBe('STUCK');
    expect(timeline.stuck).toBe('Prod-Wave-1 eu-west-1: the window gate fails at 2025-03-09T10:00:00.000Z without deploying, '
      + 'because its window does not open again within the 400 days the gate looks ahead.');
  });
});

describe('simulateRelease: one window gate per wave', () => {
  const start = new Date('2025-03-04T08:00:00Z');

  /** The THREE_WAVES plan with one region's window of Prod-Wave-3 replaced, as an older plan file could have it. */
  function withWindow(region: string, window: ResolvedWindow): ReleasePlan {
    const plan = planOf(THREE_WAVES);
    return {
      ...plan,
      stages: plan.stages.map((stage) => stage.name !== 'Prod-Wave-3' ? stage : {
        ...stage,
        regions: stage.regions.map((r) => r.region === region ? { ...r, window } : r),
      }),
    };
  }

  test('a blackout in one region holds the whole wave until the next instant both are open', () => {
    // Sydney is blacked out on Wednesday 5 March (local), so it next opens on Thursday 09:00 AEDT =
    // Wednesday 22:00 UTC, when Los Angeles (14:00 PST) is open too: 30 h 10 min after the wave starts.
    const sydney = resolveWindow({ blackouts: ['2025-03-05'] }, 'ap-southeast-2');
    const timeline = simulateRelease(withWindow('ap-southeast-2', sydney), start);
    const waitAndFirstDeploy = (e: TimelineEntry) => e.stageName === 'Prod-Wave-3' && (e.phase === 'WINDOW_WAIT' || (e.phase === 'DEPLOY' && e.targetId!.endsWith('onebox')));
    expect(bars(timeline, waitAndFirstDeploy)).toEqual([
      'WINDOW_WAIT us-west-2 2025-03-04T15:50:00.000Z..2025-03-05T22:00:00.000Z DONE',
      'DEPLOY us-west-2 prod-wave-3-us-west-2-onebox 2025-03-05T22:00:00.000Z..2025-03-05T22:10:00.000Z DONE',
      'WINDOW_WAIT ap-southeast-2 2025-03-04T15:50:00.000Z..2025-03-05T22:00:00.000Z DONE',
      'DEPLOY ap-southeast-2 prod-wave-3-ap-southeast-2-onebox 2025-03-05T22:00:00.000Z..2025-03-05T22:10:00.000Z DONE',
    ]);
    expect(timeline.finish.toISOString()).toBe('2025-03-05T23:05:00.000Z');
  });

  test('a longer blackout in one region leaves the release stuck, and no region of the wave deploys', () => {
    // Blacked out through Tuesday 11 March (Sydney time): the windows are next open together on
    // Wednesday 12 March 09:00 AEDT = 11 March 22:00 UTC (15:00 PDT), beyond the 3-day hold limit.
    const sydney = resolveWindow({ blackouts: ['2025-03-05..2025-03-11'] }, 'ap-southeast-2');
    const timeline = simulateRelease(withWindow('ap-southeast-2', sydney), start);
    expect(timeline.outcome).toBe('STUCK');
    expect(timeline.stuck).toBe('Prod-Wave-3 (us-west-2, ap-southeast-2): the window gate fails at 2025-03-07T15:50:00.000Z without deploying, '
      + "because the windows of its regions are next all open at 2025-03-11T22:00:00.000Z, after the gate's 4320-minute hold limit.");
    expect(bars(timeline, (e) => e.stageName === 'Prod-Wave-3')).toEqual([
      'WINDOW_WAIT us-west-2 2025-03-04T15:50:00.000Z..2025-03-07T15:50:00.000Z FAILED',
      'WINDOW_WAIT ap-southeast-2 2025-03-04T15:50:00.000Z..2025-03-07T15:50:00.000Z FAILED',
    ]);
    expect(timeline.stages.map((s) => s.status)).toEqual(['DONE', 'DONE', 'DONE', 'FAILED']);
  });

  test('windows that never overlap leave the release stuck', () => {
    // Sydney (22:00-06:00Z) and Sao Paulo (12:00-20:00Z) business hours never meet.
    const timeline = simulateRelease(withWindow('us-west-2', resolveWindow(undefined, 'sa-east-1')), start);
    expect(timeline.outcome).toBe('STUCK');
    expect(timeline.stuck).toBe('Prod-Wave-3 (us-west-2, ap-southeast-2): the window gate fails at 2025-03-07T15:50:00.000Z without deploying, '
      + 'because the windows of its regions are never all open at the same instant within the 400 days the gate looks ahead.');
    expect(timeline.entries.filter((e) => e.stageName === 'Prod-Wave-3' && e.phase !== 'WINDOW_WAIT')).toEqual([]);
  });
});

describe('simulateRelease: options are checked', () => {
  const plan = planOf(DUBLIN_ONLY);
  const start = new Date('2025-03-04T10:00:00Z');

  test('an unknown failure target is named with the targets that exist', () => {
    expect(() => simulateRelease(plan, start, { failure: { targetId: 'prod-wave-1-eu-west-2-fleet', afterBakeMinutes: 1 } }))
      .toThrow('failure.targetId: "prod-wave-1-eu-west-2-fleet" is not a target of pipeline Checkout; '
        + 'targets are prod-wave-1-eu-west-1-onebox, prod-wave-1-eu-west-1-fleet');
  });

  test('a failure minute outside the bake is refused', () => {
    expect(() => simulateRelease(plan, start, { failure: { targetId: 'prod-wave-1-eu-west-1-fleet', afterBakeMinutes: 61 } }))
      .toThrow('failure.afterBakeMinutes: 61 is outside the 60-minute bake of prod-wave-1-eu-west-1-fleet; give a minute from 0 to 60');
  });

  test('negative durations are refused', () => {
    expect(() => simulateRelease(plan, start, { deployMinutes: -1 }))
      .toThrow('deployMinutes: -1 is not a duration; give a number of minutes, 0 or more');
  });
});

describe('simulateRelease: speed', () => {
  // Its speed is a bench figure (bench/), not a timed unit test: timings on a shared machine flake.
  test('a 30-region plan with default windows deploys every region once', () => {
    const plan = planOf(thirtyRegions());
    const timeline = simulateRelease(plan, new Date('2025-03-11T08:00:00Z'));
    expect(timeline.entries.filter((e) => e.phase === 'DEPLOY')).toHaveLength(30);
  });
});
