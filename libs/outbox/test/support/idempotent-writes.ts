import { randomUUID } from 'node:crypto';
import { Body, Controller, Headers, Injectable, Post } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { IdempotentExecutor } from '@app/idempotency';
import { Outbox } from '@app/outbox';

/** One event to add: sequenced unless `snapshot`. */
export interface EventSpec {
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly snapshot?: boolean;
}

/** Adds a fixture event in the transaction of `manager`; resolves with the sequence it took (null for a snapshot). */
export async function addFixtureEvent(
  outbox: Outbox,
  manager: EntityManager,
  event: EventSpec,
): Promise<number | null> {
  const added = await outbox.add(
    manager,
    { id: randomUUID(), pattern: 'fixture.changed', ...event, data: {} },
    { sequenced: !event.snapshot },
  );
  return added.sequence;
}

/** The caller of every idempotent write: keys are scoped to it. */
const FIXTURE_PRINCIPAL = '00000000-0000-4000-8000-000000000001';

/** Holds the next idempotent write's transaction open, after its events, until the test lets it go. */
@Injectable()
export class WriteHold {
  private next?: { reached: () => void; released: Promise<void> };

  /** The next write waits once its events are added; `reached` resolves when it does. */
  hold(): { reached: Promise<void>; release: () => void } {
    let reached!: () => void;
    let release!: () => void;
    const reachedPromise = new Promise<void>((resolve) => (reached = resolve));
    this.next = { reached, released: new Promise<void>((resolve) => (release = resolve)) };
    return { reached: reachedPromise, release };
  }

  async pass(): Promise<void> {
    const next = this.next;
    this.next = undefined;
    if (!next) return;
    next.reached();
    await next.released;
  }
}

@Controller('fixture')
export class IdempotentWritesController {
  constructor(
    private readonly idempotent: IdempotentExecutor,
    private readonly outbox: Outbox,
    private readonly writeHold: WriteHold,
  ) {}

  /** Adds the events in one transaction under the request's `Idempotency-Key`; answers 201 with the sequences taken. */
  @Post('idempotent-writes')
  write(
    @Headers('idempotency-key') key: string | undefined,
    @Body() body: { events: EventSpec[] },
  ): Promise<{ sequences: (number | null)[] }> {
    const request = { principalId: FIXTURE_PRINCIPAL, key, operation: 'fixture-write', target: '', body };
    return this.idempotent.run(request, async (manager) => {
      const sequences: (number | null)[] = [];
      for (const event of body.events) sequences.push(await addFixtureEvent(this.outbox, manager, event));
      await this.writeHold.pass();
      return { sequences };
    });
  }
}
