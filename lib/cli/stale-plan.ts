/**
 * Whether the plan file the command is about to show still describes the app: a synth that started
 * after the plan file was written and never rewrote it failed (see lib/model/synth-attempt.ts).
 */
import { CliIo } from './cli-io';
import { utcText } from './time-text';
import { synthAttemptFileFor } from '../model/synth-attempt';

/** The warning to print for `planFile`, or `undefined` when it is as new as the last synth attempt. */
export function stalePlanWarning(planFile: string, io: CliIo): string | undefined {
  const attempt = io.modifiedTime(synthAttemptFileFor(planFile));
  const written = io.modifiedTime(planFile);
  // No marker: an assembly from a version that did not write one; nothing to compare.
  if (!attempt || !written || attempt.getTime() <= written.getTime()) return undefined;
  return `warning: the plan file ${planFile} was written ${utcText(written)}, before the last synth attempt `
    + `(${utcText(attempt)}), which did not finish: it shows the pipeline as of the last successful synth. `
    + 'Run `cdk synth` again and fix its errors to see the current plan.';
}
