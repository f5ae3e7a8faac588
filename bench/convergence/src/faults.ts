import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { redisDataDir } from '../../../tools/stack/src/redis-check';
import type { BenchStack } from './bench-stack';
import type { Fault } from './config';

/** When a fault began (the kill) and ended (the process or Redis answering again), `performance.now()` ms. */
export interface FaultTimes {
  readonly startedAt: number;
  readonly endedAt: number;
}

/**
 * Applies `fault` to the running stack and resolves once it has ended, as the launcher says:
 * a process SIGKILLed is over at `<name> is ready again.` (its readiness URL answered 200 after
 * the launcher started it again); Redis SIGKILLed is over when the launcher has started it again
 * and it answered PING (`started redis-server (pid …)`). For `redis-empty` the data folder of
 * Redis (its append-only file) is deleted between the kill and the restart, which comes at least
 * 500 ms later. `none` ends as it begins.
 */
export async function applyFault(
  stack: BenchStack,
  fault: Fault,
  dataDir: string,
  timeoutMs: number,
): Promise<FaultTimes> {
  const from = stack.lines.length;
  const startedAt = performance.now();
  if (fault === 'none') return { startedAt, endedAt: startedAt };
  const redis = fault === 'redis-aof' || fault === 'redis-empty';
  process.kill(stack.pidOf(redis ? 'redis' : fault), 'SIGKILL');
  if (fault === 'redis-empty') rmSync(redisDataDir(dataDir), { recursive: true, force: true });
  const over = redis ? /started redis-server \(pid \d+\)/ : new RegExp(`^\\[stack\\] ${fault} is ready again\\.`);
  const ended = await stack.waitForLine(over, from, timeoutMs);
  return { startedAt, endedAt: ended.at };
}
