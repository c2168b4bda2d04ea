import * as fs from 'fs';
import * as cdk from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';

/** Options of `PipelineSnapshot.templates`. */
export interface PipelineSnapshotOptions {
  /**
   * Replace asset hashes (64 hex characters, also inside S3 keys and image tags) with
   * `[ASSET HASH]`, so that a change to your Lambda code or Docker image does not churn the
   * snapshot of every pipeline stage.
   * @default true
   */
  readonly normalizeAssetHashes?: boolean;
}

const ASSET_HASH = /[0-9a-f]{64}/g;

/**
 * Stable snapshots of a whole `WavePipeline` app, for jest snapshot tests in your own repository:
 * `expect(PipelineSnapshot.templates(app)).toMatchSnapshot()`.
 *
 * It synthesizes the app once and returns every template: the pipeline stack and the stacks of every
 * stage the pipeline deploys (nested cloud assemblies included), keyed by
 * `<assembly path>/<stack artifact id>`, in a fixed order.
 */
export class PipelineSnapshot {
  /** Every template of `app`, keyed and ordered deterministically, asset hashes normalized. */
  public static templates(app: cdk.Stage, options: PipelineSnapshotOptions = {}): { [key: string]: any } {
    const normalize = options.normalizeAssetHashes ?? true;
    const result: { [key: string]: any } = {};
    const visit = (assembly: cxapi.CloudAssembly, prefix: string) => {
      for (const stack of [...assembly.stacks].sort((a, b) => a.id.localeCompare(b.id))) {
        const text = fs.readFileSync(stack.templateFullPath, 'utf8');
        result[`${prefix}${stack.id}`] = JSON.parse(normalize ? text.replace(ASSET_HASH, '[ASSET HASH]') : text);
      }
      for (const nested of [...assembly.nestedAssemblies].sort((a, b) => a.id.localeCompare(b.id))) {
        visit(nested.nestedAssembly, `${prefix}${nested.id}/`);
      }
    };
    visit(app.synth(), '');
    return result;
  }

  private constructor() {}
}
