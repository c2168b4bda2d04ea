import { decideWindowGate, StopSwitchState, WindowGateDecision, WindowGateInput } from '../../lib/model/gates';
import { resolveWindow } from '../../lib/model/window';

// Mon-Thu 09:00-17:00 Europe/Dublin, closed on IE public holidays.
const dublin = resolveWindow(undefined, 'eu-west-1');
const OPEN_NOW = new Date('2026-03-12T10:00:00Z'); // Thursday 10:00 GMT
const FRIDAY = new Date('2026-03-13T10:00:00Z');
const NEXT_MONDAY = new Date('2026-03-16T09:00:00Z');
const MINUTE = 60_000;

function input(overrides: Partial<WindowGateInput>): WindowGateInput {
  return { window: dublin, now: FRIDAY, stopSwitch: 'OFF', heldSince: FRIDAY, maxHoldMinutes: 4320, ...overrides };
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
      input: input({ window: undefined, stopSwitch: 'ON', heldSince: new Date(FRIDAY.getTime() - 10_000 * MINUTE) }),
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
      input: input({ now: OPEN_NOW, heldSince: OPEN_NOW, window: undefined, stopSwitch: 'UNREADABLE', stopSwitchName: '/p/stop' }),
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
      input: input({ window: undefined }),
      expected: { decision: 'OPEN', reason: 'no deployment window: the wave may deploy at any time' },
    },
    {
      name: 'open window opens',
      input: input({ now: OPEN_NOW, heldSince: OPEN_NOW }),
      expected: { decision: 'OPEN', reason: 'window open: inside hours 09:00-17:00 Europe/Dublin on Thursday' },
    },
    {
      name: 'open window opens even after holding longer than the limit',
      input: input({ now: OPEN_NOW, heldSince: new Date(OPEN_NOW.getTime() - 5000 * MINUTE) }),
      expected: { decision: 'OPEN', reason: 'window open: inside hours 09:00-17:00 Europe/Dublin on Thursday' },
    },
    {
      name: 'closed window holds until the next opening',
      input: input({}),
      expected: {
        decision: 'HOLD',
        reason: 'window closed: Friday is not an allowed weekday; opens Mon 2026-03-16 09:00 Europe/Dublin (2026-03-16T09:00:00.000Z)',
        opensAt: NEXT_MONDAY,
      },
    },
    {
      name: 'held exactly the limit still holds',
      input: input({ heldSince: new Date(FRIDAY.getTime() - 4320 * MINUTE) }),
      expected: {
        decision: 'HOLD',
        reason: 'window closed: Friday is not an allowed weekday; opens Mon 2026-03-16 09:00 Europe/Dublin (2026-03-16T09:00:00.000Z)',
        opensAt: NEXT_MONDAY,
      },
    },
    {
      name: 'held past the limit fails',
      input: input({ heldSince: new Date(FRIDAY.getTime() - 4321 * MINUTE) }),
      expected: {
        decision: 'FAIL',
        reason: 'held 4321 min, longer than maxWindowHoldMinutes=4320; the wave did not deploy (window closed: Friday is not an allowed weekday; opens Mon 2026-03-16 09:00 Europe/Dublin (2026-03-16T09:00:00.000Z))',
      },
    },
    {
      name: 'holiday hold names the holiday',
      input: input({ now: new Date('2026-03-17T10:00:00Z'), heldSince: new Date('2026-03-17T08:00:00Z'), maxHoldMinutes: 60 }),
      expected: {
        decision: 'FAIL',
        reason: 'held 120 min, longer than maxWindowHoldMinutes=60; the wave did not deploy (window closed: public holiday in IE: St. Patrick’s Day; opens Wed 2026-03-18 09:00 Europe/Dublin (2026-03-18T09:00:00.000Z))',
      },
    },
    {
      name: 'a window that never opens holds without opensAt',
      input: input({ window: resolveWindow({ weekdays: [], publicHolidays: false }, 'eu-west-1') }),
      expected: { decision: 'HOLD', reason: 'window closed: Friday is not an allowed weekday; does not open in the next 400 days' },
    },
  ])('$name', ({ input: given, expected }) => {
    expect(decideWindowGate(given)).toStrictEqual(expected);
  });
});
