import type { StandardSchemaV1 } from '@standard-schema/spec';
import { ChargeWallet } from './commands/charge-wallet.command';
import { RefundWallet } from './commands/refund-wallet.command';
import { ReleaseStock } from './commands/release-stock.command';
import { ReserveStock } from './commands/reserve-stock.command';
import { CustomerRegistered } from './events/customer-registered.event';
import { CustomerSnapshot } from './events/customer-snapshot.event';
import { OrderCancelled } from './events/order-cancelled.event';
import { OrderPlaced } from './events/order-placed.event';
import { ProductCreated } from './events/product-created.event';
import { ProductSnapshot } from './events/product-snapshot.event';
import { ProductUpdated } from './events/product-updated.event';
import { StockAdjusted } from './events/stock-adjusted.event';
import { StockSnapshot } from './events/stock-snapshot.event';
import { WalletCredited } from './events/wallet-credited.event';
import { WalletDebited } from './events/wallet-debited.event';
import { WalletSnapshot } from './events/wallet-snapshot.event';

/** Every integration event, snapshots included. */
export const INTEGRATION_EVENTS = Object.freeze([
  CustomerRegistered,
  WalletCredited,
  WalletDebited,
  ProductCreated,
  ProductUpdated,
  StockAdjusted,
  OrderPlaced,
  OrderCancelled,
  CustomerSnapshot,
  ProductSnapshot,
  WalletSnapshot,
  StockSnapshot,
] as const);

/** Every saga command. */
export const SAGA_COMMANDS = Object.freeze([ReserveStock, ReleaseStock, ChargeWallet, RefundWallet] as const);

/** One of the integration event definitions (a union: narrow it by `pattern` or `kind`). */
export type IntegrationEventDefinition = (typeof INTEGRATION_EVENTS)[number];
export type EventPattern = IntegrationEventDefinition['pattern'];
/** One of the saga command definitions (a union: narrow it by `pattern` or `service`). */
export type SagaCommandDefinition = (typeof SAGA_COMMANDS)[number];
export type CommandPattern = SagaCommandDefinition['pattern'];

function byPattern<D extends { readonly pattern: string }>(definitions: readonly D[], what: string): Map<string, D> {
  const map = new Map<string, D>();
  for (const definition of definitions) {
    if (map.has(definition.pattern)) throw new TypeError(`${what}: pattern ${definition.pattern} is defined twice`);
    map.set(definition.pattern, definition);
  }
  return map;
}

const EVENTS = byPattern<IntegrationEventDefinition>(INTEGRATION_EVENTS, 'INTEGRATION_EVENTS');
const COMMANDS = byPattern<SagaCommandDefinition>(SAGA_COMMANDS, 'SAGA_COMMANDS');

/** The definition of an integration event by its pattern; `undefined` for a pattern nobody defined. */
export function eventByPattern<P extends EventPattern>(pattern: P): Extract<IntegrationEventDefinition, { pattern: P }>;
export function eventByPattern(pattern: string): IntegrationEventDefinition | undefined;
export function eventByPattern(pattern: string): IntegrationEventDefinition | undefined {
  return EVENTS.get(pattern);
}

/** The definition of a saga command by its pattern; `undefined` for a pattern nobody defined. */
export function commandByPattern<P extends CommandPattern>(pattern: P): Extract<SagaCommandDefinition, { pattern: P }>;
export function commandByPattern(pattern: string): SagaCommandDefinition | undefined;
export function commandByPattern(pattern: string): SagaCommandDefinition | undefined {
  return COMMANDS.get(pattern);
}

/**
 * The data schemas of events by pattern, for `RedisStreamsServer`'s `schemas` option (data that
 * fails goes to the dead-letter stream at once).
 *
 * @example
 * new RedisStreamsServer({ service: 'payments', schemas: eventSchemas([WalletCredited, WalletDebited]) });
 */
export function eventSchemas(
  definitions: readonly { readonly pattern: string; readonly schema: StandardSchemaV1 }[] = INTEGRATION_EVENTS,
): Readonly<Record<string, StandardSchemaV1>> {
  const map = byPattern(definitions, 'eventSchemas');
  return Object.freeze(Object.fromEntries([...map].map(([pattern, definition]) => [pattern, definition.schema])));
}

/** The request schemas of saga commands by pattern, for the `schemas` option of the service that answers them. */
export function commandSchemas(
  definitions: readonly { readonly pattern: string; readonly requestSchema: StandardSchemaV1 }[] = SAGA_COMMANDS,
): Readonly<Record<string, StandardSchemaV1>> {
  const map = byPattern(definitions, 'commandSchemas');
  return Object.freeze(
    Object.fromEntries([...map].map(([pattern, definition]) => [pattern, definition.requestSchema])),
  );
}
