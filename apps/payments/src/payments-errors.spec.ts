import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PAYMENTS_ERRORS } from './payments-errors';

describe('the payments error catalogue', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

  it.each(Object.entries(PAYMENTS_ERRORS))('documents %s with its status in the README', (code, { status }) => {
    expect(readme).toMatch(new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${status}\\s*\\|`));
  });

  it('answers a deposit for an unknown wallet as the monolith does', () => {
    expect(PAYMENTS_ERRORS.CUSTOMER_NOT_FOUND?.status).toBe(404);
    expect(PAYMENTS_ERRORS.IDEMPOTENCY_KEY_REUSED?.status).toBe(422);
    expect(PAYMENTS_ERRORS.FORBIDDEN?.status).toBe(403);
  });
});
