import { join } from 'node:path';
import { freePort, REPO_ROOT } from '../../tools/stack/test/support/launcher';
import { SupervisedChild } from '../../tools/stack/src/supervised-child';
import { waitUntilReady } from '../../tools/stack/src/readiness';
import { deleteTestKeys, uniqueTestPrefix } from '../../tools/testing/test-redis';

const READY_WITHIN_MS = 60_000;

/** The monolith alone (compiled), on its own fresh database and Redis prefix: what clients saw before. */
export class ReferenceMonolith {
  private constructor(
    private readonly child: SupervisedChild,
    readonly url: string,
    private readonly redisPrefix: string,
    private readonly lines: string[],
  ) {}

  /** `env` is added to its environment last (as `MigrationStack.start` takes it for the stack). */
  static async start(
    databaseUrl: string,
    jwtSecret: string,
    env: Readonly<Record<string, string>> = {},
  ): Promise<ReferenceMonolith> {
    const port = await freePort();
    const redisPrefix = uniqueTestPrefix('stages-reference');
    const lines: string[] = [];
    const collect = (line: string) => void lines.push(line);
    const child = SupervisedChild.start({
      name: 'reference',
      command: process.execPath,
      args: [join(REPO_ROOT, 'dist/legacy-monolith/src/main.js')],
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        REDIS_PREFIX: redisPrefix,
        JWT_SECRET: jwtSecret,
        LOG_LEVEL: process.env.STAGES_LOG_LEVEL ?? 'error',
        ...env,
      },
      // Over IPC it shuts down by itself should this test process die.
      ipc: true,
      output: { out: collect, err: collect },
    });
    const reference = new ReferenceMonolith(child, `http://127.0.0.1:${port}`, redisPrefix, lines);
    const ready = await waitUntilReady(`${reference.url}/health/ready`, { timeoutMs: READY_WITHIN_MS });
    if (!ready.ready) {
      await reference.stop();
      throw new Error(`The reference monolith was not ready; its output:\n${lines.join('\n')}`);
    }
    return reference;
  }

  get output(): string {
    return this.lines.join('\n');
  }

  async stop(): Promise<void> {
    await this.child.stop(15_000);
    await deleteTestKeys(this.redisPrefix);
  }
}
