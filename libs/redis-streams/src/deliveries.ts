import type { MessageHandler } from '@nestjs/microservices';
import type { AckBatcher } from './ack-batcher';
import type { ConsumerHost } from './consumer-host';
import { deadLetter } from './dead-letters';
import { type DeliveryDecision, type DeliveryFacts, type MessageKind, decideDelivery } from './delivery-policy';
import { type Envelope, decodeEnvelope, fieldsToRecord } from './envelope';
import { runInMessageContext } from './message-context';
import { RedisStreamsContext } from './redis-streams.context';
import type { StreamsMetrics } from './redis-streams.metrics';
import type { RequestReplies } from './request-replies';
import type { RetryScheduler } from './retry-scheduler';
import { toRpcErrorBody } from './rpc-error';
import { schemaProblem } from './schema-check';
import type { StreamEntry } from './stream-entries';

type Outcome = NonNullable<DeliveryFacts['outcome']>;

/** What the deliveries need from the server besides its {@link ConsumerHost}. */
export interface DeliveryParts {
  readonly metrics: StreamsMetrics;
  readonly replies: RequestReplies;
  readonly retries: RetryScheduler;
  readonly deadLetterKey: string;
  readonly logger: { warn?(message: string): void; error?(message: string): void };
  acks(): AckBatcher;
  /** The handler of a pattern, or null. */
  handlerOf(pattern: string): MessageHandler | null;
  /** Calls an event handler (with the app's processing hooks) and waits for it. */
  runEventHandler(handler: MessageHandler, envelope: Envelope, context: RedisStreamsContext): Promise<unknown>;
}

/**
 * Handles the deliveries a server's reading loop, claimer and retries bring: asks
 * {@link decideDelivery} what to do with each, runs the handler when it says so, and does what
 * it decided (acknowledge, answer, retry later, dead-letter).
 */
export class Deliveries {
  /** Entries being handled here, so that a claim never hands this instance its own slow message twice. */
  private readonly handling = new Set<string>();

  constructor(
    private readonly host: ConsumerHost,
    private readonly parts: DeliveryParts,
  ) {}

  /** Handles one entry (its slot already taken) and frees the slot when done. */
  async process(entry: StreamEntry, deliveries: number): Promise<void> {
    const key = `${entry.stream} ${entry.entryId}`;
    if (this.handling.has(key)) {
      this.host.gate.release();
      return;
    }
    this.handling.add(key);
    try {
      await this.handleEntry(entry, deliveries);
    } catch (error) {
      // Left unacknowledged: it will be retried or claimed.
      this.host.reportError(error as Error);
    } finally {
      this.handling.delete(key);
      this.host.gate.release();
    }
  }

  private kindOf(stream: string): MessageKind {
    return this.host.streams.find((candidate) => candidate.key === stream)?.kind ?? 'event';
  }

  /** Asks the delivery policy what to do with the entry, runs the handler if it says so, and does what it decided. */
  private async handleEntry(entry: StreamEntry, deliveries: number): Promise<void> {
    const kind = this.kindOf(entry.stream);
    const decoded = entry.fields === null ? undefined : decodeEnvelope(fieldsToRecord(entry.fields));
    const envelope = decoded?.ok ? decoded.envelope : undefined;
    const handler = envelope ? this.parts.handlerOf(envelope.pattern) : null;
    const facts: DeliveryFacts = {
      kind,
      deliveries,
      message: !decoded
        ? 'deleted'
        : !decoded.ok
          ? { malformed: decoded.reason }
          : { pattern: decoded.envelope.pattern, deadline: decoded.envelope.meta.deadline },
      handler: handler ? (handler.isEventHandler ? 'event' : 'request') : null,
      settings: this.host.settings,
      now: this.host.settings.clock.now(),
      jitter: Math.random(),
    };
    let decision = decideDelivery(facts);
    if (envelope) {
      const metrics = this.parts.metrics.of(decision.label, kind);
      metrics.received.inc();
      if (deliveries > 1) metrics.retried.inc();
    }
    if (decision.action === 'run' && envelope && handler) {
      const schema = this.host.settings.schemas[envelope.pattern];
      const invalid = schema ? await schemaProblem(schema, envelope.pattern, envelope.data) : undefined;
      if (invalid) decision = decideDelivery({ ...facts, invalid });
      else decision = decideDelivery({ ...facts, outcome: await this.run(handler, envelope, entry, deliveries, kind) });
    }
    await this.carryOut(decision, entry, kind, deliveries, envelope);
  }

  /** Runs the handler in the message's context; a request's handler answers the caller. */
  private async run(
    handler: MessageHandler,
    envelope: Envelope,
    entry: StreamEntry,
    deliveries: number,
    kind: MessageKind,
  ): Promise<Outcome> {
    const metrics = this.parts.metrics.of(envelope.pattern, kind);
    const context = new RedisStreamsContext([envelope.id, entry.stream, entry.entryId, deliveries, envelope.meta]);
    const messageContext = {
      messageId: envelope.id,
      correlationId: envelope.meta.correlationId,
      traceparent: envelope.meta.traceparent,
    };
    const stopTimer = metrics.handlerDuration.startTimer();
    try {
      if (kind === 'request') {
        await runInMessageContext(messageContext, () => this.parts.replies.answer(handler, envelope, context));
      } else {
        await runInMessageContext(messageContext, () => this.parts.runEventHandler(handler, envelope, context));
      }
      return 'ok';
    } catch (error) {
      // A request's answer that could not be written leaves it pending (process() reports it).
      if (kind === 'request') throw error;
      metrics.failed.inc();
      return toRpcErrorBody(error);
    } finally {
      stopTimer();
    }
  }

  private async carryOut(
    decision: DeliveryDecision,
    entry: StreamEntry,
    kind: MessageKind,
    deliveries: number,
    envelope: Envelope | undefined,
  ): Promise<void> {
    const acks = this.parts.acks();
    const metrics = this.parts.metrics.of(decision.label, kind);
    switch (decision.action) {
      case 'ack':
        acks.ack(entry.stream, entry.entryId);
        if (envelope) metrics.acknowledged.inc();
        return;
      case 'expire':
        this.parts.metrics.expired.inc({ pattern: decision.label });
        acks.ack(entry.stream, entry.entryId);
        return;
      case 'reply-and-ack':
        if (envelope)
          await this.parts.replies.reply(envelope, decision.label, { err: decision.reason, isDisposed: true });
        acks.ack(entry.stream, entry.entryId);
        return;
      case 'dead-letter':
        if (decision.reply && envelope) {
          await this.parts.replies
            .reply(envelope, decision.label, { err: decision.reason, isDisposed: true })
            .catch(() => undefined);
        }
        await this.giveUp(entry, deliveries, decision.label, kind, decision.reason);
        return;
      case 'retry':
        this.parts.logger.warn?.(
          `${decision.label} ${envelope?.id} failed on delivery ${deliveries} of ${this.host.settings.maxDeliveries} (${decision.reason.code}: ${decision.reason.message}); retrying`,
        );
        this.parts.retries.schedule(entry, deliveries + 1, decision.delayMs);
        return;
      case 'run':
        throw new Error(`${decision.label}: the handler was not run`);
    }
  }

  private async giveUp(
    entry: StreamEntry,
    deliveries: number,
    pattern: string,
    kind: MessageKind,
    reason: { code: string; message: string },
  ): Promise<void> {
    await deadLetter(
      this.host.commands(),
      {
        key: this.parts.deadLetterKey,
        maxLen: this.host.settings.maxLen,
        group: this.host.group,
        consumer: this.host.consumer,
      },
      { ...entry, fields: entry.fields ?? [] },
      deliveries,
      reason,
      this.host.settings.clock.now(),
    );
    this.parts.metrics.of(pattern, kind).deadLettered.inc();
    this.parts.logger.error?.(
      `${pattern} from ${entry.stream} ${entry.entryId} dead-lettered after ${deliveries} deliveries: ${reason.code}: ${reason.message}`,
    );
  }
}
