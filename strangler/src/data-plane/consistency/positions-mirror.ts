import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { LoggerService } from '@nestjs/common';
import type { Position } from '@app/contracts';
import type { RedisConnection } from '@app/redis-streams';
import type { AwaitedKey } from '../../rules';
import { MirrorState, type PublishedPosition } from './mirror-state';
import { BEAT_SCRIPT, CHANGES_CHANNEL, ScriptRunner } from './positions-scripts';

const LOG_CONTEXT = 'StranglerConsistency';
const BEAT = new ScriptRunner(BEAT_SCRIPT);
/** Keys loaded per SCAN step. */
const SCAN_COUNT = 1_000;
/** Beats sent and not heard back, at most: older ones can no longer be trusted anyway. */
const MAX_BEATS_UNHEARD = 64;
/** An instance not heard from for this many leases is forgotten. */
const FORGET_AFTER_LEASES = 10;

export interface PositionsMirrorOptions {
  /** The store's connection: beats go through it, and the copy is loaded through it. */
  readonly redis: RedisConnection;
  /** `<prefix>consistency:` (on a Redis Cluster `<prefix>{<prefix>consistency}consistency:`): every key starts so. */
  readonly base: string;
  /** How long a beat keeps this instance's memory trusted, and listed as one whose acknowledgement writes wait for. */
  readonly leaseMs: number;
  readonly maxAggregates: number;
  readonly logger?: LoggerService;
  /** The clock of the aggregates' expiry (tests); by default `Date.now`. */
  readonly now?: () => number;
}

interface Waiter {
  readonly number: number;
  readonly waitingFor: Set<string>;
  readonly resolve: (confirmed: boolean) => void;
  readonly timer: NodeJS.Timeout;
}

type Change =
  | { k: 'r'; n: number; t: number; p: PublishedPosition[] | Record<string, never>; v: Record<string, number> }
  | { k: 'm'; u: string; p: PublishedPosition[] | Record<string, never>; c: Record<string, number> }
  | { k: 'a'; i: string; n: number; b: number };

const list = (positions: PublishedPosition[] | Record<string, never>): PublishedPosition[] =>
  Array.isArray(positions) ? positions : [];

/** SCAN's MATCH pattern of the keys that start with `text`. */
const startingWith = (text: string) => `${text.replace(/[*?[\]\\]/g, '\\$&')}*`;

/**
 * Keeps this instance's copy of the positions store in step with Redis, so that a read whose
 * positions are all known costs no round trip:
 *
 * - every change is published by the script that makes it (positions-scripts.ts); this instance
 *   applies what it hears, and loads the whole store once it hears its own beat after
 *   (re)subscribing (changes heard meanwhile apply too: values only grow);
 * - it beats every lease/4 through the store's connection, renewing its lease in Redis and saying
 *   which recording it applied last (after applying one, at once); hearing its own beat proves it
 *   heard everything published before it, so its memory is trusted until that beat's send time
 *   plus the lease, and not at all while unsubscribed or loading;
 * - a write's answer waits until every instance whose lease ran when it was recorded has
 *   acknowledged it, or its lease ended (then that instance no longer trusts its memory either):
 *   so a read answered after a write's answer, through any instance, knows of the write.
 */
export class PositionsMirror {
  readonly id = randomUUID();
  private readonly state: MirrorState;
  private readonly channel: string;
  private subscriber?: RedisConnection;
  private generation = 0;
  private loading = false;
  private loaded = false;
  /** Until when (performance.now()) memory is trusted. */
  private trustedUntil = 0;
  /** The highest recording number applied since subscribing. */
  private applied = 0;
  private beat = 0;
  private readonly beatsSent = new Map<number, number>();
  private beatSoon = false;
  private readonly acknowledged = new Map<string, { number: number; at: number }>();
  private readonly waiters = new Set<Waiter>();
  private timer?: NodeJS.Timeout;
  private closed = false;
  private readonly clock: () => number;

  constructor(private readonly options: PositionsMirrorOptions) {
    this.state = new MirrorState(options.maxAggregates);
    this.channel = `${options.base}${CHANGES_CHANNEL}`;
    this.clock = options.now ?? Date.now;
  }

  /** Whether reads can be answered from memory now. */
  get trusted(): boolean {
    return this.loaded && !this.closed && performance.now() < this.trustedUntil;
  }

  /** How many aggregates this copy holds. */
  get size(): number {
    return this.state.size;
  }

  /** Subscribes and starts beating; the copy is trusted once loaded (see {@link trusted}). */
  async start(): Promise<void> {
    const subscriber = this.options.redis.duplicate();
    this.subscriber = subscriber;
    subscriber.on('error', () => this.lost());
    subscriber.on('reconnecting', () => this.lost());
    subscriber.on('end', () => this.lost());
    subscriber.on('ready', () => this.sendBeat());
    await subscriber.connect();
    await subscriber.subscribe(this.channel, (message) => this.hear(message));
    this.timer = setInterval(() => this.tick(), Math.max(1, Math.floor(this.options.leaseMs / 4)));
    this.timer.unref();
    this.sendBeat();
  }

  /** Stops beating and leaves the members (writes stop waiting for this instance at once). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    for (const waiter of this.waiters) this.settle(waiter, false);
    const { redis, base } = this.options;
    if (redis.isReady) await redis.zRem(`${base}members`, this.id).catch(() => undefined);
    await this.subscriber?.close().catch(() => this.subscriber?.destroy());
  }

  /** The positions `keys` carry to `upstream`, from memory; `undefined` when not trusted or only Redis knows. */
  pending(keys: readonly AwaitedKey[], upstream: string): Position[] | undefined {
    if (!this.trusted) return undefined;
    return this.state.pending(keys, upstream, this.clock());
  }

  /**
   * Resolves once every instance listed (`members`: id, lease end, … as the record script returns
   * them, `redisNow` its time) acknowledged `number`: `true`; or, for those that did not, once
   * their lease ended: `false`.
   */
  confirmed(number: number, members: readonly string[], redisNow: number): Promise<boolean> {
    const waitingFor = new Set<string>();
    let longest = 0;
    for (let i = 0; i + 1 < members.length; i += 2) {
      const id = members[i] as string;
      if ((this.acknowledged.get(id)?.number ?? 0) >= number) continue;
      waitingFor.add(id);
      longest = Math.max(longest, Number(members[i + 1]) - redisNow);
    }
    if (waitingFor.size === 0 || this.closed) return Promise.resolve(waitingFor.size === 0);
    return new Promise<boolean>((resolve) => {
      // Measured from now, after Redis answered: a lease cannot end later than this here.
      const timer = setTimeout(() => this.settle(waiter, false), Math.max(0, longest) + 1);
      const waiter: Waiter = { number, waitingFor, resolve, timer };
      this.waiters.add(waiter);
    });
  }

  private hear(message: string): void {
    let change: Change;
    try {
      change = JSON.parse(message) as Change;
    } catch {
      return;
    }
    const now = this.clock();
    if (change.k === 'r') {
      this.state.record(list(change.p), Number(change.t), change.v ?? {}, now);
      this.applied = Math.max(this.applied, Number(change.n));
      this.beatAtOnce();
    } else if (change.k === 'm') {
      this.state.mark(change.u, list(change.p), change.c ?? {}, now);
    } else if (change.k === 'a') {
      this.heardBeat(change.i, Number(change.n), Number(change.b));
    }
  }

  private heardBeat(id: string, number: number, beat: number): void {
    const known = this.acknowledged.get(id);
    this.acknowledged.set(id, { number: Math.max(known?.number ?? 0, number), at: performance.now() });
    for (const waiter of this.waiters) {
      if (number >= waiter.number && waiter.waitingFor.delete(id) && waiter.waitingFor.size === 0) {
        this.settle(waiter, true);
      }
    }
    if (id !== this.id) return;
    const sentAt = this.beatsSent.get(beat);
    if (sentAt === undefined) return;
    for (const sent of this.beatsSent.keys()) if (sent <= beat) this.beatsSent.delete(sent);
    this.trustedUntil = Math.max(this.trustedUntil, sentAt + this.options.leaseMs);
    if (!this.loaded && !this.loading) void this.load(this.generation);
  }

  private settle(waiter: Waiter, confirmed: boolean): void {
    if (!this.waiters.delete(waiter)) return;
    clearTimeout(waiter.timer);
    waiter.resolve(confirmed);
  }

  /** The subscription dropped: what it would have heard is lost, so the copy starts again. */
  private lost(): void {
    this.generation += 1;
    this.loaded = false;
    this.loading = false;
    this.trustedUntil = 0;
    this.applied = 0;
    this.state.clear();
    this.acknowledged.clear();
    this.beatsSent.clear();
  }

  private beatAtOnce(): void {
    if (this.beatSoon) return;
    this.beatSoon = true;
    setImmediate(() => {
      this.beatSoon = false;
      this.sendBeat();
    });
  }

  private tick(): void {
    this.sendBeat();
    this.state.sweep(this.clock());
    const forgetBefore = performance.now() - FORGET_AFTER_LEASES * this.options.leaseMs;
    for (const [id, heard] of this.acknowledged) if (heard.at < forgetBefore) this.acknowledged.delete(id);
  }

  /** Renews the lease and acknowledges what was applied; only while subscribed (else the lease lapses). */
  private sendBeat(): void {
    const { redis, base, leaseMs } = this.options;
    if (this.closed || !redis.isReady || !this.subscriber?.isReady) return;
    const beat = ++this.beat;
    this.beatsSent.set(beat, performance.now());
    // Beats never heard (a subscription that hears nothing) are not kept forever.
    if (this.beatsSent.size > MAX_BEATS_UNHEARD) this.beatsSent.delete(beat - MAX_BEATS_UNHEARD);
    BEAT.run(redis, `${base}members`, [base, this.id, String(leaseMs), String(this.applied), String(beat)]).catch(
      () => {
        this.beatsSent.delete(beat);
      },
    );
  }

  /** Loads every aggregate, version and cursor from Redis into the copy (values only grow: changes heard meanwhile stay). */
  private async load(generation: number): Promise<void> {
    this.loading = true;
    const current = () => generation === this.generation && !this.closed;
    try {
      const { base } = this.options;
      await this.scan(`${base}aggregate:`, current, (keys) => this.loadAggregates(keys));
      await this.scan(`${base}version:`, current, async (keys) => {
        const values = await this.options.redis.mGet(keys);
        keys.forEach((key, i) => this.state.loadVersion(key.slice(`${base}version:`.length), Number(values[i] ?? 0)));
      });
      await this.scan(`${base}cursor:`, current, async (keys) => {
        const values = await this.options.redis.mGet(keys);
        keys.forEach((key, i) => {
          const [upstream, type] = key.slice(`${base}cursor:`.length).split(':');
          const version = Number(String(values[i] ?? '0:0').split(':')[1] ?? 0);
          if (upstream && type) this.state.loadCursor(upstream, type, version);
        });
      });
      if (current()) this.loaded = true;
    } catch (error) {
      // The next beat heard tries again.
      if (current()) {
        this.options.logger?.warn(
          `positions could not be loaded into memory (${error instanceof Error ? error.message : String(error)}): reads ask Redis meanwhile`,
          LOG_CONTEXT,
        );
      }
    } finally {
      if (generation === this.generation) this.loading = false;
    }
  }

  private async loadAggregates(keys: string[]): Promise<void> {
    const { redis, base } = this.options;
    const at = `${base}aggregate:`.length;
    const read = await Promise.all(keys.map((key) => Promise.all([redis.hGetAll(key), redis.pTTL(key)])));
    const now = this.clock();
    keys.forEach((key, i) => {
      const [hash, ttl] = read[i] as [Record<string, string>, number];
      const rest = key.slice(at);
      const split = rest.indexOf(':');
      if (split < 1) return;
      if (this.state.size >= this.options.maxAggregates) {
        this.state.missed(ttl, now);
        return;
      }
      this.state.loadAggregate(rest.slice(0, split), rest.slice(split + 1), hash, ttl, now);
    });
  }

  private async scan(prefix: string, current: () => boolean, each: (keys: string[]) => Promise<void>): Promise<void> {
    let cursor = '0';
    do {
      if (!current()) return;
      const reply = await this.options.redis.scan(cursor, { MATCH: startingWith(prefix), COUNT: SCAN_COUNT });
      cursor = String(reply.cursor);
      if (reply.keys.length > 0) await each(reply.keys.map(String));
    } while (cursor !== '0');
  }
}
