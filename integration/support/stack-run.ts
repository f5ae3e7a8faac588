import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LauncherRun } from '../../tools/stack/test/support/launcher';
import { MigrationStack, STACK_DATABASES, STACK_JWT_SECRET } from './migration-stack';
import { QuietPoint } from './quiet-point';
import { ReferenceMonolith } from './reference-monolith';
import { type StackDatabaseKind, StackDatabases } from './stack-databases';

/** The databases of a run: one per process of the stack, and the reference monolith's. */
export type StackRunDatabase = (typeof STACK_DATABASES)[number] | 'reference';

export interface StackRunOptions {
  /** Where each process keeps its data: a PostgreSQL database of its own (default), or a SQLite file of its own. */
  readonly database?: StackDatabaseKind;
  /** Also start the monolith alone (what clients saw before) on a database of its own, of the same kind. */
  readonly reference?: boolean;
  /** Added last to the environment of every process: the launcher's (`MigrationStack.start`) and the reference's. */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * A migration stack of a test file, on a data folder and databases of its own, with its quiet
 * point, and with the monolith alone beside it when asked. `start` keeps each part as soon as it
 * exists, so that `close` (in `afterAll`) leaves nothing behind even when the stack never got
 * ready: processes, Redis keys, databases, files.
 */
export class StackRun {
  private parts: {
    dataDir?: string;
    databases?: StackDatabases<StackRunDatabase>;
    stack?: MigrationStack;
    reference?: ReferenceMonolith;
    quiet?: QuietPoint;
  } = {};

  /** @param name names the data folder, for a reader of a left-over one */
  constructor(
    private readonly name: string,
    private readonly options: StackRunOptions = {},
  ) {}

  get stack(): MigrationStack {
    return this.part('stack');
  }
  get databases(): StackDatabases<StackRunDatabase> {
    return this.part('databases');
  }
  get quiet(): QuietPoint {
    return this.part('quiet');
  }
  /** The monolith alone (`reference: true`). */
  get reference(): ReferenceMonolith {
    return this.part('reference');
  }
  get dataDir(): string {
    return this.part('dataDir');
  }

  /** Starts the stack (and the reference) on empty databases; version 1 of its rules is `strangler/rules.yaml`. */
  async start(): Promise<void> {
    const dataDir = (this.parts.dataDir = mkdtempSync(join(tmpdir(), `ficus-${this.name}-`)));
    const names: StackRunDatabase[] = this.options.reference ? [...STACK_DATABASES, 'reference'] : [...STACK_DATABASES];
    const databases = (this.parts.databases =
      this.options.database === 'sqlite' ? StackDatabases.sqlite(dataDir, names) : await StackDatabases.create(names));
    // Each is kept as soon as it runs, so that close stops it even when the other fails to start.
    const started = await Promise.allSettled([
      MigrationStack.start(dataDir, databases.urls(STACK_DATABASES), this.options.env).then(
        (stack) => (this.parts.stack = stack),
      ),
      this.options.reference
        ? ReferenceMonolith.start(databases.url('reference'), STACK_JWT_SECRET, this.options.env).then(
            (reference) => (this.parts.reference = reference),
          )
        : undefined,
    ]);
    for (const outcome of started) if (outcome.status === 'rejected') throw outcome.reason;
    this.parts.quiet = await QuietPoint.connect(this.stack.redisPrefix, {
      unpublished: () => databases.unpublishedOutboxEvents(STACK_DATABASES),
    });
  }

  async close(): Promise<void> {
    const { dataDir, databases, stack, reference, quiet } = this.parts;
    if (process.env.STAGES_PRINT_OUTPUT) process.stderr.write(`${stack?.output}\n${reference?.output ?? ''}\n`);
    quiet?.close();
    await Promise.allSettled([stack?.stop(), reference?.stop()]);
    // Whatever is left of a stack that never got ready.
    await LauncherRun.killAll();
    await databases?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }

  private part<Name extends keyof StackRun['parts']>(name: Name): NonNullable<StackRun['parts'][Name]> {
    const value = this.parts[name];
    if (!value) throw new Error(`The ${this.name} stack has no ${name}: it did not start`);
    return value;
  }
}
