import { BadRequestException, HttpException, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { DomainError } from './domain-error';
import { SERVICE_ERRORS, defineErrorCatalog, mergeErrorCatalogs } from './error-catalog';
import { mapHttpError } from './http-error-mapping';
import { ValidationFailedError } from './validation-failed.error';

const catalog = mergeErrorCatalogs(
  SERVICE_ERRORS,
  defineErrorCatalog({ THING_NOT_FOUND: { status: 404, description: 'no thing' } }),
);

function bodyParserError(type: string, status: number) {
  return Object.assign(new Error(type), { type, status, statusCode: status, expose: true });
}

describe('mapHttpError', () => {
  it('maps a domain error through the catalog', () => {
    expect(mapHttpError(new DomainError('THING_NOT_FOUND', 'No thing 1.'), catalog)).toEqual({
      status: 404,
      code: 'THING_NOT_FOUND',
      message: 'No thing 1.',
      unexpected: false,
    });
  });

  it('keeps the list of a validation error', () => {
    expect(mapHttpError(new ValidationFailedError(['a: bad', 'b: bad']), catalog)).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      message: ['a: bad', 'b: bad'],
    });
  });

  it('answers 500 for a domain code missing from the catalog, revealing nothing', () => {
    expect(mapHttpError(new DomainError('SECRET_CODE', 'internal detail'), catalog)).toEqual({
      status: 500,
      code: 'INTERNAL_ERROR',
      message: 'An unexpected error occurred.',
      unexpected: true,
    });
  });

  it.each([
    ['entity.parse.failed', 400, 400, 'MALFORMED_JSON'],
    ['entity.too.large', 413, 413, 'PAYLOAD_TOO_LARGE'],
    ['encoding.unsupported', 415, 400, 'VALIDATION_FAILED'],
    ['request.size.invalid', 400, 400, 'VALIDATION_FAILED'],
  ])('maps the body parser error %s, raw or wrapped by Nest', (type, status, expectedStatus, code) => {
    const raw = bodyParserError(type, status);
    const wrapped = new HttpException('wrapped', status, { cause: raw });
    for (const error of [raw, wrapped]) {
      expect(mapHttpError(error, catalog)).toMatchObject({ status: expectedStatus, code, unexpected: false });
    }
  });

  it('answers an unknown route with ROUTE_NOT_FOUND', () => {
    expect(mapHttpError(new NotFoundException('Cannot GET /x'), catalog)).toMatchObject({
      status: 404,
      code: 'ROUTE_NOT_FOUND',
    });
  });

  it('maps other client errors of the framework to VALIDATION_FAILED and 503 to SERVICE_UNAVAILABLE', () => {
    expect(mapHttpError(new BadRequestException('bad %'), catalog)).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    expect(mapHttpError(new ServiceUnavailableException('down'), catalog)).toMatchObject({
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
    });
  });

  it('hides anything else behind a 500', () => {
    expect(mapHttpError(new TypeError('x is undefined'), catalog)).toMatchObject({
      status: 500,
      code: 'INTERNAL_ERROR',
      unexpected: true,
    });
    expect(mapHttpError('a string', catalog)).toMatchObject({ status: 500 });
  });
});

describe('mergeErrorCatalogs', () => {
  it('refuses one code with two statuses', () => {
    const a = defineErrorCatalog({ X: { status: 404, description: '' } });
    const b = defineErrorCatalog({ X: { status: 409, description: '' } });
    expect(() => mergeErrorCatalogs(a, b)).toThrow('Error code X is declared with statuses 404 and 409');
  });
});
