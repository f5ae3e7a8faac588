import { runSyncVerify } from './run-sync-verify';
import { processOutput } from './sync-output';

// The check's one door to the process: its arguments, the launcher's variables, and standard output and error.
void runSyncVerify(process.argv.slice(2), process.env, processOutput(process.stdout, process.stderr)).then((code) => {
  process.exitCode = code;
});
