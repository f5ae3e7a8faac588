import type { AggregateKind } from './aggregate-kind';
import { ORDERS } from './orders.kind';
import { PRODUCTS } from './products.kind';
import { STOCK } from './stock.kind';
import { WALLETS } from './wallets.kind';

export type { AggregateKind, FieldSpec, FieldType, KindSide } from './aggregate-kind';

/** The table of comparers, checked in this order. A kind joins with one file and a row here. */
export const AGGREGATE_KINDS: readonly AggregateKind[] = [WALLETS, STOCK, PRODUCTS, ORDERS];
