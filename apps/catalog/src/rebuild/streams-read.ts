import { INTEGRATION_EVENTS, eventByPattern } from '@app/contracts';
import { type IntegrationEventType, patternOf } from '@app/integration-events';

/**
 * The event patterns a service's consumer group reads, as `IntegrationEventsModule` subscribes:
 * the consumed ones, then every other event of the same aggregate types (an origin numbers all
 * its events of an aggregate in one sequence, so they are all read to keep the order).
 */
export function patternsReadBy(consumed: readonly IntegrationEventType[]): string[] {
  const patterns = consumed.map(patternOf);
  const aggregateTypes = new Set(patterns.map((pattern) => eventByPattern(pattern)?.aggregateType));
  for (const definition of INTEGRATION_EVENTS) {
    if (definition.kind !== 'event' || !aggregateTypes.has(definition.aggregateType)) continue;
    if (!patterns.includes(definition.pattern)) patterns.push(definition.pattern);
  }
  return patterns;
}
