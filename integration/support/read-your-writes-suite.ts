import { type MigrationStack, type Stage, stageRules } from './migration-stack';
import { adminToken } from './public-api-scenario';
import { readYourWritesRound } from './read-your-writes-scenario';
import { type Side, runScenario, side } from './scenario-runner';
import type { StackDatabaseKind } from './stack-databases';
import { StackRun } from './stack-run';

/** How many times each pair of a write and the reads after it runs at each stage: enough for a race to show. */
const ROUNDS = 20;

/**
 * Every round registers a customer and asks for its token, on both sides: the cheapest password
 * hashing the monolith allows (log2 of scrypt's N) keeps those from taking most of the run.
 */
const ENV = { PASSWORD_SCRYPT_COST: '10' };

const DATABASES: Readonly<Record<StackDatabaseKind, string>> = {
  postgres: 'its own PostgreSQL database',
  sqlite: 'its own SQLite file',
};

/** The processes whose answers may wait for positions, and count the answers they gave up on. */
const SIDES = ['legacy', 'catalog', 'inventory', 'payments', 'orders'] as const;

/** What a process counted of the requests that awaited positions: those that had them applied, those answered stale. */
async function awaited(
  stack: MigrationStack,
  name: (typeof SIDES)[number],
): Promise<{ applied: number; stale: number }> {
  const metrics = await (await fetch(`${stack.url(name)}/metrics`)).text();
  const count = (pattern: RegExp) => Number(pattern.exec(metrics)?.[1] ?? Number.NaN);
  return {
    applied: count(/^consistency_wait_seconds_count\{[^}]*outcome="applied"[^}]*\} (\d+)$/m),
    stale: count(/^consistency_stale_total(?:\{[^}]*\})? (\d+)$/m),
  };
}

/**
 * The stack tests of "reads see the writes before them" (docs/api.md, Invariants) on one kind of
 * database: at every stage, each kind of write followed at once by the reads that show it,
 * through the facade, answers exactly as the monolith alone does for the same requests, none of
 * them stale, and from the side the stage's rules choose.
 */
export function describeReadYourWrites(database: StackDatabaseKind): void {
  describe(`reads see the writes before them, through the facade at every stage, each process on ${DATABASES[database]}`, () => {
    const run = new StackRun(`read-your-writes-${database}`, { database, reference: true, env: ENV });
    let stack: MigrationStack;
    let onStack: Side;
    let alone: Side;
    let version: number;

    beforeAll(async () => {
      await run.start();
      stack = run.stack;
      // Neither side ever waits for a quiet point: every read comes right after the write it shows.
      onStack = side('stack', stack.facadeUrl);
      alone = side('monolith alone', run.reference.url);
      // Version 1 is strangler/rules.yaml, loaded into the empty store.
      version = await stack.applyStage(1, 1);
      expect((await runScenario([adminToken()], onStack, alone)).divergences).toEqual([]);
    }, 150_000);

    afterAll(() => run.close(), 60_000);

    it.each<[Stage, string[]]>([
      [1, ['legacy']],
      [2, ['catalog', 'legacy']],
      [3, ['catalog', 'inventory', 'legacy', 'payments']],
      [4, ['catalog', 'inventory', 'legacy', 'orders', 'payments']],
    ])(
      `at stage %d, ${ROUNDS} rounds: every read right after a write answers as the monolith alone, none stale`,
      async (stage, upstreams) => {
        if (stage > 1) version = await stack.applyStage(stage, version);
        const items = Array.from({ length: ROUNDS }, (_, round) => readYourWritesRound(`s${stage}-r${round}`, round));
        const report = await runScenario(items.flat(), onStack, alone, {
          rules: await stageRules(stage),
          pace: 'back-to-back',
        });
        expect(report.divergences).toEqual([]);
        expect(Object.keys(report.upstreams).sort()).toEqual(upstreams);
      },
      120_000,
    );

    it('every side awaited the positions of the writes before some of its requests, and gave up on none', async () => {
      const counts = Object.fromEntries(
        await Promise.all(
          SIDES.map(async (name) => {
            const { applied, stale } = await awaited(stack, name);
            return [name, { awaited: applied > 0, stale }] as const;
          }),
        ),
      );
      const expected = { awaited: true, stale: 0 };
      expect(counts).toEqual({
        legacy: expected,
        catalog: expected,
        inventory: expected,
        payments: expected,
        orders: expected,
      });
    });
  });
}
