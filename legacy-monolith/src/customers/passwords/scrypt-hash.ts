import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;

function derive(
  password: string,
  salt: Buffer,
  logCost: number,
  blockSize: number,
  parallelism: number,
): Promise<Buffer> {
  const N = 2 ** logCost;
  return new Promise((resolve, reject) =>
    scrypt(
      password.normalize('NFC'),
      salt,
      KEY_LENGTH,
      { N, r: blockSize, p: parallelism, maxmem: 256 * N * blockSize },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );
}

/**
 * Hashes a password with scrypt and a random salt. The result names its parameters
 * (`scrypt$<log2 N>$<r>$<p>$<salt>$<hash>`), so a later change of cost still verifies old hashes.
 */
export async function hashPassword(password: string, logCost: number): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, logCost, BLOCK_SIZE, PARALLELISM);
  return ['scrypt', logCost, BLOCK_SIZE, PARALLELISM, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Whether `password` matches a hash made by {@link hashPassword}; compares in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, logCost, blockSize, parallelism, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !logCost || !blockSize || !parallelism || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await derive(
    password,
    Buffer.from(salt, 'base64'),
    Number(logCost),
    Number(blockSize),
    Number(parallelism),
  );
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
