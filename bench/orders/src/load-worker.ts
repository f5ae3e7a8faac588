import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { LatencyRecorder } from '../../common/src/stats';
import {
  type ClosedLoop,
  type Command,
  type Customer,
  type LoadResult,
  type OpenLoop,
  type OrderTarget,
  type Reply,
  describeError,
} from './protocol';

/** An order not answered within this counts as no answer. */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Orders placed through the facade (`POST /api/orders`, one item of quantity 1, the products in
 * turn), with a tally of their outcomes. An order counts when it is answered `201` with
 * `status: APPROVED` by `countUntil` (`performance.now()` ms); its latency runs from the request's
 * start to its whole answer read. Anything else is an error, counted by outcome.
 */
class Orders {
  private readonly pool: Pool;
  private readonly latencies = new LatencyRecorder(1 << 14);
  private readonly outcomes: Record<string, number> = {};
  private readonly upstreams: Record<string, number> = {};
  private approved = 0;
  private errors = 0;
  private maxMs = 0;
  private next = 0;
  sent = 0;

  constructor(
    private readonly target: OrderTarget,
    connections: number,
    private readonly countUntil: number,
  ) {
    this.pool = new Pool(target.baseUrl, {
      connections,
      headersTimeout: REQUEST_TIMEOUT_MS,
      bodyTimeout: REQUEST_TIMEOUT_MS,
    });
  }

  async place(customer: Customer): Promise<void> {
    const products = this.target.products;
    const productId = products[this.next++ % products.length]!;
    this.sent++;
    const started = performance.now();
    let outcome: string;
    try {
      const answer = await this.pool.request({
        method: 'POST',
        path: '/api/orders',
        headers: {
          accept: 'application/json',
          'content-type': 'application/json',
          authorization: `Bearer ${customer.token}`,
        },
        body: JSON.stringify({ items: [{ productId, quantity: 1 }] }),
      });
      const text = await answer.body.text();
      const upstream = String(answer.headers['x-strangler-upstream'] ?? 'none');
      this.upstreams[upstream] = (this.upstreams[upstream] ?? 0) + 1;
      outcome = answer.statusCode === 201 ? `201 ${statusOf(text)}` : `HTTP ${answer.statusCode}`;
    } catch (error) {
      outcome = `no answer (${(error as { code?: string }).code ?? (error as Error).name})`;
    }
    const ended = performance.now();
    if (outcome !== '201 APPROVED') {
      this.errors++;
      this.outcomes[outcome] = (this.outcomes[outcome] ?? 0) + 1;
    } else if (ended <= this.countUntil) {
      this.approved++;
      this.latencies.record(ended - started);
      this.maxMs = Math.max(this.maxMs, ended - started);
    }
  }

  async result(seconds: number, open = { skipped: 0, maxLateMs: 0 }): Promise<LoadResult> {
    await this.pool.close();
    const latency = this.latencies.size > 0 ? this.latencies.summary() : undefined;
    return {
      seconds,
      sent: this.sent,
      approved: this.approved,
      approvedPerSecond: this.approved / seconds,
      sentPerSecond: this.sent / seconds,
      p50Ms: latency?.p50 ?? null,
      p99Ms: latency?.p99 ?? null,
      maxMs: latency ? this.maxMs : null,
      errors: this.errors,
      outcomes: this.outcomes,
      upstreams: this.upstreams,
      ...open,
    };
  }
}

function statusOf(body: string): string {
  try {
    return String((JSON.parse(body) as { status?: unknown }).status);
  } catch {
    return 'unreadable';
  }
}

/**
 * Closed loop: client _i_ orders for customer _i_ and places its next order once the last is
 * answered, until `seconds` have passed; the orders answered after that are awaited, not counted.
 */
async function closedLoop(run: ClosedLoop): Promise<LoadResult> {
  const started = performance.now();
  const endsAt = started + run.seconds * 1000;
  const orders = new Orders(run, run.concurrency, endsAt);
  await Promise.all(
    run.customers.slice(0, run.concurrency).map(async (customer) => {
      while (performance.now() < endsAt) await orders.place(customer);
    }),
  );
  return orders.result(run.seconds);
}

/**
 * Open loop: order _n_ is due at _n_ / `rate` s from the start whatever became of the earlier
 * ones, for the customer that has waited longest with no order unanswered; when every customer
 * has one, the order is skipped (counted). Every answer counts, however late.
 */
async function openLoop(run: OpenLoop): Promise<LoadResult> {
  const total = Math.round(run.rate * run.seconds);
  const orders = new Orders(run, run.customers.length, Number.POSITIVE_INFINITY);
  const free = [...run.customers];
  const inFlight = new Set<Promise<void>>();
  let skipped = 0;
  let maxLateMs = 0;
  const started = performance.now();
  for (let n = 0; n < total; n++) {
    const due = started + (n * 1000) / run.rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    maxLateMs = Math.max(maxLateMs, performance.now() - due);
    const customer = free.shift();
    if (!customer) {
      skipped++;
      continue;
    }
    const placed = orders.place(customer).finally(() => {
      inFlight.delete(placed);
      free.push(customer);
    });
    inFlight.add(placed);
  }
  await Promise.all(inFlight);
  return orders.result(run.seconds, { skipped, maxLateMs });
}

/** The load generator, in a process of its own so that it never shares an event loop with the stack. */
function main(): void {
  const send = (reply: Reply, then: () => void = () => undefined) => process.send?.(reply, then);
  process.on('message', (command: Command) => {
    if (command.type === 'stop') {
      send({ type: 'stopped' }, () => process.exit(0));
      return;
    }
    (command.type === 'closed' ? closedLoop(command) : openLoop(command)).then(
      (result) => send({ type: 'result', ...result }),
      (error: unknown) => send({ type: 'failed', error: describeError(error) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
  // Ctrl-C reaches the whole process group: the coordinator decides when this worker stops.
  process.on('SIGINT', () => undefined);
  send({ type: 'ready' });
}

if (require.main === module) main();
