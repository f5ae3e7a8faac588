import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { UnitOfWork } from '@app/database';
import { claimDueGaps, readyParked } from '@app/outbox';
import { EventsServer } from '../events-server';
import { InboundEvents } from '../inbound-events';
import { type IntegrationEventsConfig, integrationEventsConfig } from '../integration-events.config';
import { ResendRequests } from '../resend/resend-requests';
import { EVENTS_ORIGIN } from '../tokens';

/** Parked messages and gaps looked at per check. */
const CHECK_BATCH = 100;

/** What one check did. */
export interface ParkedCheck {
  /** Parked messages found ready (their predecessor applied meanwhile) and applied or dropped as covered. */
  readonly ready: number;
  /** Gaps the origins were asked to repair. */
  readonly asked: number;
}

/**
 * Looks at this consumer's parked events every `EVENTS_PARKED_CHECK_MS`, once the consumer is
 * connected: applies those whose predecessor was applied meanwhile (by a snapshot or another
 * instance), and asks the origin to send an aggregate again when its gap is older than
 * `EVENTS_GAP_REPAIR_MS` (and again after as long while it stays open).
 */
@Injectable()
export class ParkedEventsWatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ParkedEventsWatcher.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;

  constructor(
    @Inject(EVENTS_ORIGIN) private readonly origin: string,
    @Inject(integrationEventsConfig.KEY) private readonly config: IntegrationEventsConfig,
    private readonly uow: UnitOfWork,
    private readonly inbound: InboundEvents,
    private readonly resends: ResendRequests,
    private readonly server: EventsServer,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One check at `now`: applies the ready parked messages, then asks for the gaps due. */
  async check(now = new Date()): Promise<ParkedCheck> {
    const ready = await this.uow.read((manager) => readyParked(manager, this.origin, CHECK_BATCH));
    for (const message of ready) await this.inbound.applyReady(message);
    const due = new Date(now.getTime() - this.config.gapRepairMs);
    const gaps = await this.uow.transaction((manager) =>
      claimDueGaps(manager, this.origin, { parkedBefore: due, requestedBefore: due, now }, CHECK_BATCH),
    );
    for (const gap of gaps) await this.resends.ask(gap);
    return { ready: ready.length, asked: gaps.length };
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      // Tools that build the module without consuming (a backfill) have nothing parked to look at.
      if (!this.server.get()) return this.schedule();
      this.running = this.check()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'Checking parked events failed; will retry'))
        .finally(() => {
          this.running = undefined;
          this.schedule();
        });
    }, this.config.parkedCheckMs);
    this.timer.unref();
  }
}
