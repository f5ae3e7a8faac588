import { AWAIT_HEADER, formatPositions } from '@app/contracts';
import type { AwaitedKey } from '../../rules';
import type { PendingPositions, PositionsStore } from './positions-store';

/** What a request took to its upstream, for the exchange to mark once the upstream confirms it. */
export interface SentPositions {
  pending?: PendingPositions;
}

/**
 * Adds to the upstream request's headers (`forwarded`, a flat `[name, value, …]` list) the
 * positions an answer about `keys` from `upstream` must reflect, as `x-ficus-await`, and keeps
 * them in `sent`. Nothing is added when there are none, or when Redis did not answer (the request
 * then goes as it would without this).
 */
export async function awaitPositions(
  store: PositionsStore,
  keys: readonly AwaitedKey[],
  upstream: string,
  forwarded: string[],
  sent: SentPositions,
): Promise<void> {
  const pending = await store.read(keys, upstream);
  if (!pending?.positions.length) return;
  forwarded.push(AWAIT_HEADER, formatPositions(pending.positions));
  sent.pending = pending;
}
