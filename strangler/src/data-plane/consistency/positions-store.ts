import type { LoggerService } from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';
import { MAX_POSITIONS, type Position } from '@app/contracts';
import type { RedisConnection } from '@app/redis-streams';
import { RedisGuard } from '../redis-guard';
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
  /** The clock of the collections' window (tests). */
  readonly now?: () => number;
}

export type ConsistencyStep = 'record' | 'read';
export type ConsistencyOutcome = 'ok' | 'unavailable' | 'invalid';

/*
 * Per position: raises the origin's sequence in the aggregate's hash (never lowers it: of two
 * facades recording one aggregate, the later answer may carry the lower number), keeps the
 * hash for ttl, and adds the position to its type's collection, a sorted set by time from
 * which what left the window is trimmed.
 * KEYS: aggregate hash, collection set, … (two per position). ARGV: ttl, window, now, then
 * origin, id, sequence per position.
 */
const RECORD_SCRIPT = `
local ttl, window, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
for i = 1, #KEYS / 2 do
  local aggregate, collection = KEYS[2 * i - 1], KEYS[2 * i]
  local origin, id, sequence = ARGV[3 * i + 1], ARGV[3 * i + 2], tonumber(ARGV[3 * i + 3])
  local known = tonumber(redis.call('HGET', aggregate, origin) or '0')
  if sequence > known then redis.call('HSET', aggregate, origin, sequence) end
  redis.call('PEXPIRE', aggregate, ttl)
  redis.call('ZADD', collection, now, origin .. ':' .. id .. ':' .. sequence)
  redis.call('ZREMRANGEBYSCORE', collection, '-inf', '(' .. (now - window))
  redis.call('PEXPIRE', collection, window)
end
return #KEYS / 2
`;

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
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private readonly guard: RedisGuard;

  constructor(private readonly options: PositionsStoreOptions) {
    for (const field of ['ttlMs', 'windowMs'] as const) {
      if (!Number.isInteger(options[field]) || options[field] < 1) {
        throw new TypeError(`PositionsStore: ${field} must be a positive integer (milliseconds)`);
      }
    }
    this.timeoutMs = options.timeoutMs ?? DEFAULT_POSITIONS_TIMEOUT_MS;
    this.now = options.now ?? Date.now;
    this.guard = new RedisGuard({
      redis: options.redis,
      timeoutMs: this.timeoutMs,
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
        help: 'Positions of writes recorded (step record) and read for requests (step read), by outcome: ok, unavailable (Redis did not answer: a write is answered anyway, a read goes without positions), invalid (a side sent a malformed positions header).',
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
    const keys: string[] = [];
    const args = [String(ttlMs), String(windowMs), String(this.now())];
    for (const p of positions) {
      const id = p.aggregateId.toLowerCase();
      keys.push(this.aggregateKey(p.aggregateType, id), this.collectionKey(p.aggregateType));
      args.push(p.origin, id, String(p.sequence));
    }
    const outcome = await this.guard.run((redis) => redis.eval(RECORD_SCRIPT, { keys, arguments: args }));
    this.counter.inc({ step: 'record', outcome: outcome === undefined ? 'unavailable' : 'ok' });
    return outcome === undefined ? 'unavailable' : 'ok';
  }

  /**
   * The positions an answer about `keys` must reflect: each aggregate's, and each collection's
   * within the window (the newest `MAX_POSITIONS` in all); `undefined` when Redis did not answer.
   */
  async read(keys: readonly AwaitedKey[]): Promise<Position[] | undefined> {
    if (keys.length === 0) return [];
    const { windowMs } = this.options;
    const since = this.now() - windowMs;
    const found = await this.guard.run((redis) =>
      Promise.all(
        keys.map((key) =>
          key.aggregateId === undefined
            ? redis.zRange(this.collectionKey(key.aggregateType), '+inf', since, {
                BY: 'SCORE',
                REV: true,
                LIMIT: { offset: 0, count: MAX_POSITIONS },
              })
            : redis.hGetAll(this.aggregateKey(key.aggregateType, key.aggregateId)),
        ),
      ),
    );
    if (found === undefined) {
      this.counter.inc({ step: 'read', outcome: 'unavailable' });
      return undefined;
    }
    const highest = new Map<string, Position>();
    const keep = (origin: string, aggregateType: string, aggregateId: string, sequence: number) => {
      if (!Number.isSafeInteger(sequence) || sequence < 1) return;
      const at = `${origin}:${aggregateType}:${aggregateId}`;
      const known = highest.get(at);
      if (!known || known.sequence < sequence) highest.set(at, { origin, aggregateType, aggregateId, sequence });
    };
    keys.forEach((key, i) => {
      const value = found[i];
      if (Array.isArray(value)) {
        for (const member of value) {
          const [origin, id, sequence] = String(member).split(':');
          if (origin && id && sequence) keep(origin, key.aggregateType, id, Number(sequence));
        }
      } else if (value && key.aggregateId !== undefined) {
        for (const [origin, sequence] of Object.entries(value as Record<string, string>)) {
          keep(origin, key.aggregateType, key.aggregateId, Number(sequence));
        }
      }
    });
    this.counter.inc({ step: 'read', outcome: 'ok' });
    return [...highest.values()].slice(0, MAX_POSITIONS);
  }

  private aggregateKey(type: string, id: string): string {
    return `${this.options.prefix}consistency:aggregate:${type}:${id}`;
  }

  private collectionKey(type: string): string {
    return `${this.options.prefix}consistency:collection:${type}`;
  }
}
