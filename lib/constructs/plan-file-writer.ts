/**
 * Writing the plan file so that a failed synth never leaves a plan that looks current: a marker at
 * the start of every attempt, the plan itself only after the whole app has synthesized, replaced
 * in one rename (see lib/model/synth-attempt.ts for how the command reads them).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ReleasePlan } from '../model/plan';
import { synthAttemptFileName } from '../model/synth-attempt';

/** Records that a synth of `pipelineName` started, in the assembly directory `outdir`. */
export function markSynthAttempt(outdir: string, pipelineName: string): void {
  fs.mkdirSync(outdir, { recursive: true });
  writeAtomically(path.join(outdir, synthAttemptFileName(pipelineName)),
    `A synth of WavePipeline ${pipelineName} started here. The plan file beside it is written only when the synth succeeds; `
    + 'wave-pipelines plan warns when the plan file is older than this file.\n');
}

/**
 * Writes `plan` to `file` when `scope`'s app synthesizes. Synthesis reaches this only after every
 * construct was built and validated, so an app that throws (in its own code or in validation)
 * leaves the previous plan file, older than its marker, instead of a plan for an app that never
 * synthesized.
 */
export function writePlanFileOnSynth(scope: Construct, file: string, plan: ReleasePlan): void {
  // aws-cdk-lib's hook for constructs that add files to the cloud assembly (used by its own
  // constructs); it runs in the same pass that writes the templates.
  cdk.attachCustomSynthesis(scope, {
    onSynthesize: () => {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      writeAtomically(file, JSON.stringify(plan, null, 2) + '\n');
    },
  });
}

/** A reader sees the old file or the new one, never half of one (rename within a directory is atomic on POSIX). */
function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, file);
}
