import { Inject, Injectable, Logger } from '@nestjs/common';
import { lastValueFrom } from 'rxjs';
import { UnitOfWork } from '@app/database';
import { type OpenGap, OUTBOX_STREAMS_CLIENT, OutboxResender, type ResendOutcome } from '@app/outbox';
import { type RedisStreamsClient, StreamsError } from '@app/redis-streams';
import { describeIssues } from '../event-contracts';
import { EVENTS_ORIGIN } from '../tokens';
import { RESEND_REQUESTED, type ResendRequestMessage, resendRequestSchema } from './resend-request.message';
import { SNAPSHOT_SOURCES, type SnapshotSource } from './snapshot-source';

type Answer = ResendOutcome | { readonly kind: 'snapshot' };

/**
 * Both ends of gap repair. A consumer holding events whose predecessor has not come asks
 * the origin (`events.resend-requested`, read by every service); the origin answers from its
 * outbox (the events are published again), or, when the outbox no longer holds them, with a
 * snapshot of the aggregate if the app registered a {@link SnapshotSource} for its type.
 */
@Injectable()
export class ResendRequests {
  private readonly logger = new Logger(ResendRequests.name);
  private readonly sources: ReadonlyMap<string, SnapshotSource>;

  constructor(
    @Inject(EVENTS_ORIGIN) private readonly origin: string,
    @Inject(OUTBOX_STREAMS_CLIENT) private readonly client: RedisStreamsClient,
    @Inject(SNAPSHOT_SOURCES) sources: readonly SnapshotSource[],
    private readonly resender: OutboxResender,
    private readonly uow: UnitOfWork,
  ) {
    this.sources = new Map(sources.map((source) => [source.aggregateType, source]));
  }

  /** Asks the origin of a gap to send the aggregate again from the first sequence not applied. */
  async ask(gap: OpenGap): Promise<void> {
    const request: ResendRequestMessage = {
      origin: gap.origin,
      aggregateType: gap.aggregateType,
      aggregateId: gap.aggregateId,
      fromSequence: gap.applied + 1,
      requestedBy: this.origin,
    };
    await lastValueFrom(this.client.emit(RESEND_REQUESTED, request));
    this.logger.warn(
      { ...request, firstParked: gap.firstParked, parkedAt: gap.parkedAt.toISOString() },
      `Asked ${gap.origin} to send ${gap.aggregateType} ${gap.aggregateId} again from ${request.fromSequence}`,
    );
  }

  /** Answers a request addressed to this service; ignores the others. */
  async receive(data: unknown): Promise<void> {
    const parsed = resendRequestSchema.safeParse(data);
    if (!parsed.success) {
      throw new StreamsError(
        'STREAMS_INVALID_MESSAGE',
        `data of ${RESEND_REQUESTED} is invalid: ${describeIssues(parsed.error.issues)}`,
      );
    }
    const request = parsed.data;
    if (request.origin !== this.origin) return;
    const answer = await this.uow.transaction(async (manager): Promise<Answer> => {
      const outcome = await this.resender.resend(manager, request);
      if (outcome.kind !== 'purged') return outcome;
      const source = this.sources.get(request.aggregateType);
      return source && (await source.record(manager, request.aggregateId)) ? { kind: 'snapshot' } : outcome;
    });
    const what = `${request.aggregateType} ${request.aggregateId} from ${request.fromSequence} for ${request.requestedBy}`;
    if (answer.kind === 'republished') this.logger.log({ ...request, rows: answer.rows }, `Sending ${what} again`);
    else if (answer.kind === 'snapshot') this.logger.log(request, `Sending a snapshot of ${what}`);
    else if (answer.kind === 'ahead') {
      this.logger.warn(
        { ...request, current: answer.current },
        `Cannot send ${what}: this service is only at ${answer.current}`,
      );
    } else {
      this.logger.error(
        request,
        `Cannot send ${what}: the outbox no longer holds those events and there is no snapshot source for ${request.aggregateType}`,
      );
    }
  }
}
