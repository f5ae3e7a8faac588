import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { REPO_ROOT } from '../../tools/stack/test/support/launcher';

/** What a clone has that `npm start` and the npm scripts need (the sources, the build set-up, the scripts). */
const COPIED = ['apps', 'libs', 'legacy-monolith', 'strangler', 'tools', 'bench', 'package.json', '.swcrc'];
/** Never copied: what a clone does not have. */
const LEFT_OUT = new Set(['node_modules', 'dist', 'data', '.cache', 'coverage']);

/**
 * A folder that looks like a fresh clone of the working tree, with its own `dist/` and no
 * `data/`; `node_modules` is the repository's (a link), as `npm install` would have made it.
 */
export class FreshCheckout {
  private constructor(readonly root: string) {}

  static create(): FreshCheckout {
    const root = mkdtempSync(join(tmpdir(), 'ficus-checkout-'));
    for (const entry of COPIED) {
      cpSync(join(REPO_ROOT, entry), join(root, entry), {
        recursive: true,
        filter: (source) => !LEFT_OUT.has(basename(source)),
      });
    }
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
    return new FreshCheckout(root);
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
