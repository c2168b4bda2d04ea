import { Readable } from 'stream';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import {
  PIPELINE, PLAN, PROD_ACCOUNT, SCHEDULED_EVENT, STOP_SWITCH, STS_CREDENTIALS, WINDOW_ACTION, captureLog,
} from './fixtures';
import { gateToken, stageKey } from '../../lib/model/naming';
import { createAwsClientFactory, isTransient, MAX_ATTEMPTS, RoleAssumptionError } from '../../lib/runtime/aws-clients';
import { createControllerHandler } from '../../lib/runtime/controller';

interface FakeReply { readonly status: number; readonly body: unknown; readonly errorType?: string }

/**
 * An HTTP handler answering AWS JSON 1.1 calls by `X-Amz-Target`, so that the SDK's own retry
 * middleware runs exactly as in Lambda. Each target answers from its queue; the last reply repeats.
 */
function fakeAwsJson(replies: Record<string, FakeReply[]>) {
  const calls: string[] = [];
  const handler = {
    async handle(request: { headers: Record<string, string> }) {
      const target = request.headers['x-amz-target'];
      calls.push(target);
      const queue = replies[target];
      if (!queue) throw new Error(`unexpected call ${target}`);
      const reply = queue.length > 1 ? queue.shift()! : queue[0];
      return {
        response: {
          statusCode: reply.status,
          reason: reply.status === 200 ? 'OK' : 'Bad Request',
          headers: {
            'content-type': 'application/x-amz-json-1.1',
            'x-amzn-requestid': `req-${calls.length}`,
            ...(reply.errorType ? { 'x-amzn-errortype': `${reply.errorType}:http://internal.amazon.com/coral/com.amazon.coral.availability/` } : {}),
          },
          body: Readable.from([Buffer.from(JSON.stringify(reply.body))]),
        },
      };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs() {
      return {};
    },
    destroy() {},
  };
  return { calls, handler };
}

const THROTTLED: FakeReply = { status: 400, errorType: 'ThrottlingException', body: { __type: 'ThrottlingException', message: 'Rate exceeded' } };
// Monday 10 March 2025 13:30Z = 09:30 EDT: the us-east-1 window is open.
const NOW = new Date('2025-03-10T13:30:00Z');
const epoch = (d: Date) => d.getTime() / 1000;

function windowPipeline(getPipelineState: FakeReply[]) {
  return fakeAwsJson({
    'CodePipeline_20150709.GetPipelineState': getPipelineState,
    'CodePipeline_20150709.GetPipeline': [{
      status: 200,
      body: {
        pipeline: {
          name: PIPELINE,
          version: 3,
          roleArn: 'arn:aws:iam::111111111111:role/orders-pipeline-role',
          stages: [{
            name: 'Prod-Wave-1',
            actions: [{
              name: WINDOW_ACTION,
              actionTypeId: { category: 'Approval', owner: 'AWS', provider: 'Manual', version: '1' },
              configuration: { CustomData: `Prod-Wave-1 starts when the window of us-east-1 is open. ${gateToken('WINDOW', stageKey('Prod-Wave-1'))}` },
            }],
          }],
        },
      },
    }],
    // nothing approved yet in this release: no alarm blocker
    'CodePipeline_20150709.ListActionExecutions': [{ status: 200, body: { actionExecutionDetails: [] } }],
    'AmazonSSM.GetParameter': [{ status: 200, body: { Parameter: { Name: STOP_SWITCH, Type: 'String', Value: 'OFF', Version: 2 } } }],
    'CodePipeline_20150709.PutApprovalResult': [{ status: 200, body: { approvedAt: epoch(NOW) } }],
  });
}

const STATE_OK: FakeReply = {
  status: 200,
  body: {
    pipelineName: PIPELINE,
    pipelineVersion: 3,
    stageStates: [{
      stageName: 'Prod-Wave-1',
      latestExecution: { pipelineExecutionId: 'c7d5b0e2-8f1a-4b7e-9f3c-2a1d4e5f6a7b', status: 'InProgress' },
      actionStates: [{
        actionName: WINDOW_ACTION,
        latestExecution: { actionExecutionId: 'a-1', status: 'InProgress', lastStatusChange: epoch(NOW) - 600, token: 'window-token' },
      }],
    }],
  },
};

describe('AWS clients', () => {
  const env = { ...process.env };
  beforeAll(() => {
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE12', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' });
  });
  afterAll(() => {
    process.env = env;
  });

  test('throttling twice, then success: the SDK retries for real and the window gate opens', async () => {
    const fake = windowPipeline([THROTTLED, THROTTLED, STATE_OK]);
    const clients = createAwsClientFactory({ pipelineRegion: 'us-east-1', now: () => NOW, retryBaseDelayMs: 1, requestHandler: fake.handler });
    const { lines, log } = captureLog();
    const result = await createControllerHandler({ plan: PLAN, now: () => NOW, clients, log })(SCHEDULED_EVENT);
    expect(result.gates).toEqual([expect.objectContaining({ gate: 'WINDOW', decision: 'OPEN', result: 'APPROVED' })]);
    expect(fake.calls).toEqual([
      'CodePipeline_20150709.GetPipelineState',
      'CodePipeline_20150709.GetPipelineState',
      'CodePipeline_20150709.GetPipelineState',
      'CodePipeline_20150709.GetPipeline',
      'CodePipeline_20150709.ListActionExecutions',
      'AmazonSSM.GetParameter',
      'CodePipeline_20150709.PutApprovalResult',
    ]);
    expect(lines[0]).toMatchObject({ level: 'info', gate: 'WINDOW', decision: 'OPEN' });
  });

  test(`throttling on all ${MAX_ATTEMPTS} attempts fails the invocation and approves nothing`, async () => {
    const fake = windowPipeline([THROTTLED]);
    const clients = createAwsClientFactory({ pipelineRegion: 'us-east-1', now: () => NOW, retryBaseDelayMs: 1, requestHandler: fake.handler });
    await expect(createControllerHandler({ plan: PLAN, now: () => NOW, clients, log: () => {} })(SCHEDULED_EVENT)).rejects.toThrow('Rate exceeded');
    expect(fake.calls).toEqual(Array(MAX_ATTEMPTS).fill('CodePipeline_20150709.GetPipelineState'));
  });

  test('clients retry up to 5 attempts and time out HTTP requests well before the Lambda does', async () => {
    const clients = createAwsClientFactory({ pipelineRegion: 'eu-west-1', now: () => NOW });
    const { codePipeline, ssm } = clients.pipeline();
    expect(clients.pipeline().codePipeline).toBe(codePipeline); // one client per container
    expect(await codePipeline.config.maxAttempts()).toBe(5);
    expect(await ssm.config.retryStrategy()).toMatchObject({ mode: 'standard' });
    expect(await codePipeline.config.region()).toBe('eu-west-1');
    const http = codePipeline.config.requestHandler as unknown as { configProvider: Promise<Record<string, unknown>> };
    expect(await http.configProvider).toMatchObject({ requestTimeout: 5000, connectionTimeout: 2000 });
  });

  describe('target access', () => {
    const sts = mockClient(STSClient);
    afterAll(() => sts.restore());
    beforeEach(() => sts.reset());
    const access = { account: PROD_ACCOUNT, region: 'us-east-1', roleArn: 'arn:aws:iam::333333333333:role/wave-orders-prod-wave-1-us-east-1-fleet' };

    test('assumes the role once, caches clients per account/region/role, refreshes credentials 5 minutes before they expire', async () => {
      let now = new Date('2025-03-04T14:00:00Z');
      sts.on(AssumeRoleCommand).resolves({ ...STS_CREDENTIALS, Credentials: { ...STS_CREDENTIALS.Credentials, Expiration: new Date('2025-03-04T15:00:00Z') } });
      const clients = createAwsClientFactory({ pipelineRegion: 'us-east-1', now: () => now });
      const first = await clients.target(access);
      now = new Date('2025-03-04T14:54:00Z');
      expect(await clients.target(access)).toBe(first);
      expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 1);
      expect(first.cloudWatch).toBeInstanceOf(CloudWatchClient);
      expect(first.cloudWatch).toBe(first.cloudWatch); // created on first read, then kept
      expect(await first.cloudWatch.config.region()).toBe('us-east-1');
      now = new Date('2025-03-04T14:56:00Z');
      await clients.target(access);
      expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 2);
      const other = await clients.target({ ...access, region: 'eu-west-1' });
      expect(other).not.toBe(first);
      expect(await other.cloudWatch.config.region()).toBe('eu-west-1');
      expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, { RoleArn: access.roleArn, RoleSessionName: 'wave-pipelines-controller', DurationSeconds: 3600 });
    });

    test('a role that cannot be assumed says so, and is tried again on the next call', async () => {
      const denied = Object.assign(new Error('not authorized to perform: sts:AssumeRole'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
      sts.on(AssumeRoleCommand).rejectsOnce(denied).resolves(STS_CREDENTIALS);
      const clients = createAwsClientFactory({ pipelineRegion: 'us-east-1', now: () => NOW });
      const error = await clients.target(access).catch((e) => e);
      expect(error).toBeInstanceOf(RoleAssumptionError);
      expect(error.message).toBe(`cannot assume role ${access.roleArn}: AccessDenied: not authorized to perform: sts:AssumeRole; `
        + "deploy the target's ReleaseMonitor and check that its trust policy allows the release controller's role");
      expect(isTransient(error)).toBe(false);
      await expect(clients.target(access)).resolves.toBeDefined();
    });
  });

  // Issue 12, item 4: the SDK's own classification (@smithy/service-error-classification), not a list of ours.
  test.each([
    ['ThrottlingException', 400, undefined, true],
    ['Throttling', 400, undefined, true],
    ['TimeoutError', undefined, undefined, true],
    ['InternalServerError', 500, undefined, true],
    ['an HTTP 429 with an unknown name', 429, undefined, true],
    ['LimitExceededException', 400, undefined, true],
    ['a 502 from a proxy', 502, undefined, true],
    ['Error (connect ECONNREFUSED)', undefined, 'ECONNREFUSED', true],
    ['Error (getaddrinfo EAI_AGAIN)', undefined, 'EAI_AGAIN', true],
    ['AccessDeniedException', 403, undefined, false],
    ['ParameterNotFound', 400, undefined, false],
    ['ValidationException', 400, undefined, false],
  ])('%s (HTTP %p, code %p) is transient: %p', (name, status, code, expected) => {
    const err = Object.assign(new Error('x'), { name, ...(status ? { $metadata: { httpStatusCode: status } } : {}), ...(code ? { code } : {}) });
    expect(isTransient(err)).toBe(expected);
  });
});
