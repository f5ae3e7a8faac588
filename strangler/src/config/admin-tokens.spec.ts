import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigValidationError } from '@app/service-defaults';
import { readAdminTokens } from './admin-tokens';

const SECRET_A = 'a-secret-of-sixteen+';
const SECRET_B = 'b-secret-of-sixteen+';

const problems = (source: Record<string, string>): readonly string[] => {
  try {
    readAdminTokens(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect((error as ConfigValidationError).code).toBe('CONFIG_INVALID');
    return (error as ConfigValidationError).problems;
  }
  throw new Error('accepted');
};

describe('the admin tokens', () => {
  it('reads STRANGLER_ADMIN_TOKENS as name:role:secret, comma-separated, spaces around entries ignored', () => {
    expect(
      readAdminTokens({ STRANGLER_ADMIN_TOKENS: `ana:operator:${SECRET_A}, grafana:read-only:${SECRET_B}` }),
    ).toEqual([
      { name: 'ana', role: 'operator', secret: SECRET_A },
      { name: 'grafana', role: 'read-only', secret: SECRET_B },
    ]);
  });

  it('keeps STRANGLER_ADMIN_TOKEN as one operator named admin, alone or beside the named tokens', () => {
    expect(readAdminTokens({ STRANGLER_ADMIN_TOKEN: SECRET_A })).toEqual([
      { name: 'admin', role: 'operator', secret: SECRET_A },
    ]);
    expect(
      readAdminTokens({ STRANGLER_ADMIN_TOKEN: SECRET_A, STRANGLER_ADMIN_TOKENS: `grafana:read-only:${SECRET_B}` }),
    ).toEqual([
      { name: 'admin', role: 'operator', secret: SECRET_A },
      { name: 'grafana', role: 'read-only', secret: SECRET_B },
    ]);
  });

  it('takes a secret with colons whole', () => {
    expect(readAdminTokens({ STRANGLER_ADMIN_TOKENS: 'ci:operator:abc:def:ghi:jkl:mnop' })).toEqual([
      { name: 'ci', role: 'operator', secret: 'abc:def:ghi:jkl:mnop' },
    ]);
  });

  it('requires one of the variables', () => {
    expect(problems({})).toEqual([
      expect.stringMatching(/^STRANGLER_ADMIN_TOKENS, STRANGLER_ADMIN_TOKENS_FILE and STRANGLER_ADMIN_TOKEN are unset/),
    ]);
  });

  it.each([
    [
      'no role or secret',
      'ana',
      'STRANGLER_ADMIN_TOKENS entry 1 is not name:role:secret; allowed: name:role:secret, comma-separated',
    ],
    [
      'an empty entry',
      `ana:operator:${SECRET_A},`,
      'STRANGLER_ADMIN_TOKENS entry 2 is not name:role:secret; allowed: name:role:secret, comma-separated',
    ],
    [
      'a bad name',
      `Ana Smith:operator:${SECRET_A}`,
      'STRANGLER_ADMIN_TOKENS entry 1: the name "Ana Smith" is not 1 to 64 of a-z 0-9 . _ - (starting with a letter or digit)',
    ],
    [
      'an empty name',
      `:operator:${SECRET_A}`,
      'STRANGLER_ADMIN_TOKENS entry 1: the name "" is not 1 to 64 of a-z 0-9 . _ - (starting with a letter or digit)',
    ],
    [
      'an unknown role',
      `ana:admin:${SECRET_A}`,
      'STRANGLER_ADMIN_TOKENS entry 1 ("ana"): the role "admin" is not one of read-only, operator',
    ],
    [
      'a short secret',
      'ana:operator:fifteen-chars-x',
      'STRANGLER_ADMIN_TOKENS entry 1 ("ana"): the secret must be at least 16 visible characters without spaces or commas',
    ],
    [
      'a secret with a space',
      'ana:operator:sixteen chars long',
      'STRANGLER_ADMIN_TOKENS entry 1 ("ana"): the secret must be at least 16 visible characters without spaces or commas',
    ],
  ])('refuses %s, naming the entry', (_what, value, problem) => {
    expect(problems({ STRANGLER_ADMIN_TOKENS: value })).toEqual([problem]);
  });

  it('never repeats a secret in a message', () => {
    const value = `ana:boss:${SECRET_A},bob:operator:short`;
    const all = problems({ STRANGLER_ADMIN_TOKENS: value, STRANGLER_ADMIN_TOKEN: 'short' });
    expect(all).toHaveLength(3);
    for (const problem of all) {
      expect(problem).not.toContain(SECRET_A);
      expect(problem).not.toContain('short');
    }
  });

  it('refuses a name or a secret given twice', () => {
    expect(problems({ STRANGLER_ADMIN_TOKENS: `ana:operator:${SECRET_A},ana:read-only:${SECRET_B}` })).toEqual([
      'STRANGLER_ADMIN_TOKENS names two tokens "ana"; give each its own name',
    ]);
    expect(problems({ STRANGLER_ADMIN_TOKENS: `ana:operator:${SECRET_A},bob:read-only:${SECRET_A}` })).toEqual([
      'the tokens "ana" and "bob" have the same secret; give each its own, so the audit can tell them apart',
    ]);
    expect(
      problems({ STRANGLER_ADMIN_TOKEN: SECRET_A, STRANGLER_ADMIN_TOKENS: `admin:read-only:${SECRET_B}` }),
    ).toEqual([
      'STRANGLER_ADMIN_TOKENS names a token "admin", the name of STRANGLER_ADMIN_TOKEN; give it another name',
    ]);
    expect(problems({ STRANGLER_ADMIN_TOKEN: SECRET_A, STRANGLER_ADMIN_TOKENS: `ana:read-only:${SECRET_A}` })).toEqual([
      'the tokens "admin" and "ana" have the same secret; give each its own, so the audit can tell them apart',
    ]);
  });

  it('refuses a short STRANGLER_ADMIN_TOKEN without echoing it', () => {
    expect(problems({ STRANGLER_ADMIN_TOKEN: 'short' })).toEqual([
      'STRANGLER_ADMIN_TOKEN is not allowed: a secret of at least 16 visible characters without spaces or commas',
    ]);
  });

  describe('from STRANGLER_ADMIN_TOKENS_FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'admin-tokens-'));
    const file = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text, { mode: 0o600 });
      return path;
    };
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('reads one entry a line, skipping blank lines and # comments', () => {
      const path = file(
        'tokens',
        `# who may use the admin API\nana:operator:${SECRET_A}\n\n  grafana:read-only:${SECRET_B}  \r\n`,
      );
      expect(readAdminTokens({ STRANGLER_ADMIN_TOKENS_FILE: path })).toEqual([
        { name: 'ana', role: 'operator', secret: SECRET_A },
        { name: 'grafana', role: 'read-only', secret: SECRET_B },
      ]);
    });

    it('names a bad entry by its line', () => {
      const path = file('bad', `ana:operator:${SECRET_A}\n# ok\nbob:writer:${SECRET_B}\n`);
      expect(problems({ STRANGLER_ADMIN_TOKENS_FILE: path })).toEqual([
        'STRANGLER_ADMIN_TOKENS_FILE line 3 ("bob"): the role "writer" is not one of read-only, operator',
      ]);
    });

    it('refuses a file that cannot be read, or holds no token', () => {
      const missing = join(dir, 'missing');
      expect(problems({ STRANGLER_ADMIN_TOKENS_FILE: missing })).toEqual([
        `STRANGLER_ADMIN_TOKENS_FILE ${JSON.stringify(missing)} cannot be read (ENOENT)`,
      ]);
      const empty = file('empty', '# nobody yet\n');
      expect(problems({ STRANGLER_ADMIN_TOKENS_FILE: empty })).toEqual([
        `STRANGLER_ADMIN_TOKENS_FILE ${JSON.stringify(empty)} holds no token`,
      ]);
    });

    it('refuses it beside STRANGLER_ADMIN_TOKENS', () => {
      const path = file('both', `ana:operator:${SECRET_A}\n`);
      expect(
        problems({ STRANGLER_ADMIN_TOKENS_FILE: path, STRANGLER_ADMIN_TOKENS: `bob:operator:${SECRET_B}` }),
      ).toEqual([
        'STRANGLER_ADMIN_TOKENS and STRANGLER_ADMIN_TOKENS_FILE are both set; give the tokens in one of them',
      ]);
    });

    it('keeps STRANGLER_ADMIN_TOKEN beside it', () => {
      const path = file('with-single', `grafana:read-only:${SECRET_B}\n`);
      expect(readAdminTokens({ STRANGLER_ADMIN_TOKENS_FILE: path, STRANGLER_ADMIN_TOKEN: SECRET_A })).toEqual([
        { name: 'admin', role: 'operator', secret: SECRET_A },
        { name: 'grafana', role: 'read-only', secret: SECRET_B },
      ]);
    });
  });
});
