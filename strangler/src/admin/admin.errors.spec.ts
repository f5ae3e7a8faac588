import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GroupNotFoundError,
  HistoryCopyCorruptError,
  HistoryCopyDivergedError,
  HistoryCopyUnavailableError,
  RouteNotFoundError,
  RulesInvalidError,
  StoreUnavailableError,
  VersionConflictError,
  VersionNotFoundError,
} from '../store';
import { STRANGLER_ADMIN_ERRORS } from './admin.errors';

describe('the admin error catalogue', () => {
  const readme = readFileSync(join(__dirname, 'README.md'), 'utf8');

  it.each(Object.entries(STRANGLER_ADMIN_ERRORS))('documents %s with its status in the README', (code, { status }) => {
    expect(readme).toMatch(new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${status}\\s*\\|`));
  });

  it.each([
    new RulesInvalidError(['x']),
    new VersionConflictError(1, 2),
    new VersionNotFoundError(3),
    new RouteNotFoundError('r'),
    new GroupNotFoundError('g'),
    new StoreUnavailableError('down'),
    new HistoryCopyCorruptError('rules.jsonl', 3, 'not JSON'),
    new HistoryCopyUnavailableError('rules.jsonl', 'EACCES'),
    new HistoryCopyDivergedError('rules.jsonl', 4, 'rules.jsonl.diverged'),
  ])('lists the code of the store’s $name', (error) => {
    expect(STRANGLER_ADMIN_ERRORS).toHaveProperty(error.code);
  });
});
