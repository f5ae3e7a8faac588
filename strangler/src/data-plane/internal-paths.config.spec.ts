import { withEnv } from '../../../tools/testing/with-env';
import { DEFAULT_INTERNAL_PATHS } from './internal-paths';
import { internalPathsConfig } from './internal-paths.config';

const read = (value: string | undefined) =>
  withEnv({ STRANGLER_INTERNAL_PATHS: value }, async () => internalPathsConfig());

describe('the internal paths configuration', () => {
  it('keeps the upstreams’ metrics, health and API docs off the public port by default', async () => {
    expect(await read(undefined)).toEqual({ internalPaths: DEFAULT_INTERNAL_PATHS });
    expect(DEFAULT_INTERNAL_PATHS).toEqual(['/metrics', '/health/**', '/api-docs*/**']);
  });

  it('takes comma-separated patterns, trimmed, or none', async () => {
    expect(await read('/metrics, /debug/**')).toEqual({ internalPaths: ['/metrics', '/debug/**'] });
    expect(await read('none')).toEqual({ internalPaths: [] });
  });

  it.each<[string, string]>([
    ['metrics', '"metrics" must start with /'],
    ['/metrics,/**/x', '"/**/x" may use ** only as its last segment'],
    ['/a b', '"/a b" has a segment that is not a path segment'],
  ])('refuses STRANGLER_INTERNAL_PATHS=%j, naming the pattern', async (value, why) => {
    await expect(read(value)).rejects.toThrow(`STRANGLER_INTERNAL_PATHS is ${JSON.stringify(value)}: ${why}`);
  });
});
