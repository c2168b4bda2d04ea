/**
 * The drills' summary: per drill, the simulated seconds from a health alarm entering ALARM to the
 * rollback starting, by alarm path (forwarded event, or event lost), and whether the invariants held.
 */
import * as fs from 'fs';
import { DrillResult } from './drill-runner';

export function latencyTable(results: DrillResult[]): string {
  const names = [...new Set(results.map((r) => r.drill))];
  const rows = names.map((name) => {
    const of = (path: string) => results.find((r) => r.drill === name && r.path === path);
    const cell = (r: DrillResult | undefined) => {
      if (!r) return 'n/a';
      if (r.rollbacks.length === 0) return 'no alarm on a deployed target';
      return r.rollbacks.map((x) => `${x.seconds === undefined ? 'never' : `${x.seconds} s`} (target restored: ${x.restoredSeconds === undefined ? 'never' : `${x.restoredSeconds} s`})`).join(', ');
    };
    const verdict = (r: DrillResult | undefined) => (!r ? '' : r.violations.length === 0 ? 'holds' : `${r.violations.length} violation(s)`);
    const event = of('event');
    const lost = of('lost');
    return `| ${name} | ${cell(event)} | ${verdict(event)} | ${lost ? cell(lost) : 'n/a'} | ${lost ? verdict(lost) : ''} |`;
  });
  return [
    '| Drill | Alarm -> rollback start, event path | Invariants | Alarm -> rollback start, event lost | Invariants |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

export function violationList(results: DrillResult[]): string {
  return results.filter((r) => r.violations.length > 0)
    .map((r) => `- **${r.drill}** (${r.path}):\n${r.violations.map((v) => `  - ${v}`).join('\n')}`)
    .join('\n');
}

const BEGIN = '<!-- drills:results:begin -->';
const END = '<!-- drills:results:end -->';

/** Replaces the results section of docs/drills.md (only when DRILLS_WRITE_DOCS=1, so `npm test` never edits the tree). */
export function writeResults(file: string, title: string, results: DrillResult[]): void {
  if (process.env.DRILLS_WRITE_DOCS !== '1') return;
  const text = fs.readFileSync(file, 'utf8');
  const begin = `${BEGIN.slice(0, -4)}:${title} -->`;
  const end = `${END.slice(0, -4)}:${title} -->`;
  const section = `${begin}\n### ${title}\n\n${latencyTable(results)}\n\nViolations:\n\n${violationList(results) || '(none)'}\n${end}`;
  const pattern = new RegExp(`${escape(begin)}[\\s\\S]*?${escape(end)}`);
  fs.writeFileSync(file, pattern.test(text) ? text.replace(pattern, section) : `${text.trimEnd()}\n\n${section}\n`);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
