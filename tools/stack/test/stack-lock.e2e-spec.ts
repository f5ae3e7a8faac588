import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimDataDir, stackHolder } from '../src/stack-lock';

/** A live process standing in for another launcher. */
async function otherLauncher(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await once(child, 'spawn');
  return child;
}

describe('one stack per data folder', () => {
  let dataDir: string;
  let other: ChildProcess | undefined;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ficus-stack-lock-'));
  });
  afterEach(async () => {
    if (other && other.exitCode === null && other.signalCode === null) {
      other.kill('SIGKILL');
      await once(other, 'exit');
    }
    other = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a folder a live launcher holds, naming its pid and what to do', async () => {
    other = await otherLauncher();
    writeFileSync(join(dataDir, 'stack.pid'), `${other.pid}\n`);
    expect(stackHolder(dataDir)).toBe(other.pid);
    expect(() => claimDataDir(dataDir)).toThrow(
      `A stack already runs on ${dataDir} (launcher pid ${other.pid}). Stop it first (Ctrl-C in its terminal), ` +
        'or give this one another folder with STACK_DATA_DIR.',
    );
    expect(readFileSync(join(dataDir, 'stack.pid'), 'utf8')).toBe(`${other.pid}\n`);
  });

  it('takes over the file of a launcher that was killed, and removes it when released', async () => {
    other = await otherLauncher();
    writeFileSync(join(dataDir, 'stack.pid'), `${other.pid}\n`);
    other.kill('SIGKILL');
    await once(other, 'exit');
    expect(stackHolder(dataDir)).toBeUndefined();

    const claim = claimDataDir(dataDir);
    expect(readFileSync(join(dataDir, 'stack.pid'), 'utf8')).toBe(`${process.pid}\n`);
    claim.release();
    expect(existsSync(join(dataDir, 'stack.pid'))).toBe(false);
  });

  it('creates the folder when it does not exist yet', () => {
    const fresh = join(dataDir, 'not-yet');
    const claim = claimDataDir(fresh);
    expect(existsSync(join(fresh, 'stack.pid'))).toBe(true);
    claim.release();
  });
});
