import { ConfigValidationError } from '@app/service-defaults';
import { readOutboxConfig } from './outbox.config';

describe('the outbox configuration', () => {
  it('has a documented default for every variable', () => {
    expect(readOutboxConfig({})).toEqual({
      redisUrl: 'redis://127.0.0.1:6379',
      redisPrefix: 'ficus:',
      pollIntervalMs: 1_000,
      batchSize: 100,
      outboxRetentionMs: 24 * 3_600_000,
      inboxRetentionMs: 168 * 3_600_000,
      purgeIntervalMs: 3_600_000,
      maxLagMs: 60_000,
      retryMaxDelayMs: 30_000,
      consistencyWaitMs: 2_000,
    });
  });

  it('reads the variables', () => {
    expect(
      readOutboxConfig({
        REDIS_URL: 'rediss://cache:6380',
        REDIS_PREFIX: 'shop:',
        OUTBOX_POLL_INTERVAL_MS: '250',
        OUTBOX_BATCH_SIZE: '500',
        OUTBOX_RETENTION_HOURS: '48',
        INBOX_RETENTION_HOURS: '24',
        OUTBOX_PURGE_INTERVAL_MS: '60000',
        OUTBOX_MAX_LAG_MS: '5000',
        OUTBOX_RETRY_MAX_DELAY_MS: '1000',
        CONSISTENCY_WAIT_MS: '0',
      }),
    ).toEqual({
      redisUrl: 'rediss://cache:6380',
      redisPrefix: 'shop:',
      pollIntervalMs: 250,
      batchSize: 500,
      outboxRetentionMs: 48 * 3_600_000,
      inboxRetentionMs: 24 * 3_600_000,
      purgeIntervalMs: 60_000,
      maxLagMs: 5_000,
      retryMaxDelayMs: 1_000,
      consistencyWaitMs: 0,
    });
  });

  it('names every bad variable', () => {
    let error: unknown;
    try {
      readOutboxConfig({
        REDIS_URL: 'http://x',
        OUTBOX_BATCH_SIZE: '0',
        OUTBOX_POLL_INTERVAL_MS: 'soon',
        CONSISTENCY_WAIT_MS: '60001',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const problems = (error as ConfigValidationError).problems.join('\n');
    expect(problems).toMatch(/REDIS_URL is "http:\/\/x"/);
    expect(problems).toMatch(/OUTBOX_BATCH_SIZE is "0"; allowed: an integer from 1 to 10000/);
    expect(problems).toMatch(/OUTBOX_POLL_INTERVAL_MS is "soon"/);
    expect(problems).toMatch(/CONSISTENCY_WAIT_MS is "60001"; allowed: an integer from 0 to 60000 \(default 2000\)/);
  });

  it('takes a node of a Redis Cluster (?cluster=true), and refuses another say on clustering', () => {
    const url = 'redis://redis-0.redis:6379?cluster=true';
    expect(readOutboxConfig({ REDIS_URL: url }).redisUrl).toBe(url);
    expect(() => readOutboxConfig({ REDIS_URL: 'redis://redis-0.redis:6379?cluster=yes' })).toThrow(
      /REDIS_URL is "redis:\/\/redis-0.redis:6379\?cluster=yes"; allowed: .*\?cluster=true when it names a node of a Redis Cluster/,
    );
  });
});
