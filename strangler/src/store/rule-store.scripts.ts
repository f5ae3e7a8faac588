import type { RedisConnection } from '@app/redis-streams';
import type { CopiedAuditEntry, CopiedVersion } from './history-copy.lines';
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
  by?: string,
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
      ...encodeAudit(record, by),
    ],
  })) as [number, number];
  return [Number(reply[0]), Number(reply[1])];
}

/**
 * Writes back versions and audit entries that Redis lost, from an instance's history copy:
 * only if the current version is still the one the instance read and none of the versions
 * exists, so that of several instances restoring at once exactly one writes. Audit entries keep
 * their stream ids; those not after the stream's last id are left out (Redis still has them).
 * Then the current pointer moves to the newest version restored, which is announced.
 *
 * KEYS: current, audit stream, then each restored version's hash (ascending).
 * ARGV: expected current, new current, channel, then per version `n` and `n` field/value items,
 * then per audit entry its id, `n` and `n` field/value items (ascending ids).
 * Returns `{1, new, audit entries added}` when written, `{0, current, 0}` when refused.
 */
export const RESTORE_HISTORY_SCRIPT = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current ~= tonumber(ARGV[1]) then return {0, current, 0} end
for i = 3, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then return {0, current, 0} end
end
local lastMs, lastSeq = -1, -1
if redis.call('EXISTS', KEYS[2]) == 1 then
  local info = redis.call('XINFO', 'STREAM', KEYS[2])
  for j = 1, #info, 2 do
    if info[j] == 'last-generated-id' then
      local ms, seq = string.match(info[j + 1], '^(%d+)-(%d+)$')
      lastMs, lastSeq = tonumber(ms), tonumber(seq)
    end
  end
end
local at = 4
for i = 3, #KEYS do
  local n = tonumber(ARGV[at])
  redis.call('HSET', KEYS[i], unpack(ARGV, at + 1, at + n))
  at = at + n + 1
end
local added = 0
while at <= #ARGV do
  local n = tonumber(ARGV[at + 1])
  local ms, seq = string.match(ARGV[at], '^(%d+)-(%d+)$')
  ms, seq = tonumber(ms), tonumber(seq)
  if ms > lastMs or (ms == lastMs and seq > lastSeq) then
    redis.call('XADD', KEYS[2], ARGV[at], unpack(ARGV, at + 2, at + 1 + n))
    lastMs, lastSeq = ms, seq
    added = added + 1
  end
  at = at + n + 2
end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('PUBLISH', ARGV[3], ARGV[2])
return {1, tonumber(ARGV[2]), added}
`;

/** What {@link restoreHistory} did. */
export interface HistoryRestore {
  readonly written: boolean;
  /** The current version after it: the newest restored, or what refused the restore. */
  readonly current: number;
  readonly auditAdded: number;
}

/** Runs {@link RESTORE_HISTORY_SCRIPT} with `versions` (at least one, ascending) and `audit` (ascending ids). */
export async function restoreHistory(
  redis: RedisConnection,
  keys: RuleStoreKeys,
  expected: number,
  versions: readonly CopiedVersion[],
  audit: readonly CopiedAuditEntry[],
): Promise<HistoryRestore> {
  const items = (fields: Readonly<Record<string, string>>) => Object.entries(fields).flat();
  const newest = versions.at(-1);
  if (!newest) throw new Error('restoreHistory needs at least one version');
  const reply = (await redis.eval(RESTORE_HISTORY_SCRIPT, {
    keys: [keys.current, keys.audit, ...versions.map(({ version }) => keys.version(version))],
    arguments: [
      String(expected),
      String(newest.version),
      keys.changed,
      ...versions.flatMap(({ fields }) => [String(Object.keys(fields).length * 2), ...items(fields)]),
      ...audit.flatMap(({ id, fields }) => [id, String(Object.keys(fields).length * 2), ...items(fields)]),
    ],
  })) as [number, number, number];
  return { written: Number(reply[0]) === 1, current: Number(reply[1]), auditAdded: Number(reply[2]) };
}
