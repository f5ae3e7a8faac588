import { ArgumentMetadata, Injectable, StandardSchemaValidationPipe } from '@nestjs/common';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { ValidationFailedError } from '../errors/validation-failed.error';
import { prototypeKeysIn } from './prototype-keys';

function describeLocation(metadata: ArgumentMetadata, issue: StandardSchemaV1.Issue): string {
  const path = (issue.path ?? []).map((segment) =>
    typeof segment === 'object' && segment !== null ? String(segment.key) : String(segment),
  );
  const root = metadata.type === 'body' ? [] : metadata.data ? [metadata.data] : [];
  const location = [...root, ...path].join('.');
  return location || (metadata.type === 'body' ? 'body' : metadata.type);
}

/**
 * Validates every parameter that declares a `schema` (`@Body({ schema })`,
 * `@Param('id', { schema })`, `@Query({ schema })`) and turns failures into a
 * {@link ValidationFailedError} whose message lists each problem with where it is
 * (`items.0.quantity: Too big: expected number to be <=100`).
 */
@Injectable()
export class SchemaValidationPipe extends StandardSchemaValidationPipe {
  constructor() {
    super({ transform: true });
  }

  override async transform<T = unknown>(value: T, metadata: ArgumentMetadata): Promise<T> {
    const schema = metadata.schema;
    if (!schema || !this.toValidate(metadata)) return value;
    // SECURITY: a body naming `__proto__`, `constructor` or `prototype` is refused like any
    // unknown field; Nest's default strips them silently, so a strict schema never saw them.
    // Elsewhere (query, path) they are stripped, as unknown query parameters are ignored.
    if (metadata.type === 'body') {
      const found = prototypeKeysIn(value);
      if (found.length > 0) {
        throw new ValidationFailedError(found.map(({ path, key }) => `${path || 'body'}: Unrecognized key: "${key}"`));
      }
    } else this.stripProtoKeys(value);
    const result = await this.validate<T>(value, schema, this.validateOptions);
    if (result.issues) {
      throw new ValidationFailedError(
        result.issues.map((issue) => `${describeLocation(metadata, issue)}: ${issue.message}`),
      );
    }
    return result.value;
  }
}
