/** One entry read from a stream, with its field/value list. */
export interface StreamEntry {
  readonly stream: string;
  readonly entryId: string;
  /** Alternating field names and values; `null` when the entry was deleted meanwhile. */
  readonly fields: readonly string[] | null;
}

type RawEntry = [string, string[] | null];

/** Parses an XREADGROUP/XREAD reply (RESP2): `[[stream, [[id, fields], …]], …]` or null. */
export function parseReadReply(reply: unknown): StreamEntry[] {
  if (!Array.isArray(reply)) return [];
  const entries: StreamEntry[] = [];
  for (const [stream, items] of reply as [string, RawEntry[]][]) {
    for (const [entryId, fields] of items) entries.push({ stream, entryId, fields });
  }
  return entries;
}

/** Parses an XAUTOCLAIM reply: `[next, [[id, fields], …], deleted?]`. */
export function parseAutoClaimReply(
  stream: string,
  reply: unknown,
): { next: string; entries: StreamEntry[]; deleted: string[] } {
  const [next, items, deleted] = reply as [string, RawEntry[], string[] | undefined];
  return {
    next,
    entries: (items ?? []).filter((item) => item !== null).map(([entryId, fields]) => ({ stream, entryId, fields })),
    deleted: deleted ?? [],
  };
}

/** Parses an XCLAIM reply: `[[id, fields], …]`. */
export function parseClaimReply(stream: string, reply: unknown): StreamEntry[] {
  if (!Array.isArray(reply)) return [];
  return (reply as (RawEntry | null)[])
    .filter((item): item is RawEntry => item !== null)
    .map(([entryId, fields]) => ({ stream, entryId, fields }));
}
