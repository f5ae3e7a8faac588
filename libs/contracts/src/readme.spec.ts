import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INTEGRATION_EVENTS, SAGA_COMMANDS } from './registry';

interface Row {
  readonly pattern: string;
  readonly kind: string;
  readonly aggregate: string;
  readonly publishers: readonly string[];
  readonly consumers: readonly string[];
  readonly meaning: string;
}

const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

/** Service names of a cell: comma-separated, notes in parentheses and "—" ignored. */
function services(cell: string): string[] {
  return cell
    .replace(/\([^)]*\)/g, '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '' && name !== '—')
    .sort();
}

/** The rows of the "Every message" table. */
function messageTable(markdown: string): Row[] {
  const section = markdown.split(/^## /m).find((part) => part.startsWith('Every message'));
  if (!section) throw new Error('README.md has no "## Every message" section');
  return section
    .split('\n')
    .filter((line) => /^\|\s*`/.test(line))
    .map((line) => {
      const cells = line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim());
      const [pattern = '', kind = '', aggregate = '', publishers = '', consumers = '', meaning = ''] = cells;
      return {
        pattern: pattern.replace(/`/g, ''),
        kind,
        aggregate,
        publishers: services(publishers),
        consumers: services(consumers),
        meaning,
      };
    });
}

const rows = messageTable(readme);
const expected = [
  ...INTEGRATION_EVENTS.map((definition) => ({
    pattern: definition.pattern,
    kind: definition.kind,
    aggregate: definition.aggregateType,
    publishers: [...definition.publishers].sort(),
    consumers: [...definition.consumers].sort(),
  })),
  ...SAGA_COMMANDS.map((definition) => ({
    pattern: definition.pattern,
    kind: definition.kind,
    aggregate: '—',
    publishers: [...definition.senders].sort(),
    consumers: [definition.service],
  })),
];

describe('README.md message table', () => {
  it.each(expected.map((message) => [message.pattern, message] as const))(
    '%s has a row with its kind, aggregate, publishers and consumers',
    (pattern, message) => {
      const row = rows.find((candidate) => candidate.pattern === pattern);
      expect(row).toBeDefined();
      expect({ ...row, meaning: undefined }).toEqual({ ...message, meaning: undefined });
      expect(row?.meaning).not.toBe('');
    },
  );

  it('lists nothing that is not defined, and nothing twice', () => {
    expect(rows.map((row) => row.pattern).sort()).toEqual(expected.map((message) => message.pattern).sort());
  });

  it('says that nobody publishes product.updated yet', () => {
    expect(rows.find((row) => row.pattern === 'product.updated')?.meaning).toMatch(/No one publishes it yet/);
  });

  it('finds a missing row', () => {
    const withoutOne = readme.replace(/^\| `wallet\.debited` .*$/m, '');
    expect(messageTable(withoutOne).map((row) => row.pattern)).not.toContain('wallet.debited');
  });
});
