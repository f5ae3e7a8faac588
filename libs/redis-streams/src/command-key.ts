import type { RedisArgument } from 'redis';

/** Commands that name no key: a cluster sends them to any node (or to every one, as node-redis knows). */
const KEYLESS = new Set([
  'CLIENT',
  'CLUSTER',
  'COMMAND',
  'CONFIG',
  'DBSIZE',
  'ECHO',
  'FLUSHALL',
  'FLUSHDB',
  'FUNCTION',
  'INFO',
  'KEYS',
  'LASTSAVE',
  'MEMORY',
  'PING',
  'PUBLISH',
  'RANDOMKEY',
  'SCAN',
  'SCRIPT',
  'SLOWLOG',
  'TIME',
  'WAIT',
]);

/** Commands whose first key follows a subcommand (`XGROUP CREATE <key> …`, `XINFO GROUPS <key>`). */
const AFTER_SUBCOMMAND = new Set(['OBJECT', 'XGROUP', 'XINFO']);

/** Options of XREAD and XREADGROUP before `STREAMS`, with how many arguments each takes. */
const READ_OPTIONS: Readonly<Record<string, number>> = { COUNT: 1, BLOCK: 1, NOACK: 0 };

/**
 * The first key of a command given as raw arguments, by which a cluster routes it; `undefined`
 * for a command without keys. Covers the commands this code base sends raw: most name their key
 * first; `EVAL`/`EVALSHA`/`FCALL` after the script and the key count; `XREAD`/`XREADGROUP` after
 * `STREAMS`; `XGROUP`/`XINFO` after the subcommand.
 *
 * @example
 * firstKeyOf(['XREADGROUP', 'GROUP', 'streams', 'c', 'COUNT', '5', 'STREAMS', 'ficus:req:streams', '>'])
 * // 'ficus:req:streams' (a group named "streams" is no keyword)
 */
export function firstKeyOf(args: ReadonlyArray<RedisArgument>): RedisArgument | undefined {
  const command = String(args[0] ?? '').toUpperCase();
  switch (command) {
    case 'EVAL':
    case 'EVALSHA':
    case 'EVAL_RO':
    case 'EVALSHA_RO':
    case 'FCALL':
    case 'FCALL_RO':
      return Number(args[2]) > 0 ? args[3] : undefined;
    case 'XREAD':
    case 'XREADGROUP': {
      // Walk the options: a group or consumer name may spell STREAMS too.
      for (let at = command === 'XREAD' ? 1 : 4; at < args.length;) {
        const token = String(args[at]).toUpperCase();
        if (token === 'STREAMS') return args[at + 1];
        const takes = READ_OPTIONS[token];
        if (takes === undefined) return undefined;
        at += 1 + takes;
      }
      return undefined;
    }
    default:
      if (AFTER_SUBCOMMAND.has(command)) return args[2];
      return KEYLESS.has(command) ? undefined : args[1];
  }
}
