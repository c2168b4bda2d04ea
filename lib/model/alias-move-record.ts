/**
 * The note a fleet deployment of `LambdaOneBox` leaves in the alias's description when it moves
 * the alias's primary version, e.g. `cdk-wave-pipelines: moved from version 6 to version 7`.
 *
 * Lambda keeps no alias history, and a `LambdaOneBox` deploys without CodeDeploy, so no service
 * records which version customers were on before the release. The rollback of a fleet target
 * reads this note to put the alias back on that version within seconds of a failed bake, instead
 * of waiting for the stage rollback to redeploy the previous release. An alias's description is
 * at most 256 characters (https://docs.aws.amazon.com/lambda/latest/api/API_UpdateAlias.html).
 */

/** How a deployment last moved the alias's primary version. */
export interface AliasMove {
  readonly from: string;
  readonly to: string;
}

const PATTERN = /^cdk-wave-pipelines: moved from version (\d+) to version (\d+)$/;

/** The description that records a move. */
export function aliasMoveDescription(move: AliasMove): string {
  return `cdk-wave-pipelines: moved from version ${move.from} to version ${move.to}`;
}

/** The move a description records, or `undefined` when it records none (someone else wrote it, or nothing moved yet). */
export function parseAliasMove(description: string | undefined): AliasMove | undefined {
  const match = PATTERN.exec(description ?? '');
  return match ? { from: match[1], to: match[2] } : undefined;
}
