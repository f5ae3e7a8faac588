import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import { TestConsumer } from '../../tools/testing/event-consumer';
import { RedisProcess } from '../../tools/testing/redis-process';
import { type TestDatabase, createSqliteDatabase } from '../../tools/testing/test-databases';
import { uniqueTestPrefix } from '../../tools/testing/test-redis';
import { eventually, readEvents } from '../../tools/testing/test-streams';
import { TEST_JWT_SECRET } from './support/legacy-harness';
import { freePort } from '../../tools/testing/free-port';

const ENTRY = join(__dirname, '..', '..', 'dist', 'legacy-monolith', 'src', 'main.js');

/** The compiled monolith in a process of its own, so that a test can SIGKILL it. */
async function startMonolith(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [ENTRY], {
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'silent' },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  await eventually(
    () =>
      request(url)
        .get('/health/live')
        .then(
          (response) => response.status,
          () => 0,
        ),
    (status) => status === 200,
    20_000,
  );
  return { child, url };
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('an event committed but not yet published when the monolith is killed', () => {
  const prefix = uniqueTestPrefix('legacy-crash');
  let redis: RedisProcess;
  let database: TestDatabase;
  let consumer: TestConsumer | undefined;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    redis = await RedisProcess.start();
    database = createSqliteDatabase();
  });
  afterAll(async () => {
    for (const child of children) await kill(child);
    await consumer?.close();
    await redis.stop();
    await database.drop();
  });

  it('is published after the restart and applied exactly once', async () => {
    const env = { DATABASE_URL: database.url, REDIS_URL: redis.url, REDIS_PREFIX: prefix, JWT_SECRET: TEST_JWT_SECRET };
    const first = await startMonolith(env);
    children.push(first.child);
    consumer = await TestConsumer.start({
      origin: 'crash-consumer',
      patterns: ['wallet.credited'],
      redisPrefix: prefix,
      env: { REDIS_URL: redis.url },
    });
    const email = 'crash@example.com';
    const registered = await request(first.url)
      .post('/api/customers')
      .send({ name: 'Crash', email, password: 'a strong password' })
      .expect(201);
    const customerId = (registered.body as { id: string }).id;
    const token = await request(first.url)
      .post('/api/auth/token')
      .send({ email, password: 'a strong password' })
      .expect(200);
    const auth = { authorization: `Bearer ${(token.body as { accessToken: string }).accessToken}` };

    // Redis goes away: the deposit commits, its event waits in the outbox; then the monolith dies.
    await redis.kill();
    await request(first.url)
      .post(`/api/customers/${customerId}/deposits`)
      .set(auth)
      .send({ amountCents: 700 })
      .expect(201);
    await kill(first.child);
    await redis.restart();
    expect(await readEvents(prefix, 'wallet.credited', redis.url)).toEqual([]);

    const second = await startMonolith(env);
    children.push(second.child);
    const events = await eventually(
      () => readEvents<Record<string, unknown>>(prefix, 'wallet.credited', redis.url),
      (found) => found.length > 0,
    );
    expect(events.map((event) => event.data)).toEqual([
      expect.objectContaining({ customerId, amountCents: 700, balanceCents: 700, reason: 'deposit', sequence: 2 }),
    ]);
    const id = events[0]!.id;
    const applied = await eventually(
      () => consumer!.applied(),
      (rows) => rows.some((row) => row.id === id),
    );
    expect(applied.map((row) => row.id)).toEqual([id]);
    const balance = await request(second.url).get(`/api/customers/${customerId}`).set(auth).expect(200);
    expect((balance.body as { balanceCents: number }).balanceCents).toBe(700);
  });
});
