import { TEST_REDIS_URL } from '../tools/testing/test-redis';
import { eventually } from '../tools/testing/test-streams';
import { send } from './support/answers';
import { FaultStack } from './support/fault-stack';
import type { MigrationStack } from './support/migration-stack';

/** The monolith and the services, as the launcher names them. */
const SERVICES = ['legacy-monolith', 'catalog', 'inventory', 'payments', 'orders'] as const;
const RULE_CHANGES = 6;

/** Where each instance's metrics are: the launcher's process name → the stack's port name. */
const PORT_NAMES = {
  'legacy-monolith': 'legacy',
  catalog: 'catalog',
  inventory: 'inventory',
  payments: 'payments',
  orders: 'orders',
} as const;

/** The value of every sample of a counter in a Prometheus text, with its labels. */
function samples(text: string, metric: string): { labels: Record<string, string>; value: number }[] {
  const found: { labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split('\n')) {
    const match = new RegExp(`^${metric}\\{([^}]*)\\} (\\S+)$`).exec(line);
    if (!match) continue;
    const labels = Object.fromEntries([...match[1]!.matchAll(/(\w+)="([^"]*)"/g)].map(([, k, v]) => [k!, v!]));
    found.push({ labels, value: Number(match[2]) });
  }
  return found;
}

/**
 * Requests sent through every facade instance until stopped, each a read a client makes (a product,
 * a customer): every answer that is not 2xx is kept.
 */
class ReadLoop {
  private running = true;
  readonly failures: string[] = [];
  answered = 0;
  private readonly loops: Promise<void>[];

  constructor(urls: readonly string[], paths: readonly { path: string; token?: string }[]) {
    this.loops = urls.flatMap((url) =>
      paths.map(async ({ path, token }) => {
        while (this.running) {
          const answer = await send(url, { method: 'GET', path, token }).catch((error: Error) => error);
          if (answer instanceof Error) this.failures.push(`${url}${path}: ${answer.message}`);
          else if (answer.status < 200 || answer.status >= 300) {
            this.failures.push(`${url}${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
          } else this.answered++;
        }
      }),
    );
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }
}

describe('two instances of every process (STACK_REPLICAS): facades sharing one rule store, services sharing one consumer group', () => {
  let faults: FaultStack;
  let stack: MigrationStack;
  const facades = () => [stack.url('facade', 1), stack.url('facade', 2)];

  beforeAll(async () => {
    faults = await FaultStack.start(
      'replicas',
      TEST_REDIS_URL,
      // The facades poll the store once an hour: a change can reach them only by its notification.
      { STRANGLER_POLL_INTERVAL_MS: '3600000' },
      { replicas: 2 },
    );
    stack = faults.stack;
  }, 240_000);

  afterAll(async () => {
    await faults?.stop();
  }, 60_000);

  // How soon (200 ms and less) is measured by `npm run bench:replicas`; here, that it arrives by notification.
  it('a rule change made through either facade routes on both by its notification (their polling off), and no request through them fails meanwhile', async () => {
    const customer = faults.customer(0);
    const reads = new ReadLoop(facades(), [
      { path: `/api/products/${faults.product(0)}` },
      { path: `/api/customers/${customer.id}`, token: customer.token },
    ]);
    const routed: number[][] = [[], []];
    try {
      for (let change = 0; change < RULE_CHANGES; change++) {
        const through = (change % 2) + 1;
        const expectedVersion = await stack.routingVersion(through);
        const written = await stack.admin<{ version: { version: number } }>(
          through,
          'PATCH',
          '/admin/rules/groups/catalog-reads',
          {
            timeoutMs: 8_000 + change,
            expectedVersion,
            reason: `replica test change ${change}`,
            author: 'replica test',
          },
        );
        expect({ status: written.status, body: written.body }).toMatchObject({ status: 201 });
        const version = written.body.version.version;
        await Promise.all(
          [1, 2].map(async (instance) => {
            routed[instance - 1]!.push(
              await eventually(
                () => stack.routingVersion(instance),
                (routing) => routing >= version,
                10_000,
              ),
            );
          }),
        );
      }
    } finally {
      await reads.stop();
    }
    expect(reads.failures).toEqual([]);
    expect(reads.answered).toBeGreaterThan(0);
    // Each facade routed with each version in turn.
    expect(routed[0]).toEqual(routed[1]);
    expect(new Set(routed[0]).size).toBe(RULE_CHANGES);
  }, 120_000);

  it('an event is handled by one instance of each group: what the instances received adds up to what the group read, with no duplicate', async () => {
    // Writes on every side, through both facades; then every side equal.
    await faults.underLoad(async () => undefined);

    const problems: string[] = [];
    for (const service of SERVICES) {
      const received = new Map<string, number>();
      let duplicates = 0;
      for (const instance of [1, 2]) {
        const text = await (await fetch(`${stack.url(PORT_NAMES[service], instance)}/metrics`)).text();
        for (const { labels, value } of samples(text, 'streams_messages_received_total')) {
          if (labels.kind !== 'event' || !labels.pattern) continue;
          received.set(labels.pattern, (received.get(labels.pattern) ?? 0) + value);
        }
        for (const { labels, value } of samples(text, 'inbox_messages_total')) {
          if (labels.outcome === 'duplicate') duplicates += value;
        }
      }
      if (duplicates > 0) problems.push(`${service}: ${duplicates} duplicate(s) seen by its inbox`);
      expect(received.size).toBeGreaterThan(0);
      for (const [pattern, count] of received) {
        const read = await faults.redis(async (client) => {
          const groups = await client.xInfoGroups(faults.stream(pattern));
          const group = groups.find((info) => info.name === service);
          return group?.['entries-read'];
        });
        if (read !== count)
          problems.push(`${service} on ${pattern}: the group read ${read}, its instances received ${count}`);
      }
    }
    expect(problems).toEqual([]);
  }, 240_000);

  it('SIGKILL of one instance of every service under load loses nothing: every side equal, every 2xx answer on every side', async () => {
    await faults.underLoad(async () => {
      const before = SERVICES.map((service) => stack.printed(new RegExp(`${service}#2 is ready again`)));
      for (const service of SERVICES) process.kill(stack.pidOf(`${service}#2`), 'SIGKILL');
      await Promise.all(
        SERVICES.map((service, index) =>
          stack.waitPrinted(new RegExp(`${service}#2 is ready again`), before[index]! + 1),
        ),
      );
    });
  }, 300_000);

  it.each([1, 2])(
    'facade #%i SIGKILLed: requests through the other keep being answered',
    async (killed) => {
      const survivor = killed === 1 ? 2 : 1;
      const customer = faults.customer(1);
      const reads = new ReadLoop(
        [stack.url('facade', survivor)],
        [
          { path: `/api/products/${faults.product(1)}` },
          { path: `/api/customers/${customer.id}`, token: customer.token },
        ],
      );
      const exited = new RegExp(`strangler#${killed} exited unexpectedly`);
      const readyAgain = new RegExp(`strangler#${killed} is ready again`);
      const [exitedBefore, readyBefore] = [stack.printed(exited), stack.printed(readyAgain)];
      let answeredWhileDown: number;
      try {
        process.kill(stack.pidOf(`strangler#${killed}`), 'SIGKILL');
        await stack.waitPrinted(exited, exitedBefore + 1);
        const answeredAtDeath = reads.answered;
        // Down until the launcher has started it again (after a delay) and it is ready: the survivor answers.
        await stack.waitPrinted(readyAgain, readyBefore + 1);
        answeredWhileDown = reads.answered - answeredAtDeath;
      } finally {
        await reads.stop();
      }
      expect(reads.failures).toEqual([]);
      expect(answeredWhileDown).toBeGreaterThan(0);
      // Back, it routes with the rules the other routes with.
      expect(await stack.routingVersion(killed)).toBe(await stack.routingVersion(survivor));
    },
    120_000,
  );
});
