/** The release declaration (`ReleaseDeclaration`): its schema and validator in `schema/` (see `CompiledSchema`). */
import type { ValidateFunction } from 'ajv';
import { CompiledSchema, JsonSchema } from './schema-check';

/* eslint-disable @typescript-eslint/no-require-imports -- static requires, so that esbuild inlines exactly this schema */
export const RELEASE_SCHEMA: CompiledSchema = {
  validator: (): ValidateFunction => require('../../schema/release-declaration.validate.js'),
  document: (): JsonSchema => require('../../schema/release-declaration.schema.json'),
};
/* eslint-enable @typescript-eslint/no-require-imports */
