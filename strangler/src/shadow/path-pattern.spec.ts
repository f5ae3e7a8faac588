import { formatPath, generalPath } from './json-path';
import { PathPattern, pathPatternProblem } from './path-pattern';

describe('paths of a JSON document', () => {
  it.each([
    [[], '$', '$'],
    [['id'], 'id', 'id'],
    [['items', 0, 'priceCents'], 'items[0].priceCents', 'items[*].priceCents'],
    [['a b', 2], '["a b"][2]', '["a b"][*]'],
    [[3, 'x-y'], '[3].x-y', '[*].x-y'],
  ] as const)('%j is shown as %s, in general %s', (path, shown, general) => {
    expect(formatPath(path)).toBe(shown);
    expect(generalPath(path)).toBe(general);
  });
});

describe('PathPattern', () => {
  it.each([
    ['createdAt', ['createdAt'], true],
    ['createdAt', ['createdAt', 'nested'], true],
    ['createdAt', ['order', 'createdAt'], false],
    ['items.*.id', ['items', 3, 'id'], true],
    ['items.*.id', ['items', 3, 'name'], false],
    ['items.*.id', ['items', 'id'], false],
    ['items.0.id', ['items', 0, 'id'], true],
    ['**.updatedAt', ['updatedAt'], true],
    ['**.updatedAt', ['customer', 'wallet', 'updatedAt'], true],
    ['**.updatedAt', ['customer', 'updatedAtLocal'], false],
    ['items.**.sku', ['items', 1, 'variant', 'sku'], true],
    ['*', ['anything', 'below'], true],
    ['*', [], false],
  ] as const)('%s matches %j: %s', (pattern, path, expected) => {
    expect(new PathPattern(pattern).matches(path)).toBe(expected);
  });

  it.each([
    ['', 'a pattern is a dotted path, without spaces at its ends'],
    [' id', 'a pattern is a dotted path, without spaces at its ends'],
    ['items..id', '"items..id" has an empty segment'],
    ['items.**', '"items.**" ends with **; name what to ignore below it, or end with *'],
  ])('refuses %j: %s', (pattern, problem) => {
    expect(pathPatternProblem(pattern)).toBe(problem);
    expect(() => new PathPattern(pattern)).toThrow(problem);
  });
});
