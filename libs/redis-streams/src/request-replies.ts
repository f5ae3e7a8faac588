import type { MessageHandler } from '@nestjs/microservices';
import { isObservable } from 'rxjs';
import type { Envelope } from './envelope';
import type { RedisConnection } from './redis-connection';
import type { RedisStreamsContext } from './redis-streams.context';
import type { StreamsMetrics } from './redis-streams.metrics';
import { ReplyHeaders, runWithReplyHeaders } from './reply-headers';
import { type ReplyPacket, writeReplies } from './reply-writer';
import { toRpcErrorBody } from './rpc-error';

/** Writes the answers of requests to their callers' reply streams. */
export class RequestReplies {
  constructor(
    private readonly commands: () => RedisConnection,
    private readonly metrics: StreamsMetrics,
  ) {}

  /**
   * Runs a request handler and writes its replies; a handler error is a reply too. What the
   * handler set in its {@link ReplyHeaders} goes with the last reply (`headers`).
   */
  async answer(handler: MessageHandler, envelope: Envelope, context: RedisStreamsContext): Promise<void> {
    const headers = new ReplyHeaders();
    // The whole answer runs in the headers' scope: a handler's work may start only when its
    // result (an observable) is subscribed to.
    await runWithReplyHeaders(headers, async () => {
      let result: unknown;
      try {
        result = await handler(envelope.data, context);
        if (result instanceof Promise) result = await result;
      } catch (error) {
        await this.reply(
          envelope,
          envelope.pattern,
          withHeaders({ err: toRpcErrorBody(error), isDisposed: true }, headers),
        );
        return;
      }
      if (!isObservable(result)) {
        // The usual case: one value, one reply.
        await this.reply(envelope, envelope.pattern, withHeaders({ response: result, isDisposed: true }, headers));
        return;
      }
      await writeReplies(result, (packet) =>
        this.reply(envelope, envelope.pattern, packet.isDisposed ? withHeaders(packet, headers) : packet),
      );
    });
  }

  /**
   * Appends one reply to the caller's reply stream, unless the caller is gone (NOMKSTREAM);
   * `label` is the pattern as the metrics name it.
   */
  async reply(envelope: Envelope, label: string, packet: ReplyPacket): Promise<void> {
    const replyTo = envelope.meta.replyTo;
    if (!replyTo) return;
    const body =
      packet.err !== undefined
        ? { err: toRpcErrorBody(packet.err), isDisposed: true, ...(packet.headers ? { headers: packet.headers } : {}) }
        : packet;
    await this.commands().sendCommand([
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
    this.metrics.of(label, 'reply').published.inc();
    // A request answered with an error counts as failed, though it is acknowledged (the answer is the error).
    if (packet.err !== undefined) this.metrics.of(label, 'request').failed.inc();
  }
}

/** The packet with the reply headers set while handling, if any. */
function withHeaders(packet: ReplyPacket, headers: ReplyHeaders): ReplyPacket {
  const record = headers.toRecord();
  return record ? { ...packet, headers: record } : packet;
}
