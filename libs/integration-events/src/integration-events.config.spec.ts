import { ConfigValidationError } from '@app/service-defaults';
import { readIntegrationEventsConfig } from './integration-events.config';

function problemsOf(source: Record<string, string>): readonly string[] {
  try {
    readIntegrationEventsConfig(source);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('the events configuration', () => {
  it('has a documented default for every variable', () => {
    expect(readIntegrationEventsConfig({})).toEqual({
      redisUrl: 'redis://127.0.0.1:6379',
      redisPrefix: 'ficus:',
      concurrency: 16,
      maxDeliveries: 20,
      retryBaseDelayMs: 50,
      retryMaxDelayMs: 5_000,
      claimIdleMs: 30_000,
      livenessTtlMs: 5_000,
      heartbeatIntervalMs: 1_000,
      parkedCheckMs: 1_000,
      gapRepairMs: 3_000,
      gapReadyLimitMs: 30_000,
    });
  });

  it('reads the liveness of a consumer from EVENTS_LIVENESS_TTL_MS and EVENTS_HEARTBEAT_INTERVAL_MS', () => {
    expect(
      readIntegrationEventsConfig({ EVENTS_LIVENESS_TTL_MS: '2000', EVENTS_HEARTBEAT_INTERVAL_MS: '250' }),
    ).toMatchObject({ livenessTtlMs: 2_000, heartbeatIntervalMs: 250 });
  });

  it('refuses a heartbeat that is not shorter than the liveness expiry', () => {
    const problems = problemsOf({ EVENTS_LIVENESS_TTL_MS: '1000', EVENTS_HEARTBEAT_INTERVAL_MS: '1000' });
    expect(problems).toEqual([
      expect.stringMatching(/^EVENTS_HEARTBEAT_INTERVAL_MS is 1000; allowed: below EVENTS_LIVENESS_TTL_MS \(1000\)/),
    ]);
  });

  it('names every bad variable', () => {
    const problems = problemsOf({ EVENTS_LIVENESS_TTL_MS: 'soon', EVENTS_GAP_REPAIR_MS: '0', REDIS_URL: 'http://x' });
    expect(problems.map((problem) => problem.split(' ')[0])).toEqual([
      'REDIS_URL',
      'EVENTS_LIVENESS_TTL_MS',
      'EVENTS_GAP_REPAIR_MS',
    ]);
  });
});
