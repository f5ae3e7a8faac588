import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The compiled tree (`dist/`): this file is `dist/bench/catalog/src/services.js`. */
export const DIST_ROOT = resolve(__dirname, '..', '..', '..');

/** Lines of a service's output kept to explain a failure. */
const TAIL_LINES = 40;
const STOP_WAIT_MS = 5_000;

const log = (line: string) => process.stderr.write(`${line}\n`);

/** A free TCP port of 127.0.0.1 (free when asked: the service binds it a moment later). */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as import('node:net').AddressInfo;
      server.close(() => done(port));
    });
  });
}

let ticksPerSecond: number | undefined;

/**
 * CPU time (user + system) a process has used so far, in µs, from `/proc/<pid>/stat`
 * (clock ticks, usually 10 ms); undefined where there is no `/proc`.
 */
export function processCpuMicros(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    return ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond) * 1_000_000;
  } catch {
    return undefined;
  }
}

/** A child whose output is kept (the last lines) and echoed to stderr with its name. */
function watchOutput(child: ChildProcess, name: string, tail: string[]): void {
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (line.trim() === '') continue;
        tail.push(line);
        if (tail.length > TAIL_LINES) tail.shift();
        log(`[${name}] ${line}`);
      }
    });
  }
}

/** Runs a compiled entry of `dist/` to its end (e.g. the seed); fails with its last output if it fails. */
export function runToEnd(name: string, entry: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      [join(DIST_ROOT, entry)],
      { env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error)
          fail(new Error(`${name} failed (${error.message}):\n${`${stdout}\n${stderr}`.trim().slice(-4_000)}`));
        else done();
      },
    );
  });
}

/**
 * A service of the repository (its compiled `main.js`) running as a child process on a port
 * of its own: started, awaited until `/health/ready` answers 200, stopped with SIGTERM (and
 * SIGKILL if it lingers).
 */
export class ServiceProcess {
  private readonly tail: string[] = [];
  private exit?: string;
  private readonly exited: Promise<void>;

  private constructor(
    readonly name: string,
    readonly url: string,
    private readonly child: ChildProcess,
  ) {
    watchOutput(child, name, this.tail);
    this.exited = new Promise((done) =>
      child.once('exit', (code, signal) => {
        this.exit = signal ?? String(code);
        done();
      }),
    );
  }

  /**
   * Starts `entry` (relative to `dist/`) with `env` and `PORT`; call `ready()` next. With
   * `cpuProfileFile`, the service can be profiled (see `cpu-profiler.ts` and `signal`).
   */
  static async start(
    name: string,
    entry: string,
    env: NodeJS.ProcessEnv,
    cpuProfileFile?: string,
  ): Promise<ServiceProcess> {
    const port = await freePort();
    const preload = cpuProfileFile ? ['-r', join(__dirname, 'cpu-profiler.js')] : [];
    const child = spawn(process.execPath, [...preload, join(DIST_ROOT, entry)], {
      env: { ...env, PORT: String(port), ...(cpuProfileFile ? { BENCH_CPU_PROF_FILE: cpuProfileFile } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ServiceProcess(name, `http://127.0.0.1:${port}`, child);
  }

  /** Sends a signal (`SIGUSR2` starts and stops a profile). */
  signal(signal: NodeJS.Signals): void {
    if (this.exit === undefined) this.child.kill(signal);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** CPU time used so far, µs (see {@link processCpuMicros}). */
  cpuMicros(): number | undefined {
    return processCpuMicros(this.child.pid);
  }

  /** Resolves once `/health/ready` answers 200; fails if the process exits or `timeoutMs` passes. */
  async ready(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.exit !== undefined) throw this.failure(`exited (${this.exit}) before it was ready`);
      try {
        const response = await fetch(`${this.url}/health/ready`, { signal: AbortSignal.timeout(2_000) });
        await response.arrayBuffer();
        if (response.status === 200) return;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline) throw this.failure(`was not ready within ${timeoutMs} ms`);
      await sleep(200);
    }
  }

  /** An error naming the service, with its last lines of output. */
  failure(what: string): Error {
    return new Error(`${this.name} ${what}; its last output:\n${this.tail.join('\n') || '(none)'}`);
  }

  /** SIGTERM, then SIGKILL after a few seconds. */
  async stop(): Promise<void> {
    if (this.exit !== undefined) return;
    this.child.kill('SIGTERM');
    await Promise.race([this.exited, sleep(STOP_WAIT_MS)]);
    if (this.exit === undefined) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}
