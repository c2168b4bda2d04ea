import * as fs from 'fs';
import * as cdk from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';

/** Options of `PipelineSnapshot.templates`. */
export interface PipelineSnapshotOptions {
  /**
   * Replace every hash that follows from the content of your code or images with a placeholder.
   *
   * Without it, a change to your Lambda code or Docker image churns the snapshot of every pipeline
   * stage. Asset hashes (64 hex characters, also inside S3 keys, image tags and the asset publishing
   * commands of the pipeline) and the destination suffix of an asset's publishing id
   * (`<asset hash>:<account>-<region>-<8 hex>`) become `[ASSET HASH]`; the content hash CDK appends
   * to the logical id of a Lambda function's `currentVersion` and of an API Gateway deployment
   * (`<id><8 HEX><32 hex>`) becomes `[VERSION HASH]`. What your code is configured with (memory,
   * environment, the API's routes) stays in the snapshot.
   * @default true
   */
  readonly normalizeAssetHashes?: boolean;
}

/** `<asset hash>:<account>-<region>-<destination hash>`, as in CDK Pipelines' `cdk-assets publish` commands. */
const PUBLISH_ID = /[0-9a-f]{64}(:[0-9a-z_-]+?-)[0-9a-f]{8}\b/g;
const ASSET_HASH = /[0-9a-f]{64}/g;
/**
 * CDK renames a `lambda.Version` (currentVersion) and an `apigateway.Deployment` whenever what they
 * publish changes: their logical id is the usual path-derived id (8 upper-case hex) followed by an
 * md5 of the content (32 lower-case hex).
 */
const CONTENT_HASHED_LOGICAL_ID = /\b([A-Za-z0-9]*[0-9A-F]{8})[0-9a-f]{32}\b/g;

/**
 * Stable snapshots of a whole `WavePipeline` app, for jest snapshot tests in your own repository:
 * `expect(PipelineSnapshot.templates(app)).toMatchSnapshot()`.
 *
 * It synthesizes the app once and returns every template: the pipeline stack and the stacks of every
 * stage the pipeline deploys (nested cloud assemblies included), keyed by
 * `<assembly path>/<stack artifact id>`, in a fixed order.
 */
export class PipelineSnapshot {
  /** Every template of `app`, keyed and ordered deterministically, code-derived hashes normalized. */
  public static templates(app: cdk.Stage, options: PipelineSnapshotOptions = {}): { [key: string]: any } {
    const normalize = options.normalizeAssetHashes ?? true;
    const result: { [key: string]: any } = {};
    const visit = (assembly: cxapi.CloudAssembly, prefix: string) => {
      for (const stack of [...assembly.stacks].sort((a, b) => a.id.localeCompare(b.id))) {
        const text = fs.readFileSync(stack.templateFullPath, 'utf8');
        result[`${prefix}${stack.id}`] = JSON.parse(normalize ? PipelineSnapshot.normalize(text) : text);
      }
      for (const nested of [...assembly.nestedAssemblies].sort((a, b) => a.id.localeCompare(b.id))) {
        visit(nested.nestedAssembly, `${prefix}${nested.id}/`);
      }
    };
    visit(app.synth(), '');
    return result;
  }

  /** `text` with every code-derived hash replaced (see `PipelineSnapshotOptions.normalizeAssetHashes`). */
  public static normalize(text: string): string {
    return text
      .replace(PUBLISH_ID, '[ASSET HASH]$1[ASSET HASH]')
      .replace(ASSET_HASH, '[ASSET HASH]')
      .replace(CONTENT_HASHED_LOGICAL_ID, '$1[VERSION HASH]');
  }

  private constructor() {}
}
