import { INTEGRATION_EVENTS, type IntegrationEventDefinition, eventByPattern } from '@app/contracts';
import { IntegrationEventsError } from './errors';
import { type IntegrationEventType, patternOf } from './integration-event-class';

/** What the bridge needs to know of a consumed pattern: its contract and the app's class for it. */
export interface EventBinding {
  /** Absent for an event read only to keep its aggregate's order (nothing handles it). */
  readonly eventClass?: IntegrationEventType;
  readonly definition: IntegrationEventDefinition;
  /** Snapshots carry a vector of sequences and are applied as absolute state. */
  readonly snapshot: boolean;
}

/** The contract of an event class, from the pattern `integrationEventClass` gave it. */
export function bindingOf(eventClass: IntegrationEventType): EventBinding {
  const pattern = patternOf(eventClass);
  const definition = eventByPattern(pattern);
  if (!definition) {
    throw new IntegrationEventsError(
      'INTEGRATION_EVENT_UNKNOWN_PATTERN',
      `${eventClass.name} is the class of '${pattern}', which INTEGRATION_EVENTS of @app/contracts does not list.`,
    );
  }
  return { eventClass, definition, snapshot: definition.kind === 'snapshot' };
}

/**
 * Everything a service must read to apply the events it consumes in order: the consumed
 * classes, and every other (non-snapshot) event of the same aggregate types. An origin
 * numbers all its events of an aggregate in one sequence, so a consumer that skipped
 * `customer.registered` would wait forever for the number it took.
 */
export function consumedBindings(consumed: readonly IntegrationEventType[]): Map<string, EventBinding> {
  const bindings = new Map<string, EventBinding>();
  for (const eventClass of consumed) {
    const binding = bindingOf(eventClass);
    bindings.set(binding.definition.pattern, binding);
  }
  const aggregateTypes = new Set([...bindings.values()].map((binding) => binding.definition.aggregateType));
  for (const definition of INTEGRATION_EVENTS) {
    if (definition.kind !== 'event' || !aggregateTypes.has(definition.aggregateType)) continue;
    if (!bindings.has(definition.pattern)) bindings.set(definition.pattern, { definition, snapshot: false });
  }
  return bindings;
}

/** Problems of a schema check as `path: message` lines. */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`).join('; ');
}
