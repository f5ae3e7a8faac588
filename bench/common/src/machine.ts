import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';

export interface Machine {
  readonly date: string;
  readonly node: string;
  readonly cpu: string;
  readonly cores: number;
}

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match?.[1]) return match[1].trim();
  } catch {
    // Not Linux: fall back on what Node says.
  }
  return cpus()[0]?.model ?? 'unknown';
}

/** Where and when the run happened, for the result JSON. */
export function describeMachine(): Machine {
  return { date: new Date().toISOString(), node: process.version, cpu: cpuModel(), cores: availableParallelism() };
}

/** The absolute path of a program on PATH, or undefined (`which`). */
export function which(program: string): string | undefined {
  try {
    return (
      execFileSync('which', [program], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

/**
 * Pins a process and all its threads to some CPUs (`taskset -a -p -c`); returns whether it
 * did. Threads started later inherit the affinity.
 */
export function pin(pid: number | undefined, cpus: string): boolean {
  if (pid === undefined) return false;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
