import { z } from 'zod';
import { defineCommand } from './define-command';
import { defineEvent, type EventBody } from './define-event';
import { PATTERN_FORMAT, Uuid } from './primitives';
import {
  INTEGRATION_EVENTS,
  SAGA_COMMANDS,
  commandByPattern,
  commandSchemas,
  eventByPattern,
  eventSchemas,
} from './registry';
import { AGGREGATE_TYPES, SERVICE_NAMES } from './services';
import { WalletCredited } from './events/wallet-credited.event';
import { WalletDebited } from './events/wallet-debited.event';
import { ReserveStock } from './commands/reserve-stock.command';

const patterns = [...INTEGRATION_EVENTS, ...SAGA_COMMANDS].map((definition) => definition.pattern);

describe('patterns', () => {
  it.each(patterns)('%s has the pattern format', (pattern) => {
    expect(pattern).toMatch(PATTERN_FORMAT);
  });

  it('are unique across events and commands', () => {
    expect(new Set(patterns).size).toBe(patterns.length);
  });

  it('are 12 events (4 of them snapshots) and 4 commands', () => {
    expect(INTEGRATION_EVENTS.map((definition) => definition.kind).sort()).toEqual([
      ...Array(8).fill('event'),
      ...Array(4).fill('snapshot'),
    ]);
    expect(SAGA_COMMANDS).toHaveLength(4);
  });
});

describe('definitions', () => {
  it.each(INTEGRATION_EVENTS.map((definition) => [definition.pattern, definition] as const))(
    '%s names its aggregate in <aggregateType>Id and lists known services',
    (_pattern, definition) => {
      expect(AGGREGATE_TYPES).toContain(definition.aggregateType);
      expect(Object.keys(definition.schema.shape)).toContain(`${definition.aggregateType}Id`);
      for (const service of [...definition.publishers, ...definition.consumers])
        expect(SERVICE_NAMES).toContain(service);
    },
  );

  it('are frozen, their service lists too', () => {
    for (const definition of [...INTEGRATION_EVENTS, ...SAGA_COMMANDS]) expect(Object.isFrozen(definition)).toBe(true);
    expect(() => (WalletCredited.publishers as string[]).push('orders')).toThrow(TypeError);
    expect(Object.isFrozen(INTEGRATION_EVENTS)).toBe(true);
    expect(Object.isFrozen(SAGA_COMMANDS)).toBe(true);
  });

  it('commands are answered by inventory or payments, under their own prefix', () => {
    for (const definition of SAGA_COMMANDS) expect(definition.pattern.startsWith(`${definition.service}.`)).toBe(true);
  });

  it('reject a value of the wrong type in any field (and do not throw in their refinements)', () => {
    const schemas = [
      ...INTEGRATION_EVENTS.map((definition) => [definition.schema, definition.example] as const),
      ...SAGA_COMMANDS.map((definition) => [definition.requestSchema, definition.example.request] as const),
    ];
    for (const [schema, example] of schemas) {
      for (const key of Object.keys(example)) {
        for (const value of [null, 'x', {}, [], -1, [{}], { name: 'x' }]) {
          expect(() => schema.safeParse({ ...example, [key]: value })).not.toThrow();
        }
        for (const value of [1.5, true, [null], { name: null }]) {
          expect(schema.safeParse({ ...example, [key]: value }).success).toBe(false);
        }
      }
    }
  });
});

describe('eventByPattern / commandByPattern', () => {
  it('find each definition by its pattern', () => {
    for (const definition of INTEGRATION_EVENTS) expect(eventByPattern(definition.pattern)).toBe(definition);
    for (const definition of SAGA_COMMANDS) expect(commandByPattern(definition.pattern)).toBe(definition);
  });

  it('answer undefined for a pattern nobody defined', () => {
    expect(eventByPattern('wallet.frozen')).toBeUndefined();
    expect(eventByPattern('inventory.reserve-stock')).toBeUndefined();
    expect(commandByPattern('wallet.credited')).toBeUndefined();
  });
});

describe('eventSchemas', () => {
  it('maps every pattern to its schema by default', () => {
    const schemas = eventSchemas();
    expect(Object.keys(schemas).sort()).toEqual(INTEGRATION_EVENTS.map((definition) => definition.pattern).sort());
    expect(schemas['wallet.credited']).toBe(WalletCredited.schema);
  });

  it('gives Standard Schemas the transport can run', async () => {
    const schemas = eventSchemas([WalletCredited, WalletDebited]);
    expect(Object.keys(schemas)).toEqual(['wallet.credited', 'wallet.debited']);
    const valid = await schemas['wallet.debited']!['~standard'].validate(WalletDebited.example);
    expect(valid.issues).toBeUndefined();
    const invalid = await schemas['wallet.debited']!['~standard'].validate({
      ...WalletDebited.example,
      amountCents: 0,
    });
    expect(invalid.issues?.map((issue) => issue.path)).toEqual([['amountCents']]);
  });

  it('refuses the same pattern twice', () => {
    expect(() => eventSchemas([WalletCredited, WalletCredited])).toThrow('pattern wallet.credited is defined twice');
  });
});

describe('commandSchemas', () => {
  it('maps every command pattern to its request schema', () => {
    const schemas = commandSchemas();
    expect(Object.keys(schemas).sort()).toEqual(SAGA_COMMANDS.map((definition) => definition.pattern).sort());
    expect(commandSchemas([ReserveStock])).toEqual({ 'inventory.reserve-stock': ReserveStock.requestSchema });
  });
});

describe('defineEvent / defineCommand', () => {
  const base = {
    pattern: 'thing.happened',
    schemaVersion: 1,
    aggregateType: 'order',
    description: 'Something happened.',
    publishers: ['orders'],
    consumers: [],
    payload: { orderId: Uuid },
    example: {
      id: '7d1b3f0e-52a4-4c9e-8b1a-3e6f2d9c4a10',
      schemaVersion: 1,
      occurredAt: '2026-11-22T04:00:00.000Z',
      origin: 'orders',
      aggregateId: '3f2e1d0c-b9a8-4765-9432-10fedcba9876',
      sequence: 1,
      orderId: '3f2e1d0c-b9a8-4765-9432-10fedcba9876',
    },
  } as const;

  it('builds a frozen definition whose schema holds the header and the payload', () => {
    const definition = defineEvent(base);
    expect(Object.isFrozen(definition)).toBe(true);
    expect(Object.keys(definition.schema.shape)).toEqual([
      'id',
      'schemaVersion',
      'occurredAt',
      'origin',
      'aggregateId',
      'sequence',
      'orderId',
    ]);
    expect(definition.schema.safeParse(base.example).success).toBe(true);
  });

  it.each([
    ['a pattern in upper case', { pattern: 'Thing.Happened' }, 'pattern must be lower case'],
    ['a pattern starting with .', { pattern: '.thing' }, 'pattern must be lower case'],
    ['schemaVersion 0', { schemaVersion: 0 }, 'schemaVersion must be an integer >= 1'],
    ['an empty description', { description: ' ' }, 'description must say'],
    ['an unknown publisher', { publishers: ['billing'] }, 'publishers names "billing"'],
    ['a consumer twice', { consumers: ['catalog', 'catalog'] }, 'consumers lists a service twice'],
    ['a scope (snapshots only)', { scope: 'origin' }, 'scope is for snapshots only'],
  ])('refuses %s', (_name, override, message) => {
    expect(() => defineEvent({ ...base, ...override } as never)).toThrow(message);
  });

  it('refuses a command answered by an unknown service', () => {
    expect(() =>
      defineCommand({
        pattern: 'billing.charge',
        schemaVersion: 1,
        service: 'billing',
        senders: ['orders'],
        description: 'Charges.',
        request: {},
        reply: z.object({}),
        example: { request: {}, replies: [] },
      } as never),
    ).toThrow('service names "billing"');
  });

  it('types the body a producer supplies without the header', () => {
    const body: EventBody<typeof WalletCredited> = {
      customerId: WalletCredited.example.customerId,
      amountCents: 1,
      balanceCents: 1,
      reason: 'deposit',
      orderId: null,
    };
    // @ts-expect-error the header is filled in by the outbox, not the producer
    const withHeader: EventBody<typeof WalletCredited> = { ...body, sequence: 1 };
    expect(withHeader.amountCents).toBe(1);
  });
});
