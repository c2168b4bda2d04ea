/**
 * The note a fleet deployment of `LambdaOneBox` leaves in the alias's description when it moves
 * the alias's primary version, e.g.
 * `cdk-wave-pipelines: moved from version 6 to version 7 at 2026-12-01T15:04:05Z`.
 *
 * Lambda keeps no alias history, and a `LambdaOneBox` deploys without CodeDeploy, so no service
 * records which version customers were on before the release. The rollback of a fleet target
 * reads this note to put the alias back on that version within seconds of a failed bake, instead
 * of waiting for the stage rollback to redeploy the previous release. The time of the move tells
 * the target's alarm rollback (`ReleaseMonitor`, alarm-rollback.ts) whether the release is still
 * young enough to be undone without the pipeline. An alias's description is at most 256 characters
 * (https://docs.aws.amazon.com/lambda/latest/api/API_UpdateAlias.html).
 */

/** How a deployment last moved the alias's primary version. */
export interface AliasMove {
  readonly from: string;
  readonly to: string;
  /** When the deployment moved it; absent in notes written before the time was recorded. */
  readonly at?: Date;
}

const PATTERN = /^cdk-wave-pipelines: moved from version (\d+) to version (\d+)(?: at (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ))?$/;

/** The description that records a move. */
export function aliasMoveDescription(move: AliasMove): string {
  const at = move.at ? ` at ${toSecond(move.at)}` : '';
  return `cdk-wave-pipelines: moved from version ${move.from} to version ${move.to}${at}`;
}

/**
 * The description once CloudFormation rolled the fleet deployment back and the alias is back on
 * the version the fleet had moved it from (one-box-shift.ts), e.g.
 * `cdk-wave-pipelines: a stack rollback undid the move from version 6 to version 7 at 2026-12-01T15:09:00Z`.
 *
 * It records no move (`parseAliasMove` gives `undefined`), on purpose. Kept, the note of the undone
 * move would date a move that no longer stands: should the alias later serve all its traffic on
 * that version again by another way, a rollback would take the note for a fleet move made then.
 * Written as the move back ("from version 7 to version 6"), it would name the version the rollback
 * just left as the one customers were on before. With no move recorded, a rollback of the target
 * ends the one-box split on the version the alias serves, which is where customers were before
 * the release; the text still tells an operator what happened to the alias, and when.
 */
export function aliasMoveUndoneDescription(move: AliasMove, at: Date): string {
  return `cdk-wave-pipelines: a stack rollback undid the move from version ${move.from} to version ${move.to} at ${toSecond(at)}`;
}

function toSecond(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The move a description records, or `undefined` when it records none (someone else wrote it, or nothing moved yet). */
export function parseAliasMove(description: string | undefined): AliasMove | undefined {
  const match = PATTERN.exec(description ?? '');
  if (!match) return undefined;
  if (!match[3]) return { from: match[1], to: match[2] };
  const at = new Date(match[3]);
  // Not a time at all (2026-13-45T99:...): not a note we wrote.
  return isNaN(at.getTime()) ? undefined : { from: match[1], to: match[2], at };
}
