import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { RedisStreamsServer } from './redis-streams.server';

/** Limits past which a consuming service is reported down. */
export interface StreamsHealthLimits {
  /** Messages delivered but not yet acknowledged, per stream. Default 10,000. */
  readonly maxPending?: number;
  /** Messages not yet delivered to the group, per stream. Default 100,000. */
  readonly maxLag?: number;
  /** Entries in the service's dead-letter stream. Default 1,000. */
  readonly maxDeadLetters?: number;
}

export const DEFAULT_HEALTH_LIMITS: Required<StreamsHealthLimits> = {
  maxPending: 10_000,
  maxLag: 100_000,
  maxDeadLetters: 1_000,
};

/**
 * Terminus indicator of a consuming service: Redis answers, and for each stream the
 * group's pending count and lag, and the dead-letter depth, are within limits. The
 * details are reported either way.
 *
 * @example
 * ready() { return this.health.check([() => this.streams.check('streams', this.server, { maxLag: 1_000 })]); }
 */
@Injectable()
export class RedisStreamsHealthIndicator {
  constructor(private readonly indicators: HealthIndicatorService) {}

  async check(
    key: string,
    server: RedisStreamsServer,
    limits: StreamsHealthLimits = {},
  ): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(key);
    const { maxPending, maxLag, maxDeadLetters } = { ...DEFAULT_HEALTH_LIMITS, ...limits };
    let state: Awaited<ReturnType<RedisStreamsServer['inspect']>>;
    try {
      state = await server.inspect();
    } catch (error) {
      return session.down({
        message: `Redis does not answer: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
    const problems: string[] = [];
    for (const stream of state.streams) {
      if (stream.pending > maxPending)
        problems.push(`${stream.stream}: ${stream.pending} pending (limit ${maxPending})`);
      if (stream.lag !== null && stream.lag > maxLag)
        problems.push(`${stream.stream}: lag ${stream.lag} (limit ${maxLag})`);
    }
    if (state.deadLetters > maxDeadLetters)
      problems.push(`${state.deadLetters} dead letters (limit ${maxDeadLetters})`);
    return problems.length > 0
      ? session.down({ streams: state.streams, deadLetters: state.deadLetters, problems })
      : session.up({ streams: state.streams, deadLetters: state.deadLetters });
  }
}
