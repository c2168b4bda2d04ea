/* eslint-disable import/no-extraneous-dependencies -- types only; the SDK itself loads on first use (aws-clients.ts `sdk`) */
import type { ActionExecutionDetail } from '@aws-sdk/client-codepipeline';
import { ClientFactory, sdk } from './aws-clients';
import { ReleasePlan } from '../model/plan';

/**
 * The action executions of pipeline executions, each read once per controller run with
 * `ListActionExecutions` filtered by `pipelineExecutionId`
 * (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ListActionExecutions.html,
 * filter: https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ActionExecutionFilter.html).
 */
export class ExecutionHistory {
  private readonly cache = new Map<string, Promise<ActionExecutionDetail[]>>();

  constructor(private readonly clients: ClientFactory, private readonly plan: ReleasePlan) {}

  /** Every action execution of the pipeline execution. */
  public actions(pipelineExecutionId: string): Promise<ActionExecutionDetail[]> {
    let pending = this.cache.get(pipelineExecutionId);
    if (!pending) {
      pending = this.read(pipelineExecutionId);
      this.cache.set(pipelineExecutionId, pending);
    }
    return pending;
  }

  private async read(pipelineExecutionId: string): Promise<ActionExecutionDetail[]> {
    const { ListActionExecutionsCommand } = sdk.codePipeline();
    const details: ActionExecutionDetail[] = [];
    let nextToken: string | undefined;
    do {
      const out = await this.clients.pipeline().codePipeline.send(new ListActionExecutionsCommand({
        pipelineName: this.plan.pipelineName, filter: { pipelineExecutionId }, nextToken,
      }));
      const page = out?.actionExecutionDetails ?? [];
      details.push(...page.filter((d) => d.pipelineExecutionId === undefined || d.pipelineExecutionId === pipelineExecutionId));
      nextToken = out?.nextToken;
    } while (nextToken);
    return details;
  }
}
