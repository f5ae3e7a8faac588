import type { BenchConfig } from './config';

/** What the coordinator asks a contender's process to do, one round at a time. */
export type WorkerCommand =
  | { readonly type: 'events'; readonly count: number }
  | { readonly type: 'requests'; readonly count: number; readonly callers: number }
  | { readonly type: 'stop' };

/** What a contender's process answers. */
export type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'events'; readonly ms: number }
  | { readonly type: 'requests'; readonly ms: number; readonly p50Ms: number; readonly p99Ms: number }
  | { readonly type: 'stopped' }
  | { readonly type: 'failed'; readonly error: string };

/** How a contender's process is started: `node worker.js <json>`. */
export interface WorkerArguments {
  readonly contender: string;
  readonly config: BenchConfig;
}
