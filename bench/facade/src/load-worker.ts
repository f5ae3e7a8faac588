import { execFile } from 'node:child_process';
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

/**
 * One autocannon run. Latencies are recorded from autocannon's `response` events (in ms,
 * with sub-millisecond precision; autocannon's own histogram keeps whole milliseconds).
 */
async function runAutocannon(run: LoadRun): Promise<LoadResult> {
  const latencies = new LatencyRecorder();
  const instance = autocannon({
    url: run.url,
    connections: run.connections,
    duration: run.seconds,
    pipelining: 1,
    timeout: 10,
    headers: HEADERS,
  });
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

const UNITS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

/** Reads wrk's `--latency` report. */
export function parseWrk(output: string): LoadResult {
  const number = (pattern: RegExp) => Number(pattern.exec(output)?.[1] ?? Number.NaN);
  const latency = (percent: string) => {
    const match = new RegExp(`^\\s*${percent}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(output);
    return match ? Number(match[1]) * (UNITS[match[2] as string] ?? Number.NaN) : Number.NaN;
  };
  const responses = number(/^\s*(\d+) requests in /m);
  const non2xx = number(/Non-2xx or 3xx responses:\s*(\d+)/) || 0;
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const seconds = (() => {
    const match = /requests in ([\d.]+)(us|ms|s|m),/.exec(output);
    return match ? (Number(match[1]) * (UNITS[match[2] as string] ?? Number.NaN)) / 1000 : Number.NaN;
  })();
  const bytes = (() => {
    const match = /requests in [^,]+, ([\d.]+)([KMGT]?B) read/.exec(output);
    const scale: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };
    return match ? Number(match[1]) * (scale[match[2] as string] ?? Number.NaN) : Number.NaN;
  })();
  const ok = responses - non2xx;
  return {
    requestsPerSecond: ok / seconds,
    p50Ms: latency('50'),
    p99Ms: latency('99'),
    responses: ok,
    non2xx,
    errors: socket ? Number(socket[1]) + Number(socket[2]) + Number(socket[3]) : 0,
    timeouts: socket ? Number(socket[4]) : 0,
    bytesPerResponse: responses > 0 ? bytes / responses : 0,
  };
}

/** One wrk run (one thread, so that it takes no more of the machine than autocannon would). */
function runWrk(wrk: string, run: LoadRun): Promise<LoadResult> {
  const headers = Object.entries(HEADERS).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
  const args = ['-t1', `-c${run.connections}`, `-d${run.seconds}s`, '--latency', ...headers, run.url];
  return new Promise((resolve, reject) => {
    execFile(wrk, args, { encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`wrk failed: ${stderr || error.message}`));
      else resolve(parseWrk(stdout));
    });
  });
}

/**
 * The load generator, in a process of its own so that it never shares an event loop with
 * a proxy. Uses wrk when given its path, autocannon otherwise.
 */
function main(): void {
  const { wrk } = JSON.parse(process.argv[2] ?? '{}') as { wrk?: string };
  const send = (reply: Reply, then: () => void = () => undefined) => process.send?.(reply, then);
  process.on('message', (command: Command) => {
    if (command.type === 'stop') {
      send({ type: 'stopped' }, () => process.exit(0));
      return;
    }
    if (command.type !== 'run') {
      send({ type: 'failed', error: `the load generator does not do ${command.type}` });
      return;
    }
    (wrk ? runWrk(wrk, command) : runAutocannon(command)).then(
      (result) => send({ type: 'result', ...result }),
      (error: unknown) => send({ type: 'failed', error: describeError(error) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', detail: wrk ? `wrk (${wrk}), 1 thread` : 'autocannon 8, pipelining 1' });
}

if (require.main === module) main();
