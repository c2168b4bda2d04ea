import * as cdk from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as synthetics from 'aws-cdk-lib/aws-synthetics';
import { Construct } from 'constructs';
import { DeploymentTarget, IDeploymentStageFactory, ReleaseMonitor } from '../../lib';

export interface GradualServiceStackProps extends cdk.StackProps {
  readonly target: DeploymentTarget;
  /** Whether the health alarm invokes the target's alarm rollback. @default true */
  readonly alarmRollback?: boolean;
}

// The drills' service: the orders API as it was before the example moved to LambdaOneBox (issue 15):
// each target its own API and function, the alias shifted by CodeDeploy (deployLambdaGradually) and
// watched by error/latency alarms and a canary. The emulator models CodeDeploy-shifted aliases; it
// does not model the one-box custom resource yet, so the drills run this shape of the service.

/**
 * The example service: a Lambda function behind API Gateway, shifted gradually by CodeDeploy,
 * watched by error and latency alarms and a Synthetics canary. Its `ReleaseMonitor` turns those
 * into the release-health signal the pipeline bakes on.
 *
 * A one-box target is a small copy of the service (its own API, named per target so its metrics are
 * its own) that the canary exercises before the fleet deploys; behind a load balancer it would be one host.
 */
export class GradualServiceStack extends cdk.Stack {
  public readonly api: apigw.LambdaRestApi;

  constructor(scope: Construct, id: string, props: GradualServiceStackProps) {
    super(scope, id, props);
    const { target } = props;

    const handler = new lambda.Function(this, 'Handler', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200, body: JSON.stringify({ ok: true }) });'),
      description: `Orders API (${target.id})`,
    });
    const live = new lambda.Alias(this, 'Live', { aliasName: 'live', version: handler.currentVersion });

    this.api = new apigw.LambdaRestApi(this, 'Api', {
      // API Gateway metrics dimension by ApiName: a name of its own per target keeps the one-box's
      // errors out of the fleet's alarms and the fleet's out of the one-box's.
      restApiName: `orders-api-${target.id}`,
      handler: live,
      deployOptions: { stageName: target.isOneBox ? 'onebox' : 'prod' },
    });

    const errors = new cloudwatch.Alarm(this, 'Errors', {
      alarmDescription: 'Orders API: 5xx errors',
      metric: this.api.metricServerError({ period: cdk.Duration.minutes(1), statistic: 'Sum' }),
      threshold: 5,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const latency = new cloudwatch.Alarm(this, 'Latency', {
      alarmDescription: 'Orders API: p99 latency above 1.5 s',
      metric: this.api.metricLatency({ period: cdk.Duration.minutes(1), statistic: 'p99' }),
      threshold: 1500,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
    });

    const canary = new synthetics.Canary(this, 'Canary', {
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

    const monitor = new ReleaseMonitor(this, 'ReleaseMonitor', {
      target,
      alarms: [errors, latency],
      canaries: [canary],
      alarmRollback: { enabled: props.alarmRollback ?? true },
    });
    // CodeDeploy shifts the alias gradually and stops with rollback on the health alarm; a one-box
    // takes 10% of invocations for 10 minutes, the fleet 25% for 5 minutes, then the rest.
    monitor.deployLambdaGradually('Deployment', live, target.isOneBox
      ? { firstPercentage: 10, firstMinutes: 10 }
      : { firstPercentage: 25, firstMinutes: 5 });
    monitor.addAlias(live);
  }
}

/** What the pipeline deploys to one target: the service stack. */
export class GradualServiceStage extends cdk.Stage {
  constructor(scope: Construct, id: string, target: DeploymentTarget, alarmRollback = true) {
    super(scope, id, { env: { account: target.account, region: target.region } });
    new GradualServiceStack(this, 'Orders', { target, alarmRollback });
  }
}

/** Builds the gradual service for every target (`alarmRollback` false: the controller is the only rollback). */
export class GradualServiceFactory implements IDeploymentStageFactory {
  constructor(private readonly alarmRollback = true) {}

  public createStage(scope: Construct, id: string, target: DeploymentTarget): cdk.Stage {
    return new GradualServiceStage(scope, id, target, this.alarmRollback);
  }
}
