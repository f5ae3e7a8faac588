import { ClientProxy, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import { Observable, defer, from, mergeMap, throwError } from 'rxjs';
import { type Envelope, createEnvelope, encodeEnvelope, fieldsToRecord, isStringRecord } from './envelope';
import type { EnvelopePublisher, PublishOptions } from './envelope-publisher';
import { StreamsError } from './errors';
import { DeadlineQueue } from './deadline-queue';
import { StreamKeys } from './keys';
import { type ClientSettings, type RedisStreamsClientOptions, clientSettings, trimArguments } from './options';
import {
  ConnectionStatus,
  type RedisConnection,
  type RedisStreamsStatus,
  commandError,
  connectOrFail,
  createRedisConnection,
} from './redis-connection';
import { StreamsMetrics } from './redis-streams.metrics';
import { type RpcErrorBody, RedisStreamsRemoteError } from './rpc-error';
import { parseReadReply } from './stream-entries';

export interface SendOptions {
  /** How long to wait for the reply; the request's deadline travels with it. Default `requestTimeoutMs`. */
  readonly timeoutMs?: number;
  /** Called with the reply headers the handler set (`ReplyHeaders`), before the reply (or error) is emitted. */
  readonly onHeaders?: (headers: Readonly<Record<string, string>>) => void;
  /** Metadata for the handler beside the data (`RedisStreamsContext.getHeaders()`), as HTTP request headers. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Raises a high-water mark (a one-member sorted set) to ARGV[1], unless it is below ARGV[2]
 * (a missing mark counts as 0): then returns what it holds ('0' for none), nil otherwise.
 */
const RAISE_MARK = `local held = redis.call('ZSCORE', KEYS[1], 'published') or '0'
if tonumber(held) < tonumber(ARGV[2]) then return held end
redis.call('ZADD', KEYS[1], 'GT', ARGV[1], 'published')
return nil`;

/**
 * Creates the reply stream KEYS[1] if it is missing (with a group that is never read, so that it
 * exists while empty) and sets its expiry to ARGV[1] ms, in one step: a client that dies between
 * the two would otherwise leave a stream that never expires.
 */
const TOUCH_REPLY_STREAM = `redis.pcall('XGROUP', 'CREATE', KEYS[1], 'keepalive', '$', 'MKSTREAM')
return redis.call('PEXPIRE', KEYS[1], ARGV[1])`;

interface PendingRequest {
  readonly pattern: string;
  readonly stream: string;
  readonly callback: (packet: WritePacket) => void;
  readonly stopTimer: (labels: { outcome: string }) => void;
  readonly onHeaders?: (headers: Readonly<Record<string, string>>) => void;
  entryId?: string;
}

type ClientEvents = { error: (error: Error) => void };

const REPLY_BATCH = '256';
const REPLY_BLOCK_MS = '1000';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The client side of the transport. `emit(pattern, data)` appends an event to
 * `<prefix>evt:<pattern>` and completes once Redis stored it. `send(pattern, data)` appends
 * a request to `<prefix>req:<service>` and answers with the reply read from this
 * instance's own stream `<prefix>rep:<origin>:<instanceId>`, or fails with
 * `STREAMS_REQUEST_TIMEOUT` at the deadline, `STREAMS_CONNECTION_LOST` when Redis goes
 * away, or a {@link RedisStreamsRemoteError} carrying the handler's error code.
 *
 * @example
 * ClientsModule.register([{ name: 'PAYMENTS', customClass: RedisStreamsClient,
 *   options: { origin: 'orders', service: 'payments', url, prefix } }]);
 */
export class RedisStreamsClient extends ClientProxy<ClientEvents, RedisStreamsStatus> implements EnvelopePublisher {
  readonly settings: ClientSettings;
  readonly keys: StreamKeys;
  /** This instance's reply stream. */
  readonly replyStream: string;
  private readonly metrics: StreamsMetrics;
  private readonly connectionStatus = new ConnectionStatus();
  private readonly pending = new Map<string, PendingRequest>();
  private readonly trims = new Map<string, readonly string[]>();
  private readonly deadlines: DeadlineQueue;
  /** Set once the reply stream is read, so that send() can skip the connection steps. */
  private requestsReady = false;
  private readonly errorListeners: ((error: Error) => void)[] = [];
  private commands?: RedisConnection;
  private replies?: RedisConnection;
  private connecting?: Promise<void>;
  private replyLoop?: Promise<void>;
  private replyReady?: Promise<void>;
  private keepAlive?: NodeJS.Timeout;
  private closed = false;

  constructor(options: RedisStreamsClientOptions) {
    super();
    this.settings = clientSettings(options);
    this.deadlines = new DeadlineQueue((id, timeoutMs) => this.expire(id, timeoutMs), this.settings.clock);
    this.keys = new StreamKeys(this.settings.prefix, { cluster: this.settings.cluster });
    this.replyStream = this.keys.replies(this.settings.origin, this.settings.instanceId);
    this.metrics = StreamsMetrics.for(this.settings.metrics);
    this.connectionStatus.changes.subscribe((status) => {
      this._status$.next(status);
      if (status === 'connected' && this.replyLoop) void this.remakeReplyStream();
    });
  }

  override on<K extends keyof ClientEvents>(event: K, callback: ClientEvents[K]): void {
    if (event === 'error') this.errorListeners.push(callback);
  }

  unwrap<T>(): T {
    if (!this.commands) throw new Error('RedisStreamsClient is not connected');
    return this.commands as T;
  }

  /** Requests still waiting for their reply. */
  get pendingRequests(): number {
    return this.pending.size;
  }

  /** Connects once (later calls share the attempt); fails at once if Redis is unreachable. */
  connect(): Promise<void> {
    if (this.closed) return Promise.reject(new StreamsError('STREAMS_CLIENT_CLOSED', 'The client is closed.'));
    this.connecting ??= this.open().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }

  /** Fails the requests still waiting, deletes the reply stream and closes the connections. */
  async close(): Promise<void> {
    this.closed = true;
    this.requestsReady = false;
    clearInterval(this.keepAlive);
    this.deadlines.clear();
    this.failAll(new StreamsError('STREAMS_CLIENT_CLOSED', 'The client was closed before the reply came.'));
    this.replies?.destroy();
    await this.replyLoop?.catch(() => undefined);
    if (this.commands?.isReady && this.replyLoop)
      await this.commands.sendCommand(['DEL', this.replyStream]).catch(() => undefined);
    if (this.commands?.isOpen) await this.commands.close().catch(() => this.commands?.destroy());
    this.commands = undefined;
    this.replies = undefined;
    this.connecting = undefined;
    this.replyLoop = undefined;
  }

  /**
   * Sends a request to the client's `service` and emits its reply. Per call, `timeoutMs`
   * overrides `requestTimeoutMs`.
   */
  override send<TResult = unknown, TInput = unknown>(
    pattern: unknown,
    data: TInput,
    options: SendOptions = {},
  ): Observable<TResult> {
    if (pattern === null || pattern === undefined || data === null || data === undefined) {
      return throwError(
        () => new StreamsError('STREAMS_INVALID_MESSAGE', 'send() needs a pattern and data (not null or undefined).'),
      );
    }
    const timeoutMs = options.timeoutMs ?? this.settings.requestTimeoutMs;
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1) {
      return throwError(
        () => new StreamsError('STREAMS_OPTIONS_INVALID', `timeoutMs must be a positive integer (got ${timeoutMs})`),
      );
    }
    const request = () =>
      new Observable<TResult>((observer) =>
        this.publishRequest(this.createPacket(pattern, data), this.createObserver(observer), timeoutMs, options),
      );
    if (this.requestsReady) return request();
    return defer(() => this.connectForRequests()).pipe(mergeMap(request));
  }

  /**
   * Appends an event at once (as the base class does) and emits its entry id once Redis
   * stored it; without the base class's `defer` + `connectable` + `Subject` per call.
   */
  override emit<TResult = string, TInput = unknown>(pattern: unknown, data: TInput): Observable<TResult> {
    if (pattern === null || pattern === undefined || data === null || data === undefined) {
      return throwError(
        () => new StreamsError('STREAMS_INVALID_MESSAGE', 'emit() needs a pattern and data (not null or undefined).'),
      );
    }
    const packet = this.createPacket(pattern, data);
    const stored = this.commands
      ? this.dispatchEvent<TResult>(packet)
      : this.connect().then(() => this.dispatchEvent<TResult>(packet));
    // A caller that does not subscribe does not hear of a failure, as with the base class.
    stored.catch(() => undefined);
    return from(stored);
  }

  /**
   * Appends envelopes made elsewhere (an outbox's, keeping their `id` and `meta`) to
   * `<prefix>evt:<pattern>`, each to its pattern's stream, with the client's trimming. The
   * commands go out together on one connection in the given order, so Redis stores them in
   * that order. Resolves with the entry ids once Redis stored every one; rejects with
   * `STREAMS_CONNECTION_LOST` or `STREAMS_PUBLISH_FAILED` otherwise (some may be stored then:
   * publishing them again makes duplicates, which consumers drop by id). An envelope without id,
   * pattern or meta is refused with `STREAMS_INVALID_MESSAGE` before anything is sent, and a
   * closed client with `STREAMS_CLIENT_CLOSED`.
   *
   * With `highWaterMark`, the mark `<prefix>mark:<name>` is raised to `value` (never lowered)
   * after the envelopes, in the same pipeline: since Redis keeps (and replays from its
   * append-only file) commands in order, a mark it still holds says that every batch up to it is
   * stored; a missing or lower mark (see {@link readHighWaterMark}) says Redis lost data. When
   * Redis holds a mark below `atLeast` (none counts as 0) the mark is left as it is and the call
   * rejects with `STREAMS_MARK_BEHIND` (the envelopes are stored): raising it would hide the loss.
   *
   * @example
   * const entryIds = await client.publishEnvelopes(rows.map((row) => row.envelope));
   */
  async publishEnvelopes(envelopes: readonly Envelope[], options: PublishOptions = {}): Promise<string[]> {
    if (envelopes.length === 0) return [];
    const malformed = envelopes.findIndex((e) => !e?.id || !e.pattern || typeof e.meta !== 'object' || !e.meta);
    if (malformed >= 0) {
      throw new StreamsError(
        'STREAMS_INVALID_MESSAGE',
        `publishEnvelopes() needs envelopes with an id, a pattern and meta (envelope ${malformed + 1} has not).`,
      );
    }
    if (!this.commands) await this.connect();
    const commands = this.commands;
    if (!commands) throw new StreamsError('STREAMS_CONNECTION_LOST', 'The client is not connected.');
    // Issued in one tick: node-redis writes them as one pipeline, and Redis runs them in order.
    const replies = envelopes.map((envelope) =>
      commands.sendCommand([
        'XADD',
        this.keys.events(envelope.pattern),
        ...this.trimFor(`evt:${envelope.pattern}`),
        '*',
        ...encodeEnvelope(envelope),
      ]),
    );
    const mark = options.highWaterMark;
    const marked = mark
      ? commands.sendCommand([
          'EVAL',
          RAISE_MARK,
          '1',
          this.keys.mark(mark.name),
          String(mark.value),
          String(mark.atLeast ?? 0),
        ])
      : undefined;
    // Awaited only once the envelopes are stored; a failure before then is reported for them.
    marked?.catch(() => undefined);
    const results = await Promise.allSettled(replies);
    const entryIds: string[] = [];
    let failure: { index: number; reason: unknown } | undefined;
    results.forEach((result, index) => {
      if (result.status === 'fulfilled') {
        entryIds.push(String(result.value));
        this.metrics.of((envelopes[index] as Envelope).pattern, 'event').published.inc();
      } else {
        failure ??= { index, reason: result.reason };
      }
    });
    if (failure) {
      const envelope = envelopes[failure.index] as Envelope;
      throw commandError(
        failure.reason,
        `Event ${envelope.pattern} (${envelope.id}, ${failure.index + 1} of ${envelopes.length}) was not stored`,
      );
    }
    if (marked) {
      const held = await marked.catch((error: unknown) => {
        throw commandError(error, `The high-water mark ${mark?.name} was not stored`);
      });
      if (held !== null && held !== undefined) {
        throw new StreamsError(
          'STREAMS_MARK_BEHIND',
          `Redis holds the high-water mark ${mark?.name} at ${String(held)}, below ${mark?.atLeast}: it lost data (the batch is stored, the mark was not raised).`,
        );
      }
    }
    return entryIds;
  }

  /** The high-water mark `name` as {@link publishEnvelopes} last raised it, or null when Redis holds none. */
  async readHighWaterMark(name: string): Promise<number | null> {
    if (!this.commands) await this.connect();
    const commands = this.commands;
    if (!commands) throw new StreamsError('STREAMS_CONNECTION_LOST', 'The client is not connected.');
    try {
      const score = await commands.sendCommand(['ZSCORE', this.keys.mark(name), 'published']);
      return score === null || score === undefined ? null : Number(score);
    } catch (error) {
      throw commandError(error, `The high-water mark ${name} could not be read`);
    }
  }

  protected publish(packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    return this.publishRequest(packet, callback, this.settings.requestTimeoutMs);
  }

  /** Appends the event; resolves with its entry id once Redis stored it. */
  protected dispatchEvent<T = string>(packet: ReadPacket): Promise<T> {
    const pattern = this.normalizePattern(packet.pattern);
    const commands = this.commands;
    if (!commands) return Promise.reject(new StreamsError('STREAMS_CONNECTION_LOST', 'The client is not connected.'));
    const envelope = createEnvelope(pattern, packet.data, this.settings.origin);
    return commands
      .sendCommand([
        'XADD',
        this.keys.events(pattern),
        ...this.trimFor(`evt:${pattern}`),
        '*',
        ...encodeEnvelope(envelope),
      ])
      .then(
        (entryId) => {
          this.metrics.of(pattern, 'event').published.inc();
          return entryId as T;
        },
        (error: unknown) => {
          throw commandError(error, `Event ${pattern} was not stored`);
        },
      );
  }

  protected override serializeError(error: unknown): unknown {
    if (error instanceof Error) return error;
    return new RedisStreamsRemoteError(error as RpcErrorBody);
  }

  /** XADD's trimming arguments for a stream; fixed for length limits, so computed once. */
  private trimFor(stream: string): readonly string[] {
    const cached = this.trims.get(stream);
    if (cached) return cached;
    const args = trimArguments(this.settings, stream);
    if (args[0] === 'MAXLEN') this.trims.set(stream, args);
    return args;
  }

  private async open(): Promise<void> {
    const commands = createRedisConnection(
      this.settings,
      `${this.settings.origin}:${this.settings.instanceId}:commands`,
    );
    this.connectionStatus.watch(commands, (error) => this.onConnectionError(error));
    try {
      await connectOrFail(commands, this.settings.url);
    } catch (error) {
      this.connectionStatus.forget(commands);
      throw error;
    }
    this.commands = commands;
  }

  /** Connects and makes sure the reply stream exists and is read, so that no reply can be dropped. */
  private async connectForRequests(): Promise<void> {
    await this.connect();
    this.startReplyLoop();
    await this.replyReady;
    this.requestsReady = !this.closed;
  }

  private onConnectionError(error: Error): void {
    // Whatever was in flight may never be answered: say so now rather than at the deadline.
    this.failAll(new StreamsError('STREAMS_CONNECTION_LOST', `The connection to Redis dropped: ${error.message}`));
    if (this.errorListeners.length === 0) return;
    for (const listener of this.errorListeners) listener(error);
  }

  private publishRequest(
    packet: ReadPacket,
    callback: (packet: WritePacket) => void,
    timeoutMs: number,
    options: SendOptions = {},
  ): () => void {
    const pattern = this.normalizePattern(packet.pattern);
    const service = this.settings.service;
    const commands = this.commands;
    if (!service || !commands) {
      callback({
        err: service
          ? new StreamsError('STREAMS_CONNECTION_LOST', 'The client is not connected.')
          : new StreamsError('STREAMS_NO_TARGET', 'send() needs the client option `service` (the service to ask).'),
        isDisposed: true,
      });
      return () => undefined;
    }
    this.startReplyLoop();
    const stream = this.keys.requests(service);
    const now = this.settings.clock.now();
    const envelope = createEnvelope(pattern, packet.data, this.settings.origin, {
      replyTo: this.replyStream,
      deadline: new Date(now + timeoutMs),
      now: new Date(now),
      headers: options.headers,
    });
    const request: PendingRequest = {
      pattern,
      stream,
      callback,
      stopTimer: this.metrics.requestDuration.startTimer({ pattern }),
      onHeaders: options.onHeaders,
    };
    this.pending.set(envelope.id, request);
    this.deadlines.add(envelope.id, timeoutMs, now);
    commands.sendCommand(['XADD', stream, ...this.trimFor(`req:${service}`), '*', ...encodeEnvelope(envelope)]).then(
      (entryId) => {
        request.entryId = String(entryId);
        this.metrics.of(pattern, 'request').published.inc();
      },
      (error: unknown) =>
        this.settle(envelope.id, 'lost', { err: commandError(error, `Request ${pattern} was not sent`) }),
    );
    return () => {
      // Unsubscribed before the answer: withdraw the request so that nobody works on it.
      if (this.pending.has(envelope.id)) {
        this.settle(envelope.id, 'cancelled');
        this.withdraw(request);
      }
    };
  }

  private expire(id: string, timeoutMs: number): void {
    const request = this.pending.get(id);
    if (!request) return;
    this.settle(id, 'timeout', {
      err: new StreamsError('STREAMS_REQUEST_TIMEOUT', `No reply to ${request.pattern} within ${timeoutMs} ms.`),
    });
    this.withdraw(request);
  }

  /** Deletes a request nobody waits for any more; a server that already read it skips it by its deadline. */
  private withdraw(request: PendingRequest): void {
    if (request.entryId && this.commands?.isReady) {
      void this.commands.sendCommand(['XDEL', request.stream, request.entryId]).catch(() => undefined);
    }
  }

  private settle(id: string, outcome: string, packet?: WritePacket): void {
    const request = this.pending.get(id);
    if (!request) return;
    this.pending.delete(id);
    request.stopTimer({ outcome });
    if (packet) request.callback({ ...packet, isDisposed: true });
  }

  private failAll(error: StreamsError): void {
    for (const id of [...this.pending.keys()]) this.settle(id, 'lost', { err: error });
  }

  private startReplyLoop(): void {
    if (this.replyLoop || this.closed) return;
    this.replies = createRedisConnection(this.settings, `${this.settings.origin}:${this.settings.instanceId}:replies`, {
      blocking: true,
    });
    this.connectionStatus.watch(this.replies, (error) => this.onConnectionError(error));
    const replies = this.replies;
    this.replyReady = connectOrFail(replies, this.settings.url).then(() =>
      this.touchReplyStream().catch((error: unknown) => {
        throw commandError(error, 'The reply stream could not be made');
      }),
    );
    this.replyLoop = this.readReplies(replies, this.replyReady);
    this.keepAlive = setInterval(
      () => void this.touchReplyStream().catch(() => undefined),
      // Well within the TTL, however short, or the stream expires between two touches and replies are lost.
      Math.max(10, Math.floor(this.settings.replyTtlMs / 3)),
    );
    this.keepAlive.unref();
  }

  /**
   * After a reconnect: Redis may have come back without the reply stream, and may refuse commands
   * for a while once it accepts connections (loading its data; a cluster node until the cluster
   * is ok again). Makes the stream again, retrying with backoff while connected, so that replies
   * are not dropped until the next keep-alive.
   */
  private async remakeReplyStream(): Promise<void> {
    const { reconnectBaseDelayMs, reconnectMaxDelayMs } = this.settings;
    for (let attempt = 1; !this.closed && this.connectionStatus.current === 'connected'; attempt++) {
      try {
        await this.touchReplyStream();
        return;
      } catch {
        await sleep(Math.min(reconnectMaxDelayMs, reconnectBaseDelayMs * attempt));
      }
    }
  }

  /** Creates the reply stream if missing (servers never create it) and pushes its expiry forward. */
  private async touchReplyStream(): Promise<void> {
    const commands = this.commands;
    if (!commands) return;
    await commands.sendCommand(['EVAL', TOUCH_REPLY_STREAM, '1', this.replyStream, String(this.settings.replyTtlMs)]);
  }

  private async readReplies(connection: RedisConnection, ready: Promise<void>): Promise<void> {
    let lastId = '0-0';
    let failures = 0;
    try {
      await ready;
    } catch {
      // The next send() tries again (with a new connection), and reports the failure to its caller.
      connection.destroy();
      this.connectionStatus.forget(connection);
      this.replyLoop = undefined;
      this.replyReady = undefined;
      this.requestsReady = false;
      clearInterval(this.keepAlive);
      return;
    }
    while (!this.closed) {
      try {
        const entries = parseReadReply(
          await connection.sendCommand([
            'XREAD',
            'COUNT',
            REPLY_BATCH,
            'BLOCK',
            REPLY_BLOCK_MS,
            'STREAMS',
            this.replyStream,
            lastId,
          ]),
        );
        failures = 0;
        for (const entry of entries) {
          lastId = entry.entryId;
          if (entry.fields) this.onReply(fieldsToRecord(entry.fields));
        }
        if (entries.length > 0 && this.commands?.isReady) {
          void this.commands
            .sendCommand(['XDEL', this.replyStream, ...entries.map((e) => e.entryId)])
            .catch(() => undefined);
        }
      } catch (error) {
        if (this.closed) break;
        failures++;
        this.failAll(commandError(error, 'Waiting for replies failed'));
        await sleep(Math.min(this.settings.reconnectMaxDelayMs, this.settings.reconnectBaseDelayMs * failures));
      }
    }
  }

  private onReply(record: Record<string, string>): void {
    const id = record.id;
    if (!id || !record.data) return;
    const request = this.pending.get(id);
    if (!request) return;
    let packet: WritePacket & { headers?: unknown };
    try {
      packet = JSON.parse(record.data) as WritePacket;
    } catch {
      packet = { err: { status: 'error', code: 'STREAMS_INVALID_MESSAGE', message: 'The reply is not JSON.' } };
    }
    if (isStringRecord(packet.headers)) request.onHeaders?.(packet.headers);
    if (packet.err !== undefined) {
      this.settle(id, 'error', { err: packet.err });
    } else if (packet.isDisposed) {
      this.settle(id, 'ok', packet);
    } else {
      request.callback(packet);
    }
  }
}
