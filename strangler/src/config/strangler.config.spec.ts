import { withEnv } from '../../../tools/testing/with-env';
import { DEFAULT_HISTORY_DIR, stranglerConfig } from './strangler.config';

const read = (historyDir: string | undefined) =>
  withEnv({ STRANGLER_ADMIN_TOKEN: 'a-token-of-sixteen-chars', STRANGLER_HISTORY_DIR: historyDir }, async () =>
    stranglerConfig(),
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
});
