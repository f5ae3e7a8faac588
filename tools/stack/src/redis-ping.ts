import { connect as connectTcp, Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { StackError } from './stack-errors';

export const DEFAULT_REDIS_PORT = 6379;
export const REDIS_PING_TIMEOUT_MS = 2_000;

export interface RedisAddress {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
}

/** Reads `redis://[user:password@]host[:port][/db]` (or `rediss://`); throws a {@link StackError} otherwise. */
export function parseRedisUrl(url: string): RedisAddress {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') || !parsed.hostname) {
    throw new StackError(
      'STACK_CONFIG_INVALID',
      `REDIS_URL is ${JSON.stringify(url)}; allowed: redis://host:port or rediss://host:port (default redis://127.0.0.1:6379)`,
    );
  }
  return {
    url,
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port ? Number(parsed.port) : DEFAULT_REDIS_PORT,
    tls: parsed.protocol === 'rediss:',
  };
}

/**
 * What one `PING` found: a Redis (`+PONG`, or `-NOAUTH` from one that wants the password in
 * `REDIS_URL`), something that is not a usable Redis, or nothing listening (`refused`) or reachable.
 */
export type PingResult =
  | { readonly kind: 'redis' }
  | { readonly kind: 'not-redis'; readonly detail: string }
  | { readonly kind: 'refused' }
  | { readonly kind: 'unreachable'; readonly detail: string };

/** Sends an inline `PING` over TCP (or TLS for `rediss://`) and reads the first reply line. */
export function pingRedis(address: RedisAddress, timeoutMs = REDIS_PING_TIMEOUT_MS): Promise<PingResult> {
  return new Promise((resolve) => {
    const options = { host: address.host, port: address.port };
    const socket: Socket = address.tls ? connectTls({ ...options, servername: address.host }) : connectTcp(options);
    let reply = '';
    let connected = false;
    const done = (result: PingResult) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () =>
      done(
        connected
          ? { kind: 'not-redis', detail: `no answer to PING within ${timeoutMs} ms` }
          : { kind: 'unreachable', detail: `no connection within ${timeoutMs} ms` },
      ),
    );
    socket.once(address.tls ? 'secureConnect' : 'connect', () => {
      connected = true;
      socket.write('PING\r\n');
    });
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('latin1');
      const end = reply.indexOf('\r\n');
      if (end < 0 && reply.length < 512) return;
      const line = (end < 0 ? reply : reply.slice(0, end)).slice(0, 200);
      done(line === '+PONG' || line.startsWith('-NOAUTH') ? { kind: 'redis' } : { kind: 'not-redis', detail: line });
    });
    socket.once('end', () => done({ kind: 'not-redis', detail: 'closed the connection without answering PING' }));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') done({ kind: 'refused' });
      else if (connected) done({ kind: 'not-redis', detail: error.code ?? error.message });
      else done({ kind: 'unreachable', detail: error.code ?? error.message });
    });
  });
}
