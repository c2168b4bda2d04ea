import { decideWindowGate, StopSwitchState, WindowGateDecision, WindowGateInput } from '../../lib/model/gates';
import { resolveWindow } from '../../lib/model/window/resolve';

// Mon-Thu 09:00-17:00 Europe/Dublin, closed on IE public holidays.
const dublin = [{ region: 'eu-west-1', window: resolveWindow(undefined, 'eu-west-1') }];
const regionWindow = (region: string) => ({ region, window: resolveWindow(undefined, region) });
// Tuesday 10 November 2026. Los Angeles (PST) is open 17:00-01:00Z, Sao Paulo (UTC-3) 12:00-20:00Z,
// Sydney (AEDT) 22:00-06:00Z: Los Angeles and Sao Paulo share 17:00-20:00Z, Sydney and Sao Paulo nothing.
const laAndSaoPaulo = [regionWindow('us-west-2'), regionWindow('sa-east-1')];
const sydneyAndSaoPaulo = [regionWindow('ap-southeast-2'), regionWindow('sa-east-1')];
const NOV_10_1800 = new Date('2026-11-10T18:00:00Z');
const NOV_10_2030 = new Date('2026-11-10T20:30:00Z');
const NEVER_OVERLAP = 'window of ap-southeast-2 closed: outside hours 09:00-17:00 Australia/Sydney; the windows of ap-southeast-2 and sa-east-1 '
  + 'are never all open at the same instant within the next 400 days (they do not overlap), so the stage cannot start';
const OPEN_NOW = new Date('2026-03-12T10:00:00Z'); // Thursday 10:00 GMT
const FRIDAY = new Date('2026-03-13T10:00:00Z');
const NEXT_MONDAY = new Date('2026-03-16T09:00:00Z');
const MINUTE = 60_000;

function input(overrides: Partial<WindowGateInput>): WindowGateInput {
  return { windows: dublin, now: FRIDAY, stopSwitch: 'OFF', heldSince: FRIDAY, maxHoldMinutes: 4320, ...overrides };
}

describe('decideWindowGate', () => {
  test.each<{ name: string; input: WindowGateInput; expected: WindowGateDecision }>([
    {
      name: 'stop switch ON holds even inside an open window',
      input: input({ now: OPEN_NOW, heldSince: OPEN_NOW, stopSwitch: 'ON', stopSwitchName: '/cdk-wave-pipelines/svc/stop-all-releases' }),
      expected: { decision: 'HOLD', reason: 'stop switch "/cdk-wave-pipelines/svc/stop-all-releases" is ON: all releases are stopped; set it to OFF to resume' },
    },
    {
      name: 'stop switch ON holds without a window, and does not fail after the hold limit',
      input: input({ windows: [], stopSwitch: 'ON', heldSince: new Date(FRIDAY.getTime() - 10_000 * MINUTE) }),
      expected: { decision: 'HOLD', reason: 'stop switch parameter is ON: all releases are stopped; set it to OFF to resume' },
    },
    {
      name: 'missing stop switch fails closed',
      input: input({ now: OPEN_NOW, heldSince: OPEN_NOW, stopSwitch: 'MISSING', stopSwitchName: '/p/stop' }),
      expected: {
        decision: 'HOLD',
        reason: 'stop switch "/p/stop" could not be read: the SSM parameter does not exist, so the gate holds (fail closed); create it with value OFF to let releases run',
      },
    },
    {
      name: 'unreadable stop switch fails closed',
      input: input({ now: OPEN_NOW, heldSince: OPEN_NOW, windows: [], stopSwitch: 'UNREADABLE', stopSwitchName: '/p/stop' }),
      expected: {
        decision: 'HOLD',
        reason: 'stop switch "/p/stop" could not be read, so the gate holds (fail closed); grant the window gate ssm:GetParameter on it and check its value is ON or OFF',
      },
    },
    {
      name: 'a state outside the type fails closed',
      input: input({ now: OPEN_NOW, stopSwitch: 'on' as StopSwitchState }),
      expected: { decision: 'HOLD', reason: 'stop switch parameter has the unknown state "on", so the gate holds (fail closed); set it to ON or OFF' },
    },
    {
      name: 'no window opens',
      input: input({ windows: [] }),
      expected: { decision: 'OPEN', reason: 'no deployment window: the wave may deploy at any time' },
    },
    {
      name: 'open window opens',
      input: input({ now: OPEN_NOW, heldSince: OPEN_NOW }),
      expected: { decision: 'OPEN', reason: 'window of eu-west-1 open: inside hours 09:00-17:00 Europe/Dublin on Thursday' },
    },
    {
      name: 'open window opens even after holding longer than the limit',
      input: input({ now: OPEN_NOW, heldSince: new Date(OPEN_NOW.getTime() - 5000 * MINUTE) }),
      expected: { decision: 'OPEN', reason: 'window of eu-west-1 open: inside hours 09:00-17:00 Europe/Dublin on Thursday' },
    },
    {
      name: 'closed window holds until the next opening',
      input: input({}),
      expected: {
        decision: 'HOLD',
        reason: 'window of eu-west-1 closed: Friday is not an allowed weekday; opens Mon 2026-03-16 09:00 Europe/Dublin (2026-03-16T09:00:00.000Z)',
        opensAt: NEXT_MONDAY,
      },
    },
    {
      name: 'held exactly the limit still holds',
      input: input({ heldSince: new Date(FRIDAY.getTime() - 4320 * MINUTE) }),
      expected: {
        decision: 'HOLD',
        reason: 'window of eu-west-1 closed: Friday is not an allowed weekday; opens Mon 2026-03-16 09:00 Europe/Dublin (2026-03-16T09:00:00.000Z)',
        opensAt: NEXT_MONDAY,
      },
    },
    {
      name: 'held past the limit fails',
      input: input({ heldSince: new Date(FRIDAY.getTime() - 4321 * MINUTE) }),
      expected: {
        decision: 'FAIL',
        reason: 'held 4321 min, longer than maxWindowHoldMinutes=4320; the wave did not deploy (window of eu-west-1 closed: Friday is not an allowed weekday; opens Mon 2026-03-16 09:00 Europe/Dublin (2026-03-16T09:00:00.000Z))',
      },
    },
    {
      name: 'holiday hold names the holiday',
      input: input({ now: new Date('2026-03-17T10:00:00Z'), heldSince: new Date('2026-03-17T08:00:00Z'), maxHoldMinutes: 60 }),
      expected: {
        decision: 'FAIL',
        reason: 'held 120 min, longer than maxWindowHoldMinutes=60; the wave did not deploy (window of eu-west-1 closed: public holiday in IE: St. Patrick’s Day; opens Wed 2026-03-18 09:00 Europe/Dublin (2026-03-18T09:00:00.000Z))',
      },
    },
    {
      name: 'a window that never opens holds without opensAt',
      input: input({ windows: [{ region: 'eu-west-1', window: resolveWindow({ weekdays: [], publicHolidays: false }, 'eu-west-1') }] }),
      expected: {
        decision: 'HOLD',
        reason: 'window of eu-west-1 closed: Friday is not an allowed weekday; the window of eu-west-1 does not open within the next 400 days',
      },
    },
    {
      name: 'a wave opens only when every region\'s window is open',
      input: input({ windows: laAndSaoPaulo, now: NOV_10_1800, heldSince: NOV_10_1800 }),
      expected: {
        decision: 'OPEN',
        reason: 'windows of all 2 regions open: us-west-2 inside hours 09:00-17:00 America/Los_Angeles on Tuesday; '
          + 'sa-east-1 inside hours 09:00-17:00 America/Sao_Paulo on Tuesday',
      },
    },
    {
      // Los Angeles is still open (12:30 PST), Sao Paulo closed at 17:00 local. Wednesday 11 November
      // is Veterans Day in Oregon, so both are next open together on Thursday at 09:00 in Los Angeles.
      name: 'one closed region holds the whole wave until all are open together',
      input: input({ windows: laAndSaoPaulo, now: NOV_10_2030, heldSince: NOV_10_1800 }),
      expected: {
        decision: 'HOLD',
        reason: 'window of sa-east-1 closed: outside hours 09:00-17:00 America/Sao_Paulo; all 2 windows are next open together at 2026-11-12T17:00:00.000Z '
          + '(us-west-2 Thu 2026-11-12 09:00 America/Los_Angeles, sa-east-1 Thu 2026-11-12 14:00 America/Sao_Paulo)',
        opensAt: new Date('2026-11-12T17:00:00Z'),
      },
    },
    {
      name: 'windows that never overlap hold, without opensAt',
      input: input({ windows: sydneyAndSaoPaulo, now: NOV_10_1800, heldSince: NOV_10_1800 }),
      expected: { decision: 'HOLD', reason: NEVER_OVERLAP },
    },
    {
      name: 'windows that never overlap fail after the hold limit',
      input: input({ windows: sydneyAndSaoPaulo, now: NOV_10_1800, heldSince: new Date(NOV_10_1800.getTime() - 4321 * MINUTE) }),
      expected: { decision: 'FAIL', reason: `held 4321 min, longer than maxWindowHoldMinutes=4320; the wave did not deploy (${NEVER_OVERLAP})` },
    },
    {
      name: 'stop switch ON beats windows that are all open',
      input: input({ windows: laAndSaoPaulo, now: NOV_10_1800, stopSwitch: 'ON' }),
      expected: { decision: 'HOLD', reason: 'stop switch parameter is ON: all releases are stopped; set it to OFF to resume' },
    },
  ])('$name', ({ input: given, expected }) => {
    expect(decideWindowGate(given)).toStrictEqual(expected);
  });
});
