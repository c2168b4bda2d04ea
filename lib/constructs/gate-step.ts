import { Duration } from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as cpactions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as pipelines from 'aws-cdk-lib/pipelines';

/**
 * A gate the release controller opens or fails: rendered as a CodePipeline manual approval whose
 * text carries a `[wave-pipelines:<GATE>:<key>]` token. Approvals cost nothing while they wait
 * (CodePipeline bills action-minutes only for other action types), so a bake of many hours or a
 * window held over a weekend is free; the controller decides within seconds of an alarm.
 */
export class GateStep extends pipelines.Step implements pipelines.ICodePipelineActionFactory {
  /**
   * @param id step id (the action name within its stage deployment)
   * @param text the approval text: the rule, who decides, and the controller token
   * @param timeoutMinutes how long the approval may wait (5 minutes to 7 days)
   * @param link a page explaining the gate's decisions (the controller's decision log)
   */
  constructor(id: string, private readonly text: string, private readonly timeoutMinutes: number, private readonly link?: string) {
    super(id);
  }

  public produceAction(stage: codepipeline.IStage, options: pipelines.ProduceActionOptions): pipelines.CodePipelineActionFactoryResult {
    stage.addAction(new cpactions.ManualApprovalAction({
      actionName: options.actionName,
      runOrder: options.runOrder,
      additionalInformation: this.text,
      // "Review" in the console opens the controller's decision log: why a wave holds, why a bake failed.
      externalEntityLink: this.link,
      // Approval timeouts must be 5 minutes or more; we cap them at 7 days.
      timeout: Duration.minutes(Math.min(Math.max(this.timeoutMinutes, 5), 7 * 24 * 60)),
      role: gateActionRole(options.pipeline.pipeline),
    }));
    return { runOrdersConsumed: 1 };
  }
}

/**
 * The one role every gate of a pipeline runs with. CodePipeline runs each action with a role, and
 * aws-cdk-lib creates one per action that has none (`CodePipelineActionRole`); an approval calls
 * nothing in AWS, so its role needs no permission and one serves them all. Per-gate roles made the
 * pipeline template grow by a role and a policy statement per gate (two gates a region), which
 * aws-cdk-lib's template validation at synth paid for (bench/RESULTS.md, "Where the time goes").
 * Trusted by the pipeline's role only, as aws-cdk-lib's own action roles are.
 */
function gateActionRole(pipeline: codepipeline.Pipeline): iam.IRole {
  const id = 'GateActionRole';
  return (pipeline.node.tryFindChild(id) as iam.IRole | undefined)
    ?? new iam.Role(pipeline, id, { assumedBy: new iam.ArnPrincipal(pipeline.role.roleArn) });
}
