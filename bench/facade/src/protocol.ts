/** How every process of the benchmark is started: `node <script> <json>`. */
export interface UpstreamArguments {
  readonly bodyBytes: number;
}

export interface ProxyArguments {
  readonly contender: string;
  /** The stub upstream, e.g. `http://127.0.0.1:40123`. */
  readonly upstreamUrl: string;
  /** Routes in the facade's rule table (facade contenders only). */
  readonly rules?: number;
}

export interface LoadRun {
  readonly type: 'run';
  readonly url: string;
  readonly connections: number;
  readonly seconds: number;
}

/** What the load generator measured in one round. */
export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly responses: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly bytesPerResponse: number;
}

export type Command = LoadRun | { readonly type: 'cpu' } | { readonly type: 'stop' };

export type Reply =
  | { readonly type: 'ready'; readonly port?: number; readonly detail?: string }
  | ({ readonly type: 'result' } & LoadResult)
  /** The process's CPU time so far (`process.cpuUsage()`, µs). */
  | { readonly type: 'cpu'; readonly userUs: number; readonly systemUs: number }
  | { readonly type: 'stopped' }
  | { readonly type: 'failed'; readonly error: string };

export const describeError = (error: unknown) =>
  error instanceof Error ? (error.stack ?? error.message) : String(error);
