import { INTEGRATION_EVENTS } from '@app/contracts';
import { type IntegrationEventType, patternOf } from '@app/integration-events';
import { CATALOG_CONSUMED_EVENTS } from '../../../../apps/catalog/src/consumed-events';
import { CONSUMED_EVENTS as INVENTORY_CONSUMED_EVENTS } from '../../../../apps/inventory/src/consumed-events';
import { CONSUMED_EVENTS as ORDERS_CONSUMED_EVENTS } from '../../../../apps/orders/src/consumed-events';
import { CONSUMED_EVENTS as PAYMENTS_CONSUMED_EVENTS } from '../../../../apps/payments/src/consumed-events';
import { CONSUMED_EVENTS as LEGACY_CONSUMED_EVENTS } from '../../../../legacy-monolith/src/consumed-events';
import { PROCESSES } from '../../../stack/src/processes';
import { AGGREGATE_KINDS } from '.';

/** What each process with a database applies of other origins' events, from its app's code. */
const CONSUMED: Readonly<Record<string, readonly IntegrationEventType[]>> = {
  'legacy-monolith': LEGACY_CONSUMED_EVENTS,
  catalog: CATALOG_CONSUMED_EVENTS,
  inventory: INVENTORY_CONSUMED_EVENTS,
  payments: PAYMENTS_CONSUMED_EVENTS,
  orders: ORDERS_CONSUMED_EVENTS,
};
const applies = (process: string, pattern: string): boolean =>
  (CONSUMED[process] ?? []).some((eventClass) => patternOf(eventClass) === pattern);
const publishes = (process: string, pattern: string): boolean =>
  INTEGRATION_EVENTS.some(
    (definition) => definition.pattern === pattern && definition.publishers.includes(process as never),
  );

describe('the table of comparers', () => {
  it('knows every process with a database', () => {
    expect(Object.keys(CONSUMED).sort()).toEqual(
      PROCESSES.filter((spec) => spec.database)
        .map((spec) => spec.name)
        .sort(),
    );
  });

  it.each(AGGREGATE_KINDS.map((kind) => [kind.name, kind]))(
    '%s: its sides are the processes that apply the events changing its values',
    (_name, kind) => {
      const appliers = Object.keys(CONSUMED).filter((process) =>
        kind.events.changes.some((pattern) => applies(process, pattern)),
      );
      expect(kind.sides.map((side) => side.process).sort()).toEqual(appliers.sort());
    },
  );

  it.each(AGGREGATE_KINDS.map((kind) => [kind.name, kind]))(
    '%s: every side gets every aggregate (it publishes or applies the events that create one)',
    (_name, kind) => {
      for (const side of kind.sides) {
        const gets = kind.events.creates.some(
          (pattern) => applies(side.process, pattern) || publishes(side.process, pattern),
        );
        expect({ process: side.process, gets }).toEqual({ process: side.process, gets: true });
      }
    },
  );

  it.each(AGGREGATE_KINDS.map((kind) => [kind.name, kind]))(
    '%s: its events are of its aggregate type',
    (_name, kind) => {
      for (const pattern of [...kind.events.creates, ...kind.events.changes]) {
        expect(INTEGRATION_EVENTS.find((definition) => definition.pattern === pattern)?.aggregateType).toBe(
          kind.aggregateType,
        );
      }
    },
  );

  it('names each kind once', () => {
    const names = AGGREGATE_KINDS.map((kind) => kind.name);
    expect(new Set(names).size).toBe(names.length);
  });
});
