import { Logger } from '@nestjs/common';
import request from 'supertest';
import { createProcessLogger, logLevelFromEnv } from '@app/service-defaults';
import { withEnv } from '../../../tools/testing/with-env';
import type { CliOutput } from '../../src/cli/cli-output';
import { runCli } from '../../src/cli/run-cli';
import { type StranglerApp, buildStranglerApp } from '../../src/strangler-app';
import { TEST_ADMIN_TOKEN } from './admin-harness';
import { type RuleStoreHarness, TEST_JWT_SECRET } from './rule-store-harness';

/**
 * A whole facade as `npm run start:strangler` builds it from the environment (`buildStranglerApp`):
 * the rule sync with its history copy in the harness's folder for `name`, the data plane and the
 * admin plane, both listening on port 0 of 127.0.0.1.
 */
export class StranglerInstance {
  private constructor(
    readonly name: string,
    readonly app: StranglerApp,
    readonly dataUrl: string,
    readonly adminUrl: string,
  ) {}

  /** Built with the harness's Redis and prefix, checking the store every 100 ms; `env` adds or overrides variables. */
  static async start(
    harness: RuleStoreHarness,
    name: string,
    env: Readonly<Record<string, string>> = {},
  ): Promise<StranglerInstance> {
    // As `runMain` does before main.ts builds the facade: what is logged before the admin app exists
    // (the rule sync's start) goes through the process's logger, at LOG_LEVEL.
    Logger.overrideLogger(createProcessLogger({ processName: 'strangler', level: logLevelFromEnv() }));
    const app = await withEnv(
      {
        STRANGLER_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
        JWT_SECRET: TEST_JWT_SECRET,
        REDIS_URL: harness.url,
        REDIS_PREFIX: harness.prefix,
        STRANGLER_HISTORY_DIR: harness.historyDir(name),
        STRANGLER_POLL_INTERVAL_MS: '100',
        ...env,
      },
      buildStranglerApp,
    );
    try {
      const data = await app.dataPlane.listen(0, '127.0.0.1');
      await app.admin.listen(0, '127.0.0.1');
      const adminUrl = (await app.admin.getUrl()).replace('[::1]', '127.0.0.1');
      return new StranglerInstance(name, app, `http://127.0.0.1:${data.port}`, adminUrl);
    } catch (error) {
      await app.admin.close().catch(() => undefined);
      await app.stopRouting().catch(() => undefined);
      throw error;
    }
  }

  /** Supertest against the admin plane. */
  admin() {
    return request(this.adminUrl);
  }

  get auth(): { Authorization: string } {
    return { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
  }

  /** A GET of the admin API with the token, answering its JSON body (and failing on another status). */
  async read<T = unknown>(path: string, status = 200): Promise<T> {
    const response = await this.admin().get(path).set(this.auth);
    if (response.status !== status) throw new Error(`GET ${path}: ${response.status} ${response.text}`);
    return response.body as T;
  }

  /** The CLI, run in-process against this instance's admin API. */
  async cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const output: CliOutput = { out: (text) => out.push(text), err: (text) => err.push(text) };
    const env = {
      STRANGLER_ADMIN_URL: this.adminUrl,
      STRANGLER_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      STRANGLER_AUTHOR: 'ops',
    };
    const code = await runCli(argv, env, output);
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  }

  async close(): Promise<void> {
    await this.app.admin.close();
    await this.app.stopRouting();
  }
}
