import type { IEvent } from '@nestjs/cqrs';
import type { SagaView } from './saga-rows';

/**
 * Published on the app's `EventBus` (`@nestjs/cqrs`, when the app has `CqrsModule`) once an
 * instance's end is committed (`COMPLETED`, `FAILED`, `COMPENSATION_FAILED`), by the runner that
 * recorded it, once: an `@EventsHandler(SagaEndedEvent)` reacts to it (notify, start another saga).
 * What must be atomic with the end belongs in `onEnd` instead.
 */
export class SagaEndedEvent implements IEvent {
  constructor(readonly view: SagaView) {}
}
