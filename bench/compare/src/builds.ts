import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const log = (line: string) => process.stderr.write(`${line}\n`);

/** The folders the build compiles: a change there changes what is measured. */
const BUILT_FOLDERS = ['apps', 'libs', 'legacy-monolith', 'strangler', 'tools', 'bench'];

async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await run('git', args, { cwd, maxBuffer: 16 << 20 })).stdout.trim();
}

/** A compiled checkout the benchmarks run from: its root holds `dist/` and `node_modules`. */
export interface Build {
  /** `base` or `current`. */
  readonly side: string;
  /** What was asked for (`53e0934`, `HEAD`, or `working tree`). */
  readonly revision: string;
  readonly commit: string;
  readonly root: string;
  /** Files of the built folders that differ from `commit` (only for the working tree). */
  readonly uncommitted: readonly string[];
  /** Removes the worktree, if one was made. */
  remove(): Promise<void>;
}

/** The main checkout as it is (the npm script has just built it), uncommitted changes included. */
export async function workingTree(repoRoot: string): Promise<Build> {
  const status = await git(repoRoot, 'status', '--porcelain', '--', ...BUILT_FOLDERS);
  return {
    side: 'current',
    revision: 'working tree',
    commit: await git(repoRoot, 'rev-parse', 'HEAD'),
    root: repoRoot,
    uncommitted: status ? status.split('\n').map((line) => line.slice(3)) : [],
    remove: async () => undefined,
  };
}

/**
 * A detached git worktree of `revision` in a temporary folder, with the main checkout's
 * node_modules linked in (when both package-lock.json files are the same; otherwise `npm ci`
 * when `install` is set, or an error) and built with that revision's own `npm run build`.
 */
export async function worktreeBuild(
  repoRoot: string,
  side: string,
  revision: string,
  install: boolean,
): Promise<Build> {
  const commit = await git(repoRoot, 'rev-parse', '--verify', `${revision}^{commit}`);
  const folder = join(mkdtempSync(join(tmpdir(), `ficus-bench-${side}-`)), 'checkout');
  const remove = async () => {
    await git(repoRoot, 'worktree', 'remove', '--force', folder).catch(() => undefined);
    rmSync(join(folder, '..'), { recursive: true, force: true });
    await git(repoRoot, 'worktree', 'prune').catch(() => undefined);
  };
  try {
    log(`${side}: a worktree of ${revision} (${commit.slice(0, 12)}) in ${folder}`);
    await git(repoRoot, 'worktree', 'add', '--detach', folder, commit);
    const sameLock =
      (await run('git', ['diff', '--quiet', commit, '--', 'package-lock.json'], { cwd: repoRoot }).then(
        () => true,
        () => false,
      )) && existsSync(join(repoRoot, 'node_modules'));
    if (sameLock) symlinkSync(join(repoRoot, 'node_modules'), join(folder, 'node_modules'), 'dir');
    else if (install) {
      log(`${side}: package-lock.json differs from the main checkout's: npm ci`);
      await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: folder, maxBuffer: 64 << 20 });
    } else {
      throw new Error(
        `${revision}'s package-lock.json differs from the main checkout's, so its node_modules cannot be shared: ` +
          'give --install to run npm ci in the worktree',
      );
    }
    log(`${side}: npm run build`);
    await run('npm', ['run', 'build', '--silent'], { cwd: folder, maxBuffer: 64 << 20 });
  } catch (error) {
    await remove();
    throw error;
  }
  return { side, revision, commit, root: folder, uncommitted: [], remove };
}
