import { type PatternSegment, parsePathPattern, patternCovers } from './path-pattern';

describe('parsePathPattern', () => {
  it.each<[string, PatternSegment[]]>([
    ['/', []],
    ['/api', [{ kind: 'literal', value: 'api' }]],
    [
      '/api/orders/:id',
      [
        { kind: 'literal', value: 'api' },
        { kind: 'literal', value: 'orders' },
        { kind: 'param', name: 'id' },
      ],
    ],
    ['/api/*/items', [{ kind: 'literal', value: 'api' }, { kind: 'star' }, { kind: 'literal', value: 'items' }]],
    ['/api/products/**', [{ kind: 'literal', value: 'api' }, { kind: 'literal', value: 'products' }, { kind: 'rest' }]],
    ['/**', [{ kind: 'rest' }]],
    [
      '/:_id2/x',
      [
        { kind: 'param', name: '_id2' },
        { kind: 'literal', value: 'x' },
      ],
    ],
    ["/a-b_c.d~!$&'()+,;=@", [{ kind: 'literal', value: "a-b_c.d~!$&'()+,;=@" }]],
    [
      '/v1.2/...',
      [
        { kind: 'literal', value: 'v1.2' },
        { kind: 'literal', value: '...' },
      ],
    ],
  ])('parses %s', (pattern, segments) => {
    expect(parsePathPattern(pattern)).toEqual(segments);
  });

  it.each([
    ['', 'must start with /'],
    ['api/orders', 'must start with /'],
    ['*', 'must start with /'],
    ['//', 'has an empty segment (// or a trailing /)'],
    ['/api//orders', 'has an empty segment (// or a trailing /)'],
    ['/api/', 'has an empty segment (// or a trailing /)'],
    ['/**/orders', 'may use ** only as its last segment'],
    ['/api/**/**', 'may use ** only as its last segment'],
    ['/api/:', 'has a bad parameter : (use :name)'],
    ['/api/:1d', 'has a bad parameter :1d (use :name)'],
    ['/api/:id-x', 'has a bad parameter :id-x (use :name)'],
    ['/api/.', 'may not contain . or .. segments'],
    ['/api/../admin', 'may not contain . or .. segments'],
    ['/api/a b', 'has a segment with characters not allowed in a path: a b'],
    ['/api/a%2fb', 'has a segment with characters not allowed in a path: a%2fb'],
    ['/api/x?y=1', 'has a segment with characters not allowed in a path: x?y=1'],
    ['/api/x#y', 'has a segment with characters not allowed in a path: x#y'],
    ['/api/a\\b', 'has a segment with characters not allowed in a path: a\\b'],
    ['/api/orders*', 'has a segment with characters not allowed in a path: orders*'],
    ['/api/***', 'has a segment with characters not allowed in a path: ***'],
    ['/api/caf\u00e9', 'has a segment with characters not allowed in a path: caf\u00e9'],
  ])('refuses %j: %s', (pattern, message) => {
    expect(() => parsePathPattern(pattern)).toThrow(new Error(message));
  });
});

describe('patternCovers', () => {
  it.each([
    // outer, inner, whether every path inner matches is matched by outer
    ['/', '/', true],
    ['/', '/a', false],
    ['/a', '/a', true],
    ['/a', '/b', false],
    ['/a', '/a/b', false],
    ['/a/b', '/a', false],
    ['/**', '/', true],
    ['/**', '/anything/at/all', true],
    ['/**', '/**', true],
    ['/api/**', '/api', true], // ** matches zero segments
    ['/api/**', '/api/orders/:id', true],
    ['/api/**', '/api/*/x/**', true],
    ['/api/**', '/**', false],
    ['/api/**', '/apix/**', false],
    ['/api/orders/**', '/api/:kind/**', false],
    ['/api/:id', '/api/x', true],
    ['/api/:id', '/api/*', true],
    ['/api/*', '/api/:id', true],
    ['/api/x', '/api/:id', false],
    ['/api/:id', '/api/**', false],
    ['/api/:id', '/api', false],
    ['/api/:id', '/api/x/y', false],
    ['/api/:id/items', '/api/7/items', true],
    ['/api/:id/items', '/api/7/other', false],
  ])('%s covers %s: %s', (outer, inner, covers) => {
    expect(patternCovers(parsePathPattern(outer), parsePathPattern(inner))).toBe(covers);
  });
});
