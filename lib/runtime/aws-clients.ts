/* eslint-disable import/no-extraneous-dependencies -- the Lambda runtime provides the AWS SDK (see scripts/bundle-runtime.ts) */
/**
 * AWS SDK clients of the release controller and the rollback: created once per container, cached
 * per account and region (and, in target accounts, per monitor role), with bounded retries and
 * HTTP timeouts well below the Lambda timeout.
 *
 * Each SDK package is loaded on first use (`sdk.cloudWatch()`), not when a handler bundle is
 * imported: loading the seven client packages took about 300-400 ms of CPU at a cold start (bench/README.md),
 * and an invocation needs only some of them (a sweep with no bake open: CodePipeline and SSM; a
 * rollback: CodeDeploy, Lambda and CodePipeline). Only types are imported at the top; the values
 * come from `sdk`, whose `require` esbuild leaves in place (the SDK is external), so the package
 * loads when the function first runs. Node caches the module, so mocks of a client class
 * (aws-sdk-client-mock) still intercept.
 */
import type * as CloudFormationSdk from '@aws-sdk/client-cloudformation';
import type * as CloudWatchSdk from '@aws-sdk/client-cloudwatch';
import type * as CodeDeploySdk from '@aws-sdk/client-codedeploy';
import type * as CodePipelineSdk from '@aws-sdk/client-codepipeline';
import type * as EcsSdk from '@aws-sdk/client-ecs';
import type * as Elbv2Sdk from '@aws-sdk/client-elastic-load-balancing-v2';
import type * as LambdaSdk from '@aws-sdk/client-lambda';
import type * as SsmSdk from '@aws-sdk/client-ssm';
import type * as StsSdk from '@aws-sdk/client-sts';
import type * as SyntheticsSdk from '@aws-sdk/client-synthetics';
import { isServerError, isThrottlingError, isTransientError } from '@smithy/service-error-classification';
import { ConfiguredRetryStrategy } from '@smithy/util-retry';

/* eslint-disable @typescript-eslint/no-require-imports -- a require inside a function is what makes the load lazy */
/** The SDK's client packages, each loaded on first call (then cached by Node). */
export const sdk = {
  cloudFormation: (): typeof CloudFormationSdk => require('@aws-sdk/client-cloudformation'),
  cloudWatch: (): typeof CloudWatchSdk => require('@aws-sdk/client-cloudwatch'),
  codeDeploy: (): typeof CodeDeploySdk => require('@aws-sdk/client-codedeploy'),
  codePipeline: (): typeof CodePipelineSdk => require('@aws-sdk/client-codepipeline'),
  ecs: (): typeof EcsSdk => require('@aws-sdk/client-ecs'),
  elbv2: (): typeof Elbv2Sdk => require('@aws-sdk/client-elastic-load-balancing-v2'),
  lambda: (): typeof LambdaSdk => require('@aws-sdk/client-lambda'),
  ssm: (): typeof SsmSdk => require('@aws-sdk/client-ssm'),
  sts: (): typeof StsSdk => require('@aws-sdk/client-sts'),
  synthetics: (): typeof SyntheticsSdk => require('@aws-sdk/client-synthetics'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

type CloudWatchClient = CloudWatchSdk.CloudWatchClient;
type CodeDeployClient = CodeDeploySdk.CodeDeployClient;
type CodePipelineClient = CodePipelineSdk.CodePipelineClient;
type ElasticLoadBalancingV2Client = Elbv2Sdk.ElasticLoadBalancingV2Client;
type LambdaClient = LambdaSdk.LambdaClient;
type SSMClient = SsmSdk.SSMClient;
type STSClient = StsSdk.STSClient;
type SyntheticsClient = SyntheticsSdk.SyntheticsClient;

/** Session name the controller uses in target accounts (shows in their CloudTrail). */
export const CONTROLLER_SESSION_NAME = 'wave-pipelines-controller';

/** Clients in the pipeline account and region, with the Lambda's own role. */
export interface PipelineClients {
  readonly codePipeline: CodePipelineClient;
  readonly ssm: SSMClient;
}

/**
 * Clients in a target account and region, through the target's monitor role. The factory's
 * clients are getters: each is created (and its SDK package loaded) when first read.
 */
export interface TargetClients {
  readonly ssm: SSMClient;
  readonly cloudWatch: CloudWatchClient;
  readonly synthetics: SyntheticsClient;
  readonly codeDeploy: CodeDeployClient;
  readonly lambda: LambdaClient;
  /** The one-box rollback of an ECS one-box drains its target group from the listener. */
  readonly elbv2: ElasticLoadBalancingV2Client;
}

export interface TargetAccess {
  readonly account: string;
  readonly region: string;
  /** Full ARN of the role to assume. */
  readonly roleArn: string;
}

export interface ClientFactory {
  pipeline(): PipelineClients;
  /**
   * Assumes the role (credentials cached until shortly before they expire) and returns the
   * clients. Rejects with `RoleAssumptionError` when the role cannot be assumed.
   */
  target(access: TargetAccess): Promise<TargetClients>;
}

/** The monitor role of a target could not be assumed. */
export class RoleAssumptionError extends Error {
  constructor(readonly roleArn: string, readonly cause: unknown) {
    super(`cannot assume role ${roleArn}: ${errorText(cause)}; deploy the target's ReleaseMonitor and check that its trust policy allows the release controller's role`);
    this.name = 'RoleAssumptionError';
  }
}

export interface AwsClientFactoryOptions {
  /** Region of the pipeline (and of the controller Lambda). */
  readonly pipelineRegion: string;
  /** Clock used only to tell whether cached role credentials are about to expire. */
  readonly now: () => Date;
  /**
   * Base delay of the exponential retry backoff, in ms. Tests set it tiny so that a throttled
   * call is retried for real without slowing the test down.
   * @default - the SDK's standard retry mode delays
   */
  readonly retryBaseDelayMs?: number;
  /** Replaces the HTTP handler (tests). @default - node HTTP with 2 s connect and 5 s request timeouts */
  readonly requestHandler?: unknown;
}

export const MAX_ATTEMPTS = 5;
const REQUEST_TIMEOUT_MS = 5_000;
const CONNECTION_TIMEOUT_MS = 2_000;
/** Refresh assumed-role credentials this long before they expire. */
const CREDENTIAL_MARGIN_MS = 5 * 60_000;
const SESSION_SECONDS = 3600;

interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

/** Builds the client factory used by the Lambda handlers. */
/** Retries and timeouts of every client, in `region`. */
function clientConfig(region: string, options: Pick<AwsClientFactoryOptions, 'retryBaseDelayMs' | 'requestHandler'>) {
  return {
    region,
    maxAttempts: MAX_ATTEMPTS,
    ...(options.retryBaseDelayMs !== undefined
      ? { retryStrategy: new ConfiguredRetryStrategy(MAX_ATTEMPTS, (attempt: number) => options.retryBaseDelayMs! * 2 ** attempt) }
      : { retryMode: 'standard' }),
    requestHandler: (options.requestHandler ?? { requestTimeout: REQUEST_TIMEOUT_MS, connectionTimeout: CONNECTION_TIMEOUT_MS }) as any,
  };
}

/** The target clients over one client configuration, each created on first read. */
function targetClients(config: ReturnType<typeof clientConfig> & { credentials?: unknown }): TargetClients {
  return lazyClients<TargetClients>({
    ssm: () => new (sdk.ssm().SSMClient)(config as any),
    cloudWatch: () => new (sdk.cloudWatch().CloudWatchClient)(config as any),
    synthetics: () => new (sdk.synthetics().SyntheticsClient)(config as any),
    codeDeploy: () => new (sdk.codeDeploy().CodeDeployClient)(config as any),
    lambda: () => new (sdk.lambda().LambdaClient)(config as any),
    elbv2: () => new (sdk.elbv2().ElasticLoadBalancingV2Client)(config as any),
  });
}

/**
 * Clients in the function's own account and region, with its own role: the alarm rollback runs
 * in the target's account (as the target's monitor role) and assumes nothing.
 */
export function createOwnTargetClients(region: string, options: Pick<AwsClientFactoryOptions, 'retryBaseDelayMs' | 'requestHandler'> = {}): TargetClients {
  return targetClients(clientConfig(region, options));
}

export function createAwsClientFactory(options: AwsClientFactoryOptions): ClientFactory {
  const common = (region: string) => clientConfig(region, options);

  let pipelineClients: PipelineClients | undefined;
  let sts: STSClient | undefined;
  const credentials = new Map<string, Promise<Credentials>>();
  const targets = new Map<string, TargetClients>();

  async function assume(roleArn: string): Promise<Credentials> {
    const cached = credentials.get(roleArn);
    if (cached) {
      try {
        const creds = await cached;
        if (creds.expiration.getTime() - CREDENTIAL_MARGIN_MS > options.now().getTime()) return creds;
      } catch {
        // a failed assumption is retried on the next call rather than cached
      }
    }
    const { AssumeRoleCommand, STSClient } = sdk.sts();
    sts ??= new STSClient(common(options.pipelineRegion));
    const pending = sts.send(new AssumeRoleCommand({
      RoleArn: roleArn,
      RoleSessionName: CONTROLLER_SESSION_NAME,
      DurationSeconds: SESSION_SECONDS,
    })).then((out) => {
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error('AssumeRole returned no credentials');
      return {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
        expiration: c.Expiration ?? new Date(options.now().getTime() + SESSION_SECONDS * 1000),
      };
    });
    credentials.set(roleArn, pending);
    try {
      return await pending;
    } catch (err) {
      credentials.delete(roleArn);
      throw new RoleAssumptionError(roleArn, err);
    }
  }

  return {
    pipeline() {
      pipelineClients ??= lazyClients<PipelineClients>({
        codePipeline: () => new (sdk.codePipeline().CodePipelineClient)(common(options.pipelineRegion)),
        ssm: () => new (sdk.ssm().SSMClient)(common(options.pipelineRegion)),
      });
      return pipelineClients;
    },
    async target(access) {
      // Surfaces a role that cannot be assumed here, with a clear message, rather than inside
      // the first call of some client.
      await assume(access.roleArn);
      const key = `${access.account}/${access.region}/${access.roleArn}`;
      let clients = targets.get(key);
      if (!clients) {
        clients = targetClients({ ...common(access.region), credentials: () => assume(access.roleArn) });
        targets.set(key, clients);
      }
      return clients;
    },
  };
}

/** An object whose fields are created on first read, once. */
function lazyClients<T extends object>(create: { [K in keyof T]: () => T[K] }): T {
  const clients = {} as T;
  for (const key of Object.keys(create) as Array<keyof T>) {
    let client: T[typeof key] | undefined;
    Object.defineProperty(clients, key, { enumerable: true, get: () => (client ??= create[key]()) });
  }
  return clients;
}

/** `Name: message` of an SDK error (or anything thrown). */
export function errorText(err: unknown): string {
  if (err instanceof Error) return err.name && err.name !== 'Error' ? `${err.name}: ${err.message}` : err.message;
  return String(err);
}

/** The SDK error name (`AccessDeniedException`, `ParameterNotFound`, ...). */
export function errorName(err: unknown): string {
  return err instanceof Error ? err.name : '';
}

/**
 * Whether an error (after the SDK's own retries) is a passing condition rather than a configuration
 * problem such as AccessDenied or a missing resource. The SDK's own classification decides, the one
 * its retry strategy uses: throttling (HTTP 429, `LimitExceededException`, `ThrottlingException`...),
 * timeouts, 5xx, and node network errors (`ECONNREFUSED`, `EAI_AGAIN`, `ENOTFOUND`...). A transient
 * error keeps a gate closed until the next look; it never fails a bake.
 */
export function isTransient(err: unknown): boolean {
  if (err instanceof RoleAssumptionError) return isTransient(err.cause);
  if (!(err instanceof Error)) return false;
  const sdkError = err as SdkErrorShape;
  return isThrottlingError(sdkError) || isTransientError(sdkError) || isServerError(sdkError);
}

type SdkErrorShape = Parameters<typeof isTransientError>[0];
