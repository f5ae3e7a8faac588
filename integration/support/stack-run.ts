import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LauncherRun } from '../../tools/stack/test/support/launcher';
import { MigrationStack, STACK_DATABASES } from './migration-stack';
import { QuietPoint } from './quiet-point';
import { StackDatabases } from './stack-databases';

/**
 * A migration stack of a test file, on a data folder and PostgreSQL databases of its own, with its
 * quiet point. `start` keeps each part as soon as it exists, so that `close` (in `afterAll`) leaves
 * nothing behind even when the stack never got ready: processes, Redis keys, databases, files.
 */
export class StackRun {
  private parts: {
    dataDir?: string;
    databases?: StackDatabases<(typeof STACK_DATABASES)[number]>;
    stack?: MigrationStack;
    quiet?: QuietPoint;
  } = {};

  /** @param name names the data folder, for a reader of a left-over one */
  constructor(private readonly name: string) {}

  get stack(): MigrationStack {
    return this.part('stack');
  }
  get databases(): StackDatabases<(typeof STACK_DATABASES)[number]> {
    return this.part('databases');
  }
  get quiet(): QuietPoint {
    return this.part('quiet');
  }

  /** Starts the stack on empty databases; version 1 of its rules is `strangler/rules.yaml`. */
  async start(): Promise<void> {
    this.parts.dataDir = mkdtempSync(join(tmpdir(), `ficus-${this.name}-`));
    const databases = (this.parts.databases = await StackDatabases.create(STACK_DATABASES));
    const stack = (this.parts.stack = await MigrationStack.start(this.parts.dataDir, databases.urls(STACK_DATABASES)));
    this.parts.quiet = await QuietPoint.connect(stack.redisPrefix, {
      unpublished: () => databases.unpublishedOutboxEvents(STACK_DATABASES),
    });
  }

  async close(): Promise<void> {
    const { dataDir, databases, stack, quiet } = this.parts;
    if (process.env.STAGES_PRINT_OUTPUT) process.stderr.write(`${stack?.output}\n`);
    quiet?.close();
    await stack?.stop();
    // Whatever is left of a stack that never got ready.
    await LauncherRun.killAll();
    await databases?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }

  private part<Name extends 'stack' | 'databases' | 'quiet'>(name: Name): NonNullable<StackRun['parts'][Name]> {
    const value = this.parts[name];
    if (!value) throw new Error(`The ${this.name} stack has no ${name}: it did not start`);
    return value;
  }
}
