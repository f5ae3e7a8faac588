import { z } from 'zod';
import { defineCommand, type CommandReply, type CommandRequest } from '../define-command';
import { Uuid } from '../primitives';

/** Asks inventory to put back the stock it reserved for an order (the saga's compensation). */
export const ReleaseStock = defineCommand({
  pattern: 'inventory.release-stock',
  schemaVersion: 1,
  service: 'inventory',
  senders: ['orders'],
  description:
    'Puts back the stock reserved for `orderId` (compensation of `inventory.reserve-stock`, or cancellation). ' +
    '`RELEASED` when it did (a repeat answers `RELEASED` again and changes nothing); `NOTHING_TO_RELEASE` when ' +
    'nothing was reserved for the order (never reserved, or rejected); a release before its reservation closes ' +
    'the order, and the late reservation is refused. Idempotent by `orderId`.',
  request: { orderId: Uuid },
  reply: z.strictObject({ status: z.enum(['RELEASED', 'NOTHING_TO_RELEASE']) }),
  example: {
    request: {
      commandId: '7f6e5d4c-3b2a-4190-8e7d-6c5b4a392817',
      schemaVersion: 1,
      issuedAt: '2026-11-22T04:20:00.000Z',
      origin: 'orders',
      orderId: '3f2e1d0c-b9a8-4765-9432-10fedcba9876',
    },
    replies: [{ status: 'RELEASED' }, { status: 'NOTHING_TO_RELEASE' }],
  },
});

export type ReleaseStockRequest = CommandRequest<typeof ReleaseStock>;
export type ReleaseStockReply = CommandReply<typeof ReleaseStock>;
