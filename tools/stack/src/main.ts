import { consoleOutput, stackLog } from './output';
import { PROCESSES } from './processes';
import { findRepositoryRoot } from './repository-root';
import { Stack } from './stack';
import { StackConfig, loadStackConfigFromEnvironment } from './stack.config';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

function main(): void {
  const output = consoleOutput();
  let config: StackConfig;
  try {
    config = loadStackConfigFromEnvironment(PROCESSES);
  } catch (error) {
    stackLog(output, error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
  const stack = new Stack({ config, processes: PROCESSES, rootDir: findRepositoryRoot(__dirname), output });
  let stopping = false;
  for (const signal of STOP_SIGNALS) {
    process.on(signal, () => {
      // `npm start` forwards the terminal's Ctrl-C, so one keypress can arrive twice.
      if (stopping) return;
      stopping = true;
      stack.stop(`${signal} received`);
    });
  }
  void stack.run().then((code) => process.exit(code));
}

main();
