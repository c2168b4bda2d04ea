// Gate: the example app passes cdk-nag's AwsSolutions checks (every accepted finding has a written
// reason in nag-suppressions.ts), and the IAM policies our constructs write grant no wildcard
// action and only the wildcard resources listed here with a justification.
import * as cdk from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { expectedShape, removeDir, tempOutdir } from './assemblies';
import { applyNagSuppressions, NAG_SUPPRESSIONS, NagFinding } from './nag-suppressions';
import { buildExampleApp } from '../../examples/app';
import { ReleaseMonitor } from '../../lib';
import { arnString } from '../fixtures/apps';

/**
 * Findings on resources of this library's constructs that are flaws to fix, not to accept. They
 * are not suppressed: this list makes them visible and keeps the gate exact (a new finding fails
 * it, and so does fixing one of these until its line is removed).
 */
const openFlaws = (_supportRegions: string[]): string[] => [
  // None open. Fixed so far: artifact and replication keys rotate (enableKeyRotation), the
  // controller and rollback functions run on the latest Lambda Node.js runtime (nodejs24.x).
];

const errorsOf = (findings: NagFinding[]) => findings
  .filter((v) => v.severity === 'error')
  .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`))
  .sort();

// One synthesis for both gates: acknowledging nag findings adds construct metadata only.
const outdir = tempOutdir('security');
afterAll(() => removeDir(outdir));
const { app, stack } = buildExampleApp(outdir);
app.synth();
const { targets, supportRegions } = expectedShape(stack.pipeline.plan);
const OPEN_FLAWS = openFlaws(supportRegions);

describe('cdk-nag AwsSolutions on the example app', () => {
  const before = new AwsSolutionsChecks().validateScope(app).violations;
  const applied = applyNagSuppressions(app, before);
  const after = new AwsSolutionsChecks().validateScope(app).violations;

  test('checks the pipeline stack, the cross-region support stacks and every stage stack', () => {
    // A stage stack's path is OrdersPipeline/Pipeline/<stage>/Orders; a support stack's is its id.
    const stackOf = (path = '') => path.split('/').slice(0, path.startsWith('OrdersPipeline/Pipeline/') ? 4 : 1).join('/');
    const checkedStacks = new Set(before.flatMap((v) => v.violatingResources.map((r) => stackOf(r.constructPath))));
    const stageStacks = targets.map((t) => stack.pipeline.stageFor(t.id).node.path);
    expect(stageStacks.length).toBeGreaterThan(10);
    for (const stage of stageStacks) expect(checkedStacks).toContain(`${stage}/Orders`);
    expect([...checkedStacks].filter((s) => s.startsWith('cross-region-stack')).sort())
      .toEqual(supportRegions.map((r) => `cross-region-stack-111111111111:${r}`));
  });

  test('no unsuppressed errors, except the open flaws of our constructs listed above', () => {
    expect(errorsOf(after)).toEqual(OPEN_FLAWS);
  });

  test('every suppression has a reason and still suppresses something', () => {
    for (const s of NAG_SUPPRESSIONS) {
      expect(s.reason.length).toBeGreaterThan(40);
      expect([s.paths.source, applied.filter((a) => a.suppression === s).length > 0]).toEqual([s.paths.source, true]);
    }
  });

  test('no suppression covers a flaw listed as open', () => {
    const suppressed = applied.map((a) => `${a.ruleName} ${a.constructPath}`);
    for (const flaw of OPEN_FLAWS) expect(suppressed).not.toContain(flaw);
  });
});

/** A wildcard resource our constructs may grant, and why. */
interface AllowedWildcard {
  /** The resource, ARNs rendered with partition `aws`. */
  readonly resource: RegExp;
  /** The only actions the statement granting it may carry. */
  readonly actions: string[];
  readonly justification: string;
}

const ALLOWED_WILDCARDS: AllowedWildcard[] = [
  {
    resource: /^\*$/,
    actions: ['cloudwatch:DescribeAlarms', 'cloudwatch:GetMetricData', 'cloudwatch:DescribeAlarmHistory'],
    justification: 'DescribeAlarms and DescribeAlarmHistory return composite alarms only when scoped to "*" (the health signal is a composite alarm; '
      + 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarmHistory.html); '
      + 'GetMetricData supports no resource-level permissions. All are read-only (ReleaseMonitor monitor role).',
  },
  {
    // Not a wildcard any more: PutApprovalResult is granted on each gate action's ARN.
    resource: /^arn:aws:codepipeline:us-east-1:111111111111:orders-api\/(alpha|beta|gamma|Prod-Wave-\d)\/[A-Za-z0-9.@_-]+$/,
    actions: ['codepipeline:PutApprovalResult'],
    justification: 'The controller answers exactly the gate approvals of its own pipeline (ReleaseController role).',
  },
];

/** AWS-managed policies a role created by our constructs may use, and why. */
const ALLOWED_MANAGED_POLICIES: Record<string, string> = {
  'arn:aws:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited':
    'The CodeDeploy service role of ReleaseMonitor.deployLambdaGradually: the narrowest policy AWS maintains for Lambda deployment groups.',
};

interface Grant {
  readonly owner: string;
  readonly policy: string;
  readonly actions: string[];
  readonly resources: Array<string | Record<string, unknown>>;
}

/** Every Allow statement of every IAM policy (and role) created inside `scope`. */
function grantsIn(scope: IConstruct, owner: string): Grant[] {
  const grants: Grant[] = [];
  for (const c of scope.node.findAll()) {
    if (c instanceof iam.CfnPolicy) {
      const doc = arnString(cdk.Stack.of(c).resolve(c.policyDocument));
      for (const s of doc.Statement) {
        expect([c.node.path, s.Effect]).toEqual([c.node.path, 'Allow']);
        grants.push({ owner, policy: c.node.path, actions: [s.Action].flat(), resources: [s.Resource].flat() });
      }
    }
    if (c instanceof iam.CfnRole) {
      // Everything a role of ours may do is in its own policies, or in an allow-listed AWS-managed one.
      const resolve = (v: unknown) => arnString(cdk.Stack.of(c).resolve(v));
      expect([c.node.path, resolve(c.policies)]).toEqual([c.node.path, undefined]);
      const managed = ((resolve(c.managedPolicyArns) ?? []) as string[]).filter((arn) => !ALLOWED_MANAGED_POLICIES[arn]);
      expect([c.node.path, managed]).toEqual([c.node.path, []]);
    }
  }
  return grants;
}

describe('IAM policies of our constructs', () => {
  const monitors = app.node.findAll().filter((c): c is ReleaseMonitor => c instanceof ReleaseMonitor);
  const grants = [
    ...grantsIn(stack.pipeline.controller, 'ReleaseController'),
    ...monitors.flatMap((m) => grantsIn(m, 'ReleaseMonitor')),
  ];

  test('covers the controller role and the monitor role (and event forwarding role) of every target', () => {
    expect(monitors.map((m) => m.target.id).sort()).toEqual(targets.map((t) => t.id).sort());
    const policies = new Set(grants.map((g) => g.policy));
    expect(policies).toContain('OrdersPipeline/Pipeline/Controller/Role/DefaultPolicy/Resource');
    for (const m of monitors) expect(policies).toContain(`${m.node.path}/MonitorRole/DefaultPolicy/Resource`);
  });

  test('no action is a wildcard', () => {
    const wildcards = grants.flatMap((g) => g.actions.filter((a) => a.includes('*')).map((a) => `${g.policy}: ${a}`));
    expect(wildcards).toEqual([]);
  });

  test('every wildcard resource is allow-listed with a justification, for the listed actions only', () => {
    const unjustified: string[] = [];
    for (const g of grants) {
      for (const resource of g.resources) {
        // A reference to one resource of the template ({ Ref } / { Fn::GetAtt }) names exactly that resource.
        if (typeof resource !== 'string') {
          expect([g.policy, Object.keys(resource)]).toEqual([g.policy, [expect.stringMatching(/^(Ref|Fn::GetAtt)$/)]]);
          continue;
        }
        if (!resource.includes('*')) continue;
        const allowed = ALLOWED_WILDCARDS.find((w) => w.resource.test(resource));
        if (!allowed || g.actions.some((a) => !allowed.actions.includes(a))) unjustified.push(`${g.policy}: ${g.actions.join(',')} on ${resource}`);
      }
    }
    expect(unjustified).toEqual([]);
    for (const w of ALLOWED_WILDCARDS) expect(w.justification.length).toBeGreaterThan(40);
  });

  test('the controller assumes exactly the monitor roles of the plan\'s targets', () => {
    const assume = grants.filter((g) => g.owner === 'ReleaseController' && g.actions.includes('sts:AssumeRole'));
    expect(assume).toHaveLength(1);
    expect(assume[0].actions).toEqual(['sts:AssumeRole']);
    expect([...assume[0].resources].sort()).toEqual(monitors.map((m) => `arn:aws:iam::${m.target.account}:role/${(m.monitorRole.node.defaultChild as iam.CfnRole).roleName}`).sort());
  });
});
