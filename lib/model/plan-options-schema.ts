/** The plan options (`PlanOptions`): its schema and validator in `schema/` (see `CompiledSchema`). */
import type { ValidateFunction } from 'ajv';
import { CompiledSchema, JsonSchema } from './schema-check';

/* eslint-disable @typescript-eslint/no-require-imports -- static requires, so that esbuild inlines exactly this schema */
export const PLAN_OPTIONS_SCHEMA: CompiledSchema = {
  validator: (): ValidateFunction => require('../../schema/plan-options.validate.js'),
  document: (): JsonSchema => require('../../schema/plan-options.schema.json'),
};
/* eslint-enable @typescript-eslint/no-require-imports */
