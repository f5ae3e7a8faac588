import type { RedisConnection } from '@app/redis-streams';
import type { RuleStoreKeys } from './rule-store.keys';
import type { RuleVersion } from './rule-version';
import { encodeAudit, encodeVersion } from './rule-version.codec';

/**
 * Writes a version atomically: only if the current version is the expected one
 * (`expect`), or lower than the new one (`restore`, after Redis lost the store); then
 * the version hash, the current pointer, the audit entry, and the announcement.
 *
 * KEYS: current, the new version's hash, audit stream.
 * ARGV: mode, expected version, new version, channel, n, n hash field/value items, audit field/value items.
 * Returns `{1, new}` when written, `{0, current}` when refused.
 */
export const WRITE_VERSION_SCRIPT = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local wanted = tonumber(ARGV[3])
local allowed
if ARGV[1] == 'restore' then allowed = current < wanted else allowed = current == tonumber(ARGV[2]) end
if not allowed or redis.call('EXISTS', KEYS[2]) == 1 then return {0, current} end
local n = tonumber(ARGV[5])
redis.call('HSET', KEYS[2], unpack(ARGV, 6, 5 + n))
redis.call('SET', KEYS[1], ARGV[3])
redis.call('XADD', KEYS[3], '*', unpack(ARGV, 6 + n))
redis.call('PUBLISH', ARGV[4], ARGV[3])
return {1, wanted}
`;

/** Runs {@link WRITE_VERSION_SCRIPT}: `[1, version]` when written, `[0, current]` when refused. */
export async function writeVersion(
  redis: RedisConnection,
  keys: RuleStoreKeys,
  mode: 'expect' | 'restore',
  expected: number,
  record: RuleVersion,
): Promise<[number, number]> {
  const hash = encodeVersion(record);
  const reply = (await redis.eval(WRITE_VERSION_SCRIPT, {
    keys: [keys.current, keys.version(record.version), keys.audit],
    arguments: [
      mode,
      String(expected),
      String(record.version),
      keys.changed,
      String(hash.length),
      ...hash,
      ...encodeAudit(record),
    ],
  })) as [number, number];
  return [Number(reply[0]), Number(reply[1])];
}
