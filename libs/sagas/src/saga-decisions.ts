/**
 * The saga's transitions, as pure decisions: given where an instance is and what just happened
 * to its current action, where it goes and what it does next. No I/O, no clock of its own (the
 * time is given), so that every transition is a row of a table in the tests.
 */

/** Where an instance is. `COMPLETED`, `FAILED` and `COMPENSATION_FAILED` are ends (the last until retried). */
export type SagaStatus = 'RUNNING' | 'COMPENSATING' | 'COMPLETED' | 'FAILED' | 'COMPENSATION_FAILED';

export const FINAL_STATUSES: readonly SagaStatus[] = ['COMPLETED', 'FAILED', 'COMPENSATION_FAILED'];
/** The statuses of an instance under way: a runner advances it when its action is due. */
export const ACTIVE_STATUSES: readonly SagaStatus[] = ['RUNNING', 'COMPENSATING'];

/** Forward steps run in order; compensations of the completed ones run in reverse order. */
export type SagaPhase = 'forward' | 'compensate';

/** What the decisions need to know of a saga's declaration. */
export interface SagaShape {
  readonly steps: readonly { readonly name: string; readonly compensates: boolean }[];
}

/** How often an action is tried, and how long between tries. */
export interface RetryPolicy {
  /** Tries of a forward step before it counts as failed (`STEP_FAILED`): at least 1. */
  readonly maxAttempts: number;
  /** Tries of a compensation before the instance stops as `COMPENSATION_FAILED`: at least 1. */
  readonly maxCompensationAttempts: number;
  /** The wait before the second try; doubled each try after, up to {@link maxDelayMs}. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export interface SagaState {
  readonly status: SagaStatus;
  /** The step whose action is current: run forward, or compensated. */
  readonly step: number;
  /** The try of the current action, from 1. */
  readonly attempt: number;
  /** Why the forward steps stopped: a step's business reason, or `STEP_FAILED` after its last try. */
  readonly failure?: { readonly step: string; readonly reason: string };
}

/** What happened to the current action. */
export type SagaEvent =
  /** A forward step's reply said go on. */
  | { readonly kind: 'succeeded' }
  /** A forward step's reply refused, for a business reason (it changed nothing): the completed steps are compensated. */
  | { readonly kind: 'refused'; readonly reason: string }
  /**
   * No usable answer (sending failed, no reply by the deadline, a transient error): tried again,
   * bounded; past the last try the step counts as failed and is compensated with those before it.
   */
  | { readonly kind: 'transient'; readonly error: string }
  /** A compensation's reply said it is done. */
  | { readonly kind: 'compensated' };

/** What the instance does next. */
export type SagaAction =
  | {
      readonly kind: 'send';
      readonly phase: SagaPhase;
      readonly step: number;
      readonly attempt: number;
      /** When to send it (epoch ms): now, or after a backoff. */
      readonly at: number;
    }
  | { readonly kind: 'end'; readonly status: SagaStatus };

export interface SagaDecision {
  readonly state: SagaState;
  readonly next: SagaAction;
  /** A line for the instance's history: what was decided, and why. */
  readonly note: string;
}

/** Thrown for an event that cannot happen where the instance is: a bug of the caller. */
export class SagaTransitionError extends Error {}

/** The wait before try `attempt` (2 or more) of an action. */
export function retryDelay(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 2));
}

/** A new instance: its first step, now. A saga without steps completes at once. */
export function startSaga(shape: SagaShape, now: number): SagaDecision {
  if (shape.steps.length === 0) {
    return { state: { status: 'COMPLETED', step: 0, attempt: 0 }, next: end('COMPLETED'), note: 'no steps' };
  }
  const state: SagaState = { status: 'RUNNING', step: 0, attempt: 1 };
  return { state, next: send('forward', 0, 1, now), note: `start: ${stepName(shape, 0)}` };
}

/** Where `event` takes an instance at `state`, and what it does next. */
export function decide(
  shape: SagaShape,
  state: SagaState,
  event: SagaEvent,
  policy: RetryPolicy,
  now: number,
): SagaDecision {
  if (state.status === 'RUNNING') return decideForward(shape, state, event, policy, now);
  if (state.status === 'COMPENSATING') return decideCompensation(shape, state, event, policy, now);
  throw new SagaTransitionError(`an instance that is ${state.status} takes no event (got ${event.kind})`);
}

/**
 * `COMPENSATION_FAILED`, retried by a person: the compensation it stopped at, tried again from its
 * first try. Without the saga's shape (a tool that has not its declaration), the step is named by
 * its number.
 */
export function retryCompensation(shape: SagaShape | undefined, state: SagaState, now: number): SagaDecision {
  if (state.status !== 'COMPENSATION_FAILED') {
    throw new SagaTransitionError(`only a COMPENSATION_FAILED instance is retried (this one is ${state.status})`);
  }
  const next: SagaState = { ...state, status: 'COMPENSATING', attempt: 1 };
  const name = shape ? stepName(shape, state.step) : `step ${state.step + 1}`;
  return { state: next, next: send('compensate', state.step, 1, now), note: `retry: ${name}` };
}

function decideForward(
  shape: SagaShape,
  state: SagaState,
  event: SagaEvent,
  policy: RetryPolicy,
  now: number,
): SagaDecision {
  const name = stepName(shape, state.step);
  switch (event.kind) {
    case 'succeeded': {
      const following = state.step + 1;
      if (following >= shape.steps.length) {
        return {
          state: { status: 'COMPLETED', step: state.step, attempt: state.attempt },
          next: end('COMPLETED'),
          note: `${name}: done; completed`,
        };
      }
      return {
        state: { status: 'RUNNING', step: following, attempt: 1 },
        next: send('forward', following, 1, now),
        note: `${name}: done; next ${stepName(shape, following)}`,
      };
    }
    case 'refused':
      return compensateBefore(
        shape,
        state.step,
        { step: name, reason: event.reason },
        now,
        `${name}: refused (${event.reason})`,
      );
    case 'transient': {
      const again = tryAgain(state, 'forward', policy.maxAttempts, policy, now, `${name}: ${event.error}`);
      if (again) return again;
      // It may have taken effect with its reply lost: it is compensated too (a compensation of a
      // step that never took effect must succeed and change nothing).
      return compensateBefore(
        shape,
        state.step + 1,
        { step: name, reason: 'STEP_FAILED' },
        now,
        `${name}: ${event.error}; no try left`,
      );
    }
    case 'compensated':
      throw new SagaTransitionError(`a forward step (${name}) cannot be compensated`);
  }
}

function decideCompensation(
  shape: SagaShape,
  state: SagaState,
  event: SagaEvent,
  policy: RetryPolicy,
  now: number,
): SagaDecision {
  const name = stepName(shape, state.step);
  switch (event.kind) {
    case 'compensated':
      return compensateBefore(shape, state.step, state.failure, now, `${name}: compensated`);
    case 'transient': {
      const why = `compensating ${name}: ${event.error}`;
      const again = tryAgain(state, 'compensate', policy.maxCompensationAttempts, policy, now, why);
      if (again) return again;
      return {
        state: { ...state, status: 'COMPENSATION_FAILED' },
        next: end('COMPENSATION_FAILED'),
        note: `compensating ${name}: ${event.error}; no try left`,
      };
    }
    case 'succeeded':
    case 'refused':
      throw new SagaTransitionError(`a compensation (${name}) takes no ${event.kind} reply`);
  }
}

/** The same action once more after its backoff, while tries are left (`max` in all); else `undefined`. */
function tryAgain(
  state: SagaState,
  phase: SagaPhase,
  max: number,
  policy: RetryPolicy,
  now: number,
  why: string,
): SagaDecision | undefined {
  if (state.attempt >= max) return undefined;
  const attempt = state.attempt + 1;
  return {
    state: { ...state, attempt },
    next: send(phase, state.step, attempt, now + retryDelay(policy, attempt)),
    note: `${why}; try ${attempt} of ${max}`,
  };
}

/**
 * Compensates, in reverse order, the steps before `step` that have a compensation; `FAILED` once
 * none is left.
 */
function compensateBefore(
  shape: SagaShape,
  step: number,
  failure: SagaState['failure'],
  now: number,
  why: string,
): SagaDecision {
  for (let previous = step - 1; previous >= 0; previous -= 1) {
    if (!shape.steps[previous]?.compensates) continue;
    return {
      state: { status: 'COMPENSATING', step: previous, attempt: 1, failure },
      next: send('compensate', previous, 1, now),
      note: `${why}; compensate ${stepName(shape, previous)}`,
    };
  }
  return { state: { status: 'FAILED', step, attempt: 0, failure }, next: end('FAILED'), note: `${why}; failed` };
}

const send = (phase: SagaPhase, step: number, attempt: number, at: number): SagaAction => ({
  kind: 'send',
  phase,
  step,
  attempt,
  at,
});

const end = (status: SagaStatus): SagaAction => ({ kind: 'end', status });

function stepName(shape: SagaShape, step: number): string {
  const found = shape.steps[step];
  if (!found) throw new SagaTransitionError(`the saga has no step ${step}`);
  return found.name;
}
