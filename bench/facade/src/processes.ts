import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ForkedProcess } from '../../common/src/forked-process';
import type { Command, Reply } from './protocol';

/**
 * The coordinator's side of one process of the benchmark (the upstream, a proxy, the load
 * generator), driven over IPC one command at a time; optionally CPU-profiled.
 */
export class BenchProcess extends ForkedProcess<Command, Reply> {
  constructor(name: string, script: string, args: unknown, options: { cpuProfileDir?: string } = {}) {
    const execArgv: string[] = [];
    if (options.cpuProfileDir) {
      const dir = resolve(options.cpuProfileDir);
      mkdirSync(dir, { recursive: true });
      execArgv.push('--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`);
    }
    super(name, join(__dirname, script), args, execArgv);
  }

  /** The process's CPU time so far, in µs (user + system). */
  async cpuMicros(): Promise<number> {
    const reply = await this.ask({ type: 'cpu' });
    if (reply.type !== 'cpu') throw new Error(`${this.name}: answered ${reply.type} to cpu`);
    return reply.userUs + reply.systemUs;
  }

  override stop(): Promise<void> {
    return super.stop({ type: 'stop' });
  }
}
