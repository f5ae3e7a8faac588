import type { BenchConfig } from '../config';
import type { Contender } from '../contender';
import { Sink, callConcurrently, produceWindowed, timeEventsRound } from '../load';
import { type BenchMessage, MESSAGE } from '../message';
import { type Connection, firstStreamEntries, redisConnection } from '../redis';
import type { LatencyRecorder } from '../../../common/src/stats';

const GROUP = 'bench';
const CONSUMER = 'bench-1';
const BLOCK_MS = '1000';
/** The same trimming the transport applies by default (its `maxLen`), and to reply streams. */
const MAXLEN = '100000';
const REPLY_MAXLEN = '10000';

/**
 * The baseline: the same work written by hand on node-redis, with nothing around it. Events:
 * XADD, XREADGROUP COUNT on its own connection, XACK pipelined in front of the next read.
 * Requests: XADD to a request stream; a server loop XREADGROUP → XADD to the caller's reply
 * stream + XACK; the caller XREADs its reply stream.
 */
export class BareStreamsContender implements Contender {
  readonly name = 'bare';
  private readonly events: string;
  private readonly requests: string;
  private readonly replies: string;
  private readonly producer: Connection;
  private readonly eventReader: Connection;
  private readonly serverReader: Connection;
  private readonly serverCommands: Connection;
  private readonly replyReader: Connection;
  private readonly sink = new Sink();
  private readonly pending = new Map<string, (response: unknown) => void>();
  private readonly loops: Promise<void>[] = [];
  private running = false;
  private sequence = 0;
  private failure?: Error;

  constructor(private readonly config: BenchConfig) {
    this.events = `${config.prefix}bare:evt`;
    this.requests = `${config.prefix}bare:req`;
    this.replies = `${config.prefix}bare:rep:1`;
    const connect = () => redisConnection(config.redisUrl);
    this.producer = connect();
    this.eventReader = connect();
    this.serverReader = connect();
    this.serverCommands = connect();
    this.replyReader = connect();
  }

  private get connections(): Connection[] {
    return [this.producer, this.eventReader, this.serverReader, this.serverCommands, this.replyReader];
  }

  async start(): Promise<void> {
    await Promise.all(this.connections.map((connection) => connection.connect()));
    for (const stream of [this.events, this.requests]) {
      await this.producer.sendCommand(['XGROUP', 'CREATE', stream, GROUP, '0', 'MKSTREAM']);
    }
    this.running = true;
    this.loops.push(this.consumeEvents(), this.serveRequests(), this.readReplies());
    await this.call();
  }

  eventsRound(count: number): Promise<number> {
    return timeEventsRound(
      () =>
        produceWindowed(count, this.config.producerWindow, () =>
          this.producer.sendCommand(['XADD', this.events, 'MAXLEN', '~', MAXLEN, '*', 'data', JSON.stringify(MESSAGE)]),
        ),
      this.sink.until(count),
    );
  }

  requestsRound(count: number, callers: number, latencies: LatencyRecorder): Promise<number> {
    return callConcurrently(count, callers, () => this.call(), latencies);
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const connection of this.connections) connection.destroy();
    await Promise.all(this.loops.map((loop) => loop.catch(() => undefined)));
  }

  private fail(error: unknown): void {
    if (!this.running) return;
    this.failure ??= error as Error;
    process.stderr.write(`bare contender failed: ${String(error)}\n`);
  }

  /** The event consumer: read a batch, handle each entry, acknowledge the batch. */
  private async consumeEvents(): Promise<void> {
    const read = ['XREADGROUP', 'GROUP', GROUP, CONSUMER, 'COUNT', String(this.config.batchSize)];
    read.push('BLOCK', BLOCK_MS, 'STREAMS', this.events, '>');
    while (this.running) {
      const reply = await this.eventReader.sendCommand(read).catch((error: unknown) => this.fail(error));
      if (this.failure) return;
      const entries = firstStreamEntries(reply);
      if (entries.length === 0) continue;
      const ids: string[] = [];
      for (const [id, fields] of entries) {
        const message = JSON.parse(fields[1] as string) as BenchMessage;
        if (message.orderId) ids.push(id);
      }
      this.eventReader.sendCommand(['XACK', this.events, GROUP, ...ids]).then(
        () => this.sink.hit(ids.length),
        (error: unknown) => this.fail(error),
      );
    }
  }

  /** The request server: read a batch, append each reply to its caller's stream, acknowledge the batch. */
  private async serveRequests(): Promise<void> {
    const read = ['XREADGROUP', 'GROUP', GROUP, CONSUMER, 'COUNT', String(this.config.batchSize)];
    read.push('BLOCK', BLOCK_MS, 'STREAMS', this.requests, '>');
    const onError = (error: unknown) => this.fail(error);
    while (this.running) {
      const reply = await this.serverReader.sendCommand(read).catch(onError);
      if (this.failure) return;
      const entries = firstStreamEntries(reply);
      if (entries.length === 0) continue;
      const ids: string[] = [];
      for (const [entryId, fields] of entries) {
        // Fields: id <request id> replyTo <stream> data <json>
        const data = JSON.parse(fields[5] as string) as BenchMessage;
        const body = JSON.stringify({ response: data });
        this.serverCommands
          .sendCommand([
            'XADD',
            fields[3] as string,
            'MAXLEN',
            '~',
            REPLY_MAXLEN,
            '*',
            'id',
            fields[1] as string,
            'data',
            body,
          ])
          .catch(onError);
        ids.push(entryId);
      }
      this.serverCommands.sendCommand(['XACK', this.requests, GROUP, ...ids]).catch(onError);
    }
  }

  /** The caller's reply reader: XREAD its reply stream and settle the waiting calls. */
  private async readReplies(): Promise<void> {
    let lastId = '0-0';
    while (this.running) {
      const reply = await this.replyReader
        .sendCommand(['XREAD', 'COUNT', '256', 'BLOCK', BLOCK_MS, 'STREAMS', this.replies, lastId])
        .catch((error: unknown) => this.fail(error));
      if (this.failure) return;
      const entries = firstStreamEntries(reply);
      for (const [entryId, fields] of entries) {
        lastId = entryId;
        const id = fields[1] as string;
        const resolve = this.pending.get(id);
        if (!resolve) continue;
        this.pending.delete(id);
        resolve((JSON.parse(fields[3] as string) as { response: unknown }).response);
      }
    }
  }

  private call(): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = String(++this.sequence);
    return new Promise((resolve, reject) => {
      this.pending.set(id, resolve);
      this.producer
        .sendCommand([
          'XADD',
          this.requests,
          'MAXLEN',
          '~',
          MAXLEN,
          '*',
          'id',
          id,
          'replyTo',
          this.replies,
          'data',
          JSON.stringify(MESSAGE),
        ])
        .catch(reject);
    });
  }
}
