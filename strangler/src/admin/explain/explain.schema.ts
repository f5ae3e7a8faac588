import { z } from 'zod';
import { ROUTE_MODES } from '../../rules';

export const ExplainBodySchema = z
  .strictObject({
    method: z
      .string()
      .regex(/^[A-Za-z]{1,20}$/, 'must be an HTTP method such as GET')
      .transform((method) => method.toUpperCase()),
    path: z
      .string()
      .min(1)
      .max(8_192)
      .meta({ description: 'The request target: path and query, as a client sends it.', example: '/api/orders/42' }),
    headers: z
      .record(z.string().min(1).max(256), z.string().max(8_192))
      .default({})
      .meta({ description: 'Request headers (any case), e.g. `authorization` for a canary sticky by JWT `sub`.' }),
    clientIp: z.string().max(64).optional().meta({ description: 'For canaries sticky by `ip`.' }),
  })
  .meta({ id: 'ExplainRequest' });

export type ExplainBody = z.output<typeof ExplainBodySchema>;

export const ExplanationSchema = z
  .object({
    version: z.int().meta({ description: 'The rules version that decided (the one this instance routes with).' }),
    method: z.string(),
    path: z.string(),
    route: z
      .object({
        id: z.string(),
        group: z.string().nullable(),
        mode: z.enum(ROUTE_MODES),
        target: z.string(),
        percent: z.number().nullable(),
        stickyBy: z.string().nullable(),
      })
      .nullable()
      .meta({ description: 'The route that matched (first in table order), or null.' }),
    side: z.enum(['target', 'legacy']),
    upstream: z.string().meta({ description: 'The upstream that answers.' }),
    upstreamUrls: z.array(z.string()),
    shadowTo: z.string().nullable().meta({ description: 'In shadow mode, the upstream that gets a copy.' }),
    reason: z.string().meta({ description: 'Why, for people.' }),
    guard: z
      .object({ reason: z.string(), since: z.string() })
      .nullable()
      .meta({ description: 'The route’s tripped guard, which keeps it on legacy for now.' }),
    timeoutMs: z.int(),
    retries: z.int(),
    fallback: z.boolean(),
    awaits: z.array(z.string()).optional().meta({
      description:
        'By the route’s `consistency`: the aggregates (`type:id`) and collections (`type:*`) whose writes the answer must reflect; absent when the route names none.',
    }),
    refused: z
      .object({ status: z.literal(404), code: z.literal('ROUTE_NOT_FOUND') })
      .nullable()
      .optional()
      .meta({
        description:
          'Set when the facade answers the request itself: an internal path (`STRANGLER_INTERNAL_PATHS`) that no route routes explicitly; no upstream sees it.',
      }),
    idempotencyPin: z.object({ upstream: z.string(), expiresInMs: z.int() }).nullable().optional().meta({
      description:
        'Only for a write with an `Idempotency-Key`: the upstream that took the key first, which the request goes to, or null while the key is free.',
    }),
  })
  .meta({ id: 'Explanation' });

export type Explanation = z.output<typeof ExplanationSchema>;
