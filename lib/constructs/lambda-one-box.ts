import * as cdk from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { DeploymentTarget } from './deployment-target';
import { runtimeBundleDir } from './runtime-asset';

/** Share of the alias's requests a one-box takes by default, in percent. */
export const DEFAULT_ONE_BOX_PERCENT = 10;
/** Largest share a one-box may take: above it the "rest of the fleet" is no longer the majority. */
export const MAX_ONE_BOX_PERCENT = 50;

/** Props of `LambdaOneBox`. */
export interface LambdaOneBoxProps {
  /** The target this deployment is (one-box or fleet of a region). */
  readonly target: DeploymentTarget;
  /** The version holding the release, usually `fn.currentVersion`. */
  readonly version: lambda.IVersion;
  /**
   * Name of the alias customers call (API Gateway, event sources and function URLs point at it).
   * @default 'live'
   */
  readonly aliasName?: string;
  /**
   * Share of the alias's real requests the new version takes in a one-box deployment, in whole
   * percent (1-50). The fleet deployment moves the rest.
   * @default 10
   */
  readonly oneBoxPercent?: number;
}

/**
 * One-box and fleet deployment of a Lambda function behind a weighted alias, on the endpoint
 * customers call.
 *
 * Put the function, this construct and the endpoint in one service stack with the same stack name
 * for the one-box and the fleet target of a region: the one-box deployment publishes the new
 * version and gives it `oneBoxPercent` of the alias's requests while the version the alias serves
 * now keeps the rest; the fleet deployment of the same stack moves every request to it. The version
 * customers are on is read at deploy time by a custom resource, not written into the template, so
 * this works on the first release into a region (the alias is created on the new version) and
 * whatever the alias served before. The custom resource returns in seconds: the one-box bakes in the
 * pipeline's manual-approval gate, which CodePipeline does not bill, instead of inside a
 * CloudFormation or CodeDeploy action billed per minute. When the fleet's stack update fails after
 * the alias moved, CloudFormation's rollback puts the alias back as the one-box left it (the new
 * version at `oneBoxPercent`, the rest on the version customers were on).
 *
 * Alias weights: https://docs.aws.amazon.com/lambda/latest/dg/lambda-traffic-shifting-using-aliases.html
 */
export class LambdaOneBox extends Construct {
  /** The alias customers call; depends on the shift, so an integration is created after the alias exists. */
  public readonly alias: lambda.IAlias;
  /** The version of this release. */
  public readonly version: lambda.IVersion;
  /** Share of requests the new version takes after this deployment: `oneBoxPercent / 100` for a one-box, 1 for the fleet. */
  public readonly weight: number;
  /** The custom resource that moves the alias. */
  public readonly shift: cdk.CustomResource;

  private readonly aliasName: string;

  constructor(scope: Construct, id: string, props: LambdaOneBoxProps) {
    super(scope, id);
    const percent = props.oneBoxPercent ?? DEFAULT_ONE_BOX_PERCENT;
    if (!(Number.isInteger(percent) && percent >= 1 && percent <= MAX_ONE_BOX_PERCENT)) {
      throw new Error(`LambdaOneBox(${this.node.path}).oneBoxPercent: ${percent} must be a whole percentage between 1 and ${MAX_ONE_BOX_PERCENT}, e.g. ${DEFAULT_ONE_BOX_PERCENT}; a one-box takes a small share of real traffic`);
    }
    this.aliasName = props.aliasName ?? 'live';
    this.version = props.version;
    this.weight = props.target.isOneBox ? percent / 100 : 1;
    const fn = props.version.lambda;

    const onEvent = new lambda.Function(this, 'ShiftHandler', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(runtimeBundleDir('one-box-alias')),
      // The same text in the one-box and the fleet template: they deploy one stack.
      description: `Moves alias ${this.aliasName} to the new version for one-box and fleet deployments (cdk-wave-pipelines)`,
      timeout: cdk.Duration.minutes(1),
      logGroup: new logs.LogGroup(this, 'ShiftLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: cdk.RemovalPolicy.DESTROY }),
    });
    onEvent.addToRolePolicy(new iam.PolicyStatement({
      actions: ['lambda:GetAlias', 'lambda:CreateAlias', 'lambda:UpdateAlias'],
      // Lambda authorises alias calls against the function and the qualified alias ARN.
      resources: [fn.functionArn, `${fn.functionArn}:${this.aliasName}`],
    }));
    // Its own stack's status, read only for an Update that may be CloudFormation rolling a failed
    // fleet deployment back (lib/model/one-box-shift.ts `mayUndoFleetMove`).
    onEvent.addToRolePolicy(new iam.PolicyStatement({ actions: ['cloudformation:DescribeStacks'], resources: [cdk.Stack.of(this).stackId] }));
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: onEvent,
      logGroup: new logs.LogGroup(this, 'ProviderLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: cdk.RemovalPolicy.DESTROY }),
    });
    // The framework describes itself by construct path, which differs between the one-box and the
    // fleet Stage: a fixed text keeps the two templates of the stack identical but for the weight.
    const framework = provider.node.tryFindChild('framework-onEvent')?.node.defaultChild as lambda.CfnFunction | undefined;
    if (framework) framework.description = 'AWS CDK resource provider framework - onEvent (cdk-wave-pipelines alias shift)';
    this.shift = new cdk.CustomResource(this, 'Shift', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::WavePipelinesAliasShift',
      // The weight differs between the one-box and the fleet template of a stack, so every
      // deployment of a release re-reads the alias: none acts on what it read the time before.
      properties: { FunctionName: fn.functionName, AliasName: this.aliasName, Version: props.version.version, Weight: String(this.weight) },
    });

    const imported = lambda.Alias.fromAliasAttributes(this, 'Alias', { aliasName: this.aliasName, aliasVersion: props.version });
    this.alias = imported;
  }

  /**
   * A metric of the new version alone, on invocations through the alias: Lambda adds the
   * `ExecutedVersion` dimension to alias metrics
   * (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html). During a one-box
   * bake this is the one-box's own signal, apart from the rest of the region.
   */
  public metricOfNewVersion(metricName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    const fn = this.version.lambda;
    return new cloudwatch.Metric({
      namespace: 'AWS/Lambda',
      metricName,
      dimensionsMap: { FunctionName: fn.functionName, Resource: `${fn.functionName}:${this.aliasName}`, ExecutedVersion: this.version.version },
      period: cdk.Duration.minutes(1),
      statistic: 'Sum',
      ...props,
    });
  }

  /** Invocations of the new version through the alias: the requests a one-box served. */
  public metricInvocationsOfNewVersion(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metricOfNewVersion('Invocations', props);
  }

  /** Errors of the new version through the alias. */
  public metricErrorsOfNewVersion(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metricOfNewVersion('Errors', props);
  }

  /** Makes `dependent` (e.g. the API calling the alias) wait until the alias exists and routes. */
  public addDependent(dependent: Construct): void {
    dependent.node.addDependency(this.shift);
  }
}

