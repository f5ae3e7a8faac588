import { Injectable } from '@nestjs/common';
import { CqrsModule, EventBus, EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { Test } from '@nestjs/testing';
import { INTEGRATION_EVENTS, WalletCredited, WalletDebited, defineEvent, eventByPattern } from '@app/contracts';
import { eventually } from '../../../tools/testing/test-streams';
import { bindingOf } from './event-contracts';
import * as library from './index';
import { WalletCreditedEvent, WalletDebitedEvent } from './index';
import { integrationEventClass, patternOf } from './integration-event-class';

const credited = WalletCredited.schema.parse(WalletCredited.example);
const debited = WalletDebited.schema.parse(WalletDebited.example);

describe('integrationEventClass', () => {
  it.each(INTEGRATION_EVENTS.map((definition) => [definition.pattern, definition] as const))(
    'gives %s exactly one class, carrying its pattern and contract',
    (pattern, definition) => {
      const eventClass = integrationEventClass(definition);
      expect(integrationEventClass(definition)).toBe(eventClass);
      expect(patternOf(eventClass)).toBe(pattern);
      expect(bindingOf(eventClass)).toMatchObject({ definition, snapshot: definition.kind === 'snapshot' });
    },
  );

  it('gives every definition a class of its own, named after its pattern', () => {
    const classes = INTEGRATION_EVENTS.map((definition) => integrationEventClass(definition));
    expect(new Set(classes).size).toBe(INTEGRATION_EVENTS.length);
    expect(new Set(classes.map((eventClass) => eventClass.name)).size).toBe(INTEGRATION_EVENTS.length);
    expect(integrationEventClass(WalletCredited).name).toBe('WalletCreditedEvent');
    expect(classes.map((eventClass) => eventClass.name)).toEqual(
      expect.arrayContaining(['CustomerSnapshotEvent', 'StockAdjustedEvent', 'OrderPlacedEvent']),
    );
  });

  it('exports each named class as the class of its definition, under its own name', () => {
    const named = Object.entries(library).filter(([name]) => /^[A-Z]\w*Event$/.test(name));
    expect(named.length).toBeGreaterThan(0);
    for (const [name, value] of named) {
      const definition = eventByPattern(patternOf(value as never));
      expect(definition && integrationEventClass(definition)).toBe(value);
      expect((value as { name: string }).name).toBe(name);
    }
  });

  it('builds events that hold their data and are instances of their class only', () => {
    const event = new WalletCreditedEvent(credited);
    expect(event.data.balanceCents).toBe(credited.balanceCents);
    expect(event).toBeInstanceOf(integrationEventClass(WalletCredited));
    expect(event).not.toBeInstanceOf(WalletDebitedEvent);
  });

  it('refuses a class it did not make, and a definition INTEGRATION_EVENTS does not list', () => {
    class HandWritten {
      constructor(readonly data: object) {}
    }
    expect(() => patternOf(HandWritten)).toThrow(expect.objectContaining({ code: 'INTEGRATION_EVENT_NOT_MARKED' }));
    const unlisted = defineEvent({
      pattern: 'wallet.frozen',
      schemaVersion: 1,
      aggregateType: 'customer',
      description: 'A wallet was frozen.',
      publishers: ['payments'],
      consumers: [],
      payload: {},
      example: {
        id: credited.id,
        schemaVersion: 1,
        occurredAt: credited.occurredAt,
        origin: 'payments',
        aggregateId: credited.aggregateId,
        sequence: 1,
      },
    });
    expect(() => bindingOf(integrationEventClass(unlisted))).toThrow(
      expect.objectContaining({ code: 'INTEGRATION_EVENT_UNKNOWN_PATTERN' }),
    );
  });
});

describe('a derived class on the EventBus', () => {
  const seen = { credited: [] as WalletCreditedEvent[], debited: [] as WalletDebitedEvent[], derived: [] as object[] };

  @Injectable()
  @EventsHandler(WalletCreditedEvent)
  class OnCredited implements IEventHandler<WalletCreditedEvent> {
    handle(event: WalletCreditedEvent): void {
      seen.credited.push(event);
    }
  }

  @Injectable()
  @EventsHandler(WalletDebitedEvent)
  class OnDebited implements IEventHandler<WalletDebitedEvent> {
    handle(event: WalletDebitedEvent): void {
      seen.debited.push(event);
    }
  }

  @Injectable()
  @EventsHandler(integrationEventClass(WalletCredited))
  class OnDerived implements IEventHandler<object> {
    handle(event: object): void {
      seen.derived.push(event);
    }
  }

  it('reaches the handlers registered for its class, and no other', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [CqrsModule.forRoot()],
      providers: [OnCredited, OnDebited, OnDerived],
    }).compile();
    await moduleRef.init();
    try {
      const credit = new WalletCreditedEvent(credited);
      const debit = new WalletDebitedEvent(debited);
      moduleRef.get(EventBus).publishAll([credit, debit]);
      await eventually(
        async () => seen.debited.length,
        (count) => count > 0,
      );
      expect(seen.credited).toEqual([credit]);
      expect(seen.derived).toEqual([credit]);
      expect(seen.debited).toEqual([debit]);
    } finally {
      await moduleRef.close();
    }
  });
});
