import { z } from 'zod';

/**
 * The pattern of a consumer's request to an origin: "send aggregate X again from sequence N".
 * Every service reads it (its own consumer group) and answers those addressed to it.
 */
export const RESEND_REQUESTED = 'events.resend-requested';

const name = z.string().min(1).max(100);

export const resendRequestSchema = z.object({
  /** The service asked: the origin of the events. */
  origin: name,
  aggregateType: name,
  aggregateId: z.string().min(1).max(200),
  /** The first sequence the asking consumer has not applied. */
  fromSequence: z.int().min(1),
  /** The service that asks. */
  requestedBy: name,
});

export type ResendRequestMessage = z.infer<typeof resendRequestSchema>;
