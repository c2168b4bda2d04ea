/**
 * The cdk-nag (AwsSolutions) findings of the example app we accept, each with its reason.
 *
 * cdk-nag 3 acknowledges findings with CDK's own `Validations.of(construct).acknowledge({ id, reason })`
 * (v2's `NagSuppressions.addResourceSuppressionsByPath` is gone). A finding id of a multi-finding
 * rule names the finding (`AwsSolutions-IAM5[Action::s3:GetObject*]`), so each suppression below
 * lists its findings as exact ids or anchored patterns, and the construct paths it covers as an
 * anchored pattern: a new wildcard, a new resource or a new rule is never covered by accident.
 *
 * Findings on the constructs of this library (lib/constructs) are only suppressed where the
 * design needs them and the reason says why; real flaws stay unsuppressed (see security.test.ts).
 */
import { Validations } from 'aws-cdk-lib';
import { NagPack } from 'cdk-nag';
import { IConstruct } from 'constructs';

/** One finding of a rule pack, with every resource it was found on. */
export type NagFinding = ReturnType<NagPack['validateScope']>['violations'][number];

export interface NagSuppression {
  /** Who generates the resources: the finding is theirs to fix, not ours. */
  readonly source: 'aws-cdk-lib/pipelines' | 'example service' | 'cdk-wave-pipelines';
  /** Anchored pattern of the construct paths of the resources covered. */
  readonly paths: RegExp;
  /** Finding ids covered: exact ids, or anchored patterns for ids that embed generated names. */
  readonly findings: ReadonlyArray<string | RegExp>;
  /** Why the finding is acceptable. */
  readonly reason: string;
}

const CDK_PIPELINE = '^OrdersPipeline/Pipeline/Pipeline/';
const SUPPORT_STACK = '^cross-region-stack-111111111111:[a-z0-9-]+/Default/';
const SERVICE_STACK = '^OrdersPipeline/Pipeline/(alpha|beta|gamma|Prod-Wave-\\d)-[a-z]+-[a-z]+-\\d(-OneBox)?/Orders/';

export const NAG_SUPPRESSIONS: NagSuppression[] = [
  // --- CDK Pipelines: we build on it and do not rewrite its roles and buckets. ---
  {
    source: 'aws-cdk-lib/pipelines',
    paths: new RegExp(`${CDK_PIPELINE}.*/(DefaultPolicy|OverflowPolicy\\d+)/Resource$`),
    findings: [
      'AwsSolutions-IAM5[Action::s3:GetObject*]', 'AwsSolutions-IAM5[Action::s3:GetBucket*]', 'AwsSolutions-IAM5[Action::s3:List*]',
      'AwsSolutions-IAM5[Action::s3:DeleteObject*]', 'AwsSolutions-IAM5[Action::s3:Abort*]',
      'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      'AwsSolutions-IAM5[Resource::<PipelineArtifactsBucket7F53AAE0.Arn>/*]',
      /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:s3:::orderspipeline-support-[a-z0-9]+\/\*\]$/,
    ],
    reason: 'CDK Pipelines grants its pipeline, source, synth, validation and self-mutation roles read/write on the pipeline artifact bucket, '
      + 'the cross-region replication buckets and their KMS keys through grantRead/grantReadWrite, which use action wildcards '
      + '(s3:GetObject*, kms:GenerateDataKey*, ...) and object wildcards (bucket/*) scoped to exactly those buckets and keys.',
  },
  {
    source: 'aws-cdk-lib/pipelines',
    paths: new RegExp(`${CDK_PIPELINE}.*/Role/DefaultPolicy/Resource$`),
    findings: [
      /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:logs:us-east-1:111111111111:log-group:\/aws\/codebuild\/<[A-Za-z0-9]+>:\*\]$/,
      /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:codebuild:us-east-1:111111111111:report-group\/<[A-Za-z0-9]+>-\*\]$/,
    ],
    reason: 'CodeBuild projects created by CDK Pipelines may write only to their own log group (log streams are named at run time, '
      + 'hence :*) and their own report groups (named <project>-<report>, hence -*).',
  },
  {
    source: 'aws-cdk-lib/pipelines',
    paths: new RegExp(`${CDK_PIPELINE}(Pipeline/Role|UpdatePipeline/SelfMutation/Role)/DefaultPolicy/Resource$`),
    findings: ['AwsSolutions-IAM5[Resource::*]', 'AwsSolutions-IAM5[Resource::arn:*:iam::111111111111:role/*]'],
    reason: 'CDK Pipelines: the pipeline role uses the replication buckets\' KMS keys of the support stacks, which it can only name by "*" '
      + '(their ARNs live in other stacks and regions); self-mutation runs "cdk deploy", which must describe any stack (cloudformation:DescribeStacks), '
      + 'list the bootstrap bucket, and assume the CDK bootstrap roles: role/* restricted by the condition iam:ResourceTag/aws-cdk:bootstrap-role.',
  },
  {
    source: 'aws-cdk-lib/pipelines',
    paths: new RegExp(`(${CDK_PIPELINE}Pipeline/ArtifactsBucket/Resource|${SUPPORT_STACK}CrossRegionCodePipelineReplicationBucket/Resource)$`),
    findings: ['AwsSolutions-S1'],
    reason: 'Pipeline artifact and cross-region replication buckets are written and read only by the pipeline\'s roles, encrypted with its KMS key; '
      + 'their access is audited through CloudTrail (KMS and CodePipeline events), so a separate access-log bucket per region adds cost without a reader.',
  },

  // --- The example service (examples/service): a demo API, not part of the library. ---
  {
    source: 'example service',
    paths: new RegExp(`${SERVICE_STACK}Api/`),
    findings: ['AwsSolutions-APIG1', 'AwsSolutions-APIG2', 'AwsSolutions-APIG4', 'AwsSolutions-APIG6', 'AwsSolutions-COG4',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]'],
    reason: 'The example orders API is a demo of the release process: a public, unauthenticated, single-route API without access logs. '
      + 'A real service adds an authorizer, request validation and access logging; the pipeline does not depend on them.',
  },
  {
    source: 'example service',
    paths: new RegExp(`${SERVICE_STACK}Handler/(ServiceRole/)?Resource$`),
    findings: ['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]'],
    reason: 'The example\'s inline handler uses the standard basic-execution managed policy (write its own logs only).',
  },
  {
    source: 'example service',
    paths: new RegExp(`${SERVICE_STACK}Canary/(ServiceRole|ArtifactsBucket)/Resource$`),
    findings: [
      'AwsSolutions-S1', 'AwsSolutions-IAM5[Resource::*]', 'AwsSolutions-IAM5[Resource::<CanaryArtifactsBucket4A60D32B.Arn>/*]',
      /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:logs:[a-z0-9-]+:(222222222222|333333333333):log-group:\/aws\/lambda\/cwsyn-\*\]$/,
    ],
    reason: 'The Synthetics canary role and artifacts bucket are generated by aws-cdk-lib/aws-synthetics: the role writes run artifacts to its bucket (bucket/*), '
      + 'logs to cwsyn-* log groups (named by Synthetics at creation) and cloudwatch:PutMetricData, which has no resource-level permissions. '
      + 'The artifacts bucket holds only canary screenshots and HAR files.',
  },

  {
    source: 'aws-cdk-lib/pipelines',
    paths: new RegExp(`${CDK_PIPELINE}Assets/FileRole/DefaultPolicy/Resource$`),
    findings: [
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:codebuild:us-east-1:111111111111:report-group/*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:us-east-1:111111111111:log-group:/aws/codebuild/*]',
    ],
    reason: 'CDK Pipelines\' file-asset publishing role (the example has file assets since LambdaOneBox ships its alias-shift handler): '
      + 'it assumes the targets\' bootstrap file-publishing roles, which it can only name by pattern, and writes the logs and reports of its CodeBuild projects.',
  },

  // --- cdk-wave-pipelines constructs: what the design needs. ---
  {
    source: 'cdk-wave-pipelines',
    paths: new RegExp(`${SERVICE_STACK}Release/(ShiftHandler|Provider/framework-onEvent)/ServiceRole/(DefaultPolicy/)?Resource$`),
    findings: [
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      /^AwsSolutions-IAM5\[Resource::<ReleaseShiftHandler[0-9A-F]{8}\.Arn>:\*\]$/,
    ],
    reason: 'LambdaOneBox: its alias-shift handler and the CDK custom-resource provider framework write only their own logs (basic-execution managed policy); '
      + 'the framework invokes exactly the shift handler, any of its versions (<handler>:*), as aws-cdk-lib/custom-resources grants it.',
  },
  {
    source: 'cdk-wave-pipelines',
    paths: new RegExp(`${SERVICE_STACK}(ReleaseMonitor|OneBoxMonitor|FleetMonitor)/MonitorRole/DefaultPolicy/Resource$`),
    findings: ['AwsSolutions-IAM5[Resource::*]'],
    reason: 'ReleaseMonitor: cloudwatch:DescribeAlarms must be scoped to "*" to return composite alarms (the health signal is one), '
      + 'and cloudwatch:GetMetricData has no resource-level permissions; both are read-only.',
  },
];

/** A suppression matched a finding. */
export interface AppliedSuppression {
  readonly suppression: NagSuppression;
  readonly ruleName: string;
  readonly constructPath: string;
}

/**
 * Acknowledges every finding of `violations` that a suppression covers, on the resource it was
 * found on, and returns what was acknowledged. Run the pack again afterwards for what is left.
 */
export function applyNagSuppressions(root: IConstruct, violations: NagFinding[], suppressions = NAG_SUPPRESSIONS): AppliedSuppression[] {
  const byPath = new Map(root.node.findAll().map((c) => [c.node.path, c]));
  const applied: AppliedSuppression[] = [];
  for (const violation of violations) {
    for (const { constructPath = '' } of violation.violatingResources) {
      const suppression = suppressions.find((s) => s.paths.test(constructPath)
        && s.findings.some((f) => (typeof f === 'string' ? f === violation.ruleName : f.test(violation.ruleName))));
      if (!suppression) continue;
      const construct = byPath.get(constructPath);
      if (!construct) throw new Error(`nag-suppressions: no construct at "${constructPath}"`);
      Validations.of(construct).acknowledge({ id: violation.ruleName, reason: suppression.reason });
      applied.push({ suppression, ruleName: violation.ruleName, constructPath });
    }
  }
  return applied;
}
