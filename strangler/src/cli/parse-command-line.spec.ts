import type { CliOutput } from './cli-output';
import { COMMANDS } from './commands';
import { parseCommandLine } from './run-cli';

const words = (line: string) => line.match(/'[^']*'|\S+/g)?.map((word) => word.replace(/^'|'$/g, '')) ?? [];

const ENV = { STRANGLER_ADMIN_TOKEN: 'env-token', STRANGLER_AUTHOR: 'env-author' };

function parse(line: string, env: Record<string, string> = ENV) {
  const out: string[] = [];
  const err: string[] = [];
  const output: CliOutput = { out: (text) => out.push(text), err: (text) => err.push(text) };
  const parsed = parseCommandLine(words(line), env, output);
  return { parsed, stdout: out.join('\n'), stderr: err.join('\n') };
}

function invocation(line: string) {
  const { parsed, stderr } = parse(line);
  if (!('invocation' in parsed)) throw new Error(`${line}: exit ${parsed.exitCode}\n${stderr}`);
  return { name: parsed.invocation.command.name, ...parsed.invocation };
}

describe('parseCommandLine', () => {
  it.each([
    ['rules show', 'rules show', {}],
    ['rules show --version 3', 'rules show', { version: 3 }],
    ['rules history --limit 5 --before 9', 'rules history', { limit: 5, before: 9 }],
    ['rules diff 2 5', 'rules diff', { from: 2, to: 5 }],
    ['rules apply r.yaml --reason go', 'rules apply', { file: 'r.yaml', dryRun: false, reason: 'go' }],
    ['rules apply r.yaml --dry-run', 'rules apply', { file: 'r.yaml', dryRun: true, reason: undefined }],
    ['rules rollback 4 --reason oops --expect 9', 'rules rollback', { version: 4, reason: 'oops', expect: 9 }],
    [
      "route set orders-read --mode canary --percent 25 --sticky-by jwt.sub --reason 'a quarter'",
      'route set',
      { name: 'orders-read', change: { mode: 'canary', percent: 25, stickyBy: 'jwt.sub' }, reason: 'a quarter' },
    ],
    [
      'group set orders --mode live --timeout-ms 2000 --fallback true --reason out --expect 0',
      'group set',
      { name: 'orders', change: { mode: 'live', timeoutMs: 2000, fallback: true }, reason: 'out', expect: 0 },
    ],
    [
      'route set a --percent none --timeout-ms none --fallback none --sticky-by none --reason r',
      'route set',
      { change: { percent: null, timeoutMs: null, fallback: null, stickyBy: null } },
    ],
    [
      "explain GET /api/orders/1 -H 'Authorization: Bearer x.y.z' -H 'x-a:b' --ip 10.0.0.1",
      'explain',
      { method: 'GET', path: '/api/orders/1', headers: { authorization: 'Bearer x.y.z', 'x-a': 'b' }, ip: '10.0.0.1' },
    ],
    ['traffic --minutes 15', 'traffic', { minutes: 15 }],
    ['audit --limit 3', 'audit', { limit: 3 }],
    ['status', 'status', {}],
  ])('reads %s', (line, name, input) => {
    const found = invocation(line);
    expect(found.name).toBe(name);
    expect(found.input).toMatchObject(input);
  });

  it('sends only the fields given, without the global options', () => {
    const found = invocation('route set a --mode live --json --reason r --token t');
    expect(found.input).toEqual({ name: 'a', change: { mode: 'live' }, reason: 'r', expect: undefined });
  });

  it.each([
    '--json rules show --url http://a:1/ --token t --author me',
    'rules --json show --url http://a:1 --token t --author me',
    'rules show --version 2 --json --url http://a:1 --token t --author me',
    "explain GET /x -H 'a: b' --json --url=http://a:1 --token=t --author=me",
  ])('reads the global options before or after the command: %s', (line) => {
    expect(invocation(line)).toMatchObject({ json: true, connection: { url: 'http://a:1', token: 't', author: 'me' } });
  });

  it('takes the connection from the environment, then the defaults', () => {
    expect(invocation('status')).toMatchObject({
      json: false,
      connection: { url: 'http://127.0.0.1:8081', token: 'env-token', author: 'env-author' },
    });
    const { parsed } = parse('status', { STRANGLER_ADMIN_URL: 'https://admin:9/', STRANGLER_ADMIN_TOKEN: 'e' });
    expect(parsed).toMatchObject({ invocation: { connection: { url: 'https://admin:9', token: 'e' } } });
    expect('invocation' in parsed && parsed.invocation.connection.author).toMatch(/.@./);
  });

  it.each([
    ['rules', 'Usage: npm run -s strangler -- rules [options] [command]'],
    ['rules dance', "strangler: Unknown command 'dance'"],
    ['dance', "strangler: Unknown command 'dance'"],
    ['rules show extra', "strangler: Too many arguments for 'show'. Expected 0 arguments but got 1."],
    ['rules show --version 0', 'strangler: --version must be an integer from 1 to 9007199254740991, not "0".'],
    ['rules history --limit 101', 'strangler: --limit must be an integer from 1 to 100, not "101".'],
    ['rules diff 1', "strangler: Missing required argument 'B'"],
    ['rules diff 1 x', 'strangler: B must be an integer from 1 to 9007199254740991, not "x".'],
    ['rules apply r.yaml', 'strangler: Say why with --reason: it is kept with the version.'],
    ['rules rollback 2', 'strangler: Say why with --reason: it is kept with the version.'],
    ["rules rollback 2 --reason ' '", 'strangler: --reason must not be empty.'],
    [
      'route set a --reason r',
      'strangler: Say what to change: --mode, --target, --percent, --sticky-by, --timeout-ms or --fallback.',
    ],
    [
      'route set a --mode half --reason r',
      'strangler: --mode must be one of legacy, shadow, canary, live, not "half".',
    ],
    [
      'route set a --percent 101 --reason r',
      'strangler: --percent must be a number from 0 to 100 (or none), not "101".',
    ],
    ['route set a --percent -1 --reason r', 'strangler: --percent must be a number from 0 to 100 (or none), not "-1".'],
    ['route set a --percent 1.234 --reason r', 'strangler: --percent must be a number from 0 to 100'],
    ['route set a --timeout-ms 0 --reason r', 'strangler: --timeout-ms must be an integer from 1 to 600000, not "0".'],
    [
      'route set a --sticky-by user --reason r',
      'strangler: --sticky-by must be jwt.sub, ip, header:NAME or cookie:NAME',
    ],
    ['route set a --fallback yes --reason r', 'strangler: --fallback must be true, false or none, not "yes".'],
    ['route set a --mode live --reason r --expect -1', 'strangler: --expect must be an integer from 0 to'],
    ['route set --mode live --reason r', "strangler: Missing required argument 'id'"],
    ['rules show --mode live', "strangler: Unknown option '--mode'"],
    ['explain GET', "strangler: Missing required argument 'path'"],
    ["explain GET /x -H 'no colon'", `strangler: -H must be 'name: value', not "no colon".`],
    ['traffic --minutes 61', 'strangler: --minutes must be an integer from 1 to 60, not "61".'],
    ['status --bogus', "strangler: Unknown option '--bogus'"],
    ['status --url ftp://x', 'strangler: --url must be an http:// or https:// URL, not "ftp://x".'],
    ['help dance', "strangler: Unknown command 'dance'"],
  ])('refuses %j with exit status 2, the message and the usage', (line, message) => {
    const { parsed, stdout, stderr } = parse(line);
    expect(parsed).toEqual({ exitCode: 2 });
    expect(stdout).toBe('');
    expect(stderr.startsWith(message)).toBe(true);
    expect(stderr).toMatch(/^Usage: npm run -s strangler -- /m);
  });

  it('says how to get a token when there is none', () => {
    const { parsed, stderr } = parse('status', {});
    expect(parsed).toEqual({ exitCode: 2 });
    expect(stderr.split('\n')[0]).toBe(
      'strangler: No admin token: give --token, set STRANGLER_ADMIN_TOKEN, or run the CLI from the repository ' +
        'root with `npm run -s strangler -- …` while `npm start` runs (it reads data/stack.env).',
    );
  });

  it('shows the whole table on --help, help or no command at all', () => {
    const help = parse('--help');
    expect(help).toMatchObject({ parsed: { exitCode: 0 }, stderr: '' });
    expect(help.stdout).toMatch(/^Usage: npm run -s strangler -- <command> \[options\]\n/);
    for (const command of COMMANDS) {
      expect(help.stdout).toMatch(new RegExp(`\\n  ${command.name}( |\\n)[^\\n]*${command.summary}`));
    }
    expect(help.stdout).toContain('Exit status: 0 done; 1 refused or failed');
    expect(parse('help')).toEqual(help);
    const none = parse('');
    expect(none).toMatchObject({ parsed: { exitCode: 2 }, stdout: '', stderr: help.stdout });
  });

  it.each(COMMANDS.map((command) => [command.name]))(
    'shows the help of %s, on --help or with help before it',
    (name) => {
      const help = parse(`${name} --help`);
      expect(help).toMatchObject({ parsed: { exitCode: 0 }, stderr: '' });
      expect(help.stdout).toMatch(new RegExp(`^Usage: npm run -s strangler -- ${name} `));
      expect(help.stdout).toContain('Global options:\n  --url <url>');
      expect(parse(`help ${name}`)).toEqual(help);
      expect(parse(`${name} -h`)).toEqual(help);
    },
  );

  it('shows what an option accepts in the help of its command', () => {
    const { stdout } = parse('help route set');
    expect(stdout).toContain('--mode <mode>            legacy, shadow, canary, live');
    expect(stdout).toContain('a field given as "none" is removed');
  });
});
