import { auditLine, compareStreamIds, headerLine, parseHistoryCopy, versionLine } from './history-copy.lines';

const PREFIX = 'ficus:';
const version = (n: number, reason = 'r') => ({
  version: n,
  fields: { version: String(n), action: 'replace', reason, document: '{}' },
});
const entry = (id: string, n: number) => ({ id, fields: { version: String(n), action: 'replace', summary: 's' } });
const parse = (...lines: string[]) => parseHistoryCopy(Buffer.from(lines.join('')), PREFIX);
const problem = (...lines: string[]) => {
  const result = parse(...lines);
  return result.ok ? undefined : result.problem;
};

describe('the lines of a history copy', () => {
  it('reads what it wrote: versions by number, audit entries in stream order', () => {
    const result = parse(
      headerLine(PREFIX),
      versionLine(version(1)),
      auditLine(entry('1718000000000-1', 1)),
      versionLine(version(2)),
      auditLine(entry('999999999999-0', 2)),
    );
    expect(result).toMatchObject({ ok: true, content: { started: true, cutShort: false } });
    if (!result.ok) return;
    expect([...result.content.versions.keys()]).toEqual([1, 2]);
    expect(result.content.versions.get(2)).toEqual(version(2).fields);
    expect(result.content.audit.map((e) => e.id)).toEqual(['999999999999-0', '1718000000000-1']);
  });

  it('takes a missing or empty file as an empty copy', () => {
    expect(parse()).toEqual({
      ok: true,
      content: { versions: new Map(), audit: [], started: false, wholeBytes: 0, cutShort: false },
    });
  });

  it('ignores a last line cut short by a crash, and says where the whole lines end', () => {
    const whole = headerLine(PREFIX) + versionLine(version(1));
    const result = parse(whole, versionLine(version(2)).slice(0, 20));
    expect(result).toMatchObject({ ok: true, content: { wholeBytes: Buffer.byteLength(whole), cutShort: true } });
    if (result.ok) expect([...result.content.versions.keys()]).toEqual([1]);
  });

  it('accepts the same line twice (two instances on one file), in any order', () => {
    const result = parse(
      headerLine(PREFIX),
      versionLine(version(1)),
      versionLine(version(2)),
      versionLine(version(1)),
      auditLine(entry('5-0', 2)),
      auditLine(entry('5-0', 2)),
    );
    expect(result.ok && [result.content.versions.size, result.content.audit.length]).toEqual([2, 1]);
  });

  it.each([
    ['a line that is not JSON', [headerLine(PREFIX), '{"kind":"version",\n'], 2, 'not JSON'],
    ['an empty line', [headerLine(PREFIX), '\n'], 2, 'not JSON'],
    ['no header', [versionLine(version(1))], 1, 'the header must be the first line, and only it'],
    ['a second header', [headerLine(PREFIX), headerLine(PREFIX)], 2, 'the header must be the first line, and only it'],
    ['another prefix', [headerLine('other:')], 1, 'it holds the history of the prefix "other:", not "ficus:"'],
    ['another format', ['{"kind":"copy","format":2,"prefix":"ficus:"}\n'], 1, 'format 2 is not 1'],
    [
      'fields of another version',
      [headerLine(PREFIX), versionLine({ version: 2, fields: version(3).fields })],
      2,
      'version 2 has fields of another version',
    ],
    [
      'a version without its document',
      [headerLine(PREFIX), versionLine({ version: 1, fields: { version: '1' } })],
      2,
      'version 1 has no document',
    ],
    [
      'two different lines for one version',
      [headerLine(PREFIX), versionLine(version(1)), versionLine(version(1, 'other'))],
      3,
      'version 1 differs from an earlier line',
    ],
    [
      'two different lines for one audit entry',
      [headerLine(PREFIX), auditLine(entry('5-0', 1)), auditLine(entry('5-0', 2))],
      3,
      'audit entry 5-0 differs from an earlier line',
    ],
    [
      'an audit entry without its version',
      [headerLine(PREFIX), auditLine({ id: '5-0', fields: { action: 'seed' } })],
      2,
      'audit entry 5-0 names no version',
    ],
  ])('refuses %s, naming the line', (_, lines, line, detail) => {
    expect(problem(...lines)).toEqual({ line, detail });
  });

  it.each([
    ['an unknown kind', '{"kind":"note"}\n'],
    ['a version number that is not one', '{"kind":"version","version":"1","fields":{}}\n'],
    ['a field that is not text', '{"kind":"audit","id":"1-0","fields":{"version":1}}\n'],
    ['a stream id that is not one', '{"kind":"audit","id":"*","fields":{"version":"1"}}\n'],
    ['an unknown property', '{"kind":"audit","id":"1-0","fields":{"version":"1"},"extra":true}\n'],
  ])('refuses %s as not a line of a history copy', (_, line) => {
    expect(problem(headerLine(PREFIX), line)).toMatchObject({
      line: 2,
      detail: expect.stringMatching(/^not a line of a history copy \(/),
    });
  });

  it('orders stream ids by time, then sequence, beyond the precision of a double', () => {
    expect(compareStreamIds('1718000000000-0', '999999999999-5')).toBe(1);
    expect(compareStreamIds('5-2', '5-10')).toBe(-1);
    expect(compareStreamIds('5-18446744073709551614', '5-18446744073709551615')).toBe(-1);
    expect(compareStreamIds('7-1', '7-1')).toBe(0);
  });
});
