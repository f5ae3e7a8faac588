import { z } from 'zod';
import { ROUTE_MODES, routeSchema } from '../rules';
import { WriteFieldsShape } from './write-request';

const shape = routeSchema.shape;

/** The body of a route or group change: the fields to change (`null` removes one) and the write fields. */
export const RouteChangeBodySchema = z
  .strictObject({
    mode: z.enum(ROUTE_MODES).optional(),
    target: shape.target.optional(),
    percent: z.number().min(0).max(100).multipleOf(0.01).nullable().optional(),
    stickyBy: shape.stickyBy.unwrap().nullable().optional(),
    timeoutMs: z.int().min(1).max(600_000).nullable().optional(),
    fallback: z.boolean().nullable().optional(),
    ...WriteFieldsShape,
  })
  .refine(
    (body) => ['mode', 'target', 'percent', 'stickyBy', 'timeoutMs', 'fallback'].some((field) => field in body),
    'give at least one of mode, target, percent, stickyBy, timeoutMs, fallback',
  )
  .meta({ id: 'RouteChangeRequest' });

export type RouteChangeBody = z.output<typeof RouteChangeBodySchema>;

export function routeChangeFields({ mode, target, percent, stickyBy, timeoutMs, fallback }: RouteChangeBody) {
  return { mode, target, percent, stickyBy, timeoutMs, fallback };
}
