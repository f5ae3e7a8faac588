import { AWAIT_HEADER, formatPositions } from '@app/contracts';
import type { AwaitedKey } from '../../rules';
import type { PositionsStore } from './positions-store';

/**
 * Adds to the upstream request's headers (`forwarded`, a flat `[name, value, …]` list) the
 * positions an answer about `keys` must reflect, as `x-ficus-await`. Nothing is added when there
 * are none, or when Redis did not answer (the request then goes as it would without this).
 */
export async function awaitPositions(
  store: PositionsStore,
  keys: readonly AwaitedKey[],
  forwarded: string[],
): Promise<void> {
  const positions = await store.read(keys);
  if (positions?.length) forwarded.push(AWAIT_HEADER, formatPositions(positions));
}
