import { iso } from './helpers';
import { DeploymentWindow } from '../../../lib/model/window/deployment-window';

describe('DeploymentWindow (public API)', () => {
  const window = DeploymentWindow.resolve({}, 'us-east-1');

  test('resolve fills the region defaults', () => {
    const { holidays, ...rest } = window;
    expect(rest).toStrictEqual({
      timeZone: 'America/New_York',
      weekdays: ['MON', 'TUE', 'WED', 'THU'],
      startHour: 9,
      endHour: 17,
      blackouts: [],
      holidayCountry: 'US-VA',
      holidaysFrom: '2025-01-01',
      holidaysUntil: '2030-12-31',
    });
    expect(holidays).toContainEqual({ date: '2026-11-26', name: 'Thanksgiving Day' });
  });

  test.each([
    { now: '2026-11-26T15:00:00Z', open: false, next: '2026-11-30T14:00:00.000Z', explain: 'public holiday in US-VA: Thanksgiving Day' },
    { now: '2026-11-24T15:00:00Z', open: true, next: '2026-11-24T15:00:00.000Z', explain: 'inside hours 09:00-17:00 America/New_York on Tuesday' },
    { now: '2026-11-24T22:00:00Z', open: false, next: '2026-11-25T14:00:00.000Z', explain: 'outside hours 09:00-17:00 America/New_York' },
  ])('at $now', ({ now, open, next, explain }) => {
    expect(DeploymentWindow.isOpen(window, new Date(now))).toBe(open);
    expect(iso(DeploymentWindow.nextOpening(window, new Date(now)))).toBe(next);
    expect(DeploymentWindow.explain(window, new Date(now))).toBe(explain);
  });

  test('nextOpening honours a horizon', () => {
    expect(DeploymentWindow.nextOpening(window, new Date('2026-11-26T15:00:00Z'), 2)).toBeUndefined();
    expect(iso(DeploymentWindow.nextOpening(window, new Date('2026-11-26T15:00:00Z'), 4))).toBe('2026-11-30T14:00:00.000Z');
  });

  test('describe', () => {
    expect(DeploymentWindow.describe(window)).toBe('Mon-Thu 09:00-17:00 America/New_York, closed on US-VA public holidays');
  });
});

describe('DeploymentWindow (public API)', () => {
  test('nextCommonOpening: Los Angeles, Toronto and Sao Paulo share 17:00-20:00 UTC in November', () => {
    const windows = ['us-west-2', 'ca-central-1', 'sa-east-1'].map((r) => DeploymentWindow.resolve({ publicHolidays: false }, r));
    // Monday 2026-11-30 12:00 UTC: Sao Paulo is open (09:00), Los Angeles not yet (04:00).
    expect(DeploymentWindow.nextCommonOpening(windows, new Date('2026-11-30T12:00:00Z'))?.toISOString()).toBe('2026-11-30T17:00:00.000Z');
    const apart = ['ap-southeast-2', 'sa-east-1'].map((r) => DeploymentWindow.resolve({ publicHolidays: false }, r));
    expect(DeploymentWindow.nextCommonOpening(apart, new Date('2026-11-30T12:00:00Z'), 30)).toBeUndefined();
  });
});
