import { type CustomTransportStrategy, type MessageHandler, type ReadPacket, Server } from '@nestjs/microservices';
import { finalize, isObservable, lastValueFrom } from 'rxjs';
import { AckBatcher } from './ack-batcher';
import { Claimer } from './claimer';
import type { Clock } from './clock';
import { ConcurrencyGate } from './concurrency-gate';
import type { ConsumedStream, ConsumerHost } from './consumer-host';
import { type DeadLetter, replayDeadLetters } from './dead-letters';
import { Deliveries } from './deliveries';
import type { Envelope } from './envelope';
import { StreamKeys } from './keys';
import { Heartbeat, livenessKey } from './liveness';
import { type RedisStreamsServerOptions, type ServerSettings, serverSettings } from './options';
import {
  ConnectionStatus,
  connectOrFail,
  type RedisConnection,
  type RedisStreamsStatus,
  createRedisConnection,
  redisVersion,
} from './redis-connection';
import { RedisStreamsContext } from './redis-streams.context';
import { StreamsMetrics } from './redis-streams.metrics';
import { runReadLoop } from './read-loop';
import { RequestReplies } from './request-replies';
import { RetryScheduler } from './retry-scheduler';
import { type StreamState, inspectStreams } from './stream-inspection';

type ServerEvents = {
  error: (error: Error) => void;
};

/** Waits for `work`, but not longer than `ms` on `clock` (not at all when `ms` ≤ 0); says whether it finished. */
async function within(work: Promise<unknown>, clock: Clock, ms: number): Promise<boolean> {
  let cancel: (() => void) | undefined;
  const timeout =
    ms <= 0
      ? Promise.resolve(false)
      : new Promise<boolean>((resolve) => {
          cancel = clock.setTimer(ms, () => resolve(false)).cancel;
        });
  try {
    return await Promise.race([work.then(() => true), timeout]);
  } finally {
    cancel?.();
  }
}

/**
 * A Nest transport over Redis streams: `@MessagePattern` handlers answer requests from
 * `<prefix>req:<service>`, `@EventPattern` handlers consume `<prefix>evt:<pattern>`, each
 * through the consumer group `<service>`, so instances of a service share the work and
 * every service sees every event. A message is acknowledged only after its handler
 * succeeded; failures are retried with backoff and end in `<prefix>dlq:<service>`;
 * messages left by a crashed instance are taken over by a live one as soon as its liveness
 * key expires (or, failing that, claimed once idle for `claimIdleMs`).
 *
 * What to do with each delivery is decided by {@link decideDelivery}; the reading loop
 * ({@link runReadLoop}), the {@link Claimer} and the {@link RetryScheduler} bring the entries.
 *
 * @example
 * app.connectMicroservice({ strategy: new RedisStreamsServer({ service: 'payments', url, prefix }) });
 */
export class RedisStreamsServer extends Server<ServerEvents, RedisStreamsStatus> implements CustomTransportStrategy {
  /** Event handler failures reach the transport, which retries and dead-letters them. */
  override readonly propagatesEventHandlerErrors = true;

  readonly settings: ServerSettings;
  readonly keys: StreamKeys;
  private readonly gate: ConcurrencyGate;
  private readonly metrics: StreamsMetrics;
  private readonly connectionStatus = new ConnectionStatus();
  private readonly host: ConsumerHost;
  private readonly claimer: Claimer;
  private readonly retries: RetryScheduler;
  private readonly heartbeat: Heartbeat;
  private readonly replies: RequestReplies;
  private readonly deliveries: Deliveries;
  private commands?: RedisConnection;
  private reader?: RedisConnection;
  private acks?: AckBatcher;
  private streams: ConsumedStream[] = [];
  private running = false;
  private readLoop?: Promise<void>;
  private readonly errorListeners: ((error: Error) => void)[] = [];
  private serverVersion: [number, number, number] = [0, 0, 0];

  /** The processing hook the base class starts with; anything else was set by the app. */
  private readonly defaultStartHook = this.onProcessingStartHook;

  constructor(options: RedisStreamsServerOptions) {
    super();
    this.settings = serverSettings(options);
    this.keys = new StreamKeys(this.settings.prefix, { cluster: this.settings.cluster });
    this.gate = new ConcurrencyGate(this.settings.concurrency);
    this.metrics = StreamsMetrics.for(this.settings.metrics);
    this.connectionStatus.changes.subscribe((status) => this._status$.next(status));
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const server = this;
    this.host = {
      settings: this.settings,
      group: this.group,
      consumer: this.consumer,
      gate: this.gate,
      get streams() {
        return server.streams;
      },
      get running() {
        return server.running;
      },
      commands: () => this.requireCommands(),
      process: (entry, deliveries) => this.deliveries.process(entry, deliveries),
      ensureGroups: () => this.ensureGroups(),
      reportError: (error) => this.reportError(error),
    };
    this.replies = new RequestReplies(() => this.requireCommands(), this.metrics);
    this.claimer = new Claimer(this.host, this.metrics);
    this.retries = new RetryScheduler(this.host);
    this.deliveries = new Deliveries(this.host, {
      metrics: this.metrics,
      replies: this.replies,
      retries: this.retries,
      deadLetterKey: this.keys.deadLetters(this.settings.service),
      logger: this.logger,
      acks: () => this.acks as AckBatcher,
      handlerOf: (pattern) => this.getHandlerByPattern(pattern),
      runEventHandler: (handler, envelope, context) => this.runEventHandler(handler, envelope, context),
    });
    this.heartbeat = new Heartbeat(this.host, livenessKey(this.settings.prefix, this.group, this.consumer));
  }

  get group(): string {
    return this.settings.service;
  }

  get consumer(): string {
    return this.settings.consumerName;
  }

  /** This instance's liveness key, `<prefix>live:<service>:<consumerName>`, while it consumes. */
  get livenessKey(): string {
    return this.heartbeat.key;
  }

  /** Handlers running now (at most `concurrency`). */
  get inFlight(): number {
    return this.gate.inFlight;
  }

  /** The Redis version seen at start-up. */
  get redisVersion(): readonly number[] {
    return this.serverVersion;
  }

  /** The stream keys this server consumes. */
  get consumedStreams(): readonly string[] {
    return this.streams.map((stream) => stream.key);
  }

  on<K extends keyof ServerEvents>(event: K, callback: ServerEvents[K]): void {
    if (event === 'error') this.errorListeners.push(callback);
  }

  unwrap<T>(): T {
    if (!this.commands || !this.reader) throw new Error('RedisStreamsServer is not listening');
    return { commands: this.commands, reader: this.reader } as T;
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      this.commands = createRedisConnection(this.settings, `${this.consumer}:commands`);
      this.reader = createRedisConnection(this.settings, `${this.consumer}:reader`, { blocking: true });
      for (const connection of [this.commands, this.reader]) {
        this.connectionStatus.watch(connection, (error) => this.reportError(error));
      }
      await Promise.all([
        connectOrFail(this.commands, this.settings.url),
        connectOrFail(this.reader, this.settings.url),
      ]);
      this.serverVersion = await redisVersion(this.commands);
      this.acks = new AckBatcher(this.commands, this.group, (error) => this.reportError(error as Error));
      this.streams = this.consumedStreamList();
      await this.ensureGroups();
      const leftovers = this.streams.length > 0 ? await this.claimer.leftovers() : undefined;
      if (this.streams.length > 0) await this.heartbeat.start();
      this.running = true;
      if (leftovers) {
        this.readLoop = runReadLoop(this.host, this.reader);
        this.claimer.start(leftovers);
      }
      callback();
    } catch (error) {
      this.commands?.destroy();
      this.reader?.destroy();
      this.commands = undefined;
      this.reader = undefined;
      callback(error);
    }
  }

  /**
   * Stops reading, lets the handlers in flight finish (up to `shutdownTimeoutMs`), flushes
   * their acknowledgements, deletes the liveness key and closes the connections. Messages not
   * acknowledged stay pending in Redis, and other instances take them over at once (their
   * consumer's liveness key is gone).
   */
  async close(): Promise<void> {
    const { clock, shutdownTimeoutMs } = this.settings;
    this.running = false;
    const deadline = clock.now() + shutdownTimeoutMs;
    this.claimer.stop();
    this.retries.cancelAll();
    // A blocked XREADGROUP would hold the loop for up to blockMs; cut it short.
    this.reader?.destroy();
    // The loops may be waiting for a free slot, which a stuck handler never gives back.
    await within(
      Promise.all([this.readLoop?.catch(() => undefined), this.claimer.settled()]),
      clock,
      deadline - clock.now(),
    );
    const drained = await within(this.gate.idle(), clock, deadline - clock.now());
    if (!drained) {
      this.logger.warn?.(
        `${this.gate.inFlight} handler(s) still running after ${shutdownTimeoutMs} ms; their messages stay pending`,
      );
    }
    await this.acks?.flush();
    // Stops the refresh whatever happens; the key is deleted if Redis answers (else it expires).
    await this.heartbeat.stop();
    if (this.commands?.isOpen) await this.commands.close().catch(() => this.commands?.destroy());
    this.commands = undefined;
    this.reader = undefined;
  }

  /** Moves dead letters of this service back to their streams (see {@link replayDeadLetters}). */
  replayDeadLetters(selection: { ids?: readonly string[]; count?: number } = {}): Promise<DeadLetter[]> {
    return replayDeadLetters(this.requireCommands(), this.keys.deadLetters(this.settings.service), selection);
  }

  /**
   * The state of each consumed stream for this group: entries not yet delivered (`lag`),
   * delivered but not acknowledged (`pending`), and the dead-letter stream's length.
   */
  async inspect(): Promise<{ streams: StreamState[]; deadLetters: number }> {
    return inspectStreams(
      this.requireCommands(),
      this.group,
      this.consumedStreams,
      this.keys.deadLetters(this.settings.service),
    );
  }

  /**
   * The handler of a pattern. Patterns arrive normalised (the client sends the route), so a
   * direct lookup finds them; the base class first JSON.parses every pattern, which for a
   * plain string like `order.placed` throws (and builds a stack trace) on every message.
   */
  override getHandlerByPattern(pattern: string): MessageHandler | null {
    return this.messageHandlers.get(pattern) ?? super.getHandlerByPattern(pattern);
  }

  /**
   * Awaits the handler's result (unlike the base class), so that a failure reaches the
   * transport, which then retries or dead-letters the event.
   */
  override async handleEvent(pattern: string, packet: ReadPacket, context: RedisStreamsContext): Promise<void> {
    const handler = this.getHandlerByPattern(pattern);
    if (!handler) throw Object.assign(new Error(`No event handler for ${pattern}`), { code: 'STREAMS_NO_HANDLER' });
    await this.runWithProcessingHooks(context, async (runEndHook) => {
      const result: unknown = await handler(packet.data, context);
      if (isObservable(result)) await lastValueFrom(result.pipe(finalize(runEndHook)), { defaultValue: undefined });
      else runEndHook();
    });
  }

  private reportError(error: Error): void {
    if (this.errorListeners.length === 0) this.logger.error?.(`Redis: ${error.message}`);
    for (const listener of this.errorListeners) listener(error);
  }

  private requireCommands(): RedisConnection {
    if (!this.commands) throw new Error('RedisStreamsServer is not listening');
    return this.commands;
  }

  private consumedStreamList(): ConsumedStream[] {
    const handlers = [...this.messageHandlers.entries()];
    const streams: ConsumedStream[] = handlers
      .filter(([, handler]) => handler.isEventHandler)
      .map(([pattern]) => ({ key: this.keys.events(pattern), kind: 'event' }));
    if (handlers.some(([, handler]) => !handler.isEventHandler)) {
      streams.unshift({ key: this.keys.requests(this.settings.service), kind: 'request' });
    }
    return streams;
  }

  /** Creates the group on every consumed stream (and the stream) where missing. */
  private async ensureGroups(): Promise<void> {
    const commands = this.requireCommands();
    await Promise.all(
      this.streams.map(async ({ key }) => {
        try {
          await commands.sendCommand(['XGROUP', 'CREATE', key, this.group, this.settings.startFrom, 'MKSTREAM']);
        } catch (error) {
          if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) throw error;
        }
      }),
    );
  }

  /**
   * Calls an event handler and waits for it. Without processing hooks set (the usual case)
   * it skips the hooks' extra promises; with them, it goes through {@link handleEvent}.
   */
  private runEventHandler(handler: MessageHandler, envelope: Envelope, context: RedisStreamsContext): Promise<unknown> {
    if (this.onProcessingStartHook !== this.defaultStartHook) {
      return this.handleEvent(envelope.pattern, { pattern: envelope.pattern, data: envelope.data }, context);
    }
    return Promise.resolve(handler(envelope.data, context)).then((result: unknown) =>
      isObservable(result) ? lastValueFrom(result, { defaultValue: undefined }) : result,
    );
  }
}
