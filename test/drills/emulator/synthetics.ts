/**
 * CloudWatch Synthetics canaries of one account and region. A canary on a 1-minute schedule starts
 * a run every minute while it is RUNNING; a stopped canary produces no runs. Runs are derived from
 * the schedule when read, so a two-day drill stores none.
 * https://docs.aws.amazon.com/AmazonSynthetics/latest/APIReference/API_GetCanaryRuns.html
 * https://docs.aws.amazon.com/AmazonSynthetics/latest/APIReference/API_CanaryRun.html
 * https://docs.aws.amazon.com/AmazonSynthetics/latest/APIReference/API_CanaryRunStatus.html
 */
import { awsError, unimplemented } from './aws-errors';
import { MINUTE, SECOND } from './sim-clock';

/** A run starts this long after the minute and takes this long. */
const RUN_OFFSET = 10 * SECOND;
const RUN_DURATION = 25 * SECOND;

export interface CanarySpec {
  /** When the canary stops running (absent: it keeps running). */
  stoppedAt?: Date;
  /** Whether the run started at this instant fails. */
  failing: (started: Date) => boolean;
}

export class SyntheticsEmulator {
  private readonly canaries = new Map<string, CanarySpec>();

  constructor(private readonly now: () => Date) {}

  addCanary(name: string, spec: CanarySpec): void {
    this.canaries.set(name, spec);
  }

  canary(name: string): CanarySpec {
    const spec = this.canaries.get(name);
    if (!spec) throw new Error(`emulator: no canary ${name}`);
    return spec;
  }

  handle(operation: string, input: any): any {
    if (operation !== 'GetCanaryRuns') throw unimplemented('synthetics', operation);
    const spec = this.canaries.get(input.Name);
    if (!spec) throw awsError('ResourceNotFoundException', `Canary ${input.Name} not found`, 404);
    const max = input.MaxResults ?? 100;
    if (max < 1 || max > 100) throw awsError('ValidationException', 'MaxResults must be 1-100', 400);
    const now = this.now().getTime();
    const last = Math.min(now, spec.stoppedAt?.getTime() ?? Infinity);
    let start = Math.floor((last - RUN_OFFSET) / MINUTE) * MINUTE + RUN_OFFSET;
    const runs = [];
    // Newest run first.
    for (; runs.length < max && start <= last; start -= MINUTE) {
      const started = new Date(start);
      const done = start + RUN_DURATION <= now;
      const state = !done ? 'RUNNING' : spec.failing(started) ? 'FAILED' : 'PASSED';
      runs.push({
        Id: `c0ffee00-0000-4000-8000-${(start / MINUTE).toString(16).padStart(12, '0')}`,
        Name: input.Name,
        Status: { State: state, ...(state === 'FAILED' ? { StateReason: 'GET /orders returned 503' } : {}) },
        Timeline: { Started: started, ...(done ? { Completed: new Date(start + RUN_DURATION) } : {}) },
      });
    }
    return { CanaryRuns: runs };
  }
}
