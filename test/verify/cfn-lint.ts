/**
 * Runs cfn-lint (https://github.com/aws-cloudformation/cfn-lint), the field's CloudFormation
 * linter, over synthesized templates, each linted for the region it deploys to.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** One cfn-lint finding. */
export interface LintFinding {
  readonly rule: string;
  /** `Error`, `Warning` or `Informational`. */
  readonly level: string;
  readonly file: string;
  readonly message: string;
}

/**
 * Warnings we accept, each with the reason. Everything else (and every error) fails the gate.
 * W3005 "dependency already enforced": aws-cdk-lib itself adds a `DependsOn` from a function to its
 * role's default policy next to the `Fn::GetAtt` of the role, so that the policy exists before the
 * function is invoked; it is redundant for ordering but harmless, and not ours to remove.
 */
export const ACCEPTED_WARNINGS: Record<string, string> = {
  W3005: "aws-cdk-lib's own DependsOn on a role beside a Fn::GetAtt of it (redundant, harmless)",
};

/** The cfn-lint version, or undefined when it is not on PATH. */
export function cfnLintVersion(): string | undefined {
  const out = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
  return out.status === 0 ? out.stdout.trim() : undefined;
}

/** Lints template files, grouped by region (one cfn-lint process per region). */
export function lintFiles(files: ReadonlyArray<{ file: string; region: string }>): LintFinding[] {
  const byRegion = new Map<string, string[]>();
  for (const f of files) byRegion.set(f.region, [...(byRegion.get(f.region) ?? []), f.file]);
  const findings: LintFinding[] = [];
  for (const [region, group] of [...byRegion].sort(([a], [b]) => a.localeCompare(b))) {
    let stdout: string;
    try {
      stdout = execFileSync('cfn-lint', ['--format', 'json', '--regions', region, '--', ...group], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    } catch (err: any) {
      // cfn-lint exits non-zero when it finds something (a bit mask of levels); the JSON is on stdout.
      if (typeof err.stdout !== 'string' || err.stdout.trim() === '') throw err;
      stdout = err.stdout;
    }
    for (const m of JSON.parse(stdout || '[]') as any[]) {
      findings.push({ rule: m.Rule.Id, level: m.Level, file: m.Filename, message: m.Message });
    }
  }
  return findings;
}

/** Lints one template object (written to a temporary file). */
export function lintTemplate(template: unknown, region: string): LintFinding[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wave-lint-'));
  try {
    const file = path.join(dir, 'template.json');
    fs.writeFileSync(file, JSON.stringify(template));
    return lintFiles([{ file, region }]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Findings that fail the gate: errors, and warnings not accepted above. */
export function gateFailures(findings: LintFinding[]): string[] {
  return findings
    .filter((f) => f.level === 'Error' || (f.level === 'Warning' && !(f.rule in ACCEPTED_WARNINGS)))
    .map((f) => `${path.basename(f.file)}: ${f.rule} ${f.message}`);
}
