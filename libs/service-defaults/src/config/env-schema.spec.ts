import { ConfigValidationError, env, parseEnv } from './env-schema';

describe('parseEnv', () => {
  const shape = {
    PORT: env.integer({ min: 0, max: 65_535, default: 3000 }),
    LOG_LEVEL: env.oneOf(['info', 'debug'] as const, 'info'),
    NAME: env.text({ default: 'x', pattern: /^[a-z]+$/, describe: 'lower-case letters' }),
    REDIS_URL: env.url({ default: 'redis://127.0.0.1:6379', protocols: ['redis:', 'rediss:'] }),
  };

  it('applies defaults for unset and empty variables', () => {
    expect(parseEnv({ PORT: '', LOG_LEVEL: undefined }, shape)).toEqual({
      PORT: 3000,
      LOG_LEVEL: 'info',
      NAME: 'x',
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
  });

  it('parses valid values and freezes the result', () => {
    const parsed = parseEnv({ PORT: ' 8080 ', LOG_LEVEL: 'debug', NAME: 'abc', REDIS_URL: 'rediss://h:1' }, shape);
    expect(parsed).toEqual({ PORT: 8080, LOG_LEVEL: 'debug', NAME: 'abc', REDIS_URL: 'rediss://h:1' });
    expect(Object.isFrozen(parsed)).toBe(true);
  });

  it.each([
    ['PORT', 'abc', 'an integer from 0 to 65535 (default 3000)'],
    ['PORT', '70000', 'an integer from 0 to 65535'],
    ['PORT', '1.5', 'an integer'],
    ['LOG_LEVEL', 'loud', 'one of info, debug (default info)'],
    ['NAME', 'ABC', 'lower-case letters'],
    ['REDIS_URL', 'http://x', 'a URL with scheme redis:// or rediss://'],
    ['REDIS_URL', 'not a url', 'a URL with scheme redis://'],
  ])('refuses %s=%j and says what is allowed', (name, value, allowed) => {
    let error: unknown;
    try {
      parseEnv({ [name]: value }, shape);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect((error as Error).message).toContain(`${name} is ${JSON.stringify(value)}; allowed: ${allowed}`);
  });

  it('names every bad variable at once', () => {
    expect(() => parseEnv({ PORT: 'x', LOG_LEVEL: 'y' }, shape)).toThrow(/PORT is "x".*\n.*LOG_LEVEL is "y"/);
  });

  it('requires required text', () => {
    const required = { SECRET: env.requiredText({ minLength: 4 }) };
    expect(() => parseEnv({}, required)).toThrow(/SECRET is undefined; allowed: a string of at least 4 characters/);
    expect(() => parseEnv({ SECRET: 'abc' }, required)).toThrow(ConfigValidationError);
    expect(parseEnv({ SECRET: 'abcd' }, required)).toEqual({ SECRET: 'abcd' });
  });
});
