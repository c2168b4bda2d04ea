/**
 * Shape checks against the JSON Schemas generated from the TypeScript types at build time
 * (scripts/generate-schema.ts, shipped in `schema/`), with Ajv. Every error becomes a `Problem`
 * with the field path, the bad value and the fix; unknown keys get a "did you mean".
 *
 * The schemas, not hand-written code, decide what shape is accepted; this file only words Ajv's
 * errors for people.
 */
import type { ErrorObject, Options, ValidateFunction } from 'ajv';
import { closestName } from './did-you-mean';
import { Problem } from './problem';
import { valueKind, valueText } from './value-text';

/** The schemas the library checks against, by their file in `schema/` (`<file>.schema.json`, `<file>.validate.js`). */
export const SCHEMA_FILES = {
  release: 'release-declaration',
  planOptions: 'plan-options',
  plan: 'release-plan',
} as const;

/**
 * Ajv options of the validators generated at build time. allErrors: every problem at once;
 * verbose: the failing value and schema, to word the fix. The validators are compiled to code
 * ahead of time (Ajv standalone), so a process does not spend hundreds of milliseconds compiling
 * the schema on its first declaration.
 */
export const AJV_OPTIONS: Options = { allErrors: true, verbose: true, strict: true, allowUnionTypes: true, code: { source: true } };

/**
 * A schema of `schema/` with the validator compiled from it at build time (scripts/generate-schema.ts),
 * both loaded on first use. Each schema has a file of its own (release-schema.ts,
 * plan-options-schema.ts, plan-schema.ts) whose static requires esbuild follows, so a Lambda
 * bundle carries only the schema it checks: the handlers read plans, never declarations.
 */
export interface CompiledSchema {
  validator(): ValidateFunction;
  /** The schema document itself (as generated into `schema/`). */
  document(): JsonSchema;
}

/** The parts of a JSON Schema (draft-07, as ts-json-schema-generator writes it) the messages read. */
export interface JsonSchema {
  readonly type?: string | string[];
  readonly $ref?: string;
  readonly enum?: unknown[];
  readonly items?: JsonSchema;
  readonly properties?: Record<string, JsonSchema>;
  readonly required?: string[];
  readonly description?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly maxLength?: number;
  readonly definitions?: Record<string, JsonSchema>;
}

/**
 * Every shape problem of `value` against the schema; empty when the shape is right.
 * `root` prefixes the paths (e.g. `release`); leave it empty for paths like `production.waves[0]`.
 */
export function checkShape(schema: CompiledSchema, value: unknown, root = ''): Problem[] {
  const validate = schema.validator();
  if (validate(value)) return [];
  const document = schema.document();
  const errors = (validate.errors ?? []).filter((e) => !isNoise(e));
  const problems = errors.map((e) => toProblem(e, document, root));
  // Ajv can report one field twice (e.g. a type error seen through two schema paths).
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Ajv's summary errors of combinators repeat what their branches already said. */
function isNoise(error: ErrorObject): boolean {
  return error.keyword === 'if' || error.keyword === 'anyOf' || error.keyword === 'oneOf';
}

/** `/production/waves/0/regions` -> `production.waves[0].regions` (with `root` in front). */
export function fieldPath(instancePath: string, root = ''): string {
  let path = root;
  for (const raw of instancePath.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(segment)) path += `[${segment}]`;
    else path += path === '' ? propertyText(segment) : `.${propertyText(segment)}`;
  }
  return path === '' ? '(root)' : path;
}

function propertyText(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}...` : key);
}

function resolve(schema: JsonSchema | undefined, document: JsonSchema): JsonSchema | undefined {
  let current = schema;
  for (let hops = 0; current?.$ref !== undefined && hops < 10; hops++) {
    const name = current.$ref.replace(/^#\/definitions\//, '');
    current = { ...document.definitions?.[decodeURIComponent(name)], description: current.description ?? document.definitions?.[name]?.description };
  }
  return current;
}

function toProblem(error: ErrorObject, document: JsonSchema, root: string): Problem {
  const path = fieldPath(error.instancePath, root);
  const parent = resolve(error.parentSchema as JsonSchema | undefined, document);
  const data: unknown = error.data;
  const shown = valueText(data);
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      const known = Object.keys(parent?.properties ?? {});
      const suggestion = closestName(key, known, Math.max(2, Math.floor(key.length / 3)));
      const elsewhere = suggestion ? [] : definitionsWithProperty(document, key);
      const keyPath = childPath(path, key);
      const hint = suggestion
        ? `did you mean "${suggestion}"?`
        : elsewhere.length > 0
          ? `"${key}" belongs to ${elsewhere.join(' or ')}, not here: move it there or remove it.`
          : 'remove it.';
      return { path: keyPath, message: `is not a known field (value ${valueText((data as Record<string, unknown>)?.[key])}), so it would be ignored; ${hint} Known fields here: ${known.join(', ')}` };
    }
    case 'required': {
      const missing = String((error.params as { missingProperty: string }).missingProperty);
      const field = resolve(parent?.properties?.[missing], document);
      return { path: childPath(path, missing), message: `is missing; set it to ${expected(field, document)}${about(field)}` };
    }
    case 'type': {
      const field = resolve(error.parentSchema as JsonSchema, document);
      return { path, message: `${shown} is ${valueKind(data)}; ${typeFix(data, field, document)}` };
    }
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map(String);
      const suggestion = typeof data === 'string' ? closestName(data, allowed, Math.max(2, Math.floor(data.length / 2))) : undefined;
      return { path, message: `${shown} is not one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}${suggestion ? `; did you mean "${suggestion}"?` : '; use one of them'}` };
    }
    case 'minimum':
    case 'maximum': {
      const limit = (error.params as { limit: number }).limit;
      const word = error.keyword === 'minimum' ? 'less than the minimum' : 'more than the maximum';
      return { path, message: `${shown} is ${word} ${limit}; use ${rangeText(parent)}${about(parent)}` };
    }
    case 'maxLength': {
      const limit = (error.params as { limit: number }).limit;
      return { path, message: `${shown} is longer than ${limit} characters; use at most ${limit}${about(parent)}` };
    }
    default:
      return { path, message: `${shown} ${error.message ?? 'is not valid'}${about(parent)}` };
  }
}

function childPath(path: string, key: string): string {
  return path === '(root)' ? propertyText(key) : `${path}.${propertyText(key)}`;
}

/** The type the schema expects, in words, with an example where one helps. */
function expected(schema: JsonSchema | undefined, document: JsonSchema): string {
  const s = resolve(schema, document);
  if (!s) return 'a value';
  if (s.enum) return `one of ${s.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  switch (s.type) {
    case 'string': return 'a string';
    case 'integer': return `a whole number${rangeSuffix(s)}`;
    case 'number': return `a finite number${rangeSuffix(s)}`;
    case 'boolean': return 'true or false';
    case 'array': return `a list of ${plural(s.items, document)}`;
    case 'object': return `an object with ${objectFields(s)}`;
    default: return 'a value';
  }
}

function plural(items: JsonSchema | undefined, document: JsonSchema): string {
  const s = resolve(items, document);
  if (s?.enum) return `values from ${s.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  switch (s?.type) {
    case 'string': return 'strings';
    case 'integer': return 'whole numbers';
    case 'number': return 'numbers';
    case 'object': return `objects (${objectFields(s)})`;
    default: return 'values';
  }
}

function objectFields(s: JsonSchema): string {
  const required = new Set(s.required ?? []);
  const fields = Object.keys(s.properties ?? {}).map((k) => (required.has(k) ? k : `${k}?`));
  return fields.length === 0 ? 'no fields' : fields.join(', ');
}

function rangeSuffix(s: JsonSchema): string {
  if (s.minimum !== undefined && s.maximum !== undefined) return ` from ${s.minimum} to ${s.maximum}`;
  if (s.minimum !== undefined) return ` of ${s.minimum} or more`;
  if (s.maximum !== undefined) return ` of at most ${s.maximum}`;
  return '';
}

function rangeText(s: JsonSchema | undefined): string {
  const kind = s?.type === 'integer' ? 'a whole number' : 'a number';
  return `${kind}${s ? rangeSuffix(s) : ''}`;
}

/** ` (What the field is: ...)`, from the type's documentation. */
function about(s: JsonSchema | undefined): string {
  const text = s?.description?.split(/(?<=\.)\s+(?=[A-Z])/)[0];
  return text ? ` (${text.replace(/\.$/, '')})` : '';
}

/** The fix for a value of the wrong type: quotes, brackets, or the expected type with an example. */
function typeFix(value: unknown, s: JsonSchema | undefined, document: JsonSchema): string {
  const want = expected(s, document);
  const type = s?.type;
  if ((type === 'boolean') && (value === 'true' || value === 'false')) {
    return `write ${value} without quotes: the string ${JSON.stringify(value)} is not a boolean`;
  }
  if ((type === 'integer' || type === 'number') && typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
    return `write ${Number(value)} without quotes; expected ${want}`;
  }
  if (type === 'integer' && typeof value === 'number' && Number.isFinite(value)) {
    return `expected ${want}: use ${Math.round(value)}`;
  }
  if ((type === 'integer' || type === 'number') && typeof value === 'number') {
    return `expected ${want}${about(s)}`;
  }
  if (type === 'string' && (typeof value === 'number' || typeof value === 'boolean')) {
    return `write it in quotes: "${String(value)}"${about(s)}`;
  }
  if (type === 'array' && value !== null && typeof value !== 'object' && fitsItems(value, s?.items, document)) {
    return `expected ${want}: write it in brackets, e.g. [${valueText(value)}]${about(s)}`;
  }
  if (type === 'object' && typeof value === 'number' && s?.properties?.minutes) {
    return `expected ${want}: write { minutes: ${value} }${about(s)}`;
  }
  return `expected ${want}${about(s)}`;
}

function fitsItems(value: unknown, items: JsonSchema | undefined, document: JsonSchema): boolean {
  const item = resolve(items, document);
  if (item?.enum) return item.enum.includes(value);
  return item?.type === typeof value;
}

/** Definitions (in words) that declare `key`, for a key set on the wrong level. */
function definitionsWithProperty(document: JsonSchema, key: string): string[] {
  return Object.entries(document.definitions ?? {})
    .filter(([, d]) => d.properties !== undefined && Object.prototype.hasOwnProperty.call(d.properties, key))
    .map(([name]) => DEFINITION_WORDS[name] ?? name);
}

/** How the messages call the declaration's types. */
const DEFINITION_WORDS: Record<string, string> = {
  ReleaseDeclaration: 'the release',
  PreProductionStageSpec: 'a pre-production stage (preProduction[i])',
  ProductionSpec: 'production',
  WaveSpec: 'a production wave (production.waves[i])',
  BakeSpec: 'a bake',
  DeploymentWindowSpec: 'a window',
  ValidationSpec: 'a validation (preProduction[i].validations[j])',
};
