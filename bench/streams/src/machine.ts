import { readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import type { Connection } from './redis';

export interface Machine {
  readonly date: string;
  readonly node: string;
  readonly cpu: string;
  readonly cores: number;
  readonly redis: string;
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
export async function describeMachine(redis: Connection): Promise<Machine> {
  const info = String(await redis.sendCommand(['INFO', 'server']));
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpuModel(),
    cores: availableParallelism(),
    redis: /redis_version:([^\r\n]+)/.exec(info)?.[1] ?? 'unknown',
  };
}
