/**
 * The release as a picture: one self-contained HTML file with an inline SVG Gantt chart. No
 * scripts, no fonts or styles from elsewhere, no external URLs, so it can be attached to a
 * change review or opened offline.
 *
 * One row per region of each stage; one bar per timeline entry (window wait, deploy, bake,
 * validate, rollback); the hours a row's deployment window is closed are shaded; dashed lines mark
 * where each stage starts; the time axis is UTC (a day row over a time-of-day row, see time-axis.ts),
 * hovering a bar or a shaded period shows its times in UTC and in the region's local time. Each stage
 * has one window gate (its regions pass it together), listed under the chart: it opens when no row of
 * the stage is shaded.
 */
import { AXIS_FONT_PX, labelWidth, timeAxis } from './time-axis';
import { bothText, durationText, regionTimeZone, utcText } from './time-text';
import { ReleaseCostEstimate } from '../model/cost';
import { ReleasePlan, ResolvedWindow } from '../model/plan';
import { Timeline, TimelineEntry } from '../model/simulate';
import { describeCommonWindow, describeWindow } from '../model/window/describe';
import { windowStatus } from '../model/window/evaluate';

/** The least width of the column of row labels; it grows to fit the longest label. */
const MIN_LABEL_WIDTH = 260;
const ROW_LABEL_FONT_PX = 12;
const CHART_WIDTH = 1000;
const RIGHT_MARGIN = 20;
const ROW_HEIGHT = 26;
const BAR_HEIGHT = 14;
/** Two rows of axis labels: days, then times of day. */
const AXIS_HEIGHT = 50;
/** Short bars (a 10-minute deployment in a week-long chart) stay visible. */
const MIN_BAR_WIDTH = 2;
const HOUR_MS = 3_600_000;

/** Colours of the phases, also shown in the legend. */
const PHASES: ReadonlyArray<[string, string, string]> = [
  ['WINDOW_WAIT', '#c9c9c9', 'window wait'],
  ['DEPLOY', '#3b7dd8', 'deploy'],
  ['BAKE', '#f0a830', 'bake'],
  ['VALIDATE', '#5aa469', 'validate'],
  ['ROLLBACK', '#c0392b', 'rollback'],
];

interface Row {
  readonly stageName: string;
  readonly region: string;
  readonly timeZone: string;
  readonly window?: ResolvedWindow;
  readonly entries: TimelineEntry[];
  readonly label: string;
}

/** The HTML document. */
export function renderGanttHtml(plan: ReleasePlan, timeline: Timeline, cost: ReleaseCostEstimate): string {
  const t0 = timeline.start.getTime();
  const t1 = Math.max(timeline.finish.getTime(), t0 + HOUR_MS);
  const rows: Row[] = plan.stages.flatMap((stage) => stage.regions.map((region) => {
    const entries = timeline.entries.filter((e) => e.stageName === stage.name && e.region === region.region);
    return {
      stageName: stage.name,
      region: region.region,
      timeZone: regionTimeZone(region),
      window: region.window,
      entries,
      label: `${stage.name} · ${region.region}${entries.length === 0 ? ' (never started)' : ''}`,
    };
  }));
  const labelColumn = Math.max(MIN_LABEL_WIDTH, Math.ceil(Math.max(...rows.map((r) => labelWidth(r.label, ROW_LABEL_FONT_PX)))) + 16);
  const x = (t: number) => labelColumn + ((t - t0) / (t1 - t0)) * CHART_WIDTH;
  const height = AXIS_HEIGHT + rows.length * ROW_HEIGHT + 10;
  // The picture widens to hold the last axis label (the day the release ends) rather than cut it.
  const axis = timeAxis({ t0, t1, x, minX: 0, maxX: Infinity });
  const width = Math.ceil(Math.max(labelColumn + CHART_WIDTH + RIGHT_MARGIN, ...axis.labels.map((l) => l.right + 4)));
  const svg: string[] = [];

  svg.push(`<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Release timeline">`);
  svg.push('<defs><pattern id="stopped" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
    + '<rect width="6" height="6" fill="#ffffff"/><rect width="3" height="6" fill="#999999"/></pattern></defs>');

  // Time axis (UTC): the time-of-day ticks, the midnights, then the labels of both rows.
  for (const tx of axis.timeLines) svg.push(`<line class="tick" x1="${tx.toFixed(1)}" y1="${AXIS_HEIGHT - 6}" x2="${tx.toFixed(1)}" y2="${height - 10}"/>`);
  for (const dx of axis.dayLines) svg.push(`<line class="midnight" x1="${dx.toFixed(1)}" y1="6" x2="${dx.toFixed(1)}" y2="${height - 10}"/>`);
  for (const label of axis.labels) {
    const y = label.row === 'day' ? 18 : AXIS_HEIGHT - 10;
    svg.push(`<text class="axis ${label.row}" x="${label.x.toFixed(1)}" y="${y}" text-anchor="${label.anchor}">${escape(label.text)}</text>`);
  }

  rows.forEach((row, i) => {
    const y = AXIS_HEIGHT + i * ROW_HEIGHT;
    svg.push(`<g class="row" data-stage="${escape(row.stageName)}" data-region="${escape(row.region)}">`);
    if (i % 2 === 0) svg.push(`<rect class="stripe" x="0" y="${y}" width="${width}" height="${ROW_HEIGHT}"/>`);
    svg.push(`<text class="label" x="8" y="${y + 17}">${escape(row.label)}</text>`);
    if (row.window) {
      for (const [from, to] of closedPeriods(row.window, t0, t1)) {
        svg.push(`<rect class="closed" x="${x(from).toFixed(1)}" y="${y + 2}" width="${(x(to) - x(from)).toFixed(1)}" height="${ROW_HEIGHT - 4}">`
          + `<title>window closed ${escape(bothText(new Date(from), row.timeZone))} to ${escape(bothText(new Date(to), row.timeZone))}: `
          + `${escape(describeWindow(row.window))}</title></rect>`);
      }
    }
    for (const entry of row.entries) {
      const bx = x(entry.start.getTime());
      const bw = Math.max(MIN_BAR_WIDTH, x(entry.end.getTime()) - bx);
      const minutes = Math.round((entry.end.getTime() - entry.start.getTime()) / 60_000);
      svg.push(`<rect class="bar ${entry.phase.toLowerCase()} ${entry.status.toLowerCase()}" x="${bx.toFixed(1)}" `
        + `y="${y + (ROW_HEIGHT - BAR_HEIGHT) / 2}" width="${bw.toFixed(1)}" height="${BAR_HEIGHT}">`
        + `<title>${escape(`${entry.targetId ?? row.region}: ${entry.detail} (${entry.status}), `
        + `${bothText(entry.start, row.timeZone)} to ${bothText(entry.end, row.timeZone)}, ${durationText(minutes)}`)}</title></rect>`);
    }
    svg.push('</g>');
  });

  // Stage boundaries, drawn last so they stay visible over the bars.
  for (const stage of timeline.stages) {
    if (!stage.start) continue;
    const sx = x(stage.start.getTime()).toFixed(1);
    svg.push(`<line class="stage" x1="${sx}" y1="${AXIS_HEIGHT - 4}" x2="${sx}" y2="${height - 10}"><title>${escape(stage.name)} starts ${escape(utcText(stage.start))}</title></line>`);
  }
  svg.push('</svg>');

  const legend = PHASES.map(([phase, , label]) =>
    `<span><svg width="14" height="14"><rect class="swatch ${phase.toLowerCase()}" width="14" height="14"/></svg> ${label}</span>`);
  legend.push('<span><svg width="14" height="14"><rect class="closed" width="14" height="14"/></svg> window closed</span>');
  legend.push('<span><svg width="14" height="14"><rect class="swatch failed" width="14" height="14"/></svg> failed</span>');
  legend.push('<span><svg width="14" height="14"><rect class="swatch rolled_back" width="14" height="14"/></svg> stopped by the stage rollback</span>');
  legend.push('<span><svg width="14" height="4"><line class="stage" x1="0" y1="2" x2="14" y2="2"/></svg> stage starts</span>');

  const summary = [
    `Outcome ${timeline.outcome}`,
    `from ${utcText(timeline.start)} to ${utcText(timeline.finish)}`,
    `lead time ${durationText(timeline.leadTimeMinutes)}`,
    `estimated pipeline cost $${cost.totalUsd.toFixed(2)}`,
  ];
  const notes: string[] = [];
  const gates = plan.stages.flatMap((stage) => {
    const windows = stage.regions.flatMap((r) => (r.window ? [{ region: r.region, window: r.window }] : []));
    if (windows.length === 0) return [];
    const wait = timeline.entries.find((e) => e.stageName === stage.name && e.phase === 'WINDOW_WAIT');
    const waited = wait
      ? `; waits ${durationText(Math.round((wait.end.getTime() - wait.start.getTime()) / 60_000))}, until ${utcText(wait.end)}`
        + `${wait.status === 'FAILED' ? ', then gives up' : ''}`
      : '';
    return [`${stage.name} window gate: ${describeCommonWindow(windows)}${waited}`];
  });
  if (timeline.stuck) notes.push(`Stuck: ${timeline.stuck}`);
  if (timeline.rolledBack.length > 0) notes.push(`Rolled back: ${timeline.rolledBack.join(', ')}`);
  if (timeline.neverStarted.length > 0) notes.push(`Never started: ${timeline.neverStarted.join(', ')}`);

  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${escape(`Release timeline: ${plan.pipelineName}`)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escape(plan.pipelineName)}: one simulated release</h1>`,
    `<p class="summary">${summary.map(escape).join(' · ')}</p>`,
    ...notes.map((n) => `<p class="note">${escape(n)}</p>`),
    `<p class="legend">${legend.join('\n')}</p>`,
    svg.join('\n'),
    ...gates.map((g) => `<p class="gate">${escape(g)}</p>`),
    '<p class="foot">Times on the axis are UTC. Shaded: the row\'s deployment window is closed. A stage has one window gate, '
      + 'which opens only when none of its rows is shaded; it holds the stage before anything deploys. Hover a bar or a shaded period for its times in UTC and in the region\'s local time.</p>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** The periods in [t0, t1) during which a window is closed, from `windowStatus`. */
function closedPeriods(window: ResolvedWindow, t0: number, t1: number): Array<[number, number]> {
  const periods: Array<[number, number]> = [];
  let t = t0;
  // Each step jumps to the next opening or closing, so this loops about twice a day of chart.
  for (let guard = 0; t < t1 && guard < 10_000; guard++) {
    const status = windowStatus(window, new Date(t));
    if (status.open) {
      if (!status.closesAt) break;
      t = status.closesAt.getTime();
    } else {
      const opens = status.opensAt ? Math.min(status.opensAt.getTime(), t1) : t1;
      periods.push([t, opens]);
      t = opens;
    }
  }
  return periods;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const STYLE = [
  'body{font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:24px;color:#222}',
  'h1{font-size:20px;margin:0 0 8px}',
  '.summary,.note,.legend,.gate,.foot{font-size:13px;margin:4px 0}',
  '.note{color:#a02c1c}',
  '.legend span{margin-right:16px;white-space:nowrap}',
  '.legend svg{vertical-align:middle}',
  '.stripe{fill:#f6f7f9}',
  `.label{font-size:${ROW_LABEL_FONT_PX}px;fill:#222}`,
  `.axis{font-size:${AXIS_FONT_PX}px;fill:#555}`,
  '.axis.day{fill:#222}',
  '.tick{stroke:#e1e3e6;stroke-width:1}',
  '.midnight{stroke:#9aa0a8;stroke-width:1}',
  '.stage{stroke:#444;stroke-width:1.5;stroke-dasharray:4 3}',
  '.closed{fill:#d9d9e8;fill-opacity:0.6}',
  ...PHASES.map(([phase, colour]) => `.bar.${phase.toLowerCase()},.swatch.${phase.toLowerCase()}{fill:${colour}}`),
  '.bar.failed,.swatch.failed{stroke:#8b0000;stroke-width:2}',
  '.swatch.failed{fill:#ffffff}',
  '.bar.rolled_back:not(.rollback),.swatch.rolled_back{fill:url(#stopped)}',
].join('\n');
