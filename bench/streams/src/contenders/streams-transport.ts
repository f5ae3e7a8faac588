import { Controller, type INestMicroservice, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, MessagePattern } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { RedisStreamsClient, RedisStreamsServer } from '@app/redis-streams';
import type { BenchConfig } from '../config';
import type { Contender } from '../contender';
import { Sink, callConcurrently, produceWindowed, timeEventsRound } from '../load';
import { type BenchMessage, MESSAGE } from '../message';
import { redisConnection } from '../redis';
import type { LatencyRecorder } from '../../../common/src/stats';

const SERVICE = 'bench-svc';
const EVENT = 'bench.event';
const REQUEST = 'bench.request';
/** The longest the client accepts (24 h): its keep-alive then never runs during a benchmark. */
const REPLY_TTL_MS = 24 * 3_600_000;

function benchModule(sink: Sink): Type<unknown> {
  @Controller()
  class TransportBenchController {
    @EventPattern(EVENT)
    onEvent(data: unknown): void {
      if ((data as BenchMessage).orderId) sink.hit();
    }

    @MessagePattern(REQUEST)
    onRequest(data: unknown): BenchMessage {
      return data as BenchMessage;
    }
  }
  @Module({ controllers: [TransportBenchController] })
  class TransportBenchModule {}
  return TransportBenchModule;
}

/** This transport: RedisStreamsClient.emit/send → RedisStreamsServer handlers, acked. */
export class StreamsTransportContender implements Contender {
  readonly name = 'transport';
  private readonly sink = new Sink();
  private app?: INestMicroservice;
  private server?: RedisStreamsServer;
  private client?: RedisStreamsClient;
  /** Polls XPENDING, to count an events round only once every entry was acknowledged. */
  private readonly probe;

  constructor(private readonly config: BenchConfig) {
    this.probe = redisConnection(config.redisUrl);
  }

  async start(): Promise<void> {
    const { redisUrl: url, prefix } = this.config;
    this.server = new RedisStreamsServer({
      url,
      prefix,
      service: SERVICE,
      concurrency: this.config.concurrency,
      batchSize: this.config.batchSize,
    });
    this.app = await NestFactory.createMicroservice(benchModule(this.sink), { strategy: this.server, logger: false });
    await this.app.listen();
    this.client = new RedisStreamsClient({
      url,
      prefix,
      origin: 'bench',
      service: SERVICE,
      // The reply stream's keep-alive (every replyTtlMs / 3) re-creates it with XADD MAXLEN 0, which
      // also trims replies not yet read, and their requests time out. Keep it out of the run.
      replyTtlMs: REPLY_TTL_MS,
    });
    await this.client.connect();
    await lastValueFrom(this.client.send(REQUEST, MESSAGE));
    await this.probe.connect();
  }

  async eventsRound(count: number): Promise<number> {
    const client = this.client as RedisStreamsClient;
    const server = this.server as RedisStreamsServer;
    const stream = server.keys.events(EVENT);
    return timeEventsRound(
      () =>
        produceWindowed(count, this.config.producerWindow, () =>
          lastValueFrom(client.emit(EVENT, MESSAGE), { defaultValue: undefined }),
        ),
      this.sink.until(count),
      async () => {
        // Handled is not yet acknowledged: the acks leave in a batch right after.
        for (;;) {
          const [pending] = (await this.probe.sendCommand(['XPENDING', stream, server.group])) as [number];
          if (Number(pending) === 0) return;
        }
      },
    );
  }

  requestsRound(count: number, callers: number, latencies: LatencyRecorder): Promise<number> {
    const client = this.client as RedisStreamsClient;
    return callConcurrently(count, callers, () => lastValueFrom(client.send(REQUEST, MESSAGE)), latencies);
  }

  async stop(): Promise<void> {
    await this.client?.close();
    await this.app?.close();
    if (this.probe.isOpen) await this.probe.close();
  }
}
