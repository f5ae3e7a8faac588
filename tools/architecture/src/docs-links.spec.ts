import { join } from 'node:path';
import { checkReference, findLinkProblems, findReferences } from './docs-links';

const EXISTING = new Set([
  'README.md',
  'CONTRIBUTING.md',
  'docs',
  'docs/api.md',
  'docs/architecture.md',
  'apps/catalog/README.md',
  'bench/common/src/stats.ts',
  'strangler/rules',
]);
const exists = (path: string) => EXISTING.has(path);

/** The planning folder beside a clone, `depth` levels up (built, so that this file names no such path itself). */
const shared = (depth: number) => `${'../'.repeat(depth)}shared`;

describe('findReferences', () => {
  it.each([
    ['an inline link', 'See [the API](docs/api.md).', 'docs/api.md', 'link'],
    ['a link with code as its text', 'In [`docs/api.md`](docs/api.md).', 'docs/api.md', 'link'],
    ['an image', '![the stack](docs/stack.png)', 'docs/stack.png', 'link'],
    ['a link with a title', '[API](docs/api.md "the public API")', 'docs/api.md', 'link'],
    ['a link in angle brackets', '[API](<docs/the api.md>)', 'docs/the api.md', 'link'],
    ['a link with an anchor', '[errors](docs/api.md#error-codes)', 'docs/api.md#error-codes', 'link'],
    ['a reference definition', '[api]: docs/api.md', 'docs/api.md', 'link'],
    ['an external link', '[zod](https://zod.dev)', 'https://zod.dev', 'link'],
    ['a link in a table cell', '| a | [catalog](apps/catalog/README.md) |', 'apps/catalog/README.md', 'link'],
    ['a mention in backticks', `The public API (\`${shared(3)}/API.md\`).`, `${shared(3)}/API.md`, 'mention'],
    ['a mention with a section', `(see \`${shared(2)}/DESIGN.md\`, "Layout")`, `${shared(2)}/DESIGN.md`, 'mention'],
    ['a mention in prose', `Read ${shared(1)}/CONVENTIONS.md first.`, `${shared(1)}/CONVENTIONS.md`, 'mention'],
    ['a link to the shared folder', `[design](${shared(1)}/DESIGN.md)`, `${shared(1)}/DESIGN.md`, 'link'],
  ])('finds %s', (_case, markdown, target, kind) => {
    expect(findReferences(markdown)).toEqual([{ line: 1, target, kind }]);
  });

  it.each([
    ['a fenced code block', '```ts\nconst x = items[0](value);\nimport { a } from "../../common/src/stats";\n```'],
    ['a tilde fence', '~~~\n[not a link](nowhere.md)\n~~~'],
    ['a code span', 'Call `handlers[0](event)` once.'],
    ['a path that is not in shared', 'See `../docs/api.md` and ../README.md.'],
    ['brackets without a link', 'An array `[1, 2]` and [a note] (aside).'],
  ])('finds nothing in %s', (_case, markdown) => {
    expect(findReferences(markdown)).toEqual([]);
  });

  it('gives the line of each reference, after a fence and a code span over two lines', () => {
    const markdown = [
      '# Title', // 1
      '```', // 2
      '[in code](x.md)', // 3
      '```', // 4
      'A `code span', // 5
      'over two lines` and [a link](docs/api.md).', // 6
      '', // 7
      `Last: \`${shared(2)}/API.md\`.`, // 8
    ].join('\n');

    expect(findReferences(markdown)).toEqual([
      { line: 6, target: 'docs/api.md', kind: 'link' },
      { line: 8, target: `${shared(2)}/API.md`, kind: 'mention' },
    ]);
  });

  it(`reports a link to ${shared(1)} once, not also as a mention`, () => {
    expect(findReferences(`[DESIGN](${shared(1)}/DESIGN.md)`)).toHaveLength(1);
  });
});

describe('checkReference', () => {
  it.each([
    ['README.md', 'docs/api.md'],
    ['README.md', 'CONTRIBUTING.md'],
    ['README.md', './docs/architecture.md#the-facade'],
    ['README.md', 'docs/'],
    ['README.md', 'strangler/rules'],
    ['apps/catalog/README.md', '../../docs/architecture.md'],
    ['docs/api.md', 'architecture.md#invariants'],
    ['docs/api.md', '../apps/catalog/README.md'],
    ['docs/api.md', '#conventions'],
    ['docs/api.md', 'https://example.com/x.md'],
    ['docs/api.md', 'http://localhost:3000/api-docs'],
    ['docs/api.md', 'mailto:ops@example.com'],
    ['apps/catalog/README.md', 'README.md'],
    ['bench/catalog/README.md', '../common/src/stats.ts'],
  ])('allows %s to reference %s', (file, target) => {
    expect(checkReference(file, target, exists)).toBeUndefined();
  });

  it.each([
    ['README.md', `${shared(1)}/DESIGN.md`, 'points outside the repository'],
    ['apps/catalog/README.md', `${shared(3)}/API.md`, 'points outside the repository'],
    ['legacy-monolith/README.md', `${shared(2)}/API.md`, 'points outside the repository'],
    ['apps/README.md', `${shared(1)}/DESIGN.md`, 'does not exist (shared/DESIGN.md)'],
    ['bench/catalog/README.md', `${shared(1)}/API.md`, 'does not exist (bench/shared/API.md)'],
    ['README.md', 'docs/missing.md', 'does not exist (docs/missing.md)'],
    ['README.md', 'docs/API.md#conventions', 'does not exist (docs/API.md)'],
    ['apps/catalog/README.md', 'docs/api.md', 'does not exist (apps/catalog/docs/api.md)'],
    ['README.md', '/docs/api.md', 'is an absolute path; use a path relative to the file'],
    ['README.md', 'node_modules/zod/README.md', 'points into node_modules/, which a clone does not have'],
    ['README.md', 'dist/strangler/src/main.js', 'points into dist/, which a clone does not have'],
    ['README.md', 'file:///work/shared/API.md', 'does not exist (file:/work/shared/API.md)'],
  ])('refuses %s referencing %s', (file, target, problem) => {
    expect(checkReference(file, target, exists)).toBe(problem);
  });
});

describe('the repository', () => {
  it(`has no Markdown link or ${shared(1)} mention that leaves it or resolves to nothing`, () => {
    expect(findLinkProblems(join(__dirname, '..', '..', '..'))).toEqual([]);
  });
});
