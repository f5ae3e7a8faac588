import type { LoggerService } from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';
import { MAX_POSITIONS, type Position } from '@app/contracts';
import type { RedisConnection } from '@app/redis-streams';
import { RedisGuard } from '../redis-guard';
import { MARK_SCRIPT, READ_SCRIPT, RECORD_SCRIPT, ScriptRunner } from './positions-scripts';
import type { AwaitedKey } from '../../rules';

/** How long a request waits for Redis before it goes on without positions. */
export const DEFAULT_POSITIONS_TIMEOUT_MS = 500;
const LOG_CONTEXT = 'StranglerConsistency';
const METRIC = 'strangler_consistency_total';

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
}

export type ConsistencyStep = 'record' | 'read';
export type ConsistencyOutcome = 'ok' | 'unavailable' | 'invalid' | 'truncated';

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
 * within the window. A request reads those its route names (one round trip) and sends them
 * to the side it goes to, which answers once it has applied them.
 *
 * Redis away is not an error for a client: a write is answered (it is committed), a read goes
 * without positions (it may then be stale); `strangler_consistency_total` counts both.
 */
export class PositionsStore {
  private readonly counter: Counter<'step' | 'outcome'>;
  private readonly guard: RedisGuard;

  constructor(private readonly options: PositionsStoreOptions) {
    for (const field of ['ttlMs', 'windowMs'] as const) {
      if (!Number.isInteger(options[field]) || options[field] < 1) {
        throw new TypeError(`PositionsStore: ${field} must be a positive integer (milliseconds)`);
      }
    }
    this.guard = new RedisGuard({
      redis: options.redis,
      timeoutMs: options.timeoutMs ?? DEFAULT_POSITIONS_TIMEOUT_MS,
      logger: options.logger,
      context: LOG_CONTEXT,
      down: (why) =>
        `positions of writes unavailable (${why}): reads go without them, and may be stale, until Redis answers`,
      back: 'Redis answers again: reads wait for the writes before them',
    });
    this.counter =
      (options.metrics.getSingleMetric(METRIC) as Counter<'step' | 'outcome'> | undefined) ??
      new Counter({
        name: METRIC,
        help: 'Positions of writes recorded (step record) and read for requests (step read), by outcome: ok, unavailable (Redis did not answer: a write is answered anyway, a read goes without positions), invalid (a side sent a malformed positions header), truncated (more were pending than one request carries: the newest went).',
        labelNames: ['step', 'outcome'],
        registers: [options.metrics],
      });
  }

  /** Counts an outcome decided outside the store (a malformed header). */
  count(step: ConsistencyStep, outcome: ConsistencyOutcome): void {
    this.counter.inc({ step, outcome });
  }

  /** Keeps the positions a write's answer reported; resolves once Redis has them, or has failed to. */
  async record(positions: readonly Position[]): Promise<ConsistencyOutcome> {
    if (positions.length === 0) return 'ok';
    const { ttlMs, windowMs } = this.options;
    const args = [this.base, String(ttlMs), String(windowMs), this.nowArg()];
    for (const p of positions) args.push(p.origin, p.aggregateType, p.aggregateId.toLowerCase(), String(p.sequence));
    const outcome = await this.guard.run((redis) => SCRIPTS.record.run(redis, args));
    this.counter.inc({ step: 'record', outcome: outcome === undefined ? 'unavailable' : 'ok' });
    return outcome === undefined ? 'unavailable' : 'ok';
  }

  /**
   * The positions an answer about `keys` from `upstream` must reflect and that `upstream` has not
   * confirmed yet (see {@link markApplied}): each aggregate's, and each collection's within the
   * window, newest first, at most {@link MAX_SENT_POSITIONS}; `undefined` when Redis did not answer.
   */
  async read(keys: readonly AwaitedKey[], upstream: string): Promise<PendingPositions | undefined> {
    if (keys.length === 0) return { positions: [], cursors: [] };
    const found = await this.guard.run(async (redis) => {
      if (keys.every((key) => key.aggregateId !== undefined)) {
        return this.readAggregates(redis, keys as readonly Required<AwaitedKey>[], upstream);
      }
      if (await this.confirmedUpToNewest(redis, keys, upstream)) return [];
      return SCRIPTS.read.run(redis, this.readArgs(keys, upstream));
    });
    if (found === undefined) {
      this.counter.inc({ step: 'read', outcome: 'unavailable' });
      return undefined;
    }
    const highest = new Map<string, Position>();
    const cursors: { aggregateType: string; score: number; version: number }[] = [];
    for (const entry of found as string[]) {
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
      if (!origin || !aggregateType || !aggregateId || !Number.isSafeInteger(sequence) || sequence < 1) continue;
      const at = `${origin}:${aggregateType}:${aggregateId}`;
      const known = highest.get(at);
      if (!known || known.sequence < sequence) highest.set(at, { origin, aggregateType, aggregateId, sequence });
    }
    const positions = [...highest.values()];
    if (positions.length > MAX_SENT_POSITIONS) {
      // The rest stays pending, and the collections' cursors where they were.
      this.counter.inc({ step: 'read', outcome: 'truncated' });
      return { positions: positions.slice(0, MAX_SENT_POSITIONS), cursors: [] };
    }
    this.counter.inc({ step: 'read', outcome: 'ok' });
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
    await this.guard.run((redis) => SCRIPTS.mark.run(redis, args));
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
   * in one pipeline and compared here, which costs Redis and the facade less than a script;
   * entries as the read script gives them.
   */
  private async readAggregates(
    redis: RedisConnection,
    keys: readonly Required<AwaitedKey>[],
    upstream: string,
  ): Promise<string[]> {
    const hashes = await Promise.all(
      keys.map((key) => redis.hGetAll(`${this.base}aggregate:${key.aggregateType}:${key.aggregateId}`)),
    );
    const out: string[] = [];
    keys.forEach((key, i) => {
      const fields = hashes[i] as Record<string, string>;
      for (const origin in fields) {
        if (origin.charCodeAt(0) === 64) continue; // '@': an upstream's mark
        const sequence = fields[origin] as string;
        if (Number(sequence) > Number(fields[`@${upstream}:${origin}`] ?? 0)) {
          out.push(`${origin}:${key.aggregateType}:${key.aggregateId}:${sequence}`);
        }
      }
    });
    return out;
  }

  private get base(): string {
    return `${this.options.prefix}consistency:`;
  }

  /** The time scripts score by: Redis's own ('') unless a test gives its clock. */
  private nowArg(): string {
    return this.options.now ? String(this.options.now()) : '';
  }
}
