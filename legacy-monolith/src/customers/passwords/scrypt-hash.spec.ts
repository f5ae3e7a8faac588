import { hashPassword, verifyPassword } from './scrypt-hash';

describe('scrypt password hashes', () => {
  it('verifies the password it hashed and rejects any other', async () => {
    const stored = await hashPassword('correct horse battery', 10);
    expect(stored).toMatch(/^scrypt\$10\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    await expect(verifyPassword('correct horse battery', stored)).resolves.toBe(true);
    await expect(verifyPassword('correct horse batterY', stored)).resolves.toBe(false);
    await expect(verifyPassword('', stored)).resolves.toBe(false);
  });

  it('salts every hash, so equal passwords give different hashes', async () => {
    const [a, b] = await Promise.all([hashPassword('same password', 10), hashPassword('same password', 10)]);
    expect(a).not.toEqual(b);
  });

  it('verifies hashes made at another cost than the current one', async () => {
    const old = await hashPassword('rotated cost', 11);
    await expect(verifyPassword('rotated cost', old)).resolves.toBe(true);
  });

  it('rejects stored values that are not scrypt hashes', async () => {
    await expect(verifyPassword('x', 'plain-text')).resolves.toBe(false);
    await expect(verifyPassword('x', 'bcrypt$10$8$1$a$b')).resolves.toBe(false);
  });

  it('treats canonically equal Unicode spellings as the same password', async () => {
    const stored = await hashPassword('caf\u00e9-secret', 10);
    await expect(verifyPassword('cafe\u0301-secret', stored)).resolves.toBe(true);
  });
});
