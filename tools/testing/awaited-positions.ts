import type { INestApplicationContext } from '@nestjs/common';
import { PositionsGate } from '@app/outbox';
import { eventually } from './test-streams';

/**
 * Resolves once `count` requests of `app` are waiting for positions of their `x-ficus-await`
 * that it has not applied yet: the moment to deliver the event a test held back.
 */
export function requestsWaiting(app: INestApplicationContext, count = 1): Promise<number> {
  return eventually(
    async () => app.get(PositionsGate).waiting,
    (now) => now === count,
  );
}
