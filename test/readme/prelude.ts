// The placeholders README snippets use for the reader's own code, declared so that every snippet
// compiles as written (test/readme/readme.test.ts). Add one here only for code a reader must write.
import * as cdk from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as synthetics from 'aws-cdk-lib/aws-synthetics';
import { Construct } from 'constructs';
import { DeploymentTarget } from '../../lib';

declare global {
  /** The ARN of your CodeConnections connection to the repository. */
  const connectionArn: string;

  /** Your service's stack: its alarms and canary are what the bake watches. */
  class MyServiceStack extends cdk.Stack {
    constructor(scope: Construct, id: string, props: { target: DeploymentTarget });
    readonly errorAlarm: cloudwatch.Alarm;
    readonly latencyAlarm: cloudwatch.Alarm;
    readonly canary: synthetics.Canary;
  }

  /** Your stack holding the WavePipeline. */
  class MyPipelineStack extends cdk.Stack {}
}

export {};
