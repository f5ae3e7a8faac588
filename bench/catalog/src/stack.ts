import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchConfig } from './config';
import { ServiceProcess, runToEnd } from './services';
import type { Teardown } from './teardown';

const log = (line: string) => process.stderr.write(`${line}\n`);

/** The compiled entries the benchmark runs (paths under `dist/`). */
export const ENTRIES = {
  monolith: 'legacy-monolith/src/main.js',
  seed: 'legacy-monolith/src/seed/seed.main.js',
  catalog: 'apps/catalog/src/main.js',
} as const;

/** The demo data of `npm run seed:legacy`. */
export const DEMO_PRODUCTS = 1_000;

/** The monolith's default admin account (`ADMIN_EMAIL`, `ADMIN_PASSWORD`). */
const ADMIN = { email: 'admin@example.com', password: 'admin-password' };

/** One product as the API answers it (the fields the benchmark uses). */
export interface ProductSummary {
  readonly id: string;
  readonly name: string;
  readonly stock: number;
}

export interface StackTimings {
  readonly seedMs: number;
  readonly startMs: number;
  readonly backfillMs: number;
  /** From the backfill's answer until the catalog serves every product and its consumer is idle. */
  readonly catchUpMs: number;
}

async function json<T>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  return { status: response.status, body: (await response.json()) as T };
}

/** Every product of a service, through `GET /api/products` pages of 100. */
export async function listProducts(baseUrl: string): Promise<ProductSummary[]> {
  const products: ProductSummary[] = [];
  for (let offset = 0; ; offset += 100) {
    const page = await json<{ items: ProductSummary[]; total: number }>(
      `${baseUrl}/api/products?limit=100&offset=${offset}`,
    );
    if (page.status !== 200) throw new Error(`${baseUrl}/api/products answered ${page.status}`);
    products.push(...page.body.items);
    if (page.body.items.length < 100) return products;
  }
}

interface ReadinessBody {
  readonly info?: { events?: { streams?: { stream: string; pending: number; lag: number | null }[] } };
}

/** Whether a service's event consumer has nothing pending and nothing left to read (its `/health/ready`). */
export async function consumerIdle(service: ServiceProcess): Promise<boolean> {
  const { status, body } = await json<ReadinessBody>(`${service.url}/health/ready`);
  const streams = body.info?.events?.streams;
  return status === 200 && streams !== undefined && streams.every((s) => s.pending === 0 && (s.lag ?? 0) === 0);
}

/** An access token of the monolith's admin account (`ADMIN_EMAIL`, `ADMIN_PASSWORD`'s defaults). */
export async function adminToken(monolith: ServiceProcess): Promise<string> {
  const token = await json<{ accessToken: string }>(`${monolith.url}/api/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  if (token.status !== 200) throw monolith.failure(`refused the admin's token (${token.status})`);
  return token.body.accessToken;
}

/** The file a service's CPU profile goes to, if `BENCH_CPU_PROF` names it. */
export async function profileFile(config: BenchConfig, name: string): Promise<string | undefined> {
  if (!config.cpuProfile.includes(name)) return undefined;
  const dir = resolve(config.cpuProfileDir);
  await mkdir(dir, { recursive: true });
  return join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`);
}

/**
 * The services under test, on fresh SQLite files in a temp dir and keys under the run's
 * prefix: the monolith, seeded with the demo data, and the catalog, built from the monolith's
 * events and its backfill. Everything it starts is registered with the teardown.
 */
export class BenchStack {
  private constructor(
    readonly dir: string,
    readonly monolith: ServiceProcess,
    readonly catalog: ServiceProcess,
    readonly timings: StackTimings,
    /** Where each profiled service writes its CPU profile (`BENCH_CPU_PROF`). */
    readonly profileFiles: Readonly<Record<'monolith' | 'catalog', string | undefined>>,
  ) {}

  /** The catalog's SQLite file (read after the lag rounds for its inbox times). */
  get catalogDatabase(): string {
    return join(this.dir, 'catalog.sqlite');
  }

  static async start(config: BenchConfig, teardown: Teardown): Promise<BenchStack> {
    const dir = await mkdtemp(join(tmpdir(), 'ficus-bench-catalog-'));
    teardown.add(`remove ${dir}`, () => rm(dir, { recursive: true, force: true }));
    const env = (name: string): NodeJS.ProcessEnv => ({
      ...process.env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      REDIS_URL: config.redisUrl,
      REDIS_PREFIX: config.prefix,
      DATABASE_URL: `sqlite:${join(dir, `${name}.sqlite`)}`,
      JWT_SECRET: randomBytes(24).toString('hex'),
      SHUTDOWN_TIMEOUT_MS: '2000',
      // The demo customers' passwords: the lowest cost, so seeding takes seconds (no product read uses it).
      PASSWORD_SCRYPT_COST: '10',
    });
    const monolithEnv = env('legacy');

    let mark = performance.now();
    const lap = () => {
      const now = performance.now();
      const ms = now - mark;
      mark = now;
      return ms;
    };
    log('seeding the monolith with the demo data (seed.main.js)');
    await runToEnd('seed', ENTRIES.seed, monolithEnv);
    const seedMs = lap();

    const profileFiles = {
      monolith: await profileFile(config, 'monolith'),
      catalog: await profileFile(config, 'catalog'),
    };
    const monolith = await ServiceProcess.start('monolith', ENTRIES.monolith, monolithEnv, profileFiles.monolith);
    teardown.add('stop the monolith', () => monolith.stop());
    const catalog = await ServiceProcess.start('catalog', ENTRIES.catalog, env('catalog'), profileFiles.catalog);
    teardown.add('stop the catalog', () => catalog.stop());
    await Promise.all([monolith.ready(config.readyTimeoutMs), catalog.ready(config.readyTimeoutMs)]);
    const startMs = lap();

    log('backfill: POST /api/admin/backfill');
    const backfill = await json<{ products: number }>(`${monolith.url}/api/admin/backfill`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await adminToken(monolith)}` },
    });
    if (backfill.status !== 200 || backfill.body.products !== DEMO_PRODUCTS) {
      throw monolith.failure(`answered the backfill with ${backfill.status} ${JSON.stringify(backfill.body)}`);
    }
    const backfillMs = lap();

    const deadline = Date.now() + config.readyTimeoutMs;
    for (;;) {
      const page = await json<{ total?: number }>(`${catalog.url}/api/products?limit=1`);
      if (page.body.total === DEMO_PRODUCTS && (await consumerIdle(catalog)) && (await consumerIdle(monolith))) break;
      if (Date.now() > deadline) {
        throw catalog.failure(`did not serve all ${DEMO_PRODUCTS} products (it has ${page.body.total}) in time`);
      }
      await sleep(200);
    }
    return new BenchStack(dir, monolith, catalog, { seedMs, startMs, backfillMs, catchUpMs: lap() }, profileFiles);
  }
}
