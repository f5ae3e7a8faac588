import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? 'redis-server';

export interface RedisProcessOptions {
  /**
   * Keep an append-only file (fsync every second, as the launcher's own server does) in the
   * server's folder, so that a restart finds the data again; default false: nothing is kept.
   */
  readonly appendOnly?: boolean;
}

/**
 * A `redis-server` of the test's own on a free port, so that a test can stop and restart Redis
 * without touching the Redis other tests share: without persistence (a restart loses every key,
 * as a crashed Redis without persistence does), or with an append-only file that a restart
 * reads again unless the test deleted it ({@link deleteFiles}).
 */
export class RedisProcess {
  private child?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'ficus-redis-'));

  private constructor(
    readonly port: number,
    private readonly options: RedisProcessOptions,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  static async start(options: RedisProcessOptions = {}): Promise<RedisProcess> {
    const redis = new RedisProcess(await freePort(), options);
    await redis.restart();
    return redis;
  }

  /**
   * Starts the server (again) on the same port and resolves once it accepts connections (with an
   * append-only file, once it has loaded it).
   */
  async restart(): Promise<void> {
    if (this.child) throw new Error('redis-server is already running');
    const persistence = this.options.appendOnly
      ? ['--appendonly', 'yes', '--appendfsync', 'everysec']
      : ['--appendonly', 'no'];
    const child = spawn(
      REDIS_SERVER,
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', ...persistence, '--dir', this.dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    await untilRedisReady(child, 'redis-server').catch((error: unknown) => {
      child.kill('SIGKILL');
      this.child = undefined;
      throw error;
    });
  }

  /** Kills the server at once (a crash: every connection drops, every key is lost). */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  /** Deletes what the stopped server kept on disk (its append-only files): it starts again empty. */
  deleteFiles(): void {
    if (this.child) throw new Error('redis-server is running: kill it before deleting its files');
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir);
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Resolves once a `redis-server` just spawned (its output piped) says it is ready to accept
 * connections; rejects, with what it printed, when it exits first or is not ready within 10 s.
 * Its output is drained from then on.
 */
export async function untilRedisReady(child: ChildProcess, label: string): Promise<void> {
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${label} did not start: ${output}`)), 10_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${label} exited with ${code}: ${output}`));
      });
    });
  } finally {
    child.stdout?.removeAllListeners('data').resume();
    child.stderr?.removeAllListeners('data').resume();
  }
}
