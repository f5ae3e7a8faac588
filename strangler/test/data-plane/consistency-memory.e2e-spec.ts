import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Registry } from 'prom-client';
import type { Position } from '@app/contracts';
import { type RedisConnection, connectOrFail, createRedisConnection } from '@app/redis-streams';
import { PositionsStore, type PositionsStoreOptions } from '../../src/data-plane/consistency';
import { RedisProcess } from '../../../tools/testing/redis-process';
import { TEST_REDIS_URL, deleteTestKeys, uniqueTestPrefix } from '../../../tools/testing/test-redis';
import { eventually } from '../../../tools/testing/test-streams';

const FIXTURE = join(__dirname, '..', 'fixtures', 'positions-instance.js');
const BUILT = join(__dirname, '..', '..', '..', 'dist', 'strangler', 'src', 'data-plane', 'consistency', 'index.js');

async function connect(url: string): Promise<RedisConnection> {
  const redis = createRedisConnection({ url, reconnectBaseDelayMs: 20, reconnectMaxDelayMs: 200 }, 'memory-test');
  redis.on('error', () => undefined);
  await connectOrFail(redis, url);
  return redis;
}

const at = (aggregateId: string, sequence: number, origin = 'legacy-monolith'): Position => ({
  origin,
  aggregateType: 'product',
  aggregateId,
  sequence,
});

const key = (aggregateId: string) => [{ aggregateType: 'product', aggregateId }];

/** Resolves in the turn of the event loop where the store's memory is first trusted (checked every turn). */
async function trusted(store: PositionsStore, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!store.memoryTrusted) {
    if (Date.now() > deadline) throw new Error(`memory not trusted within ${timeoutMs} ms`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A started store's instance in a child process (`fixtures/positions-instance.js`), to stop or kill. */
class Instance {
  private readonly replies: unknown[] = [];
  private waiting?: (reply: unknown) => void;
  private output = '';

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: { type: string }) => {
      if (this.waiting) {
        const deliver = this.waiting;
        this.waiting = undefined;
        deliver(message);
      } else {
        this.replies.push(message);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }

  static async start(env: Record<string, string>): Promise<Instance> {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run npm run build first`);
    const child = fork(FIXTURE, [], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const instance = new Instance(child);
    const first = (await instance.next()) as { type: string; message?: string };
    if (first.type !== 'ready') throw new Error(`the instance did not start: ${first.message} ${instance.output}`);
    return instance;
  }

  /** What the instance's memory answers for a product read to `upstream` now: `null` when it cannot. */
  async read(aggregateId: string, upstream = 'catalog'): Promise<Position[] | null> {
    this.child.send({ type: 'read', aggregateType: 'product', aggregateId, upstream });
    return ((await this.next()) as { positions: Position[] | null }).positions;
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const gone = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await gone;
  }

  private next(): Promise<unknown> {
    const queued = this.replies.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.child.once('exit', () => reject(new Error(`the instance exited: ${this.output}`)));
    });
  }
}

/**
 * Each facade instance keeps the positions in memory, in step through Redis's pub/sub: a read it
 * can answer from memory costs no round trip, and a write's answer waits until every instance
 * whose lease runs has acknowledged it, so that a read answered after it, through any instance,
 * knows of it.
 */
describe('positions kept in every instance’s memory', () => {
  let redis: RedisConnection;
  const prefix = uniqueTestPrefix('consistency-memory');
  const stores: PositionsStore[] = [];
  const connections: RedisConnection[] = [];

  /** A store on this test's prefix, over a connection of its own, as an instance has it; started unless told. */
  async function instance(options: Partial<PositionsStoreOptions> & { start?: boolean } = {}) {
    const connection = await connect(TEST_REDIS_URL);
    connections.push(connection);
    const store = await instanceOn(connection, options);
    if (options.start !== false) stores.push(store);
    return store;
  }

  /** A store on `connection`, started (and trusted) unless told. */
  async function instanceOn(
    connection: RedisConnection,
    options: Partial<PositionsStoreOptions> & { start?: boolean },
  ): Promise<PositionsStore> {
    const store = new PositionsStore({
      redis: connection,
      prefix,
      ttlMs: 60_000,
      windowMs: 60_000,
      metrics: new Registry(),
      ...options,
    });
    if (options.start !== false) {
      await store.start();
      await trusted(store);
    }
    return store;
  }

  beforeAll(async () => {
    redis = await connect(TEST_REDIS_URL);
  });

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await deleteTestKeys(prefix);
    for (const connection of [redis, ...connections]) connection.destroy();
  });

  it('knows a write recorded through another instance as soon as its answer may go, without a round trip', async () => {
    const [a, b] = [await instance(), await instance()];
    for (let i = 0; i < 50; i += 1) {
      const product = randomUUID();
      expect(await a.record([at(product, i + 1)])).toBe('ok');
      // Asked at once, in the same tick as the answer: memory must know it.
      expect(b.readKnown([{ aggregateType: 'product', aggregateId: product }], 'catalog')?.positions).toEqual([
        at(product, i + 1),
      ]);
    }
    // An aggregate never written is known to have nothing pending.
    expect(b.readKnown([{ aggregateType: 'product', aggregateId: randomUUID() }], 'catalog')).toEqual({
      positions: [],
      cursors: [],
    });
  });

  it('answers from memory what Redis answers, after any sequence of recordings and confirmations', async () => {
    const [writer, reader] = [await instance(), await instance()];
    const redisOnly = await instance({ start: false });
    const products = [randomUUID(), randomUUID(), randomUUID()];
    const upstreams = ['catalog', 'legacy'];
    const step = fc.oneof(
      fc.record({
        kind: fc.constant('record' as const),
        product: fc.constantFrom(...products),
        origin: fc.constantFrom('legacy-monolith', 'inventory'),
        sequence: fc.integer({ min: 1, max: 20 }),
      }),
      fc.record({
        kind: fc.constant('confirm' as const),
        product: fc.constantFrom(...products),
        upstream: fc.constantFrom(...upstreams),
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        for (const s of steps) {
          if (s.kind === 'record') {
            expect(await writer.record([at(s.product, s.sequence, s.origin)])).toBe('ok');
          } else {
            const sent = await redisOnly.read([{ aggregateType: 'product', aggregateId: s.product }], s.upstream);
            if (sent) await writer.markApplied(s.upstream, sent);
          }
        }
        // A recording is heard after every change published before it: the reader has them all.
        expect(await writer.record([at(randomUUID(), 1)])).toBe('ok');
        for (const product of products) {
          for (const upstream of upstreams) {
            const key = [{ aggregateType: 'product', aggregateId: product }];
            const fromRedis = await redisOnly.read(key, upstream);
            const sort = (list: Position[] | undefined) =>
              [...(list ?? [])].sort((x, y) => x.origin.localeCompare(y.origin));
            expect(sort(reader.readKnown(key, upstream)?.positions)).toEqual(sort(fromRedis?.positions));
          }
        }
      }),
      { numRuns: 25 },
    );
  });

  it('loads what Redis holds when it starts, confirmations and collections included', async () => {
    const writer = await instance();
    const [confirmed, pending] = [randomUUID(), randomUUID()];
    // Enough for several SCAN steps: trusted only once every one is loaded.
    const many = Array.from({ length: 2_500 }, () => at(randomUUID(), 1));
    for (let i = 0; i < many.length; i += 500) await writer.record(many.slice(i, i + 500));
    await writer.record([at(confirmed, 4), at(pending, 2, 'inventory')]);
    const sent = await writer.read([{ aggregateType: 'product', aggregateId: confirmed }], 'catalog');
    if (!sent) throw new Error('Redis did not answer');
    await writer.markApplied('catalog', sent);
    // The collection read to its end with nothing pending for legacy moves legacy's cursor.
    const late = await instance();
    for (const position of many)
      expect(late.readKnown(key(position.aggregateId), 'catalog')?.positions).toEqual([position]);
    expect(late.readKnown([{ aggregateType: 'product', aggregateId: confirmed }], 'catalog')?.positions).toEqual([]);
    expect(late.readKnown([{ aggregateType: 'product', aggregateId: confirmed }], 'legacy')?.positions).toEqual([
      at(confirmed, 4),
    ]);
    expect(late.readKnown([{ aggregateType: 'product', aggregateId: pending }], 'catalog')?.positions).toEqual([
      at(pending, 2, 'inventory'),
    ]);
    // A collection with positions its upstream has not confirmed is the read script's to answer.
    expect(late.readKnown([{ aggregateType: 'product' }], 'catalog')).toBeUndefined();
  });

  it('asks Redis for an aggregate it had no room for, and counts where each read was answered', async () => {
    const metrics = new Registry();
    const small = await instance({ memory: { maxAggregates: 2 }, metrics });
    const products = [randomUUID(), randomUUID(), randomUUID()];
    for (const [i, product] of products.entries()) await small.record([at(product, i + 1)]);
    // The first was dropped for room: memory cannot say it has nothing pending.
    expect(
      small.readKnown([{ aggregateType: 'product', aggregateId: products[0] as string }], 'catalog'),
    ).toBeUndefined();
    expect(small.readKnown([{ aggregateType: 'product', aggregateId: randomUUID() }], 'catalog')).toBeUndefined();
    expect(
      (await small.read([{ aggregateType: 'product', aggregateId: products[0] as string }], 'catalog'))?.positions,
    ).toEqual([at(products[0] as string, 1)]);
    expect(
      small.readKnown([{ aggregateType: 'product', aggregateId: products[2] as string }], 'catalog')?.positions,
    ).toEqual([at(products[2] as string, 3)]);
    const reads = metrics.getSingleMetric('strangler_consistency_reads_total');
    const values = reads ? (await reads.get()).values : [];
    expect(Object.fromEntries(values.map((v) => [v.labels.source, v.value]))).toEqual({ memory: 1, redis: 1 });
  });

  it('does not wait for an instance that closed', async () => {
    const writer = await instance();
    const leaving = await instance({ memory: { leaseMs: 60_000 } });
    await leaving.close();
    // Were it still listed, the write would wait out its minute-long lease.
    expect(await writer.record([at(randomUUID(), 1)])).toBe('ok');
  });

  it('holds a write until a stopped instance’s lease ends, and the instance does not trust its memory until it has heard the write', async () => {
    const writer = await instance({ memory: { leaseMs: 300 } });
    const stopped = await Instance.start({ REDIS_URL: TEST_REDIS_URL, PREFIX: prefix, LEASE_MS: '300' });
    try {
      const product = randomUUID();
      stopped.signal('SIGSTOP');
      // It cannot acknowledge: the write goes once its lease is over, counted as unconfirmed.
      expect(await writer.record([at(product, 1)])).toBe('unconfirmed');
      stopped.signal('SIGCONT');
      // From then on it either does not know (asks Redis) or knows the write; never "nothing pending".
      const answers = await eventually(
        async () => stopped.read(product),
        (positions) => positions !== null,
        5_000,
      );
      expect(answers).toEqual([at(product, 1)]);

      // Killed, it is waited for until its lease ends, then no more.
      await stopped.kill();
      await eventually(
        async () => writer.record([at(randomUUID(), 1)]),
        (outcome) => outcome === 'ok',
      );
      expect(await writer.record([at(randomUUID(), 1)])).toBe('ok');
    } finally {
      await stopped.kill();
    }
  });

  it('starts its memory again after Redis restarts, with its data and without', async () => {
    const own = await RedisProcess.start({ appendOnly: true });
    const [writerConnection, readerConnection] = [await connect(own.url), await connect(own.url)];
    const options = { prefix: uniqueTestPrefix('memory-restart'), memory: { leaseMs: 300 } };
    const writer = await instanceOn(writerConnection, options);
    const reader = await instanceOn(readerConnection, options);
    try {
      for (const keepData of [true, false]) {
        const before = randomUUID();
        expect(await writer.record([at(before, 1)])).toBe('ok');
        if (keepData) {
          // A clean shutdown writes everything to its append-only file first.
          const last = await connect(own.url);
          await last.sendCommand(['SHUTDOWN']).catch(() => undefined);
          last.destroy();
        }
        await own.kill();
        if (!keepData) own.deleteFiles();
        await own.restart();
        const after = randomUUID();
        await eventually(
          async () => writer.record([at(after, 2)]),
          (outcome) => outcome === 'ok',
        );
        // Until trusted again the reader asks Redis; once trusted it knows what Redis has.
        expect([null, 1]).toContain(reader.readKnown(key(after), 'catalog')?.positions.length ?? null);
        await trusted(reader);
        expect(reader.readKnown(key(after), 'catalog')?.positions).toEqual([at(after, 2)]);
        expect(reader.readKnown(key(before), 'catalog')?.positions).toEqual(keepData ? [at(before, 1)] : []);
      }
    } finally {
      await Promise.all([writer.close(), reader.close()]);
      writerConnection.destroy();
      readerConnection.destroy();
      await own.stop();
    }
  });
});
