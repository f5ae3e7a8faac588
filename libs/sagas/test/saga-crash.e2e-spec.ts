import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type RedisStreamsSagaTransport, SagaRunner } from '@app/sagas';
import { TEST_REDIS_URL } from '../../../tools/testing/test-redis';
import { SagaTestStack, ledger, orderSaga } from './support/test-saga';

const FIXTURE = join(__dirname, 'fixtures', 'saga-runner-process.js');
const BUILT = join(__dirname, '..', '..', '..', 'dist', 'libs', 'sagas', 'src', 'index.js');
/** The crashed runner's lease: how long the instance waits for another runner once it died. */
const LEASE_MS = 1_500;
const COMMAND_TIMEOUT_MS = 1_000;

/** The runner process: starts, begins instances when told, and dies with SIGKILL. */
class RunnerProcess {
  private readonly messages: { type: string; id?: string; message?: string }[] = [];
  private readonly waiting: (() => void)[] = [];

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: { type: string }) => {
      this.messages.push(message);
      for (const wake of this.waiting.splice(0)) wake();
    });
    child.on('exit', () => {
      for (const wake of this.waiting.splice(0)) wake();
    });
  }

  static async start(env: Record<string, string>): Promise<RunnerProcess> {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run npm run build first`);
    const child = fork(FIXTURE, [], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const runner = new RunnerProcess(child);
    await runner.next('ready');
    return runner;
  }

  async begin(orderId: string): Promise<string> {
    this.child.send({ type: 'begin', orderId });
    return (await this.next('begun')).id as string;
  }

  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const gone = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await gone;
  }

  private async next(type: string): Promise<{ type: string; id?: string; message?: string }> {
    for (;;) {
      const index = this.messages.findIndex((m) => m.type === type || m.type === 'error');
      if (index >= 0) {
        const [found] = this.messages.splice(index, 1);
        if (found?.type === 'error') throw new Error(`the runner process failed: ${found.message}`);
        return found as { type: string };
      }
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error('the runner process exited');
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }
}

/**
 * A runner SIGKILLed while a step's command is in flight (the service applied it, its reply not
 * yet recorded): once the dead runner's lease ran out, another resumes the instance, sends the
 * command again with the same id, and the saga ends with each command applied once.
 */
describe.each(['sqlite', 'postgres'] as const)('a saga whose runner is killed mid-step (%s)', (kind) => {
  const stack = new SagaTestStack(kind);
  let survivor: SagaRunner | undefined;
  let transport: RedisStreamsSagaTransport | undefined;

  beforeAll(() => stack.start());

  afterAll(async () => {
    await survivor?.close();
    await transport?.close();
    await stack.close();
  });

  it.each(['test.reserve', 'test.charge'])(
    'killed while %s is answered: resumed, completed, each command applied once',
    async (pattern) => {
      const orderId = randomUUID();
      let applied!: () => void;
      const appliedOnce = new Promise<void>((resolve) => (applied = resolve));
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      // The service applies the command, then its answer waits until the runner is dead.
      ledger.holdFirst = {
        pattern,
        until: async () => {
          applied();
          await released;
        },
      };
      const doomed = await RunnerProcess.start({
        DATABASE_URL: stack.databaseUrl,
        REDIS_URL: TEST_REDIS_URL,
        PREFIX: stack.prefix,
        LEASE_MS: String(LEASE_MS),
        COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS),
      });
      const id = await doomed.begin(orderId);
      await appliedOnce;
      await doomed.kill();
      release();

      transport = stack.transport();
      survivor = new SagaRunner({
        unitOfWork: stack.unitOfWork,
        transport,
        origin: 'orders',
        sagas: [orderSaga(COMMAND_TIMEOUT_MS)],
        leaseMs: LEASE_MS,
        pollIntervalMs: 50,
      });
      survivor.start();
      const view = await survivor.awaitEnd(id, 15_000);
      expect(view).toMatchObject({ status: 'COMPLETED', data: { orderId, approved: true } });
      expect(ledger.applied.get(orderId)).toEqual(['test.reserve', 'test.charge']);
      // Asked twice (before and after the crash), with one command id.
      expect(ledger.calls.get(`${pattern}:${orderId}`)).toBe(2);
      expect(ledger.commandIds.get(`${pattern}:${orderId}`)?.size).toBe(1);
      await survivor.close();
      await transport.close();
    },
  );
});
