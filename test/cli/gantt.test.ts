import { renderGanttHtml } from '../../lib/cli/gantt';
import { estimateReleaseCost } from '../../lib/model/cost';
import { simulateRelease } from '../../lib/model/simulate';
import { THREE_WAVES, planOf } from '../fixtures/plans/declarations';

const plan = planOf(THREE_WAVES);

function render(failure?: { targetId: string; afterBakeMinutes: number }) {
  const timeline = simulateRelease(plan, new Date('2025-03-04T08:00:00Z'), { failure });
  return { timeline, html: renderGanttHtml(plan, timeline, estimateReleaseCost(plan, timeline)) };
}

/** Open and close tags balance (HTML void elements and self-closing SVG tags aside). */
function unbalancedTags(html: string): string[] {
  const stack: string[] = [];
  const problems: string[] = [];
  const voids = new Set(['meta', '!doctype']);
  for (const match of html.matchAll(/<(\/?)([!a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(\/?)>/g)) {
    const [, closing, rawName, selfClosing] = match;
    const name = rawName.toLowerCase();
    if (voids.has(name) || selfClosing) continue;
    if (!closing) {
      stack.push(name);
    } else if (stack.pop() !== name) {
      problems.push(`unexpected </${name}>`);
    }
  }
  return [...problems, ...stack.map((n) => `unclosed <${n}>`)];
}

describe('renderGanttHtml', () => {
  const { timeline, html } = render();

  test('is one well-formed, self-contained HTML document', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n')).toBe(true);
    expect(html.endsWith('</html>\n')).toBe(true);
    expect(unbalancedTags(html)).toEqual([]);
    expect(html).not.toMatch(/https?:/);
    expect(html).not.toMatch(/<script|<link|<img|@import|src=/);
    expect(html.match(/<svg width="1280" height="190" viewBox="0 0 1280 190"/g)).toHaveLength(1);
  });

  test('one bar per timeline entry, one row per region of each stage', () => {
    expect(html.match(/<rect class="bar /g)).toHaveLength(timeline.entries.length);
    expect(timeline.entries).toHaveLength(22);
    expect(html.match(/<g class="row"/g)).toHaveLength(5);
    expect(html).toContain('<g class="row" data-stage="Prod-Wave-3" data-region="ap-southeast-2">');
    expect(html.match(/<rect class="bar bake done"/g)).toHaveLength(8);
    expect(html.match(/<rect class="bar window_wait done"/g)).toHaveLength(4);
    expect(html.match(/<rect class="bar validate done"/g)).toHaveLength(1);
  });

  test('bars are placed on the time axis: 08:00 at x=260, the 23:05 finish at x=1260', () => {
    // 905 minutes over 1000 px: the Dublin one-box deployment starts at 09:00, 60 min in.
    // Hovering shows UTC and the region's local time (Dublin is on UTC in March).
    expect(html).toContain('<rect class="bar deploy done" x="326.3" y="82" width="11.0" height="14">'
      + '<title>prod-wave-1-eu-west-1-onebox: one-box deployment (DONE), Tue 2025-03-04 09:00 UTC (Tue 2025-03-04 09:00 Europe/Dublin) '
      + 'to Tue 2025-03-04 09:10 UTC (Tue 2025-03-04 09:10 Europe/Dublin), 10 min</title></rect>');
    // Sydney's fleet bake, 22:35-23:05, is the last bar and ends at the right edge; Sydney is 11 hours ahead.
    expect(html).toContain('<rect class="bar bake done" x="1226.9" y="160" width="33.1" height="14"><title>prod-wave-3-ap-southeast-2-fleet: '
      + 'fleet bake, 30 min (DONE), Tue 2025-03-04 22:35 UTC (Wed 2025-03-05 09:35 Australia/Sydney) to Tue 2025-03-04 23:05 UTC (Wed 2025-03-05 10:05 Australia/Sydney), 30 min</title></rect>');
  });

  test('a legend names every phase, the closed window shading and the stage lines', () => {
    for (const label of ['window wait', 'deploy', 'bake', 'validate', 'rollback', 'window closed', 'failed', 'stopped by the stage rollback', 'stage starts']) {
      expect(html).toContain(`</svg> ${label}</span>`);
    }
  });

  test('closed window periods are shaded per row', () => {
    // Dublin is closed from the start of the chart until 09:00 and again from 17:00.
    expect(html).toContain('<title>window closed Tue 2025-03-04 08:00 UTC (Tue 2025-03-04 08:00 Europe/Dublin) to Tue 2025-03-04 09:00 UTC (Tue 2025-03-04 09:00 Europe/Dublin): '
      + 'Mon-Thu 09:00-17:00 Europe/Dublin, closed on IE public holidays</title>');
    expect(html).toContain('<title>window closed Tue 2025-03-04 17:00 UTC (Tue 2025-03-04 17:00 Europe/Dublin) to Tue 2025-03-04 23:05 UTC (Tue 2025-03-04 23:05 Europe/Dublin): '
      + 'Mon-Thu 09:00-17:00 Europe/Dublin, closed on IE public holidays</title>');
    // Sydney opens at 22:00 UTC (09:00 local, the next day) and stays open to the end of the chart.
    expect(html).toContain('<title>window closed Tue 2025-03-04 08:00 UTC (Tue 2025-03-04 19:00 Australia/Sydney) to Tue 2025-03-04 22:00 UTC (Wed 2025-03-05 09:00 Australia/Sydney): '
      + 'Mon-Thu 09:00-17:00 Australia/Sydney, closed on AU-NSW public holidays</title>');
    // Los Angeles closes again at 01:00 UTC, after the chart ends; beta has no window.
    expect(html.match(/<rect class="closed" x=/g)).toHaveLength(6);
  });

  test('each stage\'s one window gate is listed once, with its wait', () => {
    expect([...html.matchAll(/<p class="gate">([^<]*)<\/p>/g)].map((m) => m[1])).toEqual([
      'Prod-Wave-1 window gate: eu-west-1 Mon-Thu 09:00-17:00 Europe/Dublin, closed on IE public holidays; waits 35 min, until Tue 2025-03-04 09:00 UTC',
      'Prod-Wave-2 window gate: us-east-1 Mon-Thu 09:00-17:00 America/New_York, closed on US-VA public holidays; waits 3 h 10 min, until Tue 2025-03-04 14:00 UTC',
      // Los Angeles opened at 17:00 UTC, but the wave waits for Sydney (22:00 UTC).
      'Prod-Wave-3 window gate: opens when every region\'s window is open: us-west-2 Mon-Thu 09:00-17:00 America/Los_Angeles, closed on US-OR public holidays; '
        + 'ap-southeast-2 Mon-Thu 09:00-17:00 Australia/Sydney, closed on AU-NSW public holidays; waits 6 h 10 min, until Tue 2025-03-04 22:00 UTC',
    ]);
    // Both rows of the wave show the same wait.
    expect(timeline.entries.filter((e) => e.stageName === 'Prod-Wave-3' && e.phase === 'WINDOW_WAIT').map((e) => `${e.region} ${e.end.toISOString()}`))
      .toEqual(['us-west-2 2025-03-04T22:00:00.000Z', 'ap-southeast-2 2025-03-04T22:00:00.000Z']);
  });

  test('stage boundaries and a UTC time axis', () => {
    expect([...html.matchAll(/<line class="stage" x1="([0-9.]+)"[^>]*><title>([^<]*)</g)].map((m) => `${m[1]} ${m[2]}`)).toEqual([
      '260.0 beta starts Tue 2025-03-04 08:00 UTC',
      '287.6 Prod-Wave-1 starts Tue 2025-03-04 08:25 UTC',
      '447.8 Prod-Wave-2 starts Tue 2025-03-04 10:50 UTC',
      '779.3 Prod-Wave-3 starts Tue 2025-03-04 15:50 UTC',
    ]);
    // 15 hours over 1000 px: a time label every hour from 08:00, under one day label at the chart's left edge.
    expect([...html.matchAll(/<text class="axis time" [^>]*>([^<]*)</g)].map((m) => m[1])).toEqual(
      [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23].map((h) => `${String(h).padStart(2, '0')}:00`));
    expect([...html.matchAll(/<text class="axis day" x="([0-9.]+)"[^>]*>([^<]*)</g)].map((m) => `${m[1]} ${m[2]}`)).toEqual(['263.0 Tue 03-04']);
  });

  test('a failure shows the failed bake, the rollback bars and the stages that never started', () => {
    const failed = render({ targetId: 'prod-wave-2-us-east-1-fleet', afterBakeMinutes: 20 });
    expect(failed.html.match(/<rect class="bar /g)).toHaveLength(failed.timeline.entries.length);
    expect(failed.html.match(/<rect class="bar bake failed"/g)).toHaveLength(1);
    expect(failed.html.match(/<rect class="bar rollback rolled_back"/g)).toHaveLength(2);
    expect(failed.html).toContain('Prod-Wave-3 · us-west-2 (never started)</text>');
    expect(failed.html).toContain('<p class="note">Never started: Prod-Wave-3</p>');
    expect(failed.html).toContain('<p class="note">Rolled back: prod-wave-2-us-east-1-onebox, prod-wave-2-us-east-1-fleet</p>');
    expect(unbalancedTags(failed.html)).toEqual([]);
  });

  test('text from the plan is escaped', () => {
    const odd = { ...plan, pipelineName: 'A<B>&"C"' };
    const oddTimeline = simulateRelease(odd, new Date('2025-03-04T08:00:00Z'));
    const out = renderGanttHtml(odd, oddTimeline, estimateReleaseCost(odd, oddTimeline));
    expect(out).toContain('<h1>A&lt;B&gt;&amp;&quot;C&quot;: one simulated release</h1>');
    expect(unbalancedTags(out)).toEqual([]);
  });
});
