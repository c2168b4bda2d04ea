/**
 * What one deployment target's release-health signal watches, and what rolls it back.
 * `ReleaseMonitor` writes it as JSON into an SSM parameter in the target's account and region
 * (name: `healthParameterName(pipelineName, targetId)`); the release controller reads it through the
 * target's monitor role. Keeping it in the target account means the pipeline never needs to know
 * the user's alarm names at synth time.
 */
export const HEALTH_MANIFEST_VERSION = 1;

export interface DeploymentGroupRef {
  readonly applicationName: string;
  readonly deploymentGroupName: string;
}

export interface AliasRef {
  readonly functionName: string;
  readonly aliasName: string;
}

/**
 * A load balancer listener whose default action forwards to a one-box target group and the fleet's
 * by weight (`EcsOneBox`): a one-box rollback sets the one-box group's weight to 0.
 */
export interface WeightedListenerRef {
  readonly listenerArn: string;
  readonly oneBoxTargetGroupArn: string;
}

/** One dimension of a CloudWatch metric. */
export interface MetricDimensionRef {
  readonly name: string;
  readonly value: string;
}

/** A CloudWatch metric that counts requests (summed per minute over the bake). */
export interface RequestMetricRef {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: MetricDimensionRef[];
}

export interface HealthManifest {
  readonly schemaVersion: number;
  readonly targetId: string;
  /** The composite alarm: ALARM when any watched alarm or canary alarm is in ALARM. */
  readonly compositeAlarmName: string;
  /** The metric alarms behind the composite (their datapoints count toward a bake). */
  readonly alarmNames: string[];
  /** Synthetics canaries whose recent runs must pass. */
  readonly canaryNames: string[];
  /** CodeDeploy deployment groups stopped with rollback when the target fails. */
  readonly deploymentGroups: DeploymentGroupRef[];
  /** Lambda aliases whose weighted routing is reset to the stable version when the target fails. */
  readonly aliases: AliasRef[];
  /**
   * Listeners whose one-box target group a one-box rollback drains (weight 0) within seconds;
   * absent in manifests written before it existed, which is the same as none.
   */
  readonly listeners?: WeightedListenerRef[];
  /** The metric counting requests served by the new code, for `bake.minRequests`; absent = none. */
  readonly requestMetric?: RequestMetricRef;
}
