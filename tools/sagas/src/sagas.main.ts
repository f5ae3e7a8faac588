import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { UnitOfWork, parseDatabaseUrl, toDataSourceOptions } from '@app/database';
import { systemClock } from '@app/redis-streams';
import { SAGAS_SCHEMA, SagaError, SagaInstances, type SagaStatus, type SagaView } from '@app/sagas';
import { runMain } from '@app/service-defaults';

const STATUSES: readonly SagaStatus[] = ['RUNNING', 'COMPENSATING', 'COMPLETED', 'FAILED', 'COMPENSATION_FAILED'];

const USAGE = `Usage: npm run sagas -- <list|show|retry> [<id>] [--status <status>] [--limit <n>] [--json] [--database <url>]

  list    the newest saga instances (default 20), of one status with --status (${STATUSES.join(', ')})
  show    one instance: its status, step, data, failure and history
  retry   a COMPENSATION_FAILED instance: its compensation is due again at once, from its first try;
          the service's runner takes it at its next look (SAGAS_POLL_INTERVAL_MS)

Database: --database, else SAGAS_DATABASE_URL, else ORDERS_DATABASE_URL (sqlite:<path> or postgres://…),
else the stack's orders database, sqlite:<STACK_DATA_DIR, default data>/orders.sqlite, when it exists:
the database of the service that runs the sagas. Nothing is migrated.
Exit codes: 0 done, 1 refused (SAGA_NOT_FOUND, SAGA_NOT_RETRYABLE) or failed, 2 a wrong command line.`;

/** Where `npm start` keeps orders' database by default. */
function stackOrdersFile(): string {
  return join(process.env.STACK_DATA_DIR || 'data', 'orders.sqlite');
}

/** The stack's default orders database, when it exists. */
function stackOrders(): string | undefined {
  const file = stackOrdersFile();
  return existsSync(file) ? `sqlite:${file}` : undefined;
}

/** A wrong command line: the usage, for people, on standard error (not a log line). */
function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

const line = (view: SagaView) =>
  `${view.id}  ${view.saga}  ${view.status}  step ${view.step ?? view.stepNumber} (try ${view.attempt})` +
  (view.failure ? `  failed at ${view.failure.step}: ${view.failure.reason}` : '');

function describe(view: SagaView): string {
  return [
    line(view),
    `data: ${JSON.stringify(view.data)}`,
    'history:',
    ...view.history.map((entry) => `  ${entry.at}  ${entry.note}`),
  ].join('\n');
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      status: { type: 'string' },
      limit: { type: 'string' },
      database: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const [command, id, ...rest] = positionals;
  if (command !== 'list' && command !== 'show' && command !== 'retry')
    fail(`Unknown command ${JSON.stringify(command ?? '')}.`);
  if (command === 'list' ? id !== undefined : id === undefined || rest.length > 0) {
    fail(command === 'list' ? 'list takes no id.' : `${command} takes one instance id.`);
  }
  const status = values.status as SagaStatus | undefined;
  if (status !== undefined && !STATUSES.includes(status)) fail(`--status must be one of ${STATUSES.join(', ')}.`);
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1_000) fail('--limit must be an integer from 1 to 1000.');
  const url = values.database || process.env.SAGAS_DATABASE_URL || process.env.ORDERS_DATABASE_URL || stackOrders();
  if (!url) {
    fail(
      `No database: give --database, SAGAS_DATABASE_URL or ORDERS_DATABASE_URL ` +
        `(the stack's ${stackOrdersFile()} does not exist).`,
    );
  }

  const dataSource = new DataSource({
    ...toDataSourceOptions(parseDatabaseUrl(url, 2), SAGAS_SCHEMA),
    migrationsRun: false,
  });
  await dataSource.initialize();
  try {
    const instances = new SagaInstances(new UnitOfWork(dataSource), systemClock);
    const print = (found: SagaView | SagaView[]) =>
      process.stdout.write(
        `${values.json ? JSON.stringify(found, null, 2) : Array.isArray(found) ? found.map(line).join('\n') : describe(found)}\n`,
      );
    if (command === 'list') {
      const views = await instances.list(status, limit);
      print(views);
      if (!values.json) process.stdout.write(`${views.length} instance(s)${status ? ` ${status}` : ''}\n`);
      return;
    }
    try {
      const view = command === 'show' ? await instances.find(id as string) : await instances.retry(id as string);
      if (!view) throw new SagaError('SAGA_NOT_FOUND', `no saga instance ${id}`);
      print(view);
    } catch (error) {
      if (!(error instanceof SagaError)) throw error;
      process.stderr.write(`${error.code}: ${error.message}\n`);
      process.exitCode = 1;
    }
  } finally {
    await dataSource.destroy();
  }
}

// What it found or changed is its output, on standard output; its log lines go to standard error.
runMain(main, { processName: 'sagas-cli', logTo: 'stderr' });
