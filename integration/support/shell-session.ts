import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** What one command did. */
export interface CommandResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * One `bash` that runs commands one after another, as a person types them in one terminal:
 * variables set by one command are there for the next. Each command's output goes to files of
 * its own, so it can be compared with what a README shows.
 */
export class ShellSession {
  private readonly shell: ChildProcessWithoutNullStreams;
  private pending = '';
  private waiting: ((line: string) => void) | undefined;
  private count = 0;

  constructor(
    cwd: string,
    env: Readonly<Record<string, string | undefined>>,
    private readonly scratch: string,
  ) {
    this.shell = spawn('bash', ['--noprofile', '--norc'], { cwd, env, stdio: 'pipe' });
    this.shell.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      this.pending += chunk;
      const end = this.pending.indexOf('\n');
      if (end >= 0 && this.waiting) {
        const line = this.pending.slice(0, end);
        this.pending = this.pending.slice(end + 1);
        this.waiting(line);
      }
    });
    this.shell.stdin.write('set -o pipefail\n');
  }

  /** Runs `command` in the session; resolves with its exit status and what it printed. */
  async run(command: string): Promise<CommandResult> {
    const id = ++this.count;
    const stdout = join(this.scratch, `command-${id}.out`);
    const stderr = join(this.scratch, `command-${id}.err`);
    const done = new Promise<string>((resolve) => (this.waiting = resolve));
    // The command runs in the shell itself (a group, not a subshell), so its assignments stay.
    this.shell.stdin.write(`{\n${command}\n} >'${stdout}' 2>'${stderr}' </dev/null; echo "walkthrough-done $?"\n`);
    const line = await done;
    this.waiting = undefined;
    const status = Number(/^walkthrough-done (\d+)$/.exec(line)?.[1] ?? NaN);
    const result = { status, stdout: readFileSync(stdout, 'utf8'), stderr: readFileSync(stderr, 'utf8') };
    rmSync(stdout, { force: true });
    rmSync(stderr, { force: true });
    return result;
  }

  async close(): Promise<void> {
    if (this.shell.exitCode !== null || this.shell.signalCode !== null) return;
    this.shell.stdin.end('exit\n');
    await once(this.shell, 'exit');
  }
}
