// Issue 11: what CloudFormation and CodePipeline need for the example and every user to deploy.
import * as cdk from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';
import { buildExampleApp } from '../../examples/app';
import { DeploymentTarget, IDeploymentStageFactory, ReleaseDeclaration, ReleaseMonitor, WavePipeline, Weekday } from '../../lib';
import { PIPELINE_ACCOUNT, PROD_ACCOUNT, THREE_WAVES, TinyFactory, pipelineApp } from '../fixtures/apps';

/** The pipeline resource's Stages, as CloudFormation receives them. */
function stagesJson(release: ReleaseDeclaration, overrides: Parameters<typeof pipelineApp>[1] = {}): string {
  const template = pipelineApp(release, overrides).template();
  const [pipeline] = Object.values(template.findResources('AWS::CodePipeline::Pipeline')) as any[];
  return JSON.stringify(pipeline.Properties.Stages);
}

describe('rollback survives plan changes: retuning a bake or a window leaves the pipeline Stages byte-identical', () => {
  // CodePipeline rolls a stage back only to an execution started in the current pipeline structure
  // version (https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-rollback.html).
  const base = stagesJson(THREE_WAVES);
  const prod = THREE_WAVES.production;
  const retuned: Array<[string, ReleaseDeclaration]> = [
    ['bake minutes and datapoints', { ...THREE_WAVES, production: { ...prod, bake: { minutes: 240, minHealthyDatapoints: 30 }, oneBoxBake: { minutes: 45 } } }],
    ['pre-production bake minutes', { ...THREE_WAVES, preProduction: THREE_WAVES.preProduction!.map((s) => ({ ...s, bake: { minutes: 90 } })) }],
    ['window hours and weekdays', { ...THREE_WAVES, production: { ...prod, window: { startHour: 7, endHour: 20, weekdays: [Weekday.TUESDAY, Weekday.WEDNESDAY] } } }],
    ['holidays and blackouts', { ...THREE_WAVES, production: { ...prod, window: { publicHolidays: false, blackouts: ['2026-12-21..2027-01-04'] } } }],
    ['the window hold limit', { ...THREE_WAVES, production: { ...prod, maxWindowHoldMinutes: 3 * 24 * 60 } }],
  ];

  test.each(retuned)('%s', (_what, release) => {
    expect(stagesJson(release)).toBe(base);
  });

  test('a structure change (a region added) does change Stages: the test can fail', () => {
    const added: ReleaseDeclaration = { ...THREE_WAVES, production: { ...prod, waves: [...prod.waves, { regions: ['eu-central-1'] }] } };
    expect(stagesJson(added)).not.toBe(base);
  });

  test('every gate waits up to the 7-day approval limit; the controller, not the timeout, ends a bake or a hold', () => {
    const template = pipelineApp(THREE_WAVES).template();
    const [pipeline] = Object.values(template.findResources('AWS::CodePipeline::Pipeline')) as any[];
    const approvals = (pipeline.Properties.Stages as any[]).flatMap((s) => s.Actions).filter((a) => a.ActionTypeId.Category === 'Approval');
    expect(approvals.length).toBeGreaterThan(5);
    expect(new Set(approvals.map((a) => a.TimeoutInMinutes))).toEqual(new Set([10080]));
  });
});

describe('two pipelines with one pipelineName in an app', () => {
  test('are refused, naming both', () => {
    const { app } = pipelineApp(THREE_WAVES);
    const stack = new cdk.Stack(app, 'Second', { env: { account: PIPELINE_ACCOUNT, region: 'us-east-1' } });
    expect(() => new WavePipeline(stack, 'Pipeline', {
      pipelineName: 'orders',
      release: THREE_WAVES,
      stageFactory: new TinyFactory(),
      synth: new pipelines.ShellStep('Synth', { input: pipelines.CodePipelineSource.gitHub('org/repo', 'main'), commands: ['npx cdk synth'] }),
    })).toThrow('pipelineName: "orders" is already the name of the WavePipeline at PipelineStack/Pipeline in this app; their controllers, plans and alarms would share names: give each pipeline its own pipelineName');
  });
});

/** A target with `alarms` many watched alarms (names of `nameLength` characters when given). */
class ManyAlarmsFactory implements IDeploymentStageFactory {
  constructor(private readonly alarms: number, private readonly nameLength?: number) {}
  public createStage(scope: Construct, id: string, target: DeploymentTarget): cdk.Stage {
    const stage = new cdk.Stage(scope, id, { env: { account: target.account, region: target.region } });
    const stack = new cdk.Stack(stage, 'Service');
    const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=async()=>1') });
    const alarms = Array.from({ length: this.alarms }, (_, i) => new cloudwatch.Alarm(stack, `Alarm${i}`, {
      metric: fn.metricErrors(),
      threshold: 1,
      evaluationPeriods: 1,
      ...(this.nameLength ? { alarmName: `${target.id}-${i}-`.padEnd(this.nameLength, 'x') } : {}),
    }));
    new ReleaseMonitor(stack, 'Monitor', { target, alarms });
    return stage;
  }
}

describe('AWS limits of the health signal, checked at synth', () => {
  const one: ReleaseDeclaration = { production: { account: PROD_ACCOUNT, oneBox: false, waves: [{ regions: ['eu-west-1'] }] } };

  test('a composite alarm takes at most 100 children (PutCompositeAlarm)', () => {
    expect(() => pipelineApp(one, {}, new ManyAlarmsFactory(101))).toThrow(
      /Service\/Monitor\)\.alarms: 101 alarms and canary alarms, but a composite alarm takes at most 100; combine related alarms into a composite alarm of your own/);
  });

  test('an AlarmRule longer than 10,240 characters once names are resolved is refused', () => {
    expect(() => pipelineApp(one, {}, new ManyAlarmsFactory(60, 200))).toThrow(
      /the health alarm's rule may be \d+ characters once alarm names are resolved, above the 10240 CloudWatch allows/);
  });

  test('a manifest above 4 KB moves to the advanced parameter tier; small ones stay standard', () => {
    const big = pipelineApp(one, {}, new ManyAlarmsFactory(40, 120));
    const small = pipelineApp(one, {}, new ManyAlarmsFactory(2));
    const tier = (built: ReturnType<typeof pipelineApp>) => {
      const stack = built.pipeline.stageFor('prod-wave-1-eu-west-1-fleet').node.findChild('Service') as cdk.Stack;
      const [param] = Object.values(Template.fromStack(stack).findResources('AWS::SSM::Parameter')) as any[];
      return param.Properties.Tier;
    };
    expect(tier(big)).toBe('Advanced');
    expect(tier(small)).toBeUndefined();
  });
});

describe('the example deploys to a fresh account', () => {
  const { app, stack } = buildExampleApp(undefined);
  const assembly = app.synth();
  const serviceTemplates = assembly.nestedAssemblies.flatMap((n) => n.nestedAssembly.stacks)
    .map((s) => ({ id: s.stackName, template: s.template as any }));
  const resources = (type: string) => serviceTemplates.flatMap(({ id, template }) =>
    Object.values(template.Resources).filter((r: any) => r.Type === type).map((r: any) => ({ id, r })));

  test('no reserved concurrency (a new account has too little unreserved concurrency to spare)', () => {
    expect(resources('AWS::Lambda::Function').filter(({ r }) => r.Properties.ReservedConcurrentExecutions !== undefined)).toEqual([]);
  });

  test('canaries run the newest Synthetics runtime aws-cdk-lib offers', () => {
    expect(new Set(resources('AWS::Synthetics::Canary').map(({ r }) => r.Properties.RuntimeVersion))).toEqual(new Set(['syn-nodejs-puppeteer-13.0']));
  });

  test('no fixed-name resource is retained on delete (a retained name blocks delete-and-recreate)', () => {
    const pipelineTemplate = Template.fromStack(stack).toJSON();
    const all = [...serviceTemplates, { id: stack.stackName, template: pipelineTemplate }];
    const named = /^(LogGroupName|AlarmName|Name|RoleName|EventBusName|FunctionName|RestApiName)$/;
    const retainedNamed = all.flatMap(({ id, template }) => Object.entries(template.Resources)
      .filter(([, r]: [string, any]) => r.DeletionPolicy === 'Retain' && Object.keys(r.Properties ?? {}).some((k) => named.test(k)))
      .map(([logicalId]) => `${id}/${logicalId}`));
    expect(retainedNamed).toEqual([]);
  });

  test('separate signals: one-box and fleet alarms never watch the same API (API Gateway metrics dimension by ApiName)', () => {
    const apiNames = (targetSuffix: string) => new Set(serviceTemplates
      .filter(({ id }) => (targetSuffix === 'OneBox') === id.includes('OneBox'))
      .flatMap(({ template }) => Object.values(template.Resources).filter((r: any) => r.Type === 'AWS::CloudWatch::Alarm'))
      .flatMap((r: any) => (r.Properties.Dimensions ?? []).filter((d: any) => d.Name === 'ApiName').map((d: any) => JSON.stringify(d.Value))));
    const oneBox = apiNames('OneBox');
    const fleet = apiNames('Fleet');
    expect(oneBox.size).toBeGreaterThanOrEqual(8);
    expect(fleet.size).toBeGreaterThanOrEqual(8);
    expect([...oneBox].filter((n) => fleet.has(n))).toEqual([]);
  });
});
