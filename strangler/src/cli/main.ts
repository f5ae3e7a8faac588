#!/usr/bin/env node
import { processOutput } from './cli-output';
import { runCli } from './run-cli';

// The CLI's one door to the process: its arguments, STRANGLER_ADMIN_URL, STRANGLER_ADMIN_TOKEN,
// STRANGLER_AUTHOR, and standard output and error.
void runCli(process.argv.slice(2), process.env, processOutput(process.stdout, process.stderr)).then((code) => {
  process.exitCode = code;
});
