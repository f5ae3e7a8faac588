import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { BenchStack } from '../../convergence/src/bench-stack';
import { type MachineCpu, machineBusy, machineCpu } from '../../catalog/src/machine-cpu';
import { type AdminConnection, redisCpuMicros } from '../../catalog/src/redis';
import { processCpuMicros } from '../../catalog/src/services';
import { round } from '../../common/src/stats';

/** The stack's processes whose CPU time is read, by the launcher's name. */
const STACK_PROCESSES = {
  monolith: 'legacy-monolith',
  catalog: 'catalog',
  inventory: 'inventory',
  payments: 'payments',
  orders: 'orders',
  facade: 'strangler',
} as const;

/** Every process whose CPU is counted: the stack's, the load generator, this coordinator (the launcher runs in it), Redis. */
export type CpuOwner = keyof typeof STACK_PROCESSES | 'loadGenerator' | 'coordinator' | 'redis';

/** CPU time used so far (µs) by each process and the machine, at one moment. */
export interface CpuSnapshot {
  readonly at: number;
  /** Keyed by owner: the pid (a restarted process has another) and its CPU time. */
  readonly processes: Readonly<
    Record<string, { readonly pid: number | undefined; readonly micros: number | undefined }>
  >;
  readonly machine: MachineCpu | undefined;
}

export interface CpuSources {
  readonly stack: BenchStack;
  readonly loadPid: number | undefined;
  /** The coordinator's connection; Redis may serve others too, whose commands then count as well. */
  readonly redis: AdminConnection;
}

export async function cpuSnapshot(sources: CpuSources): Promise<CpuSnapshot> {
  const redisMicros = await redisCpuMicros(sources.redis);
  const processes: Record<string, { pid: number | undefined; micros: number | undefined }> = {};
  for (const [owner, name] of Object.entries(STACK_PROCESSES)) {
    const pid = sources.stack.pidOf(name);
    processes[owner] = { pid, micros: processCpuMicros(pid) };
  }
  processes.loadGenerator = { pid: sources.loadPid, micros: processCpuMicros(sources.loadPid) };
  const own = process.cpuUsage();
  processes.coordinator = { pid: process.pid, micros: own.user + own.system };
  processes.redis = { pid: undefined, micros: redisMicros };
  return { at: performance.now(), processes, machine: machineCpu() };
}

/** Milliseconds of CPU per order of each process between two snapshots (null: not readable, or restarted), and their total. */
export function cpuMsPerOrder(before: CpuSnapshot, after: CpuSnapshot, orders: number) {
  const perOrder: Record<string, number | null> = {};
  let total = 0;
  for (const [owner, then] of Object.entries(before.processes)) {
    const now = after.processes[owner];
    const usable = orders > 0 && then.micros !== undefined && now?.micros !== undefined && now.pid === then.pid;
    const ms = usable ? (now.micros! - then.micros!) / 1000 / orders : null;
    perOrder[owner] = ms === null ? null : round(ms, 3);
    total += ms ?? 0;
  }
  return { ...perOrder, total: round(total, 3) } as Record<CpuOwner | 'total', number | null>;
}

/**
 * How busy the machine was between two snapshots (all cores, `/proc/stat`): its busy share, and
 * the share busy with anything but the run's processes (Redis counts as others: it may serve others).
 */
export function machineLoad(before: CpuSnapshot, after: CpuSnapshot) {
  const busy = machineBusy(before.machine, after.machine);
  if (!busy) return undefined;
  let ours = 0;
  for (const [owner, then] of Object.entries(before.processes)) {
    const now = after.processes[owner];
    if (owner === 'redis' || then.micros === undefined || now?.micros === undefined) continue;
    ours += now.micros - then.micros;
  }
  const coreMicros = (after.at - before.at) * 1000 * cpus().length;
  return { busy: round(busy.busy, 3), others: round(Math.max(0, busy.busy - ours / coreMicros), 3) };
}
