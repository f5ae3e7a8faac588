import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorBodySchema, ErrorCatalog } from '@app/service-defaults';

/**
 * Documents the error answers of a route: one OpenAPI response per status, with the
 * error body schema and each code that status can carry.
 *
 * @example
 * @ApiErrorResponses(CATALOG_ERRORS, 'PRODUCT_NOT_FOUND', 'VALIDATION_FAILED')
 */
export function ApiErrorResponses(catalog: ErrorCatalog, ...codes: string[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, string[]>();
  for (const code of codes) {
    const entry = catalog[code];
    if (!entry) throw new Error(`ApiErrorResponses: ${code} is not in the error catalog`);
    byStatus.set(entry.status, [...(byStatus.get(entry.status) ?? []), code]);
  }
  return applyDecorators(
    ...[...byStatus.entries()].map(([status, statusCodes]) =>
      ApiResponse({
        status,
        description: statusCodes.map((code) => `\`${code}\`: ${catalog[code]?.description ?? ''}`).join('<br>'),
        standardSchema: ErrorBodySchema,
      }),
    ),
  );
}
