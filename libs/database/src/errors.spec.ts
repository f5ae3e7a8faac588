import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATABASE_ERRORS } from './errors';

describe('the database error catalogue', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

  it.each(Object.entries(DATABASE_ERRORS))('documents %s with its status in the README', (code, { status }) => {
    expect(readme).toMatch(new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${status}\\s*\\|`));
  });
});
