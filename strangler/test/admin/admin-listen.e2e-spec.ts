import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eventually } from '../../../tools/testing/test-streams';
import { TEST_ADMIN_TOKEN } from '../support/admin-harness';

const ROOT = resolve(__dirname, '..', '..', '..');
const MAIN = join(ROOT, 'dist', 'strangler', 'src', 'main.js');
type Line = Record<string, unknown>;

/** The facade as `npm run start:strangler` runs it (compiled), on ports 0, its JSON log lines read back. */
class FacadeRun {
  output = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(env: Record<string, string | undefined>, historyDir: string) {
    if (!existsSync(MAIN)) throw new Error('dist/strangler/src/main.js is missing: run npm run build first');
    this.child = spawn(process.execPath, [MAIN], {
      cwd: ROOT,
      env: {
        ...process.env,
        LOG_LEVEL: 'info',
        PORT: '0',
        STRANGLER_PORT: '0',
        STRANGLER_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
        REDIS_PREFIX: `ficus-test:admin-listen-${randomUUID()}:`,
        STRANGLER_HISTORY_DIR: historyDir,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.output += chunk));
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.output += chunk));
    this.exited = new Promise((done) => this.child.once('close', (code) => done(code)));
  }

  lines(): Line[] {
    return this.output
      .split('\n')
      .filter((text) => text.startsWith('{'))
      .map((text) => JSON.parse(text) as Line);
  }

  async listening(): Promise<{ admin: Line; data: Line }> {
    const found = await eventually(
      async () => {
        const listening = this.lines().filter((line) => line.event === 'listening');
        return {
          admin: listening.find((line) => line.plane === undefined),
          data: listening.find((line) => line.plane === 'data'),
        };
      },
      (seen) => (seen.admin !== undefined && seen.data !== undefined) || this.child.exitCode !== null,
      20_000,
    );
    if (!found.admin || !found.data) throw new Error(`the facade is not listening:\n${this.output}`);
    return { admin: found.admin, data: found.data };
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    await this.exited;
  }
}

describe('where the facade listens', () => {
  const historyDir = mkdtempSync(join(tmpdir(), 'admin-listen-'));
  const runs: FacadeRun[] = [];
  const start = (env: Record<string, string | undefined>) => {
    const run = new FacadeRun(env, historyDir);
    runs.push(run);
    return run;
  };
  afterAll(async () => {
    await Promise.all(runs.map((run) => run.stop()));
    rmSync(historyDir, { recursive: true, force: true });
  });

  it('puts the admin plane on 127.0.0.1 by default, whatever HOST says, and the data plane on every interface', async () => {
    const facade = start({ HOST: '0.0.0.0', STRANGLER_ADMIN_HOST: undefined, STRANGLER_HOST: undefined });
    const { admin, data } = await facade.listening();
    expect(admin).toMatchObject({ host: '127.0.0.1', msg: `strangler listening on http://127.0.0.1:${admin.port}` });
    expect(['::', '0.0.0.0']).toContain(data.host);
    const live = await fetch(`http://127.0.0.1:${String(admin.port)}/health/live`);
    expect(live.status).toBe(200);
    const refused = await fetch(`http://127.0.0.1:${String(admin.port)}/admin/anything`);
    expect(refused.status).toBe(401);
  });

  it('honours STRANGLER_ADMIN_HOST and STRANGLER_HOST', async () => {
    const facade = start({ STRANGLER_ADMIN_HOST: '0.0.0.0', STRANGLER_HOST: '127.0.0.1' });
    const { admin, data } = await facade.listening();
    expect(admin).toMatchObject({ host: '0.0.0.0' });
    expect(data).toMatchObject({ host: '127.0.0.1' });
    const answered = await fetch(`http://127.0.0.1:${String(data.port)}/health/live`).catch(() => undefined);
    expect(answered).toBeDefined();
  });

  it.each([
    ['STRANGLER_ADMIN_HOST', 'admin.internal'],
    ['STRANGLER_HOST', '0.0.0.0:8080'],
  ])('refuses %s=%s at start with CONFIG_INVALID, naming it', async (variable, value) => {
    const facade = start({ [variable]: value });
    expect(await facade.exited).toBe(1);
    const fatal = facade.lines().find((line) => line.level === 'fatal');
    expect(fatal).toMatchObject({ err: { code: 'CONFIG_INVALID' } });
    expect(String(fatal?.msg)).toContain(`${variable} is ${JSON.stringify(value)}; allowed: an IP address`);
  });
});
