import { join } from 'node:path';
import { ForkedProcess } from '../../common/src/forked-process';
import type { Command, Reply } from './protocol';
import { processCpuMicros } from './services';

/** A worker process of the benchmark (`fork` of a script beside this file), driven over IPC. */
export class ForkedWorker extends ForkedProcess<Command, Reply> {
  constructor(name: string, script: string, args: unknown) {
    super(name, join(__dirname, script), args);
  }

  /** Its CPU time so far, in µs, read from outside the process. */
  cpuMicros(): number | undefined {
    return processCpuMicros(this.pid);
  }

  /** Sends a signal (`SIGUSR2` starts and stops a profile of the facade). */
  signal(signal: NodeJS.Signals): void {
    if (this.pid !== undefined) process.kill(this.pid, signal);
  }

  override stop(): Promise<void> {
    return super.stop({ type: 'stop' });
  }
}
