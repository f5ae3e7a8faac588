import { AWAIT_HEADER, formatPositions, parsePositions } from '@app/contracts';

/** The writes of other sides a placement's commands must follow, as `x-ficus-await` values (null: none). */
export interface AwaitedWrites {
  /** The customer's wallet changes (the monolith's debits during a canary): payments applies them before charging. */
  readonly wallet: string | null;
  /** The ordered products' stock changes: inventory applies them before reserving. */
  readonly stock: string | null;
}

/**
 * Of the positions the facade sent with a placement (`x-ficus-await`), those its commands must
 * wait for at inventory and payments: the customer's and the ordered products', written by a side
 * other than orders. A malformed header has been refused before (400) by the side's own gate.
 */
export function awaitedWrites(
  header: string | undefined,
  customerId: string,
  productIds: readonly string[],
): AwaitedWrites {
  const parsed = parsePositions(header);
  if (!parsed.ok) return { wallet: null, stock: null };
  const others = parsed.positions.filter((position) => position.origin !== 'orders');
  const products = new Set(productIds);
  const wallet = others.filter((p) => p.aggregateType === 'customer' && p.aggregateId === customerId);
  const stock = others.filter((p) => p.aggregateType === 'product' && products.has(p.aggregateId));
  return {
    wallet: wallet.length > 0 ? formatPositions(wallet) : null,
    stock: stock.length > 0 ? formatPositions(stock) : null,
  };
}

/** A command's request headers that make its receiver wait for `positions` first. */
export function awaiting(positions: string | null): Readonly<Record<string, string>> | undefined {
  return positions ? { [AWAIT_HEADER]: positions } : undefined;
}
