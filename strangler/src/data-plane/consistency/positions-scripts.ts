import { createHash } from 'node:crypto';
import type { RedisConnection } from '@app/redis-streams';

/*
 * The Lua scripts of the positions store. Every key is under ARGV[1] (`<prefix>consistency:`):
 *   aggregate:<type>:<id>     hash: origin → the highest sequence answered, and `@<upstream>:<origin>` →
 *                             the highest the upstream confirmed (one read gets both); ttl after the last write
 *   collection:<type>         sorted set of `origin:id:sequence`, scored by Redis time (ms), trimmed to the window
 *   version:<type>            how many positions the collection ever took (no expiry: it never goes back)
 *   cursor:<upstream>:<type>  `score:version`: the collection's entries the upstream confirmed, up to
 *                             that score (an entry of the same millisecond is looked at again) and
 *                             that version (a read compares it with the version first, without a script)
 *   change                    how many recordings the store ever took: each one's number, for acknowledgements
 *   members                   sorted set of the instances that keep the positions in memory, scored by
 *                             when their lease ends (Redis time, ms)
 * Every change to the positions, marks and cursors is also published on `changes` (JSON, below),
 * in the same script, so that an instance's memory (positions-mirror.ts) misses none of them.
 * Time is Redis's own (`TIME`), so that every facade instance scores on one clock; a test may give
 * its own. The keys of marks and cursors are built in the scripts, from the entries they read, so
 * they cannot all be declared: on a Redis Cluster every key of the store shares the hash tag
 * `{<prefix>consistency}` (the base is `<prefix>{<prefix>consistency}consistency:`), so all of them
 * are on the node of one slot, and each call names one key of the store (`KEYS[1]`, unused by the
 * scripts) for the cluster to send it there. Redis runs a script's undeclared keys when they are
 * local to its node; while that slot migrates to another node the scripts fail, as a Redis away.
 */

const NOW = `
local function redisNow()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
local function now(given)
  if given ~= '' then return tonumber(given) end
  return redisNow()
end
`;

/** The channel every change is published on, under the base. */
export const CHANGES_CHANNEL = 'changes';

/**
 * Per position: raises the origin's sequence in the aggregate (never lowers it: of two facades
 * recording one aggregate, the later answer may carry the lower number), keeps it for ttl, and
 * adds it to its type's collection, trimmed to the window. Publishes the recording as
 * `{"k":"r","n":<its number>,"t":ttl,"p":[[origin,type,id,sequence],…],"v":{type:version}}` and
 * returns its number, Redis's time, and each instance whose lease runs (id, lease end), whose
 * acknowledgement the answer waits for.
 * ARGV: base, ttl, window, now ('' for Redis time), then origin, type, id, sequence per position.
 */
export const RECORD_SCRIPT = `${NOW}
local base, ttl, window = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local at = now(ARGV[4])
local versions, recorded = {}, {}
for i = 5, #ARGV, 4 do
  local origin, type, id, sequence = ARGV[i], ARGV[i + 1], ARGV[i + 2], tonumber(ARGV[i + 3])
  local aggregate, collection = base .. 'aggregate:' .. type .. ':' .. id, base .. 'collection:' .. type
  local known = tonumber(redis.call('HGET', aggregate, origin) or '0')
  if sequence > known then redis.call('HSET', aggregate, origin, sequence) end
  redis.call('PEXPIRE', aggregate, ttl)
  redis.call('ZADD', collection, at, origin .. ':' .. id .. ':' .. sequence)
  redis.call('ZREMRANGEBYSCORE', collection, '-inf', '(' .. (at - window))
  redis.call('PEXPIRE', collection, window)
  versions[type] = redis.call('INCR', base .. 'version:' .. type)
  recorded[#recorded + 1] = { origin, type, id, sequence }
end
local number = redis.call('INCR', base .. 'change')
redis.call('PUBLISH', base .. '${CHANGES_CHANNEL}', cjson.encode({ k = 'r', n = number, t = ttl, p = recorded, v = versions }))
local clock = redisNow()
local out = { number, clock }
local members = redis.call('ZRANGE', base .. 'members', '(' .. clock, '+inf', 'BYSCORE', 'WITHSCORES')
for i = 1, #members do out[#out + 1] = members[i] end
return out
`;

/**
 * What a request to an upstream must await, for requests that name a collection (those naming
 * aggregates only read each one's hash, without a script): per key (from ARGV[6] on: type, id; an
 * empty id is the collection), the positions the upstream has not confirmed. A collection is read from the
 * upstream's cursor on (inclusive: an entry scored in the cursor's millisecond is looked at again),
 * within the window; when it finds nothing pending it moves the cursor itself. Returns
 * `origin:type:id:sequence` entries (collections newest first), and per collection read to its
 * end `#type:score:version` (its newest score and version, for the mark once the upstream
 * confirms). A collection read to its end with nothing pending moves the cursor itself.
 * ARGV: base, upstream, window, now ('' for Redis time), scan limit, then type, id per key.
 */
export const READ_SCRIPT = `${NOW}
local base, upstream, window, scan = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[5])
local since = nil
local out = {}
local function pending(origin, type, id, sequence)
  local confirmed = tonumber(redis.call('HGET', base .. 'aggregate:' .. type .. ':' .. id, '@' .. upstream .. ':' .. origin) or '0')
  if tonumber(sequence) > confirmed then
    out[#out + 1] = origin .. ':' .. type .. ':' .. id .. ':' .. sequence
    return true
  end
  return false
end
for i = 6, #ARGV, 2 do
  local type, id = ARGV[i], ARGV[i + 1]
  if id == '' then
    local cursorKey = base .. 'cursor:' .. upstream .. ':' .. type
    local version = tonumber(redis.call('GET', base .. 'version:' .. type) or '0')
    local cursor = tonumber(string.match(redis.call('GET', cursorKey) or '0', '^([^:]+)') or '0')
    since = since or now(ARGV[4]) - window
    local from = math.max(since, cursor)
    local entries = redis.call('ZRANGE', base .. 'collection:' .. type, '+inf', from, 'BYSCORE', 'REV', 'LIMIT', 0, scan, 'WITHSCORES')
    local newest, found = nil, false
    for j = 1, #entries, 2 do
      newest = newest or tonumber(entries[j + 1])
      local origin, aggregate, sequence = string.match(entries[j], '^([^:]+):([^:]+):([^:]+)$')
      if origin and pending(origin, type, aggregate, sequence) then found = true end
    end
    if #entries < 2 * scan then
      if found then
        out[#out + 1] = '#' .. type .. ':' .. newest .. ':' .. version
      else
        redis.call('SET', cursorKey, math.max(newest or 0, cursor) .. ':' .. version, 'PX', window)
        redis.call('PUBLISH', base .. '${CHANGES_CHANNEL}', cjson.encode({ k = 'm', u = upstream, p = {}, c = { [type] = version } }))
      end
    end
  else
    local known = redis.call('HGETALL', base .. 'aggregate:' .. type .. ':' .. id)
    for j = 1, #known, 2 do
      if string.sub(known[j], 1, 1) ~= '@' then pending(known[j], type, id, known[j + 1]) end
    end
  end
end
return out
`;

/**
 * Marks what an upstream confirmed: raises its mark of each origin in each aggregate that still
 * has positions (never lowers it; the mark lives as long as they do) and moves each collection's
 * cursor forward (never back). Publishes what moved as
 * `{"k":"m","u":upstream,"p":[[origin,type,id,sequence],…],"c":{type:version}}`.
 * ARGV: base, upstream, window, position count, then origin, type, id, sequence per position,
 * then type, score, version per collection (a cursor moves only to a later version).
 */
export const MARK_SCRIPT = `
local base, upstream, window, count = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local last = 4 + 4 * count
local marked, cursors, moved = {}, {}, false
for i = 5, last, 4 do
  local origin, type, id, sequence = ARGV[i], ARGV[i + 1], ARGV[i + 2], tonumber(ARGV[i + 3])
  local key, field = base .. 'aggregate:' .. type .. ':' .. id, '@' .. upstream .. ':' .. origin
  if redis.call('EXISTS', key) == 1 and sequence > tonumber(redis.call('HGET', key, field) or '0') then
    redis.call('HSET', key, field, sequence)
    marked[#marked + 1] = { origin, type, id, sequence }
    moved = true
  end
end
for i = last + 1, #ARGV, 3 do
  local key, score, version = base .. 'cursor:' .. upstream .. ':' .. ARGV[i], tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2])
  local known = redis.call('GET', key) or '0:0'
  local knownScore, knownVersion = string.match(known, '^([^:]+):([^:]+)$')
  if version > tonumber(knownVersion or '0') then
    redis.call('SET', key, math.max(score, tonumber(knownScore or '0')) .. ':' .. version, 'PX', window)
    cursors[ARGV[i]] = version
    moved = true
  end
end
if moved then
  redis.call('PUBLISH', base .. '${CHANGES_CHANNEL}', cjson.encode({ k = 'm', u = upstream, p = marked, c = cursors }))
end
return 1
`;

/**
 * An instance's lease, renewed: it keeps positions in memory, and has applied every recording up
 * to a number. Publishes `{"k":"a","i":id,"n":number,"b":beat}` (the instance, hearing its own
 * beat, knows it heard everything published before) and returns the lease's end (Redis time).
 * ARGV: base, id, lease (ms), number, beat.
 */
export const BEAT_SCRIPT = `${NOW}
local base, id, lease = ARGV[1], ARGV[2], tonumber(ARGV[3])
local clock = redisNow()
redis.call('ZREMRANGEBYSCORE', base .. 'members', '-inf', clock)
redis.call('ZADD', base .. 'members', clock + lease, id)
redis.call('PEXPIRE', base .. 'members', 4 * lease)
redis.call('PUBLISH', base .. '${CHANGES_CHANNEL}', cjson.encode({ k = 'a', i = id, n = tonumber(ARGV[4]), b = tonumber(ARGV[5]) }))
return clock + lease
`;

/**
 * Runs a script by its SHA-1 (`EVALSHA`: Redis neither receives nor hashes its text again), and
 * by its text once when Redis does not have it (after a restart or `SCRIPT FLUSH`).
 */
export class ScriptRunner {
  private readonly sha: string;

  constructor(private readonly script: string) {
    this.sha = createHash('sha1').update(script).digest('hex');
  }

  /** Runs the script with `args`; `key` is a key of the store, by which a cluster sends the call to its node. */
  async run(redis: RedisConnection, key: string, args: string[]): Promise<unknown> {
    try {
      return await redis.evalSha(this.sha, { keys: [key], arguments: args });
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.script, { keys: [key], arguments: args });
    }
  }
}
