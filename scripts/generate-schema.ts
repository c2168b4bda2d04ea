/**
 * Generates the JSON Schemas of the release declaration, the plan options and the release plan from
 * their TypeScript types (ts-json-schema-generator), into `schema/`. The library checks every
 * declaration and every plan file against them (Ajv), and the package ships them so that a team
 * keeping its release in JSON or YAML gets editor completion and the same errors.
 */
import * as fs from 'fs';
import * as path from 'path';
import { createGenerator } from 'ts-json-schema-generator';

const root = path.resolve(__dirname, '..');
const outDir = path.join(root, 'schema');

/** One schema file per root type: the file name users point `$schema` at. */
const SCHEMAS: ReadonlyArray<{ file: string; source: string; type: string; id: string }> = [
  { file: 'release-declaration.schema.json', source: 'lib/model/declaration.ts', type: 'ReleaseDeclaration', id: 'release-declaration' },
  { file: 'plan-options.schema.json', source: 'lib/model/release-plan.ts', type: 'PlanOptions', id: 'plan-options' },
  { file: 'release-plan.schema.json', source: 'lib/model/plan.ts', type: 'ReleasePlan', id: 'release-plan' },
];

/**
 * jsii reads `@default` as prose ("- the region's time zone", "NoDataPolicy.FAIL"); the generator
 * copies it into `default`, where an editor would offer it as a value. Keep only defaults that are
 * values of the property's own type.
 */
function withoutProseDefaults<T>(node: T): T {
  if (Array.isArray(node)) return node.map(withoutProseDefaults) as unknown as T;
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (key === 'default' && !isValueOf(value, (node as Record<string, unknown>).type)) continue;
    out[key] = withoutProseDefaults(value);
  }
  return out as T;
}

function isValueOf(value: unknown, type: unknown): boolean {
  if (type === 'integer') return Number.isInteger(value);
  if (type === 'string') return typeof value === 'string' && !value.startsWith('- ');
  return typeof type === 'string' && typeof value === type;
}

function main(): void {
  fs.mkdirSync(outDir, { recursive: true });
  for (const schema of SCHEMAS) {
    const generator = createGenerator({
      path: path.join(root, schema.source),
      type: schema.type,
      jsDoc: 'extended',
      // The types are type-checked by the compile step; the generator only reads them.
      skipTypeCheck: true,
      additionalProperties: false,
      sortProps: true,
      topRef: true,
    });
    const generated = withoutProseDefaults(generator.createSchema(schema.type));
    const document = { $id: `https://cdk-wave-pipelines/schema/${schema.file}`, ...generated };
    const target = path.join(outDir, schema.file);
    fs.writeFileSync(target, JSON.stringify(document, null, 2) + '\n');
    console.log(`generated ${path.relative(root, target)} (${schema.type})`);
  }
}

main();
