import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_ERRORS } from './error-catalog';

describe('the shared error catalogue', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

  it.each(Object.entries(SERVICE_ERRORS))('documents %s with its status in the README', (code, { status }) => {
    expect(readme).toMatch(new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${status}\\s*\\|`));
  });
});
