/**
 * `wave-pipelines bootstrap`: the `cdk bootstrap` commands a synthesized WavePipeline needs, read
 * from the cloud assembly itself: every account and region whose bootstrap roles a stack of the
 * assembly (or of a stage assembly nested in it) assumes. Target environments trust the pipeline
 * account, so the pipeline can publish assets and deploy into them
 * (https://docs.aws.amazon.com/cdk/v2/guide/cdk_pipeline.html, "Bootstrap your AWS environments").
 */
import * as path from 'path';
import { CliIo } from './cli-io';
import { PlanFileError } from './plan-files';
import { ReleasePlan, planTargets } from '../model/plan';

/** One environment to bootstrap. */
export interface BootstrapEnvironment {
  readonly account: string;
  readonly region: string;
  /** Bootstrap qualifier of the roles the assembly names (`hnb659fds` unless customised). */
  readonly qualifier: string;
}

// Roles of the modern bootstrap stack: cdk-<qualifier>-<kind>-role-<account>-<region>.
const BOOTSTRAP_ROLE = /:role\/cdk-([a-z0-9]+)-(?:deploy|cfn-exec|file-publishing|image-publishing|lookup)-role-(\d{12})-([a-z0-9-]+)$/;

/** A stack deployed into a region with the bootstrap roles of another (CDK Pipelines' cross-region support stacks). */
export interface BorrowedRoles {
  readonly stackName: string;
  readonly account: string;
  readonly region: string;
  readonly roleRegion: string;
}

/** What to bootstrap, read from a cloud assembly. */
export interface BootstrapNeeds {
  /** Every environment whose bootstrap roles the assembly's stacks assume, sorted by account and region. */
  readonly environments: BootstrapEnvironment[];
  /** Stacks that need no bootstrap in their own region, because they deploy with another region's roles. */
  readonly borrowed: BorrowedRoles[];
}

/** Reads the assembly (and the stage assemblies nested in it). */
export function bootstrapNeeds(assemblyDir: string, io: CliIo): BootstrapNeeds {
  const found = new Map<string, BootstrapEnvironment>();
  const borrowed: BorrowedRoles[] = [];
  const visit = (dir: string) => {
    let manifest: any;
    try {
      manifest = JSON.parse(io.readFile(path.join(dir, 'manifest.json')));
    } catch (e) {
      throw new PlanFileError(`cannot read the cloud assembly manifest in "${dir}": ${(e as Error).message}; run \`cdk synth\` first`);
    }
    for (const artifact of Object.values<any>(manifest.artifacts ?? {})) {
      if (artifact.type === 'cdk:cloud-assembly' && typeof artifact.properties?.directoryName === 'string') {
        visit(path.join(dir, artifact.properties.directoryName));
        continue;
      }
      if (artifact.type !== 'aws:cloudformation:stack') continue;
      const roles = [artifact.properties?.assumeRoleArn, artifact.properties?.cloudFormationExecutionRoleArn, artifact.properties?.lookupRole?.arn];
      for (const role of roles) {
        const match = typeof role === 'string' ? BOOTSTRAP_ROLE.exec(role) : null;
        if (!match) continue;
        const [, qualifier, account, region] = match;
        found.set(`${account}/${region}`, { account, region, qualifier });
        const stackRegion = /^aws:\/\/\d{12}\/([a-z0-9-]+)$/.exec(artifact.environment ?? '')?.[1];
        if (role === artifact.properties?.assumeRoleArn && stackRegion && stackRegion !== region) {
          borrowed.push({ stackName: artifact.properties.stackName ?? '?', account, region: stackRegion, roleRegion: region });
        }
      }
    }
  };
  visit(assemblyDir);
  return {
    environments: [...found.values()].sort((a, b) => a.account.localeCompare(b.account) || a.region.localeCompare(b.region)),
    borrowed: borrowed.sort((a, b) => a.stackName.localeCompare(b.stackName)),
  };
}

/** The commands, with a comment line per account saying what it is for. */
export function bootstrapCommands(plan: ReleasePlan, needs: BootstrapNeeds): string {
  const { environments, borrowed } = needs;
  const policy = 'arn:aws:iam::aws:policy/AdministratorAccess';
  const lines: string[] = [
    `# cdk bootstrap for pipeline ${plan.pipelineName}: every account and region its assembly deploys to.`,
    `# Run each with credentials of that account. ${policy} is the CDK Pipelines default;`,
    '# pass a narrower policy to --cloudformation-execution-policies if your organisation requires it.',
  ];
  const targets = planTargets(plan);
  const accounts = [...new Set(environments.map((e) => e.account))];
  for (const account of accounts) {
    const stages = [...new Set(targets.filter((t) => t.account === account).map((t) => t.stageName))];
    const role = account === plan.pipelineAccount
      ? `pipeline account (region ${plan.pipelineRegion})${stages.length > 0 ? `, also deploys ${stages.join(', ')}` : ''}`
      : `deploys ${stages.length > 0 ? stages.join(', ') : 'support stacks'}; trusts the pipeline account ${plan.pipelineAccount}`;
    lines.push('', `# account ${account}: ${role}`);
    for (const env of environments.filter((e) => e.account === account)) {
      const trust = account === plan.pipelineAccount ? '' : ` --trust ${plan.pipelineAccount} --trust-for-lookup ${plan.pipelineAccount}`;
      const qualifier = env.qualifier === 'hnb659fds' ? '' : ` --qualifier ${env.qualifier}`;
      lines.push(`npx cdk bootstrap aws://${env.account}/${env.region}${trust}${qualifier} --cloudformation-execution-policies ${policy}`);
    }
  }
  if (borrowed.length > 0) {
    lines.push('', `# No bootstrap needed for ${borrowed.length} cross-region support stack${borrowed.length === 1 ? '' : 's'} (artifact buckets in the target regions):`,
      `# ${borrowed.map((b) => `${b.stackName} (${b.account}/${b.region})`).join(', ')}`,
      `# deploy with the bootstrap roles of ${[...new Set(borrowed.map((b) => b.roleRegion))].join(', ')}, as their assembly manifest says.`);
  }
  return `${lines.join('\n')}\n`;
}
