import { Inject, Injectable } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { APPLIED_HEADER, AWAIT_HEADER, CONSISTENCY_HEADER, type Position, parsePositions } from '@app/contracts';
import { UnitOfWork } from '@app/database';
import type { Clock } from '@app/redis-streams';
import { readInboxSequencesOf } from '../inbox-sequence-rows';
import type { OutboxOptions } from '../outbox-settings';
import type { OutboxMetrics } from '../outbox.metrics';
import { APPLIED_AGGREGATE_TYPES, CONSISTENCY_CLOCK, OUTBOX_METRICS, OUTBOX_OPTIONS } from '../tokens';
import { AppliedPositions, appliedKey, keyOfPosition } from './applied-positions';
import { ConsistencyError } from './consistency.errors';
import { waitForPositions } from './wait-for-positions';

/** What a request awaiting positions found: nothing to wait for, all applied, or not all in time. */
export type GateOutcome = 'none' | 'applied' | 'stale';

/**
 * Holds a request until this side's inbox has applied the positions its `x-ficus-await` lists
 * (those of other origins, of aggregate types this side applies), for at most
 * `consistencyWaitMs`; past it, marks the answer `x-ficus-consistency: stale`. Woken by this
 * process's applies, and reads the inbox again every 250 ms for those of other instances.
 */
@Injectable()
export class PositionsGate {
  private readonly appliedTypes: ReadonlySet<string> | null;
  private waitingNow = 0;

  constructor(
    @Inject(OUTBOX_OPTIONS) private readonly options: OutboxOptions,
    @Inject(OUTBOX_METRICS) private readonly metrics: OutboxMetrics,
    @Inject(CONSISTENCY_CLOCK) private readonly clock: Clock,
    @Inject(APPLIED_AGGREGATE_TYPES) appliedTypes: readonly string[] | null,
    private readonly uow: UnitOfWork,
    private readonly waiters: AppliedPositions,
  ) {
    this.appliedTypes = appliedTypes ? new Set(appliedTypes) : null;
  }

  /**
   * Waits for the positions of an `x-ficus-await` value (as Node gives it). Throws
   * `CONSISTENCY_POSITIONS_INVALID` for a malformed one; sets the stale header on `response`
   * when it gives up.
   */
  async pass(header: string | readonly string[], response: ServerResponse): Promise<GateOutcome> {
    const outcome = await this.settle(header);
    if (outcome === 'stale') {
      if (!response.headersSent) response.setHeader(CONSISTENCY_HEADER, 'stale');
    } else this.confirm(response);
    return outcome;
  }

  /**
   * For a streams request (a saga's command with an `x-ficus-await` request header): waits the
   * same way, but a command must not act on a state that lacks those writes (a charge before the
   * debits another side made), so past the wait it throws `CONSISTENCY_NOT_APPLIED` and the
   * sender tries again later.
   */
  async passCommand(header: string): Promise<GateOutcome> {
    const outcome = await this.settle(header);
    if (outcome === 'stale') {
      throw new ConsistencyError(
        'CONSISTENCY_NOT_APPLIED',
        `The writes this command must follow are not applied here yet (${AWAIT_HEADER}: ${header}).`,
      );
    }
    return outcome;
  }

  /** Waits for the positions this side applies (`none` when there are none), counting what it gave up on. */
  private async settle(header: string | readonly string[]): Promise<GateOutcome> {
    const parsed = parsePositions(header);
    if (!parsed.ok) throw new ConsistencyError('CONSISTENCY_POSITIONS_INVALID', `${AWAIT_HEADER}: ${parsed.reason}.`);
    const awaited = parsed.positions.filter((position) => this.awaits(position));
    if (awaited.length === 0) return 'none';
    const consumer = this.options.origin;
    this.waitingNow += 1;
    const outcome = await waitForPositions({
      watch: this.waiters.watch(consumer, awaited),
      read: (positions) => this.read(consumer, positions),
      waitMs: this.options.consistencyWaitMs,
      clock: this.clock,
    }).finally(() => (this.waitingNow -= 1));
    const label = outcome.applied ? 'applied' : 'stale';
    this.metrics.consistencyWait.observe({ outcome: label }, outcome.waitedMs / 1_000);
    if (!outcome.applied) this.metrics.consistencyStale.inc();
    return label;
  }

  /** Tells the facade that the answer reflects every awaited position: it stops sending them here. */
  private confirm(response: ServerResponse): void {
    if (!response.headersSent) response.setHeader(APPLIED_HEADER, 'true');
  }

  /** How many requests are waiting for positions now. */
  get waiting(): number {
    return this.waitingNow;
  }

  /** Own positions are committed here already; types this side never applies would never come. */
  private awaits(position: Position): boolean {
    if (position.origin === this.options.origin) return false;
    return this.appliedTypes === null || this.appliedTypes.has(position.aggregateType);
  }

  private read(consumer: string, positions: readonly Position[]): Promise<Map<string, number>> {
    const keys = positions.map((position) => keyOfPosition(consumer, position));
    return this.uow.read(async (manager) => {
      const rows = await readInboxSequencesOf(manager, keys);
      return new Map(rows.map((row) => [appliedKey(row), row.lastSequence]));
    });
  }
}
