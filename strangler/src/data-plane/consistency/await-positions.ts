import { AWAIT_HEADER, formatPositions } from '@app/contracts';
import type { AwaitedKey } from '../../rules';
import type { PendingPositions, PositionsStore } from './positions-store';

/** What a request took to its upstream, for the exchange to mark once the upstream confirms it. */
export interface SentPositions {
  pending?: PendingPositions;
}

/**
 * Adds `pending` to the upstream request's headers (`forwarded`, a flat `[name, value, …]` list)
 * as `x-ficus-await`, when there are any, and keeps them in `sent`; `false` when `pending` is
 * unknown (`undefined`).
 */
export function carryPositions(
  pending: PendingPositions | undefined,
  forwarded: string[],
  sent: SentPositions,
): boolean {
  if (pending === undefined) return false;
  if (pending.positions.length === 0) return true;
  forwarded.push(AWAIT_HEADER, formatPositions(pending.positions));
  sent.pending = pending;
  return true;
}

/**
 * Adds to the upstream request's headers the positions an answer about `keys` from `upstream`
 * must reflect (see {@link carryPositions}). Nothing is added when there are none, or when Redis
 * did not answer (the request then goes as it would without this).
 */
export async function awaitPositions(
  store: PositionsStore,
  keys: readonly AwaitedKey[],
  upstream: string,
  forwarded: string[],
  sent: SentPositions,
): Promise<void> {
  carryPositions(await store.read(keys, upstream), forwarded, sent);
}
