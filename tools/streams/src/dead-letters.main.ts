import { parseArgs } from 'node:util';
import {
  DEFAULT_PREFIX,
  DEFAULT_REDIS_URL,
  StreamKeys,
  connectOrFail,
  isClusterUrl,
  createRedisConnection,
  listDeadLetters,
  replayDeadLetters,
} from '@app/redis-streams';
import { runMain } from '@app/service-defaults';

const USAGE = `Usage: npm run streams:dlq -- <list|replay> --service <name> [--id <entry id> ...] [--count <n>] [--json]

  list     show the oldest dead letters of a service (default 20)
  replay   move dead letters back to the streams they came from (all given --id, or the oldest --count),
           in dead-letter order, except that each aggregate's events go in ascending sequence

Environment: REDIS_URL (default ${DEFAULT_REDIS_URL}), REDIS_PREFIX (default ${DEFAULT_PREFIX}).`;

/** A wrong command line: the usage, for people, on standard error (not a log line). */
function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      service: { type: 'string' },
      id: { type: 'string', multiple: true },
      count: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const [command] = positionals;
  if (command !== 'list' && command !== 'replay') fail(`Unknown command ${JSON.stringify(command ?? '')}.`);
  if (!values.service) fail('--service is required.');
  const count = values.count === undefined ? undefined : Number(values.count);
  if (count !== undefined && (!Number.isInteger(count) || count < 1)) fail('--count must be a positive integer.');

  const url = process.env.REDIS_URL || DEFAULT_REDIS_URL;
  const prefix = process.env.REDIS_PREFIX ?? DEFAULT_PREFIX;
  // On a Redis Cluster (`REDIS_URL=…?cluster=true`) the stream carries the streams' hash tag, as the services name it.
  const key = new StreamKeys(prefix, { cluster: isClusterUrl(url) }).deadLetters(values.service);
  const connection = createRedisConnection(
    { url, reconnectBaseDelayMs: 100, reconnectMaxDelayMs: 1_000 },
    'streams-dlq',
  );
  await connectOrFail(connection, url);
  connection.on('error', () => undefined);
  try {
    const letters =
      command === 'list'
        ? await listDeadLetters(connection, key, count ?? 20)
        : await replayDeadLetters(connection, key, { ids: values.id, count });
    if (values.json) {
      process.stdout.write(`${JSON.stringify(letters, null, 2)}\n`);
      return;
    }
    for (const letter of letters) {
      process.stdout.write(
        `${letter.deadLetterId}  ${letter.pattern ?? '?'}  from ${letter.sourceStream} ${letter.sourceId}  ` +
          `after ${letter.deliveries} deliveries  ${letter.error.code}: ${letter.error.message}\n`,
      );
    }
    process.stdout.write(`${letters.length} dead letter(s) ${command === 'list' ? 'in' : 'replayed from'} ${key}\n`);
  } finally {
    await connection.close();
  }
}

// What it found or replayed is its output, on standard output; its log lines go to standard error.
runMain(main, { processName: 'streams-dlq', logTo: 'stderr' });
