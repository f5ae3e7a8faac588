import { request } from 'node:http';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export const READY_POLL_INTERVAL_MS = 200;
const PROBE_TIMEOUT_MS = 2_000;

/** Outcome of one readiness probe: the HTTP status, or why there was none. */
export type ProbeResult = { readonly status: number } | { readonly error: string };

/** `GET url` once, with a short timeout and no keep-alive. */
export function probe(url: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    req.once('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.once('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end();
  });
}

export function describeProbe(result: ProbeResult): string {
  return 'status' in result ? `last answer: HTTP ${result.status}` : `last attempt: ${result.error}`;
}

export type Readiness = { readonly ready: true } | { readonly ready: false; readonly last: ProbeResult };

/**
 * Polls `url` until it answers 200 or `timeoutMs` passes, and says which happened (with the
 * last probe's result); rejects with the abort reason when `signal` aborts.
 */
export async function waitUntilReady(
  url: string,
  options: { readonly timeoutMs: number; readonly signal?: AbortSignal; readonly intervalMs?: number },
): Promise<Readiness> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    options.signal?.throwIfAborted();
    const last = await probe(url, Math.min(PROBE_TIMEOUT_MS, Math.max(1, deadline - Date.now())));
    if ('status' in last && last.status === 200) return { ready: true };
    const left = deadline - Date.now();
    if (left <= 0) return { ready: false, last };
    await sleep(Math.min(options.intervalMs ?? READY_POLL_INTERVAL_MS, left), undefined, { signal: options.signal });
  }
}

/** Whether something accepts TCP connections at `host:port`. */
export function isListening(host: string, port: number, timeoutMs = PROBE_TIMEOUT_MS): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (listening: boolean) => {
      socket.destroy();
      resolve(listening);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
