import { consoleOutput } from './output';
import { PROCESSES } from './processes';
import { findRepositoryRoot } from './repository-root';
import { resetStack } from './reset';
import { loadStackConfigFromEnvironment } from './stack.config';
import { StackError } from './stack-errors';

/** `npm run reset`: deletes the data of the stack that `npm start` runs on the data folder. */
async function main(): Promise<number> {
  const output = consoleOutput();
  try {
    const config = loadStackConfigFromEnvironment(PROCESSES);
    const report = await resetStack(config, PROCESSES, findRepositoryRoot(__dirname), output);
    const keys = report.keysDeleted === undefined ? 'no keys' : `${report.keysDeleted} Redis keys`;
    const files = report.filesDeleted.length > 0 ? report.filesDeleted.join(', ') : 'no files';
    output.out(`Deleted ${keys} and ${files}.`);
    for (const left of report.databasesLeft) {
      output.out(`Left as it is (not in ${config.dataDir}/): ${left}; drop and create it to start from nothing.`);
    }
    output.out('The next npm start begins from nothing, with a new Redis key prefix and admin token.');
    return 0;
  } catch (error) {
    output.err(error instanceof StackError ? error.message : String(error));
    return 1;
  }
}

void main().then((code) => {
  process.exitCode = code;
});
