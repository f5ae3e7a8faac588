import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LoggerService } from '@nestjs/common';
import type { Counter, Registry } from 'prom-client';
import type { JwtCodec } from '@app/auth';
import type { RedisConnection } from '@app/redis-streams';
import type { CompiledRuleSet, RoutingDecision } from '../../rules';
import { RedisGuard } from '../redis-guard';
import { sharedCounter } from '../data-plane.metrics';
import { pinKeyOf } from './pin-key';
import { type PinOutcome, pinnedDecision } from './pinned-decision';

/** How long a request waits for Redis before it goes by the rules alone. */
export const DEFAULT_PIN_TIMEOUT_MS = 500;
export const PIN_HEADER = 'x-strangler-idempotency';
const LOG_CONTEXT = 'StranglerIdempotencyPins';
const METRIC = 'strangler_idempotency_pins_total';

export interface IdempotencyPinsOptions {
  /** A connection that fails commands at once while it is down (`createRedisConnection`). */
  readonly redis: RedisConnection;
  /** `REDIS_PREFIX`: every instance with the same prefix shares the pins. */
  readonly prefix: string;
  readonly ttlMs: number;
  /** Verifies the bearer token, whose `sub` is the caller; without it the `Authorization` value is. */
  readonly jwt?: JwtCodec;
  readonly metrics: Registry;
  readonly logger?: LoggerService;
  readonly timeoutMs?: number;
}

/** A key's pin as `explain` shows it. */
export interface PinView {
  readonly upstream: string;
  readonly expiresInMs: number;
}

/**
 * Pins each `Idempotency-Key` (per caller) to the upstream that took it first, in Redis, so
 * that a retry reaches the side whose database holds the key and replays its first answer,
 * whatever the rules say by then. Only keyed writes wait for Redis; everything else goes by
 * the rules without a round trip.
 */
export class IdempotencyPins {
  private readonly counter: Counter<'outcome'>;
  private readonly guard: RedisGuard;

  constructor(private readonly options: IdempotencyPinsOptions) {
    if (!Number.isInteger(options.ttlMs) || options.ttlMs < 1) {
      throw new TypeError('IdempotencyPins: ttlMs must be a positive integer (milliseconds)');
    }
    this.guard = new RedisGuard({
      redis: options.redis,
      timeoutMs: options.timeoutMs ?? DEFAULT_PIN_TIMEOUT_MS,
      logger: options.logger,
      context: LOG_CONTEXT,
      down: (why) =>
        `Idempotency-Key pins unavailable (${why}): keyed writes go by the rules alone until Redis answers`,
      back: 'Redis answers again: Idempotency-Key pins are kept',
    });
    this.counter = sharedCounter(
      options.metrics,
      METRIC,
      'Keyed writes by what their Idempotency-Key pin did: created, followed (a retry went to the pinned upstream), stale (the pinned upstream is gone from the rules), unavailable (Redis did not answer: routed by the rules).',
      ['outcome'],
    );
  }

  /**
   * The decision for `req`, or `undefined` when it takes no pin (a read, no key): then the
   * rules' decision stands and nothing waits. With `tag`, the answer says what the pin did
   * (`x-strangler-idempotency: created | followed | stale | unavailable`).
   */
  route(
    req: IncomingMessage,
    res: ServerResponse,
    rules: CompiledRuleSet,
    decision: RoutingDecision,
    tag: boolean,
  ): Promise<RoutingDecision> | undefined {
    const pin = pinKeyOf(req.method ?? 'GET', req.headers, this.options.jwt, this.options.prefix);
    if (pin === undefined) return undefined;
    return this.claim(pin, decision.upstream).then((pinned) => {
      const chosen = pinnedDecision(rules, decision, pinned);
      this.counter.inc({ outcome: chosen.outcome });
      if (chosen.outcome === 'stale') this.repin(pin, decision.upstream, pinned as string);
      if (tag && !res.headersSent) res.setHeader(PIN_HEADER, chosen.outcome satisfies PinOutcome);
      return chosen.decision;
    });
  }

  /**
   * Where a request with these headers would be pinned now, for `explain`: `undefined` when it
   * takes no pin (a read, no key), `null` when its key is free, `'unavailable'` when Redis did
   * not answer. Reads only; the pin is written by the request itself.
   */
  async peek(
    method: string,
    headers: Readonly<Record<string, string>>,
  ): Promise<PinView | null | 'unavailable' | undefined> {
    const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
    const pin = pinKeyOf(method.toUpperCase(), lower, this.options.jwt, this.options.prefix);
    if (pin === undefined) return undefined;
    // A read for people: it says unavailable without logging the outage.
    if (!this.options.redis.isReady) return 'unavailable';
    const found = await this.guard.run((redis) => Promise.all([redis.get(pin), redis.pTTL(pin)]));
    if (found === undefined) return 'unavailable';
    const [upstream, ttl] = found;
    return upstream === null ? null : { upstream: String(upstream), expiresInMs: Math.max(0, Number(ttl)) };
  }

  /** `SET pin upstream NX PX ttl GET`: the upstream that holds the key already, `undefined` when this call pinned it. */
  private async claim(pin: string, upstream: string): Promise<string | undefined | 'unavailable'> {
    const previous = await this.guard.run((redis) =>
      redis.set(pin, upstream, {
        condition: 'NX',
        expiration: { type: 'PX', value: this.options.ttlMs },
        GET: true,
      }),
    );
    if (previous === undefined) return 'unavailable';
    return previous === null ? undefined : String(previous);
  }

  /** A pin whose upstream left the rules now names the upstream the rules chose, for the rest of its time. */
  private repin(pin: string, upstream: string, gone: string): void {
    this.options.logger?.warn(
      `an Idempotency-Key pinned to ${gone}, which is no longer in the rules, goes to ${upstream}`,
      LOG_CONTEXT,
    );
    this.options.redis.set(pin, upstream, { condition: 'XX', expiration: 'KEEPTTL' }).catch(() => undefined);
  }
}
