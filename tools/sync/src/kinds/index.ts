import type { AggregateKind } from './aggregate-kind';
import { PRODUCTS } from './products.kind';
import { STOCK } from './stock.kind';
import { WALLETS } from './wallets.kind';

export type { AggregateKind, FieldSpec, FieldType, KindSide } from './aggregate-kind';

/**
 * The table of comparers, checked in this order. A kind joins with one file and a row here;
 * orders are not compared yet: only the monolith holds them. Once another side keeps them
 * (an `orders` service applying `order.*`), an `orders.kind.ts` reads `orders` on both.
 */
export const AGGREGATE_KINDS: readonly AggregateKind[] = [WALLETS, STOCK, PRODUCTS];
