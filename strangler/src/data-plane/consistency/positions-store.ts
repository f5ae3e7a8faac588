import type { LoggerService } from '@nestjs/common';
import type { Counter, Registry } from 'prom-client';
import { MAX_POSITIONS, type Position } from '@app/contracts';
import { type RedisConnection, isClusterConnection } from '@app/redis-streams';
import { RedisGuard } from '../redis-guard';
import { sharedCounter } from '../data-plane.metrics';
import { MARK_SCRIPT, READ_SCRIPT, RECORD_SCRIPT, ScriptRunner } from './positions-scripts';
import { PositionsMirror } from './positions-mirror';
import { positionsBase } from './positions-keys';
import { unconfirmedPositions } from './mirror-state';
import type { AwaitedKey } from '../../rules';

/** How long a request waits for Redis before it goes on without positions. */
export const DEFAULT_POSITIONS_TIMEOUT_MS = 500;
/** How long an instance's memory is trusted after a beat, and how long at most a write waits for an instance that stopped. */
export const DEFAULT_MEMORY_LEASE_MS = 1_000;
/** How many aggregates an instance keeps in memory, those written last. */
export const DEFAULT_MEMORY_MAX_AGGREGATES = 100_000;
const LOG_CONTEXT = 'StranglerConsistency';
const METRIC = 'strangler_consistency_total';
const READS_METRIC = 'strangler_consistency_reads_total';

export interface PositionsStoreOptions {
  /** A connection that fails commands at once while it is down (`createRedisConnection`). */
  readonly redis: RedisConnection;
  /** `REDIS_PREFIX`: every facade instance with the same prefix shares the positions. */
  readonly prefix: string;
  /** How long an aggregate's positions are kept after its last write. */
  readonly ttlMs: number;
  /** How far back a collection's writes are awaited. */
  readonly windowMs: number;
  readonly metrics: Registry;
  readonly logger?: LoggerService;
  readonly timeoutMs?: number;
  /** The clock of the collections (tests); by default Redis's own, shared by every instance. */
  readonly now?: () => number;
  /** The memory {@link PositionsStore.start} keeps: how long a beat keeps it trusted, how many aggregates it holds. */
  readonly memory?: { readonly leaseMs?: number; readonly maxAggregates?: number };
}

export type ConsistencyStep = 'record' | 'read';
export type ConsistencyOutcome = 'ok' | 'unavailable' | 'invalid' | 'truncated' | 'unconfirmed';
type ReadSource = 'memory' | 'redis';

/** At most this many positions go with one request (about 6 KB of header), the newest first. */
export const MAX_SENT_POSITIONS = 100;
/** How many of a collection's newest entries a read looks at. */
const COLLECTION_SCAN = 2 * MAX_POSITIONS;

/** Hashed once for every store. */
const SCRIPTS = {
  record: new ScriptRunner(RECORD_SCRIPT),
  read: new ScriptRunner(READ_SCRIPT),
  mark: new ScriptRunner(MARK_SCRIPT),
};

/** What a request carries to its upstream, and how far each collection it read was looked at. */
export interface PendingPositions {
  readonly positions: Position[];
  /** Per collection read to its end with something pending: its newest score, for {@link PositionsStore.markApplied}. */
  readonly cursors: readonly { readonly aggregateType: string; readonly score: number; readonly version: number }[];
}

/**
 * The positions of acknowledged writes, in Redis, shared by every facade instance: per
 * aggregate the highest sequence of each origin, and per aggregate type the positions written
 * within the window. A request reads those its route names and sends them to the side it goes
 * to, which answers once it has applied them.
 *
 * Once started ({@link start}), the store keeps a copy in memory, kept in step through Redis's
 * pub/sub (positions-mirror.ts): a read whose positions it knows costs no round trip, and a
 * write's answer waits until every started instance has the write. Without it, or while the copy
 * is not trusted, a read costs one round trip.
 *
 * Redis away is not an error for a client: a write is answered (it is committed), a read goes
 * without positions (it may then be stale); `strangler_consistency_total` counts both.
 */
export class PositionsStore {
  private readonly counter: Counter<'step' | 'outcome'>;
  private readonly reads: Record<ReadSource, { inc(): void }>;
  private readonly readOk: { inc(): void };
  private readonly guard: RedisGuard;
  /** `<prefix>consistency:`, or on a Redis Cluster `<prefix>{<prefix>consistency}consistency:`: every key starts so. */
  private readonly base: string;
  /** A key of the store, by which a cluster sends the scripts to the node holding the store. */
  private readonly scriptKey: string;
  private mirror?: PositionsMirror;

  constructor(private readonly options: PositionsStoreOptions) {
    for (const field of ['ttlMs', 'windowMs'] as const) {
      if (!Number.isInteger(options[field]) || options[field] < 1) {
        throw new TypeError(`PositionsStore: ${field} must be a positive integer (milliseconds)`);
      }
    }
    for (const field of ['leaseMs', 'maxAggregates'] as const) {
      const value = options.memory?.[field];
      if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
        throw new TypeError(`PositionsStore: memory.${field} must be a positive integer`);
      }
    }
    this.base = positionsBase(options.prefix, { cluster: isClusterConnection(options.redis) });
    this.scriptKey = `${this.base}change`;
    this.guard = new RedisGuard({
      redis: options.redis,
      timeoutMs: options.timeoutMs ?? DEFAULT_POSITIONS_TIMEOUT_MS,
      logger: options.logger,
      context: LOG_CONTEXT,
      down: (why) =>
        `positions of writes unavailable (${why}): reads go without them, and may be stale, until Redis answers`,
      back: 'Redis answers again: reads wait for the writes before them',
    });
    this.counter = sharedCounter(
      options.metrics,
      METRIC,
      'Positions of writes recorded (step record) and read for requests (step read), by outcome: ok, unavailable (Redis did not answer: a write is answered anyway, a read goes without positions), invalid (a side sent a malformed positions header), truncated (more were pending than one request carries: the newest went), unconfirmed (a write answered once an instance’s lease ended, without its acknowledgement).',
      ['step', 'outcome'],
    );
    this.readOk = this.counter.labels('read', 'ok');
    const reads = sharedCounter(
      options.metrics,
      READS_METRIC,
      'Reads of positions for requests, by where they were answered: memory (this instance knew them all) or redis (one round trip).',
      ['source'],
    );
    this.reads = { memory: reads.labels('memory'), redis: reads.labels('redis') };
  }

  /**
   * Keeps a copy of the positions in memory from now on (subscribes, beats, loads what Redis
   * has): reads it knows cost no round trip, and this instance's writes wait for every started
   * instance's acknowledgement. Resolves once subscribed; the copy is used once loaded.
   */
  async start(): Promise<void> {
    if (this.mirror) return;
    const mirror = new PositionsMirror({
      redis: this.options.redis,
      base: this.base,
      leaseMs: this.options.memory?.leaseMs ?? DEFAULT_MEMORY_LEASE_MS,
      maxAggregates: this.options.memory?.maxAggregates ?? DEFAULT_MEMORY_MAX_AGGREGATES,
      logger: this.options.logger,
    });
    this.mirror = mirror;
    try {
      await mirror.start();
    } catch (error) {
      this.mirror = undefined;
      await mirror.close();
      throw error;
    }
  }

  /** Whether a read now is answered from memory when it names only what memory knows. */
  get memoryTrusted(): boolean {
    return this.mirror?.trusted ?? false;
  }

  /** Stops the copy: other instances' writes stop waiting for this one. */
  async close(): Promise<void> {
    const mirror = this.mirror;
    this.mirror = undefined;
    await mirror?.close();
  }

  /** Counts an outcome decided outside the store (a malformed header). */
  count(step: ConsistencyStep, outcome: ConsistencyOutcome): void {
    this.counter.inc({ step, outcome });
  }

  /**
   * Keeps the positions a write's answer reported; resolves once Redis has them and every
   * started instance acknowledged them (`ok`), or an instance's lease ended first
   * (`unconfirmed`), or Redis failed (`unavailable`).
   */
  async record(positions: readonly Position[]): Promise<ConsistencyOutcome> {
    if (positions.length === 0) return 'ok';
    const { ttlMs, windowMs } = this.options;
    const args = [this.base, String(ttlMs), String(windowMs), this.nowArg()];
    for (const p of positions) args.push(p.origin, p.aggregateType, p.aggregateId.toLowerCase(), String(p.sequence));
    const reply = (await this.guard.run((redis) => SCRIPTS.record.run(redis, this.scriptKey, args))) as
      string[] | undefined;
    let outcome: ConsistencyOutcome = reply === undefined ? 'unavailable' : 'ok';
    if (reply !== undefined && this.mirror) {
      const [number, redisNow, ...members] = reply.map(String);
      const confirmed = await this.mirror.confirmed(Number(number), members, Number(redisNow));
      if (!confirmed) outcome = 'unconfirmed';
    }
    this.counter.inc({ step: 'record', outcome });
    return outcome;
  }

  /**
   * What {@link read} would answer, from memory at once; `undefined` when only Redis knows
   * (the copy is not trusted, or a collection has positions the upstream has not confirmed).
   */
  readKnown(keys: readonly AwaitedKey[], upstream: string): PendingPositions | undefined {
    const known = this.mirror?.pending(keys, upstream);
    if (known === undefined) return undefined;
    this.reads.memory.inc();
    return this.pendingOf(known, []);
  }

  /**
   * The positions an answer about `keys` from `upstream` must reflect and that `upstream` has not
   * confirmed yet (see {@link markApplied}): each aggregate's, and each collection's within the
   * window, newest first, at most {@link MAX_SENT_POSITIONS}; `undefined` when Redis did not answer.
   */
  async read(keys: readonly AwaitedKey[], upstream: string): Promise<PendingPositions | undefined> {
    if (keys.length === 0) return { positions: [], cursors: [] };
    const known = this.readKnown(keys, upstream);
    if (known) return known;
    this.reads.redis.inc();
    const found = await this.guard.run(async (redis) => {
      if (keys.every((key) => key.aggregateId !== undefined)) {
        return this.readAggregates(redis, keys as readonly Required<AwaitedKey>[], upstream);
      }
      if (await this.confirmedUpToNewest(redis, keys, upstream)) return [];
      return SCRIPTS.read.run(redis, this.scriptKey, this.readArgs(keys, upstream));
    });
    if (found === undefined) {
      this.counter.inc({ step: 'read', outcome: 'unavailable' });
      return undefined;
    }
    const positions: Position[] = [];
    const cursors: { aggregateType: string; score: number; version: number }[] = [];
    for (const entry of found as (string | Position)[]) {
      if (typeof entry !== 'string') {
        positions.push(entry);
        continue;
      }
      const text = String(entry);
      if (text.startsWith('#')) {
        const [aggregateType, score, version] = text
          .slice(1)
          .split(':')
          .map((part, i) => (i ? Number(part) : part));
        if (typeof aggregateType === 'string' && Number.isFinite(score) && Number.isFinite(version)) {
          cursors.push({ aggregateType, score: score as number, version: version as number });
        }
        continue;
      }
      const [origin, aggregateType, aggregateId, sequenceText] = text.split(':');
      const sequence = Number(sequenceText);
      if (!origin || !aggregateType || !aggregateId) continue;
      positions.push({ origin, aggregateType, aggregateId, sequence });
    }
    return this.pendingOf(positions, cursors);
  }

  /** The highest of each aggregate's origin, valid ones only, at most {@link MAX_SENT_POSITIONS} (counted). */
  private pendingOf(found: readonly Position[], cursors: PendingPositions['cursors']): PendingPositions {
    if (found.length === 0) {
      this.readOk.inc();
      return { positions: [], cursors };
    }
    const highest = new Map<string, Position>();
    for (const position of found) {
      const { origin, aggregateType, aggregateId, sequence } = position;
      if (!Number.isSafeInteger(sequence) || sequence < 1) continue;
      const at = `${origin}:${aggregateType}:${aggregateId}`;
      const known = highest.get(at);
      if (!known || known.sequence < sequence) highest.set(at, position);
    }
    const positions = [...highest.values()];
    if (positions.length > MAX_SENT_POSITIONS) {
      // The rest stays pending, and the collections' cursors where they were.
      this.counter.inc({ step: 'read', outcome: 'truncated' });
      return { positions: positions.slice(0, MAX_SENT_POSITIONS), cursors: [] };
    }
    this.readOk.inc();
    return { positions, cursors };
  }

  /**
   * `upstream` answered with every position it was sent reflected (`x-ficus-applied`): later
   * reads routed there no longer carry them, nor look again at the collections' entries up to
   * `cursors`. Best effort: a mark Redis misses only means they are sent (and found applied) once more.
   */
  async markApplied(upstream: string, sent: PendingPositions): Promise<void> {
    if (sent.positions.length === 0 && sent.cursors.length === 0) return;
    const args = [this.base, upstream, String(this.options.windowMs), String(sent.positions.length)];
    for (const p of sent.positions) args.push(p.origin, p.aggregateType, p.aggregateId, String(p.sequence));
    for (const cursor of sent.cursors) args.push(cursor.aggregateType, String(cursor.score), String(cursor.version));
    await this.guard.run((redis) => SCRIPTS.mark.run(redis, this.scriptKey, args));
  }

  /**
   * Whether the upstream confirmed every position its collections ever took (one `MGET` of each
   * collection's version and the upstream's cursor): then a request naming only collections
   * carries nothing, without the read script.
   */
  private async confirmedUpToNewest(
    redis: RedisConnection,
    keys: readonly AwaitedKey[],
    upstream: string,
  ): Promise<boolean> {
    if (keys.some((key) => key.aggregateId !== undefined)) return false;
    const names = keys.flatMap((key) => [
      `${this.base}version:${key.aggregateType}`,
      `${this.base}cursor:${upstream}:${key.aggregateType}`,
    ]);
    const values = await redis.mGet(names);
    for (let i = 0; i < values.length; i += 2) {
      const version = Number(values[i] ?? 0);
      const confirmed = Number(String(values[i + 1] ?? '0:0').split(':')[1] ?? 0);
      if (!(version <= confirmed)) return false;
    }
    return true;
  }

  private readArgs(keys: readonly AwaitedKey[], upstream: string): string[] {
    const args = [this.base, upstream, String(this.options.windowMs), this.nowArg(), String(COLLECTION_SCAN)];
    for (const key of keys) args.push(key.aggregateType, key.aggregateId ?? '');
    return args;
  }

  /**
   * Aggregates alone: each one's hash (positions and the upstream's marks) with one `HGETALL`, sent
   * in one pipeline and compared here, which costs Redis and the facade less than a script.
   */
  private async readAggregates(
    redis: RedisConnection,
    keys: readonly Required<AwaitedKey>[],
    upstream: string,
  ): Promise<Position[]> {
    const hashes = await Promise.all(
      keys.map((key) => redis.hGetAll(`${this.base}aggregate:${key.aggregateType}:${key.aggregateId}`)),
    );
    const out: Position[] = [];
    keys.forEach((key, i) =>
      unconfirmedPositions(hashes[i] as Record<string, string>, key.aggregateType, key.aggregateId, upstream, out),
    );
    return out;
  }

  /** The time scripts score by: Redis's own ('') unless a test gives its clock. */
  private nowArg(): string {
    return this.options.now ? String(this.options.now()) : '';
  }
}
