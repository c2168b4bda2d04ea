/**
 * Lambda aliases of one account and region: an alias points at a version and may route a weight
 * of its traffic to one additional version.
 * https://docs.aws.amazon.com/lambda/latest/api/API_AliasRoutingConfiguration.html
 * https://docs.aws.amazon.com/lambda/latest/api/API_UpdateAlias.html
 * https://docs.aws.amazon.com/lambda/latest/api/API_CreateAlias.html
 * Every change gives the alias a new RevisionId; an UpdateAlias whose RevisionId no longer matches
 * fails with PreconditionFailedException (HTTP 412), "Only update the alias if the revision ID
 * matches the ID that's specified".
 */
import { awsError, unimplemented } from './aws-errors';

export interface AliasRecord {
  functionVersion: string;
  weights: Record<string, number>;
  revision?: number;
  /** The alias's Description: CreateAlias and UpdateAlias set it; an UpdateAlias without one leaves it. */
  description?: string;
}

export class LambdaEmulator {
  static key(functionName: string, aliasName: string): string {
    return `${functionName}:${aliasName}`;
  }

  readonly aliases = new Map<string, AliasRecord>();
  /** Every change of an alias (UpdateAlias and CodeDeploy's shifts), for the drills' journal. */
  readonly updates: Array<{ key: string; at: Date; by: string; before: AliasRecord; after: AliasRecord }> = [];
  /** Aliases created by CreateAlias (the first release into a region), for the drills' journal. */
  readonly created: Array<{ key: string; at: Date; record: AliasRecord }> = [];

  constructor(private readonly now: () => Date) {}

  setAlias(functionName: string, aliasName: string, record: AliasRecord, by = 'CodeDeploy'): void {
    const key = LambdaEmulator.key(functionName, aliasName);
    const before = this.aliases.get(key);
    const after: AliasRecord = {
      functionVersion: record.functionVersion,
      weights: { ...record.weights },
      revision: (before?.revision ?? 0) + 1,
      // Shifting traffic (CodeDeploy's UpdateAlias calls) leaves the description as it is.
      ...(before?.description !== undefined ? { description: before.description } : {}),
    };
    this.aliases.set(key, after);
    if (before) this.updates.push({ key, at: this.now(), by, before, after: { ...after, weights: { ...after.weights } } });
  }

  handle(operation: string, input: any): any {
    const key = LambdaEmulator.key(input.FunctionName, input.Name);
    const alias = this.aliases.get(key);
    if (operation === 'CreateAlias') return this.createAlias(key, input, alias);
    if (!alias) throw awsError('ResourceNotFoundException', `Alias not found: ${key}`, 404);
    switch (operation) {
      case 'GetAlias':
        return {
          AliasArn: `arn:aws:lambda:::function:${key}`,
          Name: input.Name,
          FunctionVersion: alias.functionVersion,
          RevisionId: `rev-${alias.revision ?? 0}`,
          ...(alias.description !== undefined ? { Description: alias.description } : {}),
          ...(Object.keys(alias.weights).length > 0 ? { RoutingConfig: { AdditionalVersionWeights: { ...alias.weights } } } : {}),
        };
      case 'UpdateAlias': {
        if (input.RevisionId !== undefined && input.RevisionId !== `rev-${alias.revision ?? 0}`) {
          throw awsError('PreconditionFailedException', `The RevisionId provided does not match the latest RevisionId for the Lambda alias ${key}`, 412);
        }
        const before = { functionVersion: alias.functionVersion, weights: { ...alias.weights } };
        alias.revision = (alias.revision ?? 0) + 1;
        if (input.FunctionVersion !== undefined) alias.functionVersion = input.FunctionVersion;
        if (input.RoutingConfig !== undefined) alias.weights = { ...(input.RoutingConfig.AdditionalVersionWeights ?? {}) };
        if (input.Description !== undefined) alias.description = input.Description;
        this.updates.push({ key, at: this.now(), by: 'UpdateAlias', before, after: { functionVersion: alias.functionVersion, weights: { ...alias.weights } } });
        return { Name: input.Name, FunctionVersion: alias.functionVersion, RoutingConfig: { AdditionalVersionWeights: { ...alias.weights } } };
      }
      default:
        throw unimplemented('lambda', operation);
    }
  }

  /** "ResourceConflictException: The resource already exists" when the alias exists (API_CreateAlias). */
  private createAlias(key: string, input: any, existing: AliasRecord | undefined): any {
    if (existing) throw awsError('ResourceConflictException', `Alias already exists: ${key}`, 409);
    const record: AliasRecord = {
      functionVersion: input.FunctionVersion,
      weights: { ...(input.RoutingConfig?.AdditionalVersionWeights ?? {}) },
      ...(input.Description !== undefined ? { description: input.Description } : {}),
    };
    this.aliases.set(key, record);
    this.created.push({ key, at: this.now(), record: { functionVersion: record.functionVersion, weights: { ...record.weights } } });
    return { Name: input.Name, FunctionVersion: record.functionVersion, RoutingConfig: { AdditionalVersionWeights: { ...record.weights } } };
  }
}
