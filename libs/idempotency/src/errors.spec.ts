import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IDEMPOTENCY_ERRORS } from './idempotency.errors';

describe('the idempotency error catalogue', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

  it.each(Object.entries(IDEMPOTENCY_ERRORS))('documents %s with its status', (code, entry) => {
    expect(readme).toMatch(new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${entry.status}\\s*\\|`));
  });
});
