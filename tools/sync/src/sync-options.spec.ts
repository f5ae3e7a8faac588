import { AGGREGATE_KINDS } from './kinds';
import { SyncError } from './sync-errors';
import { parseSyncArguments } from './sync-options';

const names = (argv: string[]) => {
  const parsed = parseSyncArguments(argv);
  return parsed.help ? 'help' : parsed.kinds.map((kind) => kind.name);
};

describe('parseSyncArguments', () => {
  it('checks every kind once, as text, by default', () => {
    expect(parseSyncArguments([])).toEqual({
      help: false,
      json: false,
      waitSeconds: 0,
      kinds: AGGREGATE_KINDS,
      repair: false,
    });
  });

  it('reads --json, --wait and --repair', () => {
    expect(parseSyncArguments(['--json', '--wait', '2.5', '--repair'])).toMatchObject({
      json: true,
      waitSeconds: 2.5,
      repair: true,
    });
  });

  it('waits 30 s for the resent events after --repair unless --wait says otherwise', () => {
    expect(parseSyncArguments(['--repair'])).toMatchObject({ waitSeconds: 30, repair: true });
    expect(parseSyncArguments(['--repair', '--wait', '0'])).toMatchObject({ waitSeconds: 0, repair: true });
  });

  it.each([
    [
      ['--kind', 'stock,wallets'],
      ['wallets', 'stock'],
    ],
    [
      ['--kind', 'products', '--kind', 'stock'],
      ['stock', 'products'],
    ],
    [['--kind=wallets, wallets'], ['wallets']],
    [['--help'], 'help'],
  ])('%j → %j', (argv, expected) => {
    expect(names(argv)).toEqual(expected);
  });

  it.each([
    [['--wait=-1'], /--wait is "-1"; allowed: a number of seconds from 0 to 3600/],
    [['--wait', 'soon'], /--wait is "soon"/],
    [['--wait', '3601'], /--wait is "3601"/],
    [['--kind', 'wallets,refunds'], /--kind names "refunds"; allowed: wallets, stock, products, orders/],
    [['--kind', ''], /--kind names ""/],
    [['--verbose'], /Unknown option '--verbose'/],
    [['extra'], /Unexpected argument 'extra'/],
  ])('refuses %j', (argv, message) => {
    let thrown: unknown;
    try {
      parseSyncArguments(argv);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SyncError);
    expect(thrown).toMatchObject({ code: 'SYNC_OPTIONS_INVALID', message: expect.stringMatching(message) });
  });
});
