/**
 * The time axis of the timeline picture, for any span from minutes to weeks: a day row (`Mon 11-30`)
 * over a time-of-day row (`08:00`), each with the smallest step whose labels keep a gap between
 * them (15 minutes to 12 hours; 1 to 28 days), and no label past the edges given. Times are UTC, like the rest of the axis.
 *
 * Label widths are estimated from the characters (an upper bound for DejaVu Sans, Helvetica and
 * Arial at the axis font size), so the layout is decided here, without a browser; the Chromium test
 * in test/cli measures the rendered boxes.
 */
import { DateTime } from 'luxon';

/** Font size of the axis labels, in px. */
export const AXIS_FONT_PX = 10;
/** Horizontal space kept free between two labels of a row, in px. */
export const LABEL_GAP_PX = 10;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const TIME_STEPS_HOURS = [0.25, 0.5, 1, 2, 3, 6, 12];
const DAY_STEPS = [1, 2, 7, 14, 28];

/** One label of the axis. `x` is where it is anchored; `left`/`right` bound the text. */
export interface AxisLabel {
  readonly row: 'day' | 'time';
  readonly at: Date;
  readonly text: string;
  readonly x: number;
  readonly anchor: 'start' | 'middle';
  readonly left: number;
  readonly right: number;
}

/** What the axis draws. */
export interface TimeAxis {
  readonly labels: AxisLabel[];
  /** x of each UTC midnight inside the chart. */
  readonly dayLines: number[];
  /** x of each time-of-day tick (midnights excluded). */
  readonly timeLines: number[];
  /** Hours between time-of-day ticks; `undefined` when the span is too long for them. */
  readonly timeStepHours?: number;
  /** Days between day labels. */
  readonly dayStep: number;
}

/** Where the chart is on the picture: `x(t)` maps an instant to px. */
export interface AxisFrame {
  readonly t0: number;
  readonly t1: number;
  readonly x: (t: number) => number;
  /** Labels must stay within [minX, maxX] (the picture's edges). */
  readonly minX: number;
  readonly maxX: number;
}

/** An upper bound of the rendered width of `text` at `fontPx`, in px. */
export function labelWidth(text: string, fontPx = AXIS_FONT_PX): number {
  let em = 0;
  for (const c of text) {
    if (/[0-9]/.test(c)) em += 0.64;
    else if (/[A-Z]/.test(c)) em += 0.9;
    else if (/[a-z]/.test(c)) em += 0.66;
    else em += 0.42;
  }
  return em * fontPx;
}

/** The axis of the span [t0, t1]. */
export function timeAxis(frame: AxisFrame): TimeAxis {
  const { t0, t1, x } = frame;
  const pxPerHour = x(t0 + HOUR_MS) - x(t0);
  const dayLines: number[] = [];
  for (let t = Math.ceil(t0 / DAY_MS) * DAY_MS; t <= t1; t += DAY_MS) dayLines.push(x(t));

  const timeWidth = labelWidth('00:00');
  const timeStepHours = TIME_STEPS_HOURS.find((h) => h * pxPerHour >= timeWidth + LABEL_GAP_PX);
  const labels: AxisLabel[] = [];
  const timeLines: number[] = [];
  if (timeStepHours !== undefined) {
    const step = timeStepHours * HOUR_MS;
    for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) {
      if (t % DAY_MS !== 0) timeLines.push(x(t));
      const text = utc(t).toFormat('HH:mm');
      const w = labelWidth(text);
      const label: AxisLabel = { row: 'time', at: new Date(t), text, x: x(t), anchor: 'middle', left: x(t) - w / 2, right: x(t) + w / 2 };
      if (label.left >= frame.minX && label.right <= frame.maxX) labels.push(label);
    }
  }

  const dayWidth = labelWidth('Wed 12-31');
  const dayStep = DAY_STEPS.find((d) => d * 24 * pxPerHour >= dayWidth + LABEL_GAP_PX) ?? DAY_STEPS[DAY_STEPS.length - 1];
  // The day of the chart's first instant is labelled at the chart's left edge when there is room
  // before the next labelled midnight; every labelled midnight gets its label just right of its line.
  const starts = [t0];
  const firstMidnight = Math.ceil(t0 / DAY_MS) * DAY_MS;
  for (let t = firstMidnight; t <= t1; t += dayStep * DAY_MS) if (t > t0) starts.push(t);
  let previousRight = -Infinity;
  starts.forEach((t, i) => {
    const text = utc(t).toFormat('ccc MM-dd', { locale: 'en-US' });
    const left = x(t) + 3;
    const right = left + labelWidth(text);
    const nextLeft = i + 1 < starts.length ? x(starts[i + 1]) + 3 : Infinity;
    if (left < previousRight + LABEL_GAP_PX || right > frame.maxX || right + LABEL_GAP_PX > nextLeft) return;
    labels.push({ row: 'day', at: new Date(t), text, x: left, anchor: 'start', left, right });
    previousRight = right;
  });
  return { labels, dayLines, timeLines, timeStepHours, dayStep };
}

function utc(t: number): DateTime {
  return DateTime.fromMillis(t, { zone: 'UTC' });
}
