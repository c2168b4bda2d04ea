import * as cdk from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * One deployment the pipeline makes: a one-box or the fleet of one region in one stage.
 * `WavePipeline` hands it to your `IDeploymentStageFactory`; pass it on to `ReleaseMonitor`.
 */
export interface DeploymentTarget {
  /** Stable id, e.g. `prod-wave-1-us-east-1-onebox`; names the target's alarm, role and parameter. */
  readonly id: string;
  /** `ONE_BOX` or `FLEET`. */
  readonly kind: string;
  /** True for a one-box deployment (deploy a small share of capacity or traffic). */
  readonly isOneBox: boolean;
  /** Name of the pipeline stage (pre-production stage or production wave). */
  readonly stageName: string;
  /** `PRE_PRODUCTION` or `PRODUCTION`. */
  readonly stageKind: string;
  /** Account the target deploys into. */
  readonly account: string;
  /** Region the target deploys into. */
  readonly region: string;
  /** Name of the pipeline deploying it. */
  readonly pipelineName: string;
  /** Account of the pipeline (where the release controller runs). */
  readonly pipelineAccount: string;
  /** Region of the pipeline. */
  readonly pipelineRegion: string;
  /**
   * Id of the one-box target of the same region and stage, when it has one (also set on the fleet
   * target: a service stack shared by both deploys both targets' monitors, see `regionTargets`).
   * @default - the region has no one-box
   */
  readonly oneBoxTargetId?: string;
  /**
   * Id of the fleet target of the same region and stage.
   * @default - this target's id when it is the fleet
   */
  readonly fleetTargetId?: string;
  /**
   * Minutes of the longest bake of this target's region in this stage (its one-box's or its
   * fleet's; 0 = no bake). Sizes how long after a deployment the alarm rollback still undoes it
   * (see `ReleaseMonitor`). One value for both targets of a region, so that a stack deploying both
   * monitors is the same template in both deployments.
   * @default 0
   */
  readonly regionBakeMinutes?: number;
}

/** Creates the `Stage` (your service's stacks) deployed to one target. */
export interface IDeploymentStageFactory {
  /**
   * Build the stage for `target`. Create it in `scope` with `constructId`, and give it
   * `env: { account: target.account, region: target.region }`. Add a `ReleaseMonitor` to it,
   * so the bake has a health signal to watch.
   */
  createStage(scope: Construct, constructId: string, target: DeploymentTarget): cdk.Stage;
}
