import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INTEGRATION_EVENTS_ERRORS } from './errors';

describe('the integration events error catalogue', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

  it.each(Object.keys(INTEGRATION_EVENTS_ERRORS))('documents %s in the README', (code) => {
    expect(readme).toMatch(new RegExp(`\\|\\s*\`${code}\`\\s*\\|`));
  });
});
