/**
 * One JSON line per decision, so that CloudWatch Logs Insights can answer "why did this gate open?"
 * with `filter gate = 'BAKE' and target = '...'`.
 */

export interface DecisionLine {
  /** `info`, `warn` or `error`. */
  readonly level: string;
  /** `BAKE`, `WINDOW`, `ROLLBACK`, `BLOCKER` (an alarm blocker found) or `EVENT`. */
  readonly gate: string;
  /** Target id (BAKE, ROLLBACK, BLOCKER) or stage key (WINDOW). */
  readonly target: string;
  readonly decision: string;
  readonly reason: string;
  /** What the decision read. */
  readonly inputs: Record<string, unknown>;
}

export type DecisionLogger = (line: DecisionLine) => void;

/** Writes the line to stdout (the Lambda's log stream). */
export const consoleDecisionLogger: DecisionLogger = (line) => {
  console.log(JSON.stringify(line));
};
