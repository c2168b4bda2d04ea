/* eslint-disable import/no-extraneous-dependencies -- types only; the SDK itself loads on first use (aws-clients.ts `sdk`) */
/**
 * The custom resource behind `LambdaOneBox`: reads the customer-facing alias at deploy time and
 * moves it with `decideAliasShift` (lib/model/one-box-shift.ts). Returns at once, so the
 * CloudFormation action ends in seconds and the one-box bakes in the pipeline's free approval gate.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { errorName, sdk } from './aws-clients';
import { aliasMoveDescription } from '../model/alias-move-record';
import { ALIAS_ACTION, AliasState, decideAliasShift } from '../model/one-box-shift';

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
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: OneBoxAliasProperties;
}

export interface OneBoxAliasResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}

export type LambdaSender = Pick<LambdaClient, 'send'>;

/** `now` is when the deployment runs: it dates the note of a fleet move. */
export async function handleOneBoxAlias(lambda: LambdaSender, event: OneBoxAliasEvent, now: Date): Promise<OneBoxAliasResponse> {
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
    const alias = await lambda.send(new GetAliasCommand({ FunctionName: props.FunctionName, Name: props.AliasName }));
    current = { functionVersion: alias.FunctionVersion!, additionalVersionWeights: alias.RoutingConfig?.AdditionalVersionWeights ?? {} };
  } catch (err) {
    if (errorName(err) !== 'ResourceNotFoundException') throw err;
  }
  const shift = decideAliasShift(current, props.Version, weight);
  const routing = { AdditionalVersionWeights: shift.additionalVersionWeights };
  if (shift.action === ALIAS_ACTION.CREATE) {
    await lambda.send(new CreateAliasCommand({ FunctionName: props.FunctionName, Name: props.AliasName, FunctionVersion: shift.functionVersion }));
  } else if (shift.action === ALIAS_ACTION.UPDATE) {
    // A move of the primary version (the fleet deployment) is noted in the alias's description: the
    // rollback of the fleet reads it to put the alias back on the version customers were on
    // (alias-move-record.ts). A one-box split keeps the primary, and the note of the move before it.
    const from = current?.functionVersion;
    const moved = from !== undefined && from !== shift.functionVersion;
    await lambda.send(new UpdateAliasCommand({
      FunctionName: props.FunctionName,
      Name: props.AliasName,
      FunctionVersion: shift.functionVersion,
      RoutingConfig: routing,
      ...(moved ? { Description: aliasMoveDescription({ from, to: shift.functionVersion, at: now }) } : {}),
    }));
  }
  console.log(JSON.stringify({ alias: physicalId, action: shift.action, summary: shift.summary }));
  return {
    PhysicalResourceId: physicalId,
    Data: { PrimaryVersion: shift.functionVersion, Summary: shift.summary.slice(0, 200) },
  };
}
