/** How the coordinator drives its forked workers (the facade, the load generator) over IPC. */

export interface FacadeArguments {
  /** The monolith, e.g. `http://127.0.0.1:40123`. */
  readonly legacyUrl: string;
  readonly catalogUrl: string;
  /** Where the `consistencyOn` plane keeps the positions of writes: the run's Redis and prefix. */
  readonly redisUrl: string;
  readonly prefix: string;
  /** Set when the facade is profiled (`BENCH_CPU_PROF=facade`): where `SIGUSR2` writes the profile. */
  readonly cpuProfileFile?: string;
}

/** An aggregate (`aggregateId`) or a collection (none) of a route's `consistency`, resolved. */
export interface AwaitedKeyArgument {
  readonly aggregateType: string;
  readonly aggregateId?: string;
}

/** Asks the facade how many positions a request naming each set of keys would carry now. */
export interface PositionsQuery {
  readonly type: 'positions';
  readonly requests: readonly (readonly AwaitedKeyArgument[])[];
}

export interface LoadRun {
  readonly type: 'run';
  /** Origin of the facade side under load, e.g. `http://127.0.0.1:40125`. */
  readonly baseUrl: string;
  /** Request paths, asked in turn (each connection takes the next one). */
  readonly paths: readonly string[];
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

export type Command = LoadRun | PositionsQuery | { readonly type: 'stop' };

export type Reply =
  | { readonly type: 'ready'; readonly ports?: Readonly<Record<string, number>>; readonly detail?: string }
  | ({ readonly type: 'result' } & LoadResult)
  /**
   * Per request of a {@link PositionsQuery}: the positions read (null: Redis did not answer); how
   * many the facade's memory answered; the writes whose positions the plane kept, and its reads
   * so far by where they were answered.
   */
  | {
      readonly type: 'positions';
      readonly counts: readonly (number | null)[];
      readonly recorded: number;
      readonly fromMemory: number;
      readonly reads: { readonly memory: number; readonly redis: number };
    }
  | { readonly type: 'stopped' }
  | { readonly type: 'failed'; readonly error: string };

export const describeError = (error: unknown) =>
  error instanceof Error ? (error.stack ?? error.message) : String(error);
