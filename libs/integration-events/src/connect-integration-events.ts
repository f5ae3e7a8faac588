import type { INestApplication } from '@nestjs/common';
import { eventSchemas, eventByPattern } from '@app/contracts';
import { RedisStreamsServer } from '@app/redis-streams';
import { MetricsRegistry } from '@app/service-defaults';
import { EventsServer } from './events-server';
import { InboundEvents } from './inbound-events';
import { type IntegrationEventsConfig, integrationEventsConfig } from './integration-events.config';
import { RESEND_REQUESTED, resendRequestSchema } from './resend/resend-request.message';
import { EVENTS_ORIGIN } from './tokens';

/**
 * Makes the app a hybrid app that consumes the integration events it declared, with a
 * `RedisStreamsServer` in the consumer group named after its origin, and starts it.
 * Messages whose data fails their contract go to the dead-letter stream at once, with why.
 *
 * @example
 * const app = await buildLegacyApp();
 * await connectIntegrationEvents(app);
 * await listenHttpService(app);
 */
export async function connectIntegrationEvents(app: INestApplication): Promise<RedisStreamsServer> {
  const config = app.get<IntegrationEventsConfig>(integrationEventsConfig.KEY);
  const origin = app.get<string>(EVENTS_ORIGIN);
  const patterns = app.get(InboundEvents).patterns;
  const definitions = patterns.flatMap((pattern) => eventByPattern(pattern) ?? []);
  const server = new RedisStreamsServer({
    service: origin,
    url: config.redisUrl,
    prefix: config.redisPrefix,
    concurrency: config.concurrency,
    maxDeliveries: config.maxDeliveries,
    retryBaseDelayMs: config.retryBaseDelayMs,
    retryMaxDelayMs: config.retryMaxDelayMs,
    claimIdleMs: config.claimIdleMs,
    livenessTtlMs: config.livenessTtlMs,
    heartbeatIntervalMs: config.heartbeatIntervalMs,
    schemas: { ...eventSchemas(definitions), [RESEND_REQUESTED]: resendRequestSchema },
    metrics: app.get(MetricsRegistry).registry,
  });
  app.connectMicroservice({ strategy: server }, { inheritAppConfig: true });
  await app.startAllMicroservices();
  app.get(EventsServer).set(server);
  return server;
}
