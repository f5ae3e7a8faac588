import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StackError } from './stack-errors';

/** Holds the pid of the launcher that runs on the data folder. */
export const STACK_LOCK_FILE = 'stack.pid';

/** Whether a process with this pid runs (one of another user counts). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid of a live launcher that holds the data folder, if any (a file left by a killed one is stale). */
export function stackHolder(dataDir: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(join(dataDir, STACK_LOCK_FILE), 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid) ? pid : undefined;
}

/**
 * Claims the data folder for this launcher: two stacks on one folder would write the same
 * databases. Throws a {@link StackError} naming the launcher that holds it; a stale file is taken over.
 */
export function claimDataDir(dataDir: string): { release(): void } {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, STACK_LOCK_FILE);
  try {
    writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = stackHolder(dataDir);
    if (holder !== undefined) {
      throw new StackError(
        'STACK_ALREADY_RUNNING',
        `A stack already runs on ${dataDir} (launcher pid ${holder}). Stop it first (Ctrl-C in its terminal), ` +
          `or give this one another folder with STACK_DATA_DIR.`,
      );
    }
    writeFileSync(path, `${process.pid}\n`);
  }
  return {
    release: () => {
      if (stackHolder(dataDir) === undefined) rmSync(path, { force: true });
    },
  };
}
