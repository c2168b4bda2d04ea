/**
 * Checks synthesized CloudFormation templates against the CloudFormation resource specification
 * shipped in `@aws-cdk/aws-service-spec` (the same database aws-cdk-lib's L1 classes are generated
 * from), so an invalid template fails `npm test` instead of a deployment.
 *
 * What it checks, for every resource:
 * - the resource type exists;
 * - every property (also inside nested property types) exists for that type;
 * - required properties are present;
 * - literal values have the declared primitive type (string, number/integer, boolean, list, map,
 *   object); intrinsic functions (`Ref`, `Fn::*`, `Condition`) are accepted wherever a value is;
 * and for `AWS::CodePipeline::Pipeline` the CodePipeline quotas a template can break.
 */
import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';

/** CodePipeline quotas (AWS CodePipeline User Guide, "Quotas in AWS CodePipeline"). */
export const CODEPIPELINE_QUOTAS = {
  maxStages: 50,
  maxActionsPerStage: 50,
  maxNameLength: 100,
  minRunOrder: 1,
  maxRunOrder: 999,
  maxApprovalCustomDataLength: 500,
};

/** A CloudFormation template, as synthesized. */
export interface CfnTemplate {
  readonly Resources?: Record<string, { Type: string; Properties?: Record<string, unknown>; [key: string]: unknown }>;
  readonly [key: string]: unknown;
}

// The spec's property types (subset of @aws-cdk/service-spec-types' PropertyType we rely on).
type SpecType =
  | { type: 'string' | 'number' | 'integer' | 'boolean' | 'json' | 'date-time' | 'null' | 'tag' }
  | { type: 'ref'; reference: { $ref: string } }
  | { type: 'array' | 'map'; element: SpecType }
  | { type: 'union'; types: SpecType[] };
interface SpecProperty { type: SpecType; previousTypes?: SpecType[]; required?: boolean }
type SpecProperties = Record<string, SpecProperty>;
type Report = (path: string, message: string) => void;

// Resource attributes CloudFormation allows next to Type and Properties.
const RESOURCE_ATTRIBUTES = new Set(['Type', 'Properties', 'DependsOn', 'Metadata', 'Condition', 'DeletionPolicy', 'UpdateReplacePolicy', 'CreationPolicy', 'UpdatePolicy']);

// The spec's `tag` type: a { Key, Value } pair.
const TAG_PROPERTIES: SpecProperties = { Key: { type: { type: 'string' }, required: true }, Value: { type: { type: 'string' }, required: true } };

// CloudFormation types that are valid but not in the resource specification.
// AWS::CDK::Metadata: CDK's version-reporting resource, accepted by CloudFormation in every region.
const OUTSIDE_SPEC = new Set(['AWS::CDK::Metadata']);

/** Validates templates against the CloudFormation resource specification. Load once, reuse. */
export class CfnValidator {
  private readonly db = loadAwsServiceSpecSync();
  private readonly resourceCache = new Map<string, SpecProperties | undefined>();

  /**
   * Every problem of `template`, as `<stack>/<logicalId> (<type>): <path>: <problem>`, in template
   * order. Empty when the template is valid.
   */
  public validate(stackName: string, template: CfnTemplate): string[] {
    const errors: string[] = [];
    for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
      const where = `${stackName}/${logicalId} (${resource.Type})`;
      const report = (path: string, message: string) => errors.push(`${where}: ${path}: ${message}`);
      for (const key of Object.keys(resource)) {
        if (!RESOURCE_ATTRIBUTES.has(key)) report(key, 'is not a resource attribute');
      }
      if (OUTSIDE_SPEC.has(resource.Type)) continue;
      const spec = this.resourceProperties(resource.Type);
      if (!spec) {
        report('Type', `unknown resource type "${resource.Type}"`);
        continue;
      }
      const custom = resource.Type.startsWith('Custom::');
      const properties = resource.Properties ?? {};
      if (isIntrinsic(properties)) continue;
      this.checkObject(spec, properties, 'Properties', report, custom);
      if (resource.Type === 'AWS::CodePipeline::Pipeline') checkPipelineQuotas(properties, report);
    }
    return errors;
  }

  private resourceProperties(type: string): SpecProperties | undefined {
    if (!this.resourceCache.has(type)) {
      // Custom resources take any property besides ServiceToken.
      const lookup = type.startsWith('Custom::') ? 'AWS::CloudFormation::CustomResource' : type;
      const found = this.db.lookup('resource', 'cloudFormationType', 'equals', lookup);
      this.resourceCache.set(type, found.length === 1 ? (found[0].properties as unknown as SpecProperties) : undefined);
    }
    return this.resourceCache.get(type);
  }

  private checkObject(spec: SpecProperties, value: Record<string, unknown>, path: string, report: Report, openEnded = false) {
    for (const [name, property] of Object.entries(spec)) {
      if (property.required && value[name] === undefined) report(path, `required property "${name}" is missing`);
    }
    for (const [name, v] of Object.entries(value)) {
      const property = spec[name];
      if (!property) {
        if (!openEnded) report(`${path}.${name}`, `unknown property "${name}"${suggest(name, Object.keys(spec))}`);
        continue;
      }
      // A value may match the current type or any type the property had before (CloudFormation
      // keeps accepting them); report against the current type.
      const candidates = [property.type, ...(property.previousTypes ?? [])];
      const attempts = candidates.map((t) => {
        const found: Array<[string, string]> = [];
        this.checkValue(t, v, `${path}.${name}`, (p, m) => found.push([p, m]));
        return found;
      });
      if (attempts.some((a) => a.length === 0)) continue;
      attempts[0].forEach(([p, m]) => report(p, m));
    }
  }

  private checkValue(type: SpecType, value: unknown, path: string, report: Report) {
    if (isIntrinsic(value)) return;
    switch (type.type) {
      case 'json':
        return;
      case 'string':
      case 'date-time':
        if (typeof value !== 'string') report(path, `expected a string, got ${describe(value)}`);
        return;
      case 'integer':
        if (!(typeof value === 'number' && Number.isInteger(value))) report(path, `expected an integer, got ${describe(value)}`);
        return;
      case 'number':
        if (typeof value !== 'number') report(path, `expected a number, got ${describe(value)}`);
        return;
      case 'boolean':
        if (typeof value !== 'boolean') report(path, `expected a boolean, got ${describe(value)}`);
        return;
      case 'null':
        if (value !== null) report(path, `expected null, got ${describe(value)}`);
        return;
      case 'tag':
        if (!isPlainObject(value)) return report(path, `expected a tag { Key, Value }, got ${describe(value)}`);
        return this.checkObject(TAG_PROPERTIES, value, path, report);
      case 'array':
        if (!Array.isArray(value)) return report(path, `expected a list, got ${describe(value)}`);
        value.forEach((element, i) => this.checkValue(type.element, element, `${path}[${i}]`, report));
        return;
      case 'map':
        if (!isPlainObject(value)) return report(path, `expected a map, got ${describe(value)}`);
        Object.entries(value).forEach(([k, element]) => this.checkValue(type.element, element, `${path}.${k}`, report));
        return;
      case 'ref': {
        if (!isPlainObject(value)) return report(path, `expected an object, got ${describe(value)}`);
        const definition = this.db.get('typeDefinition', type.reference.$ref) as unknown as { properties: SpecProperties };
        return this.checkObject(definition.properties, value, path, report);
      }
      case 'union': {
        const attempts = type.types.map((t) => {
          const found: Array<[string, string]> = [];
          this.checkValue(t, value, path, (p, m) => found.push([p, m]));
          return found;
        });
        if (attempts.some((a) => a.length === 0)) return;
        // An alternative whose shape matched (its errors are deeper inside the value) says most.
        const deeper = attempts.find((a) => a.some(([p]) => p !== path));
        if (deeper) deeper.forEach(([p, m]) => report(p, m));
        else report(path, `expected ${type.types.map((t) => t.type).join(' or ')}, got ${describe(value)}`);
        return;
      }
      default:
        throw new Error(`cfn-validator does not support spec types of type ${(type as { type: string }).type}`);
    }
  }
}

/** CodePipeline structure and quotas a template can break. */
function checkPipelineQuotas(properties: Record<string, unknown>, report: Report) {
  const q = CODEPIPELINE_QUOTAS;
  const stages = properties.Stages;
  if (!Array.isArray(stages)) return;
  if (stages.length > q.maxStages) report('Properties.Stages', `${stages.length} stages; CodePipeline allows at most ${q.maxStages}`);
  const stageNames = new Set<string>();
  stages.forEach((stage: any, s) => {
    const at = `Properties.Stages[${s}]`;
    if (!isPlainObject(stage)) return;
    checkName(stage.Name, `${at}.Name`, report);
    if (typeof stage.Name === 'string') {
      if (stageNames.has(stage.Name)) report(`${at}.Name`, `duplicate stage name "${stage.Name}"`);
      stageNames.add(stage.Name);
    }
    const actions = stage.Actions;
    if (!Array.isArray(actions)) return;
    if (actions.length > q.maxActionsPerStage) report(`${at}.Actions`, `${actions.length} actions in stage "${stage.Name}"; CodePipeline allows at most ${q.maxActionsPerStage}`);
    const actionNames = new Set<string>();
    actions.forEach((action: any, a) => {
      const actionAt = `${at}.Actions[${a}]`;
      if (!isPlainObject(action)) return;
      checkName(action.Name, `${actionAt}.Name`, report);
      if (typeof action.Name === 'string') {
        if (actionNames.has(action.Name)) report(`${actionAt}.Name`, `duplicate action name "${action.Name}" in stage "${stage.Name}"`);
        actionNames.add(action.Name);
      }
      const runOrder = action.RunOrder;
      if (typeof runOrder === 'number' && (runOrder < q.minRunOrder || runOrder > q.maxRunOrder || !Number.isInteger(runOrder))) {
        report(`${actionAt}.RunOrder`, `run order ${runOrder} is outside ${q.minRunOrder}..${q.maxRunOrder}`);
      }
      const customData = action.ActionTypeId?.Category === 'Approval' ? action.Configuration?.CustomData : undefined;
      if (typeof customData === 'string' && customData.length > q.maxApprovalCustomDataLength) {
        report(`${actionAt}.Configuration.CustomData`, `${customData.length} characters; approvals allow at most ${q.maxApprovalCustomDataLength}`);
      }
    });
  });
}

function checkName(name: unknown, path: string, report: Report) {
  if (typeof name === 'string' && name.length > CODEPIPELINE_QUOTAS.maxNameLength) {
    report(path, `"${name.slice(0, 20)}..." is ${name.length} characters; CodePipeline allows at most ${CODEPIPELINE_QUOTAS.maxNameLength}`);
  }
}

/** `{ Ref }`, `{ Fn::... }` and `{ Condition }` (inside Fn::If / rules): resolved by CloudFormation. */
export function isIntrinsic(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0].startsWith('Fn::'));
}

function isPlainObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** ` (did you mean "X"?)` for a name one or two edits away from a known one. */
function suggest(name: string, known: string[]): string {
  const close = known
    .map((k) => [k, editDistance(name.toLowerCase(), k.toLowerCase())] as const)
    .filter(([, d]) => d <= 2)
    .sort((a, b) => a[1] - b[1]);
  return close.length > 0 ? ` (did you mean "${close[0][0]}"?)` : '';
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
