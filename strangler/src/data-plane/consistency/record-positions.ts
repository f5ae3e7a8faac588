import { parsePositions } from '@app/contracts';
import type { DataPlaneContext } from '../data-plane.context';
import type { PositionsStore } from './positions-store';

/**
 * Keeps the positions a side's answer reported (`x-ficus-positions`). Never fails: a malformed
 * header is logged and counted (`invalid`), Redis away is counted (`unavailable`), and the
 * answer goes out either way, since the write behind it is committed.
 */
export async function recordPositions(
  store: PositionsStore,
  header: string,
  requestId: string,
  context: Pick<DataPlaneContext, 'warn'>,
): Promise<void> {
  const parsed = parsePositions(header);
  if (!parsed.ok) {
    store.count('record', 'invalid');
    context.warn(`${requestId}: the upstream's positions header is ignored: ${parsed.reason}`);
    return;
  }
  try {
    await store.record(parsed.positions);
  } catch (error) {
    // record() reports Redis failures as an outcome; anything else is a bug, not the client's problem.
    store.count('record', 'unavailable');
    context.warn(`${requestId}: the positions of a write were not kept (${String(error)})`);
  }
}
