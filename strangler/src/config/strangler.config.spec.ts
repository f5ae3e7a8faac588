import { withEnv } from '../../../tools/testing/with-env';
import { DEFAULT_HISTORY_DIR, stranglerConfig } from './strangler.config';

const read = (historyDir: string | undefined, redisUrl?: string) =>
  withEnv(
    { STRANGLER_ADMIN_TOKEN: 'a-token-of-sixteen-chars', STRANGLER_HISTORY_DIR: historyDir, REDIS_URL: redisUrl },
    async () => stranglerConfig(),
  );

describe('the strangler configuration', () => {
  it('keeps the history copy in data/strangler by default', async () => {
    expect(await read(undefined)).toMatchObject({ historyDir: DEFAULT_HISTORY_DIR });
    expect(DEFAULT_HISTORY_DIR).toBe('data/strangler');
  });

  it('takes STRANGLER_HISTORY_DIR as it is', async () => {
    expect(await read('/var/lib/strangler')).toMatchObject({ historyDir: '/var/lib/strangler' });
  });

  it.each([' /var/lib/strangler', '/var/lib/strangler ', '  '])(
    'refuses STRANGLER_HISTORY_DIR=%j, naming it',
    async (value) => {
      await expect(read(value)).rejects.toThrow(
        `STRANGLER_HISTORY_DIR is ${JSON.stringify(value)}; allowed: the folder of this instance’s copy of the rules history, without spaces at either end (default "data/strangler")`,
      );
    },
  );

  it('takes REDIS_URL naming a node of a Redis Cluster (?cluster=true)', async () => {
    const url = 'redis://redis-0.redis:6379?cluster=true';
    expect(await read(undefined, url)).toMatchObject({ redisUrl: url });
  });

  it.each(['redis://redis:6379?cluster=yes', 'redis://redis:6379/2?cluster=true', 'http://redis:6379'])(
    'refuses REDIS_URL=%j, naming it',
    async (value) => {
      await expect(read(undefined, value)).rejects.toThrow(
        `REDIS_URL is ${JSON.stringify(value)}; allowed: a URL with scheme redis:// or rediss://, and ?cluster=true when it names a node of a Redis Cluster (default redis://127.0.0.1:6379)`,
      );
    },
  );
});
