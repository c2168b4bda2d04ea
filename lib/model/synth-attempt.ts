/**
 * How `wave-pipelines plan` tells a current plan file from one a failed synth left behind.
 *
 * `WavePipeline` writes a marker into the cloud assembly directory as soon as it starts building
 * (before it validates anything) and writes the plan file only once the app has synthesized. A plan
 * file older than the marker beside it therefore comes from an earlier synth: the latest attempt
 * failed, and the plan may no longer describe the app.
 */
import { planFileName } from './plan';

const PLAN_SUFFIX = /\.plan\.json$/;

/** File name of a pipeline's synth-attempt marker: `wave-pipelines.<pipeline>.synth-attempt`. */
export function synthAttemptFileName(pipelineName: string): string {
  return synthAttemptFileFor(planFileName(pipelineName));
}

/** The marker that belongs to a plan file (same directory, same pipeline). */
export function synthAttemptFileFor(planFile: string): string {
  return planFile.replace(PLAN_SUFFIX, '.synth-attempt');
}
