#!/usr/bin/env node
import { processOutput } from './cli-output';
import { runCli } from './run-cli';

// The CLI's one door to the environment: STRANGLER_ADMIN_URL, STRANGLER_ADMIN_TOKEN, STRANGLER_AUTHOR.
void runCli(process.argv.slice(2), process.env, processOutput).then((code) => {
  process.exitCode = code;
});
