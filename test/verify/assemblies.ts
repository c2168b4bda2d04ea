import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { PlannedTarget, planTargets, ReleasePlan } from '../../lib/model/plan';

/** Every stack of a cloud assembly: its own and those of nested (stage) assemblies, depth first. */
export function allStacks(assembly: cxapi.CloudAssembly): cxapi.CloudFormationStackArtifact[] {
  return [...assembly.stacks, ...assembly.nestedAssemblies.flatMap((n) => allStacks(n.nestedAssembly))];
}

/** A fresh temporary directory for a cloud assembly (removed by `removeDir`). */
export function tempOutdir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `wave-verify-${prefix}-`));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** What a pipeline's plan says the assembly must hold: a stage stack per target, a support stack per other region. */
export function expectedShape(plan: ReleasePlan): { targets: PlannedTarget[]; supportRegions: string[] } {
  const targets = planTargets(plan);
  const supportRegions = [...new Set(targets.map((t) => t.region))].filter((r) => r !== plan.pipelineRegion).sort();
  return { targets, supportRegions };
}
