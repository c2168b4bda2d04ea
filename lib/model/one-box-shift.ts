/**
 * How a deployment moves a Lambda alias that customers call, for a one-box or a fleet target.
 * Pure: the custom resource reads the alias (and, when it must, its stack's status) at deploy
 * time, this decides, the handler applies it.
 *
 * Lambda routes an alias's traffic between its `FunctionVersion` and at most one additional
 * version with a weight between 0.0 and 1.0
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-traffic-shifting-using-aliases.html,
 * https://docs.aws.amazon.com/lambda/latest/api/API_AliasRoutingConfiguration.html). The version the
 * alias serves now is read at deploy time, never written into the template: the template only
 * knows the new version.
 */
import { AliasMove, parseAliasMove } from './alias-move-record';

/** The alias as read at deploy time; `undefined` when it does not exist yet. */
export interface AliasState {
  readonly functionVersion: string;
  /** `AdditionalVersionWeights`: version -> weight. */
  readonly additionalVersionWeights: Record<string, number>;
  /** The alias's description, where a fleet deployment notes its move (alias-move-record.ts). */
  readonly description?: string;
}

/** The alias-shift resource's `Version` and `Weight`, as a request carries them. */
export interface ShiftProperties {
  readonly version: string;
  readonly weight: number;
}

/** What the handler read about the request besides the alias. */
export interface ShiftContext {
  /** An Update's `OldResourceProperties`: what the resource held before this request. */
  readonly previous?: ShiftProperties;
  /**
   * The stack's `StackStatus` (DescribeStacks), read only when `mayUndoFleetMove` says the request
   * could be CloudFormation rolling a fleet deployment back.
   */
  readonly stackStatus?: string;
}

/**
 * The stack status while CloudFormation returns a stack to its configuration before a failed or
 * cancelled update (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Stack.html,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn--stack-update-cancel.html).
 */
export const STACK_ROLLING_BACK = 'UPDATE_ROLLBACK_IN_PROGRESS';

/** What to do to the alias. */
export const ALIAS_ACTION = { CREATE: 'CREATE', UPDATE: 'UPDATE', NONE: 'NONE' } as const;

export interface AliasShift {
  /** An `ALIAS_ACTION`. */
  readonly action: string;
  /** The alias's primary version after the shift. */
  readonly functionVersion: string;
  /** Additional version weights after the shift (empty = all traffic on `functionVersion`). */
  readonly additionalVersionWeights: Record<string, number>;
  /** One sentence for the CloudFormation event and the logs. */
  readonly summary: string;
  /** The fleet move this shift undoes (CloudFormation rolled the fleet deployment back). */
  readonly undoes?: AliasMove;
}

/**
 * Whether an Update may be CloudFormation rolling a fleet deployment back, so that the stack's
 * status must be read to tell: the same version, the resource going from the fleet's weight 1 to
 * a one-box weight, and an alias serving all its traffic on that version.
 *
 * When a resource after the alias shift fails in the fleet's stack update, CloudFormation rolls
 * the stack back (UPDATE_ROLLBACK_IN_PROGRESS) and sends the custom resource an Update whose
 * `ResourceProperties` are the template it returns to (the one-box's, Weight 0.1) and whose
 * `OldResourceProperties` are those of the failed update (Weight 1)
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requesttypes-update.html:
 * an Update carries the new properties and those "previously declared";
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html). The
 * request alone cannot tell that from a forward one-box deployment of the same version: the next
 * release with unchanged code (Lambda publishes no new version) sends exactly the same Update,
 * and there the alias must stay on the version customers are on. Only the stack's status differs.
 */
export function mayUndoFleetMove(current: AliasState | undefined, newVersion: string, weight: number, previous?: ShiftProperties): boolean {
  return current !== undefined && previous !== undefined
    && previous.version === newVersion && previous.weight >= 1 && weight < 1
    && current.functionVersion === newVersion && Object.keys(current.additionalVersionWeights).length === 0;
}

/**
 * Moves the alias for one deployment:
 * - no alias yet (the very first release into the region): create it on the new version; there
 *   is no previous release to share traffic with, so the new version takes all of it;
 * - `weight` 1 (a fleet deployment): every request on the new version;
 * - `weight` below 1 (a one-box): the new version takes `weight` of the requests and the version
 *   the alias serves now keeps the rest; when the alias already serves the new version (the same
 *   one-box deployed again), any split is removed;
 * - CloudFormation rolling the fleet deployment back (`mayUndoFleetMove` and the stack's status
 *   `UPDATE_ROLLBACK_IN_PROGRESS`): the one-box state before the fleet moved the alias, the version
 *   the alias's note says the fleet moved it from as primary and the new version at `weight`. Without
 *   a note of ours naming that move (someone else wrote the description, or it names another
 *   version) the version customers were on is unknown: the alias stays, and the summary says why.
 *
 * A stage rollback redeploys the previous templates: CloudFormation puts the previous code back on
 * the function and publishes it again as a new version number, which this rule then routes to like
 * any release (the controller has already reset a failed one-box's weights by then).
 */
export function decideAliasShift(current: AliasState | undefined, newVersion: string, weight: number, context: ShiftContext = {}): AliasShift {
  if (!(weight > 0 && weight <= 1)) throw new Error(`decideAliasShift: weight ${weight} must be above 0 and at most 1`);
  if (current && context.stackStatus === STACK_ROLLING_BACK && mayUndoFleetMove(current, newVersion, weight, context.previous)) {
    return undoFleetMove(current, newVersion, weight);
  }
  if (!current) {
    return {
      action: ALIAS_ACTION.CREATE,
      functionVersion: newVersion,
      additionalVersionWeights: {},
      summary: `first release: no alias yet, so no previous version to share with; created on version ${newVersion} with all traffic`,
    };
  }
  const split = Object.keys(current.additionalVersionWeights).length > 0;
  if (weight >= 1 || current.functionVersion === newVersion) {
    if (current.functionVersion === newVersion && !split) {
      return { action: ALIAS_ACTION.NONE, functionVersion: newVersion, additionalVersionWeights: {}, summary: `already routes all traffic to version ${newVersion}` };
    }
    return {
      action: ALIAS_ACTION.UPDATE,
      functionVersion: newVersion,
      additionalVersionWeights: {},
      summary: `all traffic to version ${newVersion} (was version ${current.functionVersion}${split ? ` with ${weightsText(current.additionalVersionWeights)}` : ''})`,
    };
  }
  const weights = { [newVersion]: weight };
  if (!split || current.additionalVersionWeights[newVersion] !== weight || Object.keys(current.additionalVersionWeights).length !== 1) {
    return {
      action: ALIAS_ACTION.UPDATE,
      functionVersion: current.functionVersion,
      additionalVersionWeights: weights,
      summary: `one-box: ${weightsText(weights)}, the rest stays on version ${current.functionVersion}`,
    };
  }
  return { action: ALIAS_ACTION.NONE, functionVersion: current.functionVersion, additionalVersionWeights: weights, summary: `already routes ${weightsText(weights)}` };
}

function undoFleetMove(current: AliasState, newVersion: string, weight: number): AliasShift {
  const weights = { [newVersion]: weight };
  const move = parseAliasMove(current.description);
  if (!move || move.to !== newVersion || move.from === newVersion) {
    const why = move ? `notes a move from version ${move.from} to version ${move.to}, not to version ${newVersion}` : 'records no move of ours';
    return {
      action: ALIAS_ACTION.NONE,
      functionVersion: newVersion,
      additionalVersionWeights: {},
      summary: `stack rollback of the fleet deployment: the alias's description ${why}, so the version customers were on before is unknown; `
        + `all traffic stays on version ${newVersion} until the stage rollback`,
    };
  }
  return {
    action: ALIAS_ACTION.UPDATE,
    functionVersion: move.from,
    additionalVersionWeights: weights,
    summary: `stack rollback of the fleet deployment: back to the one-box, ${weightsText(weights)}, the rest on version ${move.from} (the fleet had moved it from there)`,
    undoes: move,
  };
}

function weightsText(weights: Record<string, number>): string {
  return Object.entries(weights).map(([v, w]) => `${Math.round(w * 1000) / 10}% to version ${v}`).join(', ');
}
