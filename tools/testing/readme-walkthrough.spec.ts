import { isRead, printedAsShown, walkthroughBlocks } from './readme-walkthrough';

const README = [
  '# Title',
  '',
  '```sh',
  'npm install   # not marked: never run',
  '```',
  '',
  '<!-- walkthrough -->',
  '',
  '```sh',
  '# a comment, not output',
  'TOKEN=$(curl -s localhost:8080/api/auth/token \\',
  "  -d '{}' | jq -r .accessToken)",
  'curl -s localhost:8080/api/products | jq -c .total',
  '# 0',
  '',
  '# explains the next command',
  'npm run -s strangler -- rules history',
  '```',
  '',
  'Prose.',
  '',
  '<!-- walkthrough: stopped -->',
  '```sh',
  'npm run reset',
  '#',
  '# Deleted …',
  '```',
].join('\n');

describe('the walkthrough blocks of a README', () => {
  it('takes the marked sh blocks in order, with each command and what it prints', () => {
    expect(walkthroughBlocks(README)).toEqual([
      {
        phase: 'running',
        commands: [
          {
            text: "TOKEN=$(curl -s localhost:8080/api/auth/token \\\n  -d '{}' | jq -r .accessToken)",
            expected: undefined,
            line: 11,
          },
          { text: 'curl -s localhost:8080/api/products | jq -c .total', expected: ['0'], line: 13 },
          { text: 'npm run -s strangler -- rules history', expected: undefined, line: 17 },
        ],
      },
      { phase: 'stopped', commands: [{ text: 'npm run reset', expected: ['', 'Deleted …'], line: 24 }] },
    ]);
  });

  it('refuses a marked block that is not sh, or not closed', () => {
    expect(() => walkthroughBlocks('<!-- walkthrough -->\n```text\nx\n```')).toThrow(
      'README line 2: a walkthrough block must be ```sh',
    );
    expect(() => walkthroughBlocks('<!-- walkthrough -->\n```sh\nx\n')).toThrow(
      'README line 2: the walkthrough block is not closed',
    );
  });

  it('compares printed lines with the shown ones, … standing for any text', () => {
    expect(printedAsShown('{"id":"abc","n":1}\n', ['{"id":"…","n":1}'])).toBe(true);
    expect(printedAsShown('{"id":"abc","n":2}\n', ['{"id":"…","n":1}'])).toBe(false);
    expect(printedAsShown('a\nb\n', ['a'])).toBe(false);
    expect(printedAsShown('a (1+1)\r\n', ['a (1+1)'])).toBe(true);
    expect(printedAsShown('', [''])).toBe(true);
  });

  it('lets a line of only … stand for any number of lines', () => {
    expect(printedAsShown('Version 2 created\n  a\n  b\n', ['Version 2 created', '…'])).toBe(true);
    expect(printedAsShown('Version 2 created\n', ['Version 2 created', '…'])).toBe(true);
    expect(printedAsShown('head\n1\n2\ntail\n', ['head', '…', 'tail'])).toBe(true);
    expect(printedAsShown('head\n1\n2\n', ['head', '…', 'tail'])).toBe(false);
    expect(printedAsShown('Version 3 created\n  a\n', ['Version 2 created', '…'])).toBe(false);
  });

  it('retries only the commands that read', () => {
    expect(isRead('curl -s localhost:8080/api/products/$PRODUCT | jq .stock')).toBe(true);
    expect(isRead("curl -s localhost:8080/api/customers -d '{}'")).toBe(false);
    expect(isRead('curl -s -X POST localhost:8080/api/orders/$ORDER/cancel')).toBe(false);
    expect(isRead('npm run -s strangler -- traffic')).toBe(false);
  });
});
