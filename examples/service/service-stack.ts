import * as cdk from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as synthetics from 'aws-cdk-lib/aws-synthetics';
import { Construct } from 'constructs';
import { DeploymentTarget, LambdaOneBox, ReleaseMonitor, regionTargets } from '../../lib';

export interface ServiceStackProps extends cdk.StackProps {
  readonly target: DeploymentTarget;
}

/** CloudFormation name of the orders API's stack of a stage: its one-box and its fleet deploy the same stack. */
export function serviceStackName(target: DeploymentTarget): string {
  return `orders-api-${target.stageName.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
}

/**
 * The example service: a Lambda function behind API Gateway, on the alias `live` that customers
 * call. The region's one-box and fleet targets deploy this same stack (same stack name): the
 * one-box deployment gives the new version 10% of the real requests on the customer endpoint while
 * the version customers are on keeps the rest; the fleet deployment moves the rest.
 *
 * Two health signals: the one-box bake watches the new version alone (Lambda metrics with its
 * `ExecutedVersion`) besides the region's aggregate alarms; the fleet bake watches the aggregate.
 * Both monitors live here, since each deployment of this stack must keep the other's.
 */
export class ServiceStack extends cdk.Stack {
  public readonly api: apigw.LambdaRestApi;
  public readonly oneBox: LambdaOneBox;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, { ...props, stackName: serviceStackName(props.target) });
    const { target } = props;

    const handler = new lambda.Function(this, 'Handler', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200, body: JSON.stringify({ ok: true }) });'),
      // The same description in both targets' templates: they are one stack.
      description: `Orders API (${target.stageName} ${target.region})`,
    });
    this.oneBox = new LambdaOneBox(this, 'Release', { target, version: handler.currentVersion, oneBoxPercent: 10 });

    this.api = new apigw.LambdaRestApi(this, 'Api', {
      // API Gateway metrics dimension by ApiName: one name per stage, shared by the stage's one-box
      // and fleet (one API), and different from every other stage's, since alpha and beta deploy
      // to the same account and region and would otherwise count each other's requests.
      restApiName: serviceStackName(target),
      handler: this.oneBox.alias,
      deployOptions: { stageName: 'prod' },
    });
    this.oneBox.addDependent(this.api);

    // The region's aggregate signal: every request, whichever version served it.
    const errors = new cloudwatch.Alarm(this, 'Errors', {
      alarmDescription: 'Orders API: 5xx errors (all versions)',
      metric: this.api.metricServerError({ period: cdk.Duration.minutes(1), statistic: 'Sum' }),
      threshold: 5,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const latency = new cloudwatch.Alarm(this, 'Latency', {
      alarmDescription: 'Orders API: p99 latency above 1.5 s (all versions)',
      metric: this.api.metricLatency({ period: cdk.Duration.minutes(1), statistic: 'p99' }),
      threshold: 1500,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
    });
    const canary = new synthetics.Canary(this, 'Canary', {
      // A fixed name: a generated one comes from the construct path, which differs between the
      // one-box and the fleet Stage, and would replace the canary at every deployment.
      canaryName: `orders-${target.stageName.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`.slice(0, 21),
      runtime: synthetics.Runtime.SYNTHETICS_NODEJS_PUPPETEER_13_0,
      schedule: synthetics.Schedule.rate(cdk.Duration.minutes(1)),
      test: synthetics.Test.custom({
        handler: 'index.handler',
        code: synthetics.Code.fromInline([
          "const synthetics = require('Synthetics');",
          'exports.handler = async () => {',
          '  const url = process.env.API_URL;',
          "  await synthetics.executeHttpStep('GET /orders', url + 'orders');",
          '};',
        ].join('\n')),
      }),
      environmentVariables: { API_URL: this.api.url },
    });

    // The one-box's own signal: only invocations the new version executed. A 1% error rate of the
    // new version is invisible in the aggregate when it takes 10% of the requests.
    const oneBoxErrorRate = new cloudwatch.Alarm(this, 'OneBoxErrorRate', {
      alarmDescription: 'Orders API one-box: error rate of the new version above 1%',
      metric: new cloudwatch.MathExpression({
        expression: '100 * errors / MAX([invocations, 1])',
        usingMetrics: { errors: this.oneBox.metricErrorsOfNewVersion(), invocations: this.oneBox.metricInvocationsOfNewVersion() },
        period: cdk.Duration.minutes(1),
        label: 'one-box error rate (%)',
      }),
      threshold: 1,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const oneBoxLatency = new cloudwatch.Alarm(this, 'OneBoxLatency', {
      alarmDescription: 'Orders API one-box: p99 duration of the new version above 1 s',
      metric: this.oneBox.metricOfNewVersion('Duration', { statistic: 'p99' }),
      threshold: 1000,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
    });

    const { oneBox, fleet } = regionTargets(target);
    if (oneBox) {
      const oneBoxMonitor = new ReleaseMonitor(this, 'OneBoxMonitor', {
        target: oneBox,
        alarms: [oneBoxErrorRate, oneBoxLatency, errors, latency],
        canaries: [canary],
        requests: this.oneBox.metricInvocationsOfNewVersion(),
      });
      // A failed one-box bake puts every request back on the version customers were on at once.
      oneBoxMonitor.addAlias(this.oneBox.alias);
    }
    const fleetMonitor = new ReleaseMonitor(this, 'FleetMonitor', {
      target: fleet,
      alarms: [errors, latency],
      canaries: [canary],
      requests: this.api.metricCount({ period: cdk.Duration.minutes(1), statistic: 'Sum' }),
    });
    // A failed fleet bake puts the alias back on the version the fleet deployment moved it from
    // (LambdaOneBox notes the move in the alias's description), without waiting for the stage rollback.
    fleetMonitor.addAlias(this.oneBox.alias);
  }
}

/** What the pipeline deploys to one target: the service stack of the target's region. */
export class ServiceStage extends cdk.Stage {
  constructor(scope: Construct, id: string, target: DeploymentTarget) {
    super(scope, id, { env: { account: target.account, region: target.region } });
    new ServiceStack(this, 'Orders', { target });
  }
}
