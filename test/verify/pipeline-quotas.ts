/**
 * CodePipeline quotas a synthesized pipeline can break that cfn-lint does not check (measured with
 * cfn-lint 1.51 on broken copies of the example's pipeline, see pipeline-quotas.test.ts): more than
 * 50 stages, more than 50 actions in a stage, a run order outside 1..999, and an approval text
 * (CustomData) over 500 characters. cfn-lint already refuses names over 100 characters (E3031) and
 * duplicate stage or action names (E3002), and it checks every resource type and property against
 * the per-region specification (E3002, E3003, E3006, E3012), so those checks are left to it.
 * Quotas: https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html
 */

export const CODEPIPELINE_QUOTAS = {
  maxStages: 50,
  maxActionsPerStage: 50,
  minRunOrder: 1,
  maxRunOrder: 999,
  maxApprovalCustomDataLength: 500,
};

/** A CloudFormation template, as synthesized. */
export interface CfnTemplate {
  readonly Resources?: Record<string, { Type: string; Properties?: Record<string, unknown>; [key: string]: unknown }>;
  readonly [key: string]: unknown;
}

/** The quota problems of every `AWS::CodePipeline::Pipeline` of a template, as `<where>: <path>: <problem>`. */
export function pipelineQuotaProblems(where: string, template: CfnTemplate): string[] {
  const problems: string[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    if (resource.Type !== 'AWS::CodePipeline::Pipeline') continue;
    const report = (path: string, message: string) => problems.push(`${where}/${logicalId}: ${path}: ${message}`);
    const q = CODEPIPELINE_QUOTAS;
    const stages = resource.Properties?.Stages;
    if (!Array.isArray(stages)) continue;
    if (stages.length > q.maxStages) report('Properties.Stages', `${stages.length} stages; CodePipeline allows at most ${q.maxStages}`);
    stages.forEach((stage: any, s) => {
      const actions = stage?.Actions;
      if (!Array.isArray(actions)) return;
      const at = `Properties.Stages[${s}]`;
      if (actions.length > q.maxActionsPerStage) report(`${at}.Actions`, `${actions.length} actions in stage "${stage.Name}"; CodePipeline allows at most ${q.maxActionsPerStage}`);
      actions.forEach((action: any, a) => {
        const actionAt = `${at}.Actions[${a}]`;
        const runOrder = action?.RunOrder;
        if (typeof runOrder === 'number' && (runOrder < q.minRunOrder || runOrder > q.maxRunOrder || !Number.isInteger(runOrder))) {
          report(`${actionAt}.RunOrder`, `run order ${runOrder} is outside ${q.minRunOrder}..${q.maxRunOrder}`);
        }
        const customData = action?.ActionTypeId?.Category === 'Approval' ? action.Configuration?.CustomData : undefined;
        if (typeof customData === 'string' && customData.length > q.maxApprovalCustomDataLength) {
          report(`${actionAt}.Configuration.CustomData`, `${customData.length} characters; approvals allow at most ${q.maxApprovalCustomDataLength}`);
        }
      });
    });
  }
  return problems;
}
