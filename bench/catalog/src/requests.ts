import type { ProductSummary } from './stack';

/**
 * The request kinds measured: the two product reads, and `floor`, a route that does next to
 * nothing (`GET /health/live`) through the same stack (facade, Node HTTP, Express, Nest, the
 * logging and metrics middleware), so that what a read itself costs shows apart from the cost
 * every request of the service pays.
 */
export const KINDS = ['byId', 'search', 'floor'] as const;
export type Kind = (typeof KINDS)[number];

/** The kinds measured with consistency off and on (`floor`'s route names no consistency). */
export const CONSISTENCY_KINDS = ['byId', 'search'] as const satisfies readonly Kind[];
export type ConsistencyKind = (typeof CONSISTENCY_KINDS)[number];

/** The kinds both sides must answer alike (`floor` answers the process's own pid). */
export const PARITY_KINDS: readonly Kind[] = ['byId', 'search'];

export const KIND_DETAIL: Record<Kind, string> = {
  byId: 'GET /api/products/{id}, over every product id in a shuffled order',
  search: 'GET /api/products?q=<word>&limit=20&offset=<0..80>, over every word of the product names and 5 offsets',
  floor: "GET /health/live (the service's liveness: no database, no serialisation beyond a few fields)",
};

/** Search pages: offsets 0, 20, … 80 (each word of the demo names matches 100 products). */
const PAGE_LIMIT = 20;
const OFFSETS = [0, 20, 40, 60, 80];

/** A deterministic shuffle (xorshift), so that every run asks the same sequence. */
function shuffled<T>(items: readonly T[], seed = 0x9e3779b9): T[] {
  const out = [...items];
  let state = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** The words of the product names, lower case (`classic`, `red`, `mug`, …). */
export function searchWords(products: readonly ProductSummary[]): string[] {
  const words = new Set(products.flatMap((p) => p.name.toLowerCase().split(/\s+/).filter(Boolean)));
  return [...words].sort();
}

/** The request paths of each kind, asked in turn by the load generator. */
export function requestPaths(products: readonly ProductSummary[]): Record<Kind, string[]> {
  const byId = shuffled(products.map((p) => `/api/products/${p.id}`));
  const search = shuffled(
    searchWords(products).flatMap((word) =>
      OFFSETS.map((offset) => `/api/products?q=${encodeURIComponent(word)}&limit=${PAGE_LIMIT}&offset=${offset}`),
    ),
  );
  return { byId, search, floor: ['/health/live'] };
}
