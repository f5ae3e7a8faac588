import { type CustomTransportStrategy, type MessageHandler, type ReadPacket, Server } from '@nestjs/microservices';
import { finalize, isObservable, lastValueFrom } from 'rxjs';
import { AckBatcher } from './ack-batcher';
import { ConcurrencyGate } from './concurrency-gate';
import { type DeadLetter, deadLetter, replayDeadLetters } from './dead-letters';
import { type Envelope, decodeEnvelope, fieldsToRecord } from './envelope';
import { StreamKeys } from './keys';
import { runInMessageContext } from './message-context';
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
import { writeReplies } from './reply-writer';
import { retryDelay } from './retry-backoff';
import { toRpcErrorBody } from './rpc-error';
import { type StreamEntry, parseAutoClaimReply, parseClaimReply, parseReadReply } from './stream-entries';

type Kind = 'request' | 'event';

interface ConsumedStream {
  readonly key: string;
  readonly kind: Kind;
}

type ServerEvents = {
  error: (error: Error) => void;
};

/** Codes that say the message itself is wrong: retrying cannot help, so it is dead-lettered at once. */
const NON_RETRYABLE_CODES = new Set(['STREAMS_INVALID_MESSAGE', 'VALIDATION_FAILED']);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for `work`, but not past `deadline` (epoch ms). */
async function untilDeadline(work: Promise<unknown>, deadline: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
  });
  await Promise.race([work, timeout]);
  clearTimeout(timer);
}

/** The label of messages whose pattern this service does not handle. */
const UNKNOWN_PATTERN = 'unknown';

const isNoGroup = (error: unknown) => error instanceof Error && error.message.startsWith('NOGROUP');

/**
 * A Nest transport over Redis streams: `@MessagePattern` handlers answer requests from
 * `<prefix>req:<service>`, `@EventPattern` handlers consume `<prefix>evt:<pattern>`, each
 * through the consumer group `<service>`, so instances of a service share the work and
 * every service sees every event. A message is acknowledged only after its handler
 * succeeded; failures are retried with backoff and end in `<prefix>dlq:<service>`;
 * messages left by a crashed instance are claimed by a live one.
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
  private commands?: RedisConnection;
  private reader?: RedisConnection;
  private acks?: AckBatcher;
  private streams: ConsumedStream[] = [];
  private running = false;
  private readLoop?: Promise<void>;
  private claimTimer?: NodeJS.Timeout;
  private claiming?: Promise<void>;
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  /** Entries being handled here, so that a claim never hands this instance its own slow message twice. */
  private readonly handling = new Set<string>();
  private readonly errorListeners: ((error: Error) => void)[] = [];
  private serverVersion: [number, number, number] = [0, 0, 0];

  /** The processing hook the base class starts with; anything else was set by the app. */
  private readonly defaultStartHook = this.onProcessingStartHook;

  constructor(options: RedisStreamsServerOptions) {
    super();
    this.settings = serverSettings(options);
    this.keys = new StreamKeys(this.settings.prefix);
    this.gate = new ConcurrencyGate(this.settings.concurrency);
    this.metrics = StreamsMetrics.for(this.settings.metrics);
    this.connectionStatus.changes.subscribe((status) => this._status$.next(status));
  }

  get group(): string {
    return this.settings.service;
  }

  get consumer(): string {
    return this.settings.consumerName;
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
      this.reader = createRedisConnection(this.settings, `${this.consumer}:reader`);
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
      this.running = true;
      if (this.streams.length > 0) {
        this.readLoop = this.runReadLoop();
        this.claimTimer = setInterval(() => this.claimAbandoned(), this.settings.claimIntervalMs);
        this.claimAbandoned();
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
   * their acknowledgements and closes the connections. Messages not acknowledged stay
   * pending in Redis and are claimed by another instance (or this one after a restart).
   */
  async close(): Promise<void> {
    this.running = false;
    const deadline = Date.now() + this.settings.shutdownTimeoutMs;
    clearInterval(this.claimTimer);
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    // A blocked XREADGROUP would hold the loop for up to blockMs; cut it short.
    this.reader?.destroy();
    // The loops may be waiting for a free slot, which a stuck handler never gives back.
    await untilDeadline(
      Promise.all([this.readLoop?.catch(() => undefined), this.claiming?.catch(() => undefined)]),
      deadline,
    );
    const drained = await this.gate.drained(Math.max(0, deadline - Date.now()));
    if (!drained) {
      this.logger.warn?.(
        `${this.gate.inFlight} handler(s) still running after ${this.settings.shutdownTimeoutMs} ms; their messages stay pending`,
      );
    }
    await this.acks?.flush();
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
  async inspect(): Promise<{
    streams: { stream: string; pending: number; lag: number | null }[];
    deadLetters: number;
  }> {
    const commands = this.requireCommands();
    const streams = await Promise.all(
      this.streams.map(async ({ key }) => {
        const groups = (await commands.sendCommand(['XINFO', 'GROUPS', key])) as unknown[][];
        const mine = groups
          // A nil (RESP2 null) lag means Redis cannot tell it; keep it apart from the number.
          .map((fields) => fieldsToRecord(fields.map((value) => (value === null ? '' : String(value)))))
          .find((group) => group.name === this.group);
        const lag = mine?.lag;
        return {
          stream: key,
          pending: Number(mine?.pending ?? 0),
          lag: lag === undefined || lag === '' ? null : Number(lag),
        };
      }),
    );
    const deadLetters = Number(await commands.sendCommand(['XLEN', this.keys.deadLetters(this.settings.service)]));
    return { streams, deadLetters };
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

  private async runReadLoop(): Promise<void> {
    const keys = this.streams.map((stream) => stream.key);
    const args = [
      'XREADGROUP',
      'GROUP',
      this.group,
      this.consumer,
      'COUNT',
      '',
      'BLOCK',
      String(this.settings.blockMs),
      'STREAMS',
      ...keys,
      ...keys.map(() => '>'),
    ];
    let failures = 0;
    while (this.running) {
      await this.gate.whenAvailable();
      if (!this.running) break;
      const slots = this.gate.tryAcquire(this.settings.batchSize);
      if (slots === 0) continue;
      let entries: StreamEntry[];
      try {
        args[5] = String(slots);
        entries = parseReadReply(await this.reader?.sendCommand(args));
        failures = 0;
      } catch (error) {
        this.gate.release(slots);
        if (!this.running) break;
        if (isNoGroup(error)) {
          await this.ensureGroups().catch((cause: unknown) => this.reportError(cause as Error));
        } else {
          failures++;
          await sleep(Math.min(this.settings.reconnectMaxDelayMs, this.settings.reconnectBaseDelayMs * failures));
        }
        continue;
      }
      if (slots > entries.length) this.gate.release(slots - entries.length);
      // COUNT applies to each stream, so a read of several streams can bring more entries than
      // slots taken: those wait for a slot of their own (or stay pending if the server closes).
      entries.forEach((entry, index) => {
        if (index < slots) void this.process(entry, 1);
        else void this.gate.acquire().then(() => (this.running ? this.process(entry, 1) : this.gate.release()));
      });
    }
  }

  /** Handles one entry (its slot already taken) and frees the slot when done. */
  private async process(entry: StreamEntry, deliveries: number): Promise<void> {
    const key = `${entry.stream} ${entry.entryId}`;
    if (this.handling.has(key)) {
      this.gate.release();
      return;
    }
    this.handling.add(key);
    try {
      await this.handleEntry(entry, deliveries);
    } catch (error) {
      // Left unacknowledged: it will be retried or claimed.
      this.reportError(error as Error);
    } finally {
      this.handling.delete(key);
      this.gate.release();
    }
  }

  private kindOf(stream: string): Kind {
    return this.streams.find((candidate) => candidate.key === stream)?.kind ?? 'event';
  }

  private async handleEntry(entry: StreamEntry, deliveries: number): Promise<void> {
    const acks = this.acks as AckBatcher;
    if (entry.fields === null) {
      // Deleted (trimmed or withdrawn by its sender) after it was delivered: nothing to do.
      acks.ack(entry.stream, entry.entryId);
      return;
    }
    const withFields = entry as StreamEntry & { fields: readonly string[] };
    const kind = this.kindOf(entry.stream);
    const decoded = decodeEnvelope(fieldsToRecord(entry.fields));
    if (!decoded.ok) {
      await this.giveUp(withFields, deliveries, UNKNOWN_PATTERN, kind, {
        code: 'STREAMS_INVALID_MESSAGE',
        message: decoded.reason,
      });
      return;
    }
    const envelope = decoded.envelope;
    const handler = this.getHandlerByPattern(envelope.pattern);
    const handled = handler !== null && Boolean(handler.isEventHandler) === (kind === 'event');
    // Only patterns this service handles become metric labels, so senders cannot inflate them.
    const metrics = this.metrics.of(handled ? envelope.pattern : UNKNOWN_PATTERN, kind);
    metrics.received.inc();
    if (deliveries > 1) metrics.retried.inc();

    if (kind === 'request' && envelope.meta.deadline && Date.parse(envelope.meta.deadline) <= Date.now()) {
      this.metrics.expired.inc({ pattern: handled ? envelope.pattern : UNKNOWN_PATTERN });
      acks.ack(entry.stream, entry.entryId);
      return;
    }

    if (!handler || !handled) {
      const reason = {
        code: 'STREAMS_NO_HANDLER',
        message: `${this.settings.service} has no ${kind} handler for ${envelope.pattern}`,
      };
      if (kind === 'request') {
        await this.reply(envelope, { err: reason, isDisposed: true });
        acks.ack(entry.stream, entry.entryId);
      } else {
        await this.giveUp(withFields, deliveries, UNKNOWN_PATTERN, kind, reason);
      }
      return;
    }

    const invalid = this.settings.schemas[envelope.pattern] ? await this.validate(envelope) : undefined;
    if (invalid) {
      if (kind === 'request') await this.reply(envelope, { err: invalid, isDisposed: true }).catch(() => undefined);
      await this.giveUp(withFields, deliveries, envelope.pattern, kind, invalid);
      return;
    }

    const context = new RedisStreamsContext([envelope.id, entry.stream, entry.entryId, deliveries, envelope.meta]);
    const messageContext = {
      messageId: envelope.id,
      correlationId: envelope.meta.correlationId,
      traceparent: envelope.meta.traceparent,
    };
    const stopTimer = metrics.handlerDuration.startTimer();
    if (kind === 'request') {
      await runInMessageContext(messageContext, () => this.answer(handler, envelope, context));
      stopTimer();
      acks.ack(entry.stream, entry.entryId);
      metrics.acknowledged.inc();
      return;
    }
    try {
      await runInMessageContext(messageContext, () => this.runEventHandler(handler, envelope, context));
    } catch (error) {
      stopTimer();
      metrics.failed.inc();
      await this.onEventFailure(withFields, deliveries, envelope, toRpcErrorBody(error));
      return;
    }
    stopTimer();
    acks.ack(entry.stream, entry.entryId);
    metrics.acknowledged.inc();
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

  private async validate(envelope: Envelope): Promise<{ code: string; message: string } | undefined> {
    const schema = this.settings.schemas[envelope.pattern];
    if (!schema) return undefined;
    const result = await schema['~standard'].validate(envelope.data);
    if (!result.issues) return undefined;
    const problems = result.issues.map((issue) => {
      const path = (issue.path ?? []).map((key) => (typeof key === 'object' ? String(key.key) : String(key))).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    });
    return {
      code: 'STREAMS_INVALID_MESSAGE',
      message: `data of ${envelope.pattern} is invalid: ${problems.join('; ')}`,
    };
  }

  /** Runs a request handler and writes its replies; a handler error is a reply too. */
  private async answer(handler: MessageHandler, envelope: Envelope, context: RedisStreamsContext): Promise<void> {
    let result: unknown;
    try {
      result = await handler(envelope.data, context);
      if (result instanceof Promise) result = await result;
    } catch (error) {
      await this.reply(envelope, { err: toRpcErrorBody(error), isDisposed: true });
      return;
    }
    if (!isObservable(result)) {
      // The usual case: one value, one reply.
      await this.reply(envelope, { response: result, isDisposed: true });
      return;
    }
    await writeReplies(result, (packet) => this.reply(envelope, packet));
  }

  /** Appends one reply to the caller's reply stream, unless the caller is gone (NOMKSTREAM). */
  private async reply(
    envelope: Envelope,
    packet: { err?: unknown; response?: unknown; isDisposed?: boolean },
  ): Promise<void> {
    const replyTo = envelope.meta.replyTo;
    if (!replyTo) return;
    const body = packet.err !== undefined ? { err: toRpcErrorBody(packet.err), isDisposed: true } : packet;
    await this.requireCommands().sendCommand([
      'XADD',
      replyTo,
      'NOMKSTREAM',
      'MAXLEN',
      '~',
      '10000',
      '*',
      'id',
      envelope.id,
      'pattern',
      envelope.pattern,
      'data',
      JSON.stringify(body),
    ]);
    const label = this.getHandlerByPattern(envelope.pattern) ? envelope.pattern : UNKNOWN_PATTERN;
    this.metrics.of(label, 'reply').published.inc();
    // A request answered with an error counts as failed, though it is acknowledged (the answer is the error).
    if (packet.err !== undefined) this.metrics.of(label, 'request').failed.inc();
  }

  private async onEventFailure(
    entry: StreamEntry & { fields: readonly string[] },
    deliveries: number,
    envelope: Envelope,
    error: { code: string; message: string | readonly string[] },
  ): Promise<void> {
    const reason = {
      code: error.code,
      message: typeof error.message === 'string' ? error.message : error.message.join('; '),
    };
    if (NON_RETRYABLE_CODES.has(error.code) || deliveries >= this.settings.maxDeliveries) {
      await this.giveUp(entry, deliveries, envelope.pattern, 'event', reason);
      return;
    }
    this.logger.warn?.(
      `${envelope.pattern} ${envelope.id} failed on delivery ${deliveries} of ${this.settings.maxDeliveries} (${reason.code}: ${reason.message}); retrying`,
    );
    this.scheduleRetry(entry, deliveries);
  }

  private async giveUp(
    entry: StreamEntry & { fields: readonly string[] },
    deliveries: number,
    pattern: string,
    kind: Kind,
    reason: { code: string; message: string },
  ): Promise<void> {
    await deadLetter(
      this.requireCommands(),
      {
        key: this.keys.deadLetters(this.settings.service),
        maxLen: this.settings.maxLen,
        group: this.group,
        consumer: this.consumer,
      },
      entry,
      deliveries,
      reason,
    );
    this.metrics.of(pattern, kind).deadLettered.inc();
    this.logger.error?.(
      `${pattern} from ${entry.stream} ${entry.entryId} dead-lettered after ${deliveries} deliveries: ${reason.code}: ${reason.message}`,
    );
  }

  /** Delivers the entry to this consumer again after a backoff (XCLAIM bumps its delivery count). */
  private scheduleRetry(entry: StreamEntry, deliveries: number): void {
    const delay = retryDelay(deliveries, this.settings.retryBaseDelayMs, this.settings.retryMaxDelayMs);
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      void this.retry(entry, deliveries + 1);
    }, delay);
    this.retryTimers.add(timer);
  }

  private async retry(entry: StreamEntry, deliveries: number): Promise<void> {
    if (!this.running) return;
    await this.gate.acquire();
    let again: StreamEntry | undefined;
    try {
      const reply = await this.requireCommands().sendCommand([
        'XCLAIM',
        entry.stream,
        this.group,
        this.consumer,
        '0',
        entry.entryId,
      ]);
      [again] = parseClaimReply(entry.stream, reply);
    } catch (error) {
      // Still pending: a claim (here or elsewhere) picks it up after claimIdleMs.
      this.reportError(error as Error);
    }
    if (!again || !this.running) {
      this.gate.release();
      return;
    }
    await this.process(again, deliveries);
  }

  /** Claims entries idle longer than `claimIdleMs` (their consumer died) and handles them. */
  private claimAbandoned(): void {
    if (!this.running || this.claiming) return;
    this.claiming = this.claimOnce()
      .catch((error: unknown) => {
        if (isNoGroup(error)) return this.ensureGroups();
        this.reportError(error as Error);
      })
      .finally(() => {
        this.claiming = undefined;
      });
  }

  private async claimOnce(): Promise<void> {
    const commands = this.requireCommands();
    for (const { key } of this.streams) {
      let cursor = '0-0';
      for (;;) {
        if (!this.running) return;
        await this.gate.whenAvailable();
        const slots = this.gate.tryAcquire(this.settings.batchSize);
        if (slots === 0) continue;
        let claimed: ReturnType<typeof parseAutoClaimReply>;
        try {
          claimed = parseAutoClaimReply(
            key,
            await commands.sendCommand([
              'XAUTOCLAIM',
              key,
              this.group,
              this.consumer,
              String(this.settings.claimIdleMs),
              cursor,
              'COUNT',
              String(slots),
            ]),
          );
        } catch (error) {
          this.gate.release(slots);
          throw error;
        }
        if (slots > claimed.entries.length) this.gate.release(slots - claimed.entries.length);
        const counts = await this.deliveryCounts(key, claimed.entries);
        for (const entry of claimed.entries) void this.process(entry, counts.get(entry.entryId) ?? 2);
        cursor = claimed.next;
        if (cursor === '0-0') break;
      }
    }
  }

  /** How many times each entry was delivered (XPENDING per entry, pipelined), claims included. */
  private async deliveryCounts(stream: string, entries: readonly StreamEntry[]): Promise<Map<string, number>> {
    const commands = this.requireCommands();
    const replies = await Promise.all(
      entries.map(
        (entry) =>
          commands.sendCommand(['XPENDING', stream, this.group, entry.entryId, entry.entryId, '1']) as Promise<
            [string, string, number, number][]
          >,
      ),
    );
    const counts = new Map<string, number>();
    for (const reply of replies) {
      const [pending] = reply;
      if (pending) counts.set(pending[0], Number(pending[3]));
    }
    return counts;
  }
}
