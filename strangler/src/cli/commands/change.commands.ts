import type { RouteChangeFields } from '../../store/rule-changes';
import type { WriteResult } from '../../store/rule-version';
import { argument, defineCommand, option } from '../cli-command';
import { UsageError } from '../cli-errors';
import {
  CLI_ROUTE_MODES,
  fallbackValue,
  integerValue,
  modeValue,
  orNone,
  percentValue,
  stickyByValue,
  textValue,
} from '../command-values';
import { WRITE_OPTIONS, requireReason } from './write-options';
import { printWrite } from './write-output';

/** The fields `route set` and `group set` change; `none` removes one. */
const FIELD_OPTIONS = {
  mode: option('--mode <mode>', CLI_ROUTE_MODES.join(', '), modeValue),
  target: option('--target <upstream>', 'the upstream the route moves to', textValue('--target')),
  percent: option('--percent <0..100>', "a canary's share of callers sent to the target", percentValue),
  stickyBy: option(
    '--sticky-by <key>',
    'what keeps a caller on one side of a canary: jwt.sub, ip, header:NAME or cookie:NAME',
    stickyByValue,
  ),
  timeoutMs: option(
    '--timeout-ms <N>',
    'how long an attempt may wait for the answer, or pause in it, 1 to 600000 ms (10000 when unset)',
    orNone(integerValue('--timeout-ms', 1, 600_000)),
  ),
  fallback: option('--fallback <true|false>', 'let legacy answer when the target fails', fallbackValue),
} as const;

const FIELD_NAMES = Object.values(FIELD_OPTIONS).map((field) => field.flags.split(' ')[0]);

function changeCommand(what: 'route' | 'group') {
  return defineCommand({
    name: `${what} set`,
    summary: what === 'route' ? 'change one route' : 'change every route of a group',
    arguments: [
      what === 'route' ? argument('<id>', 'the route') : argument('<name>', 'the group (a route’s "group" field)'),
    ],
    options: { ...FIELD_OPTIONS, ...WRITE_OPTIONS },
    details: 'Give at least one field; a field given as "none" is removed (percent, sticky-by, timeout-ms, fallback).',
    input: ([name], { reason, expect, ...fields }) => {
      const change: RouteChangeFields = fields;
      if (Object.values(change).every((value) => value === undefined)) {
        throw new UsageError(`Say what to change: ${FIELD_NAMES.slice(0, -1).join(', ')} or ${FIELD_NAMES.at(-1)}.`);
      }
      return { name, change, reason: requireReason(reason), expect };
    },
    async run({ client, output, json }, { name, change, reason, expect }) {
      const expectedVersion = expect ?? (await client.currentVersion());
      const result = await client.send<WriteResult>('PATCH', `/admin/rules/${what}s/${encodeURIComponent(name)}`, {
        ...change,
        expectedVersion,
        reason,
      });
      printWrite(output, result, json);
    },
  });
}

export const routeSet = changeCommand('route');
export const groupSet = changeCommand('group');
