/** What the coordinator asks the reader's process: read `count` entries of the stream `key`. */
export interface ReadCommand {
  readonly type: 'read';
  readonly key: string;
  readonly count: number;
  readonly timeoutMs: number;
}

export type ReaderCommand = ReadCommand | { readonly type: 'stop' };

/** The entries' order ids and when each reached the reader (monotonic ms), in stream order. */
export interface Arrivals {
  readonly orderIds: string[];
  readonly atMs: number[];
}

export type ReaderReply =
  | { readonly type: 'ready' }
  | ({ readonly type: 'arrivals' } & Arrivals)
  | { readonly type: 'failed'; readonly error: string };
