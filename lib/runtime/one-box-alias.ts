/* eslint-disable import/no-extraneous-dependencies -- types only; the SDK itself loads on first use (aws-clients.ts `sdk`) */
/**
 * The custom resource behind `LambdaOneBox`: reads the customer-facing alias at deploy time and
 * moves it with `decideAliasShift` (lib/model/one-box-shift.ts). Returns at once, so the
 * CloudFormation action ends in seconds and the one-box bakes in the pipeline's free approval gate.
 */
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { errorName, sdk } from './aws-clients';
import { aliasMoveDescription, aliasMoveUndoneDescription } from '../model/alias-move-record';
import { ALIAS_ACTION, AliasState, decideAliasShift, mayUndoFleetMove, ShiftProperties } from '../model/one-box-shift';

/** Properties of the custom resource (CloudFormation passes them as strings). */
export interface OneBoxAliasProperties {
  readonly FunctionName: string;
  readonly AliasName: string;
  readonly Version: string;
  readonly Weight: string;
}

/** The part of a CloudFormation custom resource event the handler reads (provider framework `onEvent`). */
export interface OneBoxAliasEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  /** The stack's ARN: its status tells CloudFormation's rollback from a deployment. */
  readonly StackId?: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: OneBoxAliasProperties;
  /** Update only: the properties the resource held before this request. */
  readonly OldResourceProperties?: OneBoxAliasProperties;
}

export interface OneBoxAliasResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}

export type LambdaSender = Pick<LambdaClient, 'send'>;
export type CloudFormationSender = Pick<CloudFormationClient, 'send'>;

/** The clients of the handler, in the stack's own account and region. */
export interface OneBoxAliasClients {
  readonly lambda: LambdaSender;
  readonly cloudFormation: CloudFormationSender;
}

/** `now` is when the deployment runs: it dates the note of a fleet move. */
export async function handleOneBoxAlias(clients: OneBoxAliasClients, event: OneBoxAliasEvent, now: Date): Promise<OneBoxAliasResponse> {
  const props = event.ResourceProperties;
  const physicalId = `${props.FunctionName}:${props.AliasName}`;
  // The alias belongs to the function: it goes with it when the stack deletes the function, and a
  // later deployment must find it serving the version customers are on.
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId ?? physicalId };
  const weight = Number(props.Weight);
  if (!(weight > 0 && weight <= 1) || !/^[0-9]+$/.test(props.Version)) {
    throw new Error(`one-box alias ${physicalId}: Version "${props.Version}" must be a published version number and Weight "${props.Weight}" a number above 0 and at most 1`);
  }

  const { CreateAliasCommand, GetAliasCommand, UpdateAliasCommand } = sdk.lambda();
  let current: AliasState | undefined;
  try {
    const alias = await clients.lambda.send(new GetAliasCommand({ FunctionName: props.FunctionName, Name: props.AliasName }));
    current = {
      functionVersion: alias.FunctionVersion!,
      additionalVersionWeights: alias.RoutingConfig?.AdditionalVersionWeights ?? {},
      ...(alias.Description !== undefined ? { description: alias.Description } : {}),
    };
  } catch (err) {
    if (errorName(err) !== 'ResourceNotFoundException') throw err;
  }
  const previous = event.RequestType === 'Update' ? shiftProperties(event.OldResourceProperties) : undefined;
  // Only an Update that CloudFormation may be sending to roll a fleet deployment back needs the
  // stack's status (one-box-shift.ts `mayUndoFleetMove` says why the request cannot tell).
  const stackStatus = mayUndoFleetMove(current, props.Version, weight, previous)
    ? await readStackStatus(clients.cloudFormation, event.StackId, physicalId)
    : undefined;
  const shift = decideAliasShift(current, props.Version, weight, {
    ...(previous ? { previous } : {}),
    ...(stackStatus ? { stackStatus } : {}),
  });
  const routing = { AdditionalVersionWeights: shift.additionalVersionWeights };
  if (shift.action === ALIAS_ACTION.CREATE) {
    await clients.lambda.send(new CreateAliasCommand({
      FunctionName: props.FunctionName, Name: props.AliasName, FunctionVersion: shift.functionVersion,
    }));
  } else if (shift.action === ALIAS_ACTION.UPDATE) {
    // A move of the primary version (the fleet deployment) is noted in the alias's description: the
    // rollback of the fleet reads it to put the alias back on the version customers were on
    // (alias-move-record.ts). A one-box split keeps the primary, and the note of the move before it.
    // Undoing a fleet move replaces its note with one that records no move (alias-move-record.ts
    // `aliasMoveUndoneDescription` says why).
    const from = current?.functionVersion;
    const moved = from !== undefined && from !== shift.functionVersion;
    const description = shift.undoes
      ? aliasMoveUndoneDescription(shift.undoes, now)
      : moved ? aliasMoveDescription({ from, to: shift.functionVersion, at: now }) : undefined;
    await clients.lambda.send(new UpdateAliasCommand({
      FunctionName: props.FunctionName,
      Name: props.AliasName,
      FunctionVersion: shift.functionVersion,
      RoutingConfig: routing,
      ...(description !== undefined ? { Description: description } : {}),
    }));
  }
  console.log(JSON.stringify({ alias: physicalId, action: shift.action, summary: shift.summary }));
  return {
    PhysicalResourceId: physicalId,
    Data: { PrimaryVersion: shift.functionVersion, Summary: shift.summary.slice(0, 200) },
  };
}

/** An Update's old properties as the decision reads them; none when they are not a shift's (nothing to undo then). */
function shiftProperties(old: OneBoxAliasProperties | undefined): ShiftProperties | undefined {
  const weight = Number(old?.Weight);
  if (!old || typeof old.Version !== 'string' || !(weight > 0 && weight <= 1)) return undefined;
  return { version: old.Version, weight };
}

/**
 * The stack's status, read where the request may be CloudFormation's rollback. Fails closed: a
 * guess either leaves every request on a version only the one-box baked or sends most of them back
 * to the previous release during a forward deployment, so the request fails and says what it could
 * not read (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html).
 */
async function readStackStatus(cloudFormation: CloudFormationSender, stackId: string | undefined, physicalId: string): Promise<string> {
  const cannot = (why: string) => new Error(`one-box alias ${physicalId}: cannot tell whether CloudFormation is rolling the stack back: ${why}`);
  if (!stackId) throw cannot('the request has no StackId');
  const { DescribeStacksCommand } = sdk.cloudFormation();
  let status: string | undefined;
  try {
    const out = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackId }));
    status = out.Stacks?.[0]?.StackStatus;
  } catch (err) {
    throw cannot(`DescribeStacks ${stackId} failed: ${errorName(err)}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!status) throw cannot(`DescribeStacks ${stackId} returned no stack status`);
  return status;
}
