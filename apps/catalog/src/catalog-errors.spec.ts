import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOG_APP_ERRORS, CATALOG_SERVICE_ERRORS, CatalogServiceError } from './catalog-errors';

describe('the catalog error catalogue', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

  it.each(Object.entries(CATALOG_APP_ERRORS))('documents %s with its status in the README', (code, { status }) => {
    expect(readme).toMatch(new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${status}\\s*\\|`));
  });

  it('answers the public codes of the product routes', () => {
    expect(Object.keys(CATALOG_APP_ERRORS)).toEqual(
      expect.arrayContaining([
        'PRODUCT_NOT_FOUND',
        'PRODUCT_SKU_TAKEN',
        'VALIDATION_FAILED',
        'UNAUTHENTICATED',
        'FORBIDDEN',
      ]),
    );
  });

  it('gives its own errors their code and message', () => {
    const error = new CatalogServiceError('CATALOG_PRODUCT_UNKNOWN', 'not yet');
    expect(error).toMatchObject({ code: 'CATALOG_PRODUCT_UNKNOWN', message: 'not yet', name: 'CatalogServiceError' });
    expect(Object.keys(CATALOG_SERVICE_ERRORS).every((code) => code.startsWith('CATALOG_'))).toBe(true);
  });
});
