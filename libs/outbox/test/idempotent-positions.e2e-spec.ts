import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { POSITIONS_HEADER } from '@app/contracts';
import { eventually } from '../../../tools/testing/test-streams';
import { consistencyAppFor, customer, product, started } from './support/consistency-app';
import type { EventSpec } from './support/idempotent-writes';
import { DATABASES } from './support/outbox-harness';

/** What a client and the facade see of an answer: status, body byte for byte, and the positions header. */
const seen = (response: Response) => ({
  status: response.status,
  text: response.text,
  positions: response.headers[POSITIONS_HEADER] as string | undefined,
});

describe.each(DATABASES)(
  'a write replayed by its Idempotency-Key reports what the first one committed (%s)',
  (kind) => {
    const fixture = consistencyAppFor(kind);

    const write = (key: string, events: EventSpec[]) =>
      fixture.app.http().post('/fixture/idempotent-writes').set('Idempotency-Key', key).send({ events });
    const query = (text: string, parameters: unknown[] = []) => {
      let n = 0;
      const sql = kind === 'postgres' ? text.replace(/\?/g, () => `$${++n}`) : text;
      return fixture.app.app.get(DataSource).query(sql, parameters) as Promise<Record<string, unknown>[]>;
    };
    const storedPositions = async (key: string) =>
      (await query('SELECT positions FROM idempotency_keys WHERE key = ?', [key])).map((row) => row.positions);

    it('answers a replay with the x-ficus-positions of the first answer, and commits nothing more', async () => {
      const [c1, c2, p1, key] = [randomUUID(), randomUUID(), randomUUID(), `key-${randomUUID()}`];
      const events = [customer(c1), customer(c1), product(p1), customer(c2, true)];

      const first = await write(key, events);
      const replays = [await write(key, events), await write(key, events)];
      const next = await write(`key-${randomUUID()}`, [customer(c1)]);

      expect(seen(first)).toEqual({
        status: 201,
        text: JSON.stringify({ sequences: [1, 2, 1, null] }),
        positions: `tests:customer:${c1}:2,tests:product:${p1}:1`,
      });
      for (const replay of replays) expect(seen(replay)).toEqual(seen(first));
      expect(await storedPositions(key)).toEqual([`tests:customer:${c1}:2,tests:product:${p1}:1`]);
      expect(next.headers[POSITIONS_HEADER]).toBe(`tests:customer:${c1}:3`);
    });

    it.each([
      ['no event', []],
      ['only a snapshot', [customer(randomUUID(), true)]],
    ])(
      'answers the replay of a write that committed %s without positions, as the first answer',
      async (_case, events) => {
        const key = `key-${randomUUID()}`;

        const first = await write(key, events);
        const replay = await write(key, events);

        expect(first.status).toBe(201);
        expect(first.headers[POSITIONS_HEADER]).toBeUndefined();
        expect(seen(replay)).toEqual(seen(first));
        expect(await storedPositions(key)).toEqual([null]);
      },
    );

    it('reports no positions for a key stored before keys kept them, and answers its response', async () => {
      const key = `key-${randomUUID()}`;
      const events = [customer(randomUUID())];
      const first = await write(key, events);
      await query('UPDATE idempotency_keys SET positions = NULL WHERE key = ?', [key]);

      const replay = await write(key, events);

      expect(first.headers[POSITIONS_HEADER]).toBeDefined();
      expect(seen(replay)).toEqual({ ...seen(first), positions: undefined });
    });

    it('gives the loser of two concurrent requests with one key the positions of the winner', async () => {
      const [id, key] = [randomUUID(), `key-${randomUUID()}`];
      const events = [customer(id), product(id)];
      const hold = fixture.app.holdNextWrite();
      const winner = started(write(key, events));
      await hold.reached;

      const loser = started(write(key, events));
      // PostgreSQL: the loser's claim of the key waits on the winner's uncommitted one (SQLite runs one transaction at a time).
      if (kind === 'postgres') {
        await eventually(
          () =>
            query(
              "SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
            ),
          (rows) => rows[0]?.n === 1,
        );
      }
      hold.release();
      const answers = [await winner, await loser];

      expect(answers.map(seen)).toEqual([
        {
          status: 201,
          text: JSON.stringify({ sequences: [1, 1] }),
          positions: `tests:customer:${id}:1,tests:product:${id}:1`,
        },
        {
          status: 201,
          text: JSON.stringify({ sequences: [1, 1] }),
          positions: `tests:customer:${id}:1,tests:product:${id}:1`,
        },
      ]);
    });
  },
);
