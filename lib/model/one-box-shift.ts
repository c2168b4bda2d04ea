/**
 * How a deployment moves a Lambda alias that customers call, for a one-box or a fleet target.
 * Pure: the custom resource reads the alias at deploy time, this decides, the handler applies it.
 *
 * Lambda routes an alias's traffic between its `FunctionVersion` and at most one additional
 * version with a weight between 0.0 and 1.0
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-traffic-shifting-using-aliases.html,
 * https://docs.aws.amazon.com/lambda/latest/api/API_AliasRoutingConfiguration.html). The version the
 * alias serves now is read at deploy time, never written into the template: the template only
 * knows the new version.
 */

/** The alias as read at deploy time; `undefined` when it does not exist yet. */
export interface AliasState {
  readonly functionVersion: string;
  /** `AdditionalVersionWeights`: version -> weight. */
  readonly additionalVersionWeights: Record<string, number>;
}

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
}

/**
 * Moves the alias for one deployment:
 * - no alias yet (the very first release into the region): create it on the new version; there
 *   is no previous release to share traffic with, so the new version takes all of it;
 * - `weight` 1 (a fleet deployment): every request on the new version;
 * - `weight` below 1 (a one-box): the new version takes `weight` of the requests and the version
 *   the alias serves now keeps the rest; when the alias already serves the new version (the same
 *   one-box deployed again), any split is removed.
 *
 * A stage rollback redeploys the previous templates: CloudFormation puts the previous code back on
 * the function and publishes it again as a new version number, which this rule then routes to like
 * any release (the controller has already reset a failed one-box's weights by then).
 */
export function decideAliasShift(current: AliasState | undefined, newVersion: string, weight: number): AliasShift {
  if (!(weight > 0 && weight <= 1)) throw new Error(`decideAliasShift: weight ${weight} must be above 0 and at most 1`);
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

function weightsText(weights: Record<string, number>): string {
  return Object.entries(weights).map(([v, w]) => `${Math.round(w * 1000) / 10}% to version ${v}`).join(', ');
}
