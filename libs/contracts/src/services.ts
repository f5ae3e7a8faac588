/** The processes that publish, consume or answer messages today or in the plan. */
export const SERVICE_NAMES = ['legacy-monolith', 'catalog', 'inventory', 'orders', 'payments'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** The services that answer saga commands. */
export type CommandService = Extract<ServiceName, 'inventory' | 'payments'>;

/** The kinds of aggregate an integration event is about; `aggregateId` is the id of one of them. */
export const AGGREGATE_TYPES = ['customer', 'product', 'order'] as const;
export type AggregateType = (typeof AGGREGATE_TYPES)[number];
