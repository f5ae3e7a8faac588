import autocannon from 'autocannon';
import type { Command, LoadResult, LoadRun, Reply } from './protocol';
import { describeError } from './protocol';
import { LatencyRecorder } from '../../common/src/stats';

/** Headers of every request: what a browser's API call carries, roughly. */
const HEADERS = {
  accept: 'application/json',
  'user-agent': 'ficus-bench/1.0',
  'accept-encoding': 'identity',
};

/** The raw request autocannon hands to `setupRequest` (only what is changed here). */
interface RawRequest {
  path?: string;
}

/**
 * One autocannon run over `run.paths`, each request taking the next path in turn (across
 * connections). Latencies are recorded from autocannon's `response` events (ms, with
 * sub-millisecond precision; autocannon's own histogram keeps whole milliseconds).
 */
async function runAutocannon(run: LoadRun): Promise<LoadResult> {
  const latencies = new LatencyRecorder();
  let next = 0;
  const options = {
    url: `${run.baseUrl}${run.paths[0]}`,
    connections: run.connections,
    duration: run.seconds,
    pipelining: 1,
    timeout: 10,
    headers: HEADERS,
    requests: [
      {
        method: 'GET',
        setupRequest: (request: RawRequest) => {
          request.path = run.paths[next++ % run.paths.length];
          return request;
        },
      },
    ],
  };
  const instance = autocannon(options);
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, ms: number) => {
    if (statusCode >= 200 && statusCode < 300) latencies.record(ms);
  });
  const result = await instance;
  const { p50, p99 } = latencies.summary();
  return {
    requestsPerSecond: result['2xx'] / result.duration,
    p50Ms: p50,
    p99Ms: p99,
    responses: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    bytesPerResponse: result['2xx'] > 0 ? result.throughput.total / result['2xx'] : 0,
  };
}

/** The load generator, in a process of its own so that it never shares an event loop with the facade. */
function main(): void {
  const send = (reply: Reply, then: () => void = () => undefined) => process.send?.(reply, then);
  process.on('message', (command: Command) => {
    if (command.type === 'stop') {
      send({ type: 'stopped' }, () => process.exit(0));
      return;
    }
    if (command.type !== 'run') return;
    runAutocannon(command).then(
      (result) => send({ type: 'result', ...result }),
      (error: unknown) => send({ type: 'failed', error: describeError(error) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
  // Ctrl-C reaches the whole process group: the coordinator decides when this worker stops.
  process.on('SIGINT', () => undefined);
  send({ type: 'ready', detail: 'autocannon 8, pipelining 1, keep-alive' });
}

if (require.main === module) main();
