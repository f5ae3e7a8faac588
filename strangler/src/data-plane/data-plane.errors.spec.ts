import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_PLANE_ERRORS } from './data-plane.errors';

describe('DATA_PLANE_ERRORS', () => {
  const readme = readFileSync(join(__dirname, 'README.md'), 'utf8');

  it.each(Object.entries(DATA_PLANE_ERRORS))('documents %s with its status in README.md', (code, { status }) => {
    expect(readme).toMatch(new RegExp(`^\\| ${status} +\\| \`${code}\` +\\|`, 'm'));
  });
});
