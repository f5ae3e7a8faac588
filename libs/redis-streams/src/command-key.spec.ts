import { firstKeyOf } from './command-key';

describe('firstKeyOf', () => {
  it.each<[string[], string | undefined]>([
    [['XADD', 'k', 'MAXLEN', '~', '10', '*', 'f', 'v'], 'k'],
    [['XACK', 'k', 'g', '1-0'], 'k'],
    [['XPENDING', 'k', 'g'], 'k'],
    [['XAUTOCLAIM', 'k', 'g', 'c', '1000', '0-0', 'COUNT', '5'], 'k'],
    [['SET', 'k', 'v', 'PX', '5000'], 'k'],
    [['EXISTS', 'k'], 'k'],
    [['XGROUP', 'CREATE', 'k', 'g', '0', 'MKSTREAM'], 'k'],
    [['XINFO', 'GROUPS', 'k'], 'k'],
    [['EVAL', 'return 1', '1', 'k', 'a'], 'k'],
    [['EVALSHA', 'abc', '2', 'k', 'l', 'a'], 'k'],
    [['EVAL', 'return 1', '0', 'a'], undefined],
    [['XREAD', 'COUNT', '256', 'BLOCK', '1000', 'STREAMS', 'k', '0-0'], 'k'],
    [['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '5', 'BLOCK', '1000', 'STREAMS', 'k', 'l', '>', '>'], 'k'],
    // A group and a consumer named like the keyword are no keyword.
    [['XREADGROUP', 'GROUP', 'streams', 'STREAMS', 'NOACK', 'STREAMS', 'k', '>'], 'k'],
    [['INFO', 'server'], undefined],
    [['CLIENT', 'LIST'], undefined],
    [['PUBLISH', 'channel', 'message'], undefined],
  ])('%j → %s', (args, key) => {
    expect(firstKeyOf(args)).toBe(key);
  });
});
