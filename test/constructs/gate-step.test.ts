/**
 * Every gate (manual approval) of a pipeline runs with one role that grants nothing, instead of the
 * role per action aws-cdk-lib generates when an action has none (`CodePipelineActionRole`): an
 * approval calls no AWS API. Per-gate roles made the pipeline template grow by a role and an
 * sts:AssumeRole statement per gate, which aws-cdk-lib's template validation paid for at every synth.
 */
import { THREE_WAVES, pipelineApp } from '../fixtures/apps';

describe('gate roles', () => {
  const template = pipelineApp(THREE_WAVES).template().toJSON();
  const resources = Object.entries<any>(template.Resources);
  const pipeline = resources.find(([, r]) => r.Type === 'AWS::CodePipeline::Pipeline')![1];
  const actions: any[] = pipeline.Properties.Stages.flatMap((s: any) => s.Actions);
  const approvals = actions.filter((a) => a.ActionTypeId.Category === 'Approval');
  const roleIds = new Set(approvals.map((a) => a.RoleArn?.['Fn::GetAtt']?.[0]));

  test('every approval runs with the same role of the pipeline stack', () => {
    expect(approvals.length).toBeGreaterThan(3);
    expect([...roleIds]).toHaveLength(1);
    expect(template.Resources[[...roleIds][0]].Type).toBe('AWS::IAM::Role');
  });

  test('no other action uses it, and no per-approval role is generated', () => {
    const [gateRole] = [...roleIds];
    expect(actions.filter((a) => a.ActionTypeId.Category !== 'Approval' && a.RoleArn?.['Fn::GetAtt']?.[0] === gateRole)).toEqual([]);
    const approvalRoles = resources.filter(([id, r]) => r.Type === 'AWS::IAM::Role' && /(Window|Bake)CodePipelineActionRole/.test(id));
    expect(approvalRoles.map(([id]) => id)).toEqual([]);
  });

  test('it grants nothing, and only the pipeline role may assume it', () => {
    const [gateRole] = [...roleIds];
    const role = template.Resources[gateRole];
    expect(role.Properties.Policies).toBeUndefined();
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    const attached = resources.filter(([, r]) => /AWS::IAM::(Policy|ManagedPolicy)/.test(r.Type)
      && JSON.stringify(r.Properties.Roles ?? []).includes(`"${gateRole}"`));
    expect(attached).toEqual([]);
    const pipelineRole = pipeline.Properties.RoleArn['Fn::GetAtt'][0];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: { 'Fn::GetAtt': [pipelineRole, 'Arn'] } } },
    ]);
  });
});
