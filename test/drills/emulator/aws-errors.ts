/**
 * Errors shaped like the ones AWS SDK for JavaScript v3 throws: `name` is the error code,
 * `$metadata.httpStatusCode` the HTTP status, `$fault` client or server, and `$retryable` where the
 * SDK sets it (modeled retryable/throttling errors).
 * https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/the-response-object.html
 * https://aws.amazon.com/blogs/developer/service-error-handling-modular-aws-sdk-js/
 */

export interface AwsErrorOptions {
  readonly status: number;
  readonly throttling?: boolean;
  /** Sets `$retryable` (the SDK sets it on errors modeled as retryable). */
  readonly retryable?: boolean;
}

export class EmulatedAwsError extends Error {
  readonly $fault: 'client' | 'server';
  readonly $metadata: { httpStatusCode: number; requestId: string; attempts: number; totalRetryDelay: number };
  readonly $retryable?: { throttling: boolean };

  constructor(name: string, message: string, options: AwsErrorOptions) {
    super(message);
    this.name = name;
    this.$fault = options.status >= 500 ? 'server' : 'client';
    this.$metadata = { httpStatusCode: options.status, requestId: 'emulated', attempts: 1, totalRetryDelay: 0 };
    if (options.retryable || options.throttling) this.$retryable = { throttling: options.throttling ?? false };
  }
}

export function awsError(name: string, message: string, status: number, extra: Omit<AwsErrorOptions, 'status'> = {}): EmulatedAwsError {
  return new EmulatedAwsError(name, message, { status, ...extra });
}

/** The throttling error each emulated service returns, by its own name and status. */
export const THROTTLING_ERROR: Record<string, { name: string; status: number }> = {
  // CloudWatch (query protocol): https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CommonErrors.html
  cloudwatch: { name: 'Throttling', status: 400 },
  codepipeline: { name: 'ThrottlingException', status: 400 },
  codedeploy: { name: 'ThrottlingException', status: 400 },
  ssm: { name: 'ThrottlingException', status: 400 },
  // Lambda and Synthetics answer throttling with HTTP 429 TooManyRequestsException.
  lambda: { name: 'TooManyRequestsException', status: 429 },
  synthetics: { name: 'TooManyRequestsException', status: 429 },
  sts: { name: 'Throttling', status: 400 },
};

/** The "access denied" error code of each service. */
export const ACCESS_DENIED_ERROR: Record<string, string> = {
  cloudwatch: 'AccessDenied',
  codepipeline: 'AccessDeniedException',
  codedeploy: 'AccessDeniedException',
  ssm: 'AccessDeniedException',
  lambda: 'AccessDeniedException',
  synthetics: 'AccessDeniedException',
  // Elastic Load Balancing's Query API answers a denied call with AccessDenied.
  elbv2: 'AccessDenied',
  sts: 'AccessDenied',
};

/** Unknown operations fail loudly, so a gap in the emulator is noticed rather than faked. */
export function unimplemented(service: string, operation: string): Error {
  return new Error(`emulator: unimplemented ${service}.${operation}`);
}

/**
 * What the SDK's Node.js HTTP handler rejects with when the network fails before any response
 * (DNS, refused connection): the system error itself, `name` Error and a `code`, no HTTP status.
 */
export function networkError(code: 'EAI_AGAIN' | 'ECONNREFUSED' | 'ECONNRESET', host: string): Error {
  const syscall = code === 'EAI_AGAIN' ? 'getaddrinfo' : 'connect';
  return Object.assign(new Error(`${syscall} ${code} ${host}`), { code, errno: code === 'EAI_AGAIN' ? -3001 : -111, syscall, hostname: host, $metadata: {} });
}
