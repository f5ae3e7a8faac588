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
export type ConsistencyOutcome = 'ok' | 'unavailable' | 'invalid' | 'truncated';

/** At most this many positions go with one request (about 6 KB of header), the newest first. */
export const MAX_SENT_POSITIONS = 100;
/** How many of a collection's newest entries a read looks at. */
const COLLECTION_SCAN = 2 * MAX_POSITIONS;

/*
 * What a request to an upstream must await: per key (ARGV from 5 on: type, id; an empty id is the
 * collection), the positions not yet confirmed by that upstream, whose marks are per aggregate
 * (`applied:<upstream>:<type>:<id>`, origin → sequence). Returns `origin:type:id:sequence` entries,
 * collections newest first. ARGV: key prefix, upstream, window start, collection scan limit.
 * The keys of the marks are known only from the collection's entries, so they are built here:
 * the store needs one Redis, not a Cluster.
 */
const READ_SCRIPT = `
local base, upstream, since, scan = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local out = {}
local function pending(origin, type, id, sequence)
  local confirmed = tonumber(redis.call('HGET', base .. 'applied:' .. upstream .. ':' .. type .. ':' .. id, origin) or '0')
  if tonumber(sequence) > confirmed then out[#out + 1] = origin .. ':' .. type .. ':' .. id .. ':' .. sequence end
end
for i = 5, #ARGV, 2 do
  local type, id = ARGV[i], ARGV[i + 1]
  if id == '' then
    local members = redis.call('ZRANGE', base .. 'collection:' .. type, '+inf', since, 'BYSCORE', 'REV', 'LIMIT', 0, scan)
    for _, member in ipairs(members) do
      local origin, aggregate, sequence = string.match(member, '^([^:]+):([^:]+):([^:]+)$')
      if origin then pending(origin, type, aggregate, sequence) end
    end
  else
    local known = redis.call('HGETALL', base .. 'aggregate:' .. type .. ':' .. id)
    for j = 1, #known, 2 do pending(known[j], type, id, known[j + 1]) end
  end
end
return out
`;

/*
 * Marks positions as reflected by an upstream: raises the upstream's mark of each origin in the
 * aggregate (never lowers it), kept as long as the aggregate's positions. ARGV: key prefix,
 * upstream, ttl, then origin, type, id, sequence per position.
 */
const MARK_SCRIPT = `
local base, upstream, ttl = ARGV[1], ARGV[2], tonumber(ARGV[3])
for i = 4, #ARGV, 4 do
  local origin, type, id, sequence = ARGV[i], ARGV[i + 1], ARGV[i + 2], tonumber(ARGV[i + 3])
  local key = base .. 'applied:' .. upstream .. ':' .. type .. ':' .. id
  local known = tonumber(redis.call('HGET', key, origin) or '0')
  if sequence > known then redis.call('HSET', key, origin, sequence) end
  redis.call('PEXPIRE', key, ttl)
end
return 1
`;

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
   * The positions an answer about `keys` from `upstream` must reflect and that `upstream` has not
   * confirmed yet (see {@link markApplied}): each aggregate's, and each collection's within the
   * window, newest first, at most {@link MAX_SENT_POSITIONS}; `undefined` when Redis did not answer.
   */
  async read(keys: readonly AwaitedKey[], upstream: string): Promise<Position[] | undefined> {
    if (keys.length === 0) return [];
    const { prefix, windowMs } = this.options;
    const args = [`${prefix}consistency:`, upstream, String(this.now() - windowMs), String(COLLECTION_SCAN)];
    for (const key of keys) args.push(key.aggregateType, key.aggregateId ?? '');
    const found = await this.guard.run((redis) => redis.eval(READ_SCRIPT, { keys: [], arguments: args }));
    if (found === undefined) {
      this.counter.inc({ step: 'read', outcome: 'unavailable' });
      return undefined;
    }
    const highest = new Map<string, Position>();
    for (const entry of found as string[]) {
      const [origin, aggregateType, aggregateId, text] = String(entry).split(':');
      const sequence = Number(text);
      if (!origin || !aggregateType || !aggregateId || !Number.isSafeInteger(sequence) || sequence < 1) continue;
      const at = `${origin}:${aggregateType}:${aggregateId}`;
      const known = highest.get(at);
      if (!known || known.sequence < sequence) highest.set(at, { origin, aggregateType, aggregateId, sequence });
    }
    const positions = [...highest.values()];
    const truncated = positions.length > MAX_SENT_POSITIONS;
    this.counter.inc({ step: 'read', outcome: truncated ? 'truncated' : 'ok' });
    return truncated ? positions.slice(0, MAX_SENT_POSITIONS) : positions;
  }

  /**
   * `upstream` answered with every one of `positions` reflected (`x-ficus-applied`): later reads
   * routed there no longer carry them. Best effort: a mark Redis misses only means they are sent
   * (and found applied) once more.
   */
  async markApplied(upstream: string, positions: readonly Position[]): Promise<void> {
    if (positions.length === 0) return;
    const args = [`${this.options.prefix}consistency:`, upstream, String(this.options.ttlMs)];
    for (const p of positions) args.push(p.origin, p.aggregateType, p.aggregateId, String(p.sequence));
    await this.guard.run((redis) => redis.eval(MARK_SCRIPT, { keys: [], arguments: args }));
  }

  private aggregateKey(type: string, id: string): string {
    return `${this.options.prefix}consistency:aggregate:${type}:${id}`;
  }

  private collectionKey(type: string): string {
    return `${this.options.prefix}consistency:collection:${type}`;
  }
}
