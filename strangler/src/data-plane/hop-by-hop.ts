/**
 * Hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection, so a proxy never
 * forwards them, in either direction, nor the headers a `Connection` header names.
 */
export const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** The header names a `Connection` header lists (lower-case), beyond the ones always stripped. */
export function connectionTokens(value: string | string[] | undefined): Set<string> | undefined {
  if (value === undefined || value === 'keep-alive' || value === 'close' || value === 'Keep-Alive') return undefined;
  let tokens: Set<string> | undefined;
  for (const part of Array.isArray(value) ? value : [value]) {
    for (const raw of part.split(',')) {
      const token = raw.trim().toLowerCase();
      if (token === '' || token === 'close' || HOP_BY_HOP.has(token)) continue;
      (tokens ??= new Set()).add(token);
    }
  }
  return tokens;
}
