import { iso } from './helpers';
import { ResolvedWindow } from '../../../lib/model/plan';
import { commonWindowStatus, nextCommonOpening } from '../../../lib/model/window/common';
import { describeCommonWindow } from '../../../lib/model/window/describe';
import { isOpen, nextOpening } from '../../../lib/model/window/evaluate';
import { resolveWindow } from '../../../lib/model/window/resolve';

describe('several windows at once: nextCommonOpening / commonWindowStatus', () => {
  /** Mon-Thu 09:00-17:00 local, no public holidays, so only the clocks and blackouts matter. */
  const office = (timeZone: string, blackouts: string[] = []) => resolveWindow({ timeZone, publicHolidays: false, blackouts }, 'us-east-1');
  const losAngeles = office('America/Los_Angeles');
  const toronto = office('America/Toronto');
  const saoPaulo = office('America/Sao_Paulo');
  const sydney = office('Australia/Sydney');
  const frankfurt = office('Europe/Berlin');
  const tokyo = office('Asia/Tokyo');
  const newYork = office('America/New_York');
  const london = office('Europe/London');
  const dublin = office('Europe/Dublin');

  test.each<{ name: string; windows: ResolvedWindow[]; now: string; horizon?: number; next: string | undefined }>([
    // November 2026: PST (UTC-8) 17:00-01:00Z, EST (UTC-5) 14:00-22:00Z, Sao Paulo (UTC-3, no DST) 12:00-20:00Z.
    // All three are open from 17:00Z (09:00 in Los Angeles) to 20:00Z (17:00 in Sao Paulo).
    { name: 'LA + Toronto + Sao Paulo: before the overlap -> 17:00Z', windows: [losAngeles, toronto, saoPaulo], now: '2026-11-10T12:00:00Z', next: '2026-11-10T17:00:00.000Z' },
    { name: 'LA + Toronto + Sao Paulo: one minute before', windows: [losAngeles, toronto, saoPaulo], now: '2026-11-10T16:59:00Z', next: '2026-11-10T17:00:00.000Z' },
    { name: 'LA + Toronto + Sao Paulo: inside the overlap -> now', windows: [losAngeles, toronto, saoPaulo], now: '2026-11-10T19:59:00Z', next: '2026-11-10T19:59:00.000Z' },
    { name: 'LA + Toronto + Sao Paulo: Sao Paulo closed at 20:00Z -> Wednesday 17:00Z', windows: [losAngeles, toronto, saoPaulo], now: '2026-11-10T20:00:00Z', next: '2026-11-11T17:00:00.000Z' },
    { name: 'LA + Toronto + Sao Paulo: Thursday evening -> Monday 17:00Z', windows: [losAngeles, toronto, saoPaulo], now: '2026-11-12T20:00:00Z', next: '2026-11-16T17:00:00.000Z' },
    // AEDT 22:00-06:00Z and AEST 23:00-07:00Z never meet Sao Paulo's 12:00-20:00Z.
    { name: 'Sydney + Sao Paulo never overlap', windows: [sydney, saoPaulo], now: '2026-11-10T12:00:00Z', next: undefined },
    // In winter Frankfurt (CET) is 08:00-16:00Z and Tokyo (JST) 00:00-08:00Z: they only touch at
    // 08:00Z. From 29 March 2027 (CEST) Frankfurt opens at 07:00Z, an hour before Tokyo closes.
    { name: 'Frankfurt + Tokyo touch at 08:00Z: no overlap within 30 days', windows: [frankfurt, tokyo], now: '2027-01-12T08:00:00Z', horizon: 30, next: undefined },
    { name: 'Frankfurt + Tokyo first overlap when Europe moves to summer time', windows: [frankfurt, tokyo], now: '2027-01-12T08:00:00Z', next: '2027-03-29T07:00:00.000Z' },
    // DST weeks of 2026: New York moves on 8 March, London on 29 March.
    { name: 'NY (EST) + London (GMT): 14:00Z', windows: [newYork, london], now: '2026-03-05T12:00:00Z', next: '2026-03-05T14:00:00.000Z' },
    { name: 'NY (EDT) + London (GMT): 13:00Z, the week between the changes', windows: [newYork, london], now: '2026-03-09T12:00:00Z', next: '2026-03-09T13:00:00.000Z' },
    { name: 'NY (EDT) + London (BST): London closed at 16:00Z -> next day 13:00Z', windows: [newYork, london], now: '2026-03-30T16:00:00Z', next: '2026-03-31T13:00:00.000Z' },
    { name: 'NY (EDT) + London (BST): 15:59Z is still open', windows: [newYork, london], now: '2026-03-30T15:59:00Z', next: '2026-03-30T15:59:00.000Z' },
    // Dublin (IST) 08:00-16:00Z, Frankfurt (CEST) 07:00-15:00Z; Frankfurt is blacked out Monday to Thursday.
    { name: 'a blackout in one region pushes the common opening to next Monday', windows: [dublin, office('Europe/Berlin', ['2026-06-01..2026-06-04'])], now: '2026-06-01T10:00:00Z', next: '2026-06-08T08:00:00.000Z' },
    { name: 'no window at all is open now', windows: [], now: '2026-06-06T03:00:00Z', next: '2026-06-06T03:00:00.000Z' },
  ])('$name', ({ windows, now, horizon, next }) => {
    expect(iso(nextCommonOpening(windows, new Date(now), horizon))).toBe(next);
  });

  test('one window gives the same answer as nextOpening, to the minute, over two weeks', () => {
    const window = resolveWindow(undefined, 'eu-west-1');
    for (let i = 0; i < 14 * 24 * 4; i++) {
      const now = new Date(Date.UTC(2026, 2, 23) + i * 15 * 60_000);
      expect(iso(nextCommonOpening([window], now))).toBe(iso(nextOpening(window, now)));
    }
    expect(nextCommonOpening([window], new Date('2026-01-01T00:00:00Z'), 0)).toBeUndefined();
  });

  test('returns the very same Date when every window is open', () => {
    const now = new Date('2026-11-10T18:00:00Z');
    expect(nextCommonOpening([losAngeles, toronto, saoPaulo], now)).toBe(now);
  });

  test('the answer is open in every window, and no earlier minute is', () => {
    const now = new Date('2026-11-10T12:00:00Z');
    const opening = nextCommonOpening([losAngeles, toronto, saoPaulo], now)!;
    expect([losAngeles, toronto, saoPaulo].every((w) => isOpen(w, opening))).toBe(true);
    for (let t = now.getTime(); t < opening.getTime(); t += 60_000) {
      expect([losAngeles, toronto, saoPaulo].every((w) => isOpen(w, new Date(t)))).toBe(false);
    }
  });

  test.each([
    {
      name: 'all open: every region says why',
      entries: [{ region: 'us-west-2', window: losAngeles }, { region: 'sa-east-1', window: saoPaulo }],
      now: '2026-11-10T18:00:00Z',
      expected: {
        open: true,
        reason: 'windows of all 2 regions open: us-west-2 inside hours 09:00-17:00 America/Los_Angeles on Tuesday; '
          + 'sa-east-1 inside hours 09:00-17:00 America/Sao_Paulo on Tuesday',
      },
    },
    {
      name: 'one region',
      entries: [{ region: 'us-west-2', window: losAngeles }],
      now: '2026-11-10T18:00:00Z',
      expected: { open: true, reason: 'window of us-west-2 open: inside hours 09:00-17:00 America/Los_Angeles on Tuesday' },
    },
    {
      name: 'no region has a window',
      entries: [],
      now: '2026-11-10T18:00:00Z',
      expected: { open: true, reason: 'no region has a deployment window' },
    },
    {
      name: 'the first closed region is named, with when all are open together',
      entries: [{ region: 'us-west-2', window: losAngeles }, { region: 'ca-central-1', window: toronto }, { region: 'sa-east-1', window: saoPaulo }],
      now: '2026-11-10T20:30:00Z',
      expected: {
        open: false,
        reason: 'window of sa-east-1 closed: outside hours 09:00-17:00 America/Sao_Paulo',
        opensAt: new Date('2026-11-11T17:00:00Z'),
      },
    },
    {
      name: 'windows that never share an instant',
      entries: [{ region: 'ap-southeast-2', window: sydney }, { region: 'sa-east-1', window: saoPaulo }],
      now: '2026-11-10T18:00:00Z',
      expected: {
        open: false,
        reason: 'window of ap-southeast-2 closed: outside hours 09:00-17:00 Australia/Sydney; the windows of ap-southeast-2 and sa-east-1 '
          + 'are never all open at the same instant within the next 400 days (they do not overlap), so the stage cannot start',
      },
    },
    {
      name: 'a window that never opens by itself is named',
      entries: [{ region: 'us-west-2', window: losAngeles }, { region: 'eu-west-1', window: resolveWindow({ weekdays: [], publicHolidays: false }, 'eu-west-1') }],
      now: '2026-11-10T18:00:00Z',
      expected: {
        open: false,
        reason: 'window of eu-west-1 closed: Tuesday is not an allowed weekday; the window of eu-west-1 does not open within the next 400 days',
      },
    },
  ])('commonWindowStatus: $name', ({ entries, now, expected }) => {
    expect(commonWindowStatus(entries, new Date(now))).toStrictEqual(expected);
  });

  test('describeCommonWindow', () => {
    expect(describeCommonWindow([])).toBe('none');
    expect(describeCommonWindow([{ region: 'eu-west-1', window: resolveWindow(undefined, 'eu-west-1') }]))
      .toBe('eu-west-1 Mon-Thu 09:00-17:00 Europe/Dublin, closed on IE public holidays');
    expect(describeCommonWindow([
      { region: 'us-west-2', window: resolveWindow(undefined, 'us-west-2') },
      { region: 'sa-east-1', window: resolveWindow(undefined, 'sa-east-1') },
    ])).toBe('opens when every region\'s window is open: us-west-2 Mon-Thu 09:00-17:00 America/Los_Angeles, closed on US-OR public holidays; '
      + 'sa-east-1 Mon-Thu 09:00-17:00 America/Sao_Paulo, closed on BR-SP public holidays');
  });
});
