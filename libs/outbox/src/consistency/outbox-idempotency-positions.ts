import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { formatPositions, parsePositions } from '@app/contracts';
import type { IdempotencyPositions } from '@app/idempotency';
import { OutboxCommitListener } from '../outbox-commit.listener';
import { activeTransaction } from '../sql';
import { currentRequestPositions } from './request-positions';

/**
 * The positions an `Idempotency-Key` keeps and replays (`IDEMPOTENCY_POSITIONS` of
 * `@app/idempotency`): those `Outbox.add()` numbered in the key's transaction, written as
 * `x-ficus-positions` is; a replay adds them to its request's positions, so its answer carries
 * the header the first answer carried.
 */
@Injectable()
export class OutboxIdempotencyPositions implements IdempotencyPositions {
  private readonly logger = new Logger('OutboxIdempotencyPositions');

  constructor(private readonly commits: OutboxCommitListener) {}

  capture(manager: EntityManager): string | undefined {
    const queryRunner = activeTransaction(manager);
    const numbered = queryRunner ? this.commits.numberedIn(queryRunner) : [];
    return numbered.length > 0 ? formatPositions(numbered) : undefined;
  }

  replay(positions: string): void {
    const request = currentRequestPositions();
    if (!request) return;
    const parsed = parsePositions(positions);
    if (!parsed.ok) {
      this.logger.warn({ reason: parsed.reason }, 'Stored positions of an idempotency key are malformed; not replayed');
      return;
    }
    for (const position of parsed.positions) request.add(position);
  }
}
