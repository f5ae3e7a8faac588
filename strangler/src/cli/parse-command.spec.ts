import { UsageError } from './cli-errors';
import { resolveConnection } from './cli-options';
import { ROUTE_MODES } from '../rules/rule-set.schema';
import { CLI_ROUTE_MODES, parseCommand } from './parse-command';

const words = (line: string) => line.match(/'[^']*'|\S+/g)?.map((word) => word.replace(/^'|'$/g, '')) ?? [];
const parse = (line: string) => parseCommand(words(line));

describe('parseCommand', () => {
  it.each([
    ['rules show', { kind: 'rules-show' }],
    ['rules show --version 3', { kind: 'rules-show', version: 3 }],
    ['rules history --limit 5 --before 9', { kind: 'rules-history', limit: 5, before: 9 }],
    ['rules diff 2 5', { kind: 'rules-diff', from: 2, to: 5 }],
    ['rules apply r.yaml --reason go', { kind: 'rules-apply', file: 'r.yaml', dryRun: false, reason: 'go' }],
    ['rules apply r.yaml --dry-run', { kind: 'rules-apply', file: 'r.yaml', dryRun: true }],
    ['rules rollback 4 --reason oops --expect 9', { kind: 'rules-rollback', version: 4, reason: 'oops', expect: 9 }],
    [
      "route set orders-read --mode canary --percent 25 --sticky-by jwt.sub --reason 'a quarter'",
      {
        kind: 'route-set',
        name: 'orders-read',
        change: { mode: 'canary', percent: 25, stickyBy: 'jwt.sub' },
        reason: 'a quarter',
      },
    ],
    [
      'group set orders --mode live --timeout-ms 2000 --fallback true --reason out',
      { kind: 'group-set', name: 'orders', change: { mode: 'live', timeoutMs: 2000, fallback: true }, reason: 'out' },
    ],
    [
      'route set a --percent none --timeout-ms none --fallback none --sticky-by none --reason r',
      { kind: 'route-set', change: { percent: null, timeoutMs: null, fallback: null, stickyBy: null } },
    ],
    [
      "explain GET /api/orders/1 -H 'Authorization: Bearer x.y.z' -H 'x-a:b' --ip 10.0.0.1",
      {
        kind: 'explain',
        method: 'GET',
        path: '/api/orders/1',
        headers: { authorization: 'Bearer x.y.z', 'x-a': 'b' },
        ip: '10.0.0.1',
      },
    ],
    ['traffic --minutes 15', { kind: 'traffic', minutes: 15 }],
    ['audit --limit 3', { kind: 'audit', limit: 3 }],
    ['status', { kind: 'status' }],
    ['--help', { kind: 'help' }],
  ])('reads %s', (line, command) => {
    expect(parse(line).command).toMatchObject(command);
  });

  it('reads the global options anywhere', () => {
    expect(parse('--json rules show --url http://a:1 --token t --author me')).toMatchObject({
      json: true,
      url: 'http://a:1',
      token: 't',
      author: 'me',
    });
  });

  it.each([
    ['', 'Give a command.'],
    ['rules', 'Unknown command "rules".'],
    ['rules dance', 'Unknown command "rules dance".'],
    ['rules show extra', 'Usage: rules show [--version V]'],
    ['rules show --version 0', '--version must be an integer from 1 to 9007199254740991, not "0".'],
    ['rules diff 1', 'Usage: rules diff A B'],
    ['rules diff 1 x', 'B must be an integer from 1 to 9007199254740991, not "x".'],
    ['rules apply r.yaml', 'Say why with --reason: it is kept with the version.'],
    ['rules rollback 2', 'Say why with --reason: it is kept with the version.'],
    [
      'route set a --reason r',
      'Say what to change: --mode, --target, --percent, --sticky-by, --timeout-ms or --fallback.',
    ],
    ['route set a --mode half --reason r', '--mode must be one of legacy, shadow, canary, live, not "half".'],
    ['route set a --percent 101 --reason r', '--percent must be a number from 0 to 100 (or none), not "101".'],
    ['route set a --percent -1 --reason r', "Option '--percent' argument is ambiguous."],
    ['route set a --fallback yes --reason r', '--fallback must be true, false or none, not "yes".'],
    ['route set --mode live --reason r', 'Usage: route set ID [fields] --reason TEXT [--expect V]'],
    ['rules show --mode live', '--mode does not apply to rules show.'],
    ['explain GET', "Usage: explain METHOD PATH [-H 'name: value']..."],
    ["explain GET /x -H 'no colon'", `-H must be 'name: value', not "no colon".`],
    ['status --bogus', "Unknown option '--bogus'"],
  ])('refuses %j', (line, message) => {
    let thrown: unknown;
    try {
      parse(line);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as Error).message).toContain(message);
  });
});

it('knows every route mode', () => {
  expect(CLI_ROUTE_MODES).toEqual(ROUTE_MODES);
});

describe('resolveConnection', () => {
  it('takes options first, then the environment, then the defaults', () => {
    expect(resolveConnection({ token: 't', author: 'a' }, {})).toEqual({
      url: 'http://127.0.0.1:8081',
      token: 't',
      author: 'a',
    });
    expect(
      resolveConnection(
        {},
        { STRANGLER_ADMIN_URL: 'https://admin:9/', STRANGLER_ADMIN_TOKEN: 'e', STRANGLER_AUTHOR: 'b' },
      ),
    ).toEqual({ url: 'https://admin:9', token: 'e', author: 'b' });
    expect(resolveConnection({ url: 'http://x:1', token: 'o' }, { STRANGLER_ADMIN_URL: 'http://y:2' }).url).toBe(
      'http://x:1',
    );
    expect(resolveConnection({ token: 't' }, {}).author).toMatch(/.@./);
  });

  it('refuses a missing token or a bad URL', () => {
    expect(() => resolveConnection({}, {})).toThrow('No admin token: give --token or set STRANGLER_ADMIN_TOKEN.');
    expect(() => resolveConnection({ url: 'ftp://x', token: 't' }, {})).toThrow(
      '--url must be an http:// or https:// URL',
    );
  });
});
