import type { RetryPolicy, SagaShape } from './saga-decisions';

/** A command a step sends: request/reply to a service, answered by its `@MessagePattern`. */
export interface SagaCommand {
  readonly service: string;
  readonly pattern: string;
  /** The request's data (a `commandId` derived from the instance, the step and the phase is added). */
  readonly request: Readonly<Record<string, unknown>>;
  /** How long to wait for the reply; the saga's `commandTimeoutMs` by default. */
  readonly timeoutMs?: number;
  /** Request headers beside the data (`RedisStreamsContext.getHeaders()`), e.g. `x-ficus-await`. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** What a forward step's reply (or local work) decides: go on (with the data it changes), or refuse. */
export type StepResult<D> =
  { readonly kind: 'succeeded'; readonly data?: D } | { readonly kind: 'refused'; readonly reason: string };

/** A step's action: a command to another service, or local work (both must be idempotent). */
export type SagaAction<D> =
  | {
      /** The command to send; `null` when there is nothing to ask (a charge of 0 cents): the action succeeds at once. */
      readonly command: (data: D) => SagaCommand | null;
      /** Reads the reply; by default any reply succeeds. */
      readonly reply?: (reply: unknown, data: D) => StepResult<D>;
    }
  | { readonly run: (data: D) => Promise<StepResult<D>> | StepResult<D> };

export type SagaStep<D> = SagaAction<D> & {
  readonly name: string;
  /**
   * Undoes the step (run in reverse order when a later step refuses or fails). It must succeed
   * when the step never took effect (then change nothing), and when run twice.
   */
  readonly compensation?: SagaAction<D>;
};

export interface SagaDefinition<D> {
  /** Stored with each instance: keep it stable. */
  readonly name: string;
  readonly steps: readonly SagaStep<D>[];
  readonly retry?: Partial<RetryPolicy>;
  /** How long a command's reply is waited for (default 5000 ms). */
  readonly commandTimeoutMs?: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 5,
  maxCompensationAttempts: 20,
  baseDelayMs: 200,
  maxDelayMs: 10_000,
};
export const DEFAULT_COMMAND_TIMEOUT_MS = 5_000;

/** A definition checked once, with what the runner needs of it. */
export interface Saga<D> extends SagaDefinition<D> {
  readonly shape: SagaShape;
  readonly policy: RetryPolicy;
  readonly timeoutMs: number;
}

/** A saga of any data, as a runner holds several. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each saga's data type is its own
export type AnySaga = Saga<any>;

const NAME = /^[a-z][a-z0-9-]{0,99}$/;

/**
 * Declares a saga: ordered steps, each a command or local work, with an optional compensation.
 * Throws a `TypeError` naming what is wrong (a name that is not kebab-case, a step name used
 * twice, a retry setting below 1).
 */
export function defineSaga<D>(definition: SagaDefinition<D>): Saga<D> {
  if (!NAME.test(definition.name)) {
    throw new TypeError(`saga name ${JSON.stringify(definition.name)} must be kebab-case (a-z, 0-9, -), at most 100`);
  }
  const seen = new Set<string>();
  for (const step of definition.steps) {
    if (!NAME.test(step.name)) {
      throw new TypeError(`${definition.name}: step name ${JSON.stringify(step.name)} must be kebab-case`);
    }
    if (seen.has(step.name)) throw new TypeError(`${definition.name}: step ${step.name} is declared twice`);
    seen.add(step.name);
  }
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...definition.retry };
  const timeoutMs = definition.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  for (const [field, value] of [...Object.entries(policy), ['commandTimeoutMs', timeoutMs]] as const) {
    if (!Number.isInteger(value) || (value as number) < 1) {
      throw new TypeError(`${definition.name}: ${field} must be a positive integer (got ${String(value)})`);
    }
  }
  return {
    ...definition,
    policy,
    timeoutMs,
    shape: { steps: definition.steps.map((step) => ({ name: step.name, compensates: !!step.compensation })) },
  };
}
