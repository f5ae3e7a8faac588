import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { Controller, Get, Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import autocannon from 'autocannon';
import pino from 'pino';
import { AllowAnonymous, MAX_BODY_BYTES, ServiceDefaultsModule, createHttpService } from '../src';
import { LoggingModule } from '../src/logging/logging.module';

/**
 * What request logging costs: the server CPU per request of an app built like every service
 * (`createHttpService` and `ServiceDefaultsModule`), with the library's logging and with
 * logging removed, on `GET /health/live` (a quiet path, never logged) and `GET /ping` (one
 * line per request at `info`). The server runs in a child process; autocannon loads it from
 * this one. Each measurement is a fixed number of requests; the server's `process.cpuUsage()`
 * over them, divided by their number, is the CPU per request. Rounds alternate the variants;
 * the figures are the medians of the rounds. Prints a JSON object as its last line.
 *
 *   npm run build && node dist/libs/service-defaults/bench/request-cost.bench.js [rounds] [requests] [baseline]
 *
 * `baseline`: this script as compiled from another commit (a copy of its `dist`); its `info`
 * and `warn` servers are measured in the same rounds, as `baseline-info` and `baseline-warn`.
 */

const VARIANTS = {
  /** The library as it is, `LOG_LEVEL=info`. */
  info: { logging: true, level: 'info' },
  /** The library as it is, `LOG_LEVEL=warn`: nothing is logged for a request that succeeds. */
  warn: { logging: true, level: 'warn' },
  /** The same app without the logging module and without a logger. */
  none: { logging: false, level: 'info' },
} as const;
type Variant = keyof typeof VARIANTS;
const ROUTES = ['/health/live', '/ping'] as const;
const CONNECTIONS = 16;

type ServerMessage = { type: 'listening'; port: number } | { type: 'cpu'; micros: number };

@AllowAnonymous()
@Controller()
class PingController {
  @Get('ping')
  ping(): { ok: true } {
    return { ok: true };
  }
}

/** An app with or without logging; lines go to /dev/null, so writing them is counted but not a terminal. */
async function buildApp(logging: boolean): Promise<NestExpressApplication> {
  const defaults = ServiceDefaultsModule.forRoot({
    processName: 'bench',
    defaultPort: 0,
    logStream: pino.destination({ dest: '/dev/null', sync: true }),
  });
  if (logging) {
    @Module({ imports: [defaults], controllers: [PingController] })
    class BenchModule {}
    return createHttpService(BenchModule);
  }
  const withoutLogging: DynamicModule = {
    ...defaults,
    imports: (defaults.imports ?? []).filter((imported) => (imported as DynamicModule).module !== LoggingModule),
  };
  @Module({ imports: [withoutLogging], controllers: [PingController] })
  class BenchModule {}
  // createHttpService without its logger: the same body parser and settings.
  const app = await NestFactory.create<NestExpressApplication>(BenchModule, { logger: false, bodyParser: false });
  app.disable('x-powered-by');
  app.useBodyParser('json', {
    limit: MAX_BODY_BYTES,
    strict: false,
    type: ['application/json', 'application/*+json'],
  });
  await app.init();
  return app;
}

async function serve(variant: Variant): Promise<void> {
  const app = await buildApp(VARIANTS[variant].logging);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  let start = process.cpuUsage();
  process.on('message', (message: { type: 'start' | 'stop' }) => {
    if (message.type === 'start') {
      start = process.cpuUsage();
    } else {
      const used = process.cpuUsage(start);
      process.send?.({ type: 'cpu', micros: used.user + used.system } satisfies ServerMessage);
    }
  });
  process.on('disconnect', () => void app.close().then(() => process.exit(0)));
  process.send?.({ type: 'listening', port: address.port } satisfies ServerMessage);
}

class Server {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  /** A server of `variant`, run by `script` (this file, or the same file of another build). */
  static start(variant: Variant, script = __filename): Promise<Server> {
    const child = fork(script, ['serve', variant], {
      env: { ...process.env, LOG_LEVEL: VARIANTS[variant].level, NODE_ENV: 'production' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`${variant} server exited (${code})`)));
      child.once('message', (message: ServerMessage) => {
        if (message.type === 'listening') resolve(new Server(child, message.port));
      });
    });
  }

  /** Server CPU (µs) over `requests` requests of `path`. */
  async measure(path: string, requests: number): Promise<number> {
    this.child.send({ type: 'start' });
    const result = await autocannon({
      url: `http://127.0.0.1:${this.port}${path}`,
      connections: CONNECTIONS,
      pipelining: 1,
      amount: requests,
    } as Parameters<typeof autocannon>[0]);
    if (result['2xx'] !== requests) throw new Error(`${path}: ${result['2xx']} of ${requests} answered 2xx`);
    const cpu = new Promise<number>((resolve) =>
      this.child.once('message', (message: ServerMessage) => {
        if (message.type === 'cpu') resolve(message.micros);
      }),
    );
    this.child.send({ type: 'stop' });
    return cpu;
  }

  stop(): void {
    this.child.removeAllListeners('exit');
    this.child.disconnect();
  }
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

function cpuModel(): string {
  try {
    return /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? 'unknown';
  } catch {
    return cpus()[0]?.model ?? 'unknown';
  }
}

async function coordinate(rounds: number, requests: number, baseline?: string): Promise<void> {
  const servers = new Map<string, Server>();
  for (const variant of Object.keys(VARIANTS) as Variant[]) servers.set(variant, await Server.start(variant));
  if (baseline) {
    servers.set('baseline-info', await Server.start('info', baseline));
    servers.set('baseline-warn', await Server.start('warn', baseline));
  }
  const labels = [...servers.keys()];
  const samples = new Map<string, number[]>();
  try {
    for (let round = 0; round <= rounds; round++) {
      // Round 0 warms up; each round starts with another server, so that drift spreads evenly.
      const order = labels.map((_, index) => labels[(index + round) % labels.length] as string);
      for (const path of ROUTES) {
        for (const label of order) {
          const micros = await (servers.get(label) as Server).measure(path, requests);
          if (round === 0) continue;
          const key = `${label} ${path}`;
          samples.set(key, [...(samples.get(key) ?? []), micros / requests]);
        }
      }
    }
  } finally {
    for (const server of servers.values()) server.stop();
  }
  const cpuUsPerRequest: Record<string, Record<string, number>> = {};
  /** Each server's CPU per request against the same app without logging, measured in the same rounds. */
  const ratioToNone: Record<string, Record<string, number>> = {};
  for (const path of ROUTES) {
    const byLabel: Record<string, number> = {};
    for (const label of labels) {
      const values = samples.get(`${label} ${path}`) ?? [];
      byLabel[label] = Math.round(median(values) * 10) / 10;
      process.stdout.write(`${path.padEnd(14)} ${label.padEnd(14)} ${values.map((v) => v.toFixed(1)).join(' ')}\n`);
    }
    cpuUsPerRequest[path] = byLabel;
    ratioToNone[path] = Object.fromEntries(
      labels.map((label) => [label, Math.round(((byLabel[label] ?? NaN) / (byLabel.none ?? NaN)) * 1000) / 1000]),
    );
  }
  const machine = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpuModel(),
    cores: availableParallelism(),
  };
  process.stdout.write(
    `${JSON.stringify({ machine, rounds, requests, connections: CONNECTIONS, cpuUsPerRequest, ratioToNone })}\n`,
  );
}

if (process.argv[2] === 'serve') {
  void serve(process.argv[3] as Variant);
} else {
  void coordinate(Number(process.argv[2] ?? 7), Number(process.argv[3] ?? 20_000), process.argv[4]).catch(
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}
