import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_APP_ERRORS } from '../admin/admin.errors';
import { DEFAULT_ADMIN_URL } from './admin-connection';
import { COMMANDS } from './commands';

describe('the CLI README', () => {
  const readme = readFileSync(join(__dirname, 'README.md'), 'utf8');

  it.each(COMMANDS.map((command) => [command.name, command]))('documents %s and its options', (name, command) => {
    expect(readme).toContain(`| \`${name}`);
    for (const { flags } of Object.values(command.options ?? {})) {
      expect(readme).toContain(flags.replace(/^-\w, /, '').split(' ')[0]);
    }
  });

  it('documents the global options and their variables with their defaults', () => {
    for (const [option, variable, byDefault] of [
      ['--url URL', 'STRANGLER_ADMIN_URL', `\`${DEFAULT_ADMIN_URL}\``],
      ['--token TOKEN', 'STRANGLER_ADMIN_TOKEN', 'none: required'],
      ['--author NAME', 'STRANGLER_AUTHOR', '`user@host`'],
    ]) {
      expect(readme).toMatch(new RegExp(`^\\| \`${option}\` +\\| \`${variable}\` +\\| ${byDefault} +\\|`, 'm'));
    }
    expect(readme).toMatch(/^\| `--json` +\| +\| off +\|/m);
  });

  it.each([...Object.keys(ADMIN_APP_ERRORS), 'HTTP_ERROR'])('documents the code %s', (code) => {
    expect(readme).toMatch(new RegExp(`^\\| \`${code}\` +\\|`, 'm'));
  });

  it('writes out every example as a whole command: a write says why', () => {
    const examples = readme.split('\n').filter((line) => line.startsWith('npm run -s strangler -- '));
    expect(examples.length).toBeGreaterThan(5);
    for (const line of examples) {
      if (/ (apply|rollback|set) /.test(line) && !line.includes('--dry-run')) expect(line).toMatch(/ --reason "/);
    }
  });
});
