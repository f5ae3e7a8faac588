import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { LatencyRecorder } from '../../common/src/stats';
import { type Command, type LoadResult, type LoadTarget, type Reply, type WriteTally, describeError } from './protocol';

/** No answer within this is counted as no answer (the write's outcome is uncertain). */
const REQUEST_TIMEOUT_MS = 10_000;
/** How often the schedule is looked at; requests due meanwhile go out together. */
const TICK_MS = 5;

const tally = (): WriteTally => ({ applied: {}, uncertainUp: {}, uncertainDown: {}, uncertain: 0 });
const add = (sums: Record<string, number>, key: string, value: number) => (sums[key] = (sums[key] ?? 0) + value);

/**
 * A steady mixed load through the facade, open loop: request _n_ is due at _n_ / rate seconds
 * whether or not earlier ones were answered, unless `maxInFlight` are unanswered (then it is
 * skipped and counted). In turn: a deposit (payments), a stock adjustment (inventory), a product
 * read (catalog), a customer read (the monolith). Every write answered 2xx is tallied per
 * aggregate; a write answered 5xx or not at all may or may not have happened, and is tallied apart.
 */
class MixedLoad {
  private readonly pool: Pool;
  private readonly latencies = new LatencyRecorder(1 << 14);
  private readonly deposits = tally();
  private readonly stock = tally();
  private readonly startedAt = performance.now();
  private readonly timer: NodeJS.Timeout;
  private readonly inFlight = new Set<Promise<void>>();
  private steady?: { at: number; ok: number; sent: number };
  private sent = 0;
  private skipped = 0;
  private ok = 0;
  private clientErrors = 0;
  private serverErrors = 0;
  private errors = 0;

  constructor(private readonly target: LoadTarget) {
    this.pool = new Pool(target.baseUrl, {
      connections: target.maxInFlight,
      headersTimeout: REQUEST_TIMEOUT_MS,
      bodyTimeout: REQUEST_TIMEOUT_MS,
    });
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  mark(): void {
    this.steady = { at: performance.now(), ok: this.ok, sent: this.sent };
  }

  async end(): Promise<LoadResult> {
    clearInterval(this.timer);
    const endedAt = performance.now();
    await Promise.all(this.inFlight);
    await this.pool.close();
    const seconds = (endedAt - this.startedAt) / 1000;
    const steady = this.steady ?? { at: endedAt, ok: this.ok, sent: this.sent };
    const steadySeconds = (steady.at - this.startedAt) / 1000;
    const { p50, p99 } = this.latencies.summary();
    return {
      seconds,
      sent: this.sent,
      skipped: this.skipped,
      ok: this.ok,
      clientErrors: this.clientErrors,
      serverErrors: this.serverErrors,
      errors: this.errors,
      steady: {
        seconds: steadySeconds,
        okPerSecond: steady.ok / steadySeconds,
        sentPerSecond: steady.sent / steadySeconds,
      },
      okPerSecond: this.ok / seconds,
      sentPerSecond: this.sent / seconds,
      p50Ms: p50,
      p99Ms: p99,
      deposits: this.deposits,
      stock: this.stock,
    };
  }

  private tick(): void {
    const due = Math.floor(((performance.now() - this.startedAt) / 1000) * this.target.rate);
    while (this.sent + this.skipped < due) {
      if (this.inFlight.size >= this.target.maxInFlight) {
        this.skipped += due - this.sent - this.skipped;
        return;
      }
      const request = this.send(this.sent++).finally(() => this.inFlight.delete(request));
      this.inFlight.add(request);
    }
  }

  private async send(n: number): Promise<void> {
    const { customers, products, adminToken } = this.target;
    const turn = Math.floor(n / 4);
    const customer = customers[turn % customers.length]!;
    const product = products[turn % products.length]!;
    switch (n % 4) {
      case 0: {
        const amountCents = 1 + (turn % 50);
        const path = `/api/customers/${customer.id}/deposits`;
        return this.write(path, customer.token, { amountCents }, this.deposits, customer.id, amountCents);
      }
      case 1: {
        // Each product in turn goes up 3, then down 1: its stock grows, so no adjustment is refused for want of stock.
        const delta = Math.floor(turn / products.length) % 2 === 0 ? 3 : -1;
        const path = `/api/products/${product}/stock-adjustments`;
        return this.write(path, adminToken, { delta, reason: 'convergence bench' }, this.stock, product, delta);
      }
      case 2:
        return void (await this.request('GET', `/api/products/${product}`));
      default:
        return void (await this.request('GET', `/api/customers/${customer.id}`, customer.token));
    }
  }

  private async write(
    path: string,
    token: string,
    body: unknown,
    into: WriteTally,
    aggregate: string,
    amount: number,
  ): Promise<void> {
    const status = await this.request('POST', path, token, body);
    if (status !== undefined && status >= 200 && status < 300) add(into.applied, aggregate, amount);
    else if (status === undefined || status >= 500) {
      into.uncertain++;
      add(amount >= 0 ? into.uncertainUp : into.uncertainDown, aggregate, amount);
    }
  }

  /** The answer's status, or undefined when there was none. */
  private async request(method: 'GET' | 'POST', path: string, token?: string, body?: unknown) {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const started = performance.now();
    try {
      const answer = await this.pool.request({
        method,
        path,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      await answer.body.dump();
      const status = answer.statusCode;
      if (status >= 200 && status < 300) {
        this.ok++;
        this.latencies.record(performance.now() - started);
      } else if (status < 500) this.clientErrors++;
      else this.serverErrors++;
      return status;
    } catch {
      this.errors++;
      return undefined;
    }
  }
}

/** The load generator, in a process of its own so that it never shares an event loop with the stack. */
function main(): void {
  const send = (reply: Reply, then: () => void = () => undefined) => process.send?.(reply, then);
  let load: MixedLoad | undefined;
  process.on('message', (command: Command) => {
    try {
      switch (command.type) {
        case 'begin':
          load = new MixedLoad(command);
          return send({ type: 'begun' });
        case 'mark':
          load?.mark();
          return send({ type: 'marked' });
        case 'end': {
          const running = load;
          load = undefined;
          if (!running) throw new Error('no load is running');
          return void running.end().then(
            (result) => send({ type: 'result', ...result }),
            (error: unknown) => send({ type: 'failed', error: describeError(error) }),
          );
        }
        case 'stop':
          return send({ type: 'stopped' }, () => process.exit(0));
      }
    } catch (error) {
      send({ type: 'failed', error: describeError(error) });
    }
  });
  process.on('disconnect', () => process.exit(0));
  // Ctrl-C reaches the whole process group: the coordinator decides when this worker stops.
  process.on('SIGINT', () => undefined);
  send({ type: 'ready' });
}

if (require.main === module) main();
