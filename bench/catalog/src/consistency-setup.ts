import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchConfig } from './config';
import { type Plane, STOCK_WRITE_ROUTE, VARIANT_PLANE } from './facade-rules';
import type { ForkedWorker } from './forked-worker';
import { type Answer, ask, short } from './parity';
import type { Reply } from './protocol';
import type { ServiceProcess } from './services';
import { type ProductSummary, adminToken, consumerIdle } from './stack';

const log = (line: string) => process.stderr.write(`${line}\n`);

/** Search pages compared through both variants (besides every written product by id). */
const SEARCH_SAMPLES = 25;

/** The positions the reads of the `consistencyOn` plane carry, as its data plane reads them (from its memory, or Redis). */
export interface PositionsCarried {
  /** `GET /api/products/{id}` over every product: how many ids carry positions, and how many each. */
  readonly byId: {
    readonly ids: number;
    readonly carrying: number;
    readonly shareOfReads: number;
    readonly positionsPerCarryingRead: number | null;
  };
  /** `GET /api/products?…` (`product:*`): the positions every search read carries. */
  readonly search: { readonly positionsPerRead: number | null };
  /** Reads Redis did not answer (they would go without positions). */
  readonly unanswered: number;
  /** Writes whose positions the facade kept (`strangler_consistency_total{step="record",outcome="ok"}`). */
  readonly recorded: number;
  /** Of these reads, those the facade's memory answered (without a round trip). */
  readonly fromMemory: number;
  /** The plane's reads of positions so far (the HTTP rounds' included), by where they were answered. */
  readonly planeReads: { readonly memory: number; readonly redis: number };
}

export interface ConsistencySetup {
  /** Stock adjustments made through the `consistencyOn` plane, on as many products. */
  readonly writes: number;
  readonly writeMs: number;
  /** From the last write's answer until the catalog served every written stock and its consumer was idle. */
  readonly appliedMs: number;
  /** Requests compared through both variants (every written product by id, and search pages). */
  readonly checked: number;
  /** Of those, answers whose body differed between the variants, or whose stock missed a write. */
  readonly mismatches: number;
  /** Answers marked `x-ficus-consistency: stale` although everything was applied. */
  readonly stale: number;
  readonly examples: readonly { path: string; off: string; on: string }[];
}

export interface ConsistencyContext {
  readonly config: BenchConfig;
  readonly facadeUrls: Record<Plane, string>;
  readonly monolith: ServiceProcess;
  readonly catalog: ServiceProcess;
  readonly products: readonly ProductSummary[];
  readonly searchPaths: readonly string[];
}

async function fetchJson<T>(url: string, init?: RequestInit) {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  return {
    status: response.status,
    upstream: response.headers.get('x-strangler-upstream'),
    body: (await response.json()) as T,
  };
}

/** `count` products spread over the list (every `products.length / count`-th). */
export function writtenProducts(products: readonly ProductSummary[], count: number): ProductSummary[] {
  const n = Math.min(count, products.length);
  return Array.from({ length: n }, (_, i) => products[Math.floor((i * products.length) / n)] as ProductSummary);
}

/** One `+1` stock adjustment of each product through the `consistencyOn` plane (to legacy); the stock each answered. */
async function adjustStock(
  context: ConsistencyContext,
  written: readonly ProductSummary[],
): Promise<Map<string, number>> {
  const token = await adminToken(context.monolith);
  const stocks = new Map<string, number>();
  for (const product of written) {
    const path = STOCK_WRITE_ROUTE.path.replace(':productId', product.id);
    const answer = await fetchJson<{ stock?: number }>(`${context.facadeUrls.consistencyOn}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ delta: 1, reason: 'bench:catalog, a write before measuring' }),
    });
    if (answer.status !== 201 || answer.upstream !== 'legacy' || typeof answer.body.stock !== 'number') {
      throw new Error(`POST ${path} answered ${answer.status} from ${answer.upstream}: ${JSON.stringify(answer.body)}`);
    }
    stocks.set(product.id, answer.body.stock);
  }
  return stocks;
}

/** Waits until the catalog serves every written stock and its consumer has nothing pending. */
async function applied(context: ConsistencyContext, stocks: ReadonlyMap<string, number>): Promise<void> {
  const deadline = Date.now() + context.config.readyTimeoutMs;
  for (;;) {
    let behind = 0;
    for (const [id, stock] of stocks) {
      const answer = await fetchJson<{ stock?: number }>(`${context.catalog.url}/api/products/${id}`);
      if (answer.body.stock !== stock) behind++;
    }
    if (behind === 0 && (await consumerIdle(context.catalog))) return;
    if (Date.now() > deadline) throw context.catalog.failure(`had not applied ${behind} of the writes in time`);
    await sleep(100);
  }
}

function expect(variant: string, path: string, answer: Answer): void {
  if (answer.status !== 200 || answer.upstream !== 'catalog') {
    throw new Error(
      `consistency ${variant}: ${path} answered ${answer.status} from upstream ${answer.upstream} (expected 200 from catalog): ${answer.body.slice(0, 500)}`,
    );
  }
}

/**
 * Makes the writes whose positions the reads carry: a `+1` stock adjustment of `config.consistencyWrites`
 * products through the `consistencyOn` plane (its write route goes to the monolith, which answers
 * with the positions it committed; the plane keeps them in Redis), then waits until the catalog
 * has applied them all, so that nothing is pending. Then asks every written product by id and a
 * sample of search pages through both variants: each must answer 200 from the catalog; bodies
 * that differ, a stock that misses its write and stale answers are counted.
 */
export async function prepareConsistency(context: ConsistencyContext): Promise<ConsistencySetup> {
  const written = writtenProducts(context.products, context.config.consistencyWrites);
  log(`consistency: ${written.length} stock adjustments through the consistencyOn plane (to the monolith)`);
  let mark = performance.now();
  const stocks = await adjustStock(context, written);
  const writeMs = performance.now() - mark;
  mark = performance.now();
  await applied(context, stocks);
  const appliedMs = performance.now() - mark;

  const examples: { path: string; off: string; on: string }[] = [];
  let mismatches = 0;
  let stale = 0;
  const paths = [...written.map((p) => `/api/products/${p.id}`), ...context.searchPaths.slice(0, SEARCH_SAMPLES)];
  for (const path of paths) {
    const off = await ask(context.facadeUrls[VARIANT_PLANE.off], path);
    const on = await ask(context.facadeUrls[VARIANT_PLANE.on], path);
    expect('off', path, off);
    expect('on', path, on);
    if (on.consistency === 'stale') stale++;
    const id = path.split('/')[3]?.split('?')[0] ?? '';
    const stock = stocks.get(id);
    const missed = stock !== undefined && (JSON.parse(on.body) as { stock?: number }).stock !== stock;
    if (off.body !== on.body || missed) {
      mismatches++;
      if (examples.length < 3) examples.push({ path, off: short(off), on: short(on) });
    }
  }
  return { writes: written.length, writeMs, appliedMs, checked: paths.length, mismatches, stale, examples };
}

/** Reads, through the facade's `PositionsStore`, the positions a byId read of every product and a search read carry now. */
export async function positionsCarried(
  facade: ForkedWorker,
  products: readonly ProductSummary[],
): Promise<PositionsCarried> {
  const reply = (await facade.ask({
    type: 'positions',
    requests: [
      ...products.map((p) => [{ aggregateType: 'product', aggregateId: p.id.toLowerCase() }]),
      [{ aggregateType: 'product' }],
    ],
  })) as Extract<Reply, { type: 'positions' }>;
  const byId = reply.counts.slice(0, products.length);
  const search = reply.counts[products.length] ?? null;
  const carrying = byId.filter((count): count is number => count !== null && count > 0);
  return {
    byId: {
      ids: products.length,
      carrying: carrying.length,
      shareOfReads: products.length > 0 ? carrying.length / products.length : 0,
      positionsPerCarryingRead: carrying.length > 0 ? Math.max(...carrying) : null,
    },
    search: { positionsPerRead: search },
    unanswered: reply.counts.filter((count) => count === null).length,
    recorded: reply.recorded,
    fromMemory: reply.fromMemory,
    planeReads: reply.reads,
  };
}
