import { parseArgs } from 'node:util';
import type { RouteMode } from '../rules/rule-set.schema';
import type { RouteChangeFields } from '../store/rule-changes';
import { UsageError } from './cli-errors';

export type Command =
  | { readonly kind: 'help' }
  | { readonly kind: 'rules-show'; readonly version?: number }
  | { readonly kind: 'rules-history'; readonly limit?: number; readonly before?: number }
  | { readonly kind: 'rules-diff'; readonly from: number; readonly to: number }
  | {
      readonly kind: 'rules-apply';
      readonly file: string;
      readonly dryRun: boolean;
      readonly reason?: string;
      readonly expect?: number;
    }
  | { readonly kind: 'rules-rollback'; readonly version: number; readonly reason: string; readonly expect?: number }
  | {
      readonly kind: 'route-set' | 'group-set';
      readonly name: string;
      readonly change: RouteChangeFields;
      readonly reason: string;
      readonly expect?: number;
    }
  | {
      readonly kind: 'explain';
      readonly method: string;
      readonly path: string;
      readonly headers: Readonly<Record<string, string>>;
      readonly ip?: string;
    }
  | { readonly kind: 'audit'; readonly limit?: number }
  | { readonly kind: 'traffic'; readonly minutes?: number }
  | { readonly kind: 'status' };

export interface Invocation {
  readonly command: Command;
  readonly json: boolean;
  readonly url?: string;
  readonly token?: string;
  readonly author?: string;
}

const OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
  author: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean' },
  version: { type: 'string' },
  limit: { type: 'string' },
  before: { type: 'string' },
  reason: { type: 'string' },
  expect: { type: 'string' },
  'dry-run': { type: 'boolean' },
  mode: { type: 'string' },
  target: { type: 'string' },
  percent: { type: 'string' },
  'sticky-by': { type: 'string' },
  'timeout-ms': { type: 'string' },
  fallback: { type: 'string' },
  header: { type: 'string', short: 'H', multiple: true },
  ip: { type: 'string' },
  minutes: { type: 'string' },
} as const;

type Values = {
  [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K] extends { multiple: true } ? string[] : string | boolean;
};

/** The modes of `ROUTE_MODES`, without loading the schema library at start-up (a spec keeps them equal). */
export const CLI_ROUTE_MODES: readonly RouteMode[] = ['legacy', 'shadow', 'canary', 'live'];

const GLOBAL = ['url', 'token', 'author', 'json', 'help'];
const FIELDS = ['mode', 'target', 'percent', 'sticky-by', 'timeout-ms', 'fallback'];
const WRITE = ['reason', 'expect'];
const ALLOWED: Record<Exclude<Command['kind'], 'help'>, readonly string[]> = {
  'rules-show': ['version'],
  'rules-history': ['limit', 'before'],
  'rules-diff': [],
  'rules-apply': [...WRITE, 'dry-run'],
  'rules-rollback': WRITE,
  'route-set': [...WRITE, ...FIELDS],
  'group-set': [...WRITE, ...FIELDS],
  explain: ['header', 'ip'],
  audit: ['limit'],
  traffic: ['minutes'],
  status: [],
};

function integer(text: string | undefined, what: string, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`${what} must be an integer from ${min} to ${max}, not ${JSON.stringify(text)}.`);
  }
  return value;
}

const version = (text: string | undefined, what: string) => integer(text, what, 1, Number.MAX_SAFE_INTEGER);

function required<T>(value: T | undefined, message: string): T {
  if (value === undefined || value === '') throw new UsageError(message);
  return value;
}

/** `none` removes a field; anything else is parsed. */
function orNone<T>(text: string | undefined, parse: (text: string) => T): T | null | undefined {
  if (text === undefined) return undefined;
  return text === 'none' ? null : parse(text);
}

function routeChange(values: Values): RouteChangeFields {
  const text = (name: string) => values[name as keyof Values] as string | undefined;
  const mode = text('mode');
  if (mode !== undefined && !CLI_ROUTE_MODES.includes(mode as RouteMode)) {
    throw new UsageError(`--mode must be one of ${CLI_ROUTE_MODES.join(', ')}, not ${JSON.stringify(mode)}.`);
  }
  const change: RouteChangeFields = {
    mode: mode as RouteMode | undefined,
    target: text('target'),
    percent: orNone(text('percent'), (value) => {
      const percent = /^\d+(\.\d{1,2})?$/.test(value) ? Number(value) : NaN;
      if (!(percent >= 0 && percent <= 100)) {
        throw new UsageError(`--percent must be a number from 0 to 100 (or none), not ${JSON.stringify(value)}.`);
      }
      return percent;
    }),
    stickyBy: orNone(text('sticky-by'), (value) => value),
    timeoutMs: orNone(text('timeout-ms'), (value) => integer(value, '--timeout-ms', 1, 600_000) as number),
    fallback: orNone(text('fallback'), (value) => {
      if (value !== 'true' && value !== 'false') {
        throw new UsageError(`--fallback must be true, false or none, not ${JSON.stringify(value)}.`);
      }
      return value === 'true';
    }),
  };
  if (Object.values(change).every((value) => value === undefined)) {
    throw new UsageError('Say what to change: --mode, --target, --percent, --sticky-by, --timeout-ms or --fallback.');
  }
  return change;
}

function headers(lines: readonly string[] | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const line of lines ?? []) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    if (colon <= 0 || !/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name)) {
      throw new UsageError(`-H must be 'name: value', not ${JSON.stringify(line)}.`);
    }
    result[name] = line.slice(colon + 1).trim();
  }
  return result;
}

function command(positionals: readonly string[], values: Values): Command {
  const [group, action, ...rest] = positionals;
  const args = (count: number, shape: string) => {
    if (rest.length !== count) throw new UsageError(`Usage: ${shape}`);
    return rest;
  };
  const text = (name: keyof Values) => values[name] as string | undefined;
  const reason = () => required(text('reason'), 'Say why with --reason: it is kept with the version.');
  switch (`${group ?? ''} ${action ?? ''}`.trim()) {
    case 'rules show':
      args(0, 'rules show [--version V]');
      return { kind: 'rules-show', version: version(text('version'), '--version') };
    case 'rules history':
      args(0, 'rules history [--limit N] [--before V]');
      return {
        kind: 'rules-history',
        limit: integer(text('limit'), '--limit', 1, 100),
        before: version(text('before'), '--before'),
      };
    case 'rules diff': {
      const [from, to] = args(2, 'rules diff A B');
      return { kind: 'rules-diff', from: version(from, 'A') as number, to: version(to, 'B') as number };
    }
    case 'rules apply': {
      const [file] = args(1, 'rules apply FILE --reason TEXT [--expect V] [--dry-run]');
      const dryRun = values['dry-run'] === true;
      return {
        kind: 'rules-apply',
        file: file as string,
        dryRun,
        reason: dryRun ? text('reason') : reason(),
        expect: integer(text('expect'), '--expect', 0, Number.MAX_SAFE_INTEGER),
      };
    }
    case 'rules rollback': {
      const [to] = args(1, 'rules rollback V --reason TEXT [--expect V]');
      return {
        kind: 'rules-rollback',
        version: version(to, 'V') as number,
        reason: reason(),
        expect: integer(text('expect'), '--expect', 0, Number.MAX_SAFE_INTEGER),
      };
    }
    case 'route set':
    case 'group set': {
      const [name] = args(1, `${group} set ${group === 'route' ? 'ID' : 'NAME'} [fields] --reason TEXT [--expect V]`);
      return {
        kind: group === 'route' ? 'route-set' : 'group-set',
        name: name as string,
        change: routeChange(values),
        reason: reason(),
        expect: integer(text('expect'), '--expect', 0, Number.MAX_SAFE_INTEGER),
      };
    }
  }
  switch (group) {
    case 'explain': {
      const [method, path, ...extra] = positionals.slice(1);
      if (!method || !path || extra.length > 0)
        throw new UsageError("Usage: explain METHOD PATH [-H 'name: value']...");
      return { kind: 'explain', method, path, headers: headers(values.header as string[] | undefined), ip: text('ip') };
    }
    case 'audit':
    case 'traffic':
    case 'status':
      if (positionals.length > 1) throw new UsageError(`Usage: ${group} takes no arguments.`);
      if (group === 'audit') return { kind: 'audit', limit: integer(text('limit'), '--limit', 1, 100) };
      if (group === 'traffic') return { kind: 'traffic', minutes: integer(text('minutes'), '--minutes', 1, 60) };
      return { kind: 'status' };
  }
  throw new UsageError(
    positionals.length === 0
      ? 'Give a command.'
      : `Unknown command ${JSON.stringify(positionals.slice(0, 2).join(' '))}.`,
  );
}

/** Reads the command line (without `node` and the script). Throws {@link UsageError} on bad arguments. */
export function parseCommand(argv: readonly string[]): Invocation {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true }) as typeof parsed;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const common = {
    json: values.json === true,
    url: values.url as string | undefined,
    token: values.token as string | undefined,
    author: values.author as string | undefined,
  };
  if (values.help) return { command: { kind: 'help' }, ...common };
  const result = command(positionals, values);
  if (result.kind !== 'help') {
    const allowed = new Set([...GLOBAL, ...ALLOWED[result.kind]]);
    const stray = Object.keys(values).filter((name) => !allowed.has(name));
    if (stray.length > 0) {
      const options = stray.map((name) => `--${name}`).join(', ');
      throw new UsageError(`${options} does not apply to ${result.kind.replace('-', ' ')}.`);
    }
  }
  return { command: result, ...common };
}
