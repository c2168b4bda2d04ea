/**
 * One configuration error found while validating a declaration. Validation collects every problem
 * and reports them together, before anything is synthesized.
 */
export interface Problem {
  /** Path of the offending field, e.g. `production.window.timeZone`. */
  readonly path: string;
  /** What is wrong, naming the field, the bad value and the fix. */
  readonly message: string;
}
