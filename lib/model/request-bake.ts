/**
 * The request half of a bake: `bake.minRequests` holds a bake until the new code has served that
 * many requests (counted by the metric the target's `ReleaseMonitor` names), on top of the bake
 * time. Time alone proves little when nobody called the new code: a one-box that took no traffic
 * for an hour has not been tested by production at all.
 */
import { NoTrafficPolicy } from './declaration';
import { PlannedBake } from './plan';

/** Verdicts this rule returns (the same values as `BakeVerdict`). */
export type RequestVerdict = 'WAIT' | 'FAIL';

export interface RequestCheck {
  readonly decision: RequestVerdict;
  readonly reason: string;
}

/** Defaults of the request rule, also shown by `wave-pipelines plan`. */
export const REQUEST_DEFAULTS = {
  noTraffic: NoTrafficPolicy.HOLD,
  /** With `noTraffic: FAIL`, how long past the bake time the requests may take to come. */
  trafficWaitMinutes: 60,
} as const;

/**
 * After the bake time has elapsed with no alarm: `undefined` when the requests came (or none are
 * required), else WAIT, or FAIL once `noTraffic` is FAIL and `trafficWaitMinutes` past the bake
 * time have gone by without them. `requestsServed` absent while requests are required means they
 * were not read, which is a bug of the caller: it throws rather than pass a bake unmeasured.
 */
export function checkMinRequests(
  targetId: string, bake: PlannedBake, elapsedMinutes: number, requestsServed: number | undefined,
): RequestCheck | undefined {
  const needed = bake.minRequests ?? 0;
  if (needed <= 0) return undefined;
  if (requestsServed === undefined) {
    throw new Error(`checkMinRequests: requests served by ${targetId} were not read; bake.minRequests is ${needed}`);
  }
  if (requestsServed >= needed) return undefined;
  const policy = bake.noTraffic ?? REQUEST_DEFAULTS.noTraffic;
  const waitMinutes = bake.trafficWaitMinutes ?? REQUEST_DEFAULTS.trafficWaitMinutes;
  const served = `the new code served ${requestsServed} of the ${needed} requests bake.minRequests asks for`;
  if (policy === NoTrafficPolicy.FAIL && elapsedMinutes >= bake.minutes + waitMinutes) {
    return {
      decision: 'FAIL',
      reason: `${targetId}: baked ${elapsedMinutes} minutes; ${served} within ${waitMinutes} minutes after the bake time (noTraffic is FAIL): a release no customer exercised is not known to be healthy`,
    };
  }
  const until = policy === NoTrafficPolicy.FAIL
    ? `fails at minute ${bake.minutes + waitMinutes} without them`
    : 'holds until they come (noTraffic is HOLD)';
  return { decision: 'WAIT', reason: `${targetId}: baked ${elapsedMinutes} minutes with no alarm; ${served}; ${until}` };
}

/** Problems of the request fields of one `BakeSpec`, each with its path. */
export function requestFieldProblems(
  bake: { minRequests?: unknown; noTraffic?: unknown; trafficWaitMinutes?: unknown } | undefined, path: string,
): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  if (bake === undefined) return problems;
  const whole = (v: unknown, max: number) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;
  if (bake.minRequests !== undefined && !whole(bake.minRequests, 10_000_000)) {
    problems.push({ path: `${path}.minRequests`, message: `${JSON.stringify(bake.minRequests)} must be a whole number of requests between 0 and 10000000, e.g. 100` });
  }
  if (bake.noTraffic !== undefined && !Object.values(NoTrafficPolicy).includes(bake.noTraffic as NoTrafficPolicy)) {
    problems.push({ path: `${path}.noTraffic`, message: `${JSON.stringify(bake.noTraffic)} is not a NoTrafficPolicy; use ${Object.values(NoTrafficPolicy).map((v) => `"${v}"`).join(' or ')}` });
  }
  if (bake.trafficWaitMinutes !== undefined && !whole(bake.trafficWaitMinutes, 7 * 24 * 60)) {
    problems.push({ path: `${path}.trafficWaitMinutes`, message: `${JSON.stringify(bake.trafficWaitMinutes)} must be whole minutes between 0 and 10080 (a week), e.g. 60` });
  }
  return problems;
}
