import { freePort } from '../../tools/stack/test/support/launcher';
import { deleteTestKeys, uniqueTestPrefix } from '../../tools/testing/test-redis';
import { CompiledProcess } from '../../tools/testing/compiled-process';

/** The monolith alone (compiled), on its own fresh database and Redis prefix: what clients saw before. */
export class ReferenceMonolith {
  private constructor(
    private readonly process: CompiledProcess,
    readonly url: string,
    private readonly redisPrefix: string,
  ) {}

  /** `env` is added to its environment last (as `MigrationStack.start` takes it for the stack). */
  static async start(
    databaseUrl: string,
    jwtSecret: string,
    env: Readonly<Record<string, string>> = {},
  ): Promise<ReferenceMonolith> {
    const url = `http://127.0.0.1:${await freePort()}`;
    const redisPrefix = uniqueTestPrefix('stages-reference');
    try {
      const started = await CompiledProcess.start({
        name: 'reference',
        entry: 'dist/legacy-monolith/src/main.js',
        env: {
          PORT: new URL(url).port,
          DATABASE_URL: databaseUrl,
          REDIS_PREFIX: redisPrefix,
          JWT_SECRET: jwtSecret,
          ...env,
        },
        readyUrl: `${url}/health/ready`,
      });
      return new ReferenceMonolith(started, url, redisPrefix);
    } catch (error) {
      await deleteTestKeys(redisPrefix);
      throw error;
    }
  }

  get output(): string {
    return this.process.output;
  }

  async stop(): Promise<void> {
    await this.process.stop();
    await deleteTestKeys(this.redisPrefix);
  }
}
