import { readFileSync } from 'node:fs';

/** The machine's CPU time so far (all cores), from the `cpu` line of `/proc/stat`, in clock ticks. */
export interface MachineCpu {
  readonly total: number;
  readonly idle: number;
  readonly steal: number;
}

/** Undefined where there is no `/proc/stat`. */
export function machineCpu(): MachineCpu | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const [label, ...fields] = line.trim().split(/\s+/);
    if (label !== 'cpu') return undefined;
    const n = fields.map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    const total = n.slice(0, 8).reduce((sum, value) => sum + (Number.isFinite(value) ? value : 0), 0);
    return { total, idle: (n[3] ?? 0) + (n[4] ?? 0), steal: n[7] ?? 0 };
  } catch {
    return undefined;
  }
}

/** Busy and stolen shares (0..1) of all cores between two reads. */
export function machineBusy(before: MachineCpu | undefined, after: MachineCpu | undefined) {
  if (!before || !after || after.total <= before.total) return undefined;
  const total = after.total - before.total;
  return { busy: 1 - (after.idle - before.idle) / total, steal: (after.steal - before.steal) / total };
}
