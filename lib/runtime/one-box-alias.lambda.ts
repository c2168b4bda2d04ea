/** Lambda entry of the `LambdaOneBox` custom resource (CDK provider framework `onEvent`). */
import { sdk } from './aws-clients';
import { OneBoxAliasClients, OneBoxAliasEvent, OneBoxAliasResponse, handleOneBoxAlias } from './one-box-alias';

// Created on the first event, not at import (aws-clients.ts says why), then reused by the container.
let clients: OneBoxAliasClients | undefined;

export async function handler(event: OneBoxAliasEvent): Promise<OneBoxAliasResponse> {
  clients ??= { lambda: new (sdk.lambda().LambdaClient)({}), cloudFormation: new (sdk.cloudFormation().CloudFormationClient)({}) };
  return handleOneBoxAlias(clients, event, new Date());
}
