import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { type BenchConfig, loadConfig } from './config';
import { FACADE_IMPLEMENTATION } from './contenders/facade';
import { startNginx } from './contenders/nginx';
import { describeMachine, pin, which } from '../../common/src/machine';
import { BenchProcess } from './processes';
import type { ProxyArguments, Reply } from './protocol';
import { type Results, type RoundResult, buildReport, formatTable } from './report';
import { MEASURED_PATH } from './rule-table';
import type { Served } from './serve';
import { upstreamBody } from './upstream';

const log = (line: string) => process.stderr.write(`${line}\n`);

/** Contenders in a different order each round, so that drift on a shared machine hits all alike. */
function rotated<T>(items: readonly T[], by: number): T[] {
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

interface Contender {
  readonly name: string;
  readonly url: string;
  readonly detail: string;
  /** The Node process that serves it, whose CPU time per request is measured (not nginx). */
  readonly process?: BenchProcess;
}

const rulesName = (count: number) => (count % 1000 === 0 ? `facade${count / 1000}k` : `facade${count}`);

/** The matching micro-benchmark, in a process of its own; its JSON (last line of its output). */
function runMatching(): Promise<unknown> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(__dirname, 'matching.js')],
      { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (stderr) log(stderr.trimEnd());
        if (error) resolve({ error: error.message });
        else resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '{}'));
      },
    );
  });
}

/** Asks a contender once and checks that the answer is the upstream's, byte for byte. */
async function verify(contender: Contender, expected: Buffer): Promise<void> {
  const response = await fetch(contender.url, { headers: { accept: 'application/json' } });
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200 || !body.equals(expected)) {
    throw new Error(
      `${contender.name}: answered ${response.status} with ${body.length} bytes, not the upstream's answer`,
    );
  }
}

async function measure(load: BenchProcess, contenders: readonly Contender[], config: BenchConfig): Promise<Results> {
  const results: Results = Object.fromEntries(contenders.map((c) => [c.name, []]));
  for (let r = 0; r < config.warmupRounds + config.rounds; r++) {
    const warmup = r < config.warmupRounds;
    for (const contender of rotated(contenders, r)) {
      const cpuBefore = await contender.process?.cpuMicros();
      const reply = (await load.ask({
        type: 'run',
        url: contender.url,
        connections: config.connections,
        seconds: warmup ? config.warmupSeconds : config.roundSeconds,
      })) as Extract<Reply, { type: 'result' }>;
      const cpuAfter = await contender.process?.cpuMicros();
      const { type: _type, ...loadResult } = reply;
      const result: RoundResult = {
        ...loadResult,
        cpuUsPerRequest:
          cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) / loadResult.responses,
      };
      if (!warmup) results[contender.name]?.push(result);
      const trouble = result.errors + result.non2xx + result.timeouts;
      log(
        `${warmup ? 'warm-up' : `round ${r - config.warmupRounds + 1}`} ${contender.name.padEnd(10)} ` +
          `${Math.round(result.requestsPerSecond)}/s p50 ${result.p50Ms.toFixed(2)} ms p99 ${result.p99Ms.toFixed(2)} ms` +
          (result.cpuUsPerRequest === undefined ? '' : ` cpu ${result.cpuUsPerRequest.toFixed(1)} µs/req`) +
          (trouble > 0 ? ` (errors ${result.errors}, non-2xx ${result.non2xx}, timeouts ${result.timeouts})` : ''),
      );
      await sleep(300);
    }
  }
  return results;
}

async function main(): Promise<void> {
  const started = performance.now();
  const config = loadConfig();
  const machine = describeMachine();
  const wanted = (name: string) => config.only.length === 0 || config.only.includes(name);
  const small = rulesName(config.smallRules);
  const large = rulesName(config.largeRules);
  const profile = (name: string) =>
    config.cpuProfile.includes(name) ? { cpuProfileDir: config.cpuProfileDir } : undefined;

  const matching = config.matching ? await runMatching() : undefined;
  // Proxies on the last core; the upstream and the load generator on the others.
  const cores = machine.cores;
  const pinning =
    config.pin && cores >= 2 && which('taskset') ? { proxies: String(cores - 1), others: `0-${cores - 2}` } : undefined;
  const pinned = (child: BenchProcess, cpus: string | undefined) => {
    if (cpus !== undefined && !pin(child.pid, cpus)) throw new Error(`${child.name}: taskset failed`);
  };

  const processes: BenchProcess[] = [];
  let nginx: Served | undefined;
  try {
    const upstream = new BenchProcess('upstream', 'upstream.js', { bodyBytes: config.bodyBytes }, profile('upstream'));
    processes.push(upstream);
    const upstreamPort = (await upstream.started()).port;
    pinned(upstream, pinning?.others);
    const upstreamUrl = `http://127.0.0.1:${upstreamPort}`;

    const proxies: [string, ProxyArguments][] = [
      ['bare', { contender: 'bare', upstreamUrl }],
      ['nestHpm', { contender: 'nestHpm', upstreamUrl }],
      [small, { contender: 'facade', upstreamUrl, rules: config.smallRules }],
      [large, { contender: 'facade', upstreamUrl, rules: config.largeRules }],
      ...(config.extra.includes('rulesProxy')
        ? [
            ['rulesProxy', { contender: 'rulesProxy', upstreamUrl, rules: config.smallRules }] as [
              string,
              ProxyArguments,
            ],
          ]
        : []),
      ...(config.extra.includes('nestHpmDefaults')
        ? [['nestHpmDefaults', { contender: 'nestHpmDefaults', upstreamUrl }] as [string, ProxyArguments]]
        : []),
    ];
    const contenders: Contender[] = [];
    if (wanted('direct'))
      contenders.push({
        name: 'direct',
        url: `${upstreamUrl}${MEASURED_PATH}`,
        detail: 'the upstream itself (CPU per request: the upstream process)',
        process: upstream,
      });
    const starting = proxies
      .filter(([name]) => wanted(name))
      .map(async ([name, args]) => {
        const child = new BenchProcess(name, 'proxy-worker.js', args, profile(name));
        processes.push(child);
        const ready = await child.started();
        pinned(child, pinning?.proxies);
        return {
          name,
          url: `http://127.0.0.1:${ready.port}${MEASURED_PATH}`,
          detail: ready.detail ?? '',
          process: child,
        };
      });
    contenders.push(...(await Promise.all(starting)));
    const nginxPath = which('nginx');
    if (nginxPath && wanted('nginx')) {
      nginx = await startNginx(nginxPath, upstreamPort as number, pinning?.proxies);
      contenders.push({
        name: 'nginx',
        url: `http://127.0.0.1:${nginx.port}${MEASURED_PATH}`,
        detail: nginx.detail ?? '',
      });
    } else log(nginxPath ? 'nginx: left out (BENCH_ONLY)' : 'nginx: not installed, left out');

    const expected = upstreamBody(config.bodyBytes);
    for (const contender of contenders) await verify(contender, expected);

    const wrk = which('wrk');
    const load = new BenchProcess('load', 'load-worker.js', { wrk });
    processes.push(load);
    const loadGenerator = (await load.started()).detail ?? 'unknown';
    pinned(load, pinning?.others);
    log(
      `contenders ${contenders.map((c) => c.name).join(', ')}, each in a process of its own; load: ${loadGenerator}; ` +
        `${config.warmupRounds} warm-up round(s) of ${config.warmupSeconds} s, ${config.rounds} rounds of ${config.roundSeconds} s`,
    );
    const results = await measure(load, contenders, config);
    const report = buildReport({
      machine,
      config,
      results,
      names: { small, large },
      loadGenerator,
      pinning: pinning
        ? `taskset: proxies on CPU ${pinning.proxies}; upstream and load generator on CPU ${pinning.others}`
        : 'none',
      path: MEASURED_PATH,
      details: Object.fromEntries(contenders.map((c) => [c.name, c.detail])),
      facadeImplementation: FACADE_IMPLEMENTATION,
      matching,
      durationS: (performance.now() - started) / 1000,
    });
    process.stdout.write(`${formatTable(report)}\n${JSON.stringify(report)}\n`);
  } finally {
    await nginx?.close();
    await Promise.all(processes.map((child) => child.stop()));
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
