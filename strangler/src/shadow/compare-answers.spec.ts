import { type ShadowAnswer, compareAnswers, differencesOf } from './compare-answers';
import { NoiseModel } from './noise-model';
import { PathPattern } from './path-pattern';

const json = (body: unknown, status = 200, headers: Record<string, string> = {}): ShadowAnswer => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: Buffer.from(JSON.stringify(body)),
});
const text = (body: string | Buffer, type = 'text/plain'): ShadowAnswer => ({
  status: 200,
  headers: { 'content-type': type },
  body: Buffer.isBuffer(body) ? body : Buffer.from(body),
});
const settings = { headers: ['content-type', 'etag'], ignore: [] as PathPattern[] };
const places = (legacy: ShadowAnswer, target: ShadowAnswer, ignore: string[] = []) =>
  differencesOf(legacy, target, { ...settings, ignore: ignore.map((p) => new PathPattern(p)) }).map((d) => [
    d.place,
    d.legacy,
    d.target,
  ]);

describe('comparing legacy’s answer with the target’s', () => {
  it.each([
    ['equal JSON, keys in another order', json({ a: 1, b: [1, 2] }), json({ b: [1, 2], a: 1 }), []],
    ['a changed value', json({ stock: 3 }), json({ stock: 4 }), [['body:stock', 3, 4]]],
    ['a place only legacy has', json({ a: 1, b: 2 }), json({ a: 1 }), [['body:b', 2, undefined]]],
    ['a place only the target has', json({ a: 1 }), json({ a: 1, c: { d: 1 } }), [['body:c', undefined, { d: 1 }]]],
    [
      'an array element',
      json({ items: [{ id: 'x' }] }),
      json({ items: [{ id: 'y' }] }),
      [['body:items[0].id', 'x', 'y']],
    ],
    ['a longer array', json([1]), json([1, 2]), [['body:[1]', undefined, 2]]],
    ['another type', json({ a: 1 }), json({ a: '1' }), [['body:a', 1, '1']]],
    ['an object against an array', json({ a: 1 }), json([1]), [['body:$', { a: 1 }, [1]]]],
    ['scalars at the top', json(1), json(2), [['body:$', 1, 2]]],
    ['the status', json({}, 200), json({}, 404), [['status', 200, 404]]],
    [
      'a chosen header',
      json({}, 200, { etag: '"1"' }),
      json({}, 200, { etag: '"2"' }),
      [['header:etag', '"1"', '"2"']],
    ],
    ['a header not chosen', json({}, 200, { server: 'a' }), json({}, 200, { server: 'b' }), []],
    [
      'the content type, and then the bytes',
      json({ a: 1 }),
      text('{"a":1}'),
      [['header:content-type', 'application/json; charset=utf-8', 'text/plain']],
    ],
    ['equal text', text('hello'), text('hello'), []],
    ['other text', text('hello'), text('help'), [['body:$', 'hello', 'help']]],
    [
      'JSON that does not parse, compared as bytes',
      text('{"a":', 'application/json'),
      text('{"a":', 'application/json'),
      [],
    ],
    [
      'a JSON type with a suffix',
      text('{"a":1}', 'application/problem+json'),
      text('{"a":2}', 'application/problem+json'),
      [['body:a', 1, 2]],
    ],
  ] as const)('%s', (_case, legacy, target, expected) => {
    expect(places(legacy, target)).toEqual(expected);
  });

  it('keeps a long text body short, and says when a body is not text', () => {
    const [long] = differencesOf(text('x'.repeat(500)), text('y'.repeat(500)), settings);
    expect(long?.legacy).toBe(`${'x'.repeat(200)}… (500 bytes)`);
    const [binary] = differencesOf(text(Buffer.from([0xff, 0xfe]), 'image/png'), text('a', 'image/png'), settings);
    expect(binary?.legacy).toBe('<2 bytes, not text>');
  });

  it('leaves out the places a route ignores, and everything below them', () => {
    const legacy = json({ id: 'a', createdAt: 1, items: [{ id: 'x', n: 1, meta: { at: 1 } }] });
    const target = json({ id: 'b', createdAt: 2, items: [{ id: 'y', n: 2, meta: { at: 2 } }] });
    expect(places(legacy, target, ['id', 'createdAt', 'items.*.id', '**.meta'])).toEqual([['body:items[0].n', 1, 2]]);
  });

  it('sets noise apart: a place where legacy’s own answers differ does not make the answers unequal', () => {
    const noise = new NoiseModel();
    noise.learn(differencesOf(json({ at: 1, stock: 3 }), json({ at: 2, stock: 3 }), settings).map((d) => d.general));
    const same = compareAnswers(json({ at: 5, stock: 3 }), json({ at: 9, stock: 3 }), settings, noise);
    expect(same).toMatchObject({ equal: true, differences: [], noise: [{ place: 'body:at' }] });
    const other = compareAnswers(json({ at: 5, stock: 3 }), json({ at: 9, stock: 4 }), settings, noise);
    expect(other).toMatchObject({ equal: false, differences: [{ place: 'body:stock', legacy: 3, target: 4 }] });
  });
});
