import { BaseRpcContext } from '@nestjs/microservices';
import type { EnvelopeMeta } from './envelope';

type ContextArgs = [messageId: string, stream: string, entryId: string, deliveryCount: number, meta: EnvelopeMeta];

/**
 * What a handler can learn about the message it handles.
 *
 * @example
 * @EventPattern('wallet.debited')
 * onDebited(@Payload() data: WalletDebited, @Ctx() context: RedisStreamsContext) {
 *   this.inbox.once(context.getMessageId(), …);
 * }
 */
export class RedisStreamsContext extends BaseRpcContext<ContextArgs> {
  /** The envelope's `id` (a UUID): the same on every delivery and replay; deduplicate by it. */
  getMessageId(): string {
    return this.args[0];
  }

  /** The stream key the message was read from. */
  getStream(): string {
    return this.args[1];
  }

  /** The Redis entry id (`1700000000000-0`). */
  getEntryId(): string {
    return this.args[2];
  }

  /** 1 on the first delivery, then one more on each retry or claim. */
  getDeliveryCount(): number {
    return this.args[3];
  }

  getMeta(): EnvelopeMeta {
    return this.args[4];
  }

  /** A request's headers from its caller (`send(…, { headers })`); empty for events and when none were sent. */
  getHeaders(): Readonly<Record<string, string>> {
    return this.args[4].headers ?? {};
  }
}
