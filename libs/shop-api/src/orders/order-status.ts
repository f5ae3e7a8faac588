export const ORDER_STATUSES = ['PENDING', 'APPROVED', 'REJECTED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const REJECTION_REASONS = ['INSUFFICIENT_FUNDS', 'OUT_OF_STOCK'] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];
