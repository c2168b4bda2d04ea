// The timeline picture as a browser draws it, at three spans of the example's release: a few hours
// (a failed bake in wave 1), a day, and almost a week (Thanksgiving holds wave 2 until Monday).
// Headless Chromium lays out the HTML; the test reads the boxes of the drawn labels and the
// screenshot's pixels. Set TIMELINE_SCREENSHOTS_DIR to keep the PNGs (`npx projen timeline:screenshots`).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PNG } from 'pngjs';
import { ORDERS_RELEASE } from '../../examples/app';
import { renderGanttHtml } from '../../lib/cli/gantt';
import { estimateReleaseCost } from '../../lib/model/cost';
import { SimulatedFailure, simulateRelease } from '../../lib/model/simulate';
import { dumpDom, findChromium, screenshot } from '../../scripts/chromium';
import { planOf } from '../fixtures/plans/declarations';

interface Span {
  readonly name: string;
  readonly start: string;
  readonly failure?: SimulatedFailure;
  /** What the axis should show: minutes between time labels, and how many day labels. */
  readonly timeStepMinutes: number;
  readonly dayLabels: number;
}

const SPANS: Span[] = [
  { name: 'hours', start: '2026-11-30T07:00:00Z', failure: { targetId: 'prod-wave-1-eu-west-1-fleet', afterBakeMinutes: 20 }, timeStepMinutes: 15, dayLabels: 1 },
  { name: 'day', start: '2026-11-30T07:00:00Z', timeStepMinutes: 60, dayLabels: 2 },
  { name: 'week', start: '2026-11-26T07:00:00Z', timeStepMinutes: 360, dayLabels: 6 },
];

const WINDOW = { width: 1400, height: 800 };
const plan = planOf(ORDERS_RELEASE, 'orders-api');

interface Box { cls: string; text: string; x: number; y: number; w: number; h: number }
interface Layout { width: number; height: number; texts: Box[]; bars: Box[] }

/** Appended to a copy of the page: writes the rendered boxes of the chart's texts and bars into the DOM. */
const MEASURE = `<script>
const svg = document.querySelector('svg[aria-label="Release timeline"]');
const box = (e) => { const b = e.getBBox(); return { cls: e.getAttribute('class'), text: e.textContent, x: b.x, y: b.y, w: b.width, h: b.height }; };
const layout = { width: svg.viewBox.baseVal.width, height: svg.viewBox.baseVal.height,
  texts: [...svg.querySelectorAll('text')].map(box), bars: [...svg.querySelectorAll('rect.bar')].map(box) };
const pre = document.createElement('pre'); pre.id = 'layout'; pre.textContent = JSON.stringify(layout); document.body.appendChild(pre);
</script>`;

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

const chromium = findChromium();
const required = process.env.REQUIRE_CHROMIUM === '1';
if (!chromium && !required) process.stdout.write('timeline screenshots: skipped, no chromium on PATH (apt-get install -y chromium)\n');
const describeIfBrowser = chromium || required ? describe : describe.skip;

describeIfBrowser('the timeline picture in headless Chromium', () => {
  const outDir = process.env.TIMELINE_SCREENSHOTS_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'timeline-screenshots-'));
  fs.mkdirSync(outDir, { recursive: true });

  test('chromium is installed (REQUIRE_CHROMIUM=1 in CI)', () => {
    expect(chromium).toBeDefined();
  });

  describe.each(SPANS)('$name', (span) => {
    const timeline = simulateRelease(plan, new Date(span.start), { deployMinutes: 10, validationMinutes: 15, failure: span.failure });
    const html = renderGanttHtml(plan, timeline, estimateReleaseCost(plan, timeline));
    const page = path.join(outDir, `timeline-${span.name}.html`);
    const png = path.join(outDir, `timeline-${span.name}.png`);
    let layout: Layout;

    beforeAll(() => {
      fs.writeFileSync(page, html);
      screenshot(chromium!, page, png, WINDOW.width, WINDOW.height);
      const measured = path.join(outDir, `timeline-${span.name}.measure.html`);
      fs.writeFileSync(measured, html.replace('</body>', `${MEASURE}\n</body>`));
      const dom = dumpDom(chromium!, measured, WINDOW.width, WINDOW.height);
      const json = /<pre id="layout">([^<]*)<\/pre>/.exec(dom)?.[1];
      if (!json) throw new Error(`no layout in the DOM Chromium returned for ${measured}`);
      layout = JSON.parse(json.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
    });

    test('the span is the one intended', () => {
      const hours = timeline.leadTimeMinutes / 60;
      const [min, max] = { hours: [2, 6], day: [12, 30], week: [96, 168] }[span.name]!;
      expect(hours).toBeGreaterThanOrEqual(min);
      expect(hours).toBeLessThanOrEqual(max);
    });

    test('no two axis labels overlap, and none is clipped at an edge of the picture', () => {
      const axis = layout.texts.filter((t) => t.cls.startsWith('axis'));
      expect(axis.length).toBeGreaterThan(3);
      const clashes = axis.flatMap((a, i) => axis.slice(i + 1).filter((b) => overlaps(a, b)).map((b) => `"${a.text}" and "${b.text}"`));
      expect(clashes).toEqual([]);
      const clipped = axis.filter((a) => a.x < 0 || a.y < 0 || a.x + a.w > layout.width || a.y + a.h > layout.height).map((a) => a.text);
      expect(clipped).toEqual([]);
    });

    test('the ticks fit the span: a day row and a time-of-day row at the expected step', () => {
      const days = layout.texts.filter((t) => t.cls === 'axis day').map((t) => t.text);
      const times = layout.texts.filter((t) => t.cls === 'axis time').map((t) => t.text);
      expect(days).toHaveLength(span.dayLabels);
      const minutes = times.map((t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5)));
      const steps = new Set(minutes.slice(1).map((m, i) => (m - minutes[i] + 1440) % 1440));
      expect([...steps]).toEqual([span.timeStepMinutes]);
    });

    test('row labels end before the chart starts', () => {
      const chartLeft = Math.min(...layout.bars.map((b) => b.x));
      const tooLong = layout.texts.filter((t) => t.cls === 'label' && t.x + t.w > chartLeft - 4).map((t) => t.text);
      expect(tooLong).toEqual([]);
    });

    test('every bar is at least 2 px wide', () => {
      expect(layout.bars.length).toBe(timeline.entries.length);
      expect(layout.bars.filter((b) => b.w < 2)).toEqual([]);
    });

    test('the screenshot shows the chart: not blank, with deploy and bake colours', () => {
      const image = PNG.sync.read(fs.readFileSync(png));
      expect([image.width, image.height]).toEqual([WINDOW.width, WINDOW.height]);
      let nonWhite = 0;
      const colours = new Map<string, number>();
      for (let i = 0; i < image.data.length; i += 4) {
        const [r, g, b] = [image.data[i], image.data[i + 1], image.data[i + 2]];
        if (r < 245 || g < 245 || b < 245) nonWhite++;
        const key = `${r},${g},${b}`;
        colours.set(key, (colours.get(key) ?? 0) + 1);
      }
      expect(nonWhite / (image.width * image.height)).toBeGreaterThan(0.05);
      expect(colours.size).toBeGreaterThan(20);
      expect(colours.get('59,125,216') ?? 0).toBeGreaterThan(100); // deploy #3b7dd8
      expect(colours.get('240,168,48') ?? 0).toBeGreaterThan(100); // bake #f0a830
    });
  });
});
