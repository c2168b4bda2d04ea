import { DeploymentWindowSpec } from '../../lib/model/declaration';
import { decideWindowGate } from '../../lib/model/gates';
import {
  HOLIDAY_HORIZON_WARNING_DAYS, holidayCountryProblem, holidayHorizon, holidayHorizonWarning, holidayTable, publicHolidaysOn,
} from '../../lib/model/holidays';
import { ReleasePlan } from '../../lib/model/plan';
import { knownRegions, regionInfo } from '../../lib/model/regions';
import { windowStatus } from '../../lib/model/window/evaluate';
import { resolveWindow } from '../../lib/model/window/resolve';
import { validateWindow } from '../../lib/model/window/validate';
import { calendarDates, HOLIDAY_YEARS } from '../../scripts/holiday-source';

const MON_TO_THU = new Set([1, 2, 3, 4]);

describe('the holiday table (generated at build time from date-holidays)', () => {
  // The committed table must be what scripts/build-holiday-table.ts writes from the locked
  // date-holidays; a date-holidays upgrade without `npx projen holidays` fails here.
  const calendars = [...new Set(knownRegions().map((r) => regionInfo(r)!.holidayCountry))].sort();
  test.each(calendars)('%s matches date-holidays', (code) => {
    expect(holidayTable().calendars[code]).toStrictEqual(calendarDates(code, HOLIDAY_YEARS));
  });

  test('covers the years of the horizon and names its source', () => {
    expect(holidayHorizon()).toStrictEqual({ from: `${HOLIDAY_YEARS.first}-01-01`, until: `${HOLIDAY_YEARS.last}-12-31`, source: expect.stringMatching(/^date-holidays \d+\.\d+\.\d+$/) });
  });
});

describe('publicHolidaysOn', () => {
  test('keeps the holidays on open weekdays, named, in date order', () => {
    const jp = publicHolidaysOn('JP', MON_TO_THU);
    expect(jp).toContainEqual({ date: '2027-01-11', name: 'Coming of Age Day' });
    expect(jp.map((h) => h.date)).toStrictEqual([...jp.map((h) => h.date)].sort());
    // 2027-02-11 Foundation Day is a Thursday, 2026-02-11 a Wednesday; 2028-02-11 a Friday.
    expect(jp.map((h) => h.date)).toEqual(expect.arrayContaining(['2026-02-11', '2027-02-11']));
    expect(jp.map((h) => h.date)).not.toContain('2028-02-11');
    expect(publicHolidaysOn('JP', new Set([5]))).toContainEqual({ date: '2028-02-11', name: 'Foundation Day' });
  });

  test('an unknown calendar throws, naming it', () => {
    expect(() => publicHolidaysOn('XX', MON_TO_THU)).toThrow('"XX" is not a public-holiday calendar of date-holidays');
  });
});

describe('holidayCountryProblem', () => {
  test.each([
    { value: 'US-VA', expected: undefined },
    { value: 'ie', expected: undefined },
    { value: 'Japan', expected: '"Japan" is not an ISO 3166 country code; did you mean "JP"?' },
    { value: 'US-XX', expected: expect.stringMatching(/^"US-XX": the public-holiday calendar of US has no state "XX"; use "US" or one of US-AK, /) },
  ])('$value', ({ value, expected }) => {
    expect(holidayCountryProblem(value)).toEqual(expected);
  });
});

describe('validating a plan\'s window', () => {
  test('does not look its calendar up in the holiday table (the controller has none): the dates are in the plan', () => {
    const tokyo = resolveWindow(undefined, 'ap-northeast-1');
    expect(validateWindow({ ...tokyo, holidayCountry: 'XX' } as DeploymentWindowSpec, 'w')).toStrictEqual([]);
    // A declaration (no dates yet) is checked against the table.
    expect(validateWindow({ holidayCountry: 'XX' }, 'w').map((p) => p.path)).toStrictEqual(['w.holidayCountry']);
  });
});

describe('windows judged from the dates in the plan', () => {
  const tokyo = resolveWindow(undefined, 'ap-northeast-1');

  test('a resolved holiday closes the window, named', () => {
    // Monday 2027-01-11 10:00 in Tokyo.
    expect(windowStatus(tokyo, new Date('2027-01-11T01:00:00Z'))).toMatchObject({ open: false, reason: 'public holiday in JP: Coming of Age Day' });
  });

  test('only the dates in the plan count: the same window without its dates is open that day', () => {
    const withoutThatDay = { ...tokyo, holidays: tokyo.holidays!.filter((h) => h.date !== '2027-01-11') };
    expect(windowStatus(withoutThatDay, new Date('2027-01-11T01:00:00Z')).open).toBe(true);
  });

  test('past the holiday horizon the window is closed, and never opens again', () => {
    const status = windowStatus(tokyo, new Date('2031-01-06T01:00:00Z')); // a Monday
    expect(status.open).toBe(false);
    expect(status.reason).toBe('the plan\'s JP public-holiday dates end on 2030-12-31 (its holiday horizon), so whether 2031-01-06 is a holiday is not known '
      + 'and the window stays closed; upgrade cdk-wave-pipelines and redeploy the pipeline to extend the dates');
    expect(status.opensAt).toBeUndefined();
  });

  test('a window with a calendar but no dates (an older plan) is closed, not open on holidays', () => {
    const { holidays, holidaysFrom, holidaysUntil, ...bare } = tokyo;
    expect(windowStatus(bare, new Date('2027-01-12T01:00:00Z')).open).toBe(false);
  });

  test('a window without public holidays has no horizon', () => {
    const utc = resolveWindow({ timeZone: 'UTC', publicHolidays: false }, 'eu-west-1');
    expect(windowStatus(utc, new Date('2040-01-03T10:00:00Z')).open).toBe(true);
  });
});

describe('the window gate past the holiday horizon', () => {
  const windows = [{ region: 'ap-northeast-1', window: resolveWindow(undefined, 'ap-northeast-1') }];
  const base = { windows, stopSwitch: 'OFF' as const, maxHoldMinutes: 7200 };

  test('fails at once, with the reason, instead of holding', () => {
    const now = new Date('2031-01-06T01:00:00Z');
    expect(decideWindowGate({ ...base, now, heldSince: now })).toStrictEqual({
      decision: 'FAIL',
      reason: 'window of ap-northeast-1 closed (fail closed): the plan\'s JP public-holiday dates end on 2030-12-31 (its holiday horizon), so whether 2031-01-06 '
        + 'is a holiday is not known and the window stays closed; upgrade cdk-wave-pipelines and redeploy the pipeline to extend the dates',
    });
  });

  test('on the last day of the horizon (local date) it still judges the window', () => {
    const now = new Date('2030-12-31T14:00:00Z'); // 23:00 Tuesday in Tokyo
    expect(decideWindowGate({ ...base, now, heldSince: now }).decision).toBe('HOLD');
  });

  test('the stop switch still holds past the horizon (the operator decides)', () => {
    const now = new Date('2031-01-06T01:00:00Z');
    expect(decideWindowGate({ ...base, stopSwitch: 'ON', now, heldSince: now }).decision).toBe('HOLD');
  });
});

describe('holidayHorizonWarning (synth)', () => {
  const plan = (window = resolveWindow(undefined, 'eu-west-1')): ReleasePlan => ({
    schemaVersion: 1,
    pipelineName: 'svc',
    pipelineAccount: '1',
    pipelineRegion: 'eu-west-1',
    stopSwitchParameterName: '/s',
    maxWindowHoldMinutes: 60,
    stages: [{
      name: 'Prod',
      kind: 'PRODUCTION',
      wave: 1,
      regions: [{ region: 'eu-west-1', account: '1', window, fleet: { id: 'f', kind: 'FLEET', stageName: 'Prod', region: 'eu-west-1', account: '1', bake: { minutes: 0, minHealthyDatapoints: 0, noData: 'FAIL' } }, validations: [] }],
    }],
  });

  test('quiet with more than six months left', () => {
    expect(holidayHorizonWarning(plan(), new Date('2030-06-01T00:00:00Z'))).toBeUndefined();
  });

  test('warns with less than six months left, naming the date and the fix', () => {
    const now = new Date(Date.parse('2031-01-01T00:00:00Z') - (HOLIDAY_HORIZON_WARNING_DAYS - 1) * 86_400_000);
    expect(holidayHorizonWarning(plan(), now)).toBe('the public-holiday dates in the plan of svc end on 2030-12-31, in 182 days (less than six months); '
      + 'after that date its window gates fail closed. Upgrade cdk-wave-pipelines (its holiday table reaches further) and redeploy the pipeline, '
      + 'or set publicHolidays: false and list the closures as blackouts.');
  });

  test('says how long ago when the horizon has passed', () => {
    expect(holidayHorizonWarning(plan(), new Date('2031-01-03T12:00:00Z'))).toMatch('end on 2030-12-31, 2 days ago');
  });

  test('quiet when no window uses public holidays', () => {
    expect(holidayHorizonWarning(plan(resolveWindow({ timeZone: 'UTC', publicHolidays: false }, 'eu-west-1')), new Date('2030-12-01T00:00:00Z'))).toBeUndefined();
  });
});
