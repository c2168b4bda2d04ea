// The example's one-box is real: it shares the customer endpoint with the fleet (one stack, one API
// per region), takes 10% of the alias's requests, and bakes on metrics of the new version alone.
import { buildExampleApp } from '../app';

type Template = { Resources: Record<string, { Type: string; Properties?: any }> };

const { stack } = buildExampleApp();
const stageOf = (targetId: string) => stack.pipeline.stageFor(targetId);
function serviceArtifact(targetId: string) {
  const artifacts = stageOf(targetId).synth().stacks;
  expect(artifacts).toHaveLength(1);
  return artifacts[0];
}
function resources(template: Template, type: string) {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

const ONE_BOX = 'prod-wave-1-eu-west-1-onebox';
const FLEET = 'prod-wave-1-eu-west-1-fleet';
const oneBox = serviceArtifact(ONE_BOX);
const fleet = serviceArtifact(FLEET);

test('the one-box and the fleet of a region deploy one stack: the same endpoint customers call', () => {
  expect(oneBox.stackName).toBe('orders-api-prod-wave-1');
  expect(fleet.stackName).toBe(oneBox.stackName);
  expect(oneBox.environment).toEqual(fleet.environment);
  const apiNames = (t: Template) => resources(t, 'AWS::ApiGateway::RestApi').map(([, r]) => r.Properties.Name);
  expect(apiNames(oneBox.template)).toEqual(['orders-api-prod-wave-1']);
  expect(apiNames(fleet.template)).toEqual(['orders-api-prod-wave-1']);
});

test('stages sharing an account and region have APIs of their own: API Gateway metrics dimension by ApiName', () => {
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
  const apiName = (targetId: string) => resources(serviceArtifact(targetId).template, 'AWS::ApiGateway::RestApi').map(([, r]) => r.Properties.Name);
  const alpha = serviceArtifact('alpha-us-west-2-fleet');
  const beta = serviceArtifact('beta-us-west-2-fleet');
  expect(alpha.environment).toEqual(beta.environment);
  expect(apiName('alpha-us-west-2-fleet')).toEqual(['orders-api-alpha']);
  expect(apiName('beta-us-west-2-fleet')).toEqual(['orders-api-beta']);
});

test('the two templates differ only in the share the new version takes: 10% for the one-box, all for the fleet', () => {
  const shifts = (t: Template) => resources(t, 'Custom::WavePipelinesAliasShift').map(([, r]) => r.Properties.Weight);
  expect(shifts(oneBox.template)).toEqual(['0.1']);
  expect(shifts(fleet.template)).toEqual(['1']);
  const withoutWeight = (t: Template) => JSON.stringify(t, (k, v) => (k === 'Weight' ? '<weight>' : v));
  expect(withoutWeight(oneBox.template)).toBe(withoutWeight(fleet.template));
});

test('pre-production has no one-box: its stack holds only the fleet monitor', () => {
  const beta = serviceArtifact('beta-us-west-2-fleet');
  const composites = resources(beta.template, 'AWS::CloudWatch::CompositeAlarm').map(([, r]) => r.Properties.AlarmName);
  expect(composites).toEqual(['orders-api-beta-us-west-2-fleet-release-health']);
  expect(resources(beta.template, 'Custom::WavePipelinesAliasShift').map(([, r]) => r.Properties.Weight)).toEqual(['1']);
});

describe('one-box and fleet signals', () => {
  const template = oneBox.template as Template;
  const alarms = Object.fromEntries(resources(template, 'AWS::CloudWatch::Alarm'));
  const composite = (targetId: string) => {
    const found = resources(template, 'AWS::CloudWatch::CompositeAlarm').find(([, r]) => r.Properties.AlarmName === `orders-api-${targetId}-release-health`);
    expect(found).toBeDefined();
    return JSON.stringify(found![1].Properties.AlarmRule);
  };
  /** Logical ids of the metric alarms a composite's rule names. */
  const children = (rule: string) => Object.keys(alarms).filter((id) => rule.includes(`"${id}"`));
  const versionScoped = (id: string) => JSON.stringify(alarms[id].Properties).includes('"ExecutedVersion"');

  test('the one-box bake watches the new version alone, by ExecutedVersion of the published version, and the aggregate', () => {
    const oneBoxChildren = children(composite(ONE_BOX));
    const scoped = oneBoxChildren.filter(versionScoped);
    expect(scoped.length).toBeGreaterThanOrEqual(2);
    for (const id of scoped) {
      const dims = JSON.stringify(alarms[id].Properties);
      // the dimension value is the version CloudFormation published in this deployment
      expect(dims).toMatch(/"Name":"ExecutedVersion","Value":\{"Fn::GetAtt":\["HandlerCurrentVersion[0-9A-Za-z]+","Version"\]\}/);
    }
    expect(oneBoxChildren.filter((id) => !versionScoped(id)).length).toBeGreaterThanOrEqual(2);
  });

  test('the fleet bake watches the aggregate only: no alarm of the new version alone', () => {
    const fleetChildren = children(composite(FLEET));
    expect(fleetChildren.length).toBeGreaterThanOrEqual(2);
    expect(fleetChildren.filter(versionScoped)).toEqual([]);
  });

  test('the one-box counts requests of the new version; the fleet counts every request of the API', () => {
    const manifest = (targetId: string) => {
      const found = resources(template, 'AWS::SSM::Parameter').find(([, r]) => JSON.stringify(r.Properties.Name) === JSON.stringify(`/cdk-wave-pipelines/orders-api/${targetId}/health`));
      expect(found).toBeDefined();
      return JSON.stringify(found![1].Properties.Value);
    };
    expect(manifest(ONE_BOX)).toContain('Invocations');
    expect(manifest(ONE_BOX)).toContain('ExecutedVersion');
    expect(manifest(FLEET)).toContain('ApiName');
    expect(manifest(FLEET)).not.toContain('ExecutedVersion');
  });
});
