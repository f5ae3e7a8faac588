import { CircuitBreaker, type CircuitState } from './circuit-breaker';

const settings = { consecutiveFailures: 3, errorRate: 0.5, windowSize: 4, openMs: 1_000 };

function breaker(overrides: Partial<typeof settings> = {}) {
  const changes: CircuitState[] = [];
  const instance = new CircuitBreaker({ ...settings, ...overrides }, 0, (state) => changes.push(state));
  return { instance, changes };
}

describe('CircuitBreaker', () => {
  it('opens after N consecutive failures; an answer in between restarts the count', () => {
    const { instance, changes } = breaker({ windowSize: 100 });
    instance.record('failure', false, 1);
    instance.record('failure', false, 2);
    instance.record('error', false, 3); // a 5xx answer: the upstream is reachable
    instance.record('failure', false, 4);
    instance.record('failure', false, 5);
    expect(instance.state).toBe('closed');
    instance.record('failure', false, 6);
    expect(instance.state).toBe('open');
    expect(changes).toEqual(['open']);
  });

  it('opens when the error rate of a full window reaches the limit, 5xx answers included', () => {
    const { instance } = breaker({ consecutiveFailures: 100 });
    instance.record('error', false, 1);
    instance.record('ok', false, 2);
    instance.record('error', false, 3);
    expect(instance.state).toBe('closed'); // the window is not full yet
    instance.record('ok', false, 4);
    expect(instance.state).toBe('open'); // 2 of 4
  });

  it('slides its window: old outcomes stop counting', () => {
    const { instance } = breaker({ consecutiveFailures: 100, errorRate: 0.75 });
    for (const outcome of ['error', 'error', 'ok', 'ok', 'ok', 'error', 'error'] as const)
      instance.record(outcome, false, 1);
    expect(instance.state).toBe('closed'); // the last four hold two errors
    instance.record('error', false, 2);
    expect(instance.state).toBe('open');
  });

  it('rejects while open, lets one probe through after openMs, and closes on its success', () => {
    const { instance, changes } = breaker({ consecutiveFailures: 1 });
    instance.record('failure', false, 0);
    expect(instance.admit(999)).toBe('reject');
    expect(instance.admit(1_000)).toBe('probe');
    expect(instance.state).toBe('half-open');
    expect(instance.admit(1_001)).toBe('reject');
    instance.record('ok', true, 1_050);
    expect(instance.state).toBe('closed');
    expect(instance.admit(1_051)).toBe('pass');
    expect(changes).toEqual(['open', 'half-open', 'closed']);
  });

  it('opens again when the probe fails or is answered 5xx, and frees the probe when it is abandoned', () => {
    const { instance } = breaker({ consecutiveFailures: 1 });
    instance.record('failure', false, 0);
    expect(instance.admit(1_000)).toBe('probe');
    instance.record('error', true, 1_010);
    expect(instance.state).toBe('open');
    expect(instance.admit(1_500)).toBe('reject');
    expect(instance.admit(2_010)).toBe('probe');
    instance.releaseProbe();
    expect(instance.admit(2_020)).toBe('probe');
  });

  it('ignores outcomes of calls made before it opened', () => {
    const { instance } = breaker({ consecutiveFailures: 1 });
    instance.record('failure', false, 0);
    instance.record('ok', false, 1);
    expect(instance.state).toBe('open');
  });
});
