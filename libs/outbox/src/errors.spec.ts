import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONSISTENCY_ERRORS } from './consistency/consistency.errors';
import { OUTBOX_ERRORS } from './errors';

describe('the outbox error catalogues', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

  it.each(Object.keys({ ...OUTBOX_ERRORS, ...CONSISTENCY_ERRORS }))('documents %s in the README', (code) => {
    expect(readme).toMatch(new RegExp(`\\|\\s*\`${code}\`\\s*\\|`));
  });
});
