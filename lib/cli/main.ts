#!/usr/bin/env node
// The `wave-pipelines` bin: wires the command to the process; all logic is in run.ts.
import { nodeIo } from './cli-io';
import { runCli } from './run';

process.exitCode = runCli(process.argv.slice(2), nodeIo());
