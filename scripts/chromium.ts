/**
 * Headless Chromium for checking what a browser really draws (the timeline picture): one short-lived
 * process per call, a fresh profile each time, nothing fetched from the network.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The browser: `$CHROMIUM`, else the first of the usual names on `PATH`; `undefined` when there is none. */
export function findChromium(): string | undefined {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
      const candidate = path.join(dir, name);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** Runs the browser headless on `url` with `args`; returns standard output. Throws with its stderr on failure. */
function runHeadless(binary: string, url: string, args: string[]): string {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-profile-'));
  try {
    const result = spawnSync(binary, [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--hide-scrollbars', '--force-device-scale-factor=1', `--user-data-dir=${profile}`,
      ...args, url,
    ], { encoding: 'utf8', timeout: 90_000, maxBuffer: 64 * 1024 * 1024 });
    if (result.error) throw result.error;
    if (result.status !== 0) throw new Error(`${binary} exited with ${result.status ?? result.signal}: ${result.stderr}`);
    return result.stdout;
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

/** Writes a PNG of `htmlFile` as a `width` x `height` window. */
export function screenshot(binary: string, htmlFile: string, pngFile: string, width: number, height: number): void {
  runHeadless(binary, `file://${path.resolve(htmlFile)}`, [`--screenshot=${path.resolve(pngFile)}`, `--window-size=${width},${height}`]);
  if (!fs.existsSync(pngFile)) throw new Error(`${binary} wrote no screenshot to ${pngFile}`);
}

/** The DOM of `htmlFile` after its scripts ran, serialized. */
export function dumpDom(binary: string, htmlFile: string, width: number, height: number): string {
  return runHeadless(binary, `file://${path.resolve(htmlFile)}`, ['--dump-dom', `--window-size=${width},${height}`]);
}
