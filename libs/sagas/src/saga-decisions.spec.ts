import {
  type RetryPolicy,
  type SagaEvent,
  type SagaShape,
  type SagaState,
  SagaTransitionError,
  decide,
  retryCompensation,
  retryDelay,
  startSaga,
} from './saga-decisions';

/** The order saga's shape: price (nothing to undo), reserve, charge, approve (nothing to undo). */
const ORDER: SagaShape = {
  steps: [
    { name: 'price', compensates: false },
    { name: 'reserve', compensates: true },
    { name: 'charge', compensates: true },
    { name: 'approve', compensates: false },
  ],
};
const POLICY: RetryPolicy = { maxAttempts: 3, maxCompensationAttempts: 4, baseDelayMs: 100, maxDelayMs: 250 };
const NOW = 1_000_000;

const running = (step: number, attempt = 1): SagaState => ({ status: 'RUNNING', step, attempt });
const compensating = (step: number, attempt = 1, reason = 'OUT_OF_STOCK', failed = 'charge'): SagaState => ({
  status: 'COMPENSATING',
  step,
  attempt,
  failure: { step: failed, reason },
});
const succeeded: SagaEvent = { kind: 'succeeded' };
const compensated: SagaEvent = { kind: 'compensated' };
const transient: SagaEvent = { kind: 'transient', error: 'no reply within 2000 ms' };
const refused = (reason: string): SagaEvent => ({ kind: 'refused', reason });

describe('the saga’s transitions', () => {
  it('starts with its first step, now; a saga without steps is completed at once', () => {
    expect(startSaga(ORDER, NOW)).toMatchObject({
      state: running(0),
      next: { kind: 'send', phase: 'forward', step: 0, attempt: 1, at: NOW },
    });
    expect(startSaga({ steps: [] }, NOW)).toMatchObject({
      state: { status: 'COMPLETED' },
      next: { kind: 'end', status: 'COMPLETED' },
    });
  });

  it.each<[string, SagaState, SagaEvent, Partial<SagaState>, object]>([
    [
      'a step done goes to the next',
      running(1),
      succeeded,
      running(2),
      { kind: 'send', phase: 'forward', step: 2, attempt: 1, at: NOW },
    ],
    [
      'the last step done completes',
      running(3),
      succeeded,
      { status: 'COMPLETED' },
      { kind: 'end', status: 'COMPLETED' },
    ],
    [
      'a refusal compensates the completed steps, last first, skipping those with nothing to undo',
      running(2),
      refused('INSUFFICIENT_FUNDS'),
      { status: 'COMPENSATING', step: 1, attempt: 1, failure: { step: 'charge', reason: 'INSUFFICIENT_FUNDS' } },
      { kind: 'send', phase: 'compensate', step: 1, attempt: 1, at: NOW },
    ],
    [
      'a refusal with nothing completed to undo fails at once',
      running(1),
      refused('OUT_OF_STOCK'),
      { status: 'FAILED', failure: { step: 'reserve', reason: 'OUT_OF_STOCK' } },
      { kind: 'end', status: 'FAILED' },
    ],
    [
      'a transient error tries again after the base delay',
      running(2, 1),
      transient,
      running(2, 2),
      { kind: 'send', phase: 'forward', step: 2, attempt: 2, at: NOW + 100 },
    ],
    [
      'the delay doubles, up to its bound',
      running(2, 2),
      transient,
      running(2, 3),
      { kind: 'send', step: 2, attempt: 3, at: NOW + 200 },
    ],
    [
      'past the last try the step counts as failed and is compensated itself, with those before it',
      running(2, 3),
      transient,
      { status: 'COMPENSATING', step: 2, attempt: 1, failure: { step: 'charge', reason: 'STEP_FAILED' } },
      { kind: 'send', phase: 'compensate', step: 2, attempt: 1, at: NOW },
    ],
    [
      'past the last try of a step with nothing to undo, those before it are compensated',
      running(3, 3),
      transient,
      { status: 'COMPENSATING', step: 2, failure: { step: 'approve', reason: 'STEP_FAILED' } },
      { kind: 'send', phase: 'compensate', step: 2 },
    ],
    [
      'past the last try of the first step, nothing is left to undo',
      running(0, 3),
      transient,
      { status: 'FAILED', failure: { step: 'price', reason: 'STEP_FAILED' } },
      { kind: 'end', status: 'FAILED' },
    ],
    [
      'a compensation done goes to the one before, keeping why the saga failed',
      compensating(2),
      compensated,
      compensating(1),
      { kind: 'send', phase: 'compensate', step: 1, attempt: 1, at: NOW },
    ],
    [
      'the last compensation done fails the saga, with its reason',
      compensating(1),
      compensated,
      { status: 'FAILED', failure: { step: 'charge', reason: 'OUT_OF_STOCK' } },
      { kind: 'end', status: 'FAILED' },
    ],
    [
      'a compensation is tried again on a transient error',
      compensating(1, 1),
      transient,
      compensating(1, 2),
      { kind: 'send', phase: 'compensate', step: 1, attempt: 2, at: NOW + 100 },
    ],
    [
      'a compensation past its last try stops the instance, for a person to look at',
      compensating(1, 4),
      transient,
      { status: 'COMPENSATION_FAILED', step: 1, attempt: 4 },
      { kind: 'end', status: 'COMPENSATION_FAILED' },
    ],
  ])('%s', (_why, state, event, expected, next) => {
    const decision = decide(ORDER, state, event, POLICY, NOW);
    expect(decision.state).toMatchObject(expected);
    expect(decision.next).toMatchObject(next);
    expect(decision.note).not.toBe('');
  });

  it.each<[string, SagaState, SagaEvent]>([
    ['a forward step is not compensated', running(1), compensated],
    ['a compensation does not succeed forward', compensating(1), succeeded],
    ['a compensation is not refused', compensating(1), refused('OUT_OF_STOCK')],
    ['a completed instance takes no event', { status: 'COMPLETED', step: 3, attempt: 1 }, succeeded],
    ['a failed instance takes no event', { status: 'FAILED', step: 1, attempt: 0 }, transient],
    ['a stuck one waits for a person', { status: 'COMPENSATION_FAILED', step: 1, attempt: 4 }, compensated],
  ])('refuses what cannot happen: %s', (_why, state, event) => {
    expect(() => decide(ORDER, state, event, POLICY, NOW)).toThrow(SagaTransitionError);
  });

  it('retries a stuck compensation from its first try, and nothing else', () => {
    const stuck: SagaState = {
      status: 'COMPENSATION_FAILED',
      step: 1,
      attempt: 4,
      failure: { step: 'charge', reason: 'X' },
    };
    expect(retryCompensation(ORDER, stuck, NOW)).toMatchObject({
      state: { status: 'COMPENSATING', step: 1, attempt: 1, failure: { step: 'charge', reason: 'X' } },
      next: { kind: 'send', phase: 'compensate', step: 1, attempt: 1, at: NOW },
    });
    expect(() => retryCompensation(ORDER, running(1), NOW)).toThrow(SagaTransitionError);
  });

  it('waits the base delay before the second try, doubling to the bound', () => {
    expect([2, 3, 4, 5].map((attempt) => retryDelay(POLICY, attempt))).toEqual([100, 200, 250, 250]);
  });
});
