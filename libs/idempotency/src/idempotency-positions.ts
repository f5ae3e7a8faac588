import type { EntityManager } from 'typeorm';

/**
 * What a replayed answer reports besides its status and body: the positions of the integration
 * events its key's transaction committed (`x-ficus-positions`, see `@app/contracts`), so that a
 * retry answered from the stored response tells the facade what later reads must wait for, as the
 * first answer did. `@app/outbox` provides it as {@link IDEMPOTENCY_POSITIONS}; without a
 * provider, keys keep no positions and replays report none.
 */
export interface IdempotencyPositions {
  /** In the key's transaction, once the work is done: what that transaction numbered, or undefined for nothing. */
  capture(manager: EntityManager): string | undefined;
  /** On a replay, after its transaction: reports what {@link capture} returned to the request being answered. */
  replay(positions: string): void;
}

/** The optional {@link IdempotencyPositions} of the app (`OutboxModule` provides it). */
export const IDEMPOTENCY_POSITIONS = Symbol('IDEMPOTENCY_POSITIONS');
