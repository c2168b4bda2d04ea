/** An in-memory `CliIo` for running the command in tests: files by path, captured output, a fixed clock. */
import { CliIo } from '../../lib/cli/cli-io';

export interface MemoryIo extends CliIo {
  readonly out: { stdout: string; stderr: string; written: Record<string, string> };
}

/**
 * `files` maps paths to contents; a path ending in `/` is an empty directory. Every parent of a
 * file is a directory. `modified` gives files their modification time (default: the epoch).
 */
export function memoryIo(files: Record<string, string>, now = new Date('2025-03-04T08:00:42.123Z'), modified: Record<string, Date> = {}): MemoryIo {
  const out = { stdout: '', stderr: '', written: {} as Record<string, string> };
  return {
    out,
    stdout: (text) => { out.stdout += text; },
    stderr: (text) => { out.stderr += text; },
    readFile: (path) => {
      if (!(path in files) || path.endsWith('/')) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
      return files[path];
    },
    writeFile: (path, text) => {
      if (path.startsWith('/read-only/')) throw new Error(`EACCES: permission denied, open '${path}'`);
      out.written[path] = text;
    },
    listDir: (dir) => {
      const prefix = `${dir.replace(/\/+$/, '')}/`;
      let isDirectory = false;
      const names = new Set<string>();
      for (const path of Object.keys(files)) {
        if (!path.startsWith(prefix)) continue;
        isDirectory = true;
        const name = path.slice(prefix.length).split('/')[0];
        if (name) names.add(name);
      }
      return isDirectory ? [...names] : undefined;
    },
    modifiedTime: (path) => (path in files && !path.endsWith('/') ? modified[path] ?? new Date(0) : undefined),
    now: () => now,
  };
}
