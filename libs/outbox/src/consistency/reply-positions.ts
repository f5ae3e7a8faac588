import { POSITIONS_HEADER, type Position, formatPositions, parsePositions } from '@app/contracts';
import type { ReplyHeaders } from '@app/redis-streams';

/**
 * Adds a committed position to a streams request's reply (`x-ficus-positions` reply header,
 * the highest sequence of each aggregate), as an HTTP request's response gets it: the caller
 * (a saga) learns which writes its command made, and passes them on to its own client.
 */
export function addReplyPosition(headers: ReplyHeaders, position: Position): void {
  const merged = parsePositions([headers.get(POSITIONS_HEADER) ?? '', formatPositions([position])]);
  if (merged.ok) headers.set(POSITIONS_HEADER, formatPositions(merged.positions));
}
