// The public API of cdk-wave-pipelines: what users need, deliberately. Internal wiring (the gate
// steps, the health-manifest wire format, the defaults table, the layout) is not exported.
export * from './model/declaration';
export * from './model/bake-presets';
export * from './model/plan';
export { DeploymentWindow } from './model/window/deployment-window';
export { ReleasePlanner } from './model/planner';
export { PlanOptions } from './model/release-plan';
export * from './constructs/deployment-target';
export * from './constructs/release-monitor';
export * from './constructs/release-controller';
export * from './constructs/wave-pipeline';
export * from './constructs/snapshot';
export * from './constructs/lambda-one-box';
export * from './constructs/region-targets';
export * from './constructs/ecs-one-box';
