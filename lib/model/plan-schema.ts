/** The release plan (`ReleasePlan`, the plan file the Lambda handlers read): its schema and validator in `schema/` (see `CompiledSchema`). */
import type { ValidateFunction } from 'ajv';
import { CompiledSchema, JsonSchema } from './schema-check';

/* eslint-disable @typescript-eslint/no-require-imports -- static requires, so that esbuild inlines exactly this schema */
export const RELEASE_PLAN_SCHEMA: CompiledSchema = {
  validator: (): ValidateFunction => require('../../schema/release-plan.validate.js'),
  document: (): JsonSchema => require('../../schema/release-plan.schema.json'),
};
/* eslint-enable @typescript-eslint/no-require-imports */
