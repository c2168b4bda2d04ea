/**
 * The text `wave-pipelines plan` prints: the stages in order, each region's settings and simulated
 * times, the outcome, the rollback replay and the cost of one release. Deterministic for a given
 * plan, start and options: no clock, no locale.
 */
import { bothText, durationText, regionTimeZone, utcText } from './time-text';
import { ReleaseCostEstimate } from '../model/cost';
import { PlannedRegion, PlannedStage, ReleasePlan, ResolvedWindow } from '../model/plan';
import { SimulatedFailure, Timeline, TimelineEntry } from '../model/simulate';
import { describeCommonWindow, describeWindow } from '../model/window/describe';

/** What the report is about besides the plan itself. */
export interface PlanReportInput {
  readonly plan: ReleasePlan;
  readonly planFile: string;
  readonly timeline: Timeline;
  readonly cost: ReleaseCostEstimate;
  readonly deployMinutes: number;
  readonly validationMinutes: number;
  readonly failure?: SimulatedFailure;
  /** Lead time of the same release if every production bake followed each bake preset. @default - not shown */
  readonly presetLeadTimes?: ReadonlyArray<{ readonly preset: string; readonly leadTimeMinutes: number }>;
}

export function renderPlanReport(input: PlanReportInput): string {
  const { plan, timeline } = input;
  const out: string[] = [];
  out.push(`Pipeline ${plan.pipelineName} (account ${plan.pipelineAccount}, region ${plan.pipelineRegion})`);
  out.push(`  plan file    ${input.planFile}`);
  out.push(`  stop switch  ${plan.stopSwitchParameterName}`);
  out.push(`  window hold  a window gate fails after holding ${durationText(plan.maxWindowHoldMinutes)}`);
  out.push(`  simulation   release starts ${utcText(timeline.start)}; each deployment ${input.deployMinutes} min, `
    + `each validation ${input.validationMinutes} min`);
  out.push('');

  plan.stages.forEach((stage, i) => {
    out.push(...stageLines(stage, i, plan.stages.length, timeline));
    out.push('');
  });

  out.push(`Release ${timeline.outcome}`);
  out.push(`  from ${utcText(timeline.start)} to ${utcText(timeline.finish)}`);
  out.push(`  lead time ${durationText(timeline.leadTimeMinutes)} (${timeline.leadTimeMinutes} min)`);
  if (timeline.stuck) out.push(`  stuck: ${timeline.stuck}`);
  if (timeline.neverStarted.length > 0) out.push(`  never started: ${timeline.neverStarted.join(', ')}`);
  out.push('');
  if (input.presetLeadTimes) {
    out.push(...presetLines(plan, input.presetLeadTimes));
    out.push('');
  }

  if (input.failure) {
    out.push(...rollbackLines(input.failure, plan, timeline));
    out.push('');
  }
  out.push(...costLines(input.cost));
  return `${out.join('\n')}\n`;
}

function stageLines(stage: PlannedStage, index: number, count: number, timeline: Timeline): string[] {
  const kind = stage.kind === 'PRODUCTION' ? `production wave ${stage.wave}` : 'pre-production';
  const ran = timeline.stages.find((s) => s.name === stage.name);
  const lines = [`Stage ${index + 1}/${count}  ${stage.name}  (${kind}, ${stage.regions.length} region${stage.regions.length === 1 ? '' : 's'} in parallel)`];
  if (ran?.start && ran.end) {
    const minutes = Math.round((ran.end.getTime() - ran.start.getTime()) / 60_000);
    lines.push(`  starts ${utcText(ran.start)}, ends ${utcText(ran.end)} (${durationText(minutes)})${ran.status === 'DONE' ? '' : `, ${ran.status}`}`);
  } else {
    lines.push('  never starts');
  }
  lines.push(...windowLines(stage, timeline));
  for (const region of stage.regions) lines.push(...regionLines(stage, region, timeline));
  return lines;
}

/**
 * The stage's one window gate: CodePipeline moves the regions of a stage through their actions
 * together, so the stage waits until every region's window is open at the same instant.
 */
function windowLines(stage: PlannedStage, timeline: Timeline): string[] {
  const windows = stage.regions.flatMap((r) => (r.window ? [{ region: r.region, window: r.window }] : []));
  const lines: string[] = [];
  if (windows.length === 0) {
    lines.push('  window       none (deploys as soon as the stage starts)');
  } else if (windows.length === 1) {
    lines.push(`  window       ${describeCommonWindow(windows)}`);
  } else {
    const width = Math.max(...windows.map((w) => w.region.length));
    lines.push('  window       opens when every region\'s window is open:');
    for (const w of windows) lines.push(`                 ${w.region.padEnd(width)}  ${describeWindow(w.window)}`);
  }
  lines.push(...holidayLines(windows.map((w) => w.region), windows.map((w) => w.window), timeline.start));
  const wait = timeline.entries.find((e) => e.stageName === stage.name && e.phase === 'WINDOW_WAIT');
  if (wait) {
    // One time zone for the whole stage reads best in local time too; several are shown per region below.
    const zones = new Set(stage.regions.map(regionTimeZone));
    const at = (instant: Date) => (zones.size === 1 ? bothText(instant, [...zones][0]) : utcText(instant));
    const minutes = Math.round((wait.end.getTime() - wait.start.getTime()) / 60_000);
    lines.push(`  waits        from ${at(wait.start)}`);
    lines.push(`               until ${at(wait.end)}, ${durationText(minutes)} later${wait.status === 'DONE' ? '' : `, ${statusWords(wait)}`}`);
  }
  return lines;
}

/** How far after the simulated start the report names the holidays that close a stage's windows. */
export const HOLIDAY_LOOKAHEAD_DAYS = 60;

/**
 * Each public holiday that closes one of the stage's windows within `HOLIDAY_LOOKAHEAD_DAYS` of the
 * release start, e.g. `2027-01-11 Coming of Age Day, JP (ap-northeast-1, ap-northeast-3)`, from
 * the dates resolved into the plan at synth time.
 */
function holidayLines(regions: string[], windows: ResolvedWindow[], start: Date): string[] {
  const withCalendar = windows.map((w, i) => ({ region: regions[i], window: w })).filter((w) => w.window.holidayCountry !== undefined);
  if (withCalendar.length === 0) return [];
  const from = start.toISOString().slice(0, 10);
  const until = new Date(start.getTime() + HOLIDAY_LOOKAHEAD_DAYS * 86_400_000).toISOString().slice(0, 10);
  const closing = new Map<string, string[]>();
  for (const { region, window } of withCalendar) {
    for (const h of window.holidays ?? []) {
      if (h.date < from || h.date > until) continue;
      const key = `${h.date} ${h.name}, ${window.holidayCountry}`;
      closing.set(key, [...(closing.get(key) ?? []), region]);
    }
  }
  const ends = [...new Set(withCalendar.map((w) => w.window.holidaysUntil ?? 'nowhere (no dates in the plan)'))].sort();
  const span = `within ${HOLIDAY_LOOKAHEAD_DAYS} days of the release start (holiday dates in the plan until ${ends.join(', ')})`;
  if (closing.size === 0) return [`  holidays     none close a window ${span}`];
  const several = withCalendar.length > 1;
  return [
    `  holidays     closing a window ${span}:`,
    ...[...closing.keys()].sort().map((key) => `                 ${key}${several ? ` (${closing.get(key)!.join(', ')})` : ''}`),
  ];
}

function regionLines(stage: PlannedStage, region: PlannedRegion, timeline: Timeline): string[] {
  const zone = regionTimeZone(region);
  const bakes = region.oneBox
    ? `one-box ${region.oneBox.bake.minutes} min, fleet ${region.fleet.bake.minutes} min`
    : `fleet ${region.fleet.bake.minutes} min`;
  const lines = [`  ${region.region}  account ${region.account}  one-box: ${region.oneBox ? 'yes' : 'no'}  bake: ${bakes}`];
  const requests = [region.oneBox && requestText('one-box', region.oneBox.bake), requestText('fleet', region.fleet.bake)].filter(Boolean);
  if (requests.length > 0) lines.push(`    requests     ${requests.join('; ')}`);
  if (region.validations.length > 0) {
    lines.push(`    validations  ${region.validations.map((v) => `${v.name} (${v.kind})`).join(', ')}`);
  }
  const entries = timeline.entries.filter((e) => e.stageName === stage.name && e.region === region.region);
  const work = entries.filter((e) => e.phase !== 'WINDOW_WAIT');
  if (work.length > 0) {
    const last = entries[entries.length - 1];
    lines.push(`    deploys      ${bothText(work[0].start, zone)}`);
    lines.push(`    ends         ${bothText(last.end, zone)}${regionOutcome(entries)}`);
  }
  return lines;
}

function regionOutcome(entries: TimelineEntry[]): string {
  if (entries.some((e) => e.phase === 'ROLLBACK')) return ', rolled back';
  if (entries.some((e) => e.status === 'ROLLED_BACK')) return ', stopped by the stage rollback';
  return '';
}

function statusWords(entry: TimelineEntry): string {
  return entry.status === 'FAILED' ? 'the gate gives up' : 'stopped by the stage rollback';
}

function rollbackLines(failure: SimulatedFailure, plan: ReleasePlan, timeline: Timeline): string[] {
  const failed = timeline.entries.find((e) => e.targetId === failure.targetId && e.status === 'FAILED');
  const lines = [`Rollback replay: ${failure.targetId} fails ${failure.afterBakeMinutes} min into its bake`];
  if (!failed) {
    lines.push('  the release never reaches that target, so the failure does not happen');
    return lines;
  }
  const region = plan.stages.flatMap((s) => s.regions).find((r) => r.fleet.id === failure.targetId || r.oneBox?.id === failure.targetId)!;
  lines.push(`  fails at ${bothText(failed.end, regionTimeZone(region))}`);
  lines.push(`  ${failed.stageName} fails; CodePipeline's stage rollback redeploys the previous version of every target `
    + `of ${failed.stageName} that had started deploying, in every region of the stage, not only ${failed.region}:`);
  for (const entry of timeline.entries.filter((e) => e.phase === 'ROLLBACK')) {
    lines.push(`    ${entry.targetId}  ${utcText(entry.start)} to ${utcText(entry.end)}`);
  }
  const stopped = timeline.entries.filter((e) => e.status === 'ROLLED_BACK' && e.phase !== 'ROLLBACK');
  for (const entry of stopped) {
    lines.push(`  stopped: ${entry.region} ${entry.phase.toLowerCase().replace('_', ' ')}${entry.targetId ? ` of ${entry.targetId}` : ''} at ${utcText(entry.end)}`);
  }
  lines.push(`  rolled back: ${timeline.rolledBack.join(', ') || 'nothing'}`);
  lines.push(`  never started: ${timeline.neverStarted.join(', ') || 'nothing (it was the last stage)'}`);
  lines.push(`  release ends ${utcText(timeline.finish)}`);
  return lines;
}

function costLines(cost: ReleaseCostEstimate): string[] {
  const lines = [`Estimated pipeline cost of one release: $${cost.totalUsd.toFixed(2)}`];
  for (const item of cost.lineItems) {
    lines.push(`  $${item.costUsd.toFixed(4).padStart(8)}  ${item.description} (${round(item.quantity)} ${item.unit} x $${priceText(item.unitPriceUsd)})`);
  }
  lines.push(`  ${cost.inActionBakeComparison.description}`);
  return lines;
}

/** `0.0000002`, not `2.0000000000000002e-7`. */
function priceText(value: number): string {
  return value === 0 ? '0' : value.toFixed(10).replace(/0+$/, '');
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** `one-box bakes until 100 requests reached the new code (fails 60 min after its bake time without them)`. */
function requestText(what: string, bake: PlannedRegion['fleet']['bake']): string | undefined {
  if (!bake.minRequests) return undefined;
  const policy = bake.noTraffic === 'FAIL' ? `fails ${bake.trafficWaitMinutes ?? 60} min after its bake time without them` : 'holds until they come';
  return `${what} bakes until ${bake.minRequests} requests reached the new code (${policy})`;
}

/** The lead time each bake preset gives this release, from the same start. */
function presetLines(plan: ReleasePlan, leadTimes: ReadonlyArray<{ preset: string; leadTimeMinutes: number }>): string[] {
  const lines = ['Bake presets (lead time of this release if every production bake followed the preset; production.bakePreset selects one):'];
  const width = Math.max(...leadTimes.map((l) => l.preset.length));
  for (const l of leadTimes) {
    const used = (plan.bakePreset ?? 'QUICK') === l.preset ? '  <- this plan\'s preset' : '';
    lines.push(`  ${l.preset.padEnd(width)}  ${durationText(l.leadTimeMinutes)} (${l.leadTimeMinutes} min)${used}`);
  }
  return lines;
}
