import { AxisLabel, labelWidth, LABEL_GAP_PX, timeAxis } from '../../lib/cli/time-axis';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The axis of a 1000 px chart starting at x=260 in a 1280 px picture, as the timeline draws it. */
function axisOf(start: string, spanMs: number, maxX = 1280) {
  const t0 = new Date(start).getTime();
  const t1 = t0 + spanMs;
  return timeAxis({ t0, t1, x: (t) => 260 + ((t - t0) / (t1 - t0)) * 1000, minX: 0, maxX });
}

function clashes(labels: AxisLabel[]): string[] {
  const problems: string[] = [];
  for (const row of ['day', 'time'] as const) {
    const inRow = labels.filter((l) => l.row === row).sort((a, b) => a.left - b.left);
    inRow.slice(1).forEach((l, i) => {
      if (l.left < inRow[i].right + LABEL_GAP_PX) problems.push(`${row}: "${inRow[i].text}" and "${l.text}"`);
    });
  }
  return problems;
}

describe('timeAxis', () => {
  const spans = [10 * MINUTE, 45 * MINUTE, 3 * HOUR, 9 * HOUR, 15 * HOUR, DAY, 30 * HOUR, 2 * DAY, 5 * DAY, 7 * DAY, 12 * DAY, 30 * DAY, 90 * DAY];
  const starts = ['2026-11-30T07:00:00Z', '2026-11-26T23:50:00Z', '2026-03-29T00:00:00Z'];

  test.each(spans.flatMap((span) => starts.map((start) => [span / HOUR, start] as const)))(
    '%p hours from %s: labels of a row keep their gap and stay inside the picture', (hours, start) => {
      const axis = axisOf(start, hours * HOUR);
      expect(clashes(axis.labels)).toEqual([]);
      expect(axis.labels.filter((l) => l.left < 0 || l.right > 1280).map((l) => l.text)).toEqual([]);
      expect(axis.labels.filter((l) => l.row === 'day').length).toBeGreaterThanOrEqual(1);
    });

  test('ticks adapt to the span: quarter hours, hours, 6 hours, then day labels only', () => {
    expect(axisOf('2026-11-30T07:00:00Z', 3 * HOUR).timeStepHours).toBe(0.25);
    expect(axisOf('2026-11-30T07:00:00Z', 20 * HOUR).timeStepHours).toBe(1);
    expect(axisOf('2026-11-30T07:00:00Z', 5 * DAY).timeStepHours).toBe(6);
    const month = axisOf('2026-11-30T07:00:00Z', 30 * DAY);
    expect(month.timeStepHours).toBeUndefined();
    expect(month.labels.filter((l) => l.row === 'time')).toEqual([]);
    expect(month.dayStep).toBe(2);
  });

  test('a week shows every day by name, each label right of its midnight', () => {
    const week = axisOf('2026-11-26T07:00:00Z', 7 * DAY);
    expect(week.labels.filter((l) => l.row === 'day').map((l) => l.text))
      .toEqual(['Thu 11-26', 'Fri 11-27', 'Sat 11-28', 'Sun 11-29', 'Mon 11-30', 'Tue 12-01', 'Wed 12-02', 'Thu 12-03']);
    expect(week.dayLines).toHaveLength(7);
  });

  test('the first day\'s label is left out when its part of the chart is too short for it', () => {
    // 23:50: ten minutes of Thursday, then Friday.
    const days = axisOf('2026-11-26T23:50:00Z', 2 * DAY).labels.filter((l) => l.row === 'day').map((l) => l.text);
    expect(days).toEqual(['Fri 11-27', 'Sat 11-28']);
  });

  test('a label that would cross the right edge is left out, never cut', () => {
    // The last midnight is 10 minutes before the end of a 2-day chart: its label has no room in 1280 px.
    const axis = axisOf('2026-11-30T00:10:00Z', 2 * DAY);
    expect(axis.labels.filter((l) => l.row === 'day').map((l) => l.text)).toEqual(['Mon 11-30', 'Tue 12-01']);
    expect(axisOf('2026-11-30T00:10:00Z', 2 * DAY, Infinity).labels.filter((l) => l.row === 'day').map((l) => l.text))
      .toEqual(['Mon 11-30', 'Tue 12-01', 'Wed 12-02']);
  });

  test('label widths are upper bounds that grow with the text', () => {
    expect(labelWidth('00:00')).toBeGreaterThan(28);
    expect(labelWidth('Wed 12-31')).toBeGreaterThan(labelWidth('00:00'));
  });
});
