/** Lambda entry of the `LambdaOneBox` custom resource (CDK provider framework `onEvent`). */
// eslint-disable-next-line import/no-extraneous-dependencies -- bundled at build time
import { LambdaClient } from '@aws-sdk/client-lambda';
import { OneBoxAliasEvent, OneBoxAliasResponse, handleOneBoxAlias } from './one-box-alias';

const lambda = new LambdaClient({});

export async function handler(event: OneBoxAliasEvent): Promise<OneBoxAliasResponse> {
  return handleOneBoxAlias(lambda, event);
}
