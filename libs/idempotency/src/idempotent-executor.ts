import { Inject, Injectable, Optional } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { UnitOfWork, isUniqueViolation } from '@app/database';
import { IdempotencyConfig, idempotencyConfig } from './idempotency.config';
import { IdempotencyKeyReusedError } from './idempotency.errors';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { IDEMPOTENCY_POSITIONS, type IdempotencyPositions } from './idempotency-positions';
import { requestFingerprint } from './request-fingerprint';

export interface IdempotentRequest {
  /** Keys are scoped to the caller: two callers may use the same key. */
  readonly principalId: string;
  /** The caller's `Idempotency-Key`, if any. */
  readonly key: string | undefined;
  /** Names the use case (`deposit`), so a key reused on another route is refused. */
  readonly operation: string;
  /** What the use case acts on (a customer id), part of what makes two requests the same. */
  readonly target: string;
  readonly body: unknown;
}

/**
 * Runs a use case in one database transaction and, when the caller gave an
 * `Idempotency-Key`, records the response in that same transaction. A repeat with the
 * same key and the same request gets the recorded response and changes nothing; the
 * same key with another request is refused (`IDEMPOTENCY_KEY_REUSED`). A use case that
 * fails records nothing, so its retry runs again. Concurrent repeats are safe: the key
 * is claimed first thing in the transaction, and the loser of the race replays the
 * winner's response. With {@link IDEMPOTENCY_POSITIONS} provided (`OutboxModule` does), the
 * key also keeps the positions its transaction committed, and every replay reports them.
 */
@Injectable()
export class IdempotentExecutor {
  constructor(
    private readonly uow: UnitOfWork,
    @Inject(idempotencyConfig.KEY) private readonly config: IdempotencyConfig,
    @Optional() @Inject(IDEMPOTENCY_POSITIONS) private readonly positions?: IdempotencyPositions,
  ) {}

  async run<T>(request: IdempotentRequest, work: (manager: EntityManager) => Promise<T>, status = 201): Promise<T> {
    if (request.key === undefined) return this.uow.transaction(work);
    const fingerprint = requestFingerprint(request.operation, request.target, request.body);
    try {
      return await this.attempt(request.principalId, request.key, fingerprint, work, status);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return this.attempt(request.principalId, request.key, fingerprint, work, status);
    }
  }

  /**
   * Replaces the answer recorded for a key, in `manager`'s transaction: for a use case whose answer
   * is settled after its request committed (a saga's end), so that a repeat gets the settled answer.
   * The key keeps the positions of this transaction too, when it committed any, and `committedElsewhere`
   * (positions, as `x-ficus-positions` writes them, that other services committed for the use case).
   * Nothing happens for a key that is not (or no longer) recorded.
   */
  async amend(
    manager: EntityManager,
    principalId: string,
    key: string,
    result: unknown,
    committedElsewhere?: string | null,
  ): Promise<void> {
    // The same aggregate twice keeps its highest sequence when read back (`parsePositions`).
    const positions = [this.positions?.capture(manager), committedElsewhere].filter(Boolean).join(',');
    await manager.update(
      IdempotencyKeyEntity,
      { principalId, key },
      { responseBody: JSON.stringify(result), ...(positions ? { positions } : {}) },
    );
  }

  private attempt<T>(
    principalId: string,
    key: string,
    fingerprint: string,
    work: (manager: EntityManager) => Promise<T>,
    status: number,
  ): Promise<T> {
    return this.uow.transaction(async (manager) => {
      const where = { principalId, key };
      const existing = await manager.findOne(IdempotencyKeyEntity, { where });
      const now = new Date();
      if (existing && now.getTime() - existing.createdAt.getTime() < this.config.ttlMs) {
        if (existing.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError();
        const [stored, positions] = [existing.positions, this.positions];
        if (stored && positions) this.uow.afterCommit(manager, () => positions.replay(stored));
        return JSON.parse(existing.responseBody) as T;
      }
      if (existing) await manager.delete(IdempotencyKeyEntity, where);
      await manager.insert(IdempotencyKeyEntity, {
        ...where,
        fingerprint,
        responseStatus: status,
        responseBody: '',
        createdAt: now,
      });
      const result = await work(manager);
      await manager.update(IdempotencyKeyEntity, where, {
        responseBody: JSON.stringify(result),
        positions: this.positions?.capture(manager) ?? null,
      });
      return result;
    });
  }
}
