/**
 * Everything the `wave-pipelines` command touches outside its own logic: output streams, files
 * and the clock. `runCli` takes it as an argument so tests run the command without a process,
 * without a disk and at any moment they choose; `nodeIo()` is the real one.
 */
import * as fs from 'fs';

export interface CliIo {
  /** Writes to standard output. */
  stdout(text: string): void;
  /** Writes to standard error. */
  stderr(text: string): void;
  /** Reads a UTF-8 file; throws when it cannot. */
  readFile(path: string): string;
  /** Writes a UTF-8 file, replacing it; throws when it cannot. */
  writeFile(path: string, text: string): void;
  /** Names of the entries of a directory, or `undefined` when it is not a directory. */
  listDir(path: string): string[] | undefined;
  /** When a file was last modified, or `undefined` when there is no such file. */
  modifiedTime(path: string): Date | undefined;
  /** The current time; the command's only clock. */
  now(): Date;
}

/** The process's streams, the file system and the wall clock. */
export function nodeIo(): CliIo {
  return {
    stdout: (text) => { process.stdout.write(text); },
    stderr: (text) => { process.stderr.write(text); },
    readFile: (path) => fs.readFileSync(path, 'utf-8'),
    writeFile: (path, text) => fs.writeFileSync(path, text, 'utf-8'),
    listDir: (path) => {
      try {
        return fs.statSync(path).isDirectory() ? fs.readdirSync(path) : undefined;
      } catch {
        return undefined;
      }
    },
    modifiedTime: (path) => {
      try {
        return fs.statSync(path).mtime;
      } catch {
        return undefined;
      }
    },
    now: () => new Date(),
  };
}
