import type { z } from 'zod';

type Ctx = z.core.$RefinementCtx;

/** Adds a custom issue at `path` (relative to the message data). */
export function report(ctx: Ctx, path: readonly (string | number)[], message: string): void {
  ctx.addIssue({ code: 'custom', path: [...path], message });
}

/** Reports `field` when it differs from `aggregateId`: the event's own id field names its aggregate. */
export function checkSameIdAsAggregate(
  data: { readonly aggregateId: string } & Readonly<Record<string, unknown>>,
  field: string,
  ctx: Ctx,
): void {
  if (data[field] !== data.aggregateId) report(ctx, [field], `must equal aggregateId (${data.aggregateId})`);
}
