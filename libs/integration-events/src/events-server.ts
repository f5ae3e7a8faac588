import { Injectable } from '@nestjs/common';
import type { RedisStreamsServer } from '@app/redis-streams';

/** Holds the transport server once {@link connectIntegrationEvents} made it (health checks read it). */
@Injectable()
export class EventsServer {
  private server: RedisStreamsServer | undefined;

  set(server: RedisStreamsServer): void {
    this.server = server;
  }

  get(): RedisStreamsServer | undefined {
    return this.server;
  }
}
