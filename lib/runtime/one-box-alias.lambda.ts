/** Lambda entry of the `LambdaOneBox` custom resource (CDK provider framework `onEvent`). */
// eslint-disable-next-line import/no-extraneous-dependencies -- a type only; the runtime provides the SDK
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { sdk } from './aws-clients';
import { OneBoxAliasEvent, OneBoxAliasResponse, handleOneBoxAlias } from './one-box-alias';

// Created on the first event, not at import (aws-clients.ts says why), then reused by the container.
let lambda: LambdaClient | undefined;

export async function handler(event: OneBoxAliasEvent): Promise<OneBoxAliasResponse> {
  lambda ??= new (sdk.lambda().LambdaClient)({});
  return handleOneBoxAlias(lambda, event, new Date());
}
