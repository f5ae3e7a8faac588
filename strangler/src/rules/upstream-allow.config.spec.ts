import { withEnv } from '../../../tools/testing/with-env';
import { upstreamAllowConfig } from './upstream-allow.config';

const read = (value: string | undefined) =>
  withEnv({ STRANGLER_UPSTREAM_ALLOW: value }, async () => upstreamAllowConfig());

describe('the upstream allow-list configuration', () => {
  it.each([undefined, ''])('leaves the default (loopback and the rules file’s hosts) when %j', async (value) => {
    expect(await read(value)).toEqual({ allow: undefined });
  });

  it('takes comma-separated entries, trimmed', async () => {
    expect(await read(' 10.0.0.0/8, catalog.internal:3001 ,*.svc,[fd00::1]:8080')).toEqual({
      allow: ['10.0.0.0/8', 'catalog.internal:3001', '*.svc', '[fd00::1]:8080'],
    });
  });

  it.each<[string, string]>([
    ['10.0.0.0/33', '"10.0.0.0/33" is not a CIDR network'],
    ['catalog,,legacy', '"" is empty'],
    ['http://catalog:3001', '"http://catalog:3001" is a URL'],
    ['catalog:99999', '"catalog:99999" has a port that is not 1 to 65535'],
  ])('refuses STRANGLER_UPSTREAM_ALLOW=%j, naming the entry and what is allowed', async (value, why) => {
    await expect(read(value)).rejects.toThrow(`STRANGLER_UPSTREAM_ALLOW is ${JSON.stringify(value)}: ${why}`);
    await expect(read(value)).rejects.toThrow(
      /allowed: comma-separated hosts, addresses, host:port, \*\.domain or CIDR/,
    );
  });
});
