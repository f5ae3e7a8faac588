import { z } from 'zod';
import { defineCommand, type CommandReply, type CommandRequest } from '../define-command';
import { ProductIds, productList, Quantity } from '../order-lines';
import { Uuid } from '../primitives';

/** Asks inventory to take the stock of an order's items, all or nothing. */
export const ReserveStock = defineCommand({
  pattern: 'inventory.reserve-stock',
  schemaVersion: 1,
  service: 'inventory',
  senders: ['orders'],
  description:
    "Takes the stock of an order's items, all or nothing: `RESERVED` with each product's resulting stock, or " +
    '`REJECTED` with the products that lack stock (`OUT_OF_STOCK`) or do not exist (`PRODUCT_NOT_FOUND`), ' +
    'and then nothing is taken. Idempotent by `orderId`: asked again for the same order, it answers as the ' +
    'first time and takes nothing more.',
  request: {
    orderId: Uuid,
    items: productList(z.strictObject({ productId: Uuid, quantity: Quantity })),
  },
  reply: z.discriminatedUnion('status', [
    z.strictObject({
      status: z.literal('RESERVED'),
      items: productList(z.strictObject({ productId: Uuid, quantity: Quantity, stock: z.int().min(0) })),
    }),
    z.strictObject({
      status: z.literal('REJECTED'),
      reason: z.enum(['OUT_OF_STOCK', 'PRODUCT_NOT_FOUND']),
      productIds: ProductIds,
    }),
  ]),
  example: {
    request: {
      commandId: '6e5d4c3b-2a19-4f8e-b7d6-c5b4a3928170',
      schemaVersion: 1,
      issuedAt: '2026-11-22T04:10:00.000Z',
      origin: 'orders',
      orderId: '3f2e1d0c-b9a8-4765-9432-10fedcba9876',
      items: [{ productId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', quantity: 2 }],
    },
    replies: [
      { status: 'RESERVED', items: [{ productId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', quantity: 2, stock: 8 }] },
      { status: 'REJECTED', reason: 'OUT_OF_STOCK', productIds: ['a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d'] },
    ],
  },
});

export type ReserveStockRequest = CommandRequest<typeof ReserveStock>;
export type ReserveStockReply = CommandReply<typeof ReserveStock>;
