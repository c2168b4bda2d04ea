import { valueText } from './value-text';

/**
 * Names shared by the constructs that create resources and the runtime that finds them again.
 * Each name is derived, never looked up, so both sides agree without any registry.
 */

const MAX_ROLE_NAME = 64;

/** `[a-z0-9-]` only, collapsed dashes. */
export function slug(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

/** Stable id of a deployment target, e.g. `prod-wave-1-us-east-1-onebox`. */
export function targetId(stageName: string, region: string, kind: string): string {
  return `${slug(stageName)}-${region}-${kind === 'ONE_BOX' ? 'onebox' : 'fleet'}`;
}

/** Short deterministic hash (FNV-1a, 32 bit, base 36) to keep long names unique within limits. */
export function shortHash(value: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    // FNV-1a is defined on bit operations.
    // eslint-disable-next-line no-bitwise
    hash ^= value.charCodeAt(i);
    // eslint-disable-next-line no-bitwise
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36).padStart(7, '0');
}

function fit(name: string, max: number): string {
  if (name.length <= max) return name;
  const hash = shortHash(name);
  return `${name.slice(0, max - hash.length - 1)}-${hash}`;
}

/** IAM role in the target account that the release controller assumes to read health and roll back. */
export function monitorRoleName(pipelineName: string, target: string): string {
  return fit(`wave-${slug(pipelineName)}-${target}`, MAX_ROLE_NAME);
}

/** The composite alarm that is the release-health signal of one target. */
export function compositeAlarmName(pipelineName: string, target: string): string {
  return `${slug(pipelineName)}-${target}-release-health`;
}

/** SSM parameter (target account and region) describing what the target's health signal watches. */
export function healthParameterName(pipelineName: string, target: string): string {
  return `/cdk-wave-pipelines/${slug(pipelineName)}/${target}/health`;
}

/** Event bus (pipeline account and region) that receives the targets' alarm state changes. */
export function healthEventBusName(pipelineName: string): string {
  return `${slug(pipelineName)}-release-health`;
}

/** Default name of the stop-all-releases switch (an SSM parameter in the pipeline account). */
export function defaultStopSwitchName(pipelineName: string): string {
  return `/cdk-wave-pipelines/${slug(pipelineName)}/stop-all-releases`;
}

/** Gates the release controller drives: approval actions marked with this token in their text. */
export const GATE = { BAKE: 'BAKE', WINDOW: 'WINDOW' } as const;

/** The marker written into an approval action's text, e.g. `[wave-pipelines:BAKE:beta-us-east-1-fleet]`. */
export function gateToken(gate: string, target: string): string {
  return `[wave-pipelines:${gate}:${target}]`;
}

/** Reads a marker back; `undefined` for approvals the controller does not own. */
export function parseGateToken(text: string | undefined): { gate: string; target: string } | undefined {
  const match = /\[wave-pipelines:(BAKE|WINDOW):([a-z0-9-]+)\]/.exec(text ?? '');
  return match ? { gate: match[1], target: match[2] } : undefined;
}

/** IAM role of the release controller Lambda (pipeline account); the monitor roles trust exactly it. */
export function controllerRoleName(pipelineName: string): string {
  return fit(`wave-${slug(pipelineName)}-controller`, MAX_ROLE_NAME);
}

/** Key of one pipeline stage (wave), used by the stage's window gate. */
export function stageKey(stageName: string): string {
  return slug(stageName);
}

/** Log group of the release controller (pipeline account): one JSON line per gate decision. */
export function controllerLogGroupName(pipelineName: string): string {
  return `/cdk-wave-pipelines/${slug(pipelineName)}/release-controller`;
}

// ---------------------------------------------------------------------------------------------
// Rules the declared names must meet, because of the names derived from them
// ---------------------------------------------------------------------------------------------

/**
 * A stage or wave name becomes a CodePipeline stage name, a CDK Pipelines wave id, the start of a
 * CDK Stage id (`<name>-<region>[-OneBox]`) and so of every stack name in it, and (slugged) the
 * start of each target id. CloudFormation stack names are the strictest: letters, digits and
 * hyphens, starting with a letter (aws-cdk-lib `Stack`: /^[A-Za-z][A-Za-z0-9-]*$/;
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html).
 */
export const STAGE_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9-]*$/;

/**
 * Longest stage name: a stack name (128 characters at most) is `<name>-<region>-OneBox-<stack id>`;
 * 64 leaves 40 characters for the user's stack ids with the longest region names.
 */
export const MAX_STAGE_NAME_LENGTH = 64;

/**
 * Ids CDK Pipelines gives its own stages and actions (aws-cdk-lib
 * `pipelines/lib/helpers-internal/pipeline-graph.ts`): a wave with one of these names collides
 * ("Node with duplicate id"). Compared case-insensitively, as CodePipeline stage names are shown.
 */
export const RESERVED_STAGE_NAMES: readonly string[] = ['Source', 'Build', 'UpdatePipeline', 'Assets', 'SelfMutate'];

/** Step ids the pipeline adds after a deployment; a validation step of the same name collides. */
export const RESERVED_STEP_NAMES: readonly string[] = ['Bake', 'OneBoxBake', 'Window'];

/**
 * CodePipeline action names (validation steps): letters, digits, `.`, `@`, `_`, `-`, 1-100.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html
 */
export const ACTION_NAME_PATTERN = /^[A-Za-z0-9.@_-]{1,100}$/;

/**
 * Pipeline names: CodePipeline allows letters, digits, `.`, `@`, `_`, `-`, 1-100
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html). The name is also
 * slugged into every alarm, role, parameter and log group name, so it needs a letter or digit.
 */
export const PIPELINE_NAME_PATTERN = /^[A-Za-z0-9.@_-]{1,100}$/;

/** Length limits of the names derived from the declaration, as the services document them. */
export const NAME_LIMITS = {
  /** CloudWatch alarm names: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html */
  alarmName: 255,
  /** SSM parameter names including the parameter ARN: https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-parameter-name-constraints.html */
  parameterArn: 1011,
  /** EventBridge event bus names: https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateEventBus.html */
  eventBusName: 256,
  /** CloudWatch Logs log group names: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html */
  logGroupName: 512,
} as const;

/** Why `name` cannot be a stage or wave name, with the fix; `undefined` when it can. */
export function stageNameProblem(name: string): string | undefined {
  const shown = valueText(name);
  if (name.length === 0) return '"" is empty; give the stage a name such as "beta"';
  if (name.length > MAX_STAGE_NAME_LENGTH) {
    return `${shown} is longer than ${MAX_STAGE_NAME_LENGTH} characters; stack names derived from it (<name>-<region>-OneBox-<stack>) must fit in 128: use a shorter name`;
  }
  if (!STAGE_NAME_PATTERN.test(name)) {
    const fixed = name.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^[^A-Za-z]+/, '');
    const example = fixed && STAGE_NAME_PATTERN.test(fixed) && fixed.length <= MAX_STAGE_NAME_LENGTH ? `, e.g. "${fixed}"` : ', e.g. "beta-2"';
    return `${shown} is not a valid stage name: it becomes part of CloudFormation stack names, so use only letters, digits and "-", starting with a letter${example}`;
  }
  const reserved = RESERVED_STAGE_NAMES.find((r) => r.toLowerCase() === name.toLowerCase());
  if (reserved) {
    return `${shown} is a stage or action CDK Pipelines adds itself (${RESERVED_STAGE_NAMES.join(', ')}); choose another name, e.g. "${name}-Wave"`;
  }
  return undefined;
}

/** Why `name` cannot be a pipeline name, with the fix; `undefined` when it can. */
export function pipelineNameProblem(name: string): string | undefined {
  const shown = valueText(name);
  if (!PIPELINE_NAME_PATTERN.test(name)) {
    return `${shown} is not a valid CodePipeline name; use 1-100 letters, digits, ".", "@", "_" or "-", e.g. "orders-service"`;
  }
  if (slug(name) === '') {
    return `${shown} has no letter or digit; the pipeline name is slugged into its alarm, role and parameter names: use at least one letter or digit, e.g. "orders-service"`;
  }
  return undefined;
}
