import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOG_ERRORS, CUSTOMERS_ERRORS } from './index';

describe('the public API error catalogue', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

  it.each(Object.entries({ ...CATALOG_ERRORS, ...CUSTOMERS_ERRORS }))('documents %s with its status', (code, entry) => {
    expect(readme).toMatch(new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${entry.status}\\s*\\|`));
  });
});
