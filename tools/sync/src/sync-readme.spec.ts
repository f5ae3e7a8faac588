import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AGGREGATE_KINDS } from './kinds';
import { SYNC_ERROR_CODES } from './sync-errors';

describe('the sync:verify README', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

  it.each(SYNC_ERROR_CODES)('documents the code %s', (code) => {
    expect(readme).toMatch(new RegExp(`^\\| \`${code}\` +\\|`, 'm'));
  });

  it.each(['--kind <kinds>', '--wait <seconds>', '--json', '--repair', '--help'])('documents %s', (option) => {
    expect(readme).toMatch(new RegExp(`^\\| \`${option}\``, 'm'));
  });

  it.each(AGGREGATE_KINDS.map((kind) => [kind.name, kind]))('documents the kind %s and its sides', (name, kind) => {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${name}\``));
    expect(row).toBeDefined();
    for (const side of kind.sides) expect(row).toContain(side.process);
  });

  it.each([0, 1, 2])('documents the exit status %s', (status) => {
    expect(readme).toMatch(new RegExp(`^\\| ${status} +\\|`, 'm'));
  });
});
