import type { EntityManager } from 'typeorm';
import type { Inbox, Outbox } from '@app/outbox';

/** What the state of an aggregate reflects: this service's own events and those it applied, per origin. */
export async function snapshotSequences(
  deps: { readonly origin: string; readonly outbox: Outbox; readonly inbox: Inbox },
  manager: EntityManager,
  aggregateType: string,
  aggregateId: string,
): Promise<Record<string, number>> {
  return {
    ...(await deps.inbox.appliedSequences(manager, deps.origin, aggregateType, aggregateId)),
    [deps.origin]: await deps.outbox.currentSequence(manager, aggregateType, aggregateId),
  };
}
