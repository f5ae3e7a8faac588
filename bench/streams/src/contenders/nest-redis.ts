import { AsyncLocalStorage } from 'node:async_hooks';
import { Controller, type INestMicroservice, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClientRedis, EventPattern, MessagePattern, Transport } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import type { BenchConfig } from '../config';
import type { Contender } from '../contender';
import { Sink, callConcurrently, produceWindowed, timeEventsRound } from '../load';
import { type BenchMessage, MESSAGE } from '../message';
import type { LatencyRecorder } from '../../../common/src/stats';

function benchModule(sink: Sink, event: string, request: string): Type<unknown> {
  @Controller()
  class NestRedisBenchController {
    @EventPattern(event)
    onEvent(data: unknown): void {
      if ((data as BenchMessage).orderId) sink.hit();
    }

    @MessagePattern(request)
    onRequest(data: unknown): BenchMessage {
      return data as BenchMessage;
    }
  }
  @Module({ controllers: [NestRedisBenchController] })
  class NestRedisBenchModule {}
  return NestRedisBenchModule;
}

/** Nest's built-in Redis transport (pub/sub over ioredis, nothing stored, no acks). */
export class NestRedisContender implements Contender {
  private readonly sink = new Sink();
  // Pub/sub channels are not keys: they are global to the Redis server, so the prefix keeps them apart.
  private readonly event: string;
  private readonly request: string;
  private readonly options: { host: string; port: number };
  private app?: INestMicroservice;
  private client?: ClientRedis;

  constructor(
    private readonly config: BenchConfig,
    readonly name = 'nestRedis',
  ) {
    // Channels of their own per contender: another contender's subscribers must not hear them.
    this.event = `${config.prefix}${name}.event`;
    this.request = `${config.prefix}${name}.request`;
    const url = new URL(config.redisUrl);
    this.options = { host: url.hostname, port: Number(url.port || 6379) };
  }

  async start(): Promise<void> {
    this.app = await NestFactory.createMicroservice(benchModule(this.sink, this.event, this.request), {
      transport: Transport.REDIS,
      options: this.options,
      logger: false,
    });
    await this.app.listen();
    this.client = new ClientRedis(this.options);
    await this.client.connect();
    await lastValueFrom(this.client.send(this.request, MESSAGE));
  }

  eventsRound(count: number): Promise<number> {
    const client = this.client as ClientRedis;
    return timeEventsRound(
      () =>
        produceWindowed(count, this.config.producerWindow, () =>
          lastValueFrom(client.emit(this.event, MESSAGE), { defaultValue: undefined }),
        ),
      this.sink.until(count),
    );
  }

  requestsRound(count: number, callers: number, latencies: LatencyRecorder): Promise<number> {
    const client = this.client as ClientRedis;
    return callConcurrently(count, callers, () => lastValueFrom(client.send(this.request, MESSAGE)), latencies);
  }

  async stop(): Promise<void> {
    await this.client?.close();
    await this.app?.close();
  }
}

/**
 * Nest's Redis transport in a process where an AsyncLocalStorage is active, as in a service
 * that logs with request context or propagates trace ids: Node 20 then runs its
 * promise hooks for every promise. Reported for comparison, not a target.
 */
export class NestRedisWithAlsContender extends NestRedisContender {
  constructor(config: BenchConfig) {
    super(config, 'nestRedisAls');
  }

  override async start(): Promise<void> {
    new AsyncLocalStorage<{ context: string }>().enterWith({ context: 'service' });
    await super.start();
  }
}
