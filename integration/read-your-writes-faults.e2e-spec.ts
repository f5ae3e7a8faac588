import { CONSISTENCY_HEADER } from '@app/contracts';
import { freePort } from '../tools/stack/test/support/launcher';
import { type ApiAnswer, type ApiRequest, send } from './support/answers';
import { FaultStack } from './support/fault-stack';
import type { MigrationStack } from './support/migration-stack';

/**
 * How long a side holds a read for the positions it awaits. Longer than the default (2 s): here
 * the read waits out the refused publication and the relay's next try, on a busy machine.
 */
const CONSISTENCY_WAIT_MS = 10_000;

/** A write answered through the facade, and how to read back what it changed. */
interface Written {
  /** The upstream that answered the write. */
  readonly writer: string | undefined;
  /** The value the write's answer said (a balance, a stock). */
  readonly value: number;
  readonly read: ApiRequest;
  /** The field of the read's body that must show `value`. */
  readonly field: 'balanceCents' | 'stock';
}

describe('reads see the writes before them across faults and facade instances: the side that reads SIGKILLed, or the facade, between the write and the read, and the read through another instance', () => {
  let faults: FaultStack;
  let stack: MigrationStack;
  let another: Awaited<ReturnType<MigrationStack['startFacade']>> | undefined;

  /**
   * Writes with Redis refusing XADD, so that the write's event stays in its side's outbox: the
   * side that reads can show the write only by waiting for it, and only if the read carries its
   * position. `between` runs after the write; the read is sent to `readUrl` before Redis takes
   * XADD again. Resolves with the write and the read's answer.
   */
  async function readWhileUnpublished(
    write: () => Promise<Written>,
    between: () => Promise<void>,
    readUrl: string,
  ): Promise<{ written: Written; answer: ApiAnswer }> {
    await faults.refuseEventWrites();
    let written: Written;
    let reading: Promise<ApiAnswer>;
    try {
      written = await write();
      await between();
      reading = send(readUrl, written.read);
    } finally {
      await faults.acceptEventWrites();
    }
    return { written, answer: await reading };
  }

  /** `writer` answered the write, and `reader` the read, which shows it and is not stale. */
  function expectShown({ written, answer }: { written: Written; answer: ApiAnswer }, writer: string, reader: string) {
    expect({
      writer: written.writer,
      status: answer.status,
      value: (answer.body as Record<string, unknown>)[written.field],
      reader: answer.headers['x-strangler-upstream'],
      consistency: answer.headers[CONSISTENCY_HEADER],
    }).toEqual({ writer, status: 200, value: written.value, reader, consistency: undefined });
  }

  /** The `n`th customer's deposit, answered by payments; read back from the monolith. */
  async function deposit(n: number): Promise<Written> {
    const customer = faults.customer(n);
    const written = await faults.deposit(n, 700 + n);
    return {
      writer: written.upstream,
      value: written.balanceCents,
      read: { method: 'GET', path: `/api/customers/${customer.id}`, token: customer.token },
      field: 'balanceCents',
    };
  }

  /** A stock adjustment of the `n`th product, answered by inventory; read back from catalog. */
  async function adjustment(n: number): Promise<Written> {
    const written = await faults.adjustStock(n, 5 + n);
    return {
      writer: written.upstream,
      value: written.stock,
      read: { method: 'GET', path: `/api/products/${written.productId}` },
      field: 'stock',
    };
  }

  beforeAll(async () => {
    // Nothing listens there: the launcher starts a redis-server of its own, whose ACL the test may change.
    faults = await FaultStack.start('read-your-writes-faults', `redis://127.0.0.1:${await freePort()}`, {
      CONSISTENCY_WAIT_MS: String(CONSISTENCY_WAIT_MS),
    });
    stack = faults.stack;
  }, 180_000);

  afterAll(async () => {
    await another?.stop();
    await faults?.stop();
  }, 60_000);

  it.each([
    ['a deposit', 'payments', 'legacy-monolith', 'legacy', () => deposit(0)],
    ['a stock adjustment', 'inventory', 'catalog', 'catalog', () => adjustment(0)],
    ['a deposit', 'payments', 'strangler', 'legacy', () => deposit(1)],
    ['a stock adjustment', 'inventory', 'strangler', 'catalog', () => adjustment(1)],
  ] as const)(
    '%s answered by %s, then %s SIGKILLed at once and started again: the read through the facade (served by %s) waits for the write and shows it',
    async (_write, writer, killed, reader, write) => {
      const readyAgain = new RegExp(`${killed} is ready again`);
      const before = stack.printed(readyAgain);
      const exchange = await readWhileUnpublished(
        write,
        async () => {
          process.kill(stack.pidOf(killed), 'SIGKILL');
          await stack.waitPrinted(readyAgain, before + 1);
        },
        stack.facadeUrl,
      );
      expectShown(exchange, writer, reader);
    },
    120_000,
  );

  it.each([
    ['a deposit', 'payments', 'legacy', () => deposit(2)],
    ['a stock adjustment', 'inventory', 'catalog', () => adjustment(2)],
  ] as const)(
    '%s answered by %s through one facade instance, read at once through another (served by %s): it waits for the write and shows it',
    async (_write, writer, reader, write) => {
      another ??= await stack.startFacade();
      expectShown(await readWhileUnpublished(write, async () => undefined, another.url), writer, reader);
    },
    120_000,
  );

  it('ends with every side equal, every write answered 2xx on every side once, no dead letter', async () => {
    await faults.expectConverged();
  }, 120_000);
});
