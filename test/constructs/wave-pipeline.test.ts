import * as fs from 'fs';
import * as cdk from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import { Construct } from 'constructs';
import { DeploymentTarget, NoDataPolicy, ReleaseMonitor, WavePipeline } from '../../lib';
import {
  PIPELINE_ACCOUNT, PREPROD_ACCOUNT, PROD_ACCOUNT, THREE_WAVES, TWELVE_REGIONS, TinyFactory, arnString, pipelineApp, pipelineStages,
} from '../fixtures/apps';

describe('WavePipeline rendering', () => {
  const built = pipelineApp(THREE_WAVES);
  const template = built.template();
  const stages = pipelineStages(template);

  test('is a CodePipeline V2 in SUPERSEDED mode', () => {
    template.hasResourceProperties('AWS::CodePipeline::Pipeline', { PipelineType: 'V2', ExecutionMode: 'SUPERSEDED', Name: 'orders' });
  });

  test('stages run in the declared order after source, synth and self-mutation', () => {
    // Assets: CDK Pipelines publishes the stages' file assets (here the alarm rollback's code, one
    // bundle for every target) before the first deployment.
    expect(stages.map((s) => s.name)).toEqual(['Source', 'Build', 'UpdatePipeline', 'Assets', 'beta', 'gamma', 'Prod-Wave-1', 'Prod-Wave-2', 'Prod-Wave-3']);
  });

  test('every deployment stage rolls back on failure, and only those', () => {
    for (const s of stages) {
      const deploys = ['beta', 'gamma'].includes(s.name) || s.name.startsWith('Prod-Wave');
      expect([s.name, s.onFailure]).toEqual([s.name, deploys ? { Result: 'ROLLBACK' } : undefined]);
    }
  });

  test('every production wave starts with one window gate, before any of its regions deploys', () => {
    for (const s of stages.filter((x) => x.name.startsWith('Prod-Wave'))) {
      const windows = s.actions.filter((a) => a.name === 'Window');
      expect([s.name, windows.length, windows[0].runOrder, windows[0].category]).toEqual([s.name, 1, 1, 'Approval']);
      expect(s.actions.filter((a) => a.name !== 'Window').every((a) => a.runOrder > 1)).toBe(true);
    }
  });

  test('in every production region: one-box deploy, one-box bake, fleet deploy, fleet bake, in that order', () => {
    for (const s of stages.filter((x) => x.name.startsWith('Prod-Wave'))) {
      const regions = built.pipeline.plan.stages.find((p) => p.name === s.name)!.regions.map((r) => r.region);
      for (const region of regions) {
        const order = (predicate: (name: string) => boolean, what: string) => {
          const found = s.actions.filter((a) => predicate(a.name));
          if (found.length !== 1) throw new Error(`${s.name}/${region}: expected one ${what}, found ${found.map((a) => a.name).join(', ') || 'none'}`);
          return found[0].runOrder;
        };
        const oneBox = `${s.name}-${region}-OneBox.`;
        const fleet = `${s.name}-${region}.`;
        const window = order((n) => n === 'Window', 'window gate');
        const oneBoxDeploy = order((n) => n.startsWith(oneBox) && n.endsWith('.Deploy'), 'one-box deploy');
        const oneBoxBake = order((n) => n === `${oneBox}OneBoxBake`, 'one-box bake');
        const fleetDeploy = order((n) => n.startsWith(fleet) && n.endsWith('.Deploy'), 'fleet deploy');
        const fleetBake = order((n) => n === `${fleet}Bake`, 'fleet bake');
        const phases = [window, oneBoxDeploy, oneBoxBake, fleetDeploy, fleetBake];
        expect(phases).toEqual([...phases].sort((a, b) => a - b));
        expect(new Set(phases).size).toBe(5);
      }
    }
  });

  test('regions of a wave deploy in parallel (same run order), waves one after another', () => {
    const wave3 = stages.find((s) => s.name === 'Prod-Wave-3')!;
    const fleetDeploys = wave3.actions.filter((a) => /^Prod-Wave-3-[a-z0-9-]+\d\.Service\.Deploy$/.test(a.name));
    expect(fleetDeploys.map((a) => a.name).sort()).toEqual([
      'Prod-Wave-3-ca-central-1.Service.Deploy', 'Prod-Wave-3-sa-east-1.Service.Deploy', 'Prod-Wave-3-us-west-2.Service.Deploy',
    ]);
    expect(new Set(fleetDeploys.map((a) => a.runOrder)).size).toBe(1);
  });

  test('bake and window gates are approvals carrying the controller token and the rule', () => {
    const wave1 = stages.find((s) => s.name === 'Prod-Wave-1')!;
    const bake = wave1.actions.find((a) => a.name === 'Prod-Wave-1-eu-west-1.Bake')!;
    expect(bake.category).toBe('Approval');
    expect(bake.configuration.CustomData).toContain('[wave-pipelines:BAKE:prod-wave-1-eu-west-1-fleet]');
    expect(bake.configuration.CustomData).toBe('Bake of prod-wave-1-eu-west-1-fleet: its health alarm must stay OK for the bake time in the release plan. '
      + 'Approved or rejected by the release controller; approving by hand skips the bake. [wave-pipelines:BAKE:prod-wave-1-eu-west-1-fleet]');
    const window = wave1.actions.find((a) => a.name === 'Window')!;
    expect(window.category).toBe('Approval');
    expect(window.configuration.CustomData).toBe('Prod-Wave-1 starts when the deployment window of eu-west-1 is open. '
      + 'Stop switch /cdk-wave-pipelines/orders/stop-all-releases. Opened by the release controller; hours and holidays in its plan. [wave-pipelines:WINDOW:prod-wave-1]');
    const wave3 = stages.find((s) => s.name === 'Prod-Wave-3')!.actions.find((a) => a.name === 'Window')!;
    expect(wave3.configuration.CustomData).toBe('Prod-Wave-3 starts when the deployment windows of all its regions (us-west-2, ca-central-1, sa-east-1) are open at once. '
      + 'Stop switch /cdk-wave-pipelines/orders/stop-all-releases. Opened by the release controller; hours and holidays in its plan. [wave-pipelines:WINDOW:prod-wave-3]');
    for (const s of stages) for (const a of s.actions) expect((a.configuration?.CustomData ?? '').length).toBeLessThanOrEqual(500);
    // "Review" on a gate opens the controller's decision log: why a wave holds, why a bake failed.
    const log = 'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/$252Fcdk-wave-pipelines$252Forders$252Frelease-controller';
    expect([bake.configuration.ExternalEntityLink, window.configuration.ExternalEntityLink]).toEqual([log, log]);
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/cdk-wave-pipelines/orders/release-controller', RetentionInDays: 365 });
  });

  test('pre-production: validations run after the deployment and before the bake; no window gate', () => {
    const gamma = stages.find((s) => s.name === 'gamma')!;
    const deploy = gamma.actions.find((a) => a.name.endsWith('Deploy'))!;
    const integ = gamma.actions.find((a) => a.name.endsWith('Integ'))!;
    const bake = gamma.actions.find((a) => a.name.endsWith('Bake'))!;
    expect(integ.provider).toBe('CodeBuild');
    expect(deploy.runOrder).toBeLessThan(integ.runOrder);
    expect(integ.runOrder).toBeLessThan(bake.runOrder);
    expect(gamma.actions.filter((a) => a.name.endsWith('Window'))).toEqual([]);
  });

  test('a zero-minute bake renders no bake gate', () => {
    const { template: t } = pipelineApp({ production: { account: PROD_ACCOUNT, oneBox: false, bake: { minutes: 0 }, waves: [{ regions: ['us-east-1'] }] } });
    const wave = pipelineStages(t()).find((s) => s.name === 'Prod-Wave-1')!;
    expect(wave.actions.map((a) => a.name)).toEqual(['Window', 'us-east-1-Service.Prepare', 'us-east-1-Service.Deploy']);
  });

  test('the release controller runs every minute, on approval start and on forwarded health alarms', () => {
    template.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs24.x', Handler: 'index.handler', Timeout: 120, ReservedConcurrentExecutions: Match.absent() });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)' });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'source': ['aws.codepipeline'], 'detail-type': ['CodePipeline Action Execution State Change'], 'detail': { pipeline: ['orders'], state: ['STARTED'], type: { category: ['Approval'] } } },
    });
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'orders-release-health' });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: Match.anyValue(),
      EventPattern: { 'source': ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'], 'detail': { state: { value: ['ALARM'] } } },
    });
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/cdk-wave-pipelines/orders/stop-all-releases', Value: 'OFF' });
    // The operators' rollback function shares the controller role (the one the monitor roles trust).
    const functions = Object.values(template.findResources('AWS::Lambda::Function')) as any[];
    const ours = functions.filter((f) => String(f.Properties.Description).startsWith('cdk-wave-pipelines'));
    expect(ours.map((f) => f.Properties.Description).sort()).toEqual([
      'cdk-wave-pipelines release controller of orders', 'cdk-wave-pipelines rollback of one target of orders (for operators)',
    ]);
    expect(new Set(ours.map((f) => JSON.stringify(f.Properties.Role))).size).toBe(1);
  });
});

describe('ReleaseMonitor in the targets', () => {
  const built = pipelineApp(THREE_WAVES);
  const stage = built.pipeline.stageFor('prod-wave-1-eu-west-1-onebox');
  const service = Template.fromStack(stage.node.findChild('Service') as cdk.Stack);

  test('one composite alarm per target, named after the pipeline and target', () => {
    service.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 1);
    service.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', { AlarmName: 'orders-prod-wave-1-eu-west-1-onebox-release-health' });
  });

  test('forwards ALARM of its composite alarm to the pipeline account health bus', () => {
    const rules = Object.values(service.findResources('AWS::Events::Rule')) as any[];
    expect(rules).toHaveLength(1);
    expect(rules[0].Properties.EventPattern['detail-type']).toEqual(['CloudWatch Alarm State Change']);
    expect(rules[0].Properties.EventPattern.detail).toEqual({ state: { value: ['ALARM'] } });
    expect(arnString(rules[0].Properties.Targets[0].Arn)).toBe(`arn:aws:events:us-east-1:${PIPELINE_ACCOUNT}:event-bus/orders-release-health`);
  });

  test('its monitor role trusts only the controller role of the pipeline account and Lambda (the role of the target\'s own alarm rollback)', () => {
    const roles = service.findResources('AWS::IAM::Role', { Properties: { RoleName: 'wave-orders-prod-wave-1-eu-west-1-onebox' } });
    const [[roleId, role]] = Object.entries(roles) as any[];
    expect(arnString(role.Properties.AssumeRolePolicyDocument.Statement)).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PIPELINE_ACCOUNT}:role/wave-orders-controller` } },
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
    // The only function of the stack that runs as the role is the alarm rollback.
    const functions = Object.values(service.findResources('AWS::Lambda::Function')).filter((f: any) => f.Properties.Role?.['Fn::GetAtt']?.[0] === roleId) as any[];
    expect(functions.map((f) => f.Properties.Environment.Variables.WAVE_TARGET_ID)).toEqual(['prod-wave-1-eu-west-1-onebox']);
  });

  test('writes the health manifest the controller reads', () => {
    const params = service.findResources('AWS::SSM::Parameter', { Properties: { Name: '/cdk-wave-pipelines/orders/prod-wave-1-eu-west-1-onebox/health' } });
    expect(Object.keys(params)).toHaveLength(1);
  });
});

describe('IAM scoping', () => {
  const { template, stack } = pipelineApp(TWELVE_REGIONS);
  const t = template();

  test('no policy of the controller grants a "*" action, and it assumes only the monitor roles', () => {
    const policies = Object.values(t.findResources('AWS::IAM::Policy')) as any[];
    const controller = policies.filter((p) => JSON.stringify(p.Properties.Roles).includes('ControllerRole'));
    expect(controller).toHaveLength(1);
    const statements = controller[0].Properties.PolicyDocument.Statement as any[];
    for (const s of statements) {
      for (const action of [s.Action].flat()) expect(action).not.toMatch(/\*/);
    }
    const assume = statements.find((s) => s.Action === 'sts:AssumeRole');
    const roles = arnString(stack.resolve(assume.Resource)) as string[];
    // alpha (1 region) + gamma (2 regions), then one-box and fleet in each of 12 production regions
    expect(roles).toHaveLength(1 + 2 + 12 * 2);
    for (const r of roles) expect(r).toMatch(/^arn:aws:iam::(222222222222|333333333333):role\/wave-orders-[a-z0-9-]+$/);
  });

  test('three accounts, twelve production regions: every region deployed once, bus open to exactly the target accounts', () => {
    const bus = Object.values(t.findResources('AWS::Events::EventBusPolicy')) as any[];
    const principals = bus.map((b) => JSON.stringify(b.Properties)).join(' ');
    expect(principals).toContain(PREPROD_ACCOUNT);
    expect(principals).toContain(PROD_ACCOUNT);
    expect(principals).not.toContain('"*"');
  });
});

describe('invalid props fail before anything is synthesized, naming field, value and fix', () => {
  test('a region typo', () => {
    expect(() => pipelineApp({ production: { account: PROD_ACCOUNT, waves: [{ regions: ['us-east-9'] }] } }))
      .toThrow('production.waves[0].regions[0]: "us-east-9" is not an AWS region; did you mean "us-east-1"?');
  });
  test('an account id with dashes', () => {
    expect(() => pipelineApp({ production: { account: '3333-3333-3333', waves: [{ regions: ['us-east-1'] }] } }))
      .toThrow('production.account: "3333-3333-3333" is not a 12-digit AWS account id; write it as "333333333333" (digits only)');
  });
  test('a stage factory that forgets the ReleaseMonitor', () => {
    expect(() => pipelineApp(THREE_WAVES, {}, new TinyFactory(false)))
      .toThrow(/stageFactory\(beta-us-west-2-fleet\): has no ReleaseMonitor for target "beta-us-west-2-fleet"/);
  });
  test('PARALLEL execution mode', () => {
    expect(() => pipelineApp(THREE_WAVES, { executionMode: codepipeline.ExecutionMode.PARALLEL }))
      .toThrow(/executionMode: PARALLEL is not supported/);
  });
  test('a pipeline stack without an explicit environment', () => {
    const app = new cdk.App();
    const stack = new cdk.Stack(app, 'NoEnv');
    expect(() => new WavePipeline(stack, 'P', { pipelineName: 'x', release: THREE_WAVES, stageFactory: new TinyFactory(), synth: undefined as any }))
      .toThrow(/env: the stack NoEnv has no explicit account and region/);
  });
});

describe('determinism', () => {
  test('two synths give byte-identical templates and the same plan file', () => {
    const synth = () => {
      const { app, pipeline } = pipelineApp(THREE_WAVES);
      const asm = app.synth();
      const files = asm.stacks.map((s) => [s.stackName, fs.readFileSync(s.templateFullPath, 'utf8')]);
      for (const nested of asm.nestedAssemblies) {
        for (const s of nested.nestedAssembly.stacks) files.push([s.stackName, fs.readFileSync(s.templateFullPath, 'utf8')]);
      }
      return { files, plan: fs.readFileSync(pipeline.planFile, 'utf8') };
    };
    const a = synth();
    const b = synth();
    expect(a.files.length).toBeGreaterThan(10);
    expect(b.files).toEqual(a.files);
    expect(b.plan).toEqual(a.plan);
    expect(JSON.parse(a.plan).pipelineName).toBe('orders');
  });
});

describe('warnings a user can acknowledge', () => {
  const warnings = (built: ReturnType<typeof pipelineApp>) =>
    Annotations.fromStack(built.stack).findWarning('*', Match.anyValue()).map((w) => String(w.entry.data));

  test('none for the default release', () => {
    expect(warnings(pipelineApp(THREE_WAVES))).toEqual([]);
  });

  test('production without bake or one-box, and bakes that pass without data, are called out', () => {
    const found = warnings(pipelineApp({
      production: { account: PROD_ACCOUNT, oneBox: false, bake: { minutes: 0 }, waves: [{ regions: ['us-east-1'] }, { regions: ['eu-west-1'], bake: { minutes: 30, noData: NoDataPolicy.PASS_WITH_WARNING } }] },
    }));
    expect(found).toEqual([
      'production targets without a bake: prod-wave-1-us-east-1-fleet; nothing watches them after deployment, so a bad release reaches the next wave. Give them bake: { minutes: 30 } or acknowledge this warning. [ack: cdk-wave-pipelines:productionWithoutBake]',
      'production has no one-box deployments (production.oneBox: false): every region takes the new release on its whole fleet at once. Acknowledge this warning if that is intended. [ack: cdk-wave-pipelines:productionWithoutOneBox]',
      'bakes that pass when no alarm had data: prod-wave-2-eu-west-1-fleet; a target nobody measured is not known to be healthy. [ack: cdk-wave-pipelines:bakePassesWithoutData]',
    ]);
  });
});

describe('a stage with two ReleaseMonitors for one target', () => {
  class TwoMonitors extends TinyFactory {
    public createStage(scope: Construct, id: string, target: DeploymentTarget): cdk.Stage {
      const stage = super.createStage(scope, id, target);
      const stack = new cdk.Stack(stage, 'Extra');
      const alarm = new cloudwatch.Alarm(stack, 'A', { metric: new cloudwatch.Metric({ namespace: 'X', metricName: 'Y' }), threshold: 1, evaluationPeriods: 1 });
      new ReleaseMonitor(stack, 'Monitor', { target, alarms: [alarm] });
      return stage;
    }
  }
  test('is refused: both would create the same alarm and role names', () => {
    expect(() => pipelineApp({ production: { account: PROD_ACCOUNT, oneBox: false, waves: [{ regions: ['us-east-1'] }] } }, {}, new TwoMonitors()))
      .toThrow('stageFactory(prod-wave-1-us-east-1-fleet): has 2 ReleaseMonitors for target "prod-wave-1-us-east-1-fleet" '
        + '(PipelineStack/Pipeline/Prod-Wave-1-us-east-1/Service/Monitor, PipelineStack/Pipeline/Prod-Wave-1-us-east-1/Extra/Monitor); '
        + 'their composite alarms and roles share one name: keep one and pass it every alarm');
  });
});
