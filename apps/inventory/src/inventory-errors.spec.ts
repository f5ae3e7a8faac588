import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INVENTORY_ERRORS } from './inventory-errors';

describe('the inventory error catalogue', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

  it.each(Object.entries(INVENTORY_ERRORS))('documents %s with its status in the README', (code, { status }) => {
    expect(readme).toMatch(new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${status}\\s*\\|`));
  });
});
