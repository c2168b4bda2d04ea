/**
 * Reads how many requests the new code served during a bake, for `bake.minRequests`: the sum of
 * the request metric named in the target's health manifest (e.g. Lambda `Invocations` with the
 * `ExecutedVersion` of the new version, or a one-box target group's `RequestCount`).
 */
import { TargetClients, sdk } from './aws-clients';
import { HealthManifest } from '../model/health-manifest';
import { PlannedTarget } from '../model/plan';

/** Upper bound on GetMetricData pages (a page holds 100,800 datapoints: 70 days of minutes). */
const MAX_PAGES = 20;

/** Thrown when the count cannot be read; `health-signal.ts` turns it into its unreadable-signal error. */
export class RequestCountUnreadable extends Error {
  constructor(readonly what: string, readonly fix: string, readonly cause?: unknown) {
    super(`cannot read ${what}; ${fix}`);
    this.name = 'RequestCountUnreadable';
  }
}

/** Requests the new code served between `start` and `end` (one-minute sums, added up). */
export async function readRequestsServed(
  clients: TargetClients, target: PlannedTarget, manifest: HealthManifest, start: Date, end: Date,
): Promise<number> {
  const metric = manifest.requestMetric;
  const where = `account ${target.account} ${target.region}`;
  if (!metric) {
    throw new RequestCountUnreadable(
      `the requests served by ${target.id} in ${where}`,
      `its bake waits for ${target.bake.minRequests} requests (bake.minRequests) but its ReleaseMonitor names no request metric: pass requests: to the ReleaseMonitor, or set minRequests to 0`,
    );
  }
  const { GetMetricDataCommand, ScanBy } = sdk.cloudWatch();
  const dimensions = metric.dimensions.map((d) => ({ Name: d.name, Value: d.value }));
  let total = 0;
  let nextToken: string | undefined;
  let pages = 0;
  do {
    let out;
    try {
      out = await clients.cloudWatch.send(new GetMetricDataCommand({
        MetricDataQueries: [{
          Id: 'requests',
          MetricStat: {
            Metric: { Namespace: metric.namespace, MetricName: metric.metricName, Dimensions: dimensions },
            Period: 60,
            Stat: 'Sum',
          },
          ReturnData: true,
        }],
        StartTime: start,
        EndTime: end,
        ScanBy: ScanBy.TIMESTAMP_ASCENDING,
        NextToken: nextToken,
      }));
    } catch (err) {
      throw new RequestCountUnreadable(`metric ${metric.namespace}/${metric.metricName} of ${target.id} in ${where}`, "check the target's monitor role (deploy the target's ReleaseMonitor)", err);
    }
    for (const result of out.MetricDataResults ?? []) {
      if (result.Id === 'requests') total += (result.Values ?? []).reduce((a, b) => a + b, 0);
    }
    nextToken = out.NextToken;
  } while (nextToken && ++pages < MAX_PAGES);
  return total;
}
