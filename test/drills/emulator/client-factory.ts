/**
 * The emulated AWS behind the real `ClientFactory` interface the handlers are built with. Each
 * client is a real SDK v3 client whose `send` is answered by the emulator: the handlers build the
 * same commands they send to AWS. Every call is checked against the caller's IAM grants read from
 * the synthesized templates, passed through the drill's faults (throttling, outages, denials,
 * crashes) and written to the call journal.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SSMClient } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { SyntheticsClient } from '@aws-sdk/client-synthetics';
import { ACCESS_DENIED_ERROR, awsError } from './aws-errors';
import { CloudWatchEmulator } from './cloudwatch';
import { CodeDeployEmulator } from './codedeploy';
import { CodePipelineEmulator } from './codepipeline';
import { ListenerEmulator } from './elbv2';
import { LambdaEmulator } from './lambda';
import { SsmEmulator } from './ssm';
import { StsEmulator } from './sts';
import { MonitorGrants } from './synthesized-app';
import { SyntheticsEmulator } from './synthetics';
import { ClientFactory, PipelineClients, RoleAssumptionError, TargetAccess, TargetClients } from '../../../lib/runtime/aws-clients';

export interface TargetServices {
  readonly ssm: SsmEmulator;
  readonly cloudWatch: CloudWatchEmulator;
  readonly synthetics: SyntheticsEmulator;
  readonly codeDeploy: CodeDeployEmulator;
  readonly lambda: LambdaEmulator;
  /** Listeners of the account and Region (the ECS drills register theirs). */
  readonly elbv2?: ListenerEmulator;
}

export interface Call {
  readonly invocation: number;
  readonly service: string;
  readonly operation: string;
  readonly account: string;
  readonly region: string;
  /** The monitor role used (target calls). */
  readonly roleArn?: string;
  readonly at: Date;
  readonly input: any;
  ok?: boolean;
  errorName?: string;
}

/** A fault decides, before the emulator answers, whether the call fails: an error, a hang (the invocation dies), or nothing. */
export type Fault = (call: Call) => Error | 'HANG' | undefined;

export interface EmulatedAccounts {
  readonly pipelineAccount: string;
  readonly pipelineRegion: string;
  readonly codePipeline: CodePipelineEmulator;
  readonly pipelineSsm: SsmEmulator;
  readonly sts: StsEmulator;
  /** Grants of the controller's role. */
  readonly controllerActions: Set<string>;
  readonly now: () => Date;
  target(account: string, region: string): TargetServices;
  /** Grants of a monitor role, by its ARN. */
  grantsOf(roleArn: string): MonitorGrants | undefined;
}

/** Where the current invocation stands; the harness owns it. */
export interface InvocationContext {
  id: number;
  /** Set when the invocation died (a hang: Lambda timeout); every later call of it hangs too. */
  crashed: boolean;
  onCrash?: () => void;
}

const IAM_PREFIX: Record<string, string> = {
  codepipeline: 'codepipeline', ssm: 'ssm', sts: 'sts', cloudwatch: 'cloudwatch', synthetics: 'synthetics', codedeploy: 'codedeploy', lambda: 'lambda', elbv2: 'elasticloadbalancing',
};

/** Shared by every container of the controller: what was called, and the faults in force. */
export interface CallJournal {
  readonly calls: Call[];
  readonly faults: Fault[];
  /** Runs after a call succeeded (crash injection after a given call). */
  readonly afterCall: Array<(call: Call, output: any) => void>;
}

/** One Lambda container's client factory: clients and assumed-role sessions are cached in it, as in the real one. */
export class EmulatedClientFactory implements ClientFactory {
  private readonly calls: Call[];
  private readonly faults: Fault[];
  private readonly afterCall: Array<(call: Call, output: any) => void>;
  private pipelineClients?: PipelineClients;
  private readonly targets = new Map<string, TargetClients>();
  private stsClient?: STSClient;
  /** Assumed-role credentials, cached per role like the real factory does (until 5 minutes before expiry). */
  private readonly sessions = new Map<string, Date>();

  constructor(private readonly accounts: EmulatedAccounts, private readonly invocation: InvocationContext, journal: CallJournal) {
    this.calls = journal.calls;
    this.faults = journal.faults;
    this.afterCall = journal.afterCall;
  }

  private async call(
    service: string, command: any, account: string, region: string,
    answer: (operation: string, input: any) => any, roleArn?: string, allowed?: Set<string>,
  ): Promise<any> {
    const operation = String(command.constructor.name).replace(/Command$/, '');
    const entry: Call = {
      invocation: this.invocation.id, service, operation, account, region, roleArn, at: this.accounts.now(), input: command.input,
    };
    this.calls.push(entry);
    if (this.invocation.crashed) return new Promise(() => undefined);
    for (const fault of this.faults) {
      const outcome = fault(entry);
      if (outcome === 'HANG') {
        this.crash();
        return new Promise(() => undefined);
      }
      if (outcome) {
        entry.ok = false;
        entry.errorName = outcome.name;
        throw outcome;
      }
    }
    const action = `${IAM_PREFIX[service]}:${operation}`;
    if (allowed && !allowed.has(action)) {
      entry.ok = false;
      entry.errorName = ACCESS_DENIED_ERROR[service];
      throw awsError(ACCESS_DENIED_ERROR[service], `User: ${roleArn ?? 'the controller role'} is not authorized to perform: ${action}`, 403);
    }
    try {
      const output = await Promise.resolve(answer(operation, command.input));
      entry.ok = true;
      for (const hook of this.afterCall) hook(entry, output);
      // The invocation died in a hook (a crash after this call): it never sees the answer.
      if (this.invocation.crashed) return await new Promise(() => undefined);
      return { $metadata: { httpStatusCode: 200, requestId: 'emulated', attempts: 1, totalRetryDelay: 0 }, ...output };
    } catch (err) {
      entry.ok = false;
      entry.errorName = err instanceof Error ? err.name : String(err);
      throw err;
    }
  }

  private crash(): void {
    if (this.invocation.crashed) return;
    this.invocation.crashed = true;
    this.invocation.onCrash?.();
  }

  pipeline(): PipelineClients {
    if (!this.pipelineClients) {
      const { pipelineAccount: account, pipelineRegion: region } = this.accounts;
      const allowed = this.accounts.controllerActions;
      this.pipelineClients = {
        codePipeline: answered(new CodePipelineClient(sdkConfig(region)), (c) => this.call('codepipeline', c, account, region, (op, input) => this.accounts.codePipeline.handle(op, input), undefined, allowed)),
        ssm: answered(new SSMClient(sdkConfig(region)), (c) => this.call('ssm', c, account, region, (op, input) => this.accounts.pipelineSsm.handle(op, input), undefined, allowed)),
      };
    }
    return this.pipelineClients;
  }

  /** Assumes the monitor role through STS first (cached until 5 minutes before expiry), as the real factory does, and fails the same way. */
  async target(access: TargetAccess): Promise<TargetClients> {
    const { pipelineAccount, pipelineRegion } = this.accounts;
    const expires = this.sessions.get(access.roleArn);
    if (!expires || expires.getTime() - 5 * 60_000 <= this.accounts.now().getTime()) {
      this.stsClient ??= answered(new STSClient(sdkConfig(pipelineRegion)),
        (c) => this.call('sts', c, pipelineAccount, pipelineRegion, (op, input) => this.accounts.sts.handle(op, input), undefined, this.accounts.controllerActions));
      try {
        const out = await this.stsClient.send(new AssumeRoleCommand({ RoleArn: access.roleArn, RoleSessionName: 'wave-pipelines-controller', DurationSeconds: 3600 }));
        this.sessions.set(access.roleArn, out.Credentials!.Expiration!);
      } catch (err) {
        throw new RoleAssumptionError(access.roleArn, err);
      }
    }
    return this.clientsAs(access);
  }

  /**
   * Clients that call as `access.roleArn` without assuming it: a function that runs as the role
   * (the alarm rollback runs as the target's monitor role), in its own account and Region.
   */
  clientsAs(access: TargetAccess): TargetClients {
    const key = `${access.account}/${access.region}/${access.roleArn}`;
    const cached = this.targets.get(key);
    if (cached) return cached;
    const services = this.accounts.target(access.account, access.region);
    const grants = this.accounts.grantsOf(access.roleArn);
    const allowed = grants?.actions ?? new Set<string>();
    const historyOnWildcard = grants?.alarmHistoryOnWildcard ?? false;
    const via = (service: string, answer: (op: string, input: any) => any) =>
      (c: any) => this.call(service, c, access.account, access.region, answer, access.roleArn, allowed);
    const config = sdkConfig(access.region);
    const clients: TargetClients = {
      ssm: answered(new SSMClient(config), via('ssm', (op, input) => services.ssm.handle(op, input))),
      cloudWatch: answered(new CloudWatchClient(config), via('cloudwatch', (op, input) => services.cloudWatch.handle(op, input, { alarmHistoryOnWildcard: historyOnWildcard }))),
      synthetics: answered(new SyntheticsClient(config), via('synthetics', (op, input) => services.synthetics.handle(op, input))),
      codeDeploy: answered(new CodeDeployClient(config), via('codedeploy', (op, input) => services.codeDeploy.handle(op, input))),
      lambda: answered(new LambdaClient(config), via('lambda', (op, input) => services.lambda.handle(op, input))),
      elbv2: answered(new ElasticLoadBalancingV2Client(config), via('elbv2', (op, input) => {
        if (!services.elbv2) throw new Error(`emulator: no load balancer in ${access.account}/${access.region}`);
        return services.elbv2.handle(op, input);
      })),
    };
    this.targets.set(key, clients);
    return clients;
  }
}

function sdkConfig(region: string) {
  return { region, credentials: { accessKeyId: 'EMULATED', secretAccessKey: 'emulated' } };
}

/** The client with `send` answered by the emulator instead of the network. */
function answered<T extends { send: unknown }>(client: T, send: (command: any) => Promise<any>): T {
  (client as { send: unknown }).send = send;
  return client;
}
