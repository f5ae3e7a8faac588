import type { Position } from '@app/contracts';
import type { AwaitedKey } from '../../rules';

/** A recorded or marked position as the scripts publish it: origin, type, id, sequence. */
export type PublishedPosition = readonly [origin: string, aggregateType: string, aggregateId: string, sequence: number];

/**
 * Appends to `out` the positions of one aggregate that `upstream` has not confirmed: `fields` is
 * the aggregate's hash as the store keeps it (origin → highest sequence, `@<upstream>:<origin>` →
 * the highest that upstream confirmed), from Redis or from memory.
 */
export function unconfirmedPositions(
  fields: { readonly [field: string]: string | number | undefined },
  aggregateType: string,
  aggregateId: string,
  upstream: string,
  out: Position[],
): void {
  for (const origin in fields) {
    if (origin.charCodeAt(0) === 64) continue; // '@': an upstream's mark
    const sequence = Number(fields[origin]);
    if (sequence > Number(fields[`@${upstream}:${origin}`] ?? 0)) {
      out.push({ origin, aggregateType, aggregateId, sequence });
    }
  }
}

interface Aggregate {
  /** The hash's fields, as numbers. */
  readonly fields: Record<string, number>;
  /** When Redis drops the hash (ttl after its last write), by this process's clock. */
  expiresAt: number;
}

const aggregateKey = (aggregateType: string, aggregateId: string) => `${aggregateType}:${aggregateId}`;
const cursorKey = (upstream: string, aggregateType: string) => `${upstream}\n${aggregateType}`;

/**
 * An instance's copy of the positions store (positions-mirror.ts keeps it in step with Redis):
 * the aggregates' hashes, the collections' versions and the upstreams' cursors. Every value only
 * grows, so changes apply in any order and twice without harm. At most `maxAggregates` are kept,
 * those written last; while one it dropped could still be in Redis, an aggregate it does not
 * know is not known to be without positions (`pending` answers `undefined`).
 */
export class MirrorState {
  /** In the order of their last write: the first ones expire first. */
  private readonly aggregates = new Map<string, Aggregate>();
  private readonly versions = new Map<string, number>();
  private readonly cursors = new Map<string, number>();
  /** Until when an aggregate dropped for room may still have positions in Redis. */
  private incompleteUntil = 0;

  constructor(private readonly maxAggregates: number) {}

  get size(): number {
    return this.aggregates.size;
  }

  clear(): void {
    this.aggregates.clear();
    this.versions.clear();
    this.cursors.clear();
    this.incompleteUntil = 0;
  }

  /** A recording: each position raises its aggregate's origin, kept `ttlMs` from `now`. */
  record(positions: readonly PublishedPosition[], ttlMs: number, versions: Record<string, number>, now: number): void {
    for (const [origin, type, id, sequence] of positions) {
      const key = aggregateKey(type, id);
      const known = this.aggregates.get(key);
      const aggregate = known && known.expiresAt > now ? known : { fields: {}, expiresAt: 0 };
      if (!((aggregate.fields[origin] ?? 0) >= sequence)) aggregate.fields[origin] = sequence;
      aggregate.expiresAt = now + ttlMs;
      // Last written, last in the map.
      this.aggregates.delete(key);
      this.aggregates.set(key, aggregate);
    }
    for (const type in versions) this.raise(this.versions, type, Number(versions[type]));
    this.keepWithin(now);
  }

  /** A mark: `upstream` confirmed these positions (of aggregates still kept) and collections up to these versions. */
  mark(upstream: string, positions: readonly PublishedPosition[], cursors: Record<string, number>, now: number): void {
    for (const [origin, type, id, sequence] of positions) {
      const aggregate = this.aggregates.get(aggregateKey(type, id));
      if (aggregate && aggregate.expiresAt > now) this.raise(aggregate.fields, `@${upstream}:${origin}`, sequence);
    }
    for (const type in cursors) this.raise(this.cursors, cursorKey(upstream, type), Number(cursors[type]));
  }

  /** An aggregate's hash as Redis has it, with the time it has left (`PTTL`). */
  loadAggregate(type: string, id: string, hash: Record<string, string>, ttlLeftMs: number, now: number): void {
    if (ttlLeftMs <= 0) return;
    const key = aggregateKey(type, id);
    const aggregate = this.aggregates.get(key) ?? { fields: {}, expiresAt: 0 };
    for (const field in hash) this.raise(aggregate.fields, field, Number(hash[field]));
    aggregate.expiresAt = Math.max(aggregate.expiresAt, now + ttlLeftMs);
    this.aggregates.set(key, aggregate);
    this.keepWithin(now);
  }

  loadVersion(type: string, version: number): void {
    this.raise(this.versions, type, version);
  }

  loadCursor(upstream: string, type: string, version: number): void {
    this.raise(this.cursors, cursorKey(upstream, type), version);
  }

  /** Counts an aggregate that was not loaded (no room) as possibly in Redis for `ttlMs`. */
  missed(ttlMs: number, now: number): void {
    this.incompleteUntil = Math.max(this.incompleteUntil, now + ttlMs);
  }

  /**
   * The positions an answer about `keys` from `upstream` must reflect, as the store's read would
   * find them in Redis; `undefined` when only Redis knows: a collection with positions the
   * upstream has not confirmed (the read script looks at its entries), or an aggregate this copy
   * may have dropped for room.
   */
  pending(keys: readonly AwaitedKey[], upstream: string, now: number): Position[] | undefined {
    const out: Position[] = [];
    for (const key of keys) {
      if (key.aggregateId === undefined) {
        const version = this.versions.get(key.aggregateType) ?? 0;
        if (version > (this.cursors.get(cursorKey(upstream, key.aggregateType)) ?? 0)) return undefined;
        continue;
      }
      const aggregate = this.aggregates.get(aggregateKey(key.aggregateType, key.aggregateId));
      if (!aggregate || aggregate.expiresAt <= now) {
        if (now < this.incompleteUntil) return undefined;
        continue;
      }
      unconfirmedPositions(aggregate.fields, key.aggregateType, key.aggregateId, upstream, out);
    }
    return out;
  }

  /** Drops the aggregates whose time ran out (from the oldest write on, up to the first that has not). */
  sweep(now: number): void {
    for (const [key, aggregate] of this.aggregates) {
      if (aggregate.expiresAt > now) break;
      this.aggregates.delete(key);
    }
  }

  private keepWithin(now: number): void {
    for (const [key, aggregate] of this.aggregates) {
      if (this.aggregates.size <= this.maxAggregates) break;
      this.aggregates.delete(key);
      if (aggregate.expiresAt > now) this.incompleteUntil = Math.max(this.incompleteUntil, aggregate.expiresAt);
    }
  }

  private raise(into: Map<string, number> | Record<string, number>, key: string, value: number): void {
    if (!Number.isFinite(value)) return;
    if (into instanceof Map) {
      if (!((into.get(key) ?? 0) >= value)) into.set(key, value);
    } else if (!((into[key] ?? 0) >= value)) {
      into[key] = value;
    }
  }
}
