import { join } from 'node:path';
import type { BenchStack } from '../../convergence/src/bench-stack';
import { type Shop, logIn } from '../../convergence/src/shop';
import { ForkedProcess } from '../../common/src/forked-process';
import { type BenchConfig, STAGES, type Variant } from './config';
import { type CpuSources, cpuMsPerOrder, cpuSnapshot, machineLoad } from './cpu';
import type { Command, LoadResult, Reply } from './protocol';
import { waitSettled } from './settle';
import { moveTo } from './stages';

const log = (line: string) => process.stderr.write(`${line}\n`);

/** The load generator's process (`load-worker.js`), driven over IPC. */
export class LoadProcess extends ForkedProcess<Command, Reply> {
  constructor() {
    super('load', join(__dirname, 'load-worker.js'), {});
  }

  async run(command: Exclude<Command, { type: 'stop' }>): Promise<LoadResult> {
    const reply = await this.ask(command);
    if (reply.type !== 'result') throw new Error(`load: ${reply.type} instead of a result`);
    const { type: _type, ...result } = reply;
    return result;
  }

  override stop(): Promise<void> {
    return super.stop({ type: 'stop' });
  }
}

export type Phase = 'throughput' | 'latency';

/** One phase of one variant in one round. */
export interface PhaseRound {
  readonly round: number;
  readonly load: LoadResult;
  /** From the phase's end until every service was idle again (its events applied everywhere), ms. */
  readonly settleMs: number;
  /** CPU per order sent, ms, from the phase's start until settled: what placing it cost each process. */
  readonly cpuMsPerOrder: ReturnType<typeof cpuMsPerOrder>;
  readonly machine: ReturnType<typeof machineLoad>;
}

export type Measured = Partial<Record<Variant, Record<Phase, PhaseRound[]>>>;

export interface RoundsContext {
  readonly config: BenchConfig;
  readonly stack: BenchStack;
  readonly shop: Shop;
  readonly load: LoadProcess;
  readonly cpu: CpuSources;
  /** The variant whose stage the facade routes with before the rounds. */
  readonly stage: Variant;
}

const fixed = (value: number | null) => (value === null ? '-' : value.toFixed(1));

function describe(phase: Omit<PhaseRound, 'round'>): string {
  const { load } = phase;
  const trouble = Object.entries(load.outcomes).map(([outcome, count]) => `${count}× ${outcome}`);
  if (load.skipped > 0) trouble.push(`${load.skipped} skipped`);
  return (
    `${Math.round(load.approvedPerSecond)} approved/s (sent ${Math.round(load.sentPerSecond)}/s) ` +
    `p50 ${fixed(load.p50Ms)} ms p99 ${fixed(load.p99Ms)} ms; cpu ${phase.cpuMsPerOrder.total} ms/order; ` +
    `settled ${Math.round(phase.settleMs)} ms after` +
    (phase.machine
      ? `; machine ${Math.round(phase.machine.busy * 100)} % (others ${Math.round(phase.machine.others * 100)} %)`
      : '') +
    (trouble.length > 0 ? `; errors: ${trouble.join(', ')}` : '')
  );
}

/** Runs one load phase, waits until the stack has settled, and checks that the stage's upstream answered every order. */
async function runPhase(context: RoundsContext, variant: Variant, command: Exclude<Command, { type: 'stop' }>) {
  const before = await cpuSnapshot(context.cpu);
  const load = await context.load.run(command);
  const ended = await cpuSnapshot(context.cpu);
  const settleMs = await waitSettled(context.stack, context.config.settleTimeoutS);
  const settled = await cpuSnapshot(context.cpu);
  const expected = STAGES[variant].upstream;
  const elsewhere = Object.entries(load.upstreams).filter(([upstream]) => upstream !== expected && upstream !== 'none');
  if (elsewhere.length > 0) {
    throw new Error(
      `Orders of the ${variant} variant were answered by ${JSON.stringify(load.upstreams)}, not only ${expected}`,
    );
  }
  return {
    load,
    settleMs,
    cpuMsPerOrder: cpuMsPerOrder(before, settled, load.sent),
    machine: machineLoad(before, ended),
  };
}

/** The variants in round `r`'s order: the one that goes first alternates from round to round. */
const inOrder = <T>(items: readonly T[], r: number): readonly T[] => (r % 2 === 0 ? items : [...items].reverse());

/**
 * The measurement: a closed-loop warm-up of each variant, then per round both variants back to
 * back (the first alternating), each the facade moved to its stage, then the closed loop (the
 * highest throughput) and the open loop (latency at a fixed rate), the stack settled after each.
 */
export async function measureRounds(context: RoundsContext): Promise<Measured> {
  const { config, stack, shop } = context;
  const measured = Object.fromEntries(
    config.variants.map((variant) => [variant, { throughput: [], latency: [] }]),
  ) as Measured;
  let current = context.stage;
  const target = () => ({ baseUrl: stack.facadeUrl, customers: shop.customers, products: shop.products });
  const closed = (seconds: number) =>
    ({ type: 'closed', ...target(), seconds, concurrency: config.concurrency }) as const;
  const open = () => ({ type: 'open', ...target(), seconds: config.latencySeconds, rate: config.rate }) as const;

  if (config.warmupSeconds > 0) {
    // Tokens last 15 minutes: new ones every round.
    await logIn(stack, shop);
    for (const variant of config.variants) {
      current = await moveTo(stack, variant, current, shop.customers[0]!);
      const warm = await runPhase(context, variant, closed(config.warmupSeconds));
      log(`warm-up  ${variant.padEnd(8)} ${'throughput'.padEnd(10)} ${describe(warm)}`);
    }
  }
  for (let r = 0; r < config.rounds; r++) {
    await logIn(stack, shop);
    for (const variant of inOrder(config.variants, r)) {
      current = await moveTo(stack, variant, current, shop.customers[0]!);
      const throughput = { round: r + 1, ...(await runPhase(context, variant, closed(config.throughputSeconds))) };
      measured[variant]!.throughput.push(throughput);
      log(`round ${r + 1}  ${variant.padEnd(8)} ${'throughput'.padEnd(10)} ${describe(throughput)}`);
      const latency = { round: r + 1, ...(await runPhase(context, variant, open())) };
      measured[variant]!.latency.push(latency);
      log(`round ${r + 1}  ${variant.padEnd(8)} ${`${config.rate}/s`.padEnd(10)} ${describe(latency)}`);
    }
  }
  return measured;
}
