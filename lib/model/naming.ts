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
