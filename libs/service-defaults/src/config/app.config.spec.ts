import { withEnv } from '../../../../tools/testing/with-env';
import { createAppConfig } from './app.config';
import { ConfigValidationError } from './env-schema';

const read = (env: Record<string, string | undefined>, host?: { variable: string; default: string }) =>
  withEnv(env, async () => createAppConfig('demo', 3000, host)());

describe('the app configuration: where a process listens', () => {
  it('listens on 127.0.0.1 unless HOST says otherwise', async () => {
    expect(await read({ HOST: undefined })).toMatchObject({ host: '127.0.0.1', port: 3000 });
  });

  it.each(['0.0.0.0', '::', '::1', '10.1.2.3'])('takes HOST=%s', async (host) => {
    expect(await read({ HOST: host })).toMatchObject({ host });
  });

  it.each(['localhost', 'my-box', '127.0.0.1 ', '0.0.0.0:3000', '300.1.1.1'])(
    'refuses HOST=%j at start with CONFIG_INVALID, naming it',
    async (host) => {
      const failure = await read({ HOST: host }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ConfigValidationError);
      expect(failure).toMatchObject({ code: 'CONFIG_INVALID' });
      expect((failure as ConfigValidationError).problems).toEqual([
        `HOST is ${JSON.stringify(host)}; allowed: an IP address to listen on: 127.0.0.1 (this machine only), 0.0.0.0 (every IPv4 interface), :: (every interface) or one interface’s address (default 127.0.0.1)`,
      ]);
    },
  );

  it('reads the variable and default a process names instead of HOST', async () => {
    const admin = { variable: 'ADMIN_HOST', default: '127.0.0.1' };
    expect(await read({ HOST: '0.0.0.0', ADMIN_HOST: undefined }, admin)).toMatchObject({ host: '127.0.0.1' });
    expect(await read({ ADMIN_HOST: '::1' }, admin)).toMatchObject({ host: '::1' });
    await expect(read({ ADMIN_HOST: 'admin.internal' }, admin)).rejects.toThrow(/ADMIN_HOST is "admin.internal"/);
  });
});
