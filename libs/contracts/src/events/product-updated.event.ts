import { z } from 'zod';
import { defineEvent, type EventData } from '../define-event';
import { Cents, IsoTimestamp, ProductName, Uuid } from '../primitives';
import { checkSameIdAsAggregate, report } from '../refinements';

/** A product's name or price changed. */
export const ProductUpdated = defineEvent({
  pattern: 'product.updated',
  schemaVersion: 1,
  aggregateType: 'product',
  description:
    "A product's name or price changed. `changes` holds the fields the update set (at least one), with their " +
    'new values; `name` and `priceCents` are the values after it. Nobody publishes it yet: no route changes ' +
    'a name or price.',
  publishers: [],
  consumers: ['legacy-monolith', 'catalog'],
  payload: {
    productId: Uuid,
    changes: z
      .strictObject({ name: ProductName.optional(), priceCents: Cents.optional() })
      .refine((changes) => changes.name !== undefined || changes.priceCents !== undefined, {
        message: 'must change name or priceCents',
      }),
    name: ProductName,
    priceCents: Cents,
    updatedAt: IsoTimestamp,
  },
  refine: (data, ctx) => {
    checkSameIdAsAggregate(data, 'productId', ctx);
    for (const field of ['name', 'priceCents'] as const) {
      const changed = data.changes[field];
      if (changed !== undefined && changed !== data[field]) {
        report(ctx, ['changes', field], `must equal the resulting ${field} (${JSON.stringify(data[field])})`);
      }
    }
  },
  example: {
    id: 'b5a49382-7161-4f5e-8d4c-3b2a1f0e9d8c',
    schemaVersion: 1,
    occurredAt: '2026-11-22T05:00:00.000Z',
    origin: 'catalog',
    aggregateId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
    sequence: 1,
    productId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
    changes: { priceCents: 1_500 },
    name: 'Ficus mug',
    priceCents: 1_500,
    updatedAt: '2026-11-22T05:00:00.000Z',
  },
});

export type ProductUpdatedData = EventData<typeof ProductUpdated>;
