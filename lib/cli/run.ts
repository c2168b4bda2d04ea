/**
 * The `wave-pipelines` command, as a function: arguments and an `CliIo` in, exit code out.
 * `main.ts` only wires it to the process.
 */
import * as path from 'path';
import { parseArgs } from 'util';
import { bootstrapCommands, bootstrapNeeds } from './bootstrap';
import { CliIo } from './cli-io';
import { renderGanttHtml } from './gantt';
import { PlanFileError, loadPipelinePlan } from './plan-files';
import { renderPlanReport } from './plan-report';
import { stalePlanWarning } from './stale-plan';
import { BakePreset, withBakePreset } from '../model/bake-presets';
import { estimateReleaseCost } from '../model/cost';
import { SimulatedFailure, simulateRelease } from '../model/simulate';

const DEPLOY_MINUTES = 10;
const VALIDATION_MINUTES = 15;

export const USAGE = `Usage: wave-pipelines plan [options]
       wave-pipelines bootstrap [--assembly <dir>] [--pipeline <name>]

bootstrap prints the \`cdk bootstrap\` commands every account and region of the
synthesized pipeline needs (target environments trust the pipeline account).

Shows the release plan of a synthesized WavePipeline and simulates one release:
stages in order, regions, accounts, one-box, bakes, deployment windows, when each
stage and region would deploy (UTC and region-local time), lead time and cost.

Options:
  --assembly <dir>           cloud assembly to read (default: cdk.out)
  --pipeline <name>          pipeline to show when the app has several
  --start <ISO time>         when the release starts, with a zone, e.g. 2025-03-07T16:00:00Z
                             (default: now)
  --fail <target>@<minutes>  replay a failure: <target> fails <minutes> into its bake,
                             e.g. prod-wave-1-eu-west-1-fleet@20
  --html <file>              also write the timeline as a Gantt chart (one HTML file)
  --json                     print the plan, timeline and cost as JSON instead of text
  -h, --help                 show this help
`;

/** Exit codes: 0 done, 1 the assembly or plan is not usable, 2 the command line is wrong. */
export const EXIT = { OK: 0, ERROR: 1, USAGE: 2 } as const;

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Runs `wave-pipelines <argv>`; returns the exit code. */
export function runCli(argv: string[], io: CliIo): number {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (e) {
    io.stderr(`wave-pipelines: ${(e as Error).message}\n\n${USAGE}`);
    return EXIT.USAGE;
  }
  const { values, positionals } = args;
  if (values.help) {
    io.stdout(USAGE);
    return EXIT.OK;
  }
  if (positionals.length === 0) {
    io.stderr(`wave-pipelines: missing command\n\n${USAGE}`);
    return EXIT.USAGE;
  }
  if (!['plan', 'bootstrap'].includes(positionals[0]) || positionals.length > 1) {
    io.stderr(`wave-pipelines: unknown command "${positionals.join(' ')}"; the commands are \`plan\` and \`bootstrap\`\n\n${USAGE}`);
    return EXIT.USAGE;
  }
  if (positionals[0] === 'bootstrap') return runBootstrap(values.assembly ?? 'cdk.out', values.pipeline, io);

  let start: Date;
  if (values.start !== undefined) {
    const parsed = isCalendarTime(values.start) ? new Date(values.start) : undefined;
    if (!parsed || Number.isNaN(parsed.getTime())) {
      io.stderr(`wave-pipelines: --start: "${values.start}" is not a time; expected ISO 8601 with a zone, `
        + 'YYYY-MM-DDTHH:MM[:SS]Z or YYYY-MM-DDTHH:MM[:SS]+HH:MM, e.g. 2025-03-07T16:00:00Z\n');
      return EXIT.USAGE;
    }
    start = parsed;
  } else {
    // Whole minutes keep the printed times and the simulated ones the same.
    start = new Date(Math.floor(io.now().getTime() / 60_000) * 60_000);
  }

  let failure: SimulatedFailure | undefined;
  if (values.fail !== undefined) {
    const match = /^(.+)@(\d+(?:\.\d+)?)$/.exec(values.fail);
    if (!match) {
      io.stderr(`wave-pipelines: --fail: "${values.fail}" is not <target>@<minutes>, e.g. prod-wave-1-eu-west-1-fleet@20\n`);
      return EXIT.USAGE;
    }
    failure = { targetId: match[1], afterBakeMinutes: Number(match[2]) };
  }

  const assembly = values.assembly ?? 'cdk.out';
  try {
    const { file, plan } = loadPipelinePlan(assembly, values.pipeline, io);
    const stale = stalePlanWarning(file, io);
    if (stale) io.stderr(`wave-pipelines: ${stale}\n`);
    const timeline = simulateRelease(plan, start, { deployMinutes: DEPLOY_MINUTES, validationMinutes: VALIDATION_MINUTES, failure });
    const cost = estimateReleaseCost(plan, timeline);
    if (values.html !== undefined) {
      try {
        io.writeFile(values.html, renderGanttHtml(plan, timeline, cost));
      } catch (e) {
        throw new PlanFileError(`--html: cannot write "${values.html}": ${(e as Error).message}`);
      }
    }
    if (values.json) {
      io.stdout(`${JSON.stringify({ planFile: file, plan, timeline, cost }, undefined, 2)}\n`);
    } else {
      io.stdout(renderPlanReport({
        plan,
        planFile: file,
        timeline,
        cost,
        deployMinutes: DEPLOY_MINUTES,
        validationMinutes: VALIDATION_MINUTES,
        failure,
        presetLeadTimes: Object.values(BakePreset).map((preset) => ({
          preset,
          leadTimeMinutes: simulateRelease(withBakePreset(plan, preset), start, {
            deployMinutes: DEPLOY_MINUTES, validationMinutes: VALIDATION_MINUTES,
          }).leadTimeMinutes,
        })),
      }));
      if (values.html !== undefined) io.stdout(`Timeline written to ${path.normalize(values.html)}\n`);
    }
    return EXIT.OK;
  } catch (e) {
    if (e instanceof PlanFileError) {
      io.stderr(`wave-pipelines: ${e.message}\n`);
      return EXIT.ERROR;
    }
    // Options the simulator refuses (an unknown --fail target, a minute outside the bake).
    if (e instanceof Error && /^failure\./.test(e.message)) {
      io.stderr(`wave-pipelines: --fail: ${e.message.replace(/^failure\.\w+: /, '')}\n`);
      return EXIT.USAGE;
    }
    io.stderr(`wave-pipelines: ${(e as Error).message}\n`);
    return EXIT.ERROR;
  }
}

function runBootstrap(assembly: string, pipeline: string | undefined, io: CliIo): number {
  try {
    const { plan } = loadPipelinePlan(assembly, pipeline, io);
    io.stdout(bootstrapCommands(plan, bootstrapNeeds(assembly, io)));
    return EXIT.OK;
  } catch (e) {
    io.stderr(`wave-pipelines: ${(e as Error).message}\n`);
    return EXIT.ERROR;
  }
}

/** ISO 8601 with a zone, and a date that exists (`Date` would read 2025-02-30 as 2 March). */
function isCalendarTime(text: string): boolean {
  if (!ISO_TIME.test(text)) return false;
  const [year, month, day] = text.slice(0, 10).split('-').map(Number);
  return month >= 1 && month <= 12 && day >= 1 && new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      assembly: { type: 'string' },
      pipeline: { type: 'string' },
      start: { type: 'string' },
      html: { type: 'string' },
      fail: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
